"""Where the CTranslate2 summariser's time goes: the figures behind the README's cold-brief paragraph.

On the full-size random-weight mT5-base of bench/fullsize.py (int8, converted by
mujaz into build/bench/home), with the sample article's body as input (fitted to
the 512-token limit as `mujaz brief` does) and the summary fixed at 84 tokens,
beam 4 — the brief's own summariser call:
  - the encoder alone (one decoding step) and the whole call, per CTranslate2
    intra_threads (1 and 2), medians of --runs calls: what one decoding step costs,
    and whether a second thread helps;
  - which backend CTranslate2 uses here (its CT2_VERBOSE log): Intel MKL on Intel
    CPUs, oneDNN elsewhere. With MKL: MKL's own log (MKL_VERBOSE=1, a child process:
    a call of 11 decoding steps less one of 1, so the encoder drops out): which
    matrix products run on weights packed at load (`..._COMPUTE`) and which on plain
    weights, which MKL copies into its own layout at every call, and the time of
    each kind per step; and the same call on oneDNN (CT2_USE_MKL=0, a child), the
    backend other CPUs get. (The other way round, MKL on an AMD CPU, is tens of
    times slower: MKL takes its generic code there.)
  - the same call with the output layer cut by a vocabulary map to K of the
    250,112 pieces (the first K; only their number matters to the cost), as
    mujaz's Arabic-output map cuts mT5's many-language vocabulary
    (mujaz.models.seq2seq.arabic_output_rules): what a step costs as a function
    of K. The real model's K is what `mujaz models convert` records in the
    conversion's mujaz.json ("output_vocabulary"); this machine cannot read the real
    vocabulary, and the bench's made-up one is all Arabic, so no map is written for it.

Rerun (after bench/fullsize.py; ~3 minutes):
    .venv/bin/python bench/summariser_steps.py [--runs 3] [--out bench/SUMMARISER.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import HOME, REPO, SUMMARISER  # noqa: E402 (bench/ is not a package)
from measure import Ct2Backend, ctranslate2_backend  # noqa: E402

SAMPLE = REPO / "samples" / "lavrov-wang-yi-multipolar.ar.txt"
STEPS = 84  # the summary's length in the cold brief (bench/fullsize.py fixes it)
BEAM = 4
MKL_STEPS = 10
KEPT_PIECES = (125_000, 60_000, 30_000, 15_000)  # output-layer rows left by a vocabulary map
_MKL_CALL = re.compile(r"MKL_VERBOSE (\w+)\(([^)]*)\) ([\d.]+)(us|ms|s) ")
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def summariser_input() -> tuple[Path, list[str]]:
    """The converted summariser's folder and the brief's input tokens for it."""
    from mujaz.core.evaluate import article_sentences
    from mujaz.models import ct2, hub
    from mujaz.models.seq2seq import Seq2SeqSummariser

    ref = hub.resolve(str(SUMMARISER))
    folder = ct2.converted(ref).get("int8")
    if folder is None:
        raise SystemExit(f"no int8 conversion of {SUMMARISER} under {HOME}: run bench/fullsize.py")
    engine = ct2.CTranslate2Engine(folder, ref, device="cpu")
    body = article_sentences(SAMPLE.read_text(encoding="utf-8"))  # the body sentences `mujaz brief` summarises
    window = Seq2SeqSummariser(engine).windows(body)[0]  # the sample fits one window
    return folder, engine.tokens(window)


def time_calls(folder: Path, tokens: list[str], threads: int, runs: int, use_vmap: bool = False) -> dict[str, float]:
    import ctranslate2

    translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=threads)

    def call(steps: int) -> float:
        started = time.perf_counter()
        translator.translate_batch([tokens], beam_size=BEAM, max_decoding_length=steps, min_decoding_length=steps,
                                   use_vmap=use_vmap)
        return time.perf_counter() - started

    call(2)  # warm-up
    encoder = statistics.median(call(1) for _ in range(runs))
    whole = statistics.median(call(STEPS) for _ in range(runs))
    return {"encoder_s": encoder, "whole_s": whole, "step_ms": 1000 * (whole - encoder) / (STEPS - 1)}


def time_calls_on_onednn(folder: Path, tokens: list[str], runs: int) -> dict[str, float]:
    """time_calls (one thread) in a child process where CTranslate2 may not use MKL.

    CT2_USE_MKL is read once per process, so the other backend needs a process of its own.
    """
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from summariser_steps import time_calls\n"
            f"print(json.dumps(time_calls(__import__('pathlib').Path({str(folder)!r}), {tokens!r}, 1, {runs})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "CT2_USE_MKL": "0"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_cut_output_layers(folder: Path, tokens: list[str], runs: int) -> dict[int, dict[str, float]]:
    """time_calls (one thread) with the output layer cut to K pieces by a vocabulary map, per K."""
    from mujaz.models.ct2 import VOCABULARY_MAP

    vocabulary = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    timings = {}
    with tempfile.TemporaryDirectory() as work:
        for kept in KEPT_PIECES:
            cut = Path(work) / str(kept)
            cut.mkdir()
            for item in folder.iterdir():  # the conversion itself, linked; a map of its own
                if item.name != VOCABULARY_MAP:
                    (cut / item.name).symlink_to(item)
            (cut / VOCABULARY_MAP).write_text("\t" + " ".join(vocabulary[3:kept]) + "\n", encoding="utf-8")
            timings[kept] = time_calls(cut, tokens, 1, runs, use_vmap=True)
    return timings


def mkl_log(folder: Path, tokens: list[str]) -> dict[str, dict[str, float]]:
    """MKL's matrix products per decoding step, grouped by kind: seconds and calls.

    One child process makes two calls, of 1 and of 1 + MKL_STEPS steps; their
    difference is MKL_STEPS decoding steps without the encoder.
    """
    code = (
        "import ctranslate2\n"
        f"t = ctranslate2.Translator({str(folder)!r}, device='cpu')\n"
        f"for steps in (1, {1 + MKL_STEPS}):\n"
        "    print('CALL', steps, flush=True)\n"
        f"    t.translate_batch([{tokens!r}], beam_size={BEAM}, max_decoding_length=steps, min_decoding_length=steps)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "MKL_VERBOSE": "1"}, check=True)
    _, short, long = done.stdout.split("CALL ")
    groups: dict[str, dict[str, float]] = defaultdict(lambda: {"s": 0.0, "calls": 0})
    for log, sign in ((long, 1), (short, -1)):
        for match in _MKL_CALL.finditer(log):
            function, arguments, amount, unit = match.groups()
            fields = arguments.split(",")
            if not function.startswith("GEMM_S8U8S32"):
                kind = "float32 products (attention)"
            elif function.endswith("_COMPUTE"):
                kind = "int8 products on weights packed at load (the decoder layers)"
            else:
                kind = f"int8 products on plain weights: {fields[3]} x {fields[5]} (the output layer)"
            groups[kind]["s"] += sign * float(amount) * _UNIT[unit] / MKL_STEPS
            groups[kind]["calls"] += sign / MKL_STEPS
    return dict(groups)


def report(runs: int, timings: dict[int, dict[str, float]], backend: Ct2Backend, mkl: dict[str, dict[str, float]] | None,
           onednn: dict[str, float] | None, cut: dict[int, dict[str, float]], vocabulary: int, tokens: int,
           elapsed: float, command: str) -> str:
    lines = [
        "# Where the CTranslate2 summariser's time goes",
        "",
        f"Written by `bench/summariser_steps.py` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"in {elapsed / 60:.1f} minutes. Command:",
        "",
        f"    {command}",
        "",
        f"Full-size random-weight mT5-base (bench/fullsize.py), int8, CPUs: {os.cpu_count()}. Input: the sample's body, "
        f"{tokens} tokens (one window); beam {BEAM}, output fixed at {STEPS} tokens, as in the cold brief. "
        f"Medians of {runs} calls. {backend.describe()}.",
        "",
        "| intra_threads | encoder + 1 step s | whole call s | per decoding step ms |",
        "|---|---|---|---|",
    ]
    for threads, row in timings.items():
        lines.append(f"| {threads} | {row['encoder_s']:.2f} | {row['whole_s']:.2f} | {row['step_ms']:.1f} |")
    one, two = timings[1]["whole_s"], timings[2]["whole_s"]
    lines += [
        "",
        f"Two threads take {two / one:.2f}× the time of one: the decoding steps are bound by memory, not by arithmetic.",
        "",
    ]
    if mkl is not None:
        lines += [
            f"Intel MKL's log (MKL_VERBOSE=1), per decoding step (a call of {1 + MKL_STEPS} steps less one of 1 step):",
            "",
            "| matrix products | calls per step | ms per decoding step |",
            "|---|---|---|",
        ]
        for kind, figures in sorted(mkl.items(), key=lambda item: -item[1]["s"]):
            lines.append(f"| {kind} | {figures['calls']:.0f} | {1000 * figures['s']:.1f} |")
        lines += [
            "",
            "CTranslate2 packs every linear layer's weights for MKL at load except the output layer's (it keeps",
            "that one plain so that a vocabulary map can slice it), so MKL copies the 250,112-row int8 output",
            "matrix into its own layout at every decoding step. The part of a step that is not in MKL's log is",
            "CTranslate2's own work around the products (quantising activations, the beam search over",
            "4 x 250,112 scores, ...).",
            "",
        ]
    if onednn is not None:
        lines += [
            f"The same call on oneDNN instead of MKL (CT2_USE_MKL=0, one thread): whole call {onednn['whole_s']:.2f} s,"
            f" {onednn['step_ms']:.1f} ms a step — {onednn['whole_s'] / one:.2f}× MKL's.",
            "",
        ]
    if mkl is None:
        lines += [
            "CTranslate2 does not use Intel MKL on this CPU, so there is no MKL log to break a step down by.",
            "",
        ]
    lines += [
        "The output layer cut by a vocabulary map to K pieces (one thread; the first K pieces, as only their",
        "number matters to the cost):",
        "",
        "| output pieces K | whole call s | per decoding step ms | × the whole layer's call |",
        "|---|---|---|---|",
        f"| {vocabulary:,} (no map) | {one:.2f} | {timings[1]['step_ms']:.1f} | 1.00 |",
    ]
    for kept, row in cut.items():
        lines.append(f"| {kept:,} | {row['whole_s']:.2f} | {row['step_ms']:.1f} | {row['whole_s'] / one:.2f} |")
    lines += [
        "",
        "mujaz cuts mT5's vocabulary so for Arabic summaries: pieces with letters of another script are",
        "candidates only when the article has them (mujaz.models.seq2seq.arabic_output_rules). How many",
        "pieces stay depends on the real vocabulary, which this machine cannot read; `mujaz models convert`",
        "records it as \"output_vocabulary\" in the conversion's mujaz.json.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "SUMMARISER.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("MUJAZ_HOME", str(HOME))
    started = time.perf_counter()
    folder, tokens = summariser_input()
    timings = {threads: time_calls(folder, tokens, threads, args.runs) for threads in (1, 2)}
    for threads, row in timings.items():
        print(f"intra_threads {threads}: {row['whole_s']:.2f} s, {row['step_ms']:.1f} ms a step", file=sys.stderr)
    backend = ctranslate2_backend(folder)
    print(backend.describe(), file=sys.stderr)
    mkl = mkl_log(folder, tokens) if backend.mkl else None
    onednn = time_calls_on_onednn(folder, tokens, args.runs) if backend.mkl else None
    cut = time_cut_output_layers(folder, tokens, args.runs)
    for kept, row in cut.items():
        print(f"output layer cut to {kept} pieces: {row['whole_s']:.2f} s, {row['step_ms']:.1f} ms a step", file=sys.stderr)
    vocabulary = len(json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8")))
    command = ".venv/bin/python bench/summariser_steps.py" + (f" --runs {args.runs}" if args.runs != 3 else "")
    text = report(args.runs, timings, backend, mkl, onednn, cut, vocabulary, len(tokens), time.perf_counter() - started, command)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
