"""Speed of mujaz's translation engines and of its cold start, on full-size models.

What it measures, on the random-weight full-size models of bench/fullsize.py
(the opus-mt-ar-en and mT5-base XL-Sum architectures; built first if missing):

  Translation throughput. The sample article's 19 segments, repeated to 200
  sentences, translated with every output fixed at exactly 40 tokens (min = max
  = 40 new tokens; each run counts the tokens it generated and the table says
  if any output was not 40), so that every path does the same work:
    naive           what the old pipeline() did: tokenizer + model.generate + decode
                    for one sentence at a time, on the model as published (whole
                    vocabulary; only 24 sentences, 8 with --quick: the rate per
                    sentence does not depend on how many there are)
    transformers    mujaz's transformers engine through Seq2SeqTranslator (the
                    CLI's path: fitting, length-sorted batches), beam 4 and greedy,
                    and greedy with --quantize (torch dynamic int8)
    ctranslate2     mujaz's CTranslate2 int8 engine, beam 4 and greedy
    raw             ctranslate2.Translator.translate_batch on input tokenised
                    before the timer, with the engine's workers, batch size and
                    output vocabulary (target.spm's pieces): the floor that the
                    ctranslate2 engine's overhead is measured against
    plain           the same with CTranslate2's usual call (default threads,
                    max_batch_size 32, the whole output layer), as other tools
                    run it: what mujaz's workers, batch size and target
                    vocabulary add
  Cold start. `mujaz --help`, and `mujaz brief` on the sample article with the
  abstractive summariser, on each engine: wall time and peak RSS of the child.

How: every measurement is a fresh process (this script with --worker, or the
mujaz CLI), so no run inherits another's caches or allocator state. A worker
loads the model (load time reported apart), translates one sentence untimed as
a warm-up, then times the work and prints wall seconds and its peak RSS
(getrusage ru_maxrss) as JSON. Runs go round-robin over the paths, so drift in
the machine's load spreads over all of them, and each figure is the median of
--runs runs; a ratio (× naive, engine overhead, ctranslate2/transformers) is the
median of the ratios measured in the same round. Absolute times on a shared
machine are noisy; the ratios are the figures to read.

Rerun (from the repository root; a default run takes ~13 minutes on an idle 2-core machine):
    .venv/bin/python bench/fullsize.py          # once: builds build/bench/ (~1-2 min)
    .venv/bin/python bench/speed.py [--quick] [--runs 3] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import HOME, MARIAN_VOCAB, REPO, SUMMARISER, TRANSLATOR, fixed_length_translator  # noqa: E402 (bench/ is not a package)
from measure import ctranslate2_backend, gnu_time, run_measured  # noqa: E402

SAMPLE = REPO / "samples" / "lavrov-wang-yi-multipolar.ar.txt"
OUT_TOKENS = 40  # every translation is exactly this long, on every path
SENTENCES = 200
NAIVE_SENTENCES, NAIVE_SENTENCES_QUICK = 24, 8
HELP_RUNS = 5
GIB_KIB = 1024 * 1024
BUSY = 0.10  # other processes' share of the CPUs above which a run is flagged as possibly skewed


@dataclass(frozen=True)
class Variant:
    name: str
    label: str
    kind: str  # "naive" | "transformers" | "ctranslate2" | "raw"
    beam: int
    quantize: bool = False
    plain: bool = False  # raw only: CTranslate2's defaults as most tools call it (batch 32, whole output layer)


PATHS = [
    Variant("naive", "naive: one sentence per generate (old pipeline)", "naive", 4),
    Variant("tf-b4", "mujaz transformers", "transformers", 4),
    Variant("tf-b1", "mujaz transformers", "transformers", 1),
    Variant("tf-int8-b1", "mujaz transformers --quantize (torch int8)", "transformers", 1, quantize=True),
    Variant("ct2-b4", "mujaz ctranslate2 int8", "ctranslate2", 4),
    Variant("ct2-b1", "mujaz ctranslate2 int8", "ctranslate2", 1),
    Variant("raw-b4", "raw translate_batch (pre-tokenised, int8)", "raw", 4),
    Variant("raw-b1", "raw translate_batch (pre-tokenised, int8)", "raw", 1),
    Variant("plain-b4", "plain translate_batch: batch 32, whole output layer (pre-tokenised, int8)", "raw", 4,
            plain=True),
]
BY_NAME = {p.name: p for p in PATHS}


def translation_input(count: int) -> list[str]:
    """The sample's 19 segments (title, headings, sentences), repeated to `count` texts."""
    from mujaz.core.segment import segment_article
    from mujaz.core.text import normalise

    segments = [s.text for s in segment_article(normalise(SAMPLE.read_text(encoding="utf-8")))]
    return [segments[i % len(segments)] for i in range(count)]


# -- worker: one path in this (fresh) process -------------------------------------
def fixed_length(settings, beam: int):
    from dataclasses import replace

    return replace(settings, beam_size=beam, max_new_tokens=OUT_TOKENS, min_new_tokens=OUT_TOKENS)


def translator_ref():
    from mujaz.models import hub

    return hub.resolve(str(TRANSLATOR))


def ct2_folder() -> Path:
    from mujaz.models import ct2

    folder = ct2.converted(translator_ref()).get("int8")
    if folder is None:
        raise SystemExit(f"no int8 conversion of {TRANSLATOR} under MUJAZ_HOME: run bench/fullsize.py")
    return folder


def load_path(path: Variant, counts: list[int]):
    """Load the model for `path`; return (prepare, run): prepare is untimed, run is timed.

    run() appends the number of tokens generated for each input to `counts`,
    read from the model's own output (a few microseconds per batch).
    """
    if path.kind == "naive":
        # The model as published, loaded as the old pipeline did: none of mujaz's engine.
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(TRANSLATOR)
        model = AutoModelForSeq2SeqLM.from_pretrained(TRANSLATOR).eval()
        pad = model.config.pad_token_id  # also the decoder's start token: not counted

        def run_naive(texts: list[str]) -> None:
            for text in texts:
                encoded = tokenizer(text, return_tensors="pt")
                generated = model.generate(**encoded, num_beams=path.beam, min_new_tokens=OUT_TOKENS,
                                           max_new_tokens=OUT_TOKENS)
                tokenizer.decode(generated[0], skip_special_tokens=True)
                counts.append(int((generated[0, 1:] != pad).sum()))

        return (lambda texts: texts), run_naive
    if path.kind == "transformers":
        from mujaz.models import hf
        from mujaz.models.seq2seq import Seq2SeqTranslator

        engine = hf.load(translator_ref(), device="cpu", quantize=path.quantize)
        # The decoder's start token, in the ids the engine generates in: not counted.
        pad = engine.special_ids().get("pad_token_id", engine.model.config.pad_token_id)
        engine.settings = fixed_length(engine.settings, path.beam)
        generate = engine.model.generate

        def counting_generate(**arguments):
            generated = generate(**arguments)
            counts.extend((generated[:, 1:] != pad).sum(dim=1).tolist())
            return generated

        engine.model.generate = counting_generate  # an instance attribute: the engine calls it unchanged
        return (lambda texts: texts), Seq2SeqTranslator(engine).translate

    import ctranslate2

    folder = ct2_folder()
    if path.kind == "ctranslate2":
        from mujaz.models import ct2
        from mujaz.models.seq2seq import Seq2SeqTranslator

        engine = ct2.CTranslate2Engine(folder, translator_ref(), device="cpu")
        engine.settings = fixed_length(engine.settings, path.beam)
        engine.translator = _Counting(engine.translator, counts)
        return (lambda texts: texts), Seq2SeqTranslator(engine).translate

    import sentencepiece

    from mujaz.models import ct2

    # The engine's own workers, batch size and output vocabulary, unless `plain`:
    # then CTranslate2's defaults (one worker, its threads sharing each batch).
    if path.plain:
        translator = ctranslate2.Translator(str(folder), device="cpu")
        batch, restricted = 32, False
    else:
        translator = ctranslate2.Translator(str(folder), device="cpu", inter_threads=ct2.cpu_workers(), intra_threads=1)
        batch, restricted = ct2.BATCH_SENTENCES, (folder / ct2.VOCABULARY_MAP).is_file()
    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))

    def prepare_raw(texts: list[str]) -> list[list[str]]:
        return [source.encode(text, out_type=str) + ["</s>"] for text in texts]

    def run_raw(tokens: list[list[str]]) -> None:
        results = translator.translate_batch(tokens, max_batch_size=batch, beam_size=path.beam, use_vmap=restricted,
                                             min_decoding_length=OUT_TOKENS, max_decoding_length=OUT_TOKENS)
        counts.extend(len(result.hypotheses[0]) for result in results)

    return prepare_raw, run_raw


class _Counting:
    """Stands in for the engine's ctranslate2.Translator, counting the tokens of each
    result as the engine collects it (the engine queues its batches asynchronously)."""

    def __init__(self, translator, counts: list[int]):
        self.translator, self.counts = translator, counts

    def translate_batch(self, *args, **kwargs):
        return [_Counted(pending, self.counts) for pending in self.translator.translate_batch(*args, **kwargs)]


class _Counted:
    def __init__(self, pending, counts: list[int]):
        self.pending, self.counts = pending, counts

    def result(self):
        result = self.pending.result()
        self.counts.append(len(result.hypotheses[0]))
        return result


def worker(name: str, sentences: int) -> dict:
    path = BY_NAME[name]
    texts = translation_input(sentences)
    counts: list[int] = []
    started = time.perf_counter()
    prepare, run = load_path(path, counts)
    loaded = time.perf_counter()
    run(prepare(texts[:1]))  # warm-up: first-call allocations and kernel choices stay out of the timing
    warmed = time.perf_counter()
    counts.clear()
    work = prepare(texts)
    timer = time.perf_counter()
    run(work)
    wall = time.perf_counter() - timer
    threads = {"os_threads": len(os.listdir("/proc/self/task"))}
    if "torch" in sys.modules:
        threads["torch"] = sys.modules["torch"].get_num_threads()
    return {
        "path": name, "sentences": len(texts), "wall_s": wall, "load_s": loaded - started,
        "warmup_s": warmed - loaded, "tokens": counts, "threads": threads,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


# -- parent: fresh processes, medians, tables --------------------------------------
def child_env(scratch: str) -> dict[str, str]:
    # MUJAZ_CACHE: a fresh, empty result cache for every child, so that no run is
    # served what an earlier one computed.
    return {**os.environ, "MUJAZ_HOME": str(HOME), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
            "MUJAZ_CACHE": str(Path(scratch) / "cache.sqlite")}


def busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_child(argv: list[str]) -> dict:
    """Run a process to its end: wall seconds, its peak RSS (KiB), exit code, output, and the share
    of the machine's CPU that other processes used meanwhile (the noise to watch for)."""
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = busy_cpu_s()
        child = run_measured(argv, env=child_env(scratch), cwd=REPO, stdout=out, stderr=err)
        others = max(0.0, busy_cpu_s() - busy - child.usage.ru_utime - child.usage.ru_stime)
        out.seek(0)
        err.seek(0)
        return {"wall_s": child.wall_s, "maxrss_kib": child.maxrss_kib, "rc": child.rc,
                "other_cpu": others / (child.wall_s * len(os.sched_getaffinity(0))),
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_paths(runs: int, naive_sentences: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {p.name: [] for p in PATHS}
    for round_ in range(runs):
        for path in PATHS:  # round-robin: each round runs every path once
            count = naive_sentences if path.kind == "naive" else SENTENCES
            child = run_child([sys.executable, __file__, "--worker", path.name, "--sentences", str(count)])
            try:
                result = json.loads(child["stdout"].strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                tail = " | ".join(child["stderr"].strip().splitlines()[-3:])
                result = {"error": f"exit {child['rc']}: {tail}"[:300]}
            result["other_cpu"] = child["other_cpu"]
            results[path.name].append(result)
            shown = result.get("error") or f"{result['wall_s']:.1f} s, {result['maxrss_kib'] / 1024:.0f} MiB"
            shown += f", other processes {child['other_cpu']:.0%} of the CPUs"
            say(f"  round {round_ + 1}/{runs} {path.name:<11} {shown}")
    return results


def measure_cold(runs: int) -> dict[str, list[dict]]:
    mujaz = str(Path(sys.executable).parent / "mujaz")
    # Model files are read once first, so every run finds them in the page cache:
    # the disk's speed is not what is measured.
    fixed = fixed_length_translator("translator-40-beam4", beams=4)  # made (and converted) before any timing
    for folder in (TRANSLATOR, fixed, SUMMARISER, HOME):
        for file in folder.rglob("*"):
            if file.is_file():
                with file.open("rb") as handle:
                    while handle.read(1 << 20):  # small reads: this process's RSS stays small
                        pass
    results: dict[str, list[dict]] = {"help": [], "ctranslate2": [], "transformers": []}
    for index in range(HELP_RUNS):
        results["help"].append(run_child([mujaz, "--help"]))
        say(f"  mujaz --help {index + 1}/{HELP_RUNS}: {results['help'][-1]['wall_s']:.2f} s")
    for engine in ("ctranslate2", "transformers"):
        # One brief per engine first, not recorded: the first run after a build pays one-time costs
        # (Python compiling mujaz's modules, the system mapping fresh memory) that later runs do not.
        run_child([mujaz, *brief_args(engine)])
    for round_ in range(runs):
        for engine in ("ctranslate2", "transformers"):
            child = run_child([mujaz, *brief_args(engine)])
            child["output"] = brief_facts(child)
            results[engine].append(child)
            say(f"  round {round_ + 1}/{runs} brief --engine {engine}: {child['wall_s']:.1f} s, "
                f"{child['maxrss_kib'] / 1024:.0f} MiB, exit {child['rc']}, other processes {child['other_cpu']:.0%}")
    return results


def brief_args(engine: str) -> list[str]:
    # The translator's own settings (beam 4) but outputs fixed at 40 tokens, as the
    # summariser's are at 84 (bench/fullsize.py): both engines then do the same work.
    translator = fixed_length_translator("translator-40-beam4", beams=4)
    return ["brief", str(SAMPLE.relative_to(REPO)), "--method", "abstractive",
            "--translator", str(translator.relative_to(REPO)), "--summariser", str(SUMMARISER.relative_to(REPO)),
            "--engine", engine, "-f", "json"]


def brief_facts(child: dict) -> dict:
    """What the brief produced (random weights: lengths only), or why it failed."""
    if child["rc"] != 0:
        return {"error": " | ".join(child["stderr"].strip().splitlines()[-3:])[:300]}
    try:
        data = json.loads(child["stdout"])
    except json.JSONDecodeError:
        return {"summary_words": "?", "english_chars": "?"}
    return {"summary_words": len((data["summary"]["ar"] or "").split()),
            "english_chars": len(data["title"]["en"] or "") + len(data["summary"]["en"] or ""),
            "engines": sorted({(m or {}).get("engine", "?") for m in data["models"].values()})}


# -- figures and report --------------------------------------------------------------
def ok_runs(runs: list[dict]) -> list[dict]:
    return [r for r in runs if "error" not in r]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def tokens_per_s(run: dict) -> float:
    return run["sentences"] * OUT_TOKENS / run["wall_s"]


def paired_ratios(a: list[dict], b: list[dict], figure) -> float | None:
    """Median over rounds of figure(a) / figure(b), each pair measured in the same round."""
    ratios = [figure(x) / figure(y) for x, y in zip(a, b) if "error" not in x and "error" not in y]
    return median(ratios)


def fmt(value: float | None, pattern: str = "{:.1f}") -> str:
    return "n/a" if value is None else pattern.format(value)


def mib(kib: float | None) -> str:
    return fmt(None if kib is None else kib / 1024, "{:.0f}")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def token_check(runs: list[dict]) -> str:
    counts = [n for r in ok_runs(runs) for n in r["tokens"]]
    if not counts:
        return "n/a"
    low, high = min(counts), max(counts)
    return f"{low}" if low == high else f"{low}–{high} (!)"


def source_tokens(texts: list[str]) -> float:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(TRANSLATOR / "source.spm"))
    return statistics.mean(len(processor.encode(t)) + 1 for t in texts)


def translation_tables(results: dict[str, list[dict]]) -> tuple[str, str, dict]:
    naive = results["naive"]
    rows, figures = [], {}
    for path in PATHS:
        runs = ok_runs(results[path.name])
        if not runs:
            error = results[path.name][0].get("error", "no run") if results[path.name] else "no run"
            rows.append([path.label, str(path.beam), *["—"] * 9, f"failed: {error}"])
            continue
        wall = median([r["wall_s"] for r in runs])
        sentences = runs[0]["sentences"]
        speedup = paired_ratios(results[path.name], naive, tokens_per_s)
        figures[path.name] = {"speedup": speedup}
        rows.append([
            path.label, str(path.beam), str(sentences), token_check(results[path.name]), fmt(wall),
            fmt(sentences / wall, "{:.2f}"), fmt(sentences * OUT_TOKENS / wall, "{:.0f}"),
            fmt(speedup, "{:.1f}×"), mib(median([r["maxrss_kib"] for r in runs])),
            fmt(median([r["load_s"] for r in runs])), busiest(results[path.name]), threads_of(runs[0]),
        ])
    throughput = table(["path", "beam", "sentences", "tokens/output", "wall s", "sentences/s", "tokens/s",
                        "× naive", "peak RSS MiB", "load s", "others' CPU", "threads"], rows)
    overhead_rows = []
    for beam in (4, 1):
        engine, raw = results[f"ct2-b{beam}"], results[f"raw-b{beam}"]
        overhead = paired_ratios(engine, raw, lambda r: r["wall_s"])
        overhead = None if overhead is None else (overhead - 1) * 100
        figures[f"overhead-b{beam}"] = overhead
        overhead_rows.append([str(beam), fmt(median([r["wall_s"] for r in ok_runs(engine)]), "{:.2f}"),
                              fmt(median([r["wall_s"] for r in ok_runs(raw)]), "{:.2f}"), fmt(overhead, "{:+.1f} %")])
    overheads = table(["beam", "ctranslate2 engine wall s", "raw translate_batch wall s", "engine overhead"],
                      overhead_rows)
    return throughput, overheads, figures


def busiest(runs: list[dict]) -> str:
    """The most CPU other processes took during any of these runs, flagged when it may have skewed them."""
    share = max((r.get("other_cpu", 0.0) for r in runs), default=0.0)
    return f"{share:.0%}" + (" (!)" if share > BUSY else "")


def threads_of(run: dict) -> str:
    threads = run["threads"]
    torch_threads = f"torch {threads['torch']}, " if "torch" in threads else ""
    return f"{torch_threads}{threads['os_threads']} OS"


def cold_table(cold: dict[str, list[dict]]) -> tuple[str, dict]:
    rows, figures = [], {}
    commands = {"help": "mujaz --help", "ctranslate2": "mujaz brief … --engine ctranslate2",
                "transformers": "mujaz brief … --engine transformers"}
    for key, runs in cold.items():
        good = [r for r in runs if r["rc"] == 0]
        walls = [r["wall_s"] for r in good]
        figures[key] = {"wall": median(walls), "rss": median([r["maxrss_kib"] for r in good])}
        failed = [r for r in runs if r["rc"] != 0]
        note = f"{len(failed)} failed: {failed[0].get('output', {}).get('error', '')}" if failed else ""
        if key != "help" and good:
            facts = good[0]["output"]
            note = note or f"summary {facts['summary_words']} words, English {facts['english_chars']} chars"
        rows.append([commands[key], str(len(good)), fmt(median(walls), "{:.2f}"),
                     f"{fmt(min(walls) if walls else None, '{:.2f}')}–{fmt(max(walls) if walls else None, '{:.2f}')}",
                     mib(figures[key]["rss"]), busiest(runs), note])
    ratio = paired_ratios([r if r["rc"] == 0 else {"error": 1} for r in cold["ctranslate2"]],
                          [r if r["rc"] == 0 else {"error": 1} for r in cold["transformers"]], lambda r: r["wall_s"])
    figures["ratio"] = ratio
    rows.append(["ratio ctranslate2 / transformers (wall)", "", fmt(ratio, "{:.2f}"), "", "", "", "paired by round"])
    return table(["command", "runs", "wall s (median)", "min–max", "peak RSS MiB", "others' CPU", "output"],
                 rows), figures


def goals_table(speed: dict, cold: dict) -> str:
    def verdict(value, good) -> str:
        return "not measured" if value is None else ("**met**" if good(value) else "**not met**")

    tf, ct = speed.get("tf-b4", {}).get("speedup"), speed.get("ct2-b4", {}).get("speedup")
    overhead, ratio = speed.get("overhead-b4"), cold["ratio"]
    rss, help_wall = cold["ctranslate2"]["rss"], cold["help"]["wall"]
    rows = [
        ["mujaz transformers ≥ 5× naive (beam 4)", fmt(tf, "{:.1f}×"), verdict(tf, lambda v: v >= 5)],
        ["mujaz ctranslate2 int8 ≥ 15× naive (beam 4)", fmt(ct, "{:.1f}×"), verdict(ct, lambda v: v >= 15)],
        ["mujaz ctranslate2 within 10% of raw translate_batch (beam 4)", fmt(overhead, "{:+.1f} %"),
         verdict(overhead, lambda v: v <= 10)],
        ["cold brief: ctranslate2 wall ≤ 1/4 of transformers", fmt(ratio, "{:.2f}"), verdict(ratio, lambda v: v <= 0.25)],
        ["cold brief ctranslate2: peak RSS ≤ 1 GiB", f"{mib(rss)} MiB", verdict(rss, lambda v: v <= GIB_KIB)],
        ["`mujaz --help` median ≤ 0.3 s", fmt(help_wall, "{:.2f} s"), verdict(help_wall, lambda v: v <= 0.3)],
    ]
    return table(["goal", "measured", "verdict"], rows)


def machine_facts() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    flags = set(next((line.split(":", 1)[1].split() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("flags")), []))
    # What int8 and float32 matrix products can use on this CPU.
    simd = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    translator_int8 = ct2_store("translator")
    thread_env = ", ".join(f"{k}={os.environ[k]}" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ)
    return [
        f"- CPUs: {os.cpu_count()} logical ({len(os.sched_getaffinity(0))} usable), {cpu};"
        f" {', '.join(simd) or 'no AVX2'}",
        f"- RAM: {memory / 1024 / 1024:.1f} GiB; load average at start: {os.getloadavg()[0]:.2f}",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- torch {installed('torch')}, transformers {installed('transformers')}, ctranslate2 {installed('ctranslate2')},"
        f" sentencepiece {installed('sentencepiece')}",
        f"- threads: library defaults ({thread_env or 'no OMP_NUM_THREADS/MKL_NUM_THREADS set'}); torch uses one "
        "intra-op thread per core, ctranslate2 gets intra_threads=0 (its default: one thread per core, at most 4);"
        " the `threads` column gives torch's intra-op threads and all threads of the worker process",
        f"- {ctranslate2_backend(translator_int8).describe() if translator_int8 else 'CTranslate2: no int8 translator'}",
        f"- models (bench/fullsize.py): translator {size(TRANSLATOR)} float32, {size(translator_int8)} int8;"
        f" summariser {size(SUMMARISER)} float32, {size(ct2_store('summariser'))} int8",
    ]


def size(folder: Path | None) -> str:
    if folder is None:
        return "n/a"
    return f"{sum(f.stat().st_size for f in folder.rglob('*') if f.is_file()) / 2**20:.0f} MiB"


def ct2_store(name: str) -> Path | None:
    """The int8 conversion of build/bench/models/NAME in the bench's MUJAZ_HOME."""
    os.environ["MUJAZ_HOME"] = str(HOME)
    from mujaz.models import ct2, hub

    return ct2.converted(hub.resolve(str(TRANSLATOR.parent / name))).get("int8")


def report(args, command: str, results, cold, elapsed: float, naive_sentences: int) -> tuple[str, str]:
    throughput, overheads, speed = translation_tables(results)
    cold_md, cold_figures = cold_table(cold)
    goals = goals_table(speed, cold_figures)
    full_input = translation_input(SENTENCES)
    rss_source = "GNU time's %M" if gnu_time() else "wait4's ru_maxrss, which starts from this script's own RSS"
    from mujaz.models import ct2
    from mujaz.models.seq2seq import target_pieces

    target_size = len(target_pieces(TRANSLATOR) or []) or "all"
    tables = "\n\n".join([
        f"### Translation throughput (full-size opus-mt-ar-en architecture, outputs fixed at {OUT_TOKENS} tokens)",
        throughput, "### ctranslate2 engine vs raw translate_batch", overheads,
        "### Cold start (fresh processes)", cold_md, "### Goals", goals,
    ])
    notes = f"""## How to read this

- Every figure is the median of {args.runs} fresh process(es) (`mujaz --help`: {HELP_RUNS}); paths ran round-robin.
  `× naive`, the engine overhead and the cold-brief ratio are medians of ratios paired within a round.
  Absolute seconds depend on what else the machine was doing; the ratios are the figures to compare.
- The models are full-size but random-weight (bench/fullsize.py): shapes, vocabularies (62834 and 250112),
  generation settings and real SentencePiece tokenizers trained on Arabic news, so compute per token is the
  real models'. The translation input is the sample article's 19 segments repeated to {SENTENCES}
  ({source_tokens(full_input):.1f} source tokens each on average); `naive` translates only the first
  {naive_sentences} of them ({source_tokens(full_input[:naive_sentences]):.1f} tokens on average) because it is
  slow, and its rate per sentence does not depend on how many it is given. It loads the model with
  AutoModelForSeq2SeqLM alone, as the old pipeline did: the whole {MARIAN_VOCAB}-id vocabulary, none of mujaz's
  engine (the transformers engine decodes in target.spm's ids alone, mujaz.models.hf.narrow_decoder).
- `others' CPU`: the most CPU time other processes used during any run of that row, as a share of all
  CPUs ((!) above {BUSY:.0%}). torch's threads wait on each other, so a busy core slows a torch path far
  more than its share (up to 10× in trials); rerun when a row is flagged.
- `tokens/output` is counted from each run's own output (generated tokens, no start token): every output of
  every path should be exactly {OUT_TOKENS}. tokens/s = sentences × {OUT_TOKENS} / wall. Load time (model
  files to a ready engine) and a one-sentence warm-up are outside the timed wall; peak RSS is the worker's
  whole life (ru_maxrss), load included.
- Engine overhead = ctranslate2 engine wall / raw translate_batch wall − 1 on the same {SENTENCES} sentences:
  what mujaz adds (fitting inputs to the limit, tokenising, detokenising) to CTranslate2 itself. It is
  small next to the run-to-run noise, so it can come out negative. The raw rows call `translate_batch` as
  the engine does: {ct2.cpu_workers()} one-thread workers (inter_threads, each taking a batch: mujaz.models.ct2.cpu_workers),
  batches of {ct2.BATCH_SENTENCES} and the output layer cut to target.spm's
  {target_size} pieces of {MARIAN_VOCAB} (a vocabulary map, see mujaz.models.seq2seq.target_pieces); the
  `plain` row calls it as most tools do (CTranslate2's default threads: one worker whose threads share
  each batch; batches of 32; the whole output layer), the issue's "CTranslate2 int8, translate_batch, batch 32".
- Cold brief: `mujaz brief {SAMPLE.relative_to(REPO)} --method abstractive --translator
  {(TRANSLATOR.parent / "translator-40-beam4").relative_to(REPO)} --summariser {SUMMARISER.relative_to(REPO)} --engine E -f json` with
  MUJAZ_HOME={HOME.relative_to(REPO)} and HF_HUB_OFFLINE=1; wall time and the child's peak RSS
  ({rss_source}).
  Model files were read once beforehand, so they come from the page cache, and one brief per engine ran
  before the timed rounds (not recorded). Random weights almost never end
  an output early, so both models' outputs are fixed: the summary at its full 83 tokens (min_length 84) and
  each translated segment (headline, summary sentences) at 40 tokens (a copy of the translator, weights
  linked, with min = max = 40 new tokens and its own beam 4: bench/fullsize.py fixed_length_translator).
  The summary still differs between engines (random weights; int8 against float32), so the translator is
  given different text of about the same length. The brief includes the summariser's windows over the
  article (mT5-base, beam 4), the imports and the models' load.
"""
    header = f"""# mujaz speed benchmark

Written by `bench/speed.py` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
in {elapsed / 60:.1f} minutes. Command:

    {command}

## Machine

{chr(10).join(machine_facts())}

## Results

"""
    return header + tables + "\n\n" + notes, tables


def ensure_models() -> None:
    from fullsize import SUMMARISER as S, TRANSLATOR as T

    if not ((T / "config.json").is_file() and (S / "config.json").is_file() and any(HOME.rglob("model.bin"))):
        say("building the full-size models first (bench/fullsize.py)")
        subprocess.run([sys.executable, str(Path(__file__).with_name("fullsize.py"))], check=True, cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"naive path on {NAIVE_SENTENCES_QUICK} sentences instead of {NAIVE_SENTENCES}")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per path (median); default 3")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md", help="the report (markdown)")
    parser.add_argument("--worker", choices=list(BY_NAME), help=argparse.SUPPRESS)
    parser.add_argument("--sentences", type=int, default=SENTENCES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.sentences)))
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    command = ".venv/bin/python bench/speed.py" + (" --quick" if args.quick else "") + f" --runs {args.runs}"
    if args.out != REPO / "bench" / "RESULTS.md":
        command += f" --out {args.out}"
    ensure_models()
    started = time.perf_counter()
    naive_sentences = NAIVE_SENTENCES_QUICK if args.quick else NAIVE_SENTENCES
    say(f"translation paths: {len(PATHS)} × {args.runs} fresh processes")
    results = measure_paths(args.runs, naive_sentences)
    say(f"cold start: mujaz --help × {HELP_RUNS}, brief on each engine × {args.runs}")
    cold = measure_cold(args.runs)
    markdown, tables = report(args, command, results, cold, time.perf_counter() - started, naive_sentences)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown, encoding="utf-8")
    print(tables)
    say(f"written {args.out} ({(time.perf_counter() - started) / 60:.1f} minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
