"""`mujaz batch` over many articles, and `mujaz cache info | clear`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mujaz.commands.options import (
    Device,
    DeviceOpt,
    Engine,
    EngineOpt,
    Length,
    LengthOpt,
    MaxBytesOpt,
    MaxSentencesOpt,
    Method,
    MethodOpt,
    QuantizeOpt,
    QuietOpt,
    SummariserOpt,
    TranslatorOpt,
)

cache_app = typer.Typer(help="The result cache: where it is, how big, and clearing it.", no_args_is_help=True)


def batch(
    input: Annotated[str, typer.Argument(help="JSONL file or '-' ({id, text|path|url} a line), a directory, or a glob.",
                                         show_default=False)],
    task: Annotated[str, typer.Option("--task", help="brief, summarise or translate.")] = "brief",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here instead of stdout.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip ids already written whole to --output; append the rest.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")] = False,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Articles per chunk: shared model batches, written together.")] = 32,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: LengthOpt = Length.medium,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    max_bytes: MaxBytesOpt = 10_000_000,
    max_sentences: MaxSentencesOpt = 5000,
    quiet: QuietOpt = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Process many articles: one JSONL line per input, in input order, each with its id.

    A failed item is a line with an `error` {code, message}; the run goes on and
    ends with exit code 5. Results are cached; `--resume` continues a run that died.
    """
    from mujaz.core.batch import (
        TASKS, BatchRunner, InterruptWatch, chunks, completed_ids, count_items, exit_code, read_items, write_records,
    )
    from mujaz.core.brief import ModelProvider
    from mujaz.core.cache import Cache
    from mujaz.errors import OutputFailed, UsageProblem
    from mujaz.models.base import LENGTHS
    from mujaz.render import Feedback

    if task not in TASKS:
        raise UsageProblem(f"--task {task}: choose brief, summarise or translate")
    if resume and output is None:
        raise UsageProblem("--resume needs --output FILE")
    feedback = Feedback(quiet=quiet)
    provider = ModelProvider(
        method=method.value if task != "translate" else "extractive", summariser=summariser, translator=translator,
        device=device.value, engine=engine.value, quantize=quantize,
    )
    cache = None if no_cache else Cache(warn=feedback.warn)
    runner = BatchRunner(task, provider, LENGTHS[length.value], cache, max_bytes=max_bytes, max_sentences=max_sentences)
    done = completed_ids(output) if (output and resume) else set()
    try:
        # Truncate in place rather than delete: -o may name a device or a pipe.
        out = output.open("a" if resume else "w", encoding="utf-8") if output else sys.stdout
    except OSError as error:
        raise OutputFailed(f"{output}: cannot write: {error.strerror or error}") from error
    total = count_items(input) if feedback.interactive else None
    failed = written = 0
    warned: set[str] = set()
    with _progress(feedback, total, len(done)) as advance, InterruptWatch(feedback.warn) as interrupt:
        try:
            for items in chunks((item for item in read_items(input) if item.id not in done), chunk):
                records = runner.run(items)
                write_records(out, records, sync=output is not None)
                interrupt.check()
                failed += sum(1 for r in records if "error" in r)
                written += len(records)
                for warning in provider.warnings:
                    if warning not in warned:
                        warned.add(warning)
                        feedback.warn(warning)
                advance(len(records), failed)
        finally:
            if output is not None:
                try:
                    out.close()
                except OSError:
                    pass  # already reported by the failed write
            if cache is not None:
                cache.close()
    if not quiet:
        skipped = f", {len(done)} already done" if done else ""
        cached = f", cache {cache.hits} hits / {cache.misses} misses" if cache is not None else ""
        print(f"mujaz: {written} items written, {failed} failed{skipped}{cached}", file=sys.stderr)
    raise typer.Exit(exit_code(failed))


class _progress:
    """Items done, failures, rate and ETA on a terminal; nothing when stderr is not one."""

    def __init__(self, feedback, total: int | None, already: int):
        self.feedback = feedback
        self.total = None if total is None else max(0, total - already)
        self._progress = None

    def __enter__(self):
        if not self.feedback.interactive:
            return lambda count, failed: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                return Text(f"{task.speed:.1f} items/s" if task.speed else "")

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"), Rate(), TimeRemainingColumn(),
            console=self.feedback.console(), transient=True,
        )
        self._progress.start()
        task = self._progress.add_task("articles", total=self.total, failed=0)
        return lambda count, failed: self._progress.update(task, advance=count, failed=failed)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()
        return False


@cache_app.command()
def info() -> None:
    """Where the cache is, and how many results and sentences it holds."""
    import json

    from mujaz.core.cache import Cache

    print(json.dumps(Cache().info(), indent=2))


@cache_app.command()
def clear() -> None:
    """Empty the cache."""
    from mujaz.core.cache import Cache

    cache = Cache()
    cache.clear()
    print(f"cleared {cache.path}")
