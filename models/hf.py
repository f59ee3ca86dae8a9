"""Summariser and translator on Hugging Face transformers (torch).

transformers 5 has no summarization/translation pipelines any more; mujaz loads
AutoTokenizer + AutoModelForSeq2SeqLM itself and calls `generate` on batches.
Generation settings are the model's own (generation_config.json, or the legacy
keys in config.json) unless a length budget asks otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mujaz.errors import ModelUnavailable
from mujaz.models.base import LengthBudget, ModelRef, Summariser, Summary, Translator

# Marian and mT5 were trained on inputs of at most 512 tokens.
DEFAULT_INPUT_LIMIT = 512
BATCH_SENTENCES = 32
BATCH_TOKENS = 6000  # padded tokens in one batch: bounds memory on long articles
# Where a too-long sentence may be cut without breaking a clause.
_CLAUSE_BREAK = re.compile(r"(?<=[،؛;:,])\s+")
# mT5 spends about 1.7 tokens on an Arabic word; a budget in words becomes tokens.
TOKENS_PER_WORD = 1.7


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


@dataclass
class LoadedSeq2Seq:
    ref: ModelRef
    tokenizer: object
    model: object
    device: str
    input_limit: int

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def generate(self, texts: list[str], **settings) -> list[str]:
        """Generate for each text, in batches sorted by length; outputs in input order."""
        import torch

        outputs: list[str] = [""] * len(texts)
        lengths = [self.count_tokens(t) for t in texts]
        order = sorted((i for i in range(len(texts)) if texts[i].strip()), key=lambda i: -lengths[i])
        start = 0
        while start < len(order):
            # Sorted longest first, so the first item fixes the padded width.
            width = lengths[order[start]]
            size = max(1, min(BATCH_SENTENCES, BATCH_TOKENS // max(width, 1)))
            batch = order[start : start + size]
            start += size
            encoded = self.tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True)
            encoded = {k: v.to(self.device) for k, v in encoded.items()}
            with torch.inference_mode():
                generated = self.model.generate(**encoded, **settings)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text in zip(batch, decoded):
                outputs[index] = text.strip()
        return outputs

    def fit(self, text: str) -> list[str]:
        """Pieces of `text` that each fit the input limit: clause marks first, then word windows."""
        if self.count_tokens(text) <= self.input_limit:
            return [text]
        pieces: list[str] = []
        for clause in _CLAUSE_BREAK.split(text):
            if self.count_tokens(clause) <= self.input_limit:
                pieces.append(clause)
            else:
                pieces.extend(self._word_windows(clause))
        return pack(pieces, self.count_tokens, self.input_limit)

    def _word_windows(self, text: str) -> list[str]:
        windows: list[str] = []
        current: list[str] = []
        for word in text.split():
            if current and self.count_tokens(" ".join([*current, word])) > self.input_limit:
                windows.append(" ".join(current))
                current = []
            current.append(word)
            if len(current) == 1 and self.count_tokens(word) > self.input_limit:
                # One "word" longer than the limit (a URL, a run of symbols): cut it by characters.
                windows.extend(_char_windows(word, self.count_tokens, self.input_limit))
                current = []
        if current:
            windows.append(" ".join(current))
        return windows


def _char_windows(word: str, count, limit: int) -> list[str]:
    pieces, start = [], 0
    step = max(1, limit // 2)
    while start < len(word):
        end = min(len(word), start + step)
        while end > start + 1 and count(word[start:end]) > limit:
            end = start + (end - start) // 2
        pieces.append(word[start:end])
        start = end
    return pieces


def pack(pieces: list[str], count, limit: int) -> list[str]:
    """Greedily join consecutive pieces (with spaces) into chunks of at most `limit` tokens."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if current and count(candidate) > limit:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def input_limit(tokenizer, config) -> int:
    limits = [DEFAULT_INPUT_LIMIT]
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and 0 < model_max < 100_000:
        limits.append(model_max)
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits)


def load_seq2seq(ref: ModelRef, device: str = "auto", quiet: bool = True) -> LoadedSeq2Seq:
    """Load tokenizer and model from `ref.path`; never runs code shipped with a model."""
    import torch  # noqa: F401  (fail here, clearly, if torch is missing)
    import transformers
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

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
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(path, trust_remote_code=False)
    except (OSError, ValueError, KeyError, RuntimeError, ImportError, AssertionError) as error:
        raise ModelUnavailable(f"model {ref.id}: cannot load its weights: {_first_line(error)}") from error
    chosen = pick_device(device)
    model.eval().to(chosen)
    return LoadedSeq2Seq(ref=ref, tokenizer=tokenizer, model=model, device=chosen, input_limit=input_limit(tokenizer, config))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class HFTranslator(Translator):
    """Sentence-level translation with a MarianMT (or any seq2seq) model."""

    def __init__(self, loaded: LoadedSeq2Seq):
        self.loaded = loaded
        self.ref = loaded.ref

    def translate(self, texts: list[str]) -> list[str]:
        # Marian was trained on sentences: a text longer than its input limit is
        # translated piece by piece and put back together, never cut off.
        owners: list[int] = []
        pieces: list[str] = []
        for index, text in enumerate(texts):
            for piece in self.loaded.fit(text) if text.strip() else []:
                owners.append(index)
                pieces.append(piece)
        translated = self.loaded.generate(pieces)
        joined: list[list[str]] = [[] for _ in texts]
        for owner, text in zip(owners, translated):
            joined[owner].append(text)
        return [" ".join(parts) for parts in joined]


class HFSummariser(Summariser):
    """Abstractive summary with an mT5-style model; long articles go window by window."""

    method = "abstractive"
    MAX_ROUNDS = 4

    def __init__(self, loaded: LoadedSeq2Seq):
        self.loaded = loaded
        self.ref = loaded.ref

    def settings(self, budget: LengthBudget) -> dict:
        if budget.words is None:
            return {}
        tokens = max(8, round(budget.words * TOKENS_PER_WORD))
        return {"max_new_tokens": tokens, "min_new_tokens": max(1, tokens // 2)}

    def summarise(self, sentences: list[str], budget: LengthBudget, title: str | None = None) -> Summary:
        # The headline is not fed to the model: XL-Sum models were trained on body text.
        loaded = self.loaded
        notes: list[str] = []
        pieces = [piece for sentence in sentences for piece in loaded.fit(sentence)]
        windows = pack(pieces, loaded.count_tokens, loaded.input_limit)
        if len(windows) > 1:
            notes.append(
                f"the article is longer than the summariser's input limit ({loaded.input_limit} tokens): "
                f"summarised in {len(windows)} windows, then combined"
            )
        summaries = loaded.generate(windows, **self.settings(budget))
        rounds = 1
        # Window summaries are combined by summarising them together, until one
        # remains; the round limit only guards against a model that never shortens.
        while len(summaries) > 1 and rounds < self.MAX_ROUNDS:
            windows = pack([s for s in summaries if s], loaded.count_tokens, loaded.input_limit)
            summaries = loaded.generate(windows, **self.settings(budget))
            rounds += 1
        text = " ".join(s for s in summaries if s)
        return Summary(text=text, method=self.method, model=self.ref, notes=notes)
