"""Speed of mujaz's translation engines on a CUDA device against the same machine's CPU.

What it measures, on the full-size translator of bench/fullsize.py (the opus-mt-ar-en
architecture: MarianMT, 6+6 layers, d_model 512, 62,834-token vocabulary; random weights):
the sample article's segments repeated to 200 sentences, every output fixed at exactly 40 new
tokens (min = max; the table says if any output was not 40), translated through
Seq2SeqTranslator, the CLI's path, at beam 4 (the model's) and greedy:
    transformers cpu    mujaz's transformers engine, --device cpu (float32; all the CPU's cores)
    transformers cuda   the same with --device cuda (float32: what mujaz runs on a GPU)
    ctranslate2 cpu     mujaz's CTranslate2 engine on an int8 conversion, --device cpu
    ctranslate2 cuda    the same conversion on the GPU (int8 weights, CTranslate2's kernels)
A path that cannot run on the machine (CTranslate2 not installed, or its CUDA libraries missing)
is listed with the reason, not left out.

How: one process, every path loaded once and warmed up on 8 sentences; then --runs rounds, each
running every path once in turn, so that drift spreads over all of them. Each time is the median
over the rounds; "x cpu" is the median of the per-round ratios of the same beam's transformers cpu
time to the path's. Work on the GPU is waited for (torch.cuda.synchronize) before a timer stops.
Absolute times depend on the machine; the ratios are the figures to read.

The weights are random, so only the tokenizers need travel to a GPU machine: a --translator folder
with the tokenizer files and config.json but no weights gets random ones made from its
config.json (seed 0) in a copy under build/.

Rerun (from the repository root, on a machine whose torch sees a CUDA device):
    .venv/bin/python bench/fullsize.py                 # once, where the eval data is: builds the translator
    .venv/bin/python bench/device_speed.py [--runs 3] [--out bench/DEVICE.md]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import REPO, TRANSLATOR  # noqa: E402 (bench/ is not a package)
from speed import OUT_TOKENS, SENTENCES, _Counting, fixed_length, translation_input  # noqa: E402 (the CPU benchmark's work)

from mujaz.errors import first_line  # noqa: E402

WARM_UP = 8
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


@dataclass
class EnginePath:
    engine: str  # "transformers" | "ctranslate2"
    device: str  # "cpu" | "cuda"
    beam: int
    translate: object = None  # Seq2SeqTranslator.translate, once loaded
    counts: list | None = None
    problem: str | None = None  # why it cannot run here
    times: list | None = None

    @property
    def label(self) -> str:
        return f"{self.engine} {self.device}"


def with_weights(folder: Path) -> Path:
    """`folder` if it holds weights; else a copy under build/ with random ones from its config.json."""
    if any((folder / name).is_file() for name in WEIGHT_FILES):
        return folder
    import torch
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    made = REPO / "build" / "device-bench" / f"{folder.name}-random"
    if not (made / "model.safetensors").is_file():
        shutil.rmtree(made, ignore_errors=True)
        shutil.copytree(folder, made)
        torch.manual_seed(0)
        with torch.no_grad():
            model = AutoModelForSeq2SeqLM.from_config(AutoConfig.from_pretrained(folder))
        model.save_pretrained(made)
        # save_pretrained rewrites generation_config.json from the model's defaults: keep the folder's own.
        for name in ("generation_config.json", "config.json"):
            if (folder / name).is_file():
                shutil.copy(folder / name, made / name)
    return made


def load(path: EnginePath, folder: Path, home: Path) -> None:
    from mujaz.models import hub
    from mujaz.models.seq2seq import Seq2SeqTranslator

    ref = hub.resolve(str(folder))
    path.counts = []
    if path.engine == "transformers":
        from mujaz.models import hf

        engine = hf.load(ref, device=path.device)
        engine.settings = fixed_length(engine.settings, path.beam)
        pad = engine.special_ids().get("pad_token_id", engine.model.config.pad_token_id)
        generate = engine.model.generate

        def counting_generate(**arguments):
            generated = generate(**arguments)
            path.counts.extend((generated[:, 1:] != pad).sum(dim=1).tolist())
            return generated

        engine.model.generate = counting_generate
    else:
        from mujaz.models import ct2

        os.environ["MUJAZ_HOME"] = str(home)
        conversion = ct2.converted(ref).get("int8") or ct2.convert(ref, quantization="int8")
        engine = ct2.CTranslate2Engine(conversion, ref, device=path.device)
        engine.settings = fixed_length(engine.settings, path.beam)
        engine.translator = _Counting(engine.translator, path.counts)
    path.translate = Seq2SeqTranslator(engine).translate


def timed(path: EnginePath, texts: list[str]) -> float:
    import torch

    path.counts.clear()
    started = time.perf_counter()
    path.translate(texts)
    if path.device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--translator", type=Path, default=TRANSLATOR)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "DEVICE.md")
    args = parser.parse_args(argv)

    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    if not torch.cuda.is_available():
        print("device_speed: this machine's torch sees no CUDA device", file=sys.stderr)
        return 2
    folder = with_weights(args.translator)
    texts = translation_input(SENTENCES)
    home = Path(tempfile.mkdtemp(prefix="mujaz-device-bench-"))
    paths = [EnginePath(engine, device, beam) for beam in (4, 1) for engine in ("transformers", "ctranslate2")
             for device in ("cpu", "cuda")]
    for path in paths:
        try:
            load(path, folder, home)
            path.translate(texts[:WARM_UP])
        except Exception as error:  # noqa: BLE001 (a path this machine cannot run is reported, not fatal)
            path.problem = f"{type(error).__name__}: {first_line(error)}"[:200]
            print(f"{path.label} beam {path.beam}: cannot run: {path.problem}", file=sys.stderr)
        path.times = []
    lengths: dict[tuple, set[int]] = {}
    for round_ in range(args.runs):
        for path in paths:
            if path.problem:
                continue
            path.times.append(timed(path, texts))
            lengths.setdefault((path.label, path.beam), set()).update(path.counts)
            print(f"round {round_ + 1} {path.label} beam {path.beam}: {path.times[-1]:.2f} s", file=sys.stderr)

    rows = []
    for path in paths:
        if path.problem:
            rows.append(f"| {path.label} | {path.beam} | cannot run: {path.problem} | | |")
            continue
        base = next(p for p in paths if p.engine == "transformers" and p.device == "cpu" and p.beam == path.beam)
        # No ratio where the base could not run (it still times the paths that could).
        ratio = "" if base.problem else f"{statistics.median(b / t for b, t in zip(base.times, path.times)):.2f}"
        median = statistics.median(path.times)
        lengths_seen = sorted(lengths[(path.label, path.beam)])
        note = "" if lengths_seen == [OUT_TOKENS] else f" (outputs of {lengths_seen} tokens)"
        rows.append(f"| {path.label} | {path.beam} | {median:.2f}{note} | {SENTENCES / median:.1f} | {ratio} |")
    import importlib.metadata as metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    report = "\n".join([
        "# mujaz on a CUDA device: translation speed against the same machine's CPU",
        "",
        f"Measured {datetime.date.today().isoformat()} by `bench/device_speed.py --runs {args.runs}`: "
        f"{torch.cuda.get_device_name(0)}, {os.cpu_count()} CPU cores ({platform.machine()}); "
        f"torch {torch.__version__}, transformers {transformers.__version__}, ctranslate2 {version('ctranslate2')}.",
        f"Full-size opus-mt-ar-en architecture, random weights; {SENTENCES} sentences (the sample's segments "
        f"repeated), every output {OUT_TOKENS} new tokens. Time: median of {args.runs} rounds; "
        "x cpu: median per-round ratio of the transformers cpu time (same beam) to the path's.",
        "",
        "| path | beam | seconds | sentences/s | x cpu |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
    ])
    args.out.write_text(report, encoding="utf-8")
    print(report)
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
