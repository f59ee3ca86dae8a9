"""The transformers (torch) engine.

transformers 5 has no summarization/translation pipelines any more; mujaz loads
AutoTokenizer + AutoModelForSeq2SeqLM itself and calls `generate` on batches
sorted by length, under torch.inference_mode.
"""

from __future__ import annotations

from mujaz.errors import ModelUnavailable
from mujaz.models.base import ModelRef
from mujaz.models.seq2seq import DEFAULT_INPUT_LIMIT, Engine, GenerationSettings, sorted_batches, target_pieces

BATCH_SENTENCES = 32
BATCH_TOKENS = 6000  # padded tokens in one batch: bounds memory on long articles


def pick_device(name: str) -> str:
    import torch

    if name == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailable("--device cuda: this torch build sees no CUDA device", hint="use --device cpu or auto")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelUnavailable("--device mps: no Apple GPU is available", hint="use --device cpu or auto")
    return name


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

    def __init__(self, ref: ModelRef, tokenizer, model, device: str, limit: int, settings: GenerationSettings):
        self.ref = ModelRef(id=ref.id, revision=ref.revision, path=ref.path, engine=self.name)
        self.tokenizer = tokenizer
        self.model = model
        self.device = device
        self.input_limit = limit
        self.settings = settings

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def generate(self, texts: list[str], settings: GenerationSettings | None = None) -> list[str]:
        import torch

        settings = settings or self.settings
        arguments = {
            "num_beams": settings.beam_size,
            "max_new_tokens": settings.max_new_tokens,
            "min_new_tokens": settings.min_new_tokens,
            "no_repeat_ngram_size": settings.no_repeat_ngram_size,
            "length_penalty": settings.length_penalty,
            "bad_words_ids": [[i] for i in settings.suppress_token_ids] or None,
            # CTranslate2 has no forced end token; leaving it out keeps the engines
            # alike (it only matters for an output cut at the maximum length).
            "forced_eos_token_id": None,
            "max_length": None,
            "min_length": None,
        }
        outputs: list[str] = [""] * len(texts)
        lengths = [self.count_tokens(t) if t.strip() else 0 for t in texts]
        for batch in sorted_batches(lengths, BATCH_SENTENCES, BATCH_TOKENS):
            encoded = self.tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True)
            encoded = {k: v.to(self.device) for k, v in encoded.items()}
            with torch.inference_mode():
                generated = self.model.generate(**encoded, **arguments)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text in zip(batch, decoded):
                outputs[index] = text.strip()
        return outputs


def cut_output_layer(model, keep: list[int]) -> None:
    """Give `model` an output projection for the ids in `keep` alone (the pieces its
    target tokenizer can write, seq2seq.target_pieces); every other id scores -inf
    without being computed.

    The same cut as CTranslate2's vocabulary map, so the engines stay alike: the
    softmax spreads over the kept ids alone, and the largest matrix multiplied at
    each decoding step loses the rows of the source-only pieces.
    """
    import torch

    class KeptRowsHead(torch.nn.Module):
        def __init__(self, head: torch.nn.Linear):
            super().__init__()
            self.register_buffer("index", torch.tensor(keep, dtype=torch.long), persistent=False)
            # A Linear of its own: --quantize (dynamic int8 on Linear layers) reaches it.
            self.kept = torch.nn.Linear(head.in_features, len(keep), bias=head.bias is not None)
            with torch.no_grad():
                self.kept.weight.copy_(head.weight[self.index])
                if head.bias is not None:
                    self.kept.bias.copy_(head.bias[self.index])
            self.out_features = head.out_features

        def forward(self, hidden):
            logits = hidden.new_full((*hidden.shape[:-1], self.out_features), float("-inf"))
            logits[..., self.index] = self.kept(hidden)
            return logits

    model.set_output_embeddings(KeptRowsHead(model.get_output_embeddings()))


def load_tokenizer(ref: ModelRef, quiet: bool = True):
    """(tokenizer, config) of a seq2seq model, checked, without loading its weights.

    Refuses what is not an encoder-decoder model, or a tokenizer that does not fit
    the model's vocabulary; never runs code shipped with a model.
    """
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    if quiet:
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    path = ref.path or ref.id
    try:
        config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    except (OSError, ValueError, KeyError) as error:
        raise ModelUnavailable(f"model {ref.id}: cannot read its config: {_first_line(error)}") from error
    if not getattr(config, "is_encoder_decoder", False):
        raise ModelUnavailable(
            f"model {ref.id} is a {config.model_type} model, not an encoder-decoder (seq2seq) model",
            hint="give a summarisation or translation model",
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=False)
    except (OSError, ValueError, KeyError, RuntimeError, ImportError, TypeError) as error:
        raise ModelUnavailable(f"model {ref.id}: cannot load its tokenizer: {_first_line(error)}") from error
    # Checked before the weights load: a mismatch would only show later as
    # nonsense output or an index error deep in torch.
    if len(tokenizer) > config.vocab_size:
        raise ModelUnavailable(
            f"model {ref.id}: its tokenizer has {len(tokenizer)} tokens but the model only {config.vocab_size}",
            hint="the tokenizer files belong to another model",
        )
    return tokenizer, config


def load(ref: ModelRef, device: str = "auto", quantize: bool = False, quiet: bool = True) -> TransformersEngine:
    """Load tokenizer and model from `ref.path`; never runs code shipped with a model."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    tokenizer, config = load_tokenizer(ref, quiet=quiet)
    path = ref.path or ref.id
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(path, trust_remote_code=False)
    except (OSError, ValueError, KeyError, RuntimeError, ImportError, AssertionError) as error:
        raise ModelUnavailable(f"model {ref.id}: cannot load its weights: {_first_line(error)}") from error
    chosen = pick_device(device)
    model.eval()
    writable = target_pieces(path)
    if writable is not None:
        vocab = tokenizer.get_vocab()
        cut_output_layer(model, [vocab[token] for token in writable])
    if quantize:
        if chosen != "cpu":
            raise ModelUnavailable("--quantize is dynamic int8 for the CPU", hint="use it with --device cpu")
        # Dynamic int8 on the Linear layers: the output projection (vocab x d_model)
        # dominates float32 decoding on a CPU, which is why it pays.
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    model.to(chosen)
    settings = GenerationSettings.from_model_files(path)
    return TransformersEngine(ref, tokenizer, model, chosen, input_limit(tokenizer, config), settings)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
