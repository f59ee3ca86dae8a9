"""The transformers (torch) engine.

transformers 5 has no summarization/translation pipelines any more; mujaz loads
AutoTokenizer + AutoModelForSeq2SeqLM itself and calls `generate` on batches
sorted by length, under torch.inference_mode.
"""

from __future__ import annotations

import functools
import pickle
import warnings
from pathlib import Path

from mujaz.errors import ModelUnavailable, UsageProblem, first_line
from mujaz.signals import import_uninterrupted
from mujaz.models.base import ModelRef
from mujaz.models.hub import DAMAGED_HINT
from mujaz.models.seq2seq import (DEFAULT_INPUT_LIMIT, MARIAN_TOKENIZER_FILES, Engine, GenerationSettings, Generated,
                                  arabic_output_rules, grouped_batches, target_pieces)

BATCH_SENTENCES = 32
# What a damaged or truncated weights file raises while loading (safetensors' own error,
# a torch pickle cut short), besides the usual OSError/ValueError family.
WEIGHT_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, KeyError, RuntimeError, ImportError,
                                                  AssertionError, EOFError, pickle.UnpicklingError)
try:
    from safetensors import SafetensorError

    WEIGHT_ERRORS += (SafetensorError,)
except ImportError:  # safetensors comes with transformers; without it, nothing of its to catch
    pass
BATCH_TOKENS = 6000  # padded tokens in one batch: bounds memory on long articles
SPECIAL_TOKEN_IDS = ("decoder_start_token_id", "pad_token_id", "eos_token_id", "bos_token_id")


def pick_device(name: str) -> str:
    import torch

    if name == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise UsageProblem("--device cuda: this torch build sees no CUDA device", hint="use --device cpu or auto")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UsageProblem("--device mps: no Apple GPU is available", hint="use --device cpu or auto")
    return name


# What a GPU torch could use leaves on Linux: NVIDIA's loaded driver and device files, AMD's
# (ROCm), WSL's.
GPU_TRACES = ("/proc/driver/nvidia", "/dev/nvidiactl", "/dev/nvidia0", "/dev/kfd", "/dev/dxg")


def no_gpu_here() -> bool:
    """Whether this machine has no GPU for torch, known without importing torch: Linux without any
    trace of one; elsewhere (macOS's MPS, Windows) torch is asked. For cache keys only (a cached
    batch run imported torch, 1.4 s and 260 MB, to name "auto"'s device): a model is placed by
    torch itself (pick_device), since a driver loaded on first use leaves no trace before it."""
    import os
    import sys

    return sys.platform.startswith("linux") and not any(os.path.exists(path) for path in GPU_TRACES)


def chosen_device(device: str, quantize: bool) -> str:
    """Where the transformers engine runs a model. Dynamic int8 runs on the CPU only: with
    --quantize, "auto" means the CPU even beside a GPU."""
    return pick_device("cpu" if quantize and device == "auto" else device)


def input_limit(tokenizer, config) -> int:
    limits = [DEFAULT_INPUT_LIMIT]
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and 0 < model_max < 100_000:
        limits.append(model_max)
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits)


class TransformersEngine(Engine):
    name = "transformers"

    def __init__(self, ref: ModelRef, tokenizer, model, device: str, limit: int, settings: GenerationSettings,
                 vocabulary: "TargetVocabulary | None" = None, quantization: str = "float32"):
        self.ref = ModelRef(id=ref.id, revision=ref.revision, path=ref.path, engine=self.name)
        self.tokenizer = tokenizer
        self.model = model
        self.device = device
        self.input_limit = limit
        self.settings = settings
        self.vocabulary = vocabulary  # set when the decoder runs on target.spm's pieces alone
        self.quantization = quantization  # "dynamic int8" after --quantize (load)
        self.special_tokens = frozenset(tokenizer.all_special_tokens)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def special_ids(self) -> dict:
        """Special token ids for `generate` when the decoder runs in narrow ids (TargetVocabulary);
        otherwise none: generate takes the model's own."""
        if self.vocabulary is None:
            return {}
        ids = {}
        for name in SPECIAL_TOKEN_IDS:
            value = getattr(self.model.generation_config, name, None)
            if value is None:
                value = getattr(self.model.config, name, None)
            ids[name] = self.vocabulary.narrow_id(value)
        return ids

    def generate_outputs(self, texts: list[str], settings: GenerationSettings | None = None) -> list[Generated]:
        import torch

        settings = settings or self.settings
        suppressed = list(settings.suppress_token_ids)
        if self.vocabulary is not None:
            suppressed = self.vocabulary.narrow_outputs(suppressed)
        arguments = {
            "num_beams": settings.beam_size,
            "max_new_tokens": settings.max_new_tokens,
            "min_new_tokens": settings.min_new_tokens,
            "no_repeat_ngram_size": settings.no_repeat_ngram_size,
            "length_penalty": settings.length_penalty,
            "bad_words_ids": [[i] for i in suppressed] or None,
            # Searched as CTranslate2 searches, so both engines write the same output: a beam
            # search ends once its best beams have ended (else, at the length cap, it may return
            # one the model never ended), and the scores are normalised after the bans (minimum
            # length, no-repeat n-grams, suppressed ids) as they are before CTranslate2's softmax.
            "early_stopping": True,
            "renormalize_logits": True,
            # CTranslate2 has no forced end token; leaving it out keeps the engines
            # alike (it only matters for an output cut at the maximum length).
            "forced_eos_token_id": None,
            "max_length": None,
            "min_length": None,
            **self.special_ids(),
        }
        arabic_mask = self.arabic_mask if settings.arabic_output else None
        outputs = [Generated("", ended=True)] * len(texts)
        ids = [self.tokenizer(t, add_special_tokens=True)["input_ids"] if t.strip() else [] for t in texts]
        keys = [arabic_mask.own_ids(i) if arabic_mask else None for i in ids]
        for batch in grouped_batches(keys, [len(i) for i in ids], BATCH_SENTENCES, BATCH_TOKENS):
            encoded = self.tokenizer.pad({"input_ids": [ids[i] for i in batch]}, return_tensors="pt")
            encoded = {k: v.to(self.device) for k, v in encoded.items()}
            if arabic_mask is not None:  # a batch's inputs share their own ids (grouped_batches)
                arguments["logits_processor"] = arabic_mask.processors(keys[batch[0]], self.device)
            with torch.inference_mode():
                generated = self.model.generate(**encoded, **arguments)
            if self.vocabulary is not None:
                generated = self.vocabulary.full_ids(generated)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            # Past the decoder's start token, an output the model ended holds its end token (then
            # padding); one the length cap stopped does not.
            ended = (generated[:, 1:] == self.tokenizer.eos_token_id).any(dim=1).tolist()
            for index, text, done in zip(batch, decoded, ended):
                outputs[index] = Generated(text.strip(), ended=done)
        return outputs

    @functools.cached_property
    def arabic_mask(self) -> "ArabicOutput | None":
        """The ids an Arabic output may hold, worked out on first use (a pass over the vocabulary)."""
        return ArabicOutput.of(self.tokenizer, self.model) if self.vocabulary is None else None


def output_pieces(tokenizer) -> list[str]:
    """Every piece the tokenizer knows, in id order."""
    return tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))


class ArabicOutput:
    """The ids an Arabic summary may write (seq2seq.arabic_output_rules), as a mask on
    the logits: the candidates CTranslate2's vocabulary map gives — its fixed ones
    (unknown, start, end and padding tokens), the always-allowed pieces, and those of
    the others that the input holds — with the scores normalised over them
    alone (renormalize_logits), as CTranslate2 does. Same output, none of the speed: the
    whole output layer is still computed.
    """

    def __init__(self, allowed, only_if_in_input: frozenset[int]):
        self.allowed = allowed  # bool per output id
        self.only_if_in_input = only_if_in_input

    @classmethod
    def of(cls, tokenizer, model) -> "ArabicOutput | None":
        import torch

        rules = arabic_output_rules(output_pieces(tokenizer))
        if rules is None:
            return None
        always, only_if_in_input = (tokenizer.convert_tokens_to_ids(pieces) for pieces in rules)
        fixed = [tokenizer.unk_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id,
                 model.config.decoder_start_token_id]
        size = model.config.vocab_size
        allowed = torch.zeros(size, dtype=torch.bool)
        allowed[always + [i for i in fixed if i is not None]] = True
        return cls(allowed, frozenset(only_if_in_input))

    def own_ids(self, input_ids: list[int]) -> frozenset[int]:
        """The input's ids that it alone makes candidates (the key for seq2seq.grouped_batches)."""
        return self.only_if_in_input.intersection(input_ids)

    def processors(self, own_ids: frozenset[int], device: str):
        """Logits processors for a batch of inputs with these own ids: log-probabilities over the allowed ids."""
        import torch
        from transformers import LogitsProcessor, LogitsProcessorList

        allowed = self.allowed.clone()
        allowed[list(own_ids)] = True
        mask = torch.where(allowed, 0.0, float("-inf")).to(device)

        class AllowedIds(LogitsProcessor):
            # The scores are normalised over the allowed ids by renormalize_logits, which
            # transformers runs last (generate_outputs), as CTranslate2 normalises over its map.
            def __call__(self, input_ids, scores):
                return scores + mask

        return LogitsProcessorList([AllowedIds()])


class TargetVocabulary:
    """Ids for a decoder that reads and writes target.spm's pieces alone.

    OPUS-MT's decoder shares its 62,834-entry vocabulary with the Arabic source side;
    about half of it can never be right in the English output (seq2seq.target_pieces).
    CTranslate2 leaves those rows out of the output layer with a vocabulary map, and
    its beam search then works on the kept ids alone. Here the decoder gets the same:
    an output layer of the kept rows and an input embedding of the kept rows (plus the
    start and padding tokens, which it reads but never writes), so generation runs in
    "narrow" ids 0..len(keep)-1. That halves not only the output matrix but every
    per-step pass over the scores (log-softmax, the logits processors, beam top-k),
    which at batch 32 x beam 4 weigh as much as the matrix. The scores of the kept ids
    are unchanged, so the output is the same as with the whole vocabulary minus the
    cut ids; `full_ids` maps what was generated back for the tokenizer.
    """

    def __init__(self, keep: list[int], inputs_only: list[int]):
        import torch

        self.outputs = len(keep)
        self.full = torch.tensor(keep + inputs_only, dtype=torch.long)
        self.narrow = {full: narrow for narrow, full in enumerate(self.full.tolist())}

    def narrow_id(self, full_id):
        if full_id is None:
            return None
        if isinstance(full_id, (list, tuple)):
            return [self.narrow[i] for i in full_id if i in self.narrow]
        return self.narrow.get(full_id)

    def narrow_outputs(self, full_ids: list[int]) -> list[int]:
        """The narrow ids of those of `full_ids` the decoder can write; the others it never can."""
        return [self.narrow[i] for i in full_ids if self.narrow.get(i, self.outputs) < self.outputs]

    def full_ids(self, narrow_ids):
        return self.full.to(narrow_ids.device)[narrow_ids]


def narrow_decoder(model, keep: list[int]) -> TargetVocabulary:
    """Make `model`'s decoder read and write the ids in `keep` alone (TargetVocabulary)."""
    import torch

    config = model.config
    kept = set(keep)
    inputs_only = sorted({i for i in (config.decoder_start_token_id, config.pad_token_id)
                          if i is not None and i not in kept})
    vocabulary = TargetVocabulary(keep, inputs_only)
    rows = vocabulary.full  # the full id of every narrow id
    kept_rows = rows[: len(keep)]  # those the decoder writes
    decoder, head = model.get_decoder(), model.get_output_embeddings()
    full_embedding = decoder.embed_tokens  # also the encoder's (Marian shares them): left as it is
    narrow_embedding = torch.nn.Embedding(len(rows), full_embedding.embedding_dim)
    narrow_head = torch.nn.Linear(head.in_features, len(keep), bias=head.bias is not None)
    with torch.no_grad():
        narrow_embedding.weight.copy_(full_embedding.weight[rows])
        if head.weight.data_ptr() == full_embedding.weight.data_ptr():
            # Tied, as in OPUS-MT: the head stays a view of the embedding's kept rows.
            narrow_head.weight = torch.nn.Parameter(narrow_embedding.weight[: len(keep)])
        else:
            narrow_head.weight.copy_(head.weight[kept_rows])
        if head.bias is not None:
            narrow_head.bias.copy_(head.bias[kept_rows])
    decoder.embed_tokens = narrow_embedding
    # A Linear of its own: --quantize (dynamic int8 on Linear layers) reaches it.
    model.set_output_embeddings(narrow_head)
    bias = getattr(model, "final_logits_bias", None)  # Marian adds it to the logits
    if isinstance(bias, torch.Tensor):
        model.final_logits_bias = bias[:, kept_rows].clone()
    # The config says what the decoder now writes: beam search in transformers up to 5.17 took
    # the width of the scores from config.vocab_size, not from the scores ("RuntimeError: shape
    # '[8, 251336]' is invalid" on every translation at beam 4). The config is this loaded
    # model's own copy; nothing saves it, and the tokenizer was checked against the full size.
    config.vocab_size = len(keep)
    return vocabulary


def _config_hint(message: str) -> str:
    """What to do about a config transformers would not read: downloading again mends only a damaged file."""
    if "does not recognize this architecture" in message:
        return "a newer transformers may know it (pip install -U transformers); or give another model"
    if "custom code" in message or "trust_remote_code" in message:
        return "mujaz never runs code shipped with a model: give one that transformers reads itself"
    return DAMAGED_HINT


def load_tokenizer(ref: ModelRef):
    """(tokenizer, config) of a seq2seq model, checked, without loading its weights.

    Refuses what is not an encoder-decoder model, or a tokenizer that does not fit
    the model's vocabulary; never runs code shipped with a model.
    """
    import_uninterrupted("torch", "transformers")
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    # transformers' own warnings and progress bars are for its developers: what a user needs to
    # know mujaz says itself, once, on its own stderr lines.
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    path = ref.path or ref.id
    try:
        config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    except Exception as error:  # noqa: BLE001 - strict config classes raise their own: {"d_model": "abc"}
        raise ModelUnavailable(f"model {ref.id}: cannot read its config: {first_line(error)}",
                               hint=_config_hint(str(error))) from error
    if not getattr(config, "is_encoder_decoder", False):
        raise ModelUnavailable(
            f"model {ref.id} is a {config.model_type} model, not an encoder-decoder (seq2seq) model",
            hint="give a summarisation or translation model",
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=False)
    except Exception as error:  # noqa: BLE001 - the tokenizers library raises a bare Exception for an empty file
        # Marian with no source.spm or vocab.json says "expected str, bytes or os.PathLike object, not
        # NoneType"; a cut spiece.model sends transformers to its last resort, whose message asks for
        # tiktoken. A Marian tokenizer's file missing is said by its name (T5's spiece.model may be
        # stood in for by a fast tokenizer's tokenizer.json).
        needed = MARIAN_TOKENIZER_FILES if config.model_type == "marian" else ()
        missing = [name for name in needed if not (Path(path) / name).is_file()]
        if missing:
            said = f"{' and '.join(missing)} missing"
        else:
            said = "its files could not be read" if "tiktoken" in str(error) else first_line(error)
        raise ModelUnavailable(f"model {ref.id}: cannot load its tokenizer: {said}",
                               hint="a tokenizer file may be missing or damaged; download the model again") from error
    # Checked before the weights load: a mismatch would only show later as
    # nonsense output or an index error deep in torch.
    if len(tokenizer) > config.vocab_size:
        raise ModelUnavailable(
            f"model {ref.id}: its tokenizer has {len(tokenizer)} tokens but the model only {config.vocab_size}",
            hint="the tokenizer files belong to another model",
        )
    # transformers builds a stand-in of a few special tokens when a SentencePiece file is
    # missing (spiece.model, source.spm): every word would be <unk> and the output empty.
    # Real tokenizers fill their model's vocabulary but for a little padding (mT5: 12 of 250,112).
    if len(tokenizer) < config.vocab_size // 2:
        raise ModelUnavailable(
            f"model {ref.id}: its tokenizer has {len(tokenizer)} tokens for a model of {config.vocab_size}",
            hint="a tokenizer file (e.g. its SentencePiece .model/.spm) is missing; download the model again",
        )
    return tokenizer, config


def unloadable_weights(ref: ModelRef, error: BaseException) -> ModelUnavailable:
    """What one of WEIGHT_ERRORS, raised while loading `ref`'s weights, means to a user."""
    return ModelUnavailable(f"model {ref.id}: cannot load its weights: {first_line(error)}",
                            hint="the weights file may be damaged or partly downloaded; download it again")


def refuse_incomplete(ref: ModelRef, loading: dict) -> None:
    """Refuse a model whose checkpoint lacks tensors, or has them in another shape.

    transformers fills those with random values and says so only in a log line; a model run so
    writes fluent nonsense. Tied and recomputed tensors are not listed. `loading` is
    from_pretrained's output_loading_info, asked with ignore_mismatched_sizes=True so that a
    shape does not raise and this can say which tensor.
    """
    absent = sorted(loading["missing_keys"]) + sorted(name for name, *_ in loading["mismatched_keys"])
    if absent:
        raise ModelUnavailable(f"model {ref.id}: its weights lack {len(absent)} of the model's tensors or have "
                               f"them in another shape ({absent[0]}, ...)",
                               hint="the weights are incomplete or belong to another model; download it again")


def load(ref: ModelRef, device: str = "auto", quantize: bool = False) -> TransformersEngine:
    """Load tokenizer and model from `ref.path`; never runs code shipped with a model."""
    import_uninterrupted("torch", "transformers")
    import torch
    from transformers import AutoModelForSeq2SeqLM, GenerationConfig

    # The device first: a machine without it is told so before gigabytes of weights load.
    chosen = chosen_device(device, quantize)
    if quantize and chosen != "cpu":
        raise UsageProblem(f"--quantize with --device {chosen}: dynamic int8 runs on the CPU only",
                           hint="use --device cpu or auto")
    tokenizer, config = load_tokenizer(ref)
    path = ref.path or ref.id
    try:
        # float32 whatever the checkpoint stores (transformers 5 keeps its dtype): the narrowed
        # output layer and dynamic int8 are float32, and a CPU gains nothing from float16.
        model, loading = AutoModelForSeq2SeqLM.from_pretrained(
            path, trust_remote_code=False, dtype=torch.float32, output_loading_info=True, ignore_mismatched_sizes=True
        )
    except WEIGHT_ERRORS as error:
        raise unloadable_weights(ref, error) from error
    except TypeError as error:
        # A config value of the wrong kind that a config class without strict checks let through
        # (transformers 5.0's: {"d_model": "abc"}): building the model's layers fails on it.
        raise ModelUnavailable(f"model {ref.id}: cannot build it from its config.json: {first_line(error)}",
                               hint="a value in config.json is of the wrong kind; download the model again") from error
    refuse_incomplete(ref, loading)
    model.eval()
    # generate() merges the model's generation_config.json under its arguments: a key mujaz does
    # not pass (do_sample, temperature, repetition_penalty, ...) would apply here and not on
    # CTranslate2, and sampling would put chance into the cache. Only the token ids stay.
    model.generation_config = GenerationConfig(**{name: getattr(model.generation_config, name, None)
                                                  for name in SPECIAL_TOKEN_IDS})
    writable = target_pieces(path)
    vocabulary = None
    if writable is not None:
        vocab = tokenizer.get_vocab()
        vocabulary = narrow_decoder(model, [vocab[token] for token in writable])
    if quantize:
        # Dynamic int8 on the Linear layers: the output projection (vocab x d_model)
        # dominates float32 decoding on a CPU, which is why it pays.
        with warnings.catch_warnings():
            # torch deprecates torch.ao.quantization in favour of torchao, a package of its own;
            # the warning is for torch's developers, not for a reader of mujaz's stderr.
            warnings.filterwarnings("ignore", category=UserWarning)
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    model.to(chosen)
    settings = GenerationSettings.from_model_files(path)
    return TransformersEngine(ref, tokenizer, model, chosen, input_limit(tokenizer, config), settings, vocabulary,
                              quantization="dynamic int8" if quantize else "float32")
