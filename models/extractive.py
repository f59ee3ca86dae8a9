"""A model-free, deterministic extractive summariser for Arabic news.

It picks whole sentences. News puts its gist first, so position weighs in
beside centrality (how much a sentence shares the article's vocabulary, with
function words left out); near-duplicates of a chosen sentence are skipped.
"""

from __future__ import annotations

import math
from collections import Counter

from mujaz.core.text import fold, words
from mujaz.models.base import LengthBudget, Summariser, Summary

# Frequent Arabic function words, folded as by mujaz.core.text.fold.
STOPWORDS = frozenset(
    fold(
        """
        في من على الى إلى عن مع أن إن ان أو او ثم لا لم لن ما ماذا هذا هذه ذلك تلك هو هي هم هن
        كان كانت يكون تكون قد قال وقال وقالت قالت التي الذي الذين اللذين اللتين كل بعد قبل بين
        حتى عند عندما كما أيضا ايضا حيث وهو وهي فيه فيها منه منها عليه عليها به بها له لها لهم
        وفي ومن وعلى وأن وإن ولا ولم إلا الا غير أي اي نحو خلال ضمن لدى لكن ولكن بل إذا اذا
        أكثر اكثر أول اول وكان وقد فقد يوم اليوم أمس امس العام عام وذلك كذلك وكانت هناك هنا
        """
    ).split()
)
DEFAULT_SHARE = 0.25  # of the article's words, when no budget is given
DEFAULT_MAX_WORDS = 80
REDUNDANT = 0.6  # cosine above which a candidate repeats a chosen sentence


def _content_words(sentence: str) -> list[str]:
    return [w for w in words(sentence) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def score_sentences(sentences: list[str]) -> list[float]:
    """A score per sentence: centrality weighted by position."""
    bags = [Counter(_content_words(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    n = len(sentences)
    idf = {w: math.log((n + 1) / (count + 0.5)) for w, count in df.items()}
    vectors = [Counter({w: tf * idf[w] for w, tf in bag.items()}) for bag in bags]
    centroid: Counter = Counter()
    for vector in vectors:
        centroid.update(vector)
    scores = []
    for position, vector in enumerate(vectors):
        centrality = _cosine(vector, centroid)
        lead = 1.0 / (1.0 + 0.35 * position)
        scores.append(centrality * (0.5 + lead) if vector else 0.0)
    return scores


class ExtractiveSummariser(Summariser):
    method = "extractive"
    ref = None

    def summarise(self, sentences: list[str], budget: LengthBudget) -> Summary:
        if not sentences:
            return Summary(text="", method=self.method, model=None, notes=[])
        limit = budget.words
        if limit is None:
            total = sum(len(s.split()) for s in sentences)
            limit = min(DEFAULT_MAX_WORDS, max(1, round(total * DEFAULT_SHARE)))
        scores = score_sentences(sentences)
        ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        bags = [Counter(_content_words(s)) for s in sentences]
        chosen: list[int] = []
        used = 0
        for index in ranked:
            length = len(sentences[index].split())
            if chosen and used + length > limit:
                continue
            if any(_cosine(bags[index], bags[other]) > REDUNDANT for other in chosen):
                continue
            chosen.append(index)
            used += length
            if used >= limit:
                break
        text = " ".join(sentences[i] for i in sorted(chosen))
        return Summary(text=text, method=self.method, model=None, notes=[])
