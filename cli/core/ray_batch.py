"""`mujaz batch --runner ray`: the same per-item work on Ray Data, past one machine.

The input becomes a Ray dataset (a JSONL file split into numbered lines as the
local runner splits it, or article files as the local runner lists them), a pool of actors runs
`BatchRunner` on chunks of items (each actor loads the models once), and the
records either stream back to this process in input order (stdout or `-o FILE`,
with `--resume`), or are written by the workers themselves as JSONL part files
into a folder, so that nothing funnels through one machine.

Only imported when the Ray runner is asked for: it imports ray at the top so
that Ray can pickle the actor class by reference.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import ray
from ray.data.datasource import BlockBasedFileDatasink

from mujaz.core import batch as local
from mujaz.core.batch import (ARTICLE_EXTENSIONS, BatchRunner, Item, failure_record, is_glob, parse_line, read_items,
                              record_code)
from mujaz.core.provider import ModelProvider
from mujaz.core.cache import Cache
from mujaz.core.text import json_line
from mujaz.errors import MujazError, UsageProblem
from mujaz.limits import MAX_BYTES, MAX_SENTENCES
from mujaz.models.base import LengthBudget

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CONNECT_SECONDS = 5


@dataclass(frozen=True)
class WorkerSettings:
    """What an actor needs to build its runner; pickled and sent to every actor."""

    task: str
    provider: dict  # ModelProvider keyword arguments
    budget: LengthBudget
    use_cache: bool = True
    max_bytes: int = MAX_BYTES
    max_sentences: int = MAX_SENTENCES
    root: str | None = None  # a folder in object storage: ids are paths relative to it
    skip: frozenset[str] = field(default_factory=frozenset)  # ids already written (--resume)


def jsonl_lines(row: dict) -> Iterator[dict]:
    """A JSONL file's lines, numbered, split as the local runner splits them: at b"\\n" only.

    Not `read_text`, which splits at every Unicode line break (U+2028 is valid
    inside a JSON string) and fails the whole run on one line of bad UTF-8.
    """
    for number, line in enumerate(bytes(row["bytes"]).split(b"\n"), start=1):
        if not local.is_blank_line(line):  # a byte-order mark alone too, as the local runner reads it
            yield {"number": number, "line": line}


class ArticleWorker:
    """One Ray actor: models loaded once (lazily, on the first chunk), then chunk after chunk."""

    def __init__(self, settings: WorkerSettings):
        self.settings = settings
        cache = Cache() if settings.use_cache else None  # each node's own cache file, shared by its actors
        self.runner = BatchRunner(
            settings.task, ModelProvider(**settings.provider), settings.budget, cache,
            max_bytes=settings.max_bytes, max_sentences=settings.max_sentences,
        )

    def __call__(self, batch: dict) -> dict:
        items = [item for item in self._items(batch) if item.id not in self.settings.skip]
        try:
            records = self.runner.run(items) if items else []
        except UsageProblem as error:
            # The local runner stops on it; raised here, it would reach the driver as Ray's own
            # failure, its cause unnamed. Each record says it instead, and the exit code is its.
            records = [failure_record(item, error, self.settings.task) for item in items]
        notices = "\n".join(self.runner.provider.warnings)  # e.g. a fallback to extractive: said once on the driver
        return {
            "record": [json_line(record) for record in records],
            "failed": [int("error" in record) for record in records],
            "code": [record_code(record) for record in records],  # for the exit code
            "notices": [notices] * len(records),
        }

    def _items(self, batch: dict) -> Iterator[Item]:
        if "line" in batch:  # lines of a JSONL file, from jsonl_lines
            for number, line in zip(batch["number"], batch["line"]):
                yield parse_line(bytes(line), int(number))
        elif "id" in batch:  # local article files, as read_items lists them
            for item_id, path in zip(batch["id"], batch["path"]):
                yield Item(id=str(item_id), path=str(path))
        else:  # article files in object storage, from read_binary_files
            for path, data in zip(batch["path"], batch["bytes"]):
                yield Item(id=self._relative(path), path=path, data=bytes(data))

    def _relative(self, path: str) -> str:
        root = self.settings.root
        if root and path.startswith(root.rstrip("/") + "/"):
            return path[len(root.rstrip("/")) + 1:]
        return path


class JsonlFolder(BlockBasedFileDatasink):
    """Each write task's records as one JSONL part file, lines exactly as the local runner writes them."""

    def __init__(self, path: str):
        super().__init__(path, file_format="jsonl")

    def write_block_to_file(self, block, file) -> None:
        lines = block.to_arrow().column("record").to_pylist()
        file.write("".join(line + "\n" for line in lines).encode("utf-8"))


def start(target: str | None) -> None:
    """Join the cluster at `target` (--ray-address, else $RAY_ADDRESS), else start a local Ray instance."""
    if ray.is_initialized():
        return
    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    if target:
        _check_reachable(target)
    try:
        if target:
            ray.init(address=target, **quiet)
        else:
            ray.init(num_cpus=os.cpu_count() or 1, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"the Ray cluster at {target}" if target else "a local Ray instance"
        raise MujazError(f"cannot start or reach {where}: {_gist(error)}",
                         hint="check --ray-address / RAY_ADDRESS, or `ray status` on the head node") from error
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # records come back in input order
    context.enable_progress_bars = False  # mujaz shows its own progress
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False
    # Ray Data logs a failing task's traceback at ERROR; mujaz reports the failure in one line.
    ray_data_log = logging.getLogger("ray.data")
    ray_data_log.setLevel(logging.CRITICAL)
    ray_data_log.propagate = False
    warnings.filterwarnings("ignore", category=UserWarning, module=r"ray\.")  # e.g. "0 inputs" on an empty file


def _check_reachable(target: str) -> None:
    """Fail in seconds, not minutes: Ray retries an unreachable head node for a long while, logging as it goes."""
    address = target.split("://", 1)[-1]
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form only Ray understands
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise MujazError(f"cannot reach the Ray cluster at {target}: {error.strerror or error}",
                         hint="check --ray-address / RAY_ADDRESS, or `ray status` on the head node") from error


def check_actor_size(cpus_per_actor: int) -> None:
    """Refuse an actor larger than any node: Ray would wait for such a node forever, saying nothing."""
    largest = max((node["Resources"].get("CPU", 0) for node in ray.nodes() if node.get("Alive")), default=0)
    if cpus_per_actor > largest:
        raise UsageProblem(f"--actor-cpus {cpus_per_actor}: the largest Ray node has {largest:g} CPUs",
                           hint=f"give --actor-cpus {int(largest)} or fewer" if largest >= 1 else "add a node with CPUs")


def default_actors(cpus_per_actor: int) -> int:
    """As many actors as the cluster's CPUs hold."""
    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, cpus // cpus_per_actor)


def check_input(spec: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse, before Ray starts, an input Ray cannot read (read at `max_bytes`, as the local runner reads it)."""
    if spec == "-":
        raise UsageProblem("--runner ray reads files, folders, globs or URIs, not standard input",
                           hint="write the JSONL to a file first")
    if "://" not in spec:  # a URI is Ray's own to read, and to refuse
        local.check_input(spec, max_bytes)


def dataset(spec: str, settings: WorkerSettings, *, actors: int, cpus_per_actor: int, chunk: int,
            skip: Path | None = None):
    """The input read by Ray and mapped by the actor pool: one row {record, failed, code, notices} per item.

    The caller has checked `spec` with check_input, before Ray started. `skip`: the output
    file, never read as an article (a glob such as 'feed/*' lists it), as in the local runner.

    Ray sets each actor's OMP_NUM_THREADS to its CPUs, which torch and CTranslate2 follow.
    """
    remote = "://" in spec
    if remote and not spec.endswith(JSONL_SUFFIXES):  # a folder of articles in object storage: Ray lists it
        settings = replace(settings, root=spec.split("://", 1)[1])
        source = ray.data.read_binary_files(spec, include_paths=True, file_extensions=list(ARTICLE_EXTENSIONS), num_cpus=0)
    elif not remote and (is_glob(spec) or Path(spec).is_dir()):
        # The local runner's own listing: the same files, ids and order; the actors read the files.
        listed = [{"id": item.id, "path": item.path} for item in read_items(spec, skip=skip)]  # not empty: check_input
        source = ray.data.from_items(listed)
    else:  # one JSONL file
        source = ray.data.read_binary_files(spec, num_cpus=0).flat_map(jsonl_lines, num_cpus=0)
    # The reads above ask for no CPU: they are I/O (and a split into lines), and
    # with every CPU held by an actor a read that needs one never runs, and the
    # pipeline waits forever (seen with 2 actors on a 2-CPU machine).
    return source.map_batches(
        ArticleWorker, fn_constructor_args=(settings,), batch_size=chunk, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=cpus_per_actor,
    )


def ordered_records(results) -> Iterator[tuple[str, int, list[str]]]:
    """(JSON line, its error's code or 0, the actor's model warnings) per item, in input order, as the actors finish them."""
    rows = iter(results.iter_rows())
    try:
        for row in rows:
            yield row["record"], int(row["code"]), [n for n in row["notices"].split("\n") if n]
    except ray.exceptions.RayError as error:
        raise MujazError(f"a Ray worker failed: {_gist(error)}",
                         hint="records written so far are kept; rerun with --resume") from error
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def check_folder(folder: str) -> None:
    """A local output folder must be new or empty: Ray adds part files beside any already there."""
    path = Path(folder)
    if "://" in folder or not path.exists():
        return
    if not path.is_dir():
        raise UsageProblem(f"--output-dir {folder}: is a file, not a folder")
    if any(path.iterdir()):
        raise UsageProblem(f"--output-dir {folder}: not empty; Ray would add part files beside those already there",
                           hint="give a new folder")


def write_folder(results, folder: str) -> tuple[int, int, set[int], list[str]]:
    """Workers write the records into `folder` (a path or URI); returns (items, failed, the failures' codes,
    model warnings).

    The records are kept in Ray's object store (spilled to disk when large) until
    all are done, to count them; the part files are written at the end.
    """
    try:
        done = results.materialize()
        items, failed = done.count(), int(done.sum("failed") or 0)
        codes = {int(code) for code in done.unique("code") if code} if failed else set()
        notices = sorted({n for joined in done.unique("notices") for n in joined.split("\n") if n}) if items else []
        done.select_columns(["record"]).write_datasink(JsonlFolder(folder))
    except ray.exceptions.RayError as error:
        raise MujazError(f"a Ray worker failed: {_gist(error)}") from error
    return items, failed, codes, notices


def _gist(error: BaseException) -> str:
    # Ray's errors carry the remote traceback; its last line is the exception itself.
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__
