"""Throughput of `mujaz batch` against one article at a time, and its memory on 10,000 articles.

What it measures, with the full-size random-weight translator of bench/fullsize.py
(opus-mt-ar-en architecture) on the CTranslate2 int8 engine, greedy, and every
translated segment fixed at 40 tokens (a copy of the model whose generation
settings say min = max = 40 new tokens, so random weights cannot run to 512),
the extractive summariser, and real Arabic news articles (../shared/eval/argen):

  batch      `mujaz batch ARTICLES.jsonl -o OUT --no-cache`: one process, chunks of
             32 articles whose sentences share model batches (fsync per chunk)
  batch-pipe the same, writing to a pipe instead of a file (no fsync): the cost of fsync
  ray        `mujaz batch --runner ray -o OUT`: a local Ray instance started by the run,
             one actor per core, each with its own models (Ray's start-up included)
  loop       the same models loaded once, one article at a time (BatchRunner on
             chunks of one article, in one process); on fewer articles, as a rate
  per-run    `mujaz brief ARTICLE -f json` once per article (a fresh process each,
             loading the models every time); measured on fewer articles, as a rate
  memory     peak RSS of `mujaz batch` over 10,000 articles (the 1,000 ARGEn
             articles ten times, with distinct ids), summarise task (no model), and
             of the `batch` run above (translator loaded)

Figures are articles per minute, medians of --runs fresh processes, and ratios
within one run. Timings on a shared machine are noisy; the ratios are the figures.

Rerun (from the repository root; ~20 minutes on 2 cores):
    .venv/bin/python bench/fullsize.py        # once
    .venv/bin/python bench/batch_throughput.py [--articles 500] [--runs 3] [--out bench/BATCH.md]   # or: make bench-batch
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import HOME, REPO, TRANSLATOR, fixed_length_translator  # noqa: E402 (bench/ is not a package)
from measure import run_measured  # noqa: E402

ARGEN = REPO.parent / "shared" / "eval" / "argen" / "train.tsv"
MUJAZ = [sys.executable, "-m", "mujaz"]


def articles(count: int) -> list[str]:
    csv.field_size_limit(1 << 30)
    with ARGEN.open(encoding="utf-8", newline="") as handle:
        rows = [row["document"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return [rows[i % len(rows)] for i in range(count)]


def write_jsonl(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"a{number}", "text": text}, ensure_ascii=False) + "\n")


def timed(argv: list[str], env: dict, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process (its own peak, not this script's)."""
    child = run_measured(argv, env=env, cwd=REPO, stdout=stdout, stderr=subprocess.DEVNULL)
    return child.wall_s, child.maxrss_kib / 1024


LOOP = """
import json, sys, time
from mujaz.core.batch import BatchRunner, read_items
from mujaz.core.provider import ModelProvider
from mujaz.models.base import LENGTHS
provider = ModelProvider(method="extractive", translator=sys.argv[2])
runner = BatchRunner("brief", provider, LENGTHS["medium"], None)
items = list(read_items(sys.argv[1]))[: int(sys.argv[3])]
runner.run(items[:1])  # load the models before the clock, as the batch run's chunks share them
started = time.monotonic()
for item in items:
    runner.run([item])
print(json.dumps({"wall": time.monotonic() - started}))
"""


def measure(count: int, per_run_count: int, loop_count: int, runs: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="mujaz-batch-bench-"))
    env = {**os.environ, "MUJAZ_HOME": str(HOME), "HF_HUB_OFFLINE": "1", "MUJAZ_CACHE": str(scratch / "cache.sqlite")}
    translator = str(fixed_length_translator("translator-40-greedy", beams=1))
    source = scratch / "articles.jsonl"
    texts = articles(count)
    write_jsonl(source, texts)
    singles = []
    for number, text in enumerate(texts[:per_run_count]):
        path = scratch / f"article{number}.txt"
        path.write_text(text, encoding="utf-8")
        singles.append(path)
    common = ["--translator", translator, "--method", "extractive", "--engine", "ctranslate2"]
    rounds = []
    for _ in range(runs):
        result = {}
        result["batch"] = timed([*MUJAZ, "batch", str(source), "-o", str(scratch / "out.jsonl"), "--no-cache", "-q", *common], env)
        with (scratch / "piped.jsonl").open("wb") as sink:
            result["batch-pipe"] = timed([*MUJAZ, "batch", str(source), "--no-cache", "-q", *common], env, stdout=sink)
        result["ray"] = timed([*MUJAZ, "batch", str(source), "--runner", "ray", "-o", str(scratch / "ray.jsonl"),
                               "--no-cache", "-q", *common], env)
        loop = subprocess.run([sys.executable, "-c", LOOP, str(source), translator, str(loop_count)], env=env, cwd=REPO,
                              capture_output=True, text=True, check=True)
        result["loop"] = (json.loads(loop.stdout)["wall"], None)
        started = time.monotonic()
        for path in singles:
            subprocess.run([*MUJAZ, "brief", str(path), "-f", "json", "-q", *common], env=env, cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        result["per-run"] = (time.monotonic() - started, None)
        rounds.append(result)
    many = scratch / "many.jsonl"
    write_jsonl(many, articles(10_000))
    memory_wall, memory_rss = timed([*MUJAZ, "batch", str(many), "--task", "summarise", "--method", "extractive",
                                     "--no-cache", "-q", "-o", str(scratch / "many.out.jsonl")], env)
    lines = sum(1 for _ in (scratch / "many.out.jsonl").open(encoding="utf-8"))
    shutil.rmtree(scratch, ignore_errors=True)
    return {"rounds": rounds, "count": count, "per_run_count": per_run_count, "loop_count": loop_count,
            "memory": {"articles": lines, "wall": memory_wall, "rss_mib": memory_rss}}


def per_minute(result: dict, name: str, counts: dict) -> float:
    return counts.get(name, counts["batch"]) * 60 / result[name][0]


def report(data: dict, command: str) -> str:
    count, singles = data["count"], data["per_run_count"]
    counts = {"batch": count, "loop": data["loop_count"], "per-run": singles}
    names = ["batch", "batch-pipe", "ray", "loop", "per-run"]
    rate = {n: statistics.median(per_minute(r, n, counts) for r in data["rounds"]) for n in names}
    ratio = lambda a, b: statistics.median(  # noqa: E731 (ratios within one round, then the median)
        per_minute(r, a, counts) / per_minute(r, b, counts) for r in data["rounds"])
    rss = statistics.median(r["batch"][1] for r in data["rounds"])
    lines = [
        "# mujaz batch: throughput and memory",
        "",
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores; command: `{command}`.",
        f"{count} real news articles (ARGEn), brief task: extractive summary, title and summary translated by the",
        "full-size opus-mt-ar-en architecture (random weights) on CTranslate2 int8, greedy, 40 tokens per segment.",
        f"Medians of {len(data['rounds'])} runs; ratios are taken within each run.",
        "",
        "| path | articles/min | × one `mujaz brief` per article | × same models, one article at a time |",
        "|---|---|---|---|",
    ]
    for name, label in [("batch", "`mujaz batch` (file, fsync per chunk of 32)"), ("batch-pipe", "`mujaz batch` to a pipe (no fsync)"),
                        ("ray", f"`mujaz batch --runner ray` (local Ray, {os.cpu_count()} actors)"),
                        ("loop", f"same models, one article at a time (on {data['loop_count']})"),
                        ("per-run", f"`mujaz brief` per article (on {singles})")]:
        lines.append(f"| {label} | {rate[name]:.0f} | {ratio(name, 'per-run'):.1f} | {ratio(name, 'loop'):.2f} |")
    memory = data["memory"]
    lines += [
        "",
        f"- fsync per chunk of 32 articles: {100 * (1 - ratio('batch', 'batch-pipe')):+.1f}% of the batch throughput "
        "(a figure within a few percent either way is noise: the sync is one call per chunk).",
        f"- `--runner ray` on this one machine: {ratio('ray', 'batch'):.2f}× the local runner's throughput, Ray's "
        f"start-up included: {os.cpu_count()} actors with one model thread each against one process with a "
        "one-thread CTranslate2 worker per core. Each actor holds its own copy of the models; the workers of "
        "one process share theirs.",
        f"- Peak RSS of the batch run above (translator loaded): {rss:.0f} MiB.",
        f"- Peak RSS over {memory['articles']:,} articles (summarise, extractive, no model): {memory['rss_mib']:.0f} MiB "
        f"in {memory['wall']:.0f} s — input and output are streamed, so memory does not grow with the input.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--per-run", type=int, default=20, help="articles for the one-process-per-article path")
    parser.add_argument("--loop", type=int, default=100, help="articles for the one-article-at-a-time path")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "BATCH.md")
    args = parser.parse_args(argv)
    if not ARGEN.is_file():
        print(f"batch_throughput: {ARGEN} is absent; nothing to measure", file=sys.stderr)
        return 0
    if not (TRANSLATOR / "config.json").is_file():
        subprocess.run([sys.executable, str(REPO / "bench" / "fullsize.py")], check=True)
    data = measure(args.articles, args.per_run, args.loop, args.runs)
    command = "python bench/batch_throughput.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(data, command.strip())
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
