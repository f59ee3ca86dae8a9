"""Many articles: streamed input, shared model batches, a result cache, resume.

Items are read lazily and processed in chunks; a chunk's articles are
summarised together and its sentences go to the translator together (grouped
by length across articles). The command writes each chunk's records, in input
order, before the next chunk is read (mujaz.streams), so memory stays bounded
and a crash loses at most the chunk in flight.
"""

from __future__ import annotations

import codecs
import fnmatch
import functools
import itertools
import json
import os
import re
import shlex
import stat
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator, TypeVar

from mujaz.core.brief import Brief, Status, complete_briefs, failure_json, no_status, start_brief
from mujaz.core.provider import ModelProvider
from mujaz.core.cache import Cache, CachedTranslator, digest
from mujaz.core.fetch import is_url
from mujaz.core.text import JsonNumber, as_written, loads_keeping_numbers
from mujaz.core.source import (SOURCE_HINT, Article, Source, article_from_bytes, blocking, broken_link, cannot_read, fetch_page,
                               load_article, permission_denied, shown)
from mujaz.errors import (BadInput, ModelUnavailable, MujazError, UsageProblem, print_traceback, too_large,
                          without_lone_surrogates)
from mujaz.limits import CHUNK, MAX_BYTES, MAX_SENTENCES
from mujaz.models.base import LengthBudget

TASKS = ("brief", "summarise", "translate")
ARTICLE_EXTENSIONS = ("txt", "html", "htm")  # of the files read from a folder, in any case (.TXT, .Html)
T = TypeVar("T")
INPUT_HINT = "give a JSONL file, '-', a folder of .txt/.html articles, or a quoted glob"


@dataclass
class Item:
    id: str
    text: str | None = None
    path: str | None = None
    url: str | None = None
    data: bytes | None = None  # the file's bytes, already read (by Ray's file reader)
    problem: str | None = None  # the input line itself was unusable
    problem_hint: str | None = None  # what to do about it, where there is something


def is_glob(spec: str) -> bool:
    """A pattern to expand, unless a file or folder has that very name ("odd[1]")."""
    return any(ch in spec for ch in "*?[") and not os.path.lexists(spec)


def read_items(spec: str, skip: Path | None = None, max_bytes: int = MAX_BYTES, stdin_lines_read: int = 0) -> Iterator[Item]:
    """Items from a JSONL file or '-', a directory of articles, or a glob (`skip`: a file never
    listed; `max_bytes`: an article's limit, which bounds a JSONL line too; `stdin_lines_read`:
    blank lines judge_stdin read past, counted in line numbers)."""
    if spec == "-":
        stream = sys.stdin.buffer
        blocking(stream)  # a non-blocking pipe's "nothing yet" would read as the end of the input
        yield from _jsonl_items(stream, "standard input", max_bytes, lines_read=stdin_lines_read)
        return
    if not spec:
        raise BadInput("an empty input name", hint=INPUT_HINT)

    skipped = os.stat(skip) if skip is not None and skip.exists() else None  # stat once, not per listed file

    def listed(path: Path) -> bool:
        try:
            return skipped is None or not os.path.samestat(os.stat(path), skipped)
        except OSError:  # a link to nothing, or in a loop: no output file, an item that fails
            return True

    if is_glob(spec):
        paths = sorted(p for p in _glob_files(spec) if listed(Path(p)))
        yield from (Item(id=shown(p), path=p) for p in paths)
        return
    path = Path(spec)
    if path.is_dir():
        unreadable: list[OSError] = []
        found = [(p, Item(id=shown(str(p.relative_to(path))), path=str(p))) for p in _article_paths(path, unreadable)
                 if listed(p)]
        # A folder inside that cannot be listed fails as an item of its own (its files were left out unsaid).
        found += [(Path(error.filename), Item(id=shown(os.path.relpath(error.filename, path)),
                                              problem=f"{shown(error.filename)}: cannot list this folder: {error.strerror}",
                                              problem_hint=cannot_read(shown(error.filename), error).hint))
                  for error in unreadable]
        yield from (item for _, item in sorted(found, key=lambda pair: pair[0]))
        return
    if not path.exists():  # a FIFO or <(process substitution) is not a regular file, and is read all the same
        raise BadInput(f"{spec}: no such file, directory or matching files", hint=INPUT_HINT)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise cannot_read(shown(spec), error) from error
    with handle:
        yield from _jsonl_items(handle, shown(spec), max_bytes)


def _glob_files(spec: str) -> Iterator[str]:
    """The files a glob matches, each once, by glob's rules (`*` matches no hidden name unless it is
    written with its dot, `**` any depth of folders, links to folders followed), walked as a folder
    input is: in name order, each folder once, so that a file reached by two paths gets the same id on
    every disk (glob.iglob walks in the directory's own order, and follows a link that loops, sub/loop ->
    .., 40 times: ids 300 characters long, and items that failed at the 41st)."""
    parts = re.split(r"[/\\]" if os.sep == "\\" else "/", spec)
    fixed = list(itertools.takewhile(lambda part: not _MAGIC.search(part), parts))
    start = "/".join(fixed) if fixed != [""] else "/"  # "/news/**": from the root
    if len(fixed) == len(parts):
        return  # no pattern in it: is_glob asked for one
    seen: set[str] = set()
    for path in _matches(start, parts[len(fixed):]):
        real = os.path.realpath(path)
        if real not in seen and _file_or_broken_link(Path(path)):
            seen.add(real)
            yield path


_MAGIC = re.compile(r"[*?[]")


def _matches(folder: str, pattern: list[str]) -> Iterator[str]:
    """Paths under `folder` ("" for the current one) that the pattern's parts match, in name order."""
    part, rest = pattern[0], pattern[1:]
    if part == "**":
        candidates: Iterable[str] = _folder_and_under(folder, {os.path.realpath(folder or ".")})
    elif not _MAGIC.search(part):
        candidates = [path for path in [os.path.join(folder, part)] if os.path.lexists(path)]
    else:
        candidates = [os.path.join(folder, name) for name in _names(folder)
                      if fnmatch.fnmatchcase(name, part) and (part.startswith(".") or not name.startswith("."))]
    for candidate in candidates:
        if not rest:
            yield candidate
        elif rest != [""] and os.path.isdir(candidate or "."):  # "" the current folder; "feed/*/" names no file
            yield from _matches(candidate, rest)


def _folder_and_under(folder: str, entered: set[str]) -> Iterator[str]:
    """`folder` and everything under it that is not hidden, folders each once (a link may loop)."""
    yield folder
    for name in _names(folder):
        path = os.path.join(folder, name)
        if name.startswith("."):
            continue
        if not os.path.isdir(path):
            yield path
            continue
        real = os.path.realpath(path)
        if real not in entered:
            entered.add(real)
            yield from _folder_and_under(path, entered)


def _names(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder or "."))
    except OSError:  # not a folder, or one that cannot be listed: no match there, as for glob
        return []


def _article_paths(folder: Path, unreadable: list[OSError] | None = None) -> Iterator[Path]:
    """Article files at any depth, hidden ones and those in hidden folders (.git, .venv) aside,
    as a glob's `**` leaves them out; folders that cannot be listed go in `unreadable`. Links to
    folders are followed, as a glob's are, each folder listed once (a link may loop: sub/loop -> ..)."""
    seen: set[str] = set()
    for root, folders, files in os.walk(folder, onerror=unreadable.append if unreadable is not None else None,
                                        followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        # In name order: a folder reached by a link and by its own name is listed under the first
        # (the same ids in every copy of the folder, which --resume skips by).
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and path.suffix[1:].lower() in ARTICLE_EXTENSIONS and _file_or_broken_link(path):
                yield path


def _file_or_broken_link(path: Path) -> bool:
    """A file, or a link to one that is not there (on a share not mounted): an item that fails,
    said and counted, rather than an article left out of the run unsaid; and so is one in a folder
    that can be listed but not entered, whose files cannot even be looked at."""
    try:
        return path.is_file() or (path.is_symlink() and not path.exists())
    except OSError:
        return True


def check_input(spec: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an input with nothing to read before any output is opened, so an existing output file stays as it was
    (`max_bytes`: an article's limit, which bounds a JSONL line too, as read_items reads it)."""
    try:
        _check_input(spec, max_bytes)
    except OSError as error:  # a folder above it that may not be entered, a name too long
        raise cannot_read(shown(spec), error) from error


def _check_input(spec: str, max_bytes: int) -> None:
    if not spec:  # `mujaz batch "$FEED"` with FEED unset: not the current folder, which Path("") is
        raise BadInput("an empty input name", hint=INPUT_HINT)
    if spec == "-":
        return
    if "://" in spec:  # read_items would look for a file of that name
        hint = ('for one page, `mujaz brief URL`; for many, a JSONL input with a {"url": ...} line each' if is_url(spec)
                else "`--runner ray` reads URIs (s3://, gs://, ...); or download the file first")
        raise BadInput(f"{spec}: the local runner reads files, folders, globs and standard input, not URIs", hint=hint)
    folder, glob = Path(spec).is_dir(), is_glob(spec)
    if folder and not os.access(spec, os.R_OK | os.X_OK):
        raise permission_denied(spec)  # not "no article files there"
    if glob or folder:
        # The first file found is enough: the listing itself (sorted, whole) is the run's to make.
        unreadable: list[OSError] = []
        found = _glob_files(spec) if glob else _article_paths(Path(spec), unreadable)
        if next(found, None) is None:
            if unreadable:  # nothing else there: that folder is the reason, not "no article files"
                raise BadInput(f"{shown(unreadable[0].filename)}: cannot list this folder: {unreadable[0].strerror}")
            extensions = ", ".join(f".{extension}" for extension in ARTICLE_EXTENSIONS)
            raise BadInput(f"{spec}: no article files ({extensions}) there", hint=INPUT_HINT)
    elif not Path(spec).exists():
        raise broken_link(spec) or BadInput(f"{spec}: no such file, directory or matching files", hint=INPUT_HINT)
    elif not os.access(spec, os.R_OK):
        raise permission_denied(spec)
    elif Path(spec).is_file():  # a FIFO's first line is the run's to read
        with open(spec, "rb") as handle:
            first = next((line for line, whole in _capped_lines(handle, shown(spec), JSONL_LINE_FACTOR * max_bytes)
                          if not whole or not is_blank_line(line)), None)
        if first is None:  # a feed a failed download left empty: no success with "0 items written"
            raise no_items(spec)
        refusal = not_jsonl(first, shown(spec))
        if refusal is not None:
            raise refusal


def lists_as_article(spec: str, output: Path) -> bool:
    """Whether a folder or glob input lists `output`, an existing file, as one of its articles:
    writing records there would destroy an article (a JSONL output, feed/out.jsonl, is no article
    and is simply never read: read_items' skip)."""
    try:
        if not output.is_file() or output.suffix[1:].lower() not in ARTICLE_EXTENSIONS:
            return False
    except OSError:  # in a folder that may not be entered: opening it to write says so
        return False
    if not (is_glob(spec) or Path(spec).is_dir()):
        return False
    with output.open("rb") as handle:  # an earlier run's records (`-o feed/out.txt`, then --resume): no article
        if handle.read(1) == b"{":
            return False
    own = os.stat(output)
    listed = _glob_files(spec) if is_glob(spec) else (str(p) for p in _article_paths(Path(spec)))
    return any(os.path.samestat(os.stat(path), own) for path in listed)


# A JSONL line holds an article's text as a JSON string, whose escapes (\u0627 for one Arabic
# letter of two bytes) can make it three times the article's size.
JSONL_LINE_FACTOR = 4


def _capped_lines(stream: IO[bytes], name: str, cap: int) -> Iterator[tuple[bytes, bool]]:
    """A stream's lines as (line, whole), each read up to `cap` bytes: an input without line breaks
    (/dev/zero, an image given by mistake) would otherwise be read whole into memory, looking for
    the first. A longer line is passed over in pieces and comes as (its start, False): its first
    LINE_START_BYTES, which say whether it opens a JSON object (not_jsonl); a first line
    that runs on past SKIP_LIMIT caps is refused as no JSONL (BadInput), which ends the reading. Once
    a line has ended, the input is lines: a long one later is a record gone wrong, passed over however
    long (a 7 MB article under --max-bytes 100000 ended the run, and every --resume of it)."""
    first = True
    while True:
        raw = _read_line(stream, name, cap + 1)
        if not raw:
            return
        if len(raw) <= cap or raw.endswith(b"\n"):
            first = False
            yield raw, True
            continue
        start, skipped = raw[:LINE_START_BYTES], len(raw)
        while not raw.endswith(b"\n"):
            raw = _read_line(stream, name, cap)
            skipped += len(raw)
            if not raw:
                break
            if first and skipped > SKIP_LIMIT * cap:
                raise BadInput(f"{name}: a line longer than {skipped:,} bytes and still going; not JSONL",
                               hint=INPUT_HINT)
        first = False
        yield start, False


SKIP_LIMIT = 16  # a line this many caps long is no record that went wrong but no JSONL at all
LINE_START_BYTES = 1024


def _read_line(stream: IO[bytes], name: str, limit: int) -> bytes:
    try:
        return stream.readline(limit)
    except OSError as error:  # `0>file`, an I/O error
        raise cannot_read(name, error) from error


_OPENING_BRACE_LINE = re.compile(rb"\s*\{[ \t]*\r?\n")


def not_jsonl(first_line: bytes, name: str) -> BadInput | None:
    """Why an input whose first (non-blank) line this is is no JSONL at all, or None: said in one
    line, where reading on would make an error record of every line."""
    if first_line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # What PowerShell's `>` writes: split at b"\n", every line would be a broken record.
        return BadInput(f"{name}: UTF-16 text, and JSONL is read as UTF-8",
                        hint="save it as UTF-8; in PowerShell, Out-File -Encoding utf8")
    first_line = first_line.removeprefix(codecs.BOM_UTF8)
    if _OPENING_BRACE_LINE.match(first_line):
        # One object over many lines, as jq and json.dumps(indent=...) write it; judged once the
        # line has ended (a producer may write "{" and the rest of the record apart).
        return BadInput(f"{name}: not JSONL (one JSON object a line): its first line opens an object it does not close",
                        hint="write each record on one line, as `jq -c .` does")
    if not first_line.lstrip().startswith(b"{"):
        # An article (or anything else) given where JSONL is read: its first line is no object at all.
        argument = "-" if name == "standard input" else shlex.quote(name)  # as typed in a shell
        return BadInput(f"{name}: not JSONL (its first line is no JSON object)",
                        hint=f"for one article, `mujaz brief {argument}`; for a folder of them, give batch the folder")
    return None


def no_items(spec: str) -> BadInput:
    """An input with nothing to do: an empty or blank JSONL file, or standard input (`-`)."""
    from mujaz.streams import stdin_closed

    if spec == "-" and stdin_closed():
        return BadInput("standard input: is closed", hint=INPUT_HINT)
    return BadInput(f"{'standard input' if spec == '-' else spec}: no items in it (empty, or blank lines only)",
                    hint=INPUT_HINT)


def is_blank_line(line: bytes) -> bool:
    """A JSONL line with nothing in it, but perhaps the byte-order mark of a file's first line."""
    return not line.removeprefix(codecs.BOM_UTF8).strip()


_BLANK_LINES = re.compile(rb"(?:(?:\xef\xbb\xbf)?[ \t\r\f\v]*\n)*")  # each may open with a byte-order mark


def judge_stdin(stream: IO[bytes]) -> int:
    """Refuse standard input that is no JSONL (not_jsonl), judged from its first bytes, waited for
    and left unread (peek); at its end with none, no items. Blank lines before the first record
    are read past (a blank start judged nothing, and `-o` was emptied for a run with no items):
    returns how many, so that line numbers count them. A terminal is judged line by line as it is
    typed: a Ctrl-D that ends it with nothing given is the end, no items, said at once (not waited
    for twice). Nothing is judged while what has come is part of a byte-order mark, or when the
    stream cannot be peeked: then its reading judges it."""
    blocking(stream)
    lines_read = 0
    while True:
        try:
            head = stream.peek(64)
        except (AttributeError, OSError, ValueError):
            return lines_read
        if not head:  # at its end already: nothing will come
            raise no_items("-")
        if len(head) < len(codecs.BOM_UTF8) and codecs.BOM_UTF8.startswith(head):
            return lines_read  # a byte-order mark still coming
        blank = _BLANK_LINES.match(head).end()
        if not blank and is_blank_line(head):
            blank = len(head)  # a blank line, still coming
        if blank:
            # Read past: peek shows no more than it holds, so what it holds is read (it is all
            # there: reading it does not wait), and the next peek waits for what comes next.
            lines_read += stream.read(blank).count(b"\n")
            continue
        if (refusal := not_jsonl(head, "standard input")) is not None:
            raise refusal
        return lines_read


def roles(task: str, method: str) -> list[str]:
    """The models a task runs."""
    summarises = task != "translate" and method != "extractive"
    return ["summariser"] * summarises + ["translator"] * (task != "summarise")


def _jsonl_items(stream: IO[bytes], name: str, max_bytes: int = MAX_BYTES, lines_read: int = 0) -> Iterator[Item]:
    cap = JSONL_LINE_FACTOR * max_bytes
    first = True
    for number, (raw, whole) in enumerate(_capped_lines(stream, name, cap), start=lines_read + 1):
        if whole and is_blank_line(raw):
            continue
        if first and (refusal := not_jsonl(raw, name)) is not None:  # an over-long line by its start, as check_input does
            raise refusal
        first = False
        if not whole:  # the line's id is in the part passed over: the line number stands in
            yield Item(id=f"line-{number}", problem=f"line {number}: longer than {cap:,} bytes",
                       problem_hint="raise --max-bytes if the article is that large")
        else:
            yield parse_line(raw, number)


# What surrogateescape did not write: a lone surrogate a JSON escape wrote ("\ud83d" of an emoji cut in two).
_LONE_SURROGATES_BUT_ESCAPED_BYTES = re.compile("[\ud800-\udc7f\udd00-\udfff]")


LINE_HINT = 'each line one JSON object: {"id": "a1", "text": "..."}, or "path" or "url" in place of "text"'
_JSON_TYPES = {list: "a list", dict: "an object", JsonNumber: "a number", bool: "true or false"}


def _not_json(constant: str):
    """NaN, Infinity, -Infinity: Python's json reads them, and no JSON holds them."""
    raise ValueError(f"{constant} is not JSON")


def parse_line(raw: bytes, number: int) -> Item:
    """Line `number` of a JSONL input as an Item; an unusable line becomes an Item that carries its problem."""
    fallback_id = f"line-{number}"  # the id of a line that gives none
    try:
        # surrogatepass: an emoji written as two encoded surrogates (CESU-8, from Java or Oracle) is
        # read, each half as U+FFFD, as json.loads read the bytes.
        line = raw.decode("utf-8-sig", "surrogatepass")
        escaped = False
    except UnicodeDecodeError:
        # A byte that is no UTF-8 in an article pasted from a legacy file cost the line, and its id
        # ("not a JSON object"): its bytes are kept (as surrogateescape's lone surrogates), for
        # reading to replace and say so, as in a file, and a path's as the file system's own
        # name for them (a file name from a Windows archive).
        line, escaped = raw.decode("utf-8-sig", "surrogateescape"), True
    try:
        record = loads_keeping_numbers(line, parse_constant=_not_json)
        if not isinstance(record, dict):
            raise ValueError("not an object")
    except RecursionError:
        return Item(id=fallback_id, problem=f"line {number}: not a JSON object (nested too deep)", problem_hint=LINE_HINT)
    except json.JSONDecodeError as error:  # its own "line 2 column 1" would name a second line inside line N
        return Item(id=fallback_id, problem=f"line {number}: not a JSON object ({error.msg}, at character {error.pos + 1})",
                    problem_hint=LINE_HINT)
    except ValueError as error:
        return Item(id=fallback_id, problem=f"line {number}: not a JSON object ({error})", problem_hint=LINE_HINT)
    given_id = record.get("id")
    if given_id is None:
        item_id = fallback_id
    else:
        try:
            item_id = as_written(given_id)
        except RecursionError:  # a list in a list ... that json.loads read, deeper than as_written goes
            return Item(id=fallback_id, problem=f"line {number}: its id is nested too deep", problem_hint=LINE_HINT)
    item_id = without_lone_surrogates(item_id)
    given = [key for key in ("text", "path", "url") if record.get(key) is not None]  # null: not given
    if len(given) != 1:
        return Item(id=item_id, problem=f"line {number}: give exactly one of text, path, url", problem_hint=LINE_HINT)
    kind, value = given[0], record[given[0]]
    if not isinstance(value, str) or isinstance(value, JsonNumber):  # {"text": ["...", "..."]}: given, but no string
        return Item(id=item_id, problem=f"line {number}: {kind} must be a string, not "
                                        f"{_JSON_TYPES.get(type(value), 'that')}", problem_hint=LINE_HINT)
    if kind in ("text", "path") and escaped:
        value = _LONE_SURROGATES_BUT_ESCAPED_BYTES.sub("\ufffd", value)
    else:
        value = without_lone_surrogates(value)
    if kind == "url" and not is_url(value):
        return Item(id=item_id, problem=f"line {number}: url must be an http(s) URL (a file goes in path)")
    if kind == "path" and not value.strip():  # an empty cell of a table made into JSONL
        return Item(id=item_id, problem=f"line {number}: an empty path", problem_hint=LINE_HINT)
    if kind == "path" and value == "-":
        # Standard input is the batch's own (its JSONL, or the terminal): read as an article, it took the lines after.
        return Item(id=item_id, problem=f'line {number}: path "-" would read standard input; '
                                        'give the text in "text" (a file named - goes as ./-)')
    return Item(id=item_id, **{kind: value})


def count_items(spec: str, skip: Path | None = None, max_bytes: int = MAX_BYTES) -> int | None:
    """How many items a file input holds (for an ETA), counted as read_items reads them (`skip`,
    `max_bytes`: its); None for a stream."""
    if spec == "-":
        return None
    if is_glob(spec) or Path(spec).is_dir():
        return sum(1 for _ in read_items(spec, skip=skip))
    if not Path(spec).is_file():
        return None  # a FIFO would be read up by the counting
    try:
        with open(spec, "rb") as handle:
            return sum(1 for line, whole in _capped_lines(handle, spec, JSONL_LINE_FACTOR * max_bytes)
                       if not whole or line.strip())
    except (OSError, BadInput):
        return None  # no ETA; reading the items says what is wrong


@dataclass
class Written:
    """What an output file already holds, for --resume: how many whole records each id has (ids can
    repeat in an input), and each record's error code (0: none), in order."""

    ids: Counter[str] = field(default_factory=Counter)
    codes: list[int] = field(default_factory=list)


def already_written(path: Path, task: str | None = None) -> Written:
    """The records already written whole to an output file; a half-written last line is cut off.

    A record of another task than `task`, or a whole line that is no record, is refused with the
    file left as it is: resuming would mix briefs and translations, or cut away what follows.
    """
    if not path.exists():
        return Written()
    if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device: nothing to read back (a pipe would wait forever)
        raise UsageProblem(f"--resume reads back what {path} holds, and it is not a regular file",
                           hint="resume into a file, or run without --resume")
    done = Written()
    good = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n") and line.lstrip().startswith(b"{"):
                break  # the last line, a record a crash cut short: redone below
            good += len(line)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                item_id, code = str(record["id"]), record_code(record)
            except (ValueError, KeyError, TypeError):
                # A whole line that is not a record: not mujaz's output, or edited since. Cutting
                # the file there would lose what follows, so nothing is touched.
                raise UsageProblem(f"--resume: line {number} of {path} is not a mujaz record",
                                   hint="resume into the file a batch run wrote, or write to another file") from None
            if task is not None and record.get("task", task) != task:  # (an older mujaz's failed lines have none)
                raise UsageProblem(f"--resume: {path} holds {record['task']} records, and this run makes {task} records",
                                   hint="resume with the same options, or write to another file")
            done.ids[item_id] += 1
            done.codes.append(code)
    if good < path.stat().st_size:
        with path.open("r+b") as handle:  # redo the record a crash left half written
            handle.truncate(good)
    return done


def not_yet_written(items: Iterator[Item], done: Counter[str]) -> Iterator[Item]:
    """The items --resume has still to do: an id written k times skips the first k items that carry it,
    so an input whose ids repeat loses none of them."""
    left = Counter(done)
    for item in items:
        if left[item.id] > 0:
            left[item.id] -= 1
        else:
            yield item


def _article(item: Item, max_bytes: int, fetched: tuple[bytes, str | None] | None = None) -> Article:
    """An item's article; `fetched`, a URL item's page, fetched already (read_chunk)."""
    if item.problem:
        raise BadInput(item.problem, hint=item.problem_hint)
    if item.text is not None or item.data is not None:
        raw = item.data if item.data is not None else item.text.encode("utf-8", "surrogateescape")
        # Read already (inline text, or a file Ray read): the same checks and words as a file read here.
        source = Source(kind="inline", location=item.id) if item.data is None else Source(kind="file", location=item.path)
        if len(raw) > max_bytes:
            raise too_large(source.location, max_bytes)
        return article_from_bytes(raw, source)
    if item.path is not None:
        _refuse_what_is_no_file(item.path)
    try:
        return load_article(item.path if item.path is not None else item.url, max_bytes=max_bytes, fetched=fetched)
    except BadInput as error:
        if item.path is not None and error.hint == SOURCE_HINT:  # a single source's, offering '-', which a path refuses
            error.hint = "check the path; a relative one is read from the folder mujaz runs in"
        raise


# What a listed path may be that is no article file: a named pipe waits for ever for a writer, a
# device is read to --max-bytes (/dev/zero), a socket cannot be opened. (A single source's path may
# be a pipe, `mujaz brief <(curl ...)`; an item's, in a list of files, is one by mistake.)
_NOT_FILES = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
              (stat.S_ISSOCK, "a socket"))


def _refuse_what_is_no_file(path: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # reading it says what is wrong (no such file, permission, a NUL in the name)
    what = next((name for test, name in _NOT_FILES if test(mode)), None)
    if what:
        raise BadInput(f"{shown(path)}: {what}, not an article file", hint="give the file the article is saved in")


FETCHES_AT_ONCE = 4  # a chunk's pages in flight together: a browser opens 6 connections a host


def read_chunk(items: list[Item], max_bytes: int) -> list[Article | MujazError]:
    """Each item's article, in order, or the MujazError that says why it has none. The URL items'
    pages are fetched first, together (fetched_together): a page is mostly waiting on the network,
    and 8 pages of a server that took 1.5 s each took 12 s one after another. What is read from
    them (extraction, a page's refresh followed) is done here, one at a time."""
    pages = fetched_together({position: item.url for position, item in enumerate(items)
                              if item.url is not None and not item.problem}, max_bytes)
    articles: list[Article | MujazError] = []
    for position, item in enumerate(items):
        page = pages.get(position)
        if isinstance(page, MujazError):  # its fetch failed
            articles.append(page)
            continue
        try:
            articles.append(_article(item, max_bytes, page))
        except MujazError as error:
            articles.append(error)
    return articles


def fetched_together(urls: dict[int, str], max_bytes: int) -> dict[int, tuple[bytes, str | None] | MujazError]:
    """Each URL's page (fetch_page), or the MujazError that says why not, by its key: in threads,
    FETCHES_AT_ONCE at a time, when there are several. Daemon threads: a second Ctrl-C stops at once,
    not after the downloads under way (each within its own deadline)."""
    import threading

    if len(urls) < 2:
        return {}  # one page: fetched as any source is
    pages: dict[int, tuple[bytes, str | None] | MujazError] = {}
    queue = iter(list(urls.items()))
    taking = threading.Lock()
    bugs: list[BaseException] = []  # raised here, as they would have been without threads

    def work() -> None:
        while True:
            with taking:
                key, url = next(queue, (None, None))
            if key is None:
                return
            try:
                pages[key] = fetch_page(url, max_bytes)
            except MujazError as error:
                pages[key] = error
            except BaseException as error:  # noqa: BLE001 - carried to the main thread
                bugs.append(error)
                return

    workers = [threading.Thread(target=work, daemon=True) for _ in range(min(FETCHES_AT_ONCE, len(urls)))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if bugs:
        raise bugs[0]
    return pages


class BatchRunner:
    """Runs one task over chunks of items with shared models and an optional cache."""

    def __init__(
        self,
        task: str,
        provider: ModelProvider,
        budget: LengthBudget,
        cache: Cache | None = None,
        *,
        max_bytes: int = MAX_BYTES,
        max_sentences: int = MAX_SENTENCES,
        status: Status = no_status,
        debug: bool = False,
    ):
        if task not in TASKS:
            raise ValueError(task)
        self.debug = debug  # each failed item's traceback on stderr (--debug), as a failed source's is
        self.status = status  # what the chunk is at (summarising, translating), for a progress display
        self.task = task
        self.max_bytes = max_bytes
        self.max_sentences = max_sentences
        self.provider = provider
        self.budget = budget
        self.cache = cache
        self.chunks_computed = 0  # chunks that needed a model: 0 on a fully cached run
        self._translator = None

    @functools.cached_property
    def cache_identity(self) -> dict | None:
        """Everything besides the text that decides a result, the cache key's part (worked out
        once: it reads model files).

        None when a model cannot be identified (a wrong path, no network, a hub branch
        not downloaded yet): then no result is looked up or stored, and each item
        fails, or falls back, just as it does without a cache.
        """
        wants_summary = self.task != "translate"
        try:
            summariser = self.provider.identity("summariser") if wants_summary else None
            translator = self.provider.identity("translator") if self.task != "summarise" else None
        except ModelUnavailable:
            return None
        if (wants_summary and summariser is None) or (self.task != "summarise" and translator is None):
            return None
        return {
            "task": self.task,
            "summariser": summariser,
            "translator": translator,
            "budget": self.budget.words if wants_summary else None,
            # An article over the limit has no result: a lower limit must not be served one.
            "max_sentences": self.max_sentences,
        }

    def translator(self):
        if self._translator is None:
            identity = self.provider.identity("translator") if self.cache is not None else None
            if identity is None:  # no cache, or a model whose identity the download will tell (identity)
                self._translator = self.provider.translator()
            else:
                self._translator = CachedTranslator(self.provider.translator, identity, self.provider.ref("translator"), self.cache)
        return self._translator

    def run(self, items: list[Item]) -> list[dict]:
        """Result records for a chunk, in item order: each item read (its pages fetched together),
        and looked up in the cache (_start); the briefs left are completed together (_complete)."""
        records: list[dict | None] = [None] * len(items)
        pending: list[tuple[int, Brief, str | None]] = []
        identity = self.cache_identity if self.cache is not None else None
        for position, (item, article) in enumerate(zip(items, read_chunk(items, self.max_bytes))):
            started = self._start(item, article, identity)
            if isinstance(started, dict):
                records[position] = started
            else:
                pending.append((position, *started))
        if pending:
            self._complete(items, pending, records)
        return records  # type: ignore[return-value]

    def _start(self, item: Item, article: Article | MujazError, identity: dict | None) -> dict | tuple[Brief, str | None]:
        """An item's record when it has one already (it could not be read, or the cache holds its
        result); else its brief, started, and the key to cache its result under (None: not cached)."""
        if isinstance(article, MujazError):
            return self._failure(item, article)
        # What reading replaced too (how many invalid sequences, of which encoding): the result's
        # warnings say it, and a text read with U+FFFD for bad bytes reads the same as one that
        # holds U+FFFD itself.
        key = (digest("result", identity, article.text, article.title, article.source.replaced_note)
               if identity else None)
        cached = self.cache.get("results", key) if key else None
        if cached is not None:
            cached["source"] = article.source.to_json()
            return {"id": item.id, **cached}
        try:
            return start_brief(article, self.task, self.max_sentences), key
        except MujazError as error:
            return self._failure(item, error)

    def _failure(self, item: Item, error: MujazError) -> dict:
        if self.debug:
            print_traceback(error)
        return failure_record(item, error, self.task)

    def _complete(self, items: list[Item], pending: list[tuple[int, Brief, str | None]],
                  records: list[dict | None]) -> None:
        """The pending briefs' records, in their places in `records`, and their results cached.
        The chunk's articles are summarised and translated together: the models' batches and CPU
        workers are shared across them."""
        try:
            translation_error = complete_briefs([b for _, b, _ in pending], self.task, self.provider, self.budget,
                                                english=self.task != "summarise", translator=self.translator,
                                                status=self.status)
        except UsageProblem:  # a wrong option (--device cuda without CUDA) would fail every item: it stops the run
            raise
        except MujazError as error:  # no summariser: every article of the chunk fails alike
            for position, _, _ in pending:
                records[position] = self._failure(items[position], error)
            return
        self.chunks_computed += 1
        fresh: dict[str, dict] = {}
        for position, brief, key in pending:
            # (with the translator's error, where it could not be had: the Arabic part is good output)
            record = {"id": items[position].id, **brief.to_json()}
            if translation_error is None and key and not self.provider.stood_in:  # a fallback is not worth remembering
                stored = dict(record)
                stored.pop("id")
                fresh[key] = stored
            records[position] = record
        if fresh:
            self.cache.put_many("results", fresh)  # one transaction a chunk: a commit an item cost half the run


def failure_record(item: Item, error: MujazError, task: str) -> dict:
    """A failed item's line: its id, then the failure as a failed source's record says it (failure_json),
    under the schema and task its run's records carry, so that --resume tells a file of failures alone
    from another task's (it took one for any task)."""
    return {"id": item.id, **failure_json(task, None, error)}


def record_code(record: dict) -> int:
    """A record's error code (an exit code, as the command's table has them), 0 when it has none."""
    return record["error"]["code"] if "error" in record else 0


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read as they come."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
