"""`mujaz cache info | clear`: mujaz batch's result cache (mujaz.core.cache)."""

from __future__ import annotations

import contextlib
from contextlib import closing
from typing import Annotated, Optional

import typer

from mujaz.commands.options import DebugOpt, format_option

app = typer.Typer(help="mujaz batch's result cache: where it is, how big, and clearing it.", no_args_is_help=True)


# Facts a line each: no table to draw
CacheFormatOpt = format_option("json (the default), jsonl, text or markdown (rich is written as text).")


@app.command()
def info(
    format: CacheFormatOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Where the cache is, and how many results and sentences it holds."""
    from mujaz.core.cache import Cache, cannot_be_made, default_path, not_used, set_aside
    from mujaz.render import Feedback, write_facts

    path = default_path()
    if not path.exists():  # asking is no reason to create it; but an empty cache is one a run could make
        reason = cannot_be_made(path)
        if reason:
            Feedback().warn(not_used(path, reason))  # as a run would say it
        empty = None if reason else 0
        facts = {"path": str(path), "results": empty, "sentences": empty, "bytes": empty}
    else:
        with closing(Cache(path, warn=Feedback().warn)) as cache:
            facts = cache.info()
    aside = set_aside(path)  # after the whole file is checked, which may set it aside
    facts.update(set_aside=sum(not _a_log(file) for file in aside), set_aside_bytes=sum(_size(file) for file in aside))
    write_facts(facts, format.value if format else "json")  # JSON unless told: what scripts have read


@app.command()
def clear(
    older_than: Annotated[
        Optional[float], typer.Option("--older-than", min=0, metavar="DAYS",
                                      help="Only what was cached over DAYS days ago (results of an older mujaz "
                                           "are never served again, and stay until cleared).")
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """Empty the cache, or remove what was cached over --older-than DAYS days ago."""
    from mujaz.core.cache import Cache, default_path, not_used
    from mujaz.errors import OutputFailed
    from mujaz.render import Feedback

    path = default_path()
    copies = _remove_set_aside(path, older_than)
    if not path.exists():
        print(f"nothing to clear: {path} does not exist{copies}")
        return
    said: list[str] = []
    with closing(Cache(path, warn=said.append)) as cache:
        removed = cache.clear() if older_than is None else cache.forget_older_than(older_than)
    for message in said:  # a cache not cleared is said below, why too: not also as one "not used"
        if removed or cache.failure is None or message != not_used(cache.path, cache.failure):
            Feedback().warn(message)
    if not removed:
        why = f" ({cache.failure})" if cache.failure else ""
        raise OutputFailed(f"cache {cache.path} not cleared{why}{copies}", hint=not_cleared_hint(cache.failure))
    if older_than is None:
        print(f"cleared {cache.path}{copies}")
    else:
        counts = [f"{removed[name]:,} {name[:-1] if removed[name] == 1 else name}" for name in ("results", "sentences")]
        print(f"cleared {cache.path} of {counts[0]} and {counts[1]} cached over {older_than:g} days ago{copies}")


def _remove_set_aside(path, older_than: float | None) -> str:
    """Removes the damaged caches set aside beside the cache (with --older-than, those last written
    over DAYS days ago), and says how many went, as the end of clear's line ("" when none did)."""
    import time

    from mujaz.core.cache import set_aside

    cutoff = None if older_than is None else time.time() - older_than * 86400

    def written(file) -> float:  # a copy's logs are as old as the copy: they go with it
        copy = _copy_of(file)
        return (copy if copy.exists() else file).stat().st_mtime

    doomed = []  # all judged before any is removed, a copy before its logs or after
    for file in set_aside(path):
        with contextlib.suppress(OSError):  # gone meanwhile
            if cutoff is None or written(file) < cutoff:
                doomed.append(file)
    removed = 0
    for file in doomed:
        try:
            file.unlink()
            removed += not _a_log(file)
        except OSError:
            pass  # gone meanwhile, or not ours to remove: it stays, counted by `cache info`
    return f"; removed {removed} damaged {'copy' if removed == 1 else 'copies'} set aside" if removed else ""


def _copy_of(file):
    """The set-aside copy a file is: itself, or the copy its -wal or -shm file goes with."""
    return file.with_name(file.name.removesuffix("-wal").removesuffix("-shm"))


def _a_log(file) -> bool:
    """A set-aside copy's -wal or -shm file, which goes with it: no copy of its own."""
    return _copy_of(file) != file


def _size(file) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def not_cleared_hint(failure: Exception | str | None) -> str | None:
    """What to do about a cache that was not cleared: another run holding it only needs waiting for."""
    from mujaz.core.cache import NOT_A_CACHE, ForeignDatabase

    if "locked" in str(failure):
        return "another mujaz run is using it: clear it once that run ends"
    if isinstance(failure, ForeignDatabase) or failure == NOT_A_CACHE:  # the reason says what to do
        return None
    if failure:
        return "mend that, or pick another file with MUJAZ_CACHE"
    return "see the warning above; MUJAZ_CACHE picks another file"
