"""The two interfaces every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelRef:
    """A model as mujaz names it: hub id (or local directory) and revision."""

    id: str
    revision: str | None = None  # None for a local directory
    path: str | None = None  # where its files are on disk, once known
    engine: str | None = None  # "transformers" | "ctranslate2", once loaded

    def to_json(self) -> dict:
        data = {"id": self.id, "revision": self.revision}
        if self.engine:
            data["engine"] = self.engine
        return data


@dataclass(frozen=True)
class LengthBudget:
    """How long a summary may be, in words of the source language.

    `None` words means "the model's own default" for abstractive models and a
    default share of the article for extractive ones.
    """

    words: int | None = None
    name: str = "medium"
    # For a scorer that cuts every summary at the budget (mujaz eval, as for Lead's first B words):
    # the last sentence may run past it rather than leave it short. A reader's summary passes over
    # a sentence that would take it further past the budget than it falls short.
    fill: bool = False


# The --method names (commands.options.Method): a summary method, never a summariser model's name.
SUMMARY_METHODS = frozenset({"auto", "abstractive", "extractive"})


def names_a_summary_method(name: str) -> bool:
    """A summariser named "extractive" (--summariser, MUJAZ_SUMMARISER): a method, unless a folder of that name is there."""
    from pathlib import Path

    return name.strip().lower() in SUMMARY_METHODS and not Path(name).exists()

LENGTHS = {
    "short": LengthBudget(words=35, name="short"),
    "medium": LengthBudget(words=None, name="medium"),
    "long": LengthBudget(words=120, name="long"),
}


@dataclass
class Summary:
    text: str  # Arabic
    method: str  # "abstractive" | "extractive"
    model: ModelRef | None  # None for the model-free extractive summariser
    notes: list[str]  # facts worth a warning, e.g. how many windows were summarised
    # The sentences the text joins, when the summariser chose them whole (extractive): each is
    # translated as it is. None: the text is split into sentences (an abstractive summary).
    sentences: list[str] | None = None
    # The budget in words the summariser worked to, where it knows one (extractive: for "medium", a
    # share of the article; "short" no longer than that); None: the model's own length.
    words: int | None = None


def budget_per_article(budget: LengthBudget | list[LengthBudget], count: int) -> list[LengthBudget]:
    """One budget an article, from one for all or a list (or tuple) of them."""
    budgets = [budget] * count if isinstance(budget, LengthBudget) else list(budget)
    if len(budgets) != count:
        raise ValueError(f"{len(budgets)} budgets for {count} articles")
    return budgets


class Summariser(ABC):
    method: str = "abstractive"
    ref: ModelRef | None = None

    @abstractmethod
    def summarise(self, sentences: list[str], budget: LengthBudget, title: str | None = None) -> Summary:
        """Summarise an article given as its body sentences, in order (and its headline, if any)."""

    def summarise_many(self, articles: list[tuple[list[str], str | None]],
                       budget: LengthBudget | list[LengthBudget]) -> list[Summary]:
        """summarise for each (sentences, title); a model-run summariser shares its batches across them.
        `budget`: one for all, or one an article (`mujaz eval`: a third of each article's words)."""
        return [self.summarise(sentences, article_budget, title=title)
                for (sentences, title), article_budget in zip(articles, budget_per_article(budget, len(articles)))]

    def decoding(self, lengths_per_article: bool = False, budget: LengthBudget | None = None) -> dict:
        """How the model decodes, for a result's record (`mujaz eval`): its weights' precision and its
        generation settings, None for a model-free summariser (the keys there all the same: a script
        reads them on every run). `lengths_per_article`: the output lengths are set from each article's
        budget (the rule said in their place); `budget`: one budget for every article."""
        return {"weights": None, "generation": None}


@dataclass(frozen=True)
class Translation:
    text: str
    ended: bool = True  # False: the model's length cap stopped it, the model had not ended it


class Translator(ABC):
    ref: ModelRef

    @abstractmethod
    def translate_noted(self, texts: list[str]) -> list[Translation]:
        """Translate each text, saying whether the model ended each translation; exactly one output per
        input, in input order."""

    def translate(self, texts: list[str]) -> list[str]:
        """The translations alone."""
        return [translation.text for translation in self.translate_noted(texts)]

    def decoding(self) -> dict:
        """How the model decodes, for a result's record (`mujaz eval`)."""
        return {}
