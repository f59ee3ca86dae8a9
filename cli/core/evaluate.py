"""Scorers: sentence boundaries, Arabic-aware ROUGE, BLEU/chrF, bootstrap intervals.

ROUGE uses rouge_score with mujaz's Arabic tokenizer: rouge_score's default
tokenizer keeps only [a-z0-9] and so scores any Arabic text as empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from statistics import mean
from typing import Callable, Sequence

from mujaz.core.text import as_read, words

BOOTSTRAP_SAMPLES = 1000


def eval_dependency(module: str):
    import importlib

    from mujaz.errors import MujazError

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MujazError(f"`mujaz eval` needs {module.split('.')[0]}",
                         hint="pip install rouge-score sacrebleu, or '.[eval]' in mujaz's folder") from error


ROUGE_SCORER, BLEU_SCORER = "rouge_score.rouge_scorer", "sacrebleu.metrics"


# -- segmentation -----------------------------------------------------------
def boundaries_of(pieces: Sequence[str], text: str) -> list[int]:
    """End offsets in `text` of every piece but the last (the pieces appear in order)."""
    ends, cursor = [], 0
    for piece in pieces:
        start = text.find(piece, cursor)
        if start < 0:
            raise ValueError(f"segment not found in order in the text: {piece[:40]!r}")
        cursor = start + len(piece)
        ends.append(cursor)
    return ends[:-1]


@dataclass
class SegmentationScore:
    documents: int
    gold: int
    predicted: int
    correct: int
    perfect: int  # documents with exactly the gold boundaries
    headline_found: int  # documents whose headline came out as a segment of its own
    # Documents of two lines or more: those with a boundary to find, and a headline apart from a
    # body. The two shares above are of these: a one-line document is neither perfect nor missed.
    with_boundaries: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {
            "documents": self.documents, "gold_boundaries": self.gold, "predicted_boundaries": self.predicted,
            "correct": self.correct, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "perfect_documents": round(self.perfect / self.with_boundaries, 4) if self.with_boundaries else 0.0,
            "headline_found": round(self.headline_found / self.with_boundaries, 4) if self.with_boundaries else 0.0,
        }


def score_segmentation(docs, split: Callable[[str], list[str]]) -> SegmentationScore:
    """Micro-averaged boundary precision/recall over documents (SegmentationDoc)."""
    total = SegmentationScore(0, 0, 0, 0, 0, 0)
    for doc in docs:
        predicted = set(boundaries_of(split(doc.text), doc.text))
        gold = set(doc.gold)
        total.documents += 1
        total.gold += len(gold)
        total.predicted += len(predicted)
        total.correct += len(gold & predicted)
        if doc.gold:
            total.with_boundaries += 1
            total.perfect += predicted == gold
            headline_end = doc.gold[0]
            total.headline_found += headline_end in predicted and not any(b < headline_end for b in predicted)
    return total


# -- ROUGE ------------------------------------------------------------------
class ArabicTokenizer:
    """rouge_score's tokenizer interface: folded Unicode words (see mujaz.core.text.words)."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


def rouge(candidate: str, references: Sequence[str]) -> dict[str, dict[str, float]]:
    """ROUGE-1/2/L precision, recall, F1 (×100), averaged over the references."""
    rouge_scorer = eval_dependency(ROUGE_SCORER)
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=ArabicTokenizer())
    scores = [scorer.score(reference, candidate) for reference in references]
    # float(): rouge_score's ROUGE-L gives an int 0 where nothing matches, and JSON would show "0"
    return {
        kind: {
            "precision": 100 * mean(float(s[kind].precision) for s in scores),
            "recall": 100 * mean(float(s[kind].recall) for s in scores),
            "f1": 100 * mean(float(s[kind].fmeasure) for s in scores),
        }
        for kind in ROUGE_TYPES
    }


def budget_words(article: str) -> int:
    """The evaluation budget: a third of the article's words, (N+1)//3, counted in the article as
    mujaz reads it (text.as_read: a soft hyphen or zero-width space inside a word splits none)."""
    return (len(words(as_read(article))) + 1) // 3


def cut_to_budget(summary: str, budget: int | None) -> str:
    """The first `budget` words of a summary (folded), for every system alike; None: all of them."""
    return " ".join(words(summary)[:budget])


def bootstrap_interval(values: Sequence[float], *, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean, resampling items."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(mean(values[rng.randrange(n)] for _ in range(n)) for _ in range(samples))
    return means[int(0.025 * samples)], means[int(0.975 * samples) - 1]


def mean_rouge(per_item: list[dict[str, dict[str, float]]]) -> dict:
    """Means over items of every ROUGE figure, with 95% bootstrap intervals for F1."""
    result = {}
    for kind in ROUGE_TYPES:
        f1 = [item[kind]["f1"] for item in per_item]
        low, high = bootstrap_interval(f1)
        result[kind] = {
            "f1": round(mean(f1), 2) if f1 else 0.0,
            "f1_95ci": [round(low, 2), round(high, 2)],
            "recall": round(mean(item[kind]["recall"] for item in per_item), 2) if per_item else 0.0,
            "precision": round(mean(item[kind]["precision"] for item in per_item), 2) if per_item else 0.0,
        }
    return result


# -- translation ------------------------------------------------------------
def bleu_chrf(hypotheses: list[str], references: list[str]) -> dict:
    """Corpus BLEU and chrF with sacrebleu's own tokenisation; signatures included."""
    metrics = eval_dependency(BLEU_SCORER)
    BLEU, CHRF = metrics.BLEU, metrics.CHRF

    bleu, chrf = BLEU(), CHRF()
    bleu_score = bleu.corpus_score(hypotheses, [references])
    chrf_score = chrf.corpus_score(hypotheses, [references])
    return {
        "bleu": round(bleu_score.score, 2),
        "chrf": round(chrf_score.score, 2),
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
        "sentences": len(hypotheses),
    }


def article_sentences(text: str) -> list[str]:
    """An article's body sentences exactly as mujaz's commands see them."""
    return article_and_headline(text)[0]


def article_and_headline(text: str) -> tuple[list[str], str | None]:
    """An article's body sentences and the headline it opens with (None: none found), exactly as
    mujaz's commands see them."""
    from mujaz.core.segment import segment_article, sentences_of, title_of

    segments = segment_article(as_read(text))
    return sentences_of(segments), title_of(segments)


def extractive_summary(text: str, budget: int, title: str | None = None, fill: bool = True) -> str:
    """mujaz's extractive summary of an article (and its headline) at a budget of `budget` words:
    filling the budget, for a scorer that cuts it there (fill), or as a reader gets it."""
    from mujaz.models.base import LengthBudget
    from mujaz.models.extractive import ExtractiveSummariser

    summary = ExtractiveSummariser().summarise(article_sentences(text), LengthBudget(words=budget, fill=fill), title=title)
    return summary.text
