"""`mujaz batch` over many articles (its result cache's own commands: mujaz.commands.cache)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterable, Iterator, NamedTuple, Optional

import typer

from mujaz.commands.options import (
    AnyScriptOpt,
    DebugOpt,
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
from mujaz.limits import CHUNK, MAX_BYTES, MAX_SENTENCES

if TYPE_CHECKING:
    from mujaz.render import Feedback  # imported where it is used: --help loads no more than it needs


class Task(str, Enum):
    brief = "brief"
    summarise = "summarise"
    translate = "translate"


class Runner(str, Enum):
    local = "local"
    ray = "ray"


def batch(
    context: typer.Context,
    input: Annotated[str, typer.Argument(help="JSONL file or '-' ({id, text|path|url} a line), a directory, or a glob.",
                                         show_default=False, metavar="INPUT")],
    task: Annotated[Task, typer.Option("--task", help="What each line carries: a brief, a summary, a translation.",
                                                     case_sensitive=False)] = Task.brief,
    # A string, not a Path: Path("./-") is "-", and only the name as given tells "-" (stdout) from ./- (a file).
    output_name: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                       help="Write JSONL here instead of stdout ('-': stdout).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip ids already written whole to --output; append the rest.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")] = False,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Articles per chunk: shared model batches, written together.")] = CHUNK,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: LengthOpt = Length.medium,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    any_script: AnyScriptOpt = False,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_sentences: MaxSentencesOpt = MAX_SENTENCES,
    runner: Annotated[Runner, typer.Option("--runner", help="local: this process. ray: a pool of Ray actors, "
                                           "local or on a cluster (needs Ray: mujaz's ray extra).",
                                           rich_help_panel="Ray", case_sensitive=False)] = Runner.local,
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", help="Ray cluster to join (default "
                                                       "$RAY_ADDRESS, else a local instance).", rich_help_panel="Ray")] = None,
    actors: Annotated[Optional[int], typer.Option("--actors", min=1, help="Ray actors, each with its own models "
                                                  "(default: as many as the cluster's CPUs hold).", rich_help_panel="Ray")] = None,
    actor_cpus: Annotated[int, typer.Option("--actor-cpus", min=1, help="CPUs (model threads) per Ray actor.",
                                            rich_help_panel="Ray")] = 1,
    output_dir: Annotated[Optional[str], typer.Option("--output-dir", help="Ray: the workers write JSONL part files "
                                                      "into this folder or URI (input order within each file).",
                                                      rich_help_panel="Ray")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Process many articles: one JSONL line per input, in input order, each with its id.

    A failed item is a line with an `error` {code, message, hint}; the run goes on and
    ends with exit code 5 (when every item failed the same way, that failure's
    code). Results are cached; `--resume` continues a run that died.
    """
    from mujaz.core.batch import Written, already_written, check_input
    from mujaz.errors import UsageProblem, debug_wanted
    from mujaz.render import Feedback
    from mujaz.streams import is_stdout, require_stdout

    task = task.value
    output = _output_file(output_name, input, resume, runner, output_dir)
    if runner is not Runner.ray and (ray_address is not None or actors is not None or _given(context, "actor_cpus")):
        raise UsageProblem("--ray-address, --actors and --actor-cpus go with --runner ray",
                           hint="add --runner ray, or leave them out")
    if runner is Runner.local:
        check_input(input, max_bytes)  # before the output is touched: a missing input leaves an existing output file as it was
    _refuse_options_the_task_makes_no_use_of(context, task, summariser=summariser, translator=translator,
                                             any_script=any_script)
    feedback = Feedback(quiet=quiet)
    if input == "-":
        feedback.before_reading_stdin("JSONL lines")
    models = dict(
        # A translation needs no summariser: "extractive" keeps the provider from looking for one.
        method=method.value if task != "translate" else "extractive", summariser=summariser, translator=translator,
        device=device.value, engine=engine.value, quantize=quantize, any_script=any_script,
    )
    job = _Job(task, models, length.value, not no_cache, max_bytes, max_sentences, chunk, feedback, debug_wanted(debug))
    if runner is Runner.local:  # Ray's workers, on machines of their own, may have folders this one lacks
        _refuse_a_model_that_cannot_be(job)
    if output is None and output_dir is None:
        require_stdout(hint="give -o FILE")
    elif output is not None and not resume:
        _refused_before_the_output(job, local=runner is Runner.local)
    with _output_held(output) as held:  # before --resume reads what the file holds
        stdin_lines_read = 0
        if held is not None and not resume and input == "-" and runner is Runner.local:
            # Judged once the file is opened and locked (or said not to be), before it is emptied.
            from mujaz.core.batch import judge_stdin

            stdin_lines_read = judge_stdin(sys.stdin.buffer)
        before = already_written(output, task) if (output and resume) else Written()
        done = before.ids
        if done and runner is Runner.local:
            _refuse_records_of_another_input(input, output, done)
        loaded = None
        if held is not None and not resume and runner is Runner.local and _holds_records(held):
            loaded = _models_loaded_before_the_output(job)
        real_stdout = records_out = sys.stdout
        try:
            if runner is Runner.ray:
                if output is not None and is_stdout(output, real_stdout):
                    output = None  # -o /dev/stdout: the records' stream below, not the descriptor it is moved from
                records_out = _records_apart_from_ray(real_stdout)
                sys.stdout = sys.stderr  # Ray's print()s, too, go to stderr
                # Ray is started and the input checked before the output is emptied: a
                # cluster that cannot be reached leaves an existing output file as it was.
                on_ray = _on_ray(job, input, done, output, output_dir, address=ray_address, actors=actors,
                                 actor_cpus=actor_cpus)
                if output_dir is not None:
                    tally = _ray_to_folder(job, on_ray, output_dir)
                    _summary(quiet, tally, [], None)
                    raise typer.Exit(tally.exit_code())
                tally, cache = _to_output(held if output is not None else None, resume, records_out,
                                          lambda out, sync: _ray_to_stream(job, on_ray, input, out, sync, done,
                                                                           skip=output))
            else:
                tally, cache = _to_output(held, resume, records_out,
                                          lambda out, sync: _local(job, input, out, sync, done, skip=output,
                                                                   stdin_lines_read=stdin_lines_read, provider=loaded))
        finally:
            sys.stdout = real_stdout
            if records_out is not real_stdout:
                try:
                    records_out.close()  # the records' own descriptor, flushed after every chunk
                except OSError:
                    pass  # a closed pipe or a full disk: already reported
    if not tally.written and not before.codes:
        # A feed that a failed download left empty is no success (an empty file or standard input
        # is refused before the run; blank lines or a URI only now, being read).
        from mujaz.core.batch import no_items

        raise no_items(input)
    _summary(quiet, tally, before.codes, cache)
    raise typer.Exit(tally.exit_code(earlier=before.codes))


def _output_file(output_name: str | None, input: str, resume: bool, runner: Runner, output_dir: str | None) -> Path | None:
    """-o's file (None: stdout), refused before anything is touched when it could not be one, would
    destroy the input, or clashes with --resume or --output-dir."""
    from mujaz.core.batch import lists_as_article
    from mujaz.errors import UsageProblem

    if output_name is not None and (not output_name or output_name.endswith(("/", os.sep))):
        # Path() would take "" for the current folder and drop a trailing slash: "-o out/" wrote a file "out"
        raise UsageProblem(f"-o {output_name!r}: {'an empty name' if not output_name else 'a folder'}; -o takes the "
                           "file the records go to", hint="give -o a file, as briefs.jsonl, or leave it out for stdout"
                           + ("" if not output_name else " (a folder of results: --runner ray --output-dir)"))
    output = Path(output_name) if output_name not in (None, "-") else None  # "-": stdout, as for the input
    if output is not None and output.is_dir():
        raise UsageProblem(f"-o {output_name} is a folder", hint=f"give -o a file in it, as {output / 'briefs.jsonl'}")
    if resume and output is None:
        raise UsageProblem("--resume needs --output FILE", hint="give -o the file the run writes its records to")
    if output_dir is not None and (runner is not Runner.ray or output is not None or resume):
        raise UsageProblem("--output-dir goes with --runner ray, and not with --output or --resume")
    if output is not None and _same_file(input, output):
        raise UsageProblem(f"-o {output_name} is the input itself; writing there would destroy it", hint="write elsewhere")
    if output is not None and lists_as_article(input, output):
        raise UsageProblem(f"-o {output_name} is one of the input's articles; writing there would destroy it",
                           hint="write elsewhere")
    return output


def _refuse_records_of_another_input(input: str, output: Path, done) -> None:
    """--resume into a file none of whose records is of an item of a folder's or a glob's: another
    spelling of it ('./feed/*.txt' for 'feed/*.txt'), whose ids, the paths as it matches them, differ.
    Every item would be run again and appended after them. (Listing is cheap; a JSONL or a stream
    holds its ids itself, and is read once, as it comes.)"""
    from mujaz.core.batch import is_glob, read_items
    from mujaz.errors import UsageProblem

    if not (is_glob(input) or os.path.isdir(input)):
        return
    if not any(item.id in done for item in read_items(input, skip=output)):
        records = done.total()
        raise UsageProblem(f"--resume: none of the {records} record{'s' if records != 1 else ''} in {output} is of an "
                           f"item of {input}", hint="give the input as the run that wrote them did (its ids are the paths "
                                                     "as it lists them: './feed/*.txt' and 'feed/*.txt' differ), or run "
                                                     "without --resume")


def _given(context: typer.Context, name: str) -> bool:
    """Whether an option was given on the command line: `--actor-cpus 1`, its default's value, is still given."""
    return context.get_parameter_source(name).name != "DEFAULT"


def _refuse_options_the_task_makes_no_use_of(context: typer.Context, task: str, *, summariser: str | None,
                                             translator: str | None, any_script: bool) -> None:
    """Options a task makes no use of would be taken to have done something: refused."""
    from mujaz.errors import UsageProblem

    if task == "translate":
        unused = [option for option, used in (("--summariser", summariser), ("--any-script", any_script),
                                               ("--method", _given(context, "method")),
                                               ("--length", _given(context, "length"))) if used]
        if unused:
            raise UsageProblem(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} for summaries; "
                               "--task translate makes none", hint="leave them out, or make briefs with --task brief")
    if task == "summarise" and translator is not None:  # as `mujaz summarise --translator` without --to en
        raise UsageProblem("--translator is for translations; --task summarise makes none",
                           hint="leave it out, or translate the summary with --task brief")


@contextlib.contextmanager
def _output_held(output: Path | None):
    """The output file, opened for appending (nothing is written before _to_output empties it,
    unless --resume keeps it) and locked for this run; None for stdout. Two runs on one file (a
    `--resume` started twice) would each read the same finished ids and write the rest twice, or
    one would empty the file under the other: the second is refused. A file this run created and
    held, still empty when the run fails, is removed, so that a failed start leaves nothing behind
    (never one a run refused: two started at once both saw no file, and the other writes it)."""
    if output is None:
        yield None
        return
    from mujaz.errors import OutputFailed, UsageProblem

    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; the README says one run a file
        fcntl = None
    created = not os.path.exists(output)  # False, not an error, in a folder that may not be entered: opening says so
    try:
        # Appended to, never opened with "w": -o may name a device or a pipe (-o /dev/stdout).
        handle = output.open("a", encoding="utf-8")
    except OSError as error:
        raise OutputFailed(f"{output}: cannot write: {error.strerror or error}", hint=_unwritable_hint(output, error)) from error
    held = False
    try:
        if fcntl is not None and stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # a device is no file to share
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageProblem(f"-o {output}: another mujaz batch is writing it",
                                   hint="let it finish (then --resume), or write elsewhere") from None
        held = True
        yield handle
    except typer.Exit:
        raise
    except BaseException:
        if created and held and output.is_file() and output.stat().st_size == 0:
            output.unlink()
        raise
    finally:
        try:
            handle.close()
        except OSError:
            pass  # a full disk: already reported by the failed write


def _records_apart_from_ray(stdout):
    """A stream for the records alone while Ray runs.

    Ray prints notices of its own (a lost worker, ...) from its threads and its C++ core,
    some of them after the run, to sys.stdout or straight to file descriptor 1: a notice
    among the records would break the JSONL. So descriptor 1 now goes to stderr, for the
    rest of the process, and the records go to a duplicate of the real stdout.
    """
    import io

    from mujaz.streams import ClosedPipeGuard

    try:
        stdout.flush()
        records = os.dup(stdout.fileno())
        os.dup2(sys.stderr.fileno(), stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no descriptor to move (stdout replaced in-process)
        return stdout
    # Unbuffered under the guard sys.stdout has: a closed pipe is exit 141, a full disk one line,
    # and a full non-blocking pipe is waited on rather than failed.
    return ClosedPipeGuard(io.TextIOWrapper(io.FileIO(records, "w"), encoding="utf-8", write_through=True))


def _same_file(input: str, output: Path) -> bool:
    """Whether -o names a regular file that is the input itself (a file, or standard input redirected from it)."""
    try:
        written = os.stat(output)
        if not stat.S_ISREG(written.st_mode):
            return False  # -o /dev/tty may well be the input's terminal too
        read = os.fstat(sys.stdin.fileno()) if input == "-" else os.stat(input)
        return os.path.samestat(read, written)
    except (OSError, ValueError):
        return False


@dataclass
class _Tally:
    """What a run wrote: records, the failed ones among them, and the failures' exit codes."""

    written: int = 0
    failed: int = 0
    codes: set[int] = field(default_factory=set)

    def add(self, codes: list[int]) -> None:
        """Records written, each with its error's code, 0 for none."""
        self.written += len(codes)
        self.failed += sum(1 for code in codes if code)
        self.codes.update(code for code in codes if code)

    def exit_code(self, earlier: list[int] | None = None) -> int:
        """0; when every item failed the same way, that failure's code (as brief for its sources); else 5.

        `earlier`: the codes of the records a resumed run found written (0: none), so that a
        resumed output file ends with the code the whole run would have given it.
        """
        from mujaz.errors import outcome_code

        earlier = earlier or []
        return outcome_code(self.written + len(earlier), self.failed + sum(1 for code in earlier if code),
                            self.codes | {code for code in earlier if code})


def _refused_before_the_output(job: _Job, *, local: bool) -> None:
    """Options that would stop the run before its first record, asked before the output file is
    emptied (a typo must not cost an earlier run's records): options that clash, and on this
    machine a --device it lacks for a model here to load (one that is not fails, or is stood in
    for, before any device is met)."""
    from mujaz.core.batch import roles
    from mujaz.core.provider import ModelProvider

    provider = ModelProvider(**job.models)  # clashing options are refused as it is made
    if local:  # Ray's workers run on machines of their own
        provider.refuse_a_device_it_lacks(roles(job.task, job.models["method"]))


def _refuse_a_model_that_cannot_be(job: _Job) -> None:
    """A model every item needs that cannot be had, where that is known without loading it (a name
    that is no model, --engine ctranslate2 without a conversion, a hub model not here while offline):
    refused before any output, since every item would fail alike, with nothing to keep, and -o would
    be emptied for records of that one failure. The summariser where the task summarises; the
    translator only where it is all there is to do (--task translate): a brief keeps its Arabic."""
    from mujaz.core.provider import ModelProvider

    provider = ModelProvider(**job.models)
    for role in _needed_by_every_item(job):
        failure = provider.known_failure(role)
        if failure is not None:
            raise failure


def _needed_by_every_item(job: _Job) -> list[str]:
    """The models without which no item has a record worth keeping: the summariser where the task
    summarises, the translator only where translating is all there is to do."""
    from mujaz.core.batch import roles

    needed = roles(job.task, job.models["method"])
    return ["summariser"] * ("summariser" in needed) + ["translator"] * (job.task == "translate")


def _holds_records(held) -> bool:
    """Whether the output file holds anything (an earlier run's records) that emptying it would lose."""
    status = os.fstat(held.fileno())
    return stat.S_ISREG(status.st_mode) and status.st_size > 0


def _models_loaded_before_the_output(job: _Job):
    """The models every item needs, loaded before an earlier run's records are emptied: one found
    damaged only as it loads (a cut tokenizer or weights file) fails every item, and the records it
    would replace are worth more than records of that one failure. Only then: a run the cache answers
    whole loads no model, and where -o holds nothing there is nothing to lose."""
    from mujaz.core.provider import ModelProvider

    provider = ModelProvider(**job.models, status=job.feedback.status)
    for role in _needed_by_every_item(job):
        getattr(provider, role)()  # raises what it cannot load; the default summariser is stood in for
    return provider


def _to_output(held, resume: bool, stdout, write):
    """Run `write(out, sync)` into the output file _output_held opened (emptied first, unless
    --resume appends to it), or into stdout when `held` is None.

    `sync`: each chunk is fsynced into a regular file; a pipe or a device (-o /dev/stdout) cannot be.
    """
    from mujaz.errors import OutputFailed

    if held is None:
        return write(stdout, False)
    sync = stat.S_ISREG(os.fstat(held.fileno()).st_mode)
    if sync and not resume:
        # Emptied before the work, as `>` does: a run that dies before its first record must not
        # leave an earlier run's records for --resume to take as its own. What can refuse the run
        # is asked first (_refused_before_the_output).
        try:
            held.truncate(0)  # in place; appending, the writes start at its end, 0
        except OSError as error:
            raise OutputFailed(f"{held.name}: cannot write: {error.strerror or error}",
                               hint="give -o a regular file, or leave out -o for stdout") from error
    return write(held, sync)


@dataclass
class _Job:
    """What both runners are asked to do."""

    task: str
    models: dict  # ModelProvider keyword arguments
    length: str
    use_cache: bool
    max_bytes: int
    max_sentences: int
    chunk: int
    feedback: Feedback
    debug: bool = False  # a failed item's traceback on stderr (the local runner's: Ray's workers keep theirs)


def _local(job: _Job, input: str, out, sync: bool, done: Counter[str], skip: Path | None = None,
           stdin_lines_read: int = 0, provider=None):
    """This process: chunks of items, models shared across each chunk, written in order.

    `skip`: the output file, never read as an input article (a glob such as 'feed/*' lists it).
    `stdin_lines_read`: blank lines before standard input's first record, read past when it was judged.
    `provider`: one whose models were loaded before the output was emptied; else one made here.
    """
    from mujaz.core.batch import BatchRunner, chunks, count_items, not_yet_written, read_items, record_code
    from mujaz.core.provider import ModelProvider
    from mujaz.core.cache import Cache
    from mujaz.core.text import json_line
    from mujaz.models.base import LENGTHS
    from mujaz.streams import InterruptWatch

    feedback = job.feedback
    total = count_items(input, skip=skip, max_bytes=job.max_bytes) if feedback.interactive else None
    with _progress(feedback, total, done.total(), out, input) as bar, InterruptWatch(feedback.warn) as interrupt:
        # What a chunk is at (loading a model, summarising, translating) is said beside the bar,
        # which moves once a chunk, minutes apart with real models.
        if provider is None:
            provider = ModelProvider(**job.models, status=bar.doing)
        else:
            provider.status = bar.doing  # what it loads later (a translator a brief needs) is said beside the bar
        cache = Cache(warn=feedback.warn) if job.use_cache else None
        runner = BatchRunner(job.task, provider, LENGTHS[job.length], cache,
                             max_bytes=job.max_bytes, max_sentences=job.max_sentences, status=bar.doing, debug=job.debug)

        def chunks_to_write() -> Iterator[_Chunk]:
            to_do = interrupt.until_requested(not_yet_written(read_items(input, skip=skip, max_bytes=job.max_bytes,
                                                                         stdin_lines_read=stdin_lines_read), done))
            for items in chunks(to_do, job.chunk):
                records = runner.run(items)
                # provider.warnings: all of the run's so far (a model that fell back), said once each
                yield _Chunk([json_line(r) for r in records], [record_code(r) for r in records],
                             [r for r in records if "error" in r], provider.warnings)

        try:
            tally = _write_chunks(job, chunks_to_write(), out, sync, bar, interrupt)
        finally:
            if cache is not None:
                cache.close()
    return tally, cache


class _Chunk(NamedTuple):
    """Records to write together, as both runners give them."""

    lines: list[str]  # JSON, one a record
    codes: list[int]  # each record's error code, 0 for none
    failed: list[dict]  # the records with an error, for stderr to say why
    warnings: list[str]  # the models' (said once a run: Feedback.warn_once)


def _write_chunks(job: _Job, to_write: Iterable[_Chunk], out, sync: bool, bar, interrupt) -> _Tally:
    """Write each chunk of records as it comes; after each, stop if Ctrl-C was pressed, saying
    what is written."""
    from mujaz.streams import write_lines

    tally = _Tally()
    reasons: set[str] = set()  # of failed items, said on stderr
    try:
        for lines, codes, failed, warnings in to_write:
            write_lines(out, lines, sync=sync, then=functools.partial(tally.add, codes))
            job.feedback.warn_once(warnings)
            _say_failures(job.feedback, reasons, failed)
            bar.advance(len(lines), tally.failed)
            interrupt.check()
        interrupt.check()  # a Ctrl-C that ended the reading before a chunk was whole (`batch -` waiting)
    except KeyboardInterrupt:
        _say_interrupted(job.feedback.quiet, tally, resumable=sync)
        raise
    return tally


def _on_ray(job: _Job, input: str, done: Counter[str], output: Path | None, output_dir: str | None, address, actors,
            actor_cpus):
    """Ray started (or joined), and the input read and mapped by the actor pool (lazily: nothing runs yet)."""
    try:
        from mujaz.core import ray_batch
    except ImportError as error:
        from mujaz.errors import MujazError

        raise MujazError(f"--runner ray needs Ray ({error})",
                         hint="pip install 'ray[data]>=2.50,<3', or '.[ray]' in mujaz's folder") from error
    from mujaz.models.base import LENGTHS

    ray_batch.check_input(input, job.max_bytes)
    if output_dir is not None:
        ray_batch.check_folder(output_dir)
    target = address or os.environ.get("RAY_ADDRESS")
    with job.feedback.status(f"joining the Ray cluster at {target}" if target else "starting a local Ray instance"):
        ray_batch.start(target)
    settings = ray_batch.WorkerSettings(
        job.task, job.models, LENGTHS[job.length], job.use_cache, job.max_bytes, job.max_sentences,
        skip=frozenset(done),  # by id alone: the actors' chunks are independent (README: ids should be unique)
    )
    ray_batch.check_actor_size(actor_cpus)
    actors = actors or ray_batch.default_actors(actor_cpus)
    return ray_batch.dataset(input, settings, actors=actors, cpus_per_actor=actor_cpus, chunk=job.chunk, skip=output)


def _ray_to_stream(job: _Job, results, input: str, out, sync: bool, done: Counter[str], skip: Path | None = None):
    """Ray actors do the work; the records come back here in input order and are written as the local runner writes them
    (`skip`: the output file, which the dataset never lists, nor the count)."""
    from mujaz.core import ray_batch
    from mujaz.core.batch import count_items
    from mujaz.streams import InterruptWatch

    feedback = job.feedback
    total = count_items(input, skip=skip, max_bytes=job.max_bytes) if feedback.interactive and "://" not in input else None
    with _progress(feedback, total, done.total(), out, input) as bar, InterruptWatch(feedback.warn) as interrupt:
        tally = _write_chunks(job, _chunked(ray_batch.ordered_records(results), job.chunk), out, sync, bar, interrupt)
    return tally, None  # the actors' caches are their own


def _chunked(records: Iterable[tuple[str, int, list[str]]], size: int) -> Iterator[_Chunk]:
    """(JSON line, code, the actor's warnings) a record, as Ray gives them back, in chunks of `size`
    (the last one shorter)."""
    from mujaz.core.batch import chunks

    for chunk in chunks(records, size):
        yield _Chunk(lines=[line for line, _, _ in chunk], codes=[code for _, code, _ in chunk],
                     failed=[json.loads(line) for line, code, _ in chunk if code],
                     warnings=[notice for _, _, notices in chunk for notice in notices])


def _ray_to_folder(job: _Job, results, folder: str):
    """Ray actors do the work and Ray's workers write the part files: nothing passes through here."""
    from mujaz.core import ray_batch

    with job.feedback.status(f"running on Ray, writing into {folder}"):
        items, failed, codes, warnings = ray_batch.write_folder(results, folder)
    for warning in warnings:
        job.feedback.warn(warning)
    return _Tally(items, failed, codes)


FAILURE_REASONS_SAID = 20  # on stderr; every record carries its own


def _say_failures(feedback, reasons: set[str], failed: list[dict]) -> None:
    """Why items failed, on stderr as their records hold it: each reason once, as it first comes, and
    no more than FAILURE_REASONS_SAID. A model that cannot be had fails every item alike: said as the
    run's, not as the first item's ("item 7 failed: model ..." read as that item alone)."""
    from mujaz.errors import ExitCode

    for record in failed:
        error = record["error"]
        reason = error["message"] + (f" ({error['hint']})" if error.get("hint") else "")
        if reason in reasons or len(reasons) > FAILURE_REASONS_SAID:
            continue
        reasons.add(reason)
        if len(reasons) <= FAILURE_REASONS_SAID:  # error() prints an id's escape sequences as spaces
            which = "items" if error["code"] == ExitCode.MODEL_UNAVAILABLE else f"item {record['id']}"
            feedback.error(f"{which} failed: {reason}")
        else:
            feedback.error("more items failed: see the error in their records")


def _summary(quiet: bool, tally: _Tally, earlier: list[int], cache) -> None:
    """What the run wrote, and (--resume) what the file held before it, failures counted: they
    share the run's exit code (a resumed file ends with the code the whole run would give it)."""
    if quiet:
        return
    failed_before = sum(1 for code in earlier if code)
    skipped = (f", {len(earlier)} already done" + (f" ({failed_before} of them failed)" if failed_before else "")
               if earlier else "")
    cached = _cache_line(cache)
    items = "item" if tally.written == 1 else "items"
    print(f"mujaz: {tally.written} {items} written, {tally.failed} failed{skipped}{cached}", file=sys.stderr)


def _unwritable_hint(output: Path, error: OSError) -> str | None:
    """What to do about an -o that could not be opened, where its path says, or a permission."""
    folder = output.parent  # os.path's tests, not Path's: they say False where a folder may not be entered
    if os.path.isdir(output):
        return f"{output} is a folder: give -o a file in it, as {output / 'briefs.jsonl'}"
    if os.path.isdir(folder):
        return f"check the permissions of {folder} (ls -ld), or write elsewhere" if isinstance(error, PermissionError) else None
    if os.path.exists(folder):
        return f"{folder} is a file, not a folder: write elsewhere"
    return f"the folder {folder} does not exist: create it, or write elsewhere"


def _cache_line(cache) -> str:
    """What the cache served, results (whole items) and translated sentences apart: a brief's
    lookups of both, added up, read as "7 hits / 40 misses" when every item came from it."""
    if cache is None:
        return ""
    if not cache.in_use and not sum(cache.lookups.values()):
        return ", cache not used"
    names = {"results": "results", "sentences": "translated sentences"}
    served = ", ".join(f"{cache.found[table]} of {count} {names.get(table, table)}"
                       for table, count in cache.lookups.items()) or "nothing"
    # A cache given up mid-run (a full disk, locked too long) still served what it had before.
    return f", cache served {served}" + ("" if cache.in_use else ", then given up")


def _say_interrupted(quiet: bool, tally: _Tally, resumable: bool) -> None:
    """What an interrupted run leaves: its whole records, and how to go on from them."""
    if quiet:
        return
    items = "item" if tally.written == 1 else "items"
    rest = "; `--resume` with the same command does the rest" if resumable else ""
    print(f"mujaz: {tally.written} {items} written before the interruption, {tally.failed} failed{rest}", file=sys.stderr)


class _progress:
    """Items done, failures, rate and ETA on a terminal; nothing when stderr is not one, nor when
    the records themselves go to the terminal or the input lines are typed into it (the bar
    would be drawn over them)."""

    def __init__(self, feedback, total: int | None, already: int, out=None, input: str | None = None):
        self.feedback = feedback
        self.total = None if total is None else max(0, total - already)
        from mujaz.render import is_terminal

        self.records_shown = is_terminal(out)
        # Lines typed (or pasted) into the terminal: the bar would be redrawn over them.
        self.input_typed = input == "-" and is_terminal(sys.stdin)
        self._progress = None

    def __enter__(self) -> "_Bar":
        if not self.feedback.interactive or self.records_shown or self.input_typed:
            return _Bar(None, None)
        if not self.feedback.redraws:
            from mujaz.render import PlainProgress

            return _Bar(None, None, PlainProgress(self.feedback, "articles", self.total))
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                return Text(f"{task.speed:.1f} items/s" if task.speed else "")

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"), Rate(), TimeRemainingColumn(), TextColumn("{task.fields[doing]}"),
            # stderr's lines (warnings) go above the bar through Rich's stand-in for sys.stderr;
            # stdout is left alone: it is for records, never for the bar's console.
            console=self.feedback.console(), transient=True, redirect_stdout=False,
        )
        self._progress.start()
        task = self._progress.add_task("articles", total=self.total, failed=0, doing="")
        return _Bar(self._progress, task)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()
        return False


class _Bar:
    """What the batch loop tells the progress bar: items done, and what it is doing now (a
    Status, as the spinners of brief take). Tells nothing when no bar is shown."""

    def __init__(self, progress, task, plain=None):
        self._progress, self._task = progress, task
        self._plain = plain  # a render.PlainProgress, on a terminal that cannot redraw the bar

    def advance(self, count: int, failed: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=count, failed=failed)
        elif self._plain is not None:
            self._plain.advance(count, failed)

    @contextlib.contextmanager
    def doing(self, message: str):
        if self._plain is not None:
            self._plain.doing(message)
        if self._progress is None:
            yield
            return
        self._progress.update(self._task, doing=message)
        try:
            yield
        finally:
            self._progress.update(self._task, doing="")
