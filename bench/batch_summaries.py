"""Abstractive summaries in batch mode: a chunk's articles together against one at a time.

`mujaz batch` summarises a chunk's articles together (Seq2SeqSummariser.summarise_many):
every round's model inputs, from all the articles, go to the engine at once, so they
share batches and the engine's CPU workers. Before, each article was summarised on its
own, and an article of one window kept one CTranslate2 worker busy while the others
waited. This script measures the difference on what `mujaz batch --method abstractive`
loads: the full-size random-weight mT5-base of bench/fullsize.py (its summaries fixed
at 84 tokens, beam 4), converted to CTranslate2 int8, and real Arabic news articles
(../shared/eval/argen), in one process:

  one by one   Seq2SeqSummariser.summarise per article (the old batch mode)
  together     Seq2SeqSummariser.summarise_many on all of them (the new one)

The two run alternately, --runs times each on the same loaded model; figures are
medians and the ratio is paired within a round. It also counts the articles whose
summary differs between the two, and checks where a difference comes from: each
first-round window decoded alone and all of them in one call (20 tokens), on the
int8 conversion and on a float32 one (made in the bench's store if missing).

Rerun (from the repository root; a few minutes on 2 cores):
    .venv/bin/python bench/fullsize.py        # once
    .venv/bin/python bench/batch_summaries.py [--articles 8] [--runs 3] [--out bench/BATCH_SUMMARIES.md]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_throughput import articles  # noqa: E402 (bench/ is not a package)
from fullsize import HOME, REPO, SUMMARISER  # noqa: E402
from measure import ctranslate2_backend  # noqa: E402


def windows_alone_and_together(engine, windows: list[str]) -> int:
    """How many windows decode differently alone and in one call with the others (20 tokens, beam 4)."""
    from dataclasses import replace

    settings = replace(engine.settings, max_new_tokens=20, min_new_tokens=20, arabic_output=True)
    together = engine.generate(windows, settings)
    return sum(engine.generate([window], settings)[0] != output for window, output in zip(windows, together))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=8, help="ARGEn articles, from the first (default 8)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "BATCH_SUMMARIES.md")
    args = parser.parse_args(argv)
    os.environ["MUJAZ_HOME"] = str(HOME)

    from mujaz.core.provider import ModelProvider
    from mujaz.core.evaluate import article_sentences
    from mujaz.models import ct2, hub
    from mujaz.models.base import LENGTHS

    started = time.perf_counter()
    provider = ModelProvider(method="abstractive", summariser=str(SUMMARISER), engine="ctranslate2")
    summariser = provider.summariser()  # mujaz's own loading path: the int8 conversion in HOME
    engine = summariser.engine
    chunk = [(article_sentences(text), None) for text in articles(args.articles)]
    packed = [summariser.windows(sentences) for sentences, _ in chunk]
    windows = [len(article) for article in packed]
    budget = LENGTHS["medium"]

    def one_by_one():
        return [summariser.summarise(sentences, budget, title) for sentences, title in chunk]

    def together():
        return summariser.summarise_many(chunk, budget)

    walls: dict[str, list[float]] = {"one by one": [], "together": []}
    outputs = {}
    for round_ in range(args.runs):
        order = [("one by one", one_by_one), ("together", together)]
        for name, call in order if round_ % 2 == 0 else reversed(order):
            begun = time.perf_counter()
            outputs[name] = [summary.text for summary in call()]
            walls[name].append(time.perf_counter() - begun)
            print(f"round {round_ + 1}/{args.runs} {name}: {walls[name][-1]:.1f} s", file=sys.stderr)
    ratio = statistics.median(a / b for a, b in zip(walls["one by one"], walls["together"]))
    differing = sum(a != b for a, b in zip(outputs["one by one"], outputs["together"]))
    first_round = [window for article in packed for window in article]
    ref = hub.resolve(str(SUMMARISER))
    float32 = ct2.CTranslate2Engine(ct2.convert(ref, quantization="float32"), ref, device="cpu")
    changed = {"int8": windows_alone_and_together(engine, first_round),  # the engine loaded above
               "float32": windows_alone_and_together(float32, first_round)}

    lines = [
        "# Abstractive summaries in batch mode: a chunk's articles together",
        "",
        f"Written by `bench/batch_summaries.py` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"in {(time.perf_counter() - started) / 60:.1f} minutes. Command:",
        "",
        "    .venv/bin/python bench/batch_summaries.py"
        + (f" --articles {args.articles}" if args.articles != 8 else "") + (f" --runs {args.runs}" if args.runs != 3 else ""),
        "",
        f"Full-size random-weight mT5-base (bench/fullsize.py), CTranslate2 int8, {engine.workers} one-thread workers "
        f"(CPUs: {os.cpu_count()}); {ctranslate2_backend(Path(engine.ref.path)).describe()}. Beam 4, every summary "
        f"fixed at 84 tokens. Input: the first {len(chunk)} ARGEn articles, {sum(windows)} windows of at most "
        f"{engine.input_limit} tokens in all ({', '.join(map(str, windows))}), plus the rounds that combine a long "
        f"article's window summaries. Medians of {args.runs} runs of each, alternating, on one loaded model.",
        "",
        "| summarised | wall s (median) | articles/minute |",
        "|---|---|---|",
    ]
    for name, values in walls.items():
        wall = statistics.median(values)
        lines.append(f"| {name} | {wall:.1f} | {60 * len(chunk) / wall:.1f} |")
    lines += [
        "",
        f"Together: {ratio:.2f}× the rate of one by one (paired by run). Articles whose summary differs between "
        f"the two: {differing} of {len(chunk)}.",
        "",
        f"Where a difference comes from: of the {len(first_round)} first-round windows, decoded alone and all in one "
        f"call (20 tokens), {changed['int8']} decode differently on the int8 conversion and {changed['float32']} on a "
        "float32 conversion of the same model. Batched, a shorter input is padded to the longest; on float32 that "
        "leaves its output as it was, while on int8 CTranslate2 can score it differently. mujaz's translations "
        "are batched the same way, across sentences and articles.",
        "",
    ]
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
