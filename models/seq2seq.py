"""What every seq2seq engine shares: generation settings, fitting inputs to the
model's limit, and the translator and summariser built on an engine.

An engine (transformers in mujaz.models.hf, CTranslate2 in mujaz.models.ct2)
only counts tokens and generates; everything that decides *what* is generated
lives here, so both engines give aligned, comparable output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

from mujaz.core.segment import CLOSERS_AFTER_A_MARK, TERMINATORS, split_sentences
from mujaz.core.text import WESTERN_DIGITS, in_words, is_arabic_letter, is_letter, words
from mujaz.errors import ModelUnavailable, first_line
from mujaz.models.base import LengthBudget, ModelRef, Summariser, Summary, Translation, Translator, budget_per_article
from mujaz.models.hub import DAMAGED_HINT

# A Marian tokenizer's files: the source and target SentencePiece models, and the vocabulary they share.
MARIAN_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
# Marian and mT5 were trained on inputs of at most 512 tokens.
DEFAULT_INPUT_LIMIT = 512
# Where a too-long sentence may be cut without breaking a clause.
_CLAUSE_BREAK = re.compile(r"(?<=[،؛;:,])\s+")
# mT5 spends about 1.7 tokens on an Arabic word; a budget in words becomes tokens.
TOKENS_PER_WORD = 1.7
MIN_SUMMARY_TOKENS = 8  # the least a summary is asked for, however small its budget
# What for_budget and _no_longer_than make of a budget, said in a result's record.
BUDGET_LENGTHS = (f"max_new_tokens = round({TOKENS_PER_WORD} x the budget in words), at least {MIN_SUMMARY_TOKENS}, "
                  "within the model's positions and no more than the article's tokens (in steps of 8); "
                  "min_new_tokens = half of it")
WINDOW_MARGIN = 4
GENERATION_KEYS = ("num_beams", "max_length", "min_length", "max_new_tokens", "min_new_tokens",
                   "no_repeat_ngram_size", "length_penalty", "bad_words_ids")


def model_generation_keys(config: dict, generation: dict | None) -> dict:
    """The decoding keys a model's files set: its generation_config.json, else the legacy
    keys in config.json (what GenerationSettings.from_model_files reads, and `models info` shows)."""
    source = generation or config
    return {k: source[k] for k in GENERATION_KEYS if k in source}




@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings in one vocabulary that both engines translate into their own.

    Lengths count generated tokens (end token included), not the decoder's start token.
    """

    beam_size: int = 1
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 0
    length_penalty: float = 1.0
    suppress_token_ids: tuple[int, ...] = ()  # single tokens never to generate (Marian's <pad>)
    # The decoder's position table (Marian, BART: max_position_embeddings); no output may be
    # longer, on either engine (both fail past it). None for relative positions (T5, mT5).
    max_positions: int | None = None
    # Write Arabic: pieces with letters of another script only where the input has them
    # (arabic_output_rules). Set by the summariser, never read from a model's files.
    arabic_output: bool = False

    @classmethod
    def from_model_files(cls, folder: str | Path) -> "GenerationSettings":
        """The model's own settings: generation_config.json, else the legacy keys in config.json."""
        folder = Path(folder)
        config = _read_json(folder / "config.json")
        generation = model_generation_keys(config, _read_json(folder / "generation_config.json"))
        positions = config.get("max_position_embeddings")
        positions = positions if isinstance(positions, int) and positions > 0 else None
        try:
            # transformers' max_length/min_length count the decoder start token too.
            max_new = generation.get("max_new_tokens") or max(1, int(generation.get("max_length") or 257) - 1)
            min_new = generation.get("min_new_tokens") or max(0, int(generation.get("min_length") or 0) - 1)
            suppressed = tuple(ids[0] for ids in generation.get("bad_words_ids") or [] if len(ids) == 1)
            max_new = min(int(max_new), positions or int(max_new))
            return cls(
                beam_size=int(generation.get("num_beams") or 1),
                max_new_tokens=max_new,
                # No more than the most: transformers warned of "unfeasible length constraints" on stderr
                min_new_tokens=min(int(min_new), max_new),
                no_repeat_ngram_size=int(generation.get("no_repeat_ngram_size") or 0),
                length_penalty=float(generation.get("length_penalty") if generation.get("length_penalty") is not None
                                     else 1.0),
                suppress_token_ids=suppressed,
                max_positions=positions,
            )
        except (TypeError, ValueError) as error:  # {"max_length": "x"}, {"bad_words_ids": 3}
            raise ModelUnavailable(f"model in {folder}: a decoding setting of the wrong kind ({first_line(error)})",
                                   hint=DAMAGED_HINT) from error

    def for_budget(self, budget: LengthBudget) -> "GenerationSettings":
        """At a budget in words, the output lengths BUDGET_LENGTHS says; at none, the model's own."""
        if budget.words is None:
            return self
        tokens = max(MIN_SUMMARY_TOKENS, round(budget.words * TOKENS_PER_WORD))
        if self.max_positions:
            tokens = min(tokens, self.max_positions)
        return replace(self, max_new_tokens=tokens, min_new_tokens=max(1, tokens // 2))


def target_pieces(folder: str | Path) -> list[str] | None:
    """The vocabulary entries a Marian model's target tokenizer can write, in vocabulary
    order, when there are fewer of them than the vocabulary has; else None.

    OPUS-MT models share one vocabulary (vocab.json) between two SentencePiece models:
    opus-mt-ar-en's 62,834 entries are the union of an Arabic source.spm and an English
    target.spm, about half from each. A piece only the source side knows is never right
    in an English output — target.spm cannot even turn it back into text — so both
    engines leave its row out of the output layer, the largest matrix multiplied at
    every decoding step (CTranslate2 by a vocabulary map, mujaz.models.ct2.convert;
    transformers by a decoder narrowed to the kept ids, mujaz.models.hf.narrow_decoder).
    """
    folder = Path(folder)
    source, target, vocab_file = (folder / name for name in MARIAN_TOKENIZER_FILES)
    if not (source.is_file() and target.is_file() and vocab_file.is_file()):
        return None  # one SentencePiece model for both sides (mT5): nothing to leave out
    if source.read_bytes() == target.read_bytes():
        return None
    if (folder / "target_vocab.json").is_file():
        return None  # separate vocabularies (some OPUS-MT models): the decoder's is the target's already
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(target))
    writable = {processor.id_to_piece(i) for i in range(processor.get_piece_size())}
    vocab = _read_json(vocab_file)
    pieces = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1]) if token in writable]
    # <pad> (in vocab.json only) is the one entry target.spm never has: nothing else to leave out.
    return pieces if len(pieces) < len(vocab) - 1 else None


def arabic_output_rules(pieces: list[str]) -> tuple[list[str], list[str]] | None:
    """What an Arabic summary may write, for a model whose one vocabulary serves many
    languages (mT5: 250,112 entries for 101 languages): (always, only_if_in_input).

    `always` are the pieces made of Arabic script, digits, punctuation and symbols;
    `only_if_in_input` the pieces with letters of any other script (Latin, Cyrillic,
    CJK, ... and special tokens), which a summary may write only when its input has
    that very piece: a name the article spells in Latin letters can be copied, but
    the model cannot drift into another language (real headlines: of ARGEn's 1,000,
    27 have a Latin word and 6 one their article lacks). Both engines leave every
    other piece out of the output layer: CTranslate2 by a vocabulary map written at
    conversion (mujaz.models.ct2.convert), transformers by masking the same ids
    (mujaz.models.hf.ArabicOutput). None when `always` would keep more than half the
    vocabulary: too little to leave out to pay for the map (CTranslate2 then holds a
    copy of the kept rows of the output layer).
    """
    # What arabic_piece tells, at C speed: a search for the vocabulary's other characters.
    others = sorted(ch for ch in set("".join(pieces)) if not _arabic_or_neutral(ch))
    other_character = re.compile("[" + re.escape("".join(others)) + "]") if others else re.compile("(?!)")
    always: list[str] = []
    only_if_in_input: list[str] = []
    for piece in pieces:
        if not other_character.search(piece):
            always.append(piece)
        elif not any(ch.isspace() for ch in piece):  # a piece with a space cannot be a map key
            only_if_in_input.append(piece)
    if not always or len(always) > len(pieces) // 2:
        return None
    return always, only_if_in_input


def arabic_piece(piece: str) -> bool:
    """Made of Arabic script, digits, punctuation and symbols alone (SentencePiece's word mark ▁ is a symbol)."""
    return all(_arabic_or_neutral(ch) for ch in piece)


def _arabic_or_neutral(ch: str) -> bool:
    """Arabic script (letters, marks, digits, its punctuation), ASCII digits, or a
    character of no script: punctuation, symbols and spaces."""
    code = ord(ch)
    return (is_arabic_letter(ch) or 0x0600 <= code <= 0x06FF or "0" <= ch <= "9"
            or unicodedata.category(ch)[0] in "PSZ")


def _read_json(path: Path) -> dict:
    """A model's JSON file, {} when it has none; a damaged one is a model that cannot be had."""
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelUnavailable(f"{path}: unreadable ({first_line(error)})",
                               hint=DAMAGED_HINT) from error
    if not isinstance(value, dict):
        raise ModelUnavailable(f"{path}: not a JSON object", hint=DAMAGED_HINT)
    return value


@dataclass(frozen=True)
class Generated:
    """One output of an engine, and whether the model ended it (wrote its end token) or the
    length cap stopped it, perhaps inside a word."""

    text: str
    ended: bool


class Engine(ABC):
    """A loaded seq2seq model: counts tokens and generates, in batches."""

    name: str  # "transformers" | "ctranslate2"
    ref: ModelRef
    input_limit: int
    settings: GenerationSettings
    quantization: str  # of the weights: "float32", "dynamic int8", a conversion's "int8" ...
    special_tokens: frozenset[str] = frozenset()  # its tokenizer's, as written: "</s>", "<pad>", "<unk>"

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Input tokens for `text`, special tokens included."""

    @abstractmethod
    def generate_outputs(self, texts: list[str], settings: GenerationSettings | None = None) -> list[Generated]:
        """One output per input, in input order; an empty input gives an empty output (ended)."""

    def generate(self, texts: list[str], settings: GenerationSettings | None = None) -> list[str]:
        """The texts of generate_outputs."""
        return [output.text for output in self.generate_outputs(texts, settings)]

    def decoding(self, lengths_per_article: bool = False, budget: LengthBudget | None = None) -> dict:
        """Its weights' precision (a CTranslate2 conversion's quantization, else transformers'
        float32 or dynamic int8) and its generation settings, at `budget` when one is given (one for
        every article); when each article has its own (GenerationSettings.for_budget), the rule that
        sets the output lengths in place of them."""
        generation = asdict(self.settings.for_budget(budget) if budget else self.settings)
        del generation["arabic_output"]  # the summariser's to set per call (the "script" setting)
        # Every key on every run, null where it does not apply (a script reads them so)
        generation["lengths"] = None
        if lengths_per_article:
            generation.update(max_new_tokens=None, min_new_tokens=None, lengths=BUDGET_LENGTHS)
        return {"weights": self.quantization, "generation": generation}

    def fit(self, text: str, limit: int | None = None) -> list[str]:
        """Pieces of `text` that each fit `limit` tokens (the input limit unless smaller): clause
        marks first, then word windows. Special tokens written in the text are taken out
        (without_special_tokens)."""
        text = without_special_tokens(text, self.special_tokens)
        limit = min(limit or self.input_limit, self.input_limit)
        if self.count_tokens(text) <= limit:
            return [text]
        pieces: list[str] = []
        for clause in _CLAUSE_BREAK.split(text):
            if self.count_tokens(clause) <= limit:
                pieces.append(clause)
            else:
                pieces.extend(word_windows(clause, self.count_tokens, limit))
        return pack(pieces, self.count_tokens, limit)


def without_special_tokens(text: str, special_tokens: frozenset[str]) -> str:
    """`text` with a tokenizer's special tokens written in it ("</s>", "<pad>": a page's markup left in
    an article) taken out. A tokenizer reads them as the tokens themselves: a "</s>" ended a
    translator's input there, the rest of the sentence never translated, and the engines disagreed
    on "<pad>" (transformers' tokenizer reads it as padding, CTranslate2's SentencePiece as letters)."""
    for token in special_tokens:
        text = text.replace(token, " ")
    return text


def word_windows(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Consecutive words in windows of at most `limit` tokens.

    Words are counted one by one (a SentencePiece model splits at spaces), so a
    megabyte without punctuation costs linear time; a small margin absorbs the
    rare merge across a space.
    """
    specials = count("")
    budget = max(1, limit - specials - WINDOW_MARGIN)
    windows: list[str] = []
    current: list[str] = []
    used = 0
    for word in text.split():
        cost = count(word) - specials
        if cost > budget:
            # One "word" longer than the limit (a URL, a run of symbols): cut it by characters.
            if current:
                windows.append(" ".join(current))
                current, used = [], 0
            windows.extend(_char_windows(word, count, limit))
            continue
        if current and used + cost > budget:
            windows.append(" ".join(current))
            current, used = [], 0
        current.append(word)
        used += cost
    if current:
        windows.append(" ".join(current))
    return windows


def _char_windows(word: str, count: Callable[[str], int], limit: int) -> list[str]:
    pieces, start = [], 0
    step = max(1, limit // 2)
    while start < len(word):
        end = min(len(word), start + step)
        while end > start + 1 and count(word[start:end]) > limit:
            end = start + (end - start) // 2
        pieces.append(word[start:end])
        start = end
    return pieces


def pack(pieces: list[str], count: Callable[[str], int], limit: int) -> list[str]:
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


class Seq2SeqTranslator(Translator):
    """Sentence-level translation with a MarianMT (or any seq2seq) model on any engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.ref = engine.ref

    def decoding(self) -> dict:
        return self.engine.decoding()

    def translate_noted(self, texts: list[str]) -> list[Translation]:
        # Marian was trained on sentences, and OPUS-MT models are reported to leave out the end of
        # long ones (60 words and more: Helsinki-NLP/OPUS-CAT#93): a sentence longer than
        # TRANSLATION_PIECE_TOKENS is translated clause by clause and put back together, never cut off.
        # A segment without an Arabic letter ("١٢٣.", "—", a URL, an English quote) has nothing
        # for an Arabic-to-English model to translate, and a model given one invents words: it is
        # kept as it is, in English's digits and marks.
        arabic = [has_arabic_letters(text) for text in texts]
        owners: list[int] = []
        pieces: list[str] = []
        for index, text in enumerate(texts):
            for piece in self.engine.fit(text, TRANSLATION_PIECE_TOKENS) if arabic[index] else []:
                owners.append(index)
                pieces.append(piece)
        joined: list[list[str]] = [[] for _ in texts]
        unended = [False] * len(texts)
        for owner, output in zip(owners, self.engine.generate_outputs(pieces)):
            joined[owner].append(output.text)
            unended[owner] |= not output.ended
        return [Translation(" ".join(parts), ended=not stopped) if is_arabic
                else Translation(text.translate(ENGLISH_MARKS).strip())
                for text, parts, is_arabic, stopped in zip(texts, joined, arabic, unended)]


# Tokens a translated piece may have: a longer sentence goes clause by clause. Some 90 Arabic words
# (an Arabic word is about 1.5 SentencePiece tokens): the run-on sentences of news, not its usual ones.
TRANSLATION_PIECE_TOKENS = 128


def has_arabic_letters(text: str) -> bool:
    # is_arabic_letter's presentation forms hold ﴾ ﴿ and ﷼ too, which are no letters
    return any(is_arabic_letter(ch) and is_letter(ch) for ch in text)


# Arabic-Indic and Persian digits, and Arabic punctuation, as English writes them.
ENGLISH_MARKS = {**WESTERN_DIGITS, **str.maketrans({"،": ",", "؛": ";", "؟": "?", "٪": "%"})}


class Seq2SeqSummariser(Summariser):
    """Abstractive summary with an mT5-style model; long articles go window by window."""

    method = "abstractive"
    # A round usually halves the count of pieces (summaries are capped at half a window; a round
    # that does not shrink it ends the combining, summarise_many): 20 rounds combine a million
    # windows, where 8 left an article of 45,000 words in 32 pieces.
    MAX_ROUNDS = 20

    def __init__(self, engine: Engine, arabic_output: bool = True):
        self.engine = engine
        self.ref = engine.ref
        # Arabic pieces and the input's own (arabic_output_rules); False lets the
        # model write any piece of its vocabulary (--any-script).
        self.arabic_output = arabic_output

    def decoding(self, lengths_per_article: bool = False, budget: LengthBudget | None = None) -> dict:
        return self.engine.decoding(lengths_per_article, budget)

    def summarise(self, sentences: list[str], budget: LengthBudget, title: str | None = None) -> Summary:
        return self.summarise_many([(sentences, title)], budget)[0]

    def windows(self, sentences: list[str]) -> list[str]:
        """An article's body as the model's first-round inputs: whole sentences (a long one
        in pieces), packed into windows within the input limit."""
        engine = self.engine
        return pack([piece for sentence in sentences for piece in engine.fit(sentence)], engine.count_tokens,
                    engine.input_limit)

    def summarise_many(self, articles: list[tuple[list[str], str | None]],
                       budget: LengthBudget | list[LengthBudget]) -> list[Summary]:
        """Each article's summary; every round's model inputs, from all the articles, go to
        the engine together, so a batch of articles fills its batches and its CPU workers
        (one article's single window would keep one worker busy and the others idle).
        Inputs decoded alike share an engine call: with a budget an article, the windows of
        long ones still do (their summaries are capped at half a window)."""
        # The headline is not fed to the model: XL-Sum models were trained on body text.
        engine = self.engine
        budgets = budget_per_article(budget, len(articles))
        settings = [replace(engine.settings.for_budget(b), arabic_output=self.arabic_output) for b in budgets]
        notes: list[list[str]] = [[] for _ in articles]
        inputs: list[list[str]] = []  # per article, what the next round summarises
        final_settings: list[GenerationSettings] = []  # per article: its one remaining input's, to the budget
        for number, (sentences, _title) in enumerate(articles):
            windows = self.windows(sentences)
            final_settings.append(_no_longer_than(settings[number], sum(engine.count_tokens(w) for w in windows)))
            if len(windows) > 1:
                notes[number].append(
                    f"the article is longer than the summariser's input limit ({engine.input_limit} tokens): "
                    f"summarised in {len(windows)} windows, then combined"
                )
            inputs.append(windows)
        # A summary that is not the last is at most half a window long, so that two or more
        # fit in the next round's window and their number shrinks (a budget near the input
        # limit would otherwise give window summaries as long as the windows, never combined).
        half_window = max(8, engine.input_limit // 2 - WINDOW_MARGIN)
        window_settings = [replace(s, max_new_tokens=min(s.max_new_tokens, half_window),
                                   min_new_tokens=min(s.min_new_tokens, half_window // 2)) for s in settings]
        summaries: list[list[str]] = [[] for _ in articles]
        pending = list(range(len(articles)))
        unshortened: list[int] = []
        rounds = 0
        # Window summaries are combined by summarising them together, until one remains, or
        # until a round packs them into no fewer windows than it read (text tokenised again
        # can come out longer than it was generated, so the cap alone does not ensure it).
        while pending and rounds < self.MAX_ROUNDS:
            # One engine call per settings: a last round decodes to the budget, the others capped.
            # Usually the two are equal (a budget well inside a window), and all go in one call.
            groups: dict[GenerationSettings, list[int]] = {}
            for number in pending:
                one_left = len(inputs[number]) == 1
                groups.setdefault(final_settings[number] if one_left else window_settings[number], []).append(number)
            for group_settings, group in groups.items():
                outputs = iter(engine.generate_outputs([text for number in group for text in inputs[number]], group_settings))
                for number in group:
                    summaries[number] = [next(outputs) for _ in inputs[number]]
            rounds += 1
            pending = [number for number in pending if len(summaries[number]) > 1]
            for number in pending:
                packed = pack([s.text for s in summaries[number] if s.text], engine.count_tokens, engine.input_limit)
                if len(packed) >= len(inputs[number]):
                    unshortened.append(number)
                inputs[number] = packed
            pending = [number for number in pending if number not in unshortened]
        for number in unshortened + pending:  # pieces that would not combine are joined, and that is said
            notes[number].append(f"{len(summaries[number])} window summaries could not be combined into one; joined")
        texts = []
        for number, parts in enumerate(summaries):
            text, cut_note = _joined(parts, final_settings[number].max_new_tokens, window_settings[number].max_new_tokens)
            texts.append(text)
            notes[number] += [cut_note] if cut_note else []
        for text, article_notes, article_budget in zip(texts, notes, budgets):
            # The model is asked in tokens, at least MIN_SUMMARY_TOKENS, and pieces joined add up:
            # a summary that doubles its budget says so, as the extractive one does.
            if article_budget.words is not None and (used := len(words(text))) > 2 * article_budget.words:
                article_notes.append(f"the summary has {in_words(used)}, over twice the budget of "
                                     f"{in_words(article_budget.words)}")
        return [Summary(text=text, method=self.method, model=self.ref, notes=article_notes)
                for text, article_notes in zip(texts, notes)]


def _joined(parts: list[Generated], last_cap: int, window_cap: int) -> tuple[str, str | None]:
    """An article's summary from what the model gave (one part, or window summaries that would not
    combine), and a note when the length cap stopped the model: the cap stops it in mid-sentence,
    perhaps inside a word, so the reader is shown where the summary (or each window's) ends, and told."""
    pieces, cut = [], []
    for part in parts:
        text, how = (part.text, None) if part.ended else _cut_back(part.text)
        pieces += [text] if text else []
        cut += [how] if how else []
    if cut and len(parts) == 1:
        return " ".join(pieces), f"the model had not ended the summary at its length cap ({last_cap} tokens): {cut[0]}"
    if cut:
        return " ".join(pieces), (f"the model had not ended {len(cut)} of the {len(parts)} joined window summaries "
                                  f"at their length cap ({window_cap} tokens): each cut back")
    return " ".join(pieces), None


def _cut_back(text: str) -> tuple[str, str | None]:
    """A summary the length cap stopped, without its unfinished end, and what was done (None: it
    already ends a sentence, and stays as it is): back to its last full sentence when that keeps at
    least half its words, else its last word dropped (the cap may have cut it in two) and "…" to say
    it went on."""
    if not text.strip() or text.rstrip(CLOSERS_AFTER_A_MARK)[-1:] in TERMINATORS:
        return text, None
    sentences = split_sentences(text)
    if len(sentences) > 1 and 2 * len(words(" ".join(sentences[:-1]))) >= len(words(text)):
        return " ".join(sentences[:-1]), "cut back to its last full sentence"
    if len(text.split()) == 1:
        return text + " …", "… added"
    return text.rsplit(None, 1)[0] + " …", "its last word dropped, and … added"


def _no_longer_than(settings: GenerationSettings, article_tokens: int) -> GenerationSettings:
    """The settings for a summary of an article of this many tokens: at most as long as the article
    (a 4-word article was made to have a summary of half the budget: 102 tokens of `long`)."""
    # In steps of 8 tokens: short articles of nearly one length share settings, so one engine call.
    cap = max(MIN_SUMMARY_TOKENS, -(-article_tokens // 8) * 8)
    return replace(settings, max_new_tokens=min(settings.max_new_tokens, cap),
                   min_new_tokens=min(settings.min_new_tokens, cap // 2))


def grouped_batches(keys: list, lengths: list[int], max_sentences: int, max_tokens: int) -> list[list[int]]:
    """sorted_batches within each group of inputs with equal keys.

    A vocabulary map makes a piece a candidate for a whole batch when any input in it
    has the piece; batching only inputs with the same such pieces keeps each output's
    candidates its own input's, whatever the batch size (and so alike on both engines).
    """
    batches: list[list[int]] = []
    for key in dict.fromkeys(keys):
        batches += sorted_batches([n if k == key else 0 for k, n in zip(keys, lengths)], max_sentences, max_tokens)
    return batches


def sorted_batches(lengths: list[int], max_sentences: int, max_tokens: int) -> list[list[int]]:
    """Indices of non-empty inputs in batches, longest first, bounded in count and padded tokens."""
    order = sorted((i for i, n in enumerate(lengths) if n > 0), key=lambda i: -lengths[i])
    batches, start = [], 0
    while start < len(order):
        width = lengths[order[start]]  # longest first: the first item fixes the padded width
        size = max(1, min(max_sentences, max_tokens // max(width, 1)))
        batches.append(order[start : start + size])
        start += size
    return batches
