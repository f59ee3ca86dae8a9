"""The CTranslate2 engine: int8 inference on converted models, no torch at run time.

`convert` (run once, by `mujaz models convert`) needs transformers and torch;
`CTranslate2Engine` and everything after it import only ctranslate2 and
sentencepiece, so a brief on this engine starts in well under a second plus the
model's load.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, fields
from pathlib import Path

from mujaz.errors import ModelUnavailable, OutputFailed, UsageProblem, first_line
from mujaz.signals import import_uninterrupted
from mujaz.models.base import ModelRef
from mujaz.models.hub import T5_TYPES
from mujaz.models.seq2seq import (MARIAN_TOKENIZER_FILES, Engine, GenerationSettings, Generated, arabic_output_rules,
                                 arabic_piece, grouped_batches, target_pieces)

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "float32")
PREFERENCE = ("int8", "int8_float32", "int16", "float32", "int8_float16", "float16")
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "spiece.model", "tokenizer_config.json",
                   "special_tokens_map.json")
METADATA = "mujaz.json"
CHOICE = "in-use"  # beside a model's conversions: the quantization runs use (find)
# Bumped when a conversion made by an older mujaz lacks something the engine needs
# (2: the Arabic-output vocabulary map of one-tokenizer models); older ones are
# not used, and `mujaz models convert` makes them again.
FORMAT = 2
# Sentences per batch, a batch per worker (see cpu_workers). In trials with two
# one-thread workers on 2 cores, batches of 32 translated the benchmark's 200
# sentences faster than 16, 24 or 64, at beam 4 and greedy; 64 also held much
# more memory (two workers' beam buffers at once).
BATCH_SENTENCES = 32
BATCH_TOKENS = 3000  # padded source tokens per batch: 32 sentences of up to 93 tokens, 5 of 512
# On a CPU, one-thread workers that each take a batch beat one worker whose
# threads share a batch: decoding steps are small and bound by memory, and the
# threads spend them waiting on each other (bench/RESULTS.md, bench/SUMMARISER.md).
MAX_CPU_WORKERS = 4  # CTranslate2's own cap on the threads it starts by default
VOCABULARY_MAP = "vmap.txt"  # the name CTranslate2's converter gives the map in a model folder


def store() -> Path:
    """Where converted models live: $MUJAZ_HOME/ctranslate2, else the user data dir."""
    home = os.environ.get("MUJAZ_HOME")
    if home:
        return Path(home).expanduser() / "ctranslate2"
    import platformdirs

    return platformdirs.user_data_path("mujaz") / "ctranslate2"


# Files fingerprinted by size and time, not content: reading gigabytes of weights on every run
# would cost more than the run.
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".gguf")
CONTENT_HASHED_MAX_BYTES = 32 << 20


# A model folder's files that change nothing it writes: a model card, a licence, an editor's or a
# file manager's leavings. They do not count, so that a note beside a model does not orphan its
# conversion (the fingerprint names the store's folder for it).
_NOT_THE_MODEL = re.compile(r"^(\..*|readme.*|license.*|licence.*|notice.*|.*\.(md|png|jpe?g|gif|svg))$", re.I)


def _fingerprint(folder: Path) -> str:
    """A local directory has no revision: its files stand in for one. Every file the model may
    read counts, not a list of known ones: a tokenizer's added_tokens.json, a generation config,
    a vocabulary each change what the model writes. Configs and tokenizers by content; weights
    (one file, or a checkpoint's shards) and anything large by size and modification time."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or _NOT_THE_MODEL.match(path.name):
            continue
        stat = path.stat()
        if path.suffix in WEIGHT_SUFFIXES or stat.st_size > CONTENT_HASHED_MAX_BYTES:
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        else:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def key(ref: ModelRef) -> Path:
    """The store's folder for a model: by hub id and revision, or by a local directory's path and content."""
    if ref.revision is None:
        folder = Path(ref.path or ref.id).resolve()
        name = "local--" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
        return Path(name) / _fingerprint(folder)
    from mujaz.models import hub

    revision = hub.pinned_revision(ref)
    if not hub.COMMIT.fullmatch(revision):
        # A branch whose copy left the hub's cache (its commit unknown here): the commit converted
        # last. Else its conversion, which needs no copy, was lost with it ("convert it again").
        revision = _last_converted_commit(ref.id) or revision
    return Path(ref.id.replace("/", "--")) / revision


def _last_converted_commit(model_id: str) -> str | None:
    """The commit of the model's last conversion in the store, or None."""
    from mujaz.models import hub

    commits = store() / model_id.replace("/", "--")
    converted_ones = [folder for folder in (commits.iterdir() if commits.is_dir() else [])
                      if hub.COMMIT.fullmatch(folder.name) and any(map(_is_complete, folder.glob("*/")))]
    return max(converted_ones, key=lambda folder: folder.stat().st_mtime).name if converted_ones else None


def converted(ref: ModelRef) -> dict[str, Path]:
    """Quantization -> folder, for every complete conversion of this model in the store."""
    base = store() / key(ref)
    found = {}
    for quantization in PREFERENCE:
        folder = base / quantization
        if _is_complete(folder):
            found[quantization] = folder
    return found


def _is_complete(folder: Path) -> bool:
    """A conversion runs can use: its weights written, by a mujaz of this FORMAT."""
    return (folder / "model.bin").is_file() and _metadata(folder).get("format") == FORMAT


def _metadata(folder: Path) -> dict:
    try:
        return json.loads((folder / METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def model_type(folder: Path, ref: ModelRef) -> str | None:
    """The architecture ("marian", "mt5") a conversion was made from, as it records it; for one made
    before it did, "marian" when its output is cut to a target tokenizer (Marian's alone has one),
    else as the model's own config says when a copy is here (None when none is)."""
    from mujaz.models import hub

    metadata = _metadata(folder)
    if metadata.get("model_type"):
        return metadata["model_type"]
    if metadata.get("output_map") == "target":
        return "marian"
    source = hub.cached_path(ref)
    return hub.model_type_of(ModelRef(id=ref.id, path=str(source))) if source else None


def output_layer_cut(folder: Path) -> str | None:
    """What the conversion's vocabulary map leaves of the output layer, in words; None without a map."""
    metadata = _metadata(folder)
    kept, kind = metadata.get("output_vocabulary"), metadata.get("output_map")
    if not kind:
        return None
    of = f"{kept:,} of {len(_vocabulary(folder)):,} pieces"
    if kind == "target":
        return f"output layer cut to the target tokenizer's {of}"
    return f"Arabic summaries: output layer cut to {of} (Arabic script, digits, punctuation), plus the input's own others"


def check_device(device: str) -> None:
    """Refuse a --device CTranslate2 cannot run on here."""
    if not runs_on(device):
        raise UsageProblem(f"--device {device}: CTranslate2 runs on the CPU, or on a CUDA device it sees",
                           hint="use --device cpu or auto, or --engine transformers")
    if device == "cuda" and (why := cuda_unusable()):
        raise UsageProblem(f"--device cuda: CTranslate2 sees a GPU but cannot compute on it ({why})", hint=cublas_hint())


def running_device(device: str) -> str:
    """Where CTranslate2 runs for a --device: "cuda" or "cpu" ("auto": a CUDA device when it sees one
    and can compute on it)."""
    check_device(device)
    if device == "auto":
        return "cuda" if sees_a_gpu() and not cuda_unusable() else "cpu"
    return device


def sees_a_gpu() -> bool:
    import ctranslate2

    return ctranslate2.get_cuda_device_count() > 0


# The cuBLAS a CTranslate2 wheel loads, by name, when it first computes on a GPU: after the model has
# loaded, so a machine with NVIDIA's driver and another CUDA (13), or none, failed on its first
# sentence ("Library libcublas.so.12 is not found or cannot be loaded", as CTranslate2's own issues
# show for 3.x and 4.x). By CTranslate2's major version: 4.x is built on CUDA 12, 3.x on CUDA 11.
CUBLAS_BY_CTRANSLATE2_MAJOR = {4: "12", 3: "11"}


def cublas_hint() -> str:
    major = _cuda_major()
    library = (f"CUDA {major}'s cuBLAS (pip install nvidia-cublas-cu{major}, which mujaz finds)" if major
               else "the CUDA libraries this CTranslate2 was built for")
    return f"install {library}, or use --engine transformers (torch's own CUDA) or --device cpu"


def _cuda_major() -> str | None:
    """The CUDA major version this CTranslate2's build needs (None: a version this table lacks)."""
    import ctranslate2

    return CUBLAS_BY_CTRANSLATE2_MAJOR.get(int(ctranslate2.__version__.split(".")[0]))


def cuda_unusable() -> str | None:
    """Why CTranslate2 cannot compute on the GPU it sees, or None (also when it sees none, or where
    this cannot be told: not Linux, a CTranslate2 of an unknown major): its cuBLAS cannot be loaded.
    Where the system's libraries lack it, pip's NVIDIA package of it (nvidia-cublas-cu12, which a
    CUDA build of torch brings) is loaded, so that CTranslate2 finds it loaded by its name."""
    import sys

    if not sys.platform.startswith("linux") or not sees_a_gpu():
        return None
    return _cublas_unloadable()


@functools.cache
def _cublas_unloadable() -> str | None:
    major = _cuda_major()
    if major is None:
        return None
    name = f"libcublas.so.{major}"
    try:
        _load_library(name)
        return None
    except OSError:
        pass
    for folder in _pip_cublas_folders():
        try:
            _load_library(str(folder / f"libcublasLt.so.{major}"))  # what libcublas needs, from the same package
            _load_library(str(folder / name))
            return None
        except OSError:
            continue
    return f"{name} cannot be loaded"


def _load_library(name: str) -> None:
    import ctypes

    ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)


def _pip_cublas_folders() -> list[Path]:
    """Where pip's nvidia-cublas-cuNN packages put their libraries, on this Python's path."""
    import sys

    return [Path(entry) / "nvidia" / "cublas" / "lib" for entry in sys.path
            if entry and (Path(entry) / "nvidia" / "cublas" / "lib").is_dir()]


def compute_type(quantization: str, device: str) -> str:
    """How a conversion computes on `device` ("cpu" or "cuda"): "default", as it was converted, but
    for half floats or int16 on a CPU that lacks them: half floats run as float32 (float16 as float32,
    int8_float16 as int8_float32), int16 as int8_float32 (else float32). CTranslate2 falls back so too,
    but logs a warning of its own on every run (a review: int16's, on this machine's CPU). Other
    fallbacks (int16 on a GPU) are CTranslate2's own, by its rules."""
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types(device)
    if device != "cpu" or quantization in supported:
        return "default"
    if quantization == "int16":
        fallbacks = ("int8_float32", "float32")
    elif quantization.endswith("float16"):
        fallbacks = (quantization.removesuffix("float16") + "float32",)  # "float32" or "int8_float32"
    else:
        return "default"
    return next((compute for compute in fallbacks if compute in supported), "default")


def runs_on(device: str) -> bool:
    """Whether CTranslate2 can run on a --device ("auto" always can: without CUDA it takes the CPU)."""
    if device == "mps":
        return False
    if device == "cuda":
        return sees_a_gpu()
    return True


def find(ref: ModelRef, found: dict[str, Path] | None = None) -> Path | None:
    """The conversion of `ref` that runs use, or None: the one `mujaz models convert` named last
    (a float32 conversion made to compare with int8 is then the one measured), else the first
    in PREFERENCE. `found`: its conversions (converted), when the caller has them already."""
    found = converted(ref) if found is None else found
    return found.get(_chosen(ref)) or next(iter(found.values()), None)


def _chosen(ref: ModelRef) -> str | None:
    try:
        return (store() / key(ref) / CHOICE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def choose(ref: ModelRef, quantization: str) -> None:
    """Make a conversion the one runs use (find), in a file of its own written whole or not at all."""
    if _chosen(ref) == quantization:
        return  # as it is: nothing to write (a store one may only read says so already)
    base = store() / key(ref)
    staged = base / f".{CHOICE}.{os.getpid()}"
    try:
        try:
            staged.write_text(quantization + "\n", encoding="utf-8")
            os.replace(staged, base / CHOICE)
        finally:
            staged.unlink(missing_ok=True)
    except OSError as error:  # a read-only store: the conversion is there, but not chosen
        raise OutputFailed(f"cannot record in {base} that runs use the {quantization} conversion: "
                           f"{error.strerror or error}", hint=f"make {base} writable; until then runs use "
                                                             f"the {find(ref).name} conversion") from error


def quantization_named(name: str) -> str:
    """The quantization `name` asks for, typed in any case as every choice may be; UsageProblem for
    one CTranslate2 does not have."""
    if name.lower() not in QUANTIZATIONS:
        raise UsageProblem(f"--quantization {name}: choose one of {', '.join(QUANTIZATIONS)}")
    return name.lower()


def convert(ref: ModelRef, quantization: str = "int8", force: bool = False) -> Path:
    """Convert the model at `ref.path` with CTranslate2's converter into the store."""
    quantization = quantization_named(quantization)
    source = Path(ref.path or ref.id)
    tokenizer_files = [name for name in TOKENIZER_FILES if (source / name).is_file()]
    if not (set(MARIAN_TOKENIZER_FILES) <= set(tokenizer_files) or "spiece.model" in tokenizer_files):
        raise ModelUnavailable(
            f"model {ref.id}: the ctranslate2 engine needs a SentencePiece tokenizer "
            "(Marian: source.spm, target.spm, vocab.json; T5/mT5: spiece.model)",
            hint="run it on the transformers engine (--engine transformers), which reads other tokenizers",
        )
    target = store() / key(ref) / quantization
    if quantization in converted(ref) and not force:
        return target
    try:
        import_uninterrupted("ctranslate2", "ctranslate2.converters")  # the converters import torch and transformers
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError as error:
        raise ModelUnavailable("the ctranslate2 engine is not installed", hint="pip install ctranslate2") from error
    from mujaz.models import hf

    # Facts the engine needs at run time, read here with the model's own tokenizer
    # and config (not its weights: the converter loads those) so that the
    # run-time path never imports transformers.
    tokenizer, config = hf.load_tokenizer(ref)
    settings = GenerationSettings.from_model_files(source)
    metadata = {
        "format": FORMAT,
        "id": ref.id,
        "revision": ref.revision,
        "quantization": quantization,
        "ctranslate2": ctranslate2.__version__,
        "input_limit": hf.input_limit(tokenizer, config),
        "model_type": config.model_type,  # the check of its role (a Marian translator is no summariser)
        "settings": asdict(settings),
        "tokens": {
            "eos": tokenizer.eos_token,
            "special": sorted(set(tokenizer.all_special_tokens)),
            "suppress": [tokenizer.convert_ids_to_tokens(i) for i in settings.suppress_token_ids],
        },
    }
    rules, metadata["output_map"], metadata["output_vocabulary"] = _vocabulary_rules(source, tokenizer)
    with _writing_into(store()):
        target.parent.mkdir(parents=True, exist_ok=True)
    with _writing_into(store()), tempfile.TemporaryDirectory(dir=target.parent) as work:
        staging = Path(work) / "model"
        vocabulary_map = None
        if rules:
            vocabulary_map = Path(work) / VOCABULARY_MAP
            vocabulary_map.write_text("\n".join(rules) + "\n", encoding="utf-8")
        try:
            _converter_class(TransformersConverter, ref)(str(source), copy_files=tokenizer_files).convert(
                str(staging), vmap=str(vocabulary_map) if vocabulary_map else None, quantization=quantization, force=True
            )
        except ModelUnavailable:
            raise  # the weights, refused while loading (_converter_class)
        except hf.WEIGHT_ERRORS + (NotImplementedError,) as error:
            if isinstance(error, OSError) and (error.errno in _FULL_OR_READ_ONLY or str(error.filename).startswith(work)):
                raise  # writing the conversion failed, not reading the model: _writing_into says so
            raise ModelUnavailable(f"model {ref.id}: CTranslate2 cannot convert it: {first_line(error)}") from error
        # CTranslate2's Marian converter drops <pad> (the last id) from the
        # vocabulary, so it can never be generated there: nothing to suppress.
        vocabulary = set(_vocabulary(staging))
        metadata["tokens"]["suppress"] = [t for t in metadata["tokens"]["suppress"] if t in vocabulary]
        (staging / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
        if not force and quantization in converted(ref):
            return target  # another mujaz process converted it meanwhile: its copy stays, in use or not
        if target.exists():  # forced, or made by an older mujaz (FORMAT)
            # Out of the way in one rename, and deleted with the work folder: a process that
            # is reading it keeps its open files, and no one meets a half-deleted folder.
            try:
                target.rename(Path(work) / "replaced")
            except OSError:
                pass  # another process moved it first
        try:
            staging.rename(target)  # whole or not at all
        except OSError:
            # Another mujaz process put its conversion there meanwhile: keep its copy.
            if not (target / "model.bin").is_file():
                raise
    return target


def _vocabulary_rules(source: Path, tokenizer) -> tuple[list[str], str | None, int | None]:
    """The conversion's vocabulary map as CTranslate2 reads it: its rules, what it keeps the output
    to ("target", "arabic" or None) and how many pieces every output may use.

    A rule with an empty source side lists the pieces that are candidates for every input; a rule
    "piece<TAB>piece" makes a piece a candidate when the input has it. "target": a Marian model's
    output is always cut to target.spm's pieces. "arabic": a many-language vocabulary (mT5) is cut
    to what an Arabic text may hold, when the summariser asks for it (arabic_output_rules).
    """
    from mujaz.models import hf

    writable = target_pieces(source)
    if writable:
        return ["\t" + " ".join(writable)], "target", len(writable)
    arabic = arabic_output_rules(hf.output_pieces(tokenizer))
    if arabic:
        always, only_if_in_input = arabic
        return ["\t" + " ".join(always)] + [f"{piece}\t{piece}" for piece in only_if_in_input], "arabic", len(always)
    return [], None, None


# What writing meets, not reading: a full disk, a file past the size limit, a quota, a read-only disk.
_FULL_OR_READ_ONLY = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}


@contextlib.contextmanager
def _writing_into(folder: Path):
    """A store that cannot be written (read-only, a MUJAZ_HOME that is a file): said in one line
    with what to do; it was an OSError, reported as a bug. The model's own files are read inside
    the converter, whose errors are the model's (ModelUnavailable)."""
    try:
        yield
    except OSError as error:
        raise OutputFailed(f"cannot write a conversion into {folder}: {error.strerror or error}",
                           hint="set MUJAZ_HOME to a folder mujaz may write") from error


def _converter_class(base, ref: ModelRef):
    from mujaz.models import hf

    class Converter(base):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            # The weights are checked as the transformers engine checks them (hf.load): a
            # damaged file or a missing tensor would otherwise convert into a model of
            # random values, or fail with a library's error.
            try:
                model, loading = super().load_model(model_class, model_name_or_path, output_loading_info=True,
                                                    ignore_mismatched_sizes=True, **kwargs)
            except hf.WEIGHT_ERRORS as error:
                raise hf.unloadable_weights(ref, error) from error
            hf.refuse_incomplete(ref, loading)
            config = model.config
            if config.model_type in T5_TYPES:
                # transformers 5 forces tie_word_embeddings=True on T5-family configs
                # and keeps the flag's old meaning — scale the decoder's output by
                # d_model^-0.5 — in scale_decoder_outputs (T5 only; mT5 never scales).
                # CTranslate2 4.x still reads the old flag, so give it the old meaning.
                config.tie_word_embeddings = bool(getattr(config, "scale_decoder_outputs", False))
            return model

    return Converter


def _vocabulary(folder: Path) -> list[str]:
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        if (folder / name).is_file():
            return json.loads((folder / name).read_text(encoding="utf-8"))
    return []


def cpu_workers() -> int:
    """One-thread CTranslate2 workers on a CPU: $OMP_NUM_THREADS when set (Ray sets it
    to each actor's CPUs; as torch, it is taken as given, and is how a container's CPU quota,
    which the affinity below does not show, is told), else the CPUs this process may use, at
    most MAX_CPU_WORKERS."""
    configured = os.environ.get("OMP_NUM_THREADS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, MAX_CPU_WORKERS))


def spread(batches: list[list[int]], workers: int) -> list[list[int]]:
    """Halve the largest batches until every worker has one: a brief's headline and
    summary sentences, one batch by length, then decode side by side."""
    batches = list(batches)
    while 0 < len(batches) < workers:
        largest = max(range(len(batches)), key=lambda i: len(batches[i]))
        if len(batches[largest]) < 2:
            break
        batch = batches.pop(largest)
        half = (len(batch) + 1) // 2
        batches[largest:largest] = [batch[:half], batch[half:]]
    return batches


def _failed_on_the_gpu(ref: ModelRef, error: RuntimeError) -> ModelUnavailable:
    """CUDA's failure under CTranslate2 (a library it could not load, the GPU's memory run out),
    in its own words: it was the last resort's "RuntimeError: ..." with nothing to do about it."""
    wants_cublas = "cublas" in str(error).lower()
    return ModelUnavailable(f"model {ref.id}: CTranslate2 failed on the GPU ({first_line(error)})",
                            hint=cublas_hint() if wants_cublas else "use --device cpu, or --engine transformers")


def _stored_settings(metadata: dict) -> GenerationSettings:
    """The generation settings a conversion stored. Keys another mujaz version wrote and this one
    does not know are left aside; a conversion made before max_positions was stored gets its
    input limit (the position table, where the model has one) in its place — not a T5's, which has
    no table (its summaries were cut to 64 tokens on CTranslate2, 510 on transformers: a review)."""
    known = {f.name for f in fields(GenerationSettings)}
    stored = {k: v for k, v in metadata["settings"].items() if k in known}
    stored["suppress_token_ids"] = tuple(stored.get("suppress_token_ids", ()))
    if "max_positions" not in stored and metadata.get("model_type") not in T5_TYPES:
        stored["max_positions"] = int(metadata["input_limit"])
        stored["max_new_tokens"] = min(int(stored.get("max_new_tokens", 256)), stored["max_positions"])
    return GenerationSettings(**stored)


def _mapped_pieces(folder: Path) -> int | None:
    """How many pieces the vocabulary map keeps for every input (its first line, after a tab); None without one."""
    try:
        with (folder / VOCABULARY_MAP).open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    return len(first.rstrip("\n").split("\t", 1)[1].split(" ")) if first.startswith("\t") else None


def _sentencepiece_models(folder: Path):
    """(source, target) SentencePiece processors: Marian's two models, or mT5's one for both sides."""
    import sentencepiece

    if (folder / "source.spm").is_file():
        return (sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm")),
                sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm")))
    shared = sentencepiece.SentencePieceProcessor(model_file=str(folder / "spiece.model"))
    return shared, shared


class CTranslate2Engine(Engine):
    name = "ctranslate2"

    def __init__(self, folder: Path, ref: ModelRef, device: str = "auto"):
        self.where = "cpu"  # the device it runs on, once _load has chosen
        try:
            self._load(folder, ref, device)
        except RuntimeError as error:
            if self.where != "cuda":
                raise self._damaged(folder, ref, error) from error
            raise _failed_on_the_gpu(ref, error) from error
        except (OSError, ValueError, KeyError) as error:
            raise self._damaged(folder, ref, error) from error

    @staticmethod
    def _damaged(folder: Path, ref: ModelRef, error: Exception) -> ModelUnavailable:
        # A conversion damaged on disk (a cut model.bin, a lost tokenizer file): CTranslate2
        # and SentencePiece say so with their own exceptions.
        return ModelUnavailable(f"model {ref.id}: its CTranslate2 conversion {folder} cannot be loaded "
                                f"({first_line(error)})",
                                hint=f"run `mujaz models convert {ref.id} --force`, or use --engine transformers")

    def _load(self, folder: Path, ref: ModelRef, device: str) -> None:
        import_uninterrupted("ctranslate2")
        import ctranslate2

        metadata = json.loads((folder / METADATA).read_text(encoding="utf-8"))
        self.ref = ModelRef(id=ref.id, revision=ref.revision, path=str(folder), engine=self.name)
        where = self.where = running_device(device)  # a device it cannot run on refused (check_device)
        compute = compute_type(metadata["quantization"], where)
        self.quantization = metadata["quantization"] + ("" if compute == "default" else f", run as {compute}")
        self.input_limit = int(metadata["input_limit"])
        self.settings = _stored_settings(metadata)
        self.eos = metadata["tokens"]["eos"]
        self.special_tokens = frozenset(metadata["tokens"]["special"])
        self.suppress = [[token] for token in metadata["tokens"]["suppress"]]
        # The output layer cut by the conversion's vocabulary map (see convert).
        self.output_map = metadata.get("output_map")
        if self.output_map and _mapped_pieces(folder) != metadata.get("output_vocabulary"):
            # CTranslate2 reads any map it is given: a cut or edited one would make it write nonsense.
            raise ValueError(f"its vocabulary map {VOCABULARY_MAP} is missing or damaged")
        # Reading the SentencePiece models and CTranslate2's reading of the weights
        # both run outside the GIL: side by side, a cold load takes about the longer
        # of the two rather than their sum (mT5's 250,000-piece model is slow to read).
        with ThreadPoolExecutor(max_workers=1) as pool:
            tokenizers = pool.submit(_sentencepiece_models, folder)
            if where == "cpu":
                self.workers = cpu_workers()
                self.translator = ctranslate2.Translator(str(folder), device="cpu", compute_type=compute,
                                                         inter_threads=self.workers, intra_threads=1)
            else:
                self.workers = 1
                self.translator = ctranslate2.Translator(str(folder), device="cuda", compute_type=compute)
            self.source, self.target = tokenizers.result()

    def tokens(self, text: str) -> list[str]:
        return self.source.encode(text, out_type=str) + [self.eos]

    def count_tokens(self, text: str) -> int:
        return len(self.tokens(text))

    def generate_outputs(self, texts: list[str], settings: GenerationSettings | None = None) -> list[Generated]:
        settings = settings or self.settings
        tokens = [self.tokens(text) if text.strip() else [] for text in texts]
        outputs = [Generated("", ended=True)] * len(texts)
        # Batches sorted by length and bounded in padded tokens as well as in
        # sentences: many long sentences at once would hold attention buffers of
        # sentences x length^2 (CTranslate2 keeps what it allocated, per worker).
        # All are queued at once, so each worker takes the next batch as it is free.
        arabic_output = self.output_map == "arabic" and settings.arabic_output
        # Under the Arabic-output map an input's own non-Arabic pieces are candidates: see grouped_batches.
        keys = [frozenset(t for t in pieces if not arabic_piece(t)) if arabic_output else None for pieces in tokens]
        batches = spread(grouped_batches(keys, [len(t) for t in tokens], BATCH_SENTENCES, BATCH_TOKENS), self.workers)
        queued = [
            (batch, self.translator.translate_batch(
                [tokens[i] for i in batch],
                max_batch_size=0,  # the batch as given
                asynchronous=True,
                beam_size=settings.beam_size,
                max_decoding_length=settings.max_new_tokens,
                min_decoding_length=settings.min_new_tokens,
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                length_penalty=settings.length_penalty,
                suppress_sequences=self.suppress or None,
                use_vmap=self.output_map == "target" or arabic_output,
                max_input_length=0,  # inputs are already fitted to the limit; never truncate here
                return_end_token=True,  # kept when the model wrote it: the output was not cut by the cap
            ))
            for batch in batches
        ]
        for batch, results in queued:
            for index, result in zip(batch, results):
                try:
                    hypothesis = result.result().hypotheses[0]
                except RuntimeError as error:
                    if self.where != "cuda":
                        raise
                    raise _failed_on_the_gpu(self.ref, error) from error
                pieces = [token for token in hypothesis if token not in self.special_tokens]
                outputs[index] = Generated(self.target.decode(pieces).strip(), ended=hypothesis[-1:] == [self.eos])
        return outputs
