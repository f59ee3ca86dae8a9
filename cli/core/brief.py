"""Assembling a brief: article -> segments -> summary -> translations.

The models come from a `ModelProvider` (mujaz.core.provider), made by the caller,
which loads each when it is first needed; `summarise_briefs` and `translate_briefs` take a
Summariser or Translator itself, so tests and other callers can hand over any.
"""

from __future__ import annotations

import itertools
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from mujaz.core.segment import Segment, joined, segment_article, sentences_of, split_sentences, title_of
from mujaz.core.source import Article, Source
from mujaz.errors import BadInput, ModelUnavailable, MujazError, error_json
from mujaz.limits import MAX_SENTENCES
from mujaz.models.base import LengthBudget, ModelRef, Summariser, Summary, Translator

if TYPE_CHECKING:
    from mujaz.core.provider import ModelProvider

SCHEMA = "mujaz.brief/1"
SEGMENTS_SCHEMA = "mujaz.segments/1"
# Long work reports itself through this: a callable that takes a message and
# returns a context manager (a spinner on a terminal, nothing when piped).
Status = Callable[[str], AbstractContextManager]


def no_status(message: str) -> AbstractContextManager:
    return nullcontext()


@dataclass
class Brief:
    task: str  # "brief" | "summarise" | "translate"
    source: Source
    segments: list[Segment]
    summary: Summary | None = None
    budget: LengthBudget | None = None
    title_en: str | None = None
    summary_en: str | None = None
    segments_en: list[str] | None = None
    # Per segment: whether the translator ended its English itself (False: its length cap stopped it)
    segments_ended: list[bool] | None = None
    translator: ModelRef | None = None
    warnings: list[str] = field(default_factory=list)
    # The translator's failure, English asked for: the Arabic part kept, and the record says what failed
    english_error: ModelUnavailable | None = None

    @property
    def title(self) -> str | None:
        return title_of(self.segments)

    def to_json(self) -> dict:
        data: dict = {
            "schema": SCHEMA,
            "task": self.task,
            "source": self.source.to_json(),
            "title": {"ar": self.title, "en": self.title_en},
        }
        if self.summary is not None:
            data["summary"] = {
                "ar": self.summary.text,
                "en": self.summary_en,
                "method": self.summary.method,
                "model": self.summary.model.to_json() if self.summary.model else None,
                "length": self.budget.name if self.budget else None,
                # The budget as a number, for scripts ("length" names it: "short", "30 words", "ratio 0.2"):
                # the one the summariser worked to where it knows it (extractive: medium's quarter of the
                # article, short no longer than that); else null, a model's own length.
                "words": self.summary.words if self.summary.words is not None else self.budget.words if self.budget else None,
            }
        data["models"] = {
            "summariser": self.summary.model.to_json() if self.summary and self.summary.model else None,
            "translator": self.translator.to_json() if self.translator else None,
        }
        if self.task == "translate":
            english = self.segments_en or [None] * len(self.segments)
            ended = self.segments_ended or [None] * len(self.segments)
            # en_ended: a script finds each translation the cap stopped (the warning names five at most)
            data["segments"] = [
                {"kind": s.kind, "paragraph": s.paragraph, "ar": s.text, "en": en, "en_ended": done}
                for s, en, done in zip(self.segments, english, ended)
            ]
        data["warnings"] = list(self.warnings)
        if self.english_error is not None:  # as batch's lines and failed sources say it: a script's one test
            data["error"] = error_json(self.english_error)
        return data


def article_segments(article: Article, max_sentences: int = MAX_SENTENCES) -> list[Segment]:
    """The article's segments; more than `max_sentences` of them is no news article (a log, a book).
    The headline and headings count: each is a model input as a sentence is."""
    segments = segment_article(article.text, article.title)
    if len(segments) > max_sentences:
        raise BadInput(
            f"{article.source.name}: {len(segments):,} sentences and headings, more than {max_sentences:,}; "
            "not a news article",
            hint="raise --max-sentences if it is",
        )
    return segments


@dataclass
class SegmentedArticle:
    """What `mujaz segment` writes of an article: where it came from and its segments."""

    source: Source
    segments: list[Segment]
    warnings: list[str]

    def to_json(self) -> dict:
        return {
            # Named as brief's records are, so that a script reading mixed JSONL can tell them apart.
            "schema": SEGMENTS_SCHEMA,
            "task": "segment",
            "source": self.source.to_json(),
            "segments": [{"kind": s.kind, "paragraph": s.paragraph, "text": s.text} for s in self.segments],
            "warnings": self.warnings,
        }


def failure_json(task: str, spec: str | None, error: MujazError) -> dict:
    """A source that failed, as a record in its place among the others' (brief's or segment's
    schema), so that a script can pair records with its arguments: where it was (none for a batch's
    item, which its id names), and the error; and warnings, none, as every record has them."""
    where = {"source": Source.as_given(spec).place()} if spec is not None else {}
    return {"schema": SEGMENTS_SCHEMA if task == "segment" else SCHEMA, "task": task, **where,
            "error": error_json(error), "warnings": []}


def start_brief(article: Article, task: str, max_sentences: int = MAX_SENTENCES) -> Brief:
    segments = article_segments(article, max_sentences)
    if task in ("brief", "summarise"):
        refuse_nothing_to_summarise(article, segments)
    return Brief(task=task, source=article.source, segments=segments, warnings=reading_warnings(article, segments))


def refuse_nothing_to_summarise(article: Article, segments: list[Segment]) -> None:
    """A body of nothing a summary could say is bad input to a summary, as a text not in Arabic is: it
    was a success with an empty summary, which a script reading `.summary.en` took for one (a review).
    What is no news is the extractive summariser's rule; a model given it would make something up."""
    from mujaz.models.extractive import NOTHING_TO_SUMMARISE, has_news

    sentences = sentences_of(segments)
    hint = "`mujaz segment` shows how the article was read"
    if not sentences:
        raise BadInput(f"{article.source.name}: nothing to summarise: no body under the headline", hint=hint)
    if not has_news(sentences):
        raise BadInput(f"{article.source.name}: {NOTHING_TO_SUMMARISE}", hint=hint)


def reading_warnings(article: Article, segments: list[Segment]) -> list[str]:
    """What a reader of the result should know about how the article was read."""
    warnings = []
    if article.source.replaced_note:
        warnings.append(article.source.replaced_note)
    if title_of(segments) is None:
        one_line = len({segment.paragraph for segment in segments}) == 1
        # Lines passed over for the headline (a date, a dateline) stand before the body's first as headings.
        over = [segment.text for segment in itertools.takewhile(lambda segment: segment.kind == "heading", segments)]
        warnings.append("no headline found: " + ("the article is one line" if one_line
                                                 else f"the line after {over[-1]!r} reads as a sentence" if over
                                                 else "the first line reads as a sentence"))
    if not sentences_of(segments):
        warnings.append("no body sentences found")
    return warnings


def summary_budget(text: str, *, length: str = "medium", words: int | None = None, ratio: float | None = None) -> LengthBudget:
    """The budget a summary of `text` was asked for: a number of words, a share of the article's words, or a length."""
    from mujaz.core.text import words as words_of
    from mujaz.models.base import LENGTHS

    if words is not None:
        return LengthBudget(words=words, name=f"{words} word{'' if words == 1 else 's'}")
    if ratio is not None:
        return LengthBudget(words=max(1, round(ratio * len(words_of(text)))), name=f"ratio {ratio:g}")
    return LENGTHS[length]


def summarise_briefs(briefs: list[Brief], summariser: Summariser, budget: LengthBudget,
                     status: Status = no_status) -> None:
    """Every brief's summary, the model's batches shared across them (Summariser.summarise_many)."""
    articles = [(sentences_of(brief.segments), brief.title) for brief in briefs]
    count = sum(len(sentences) for sentences, _ in articles)
    with status(f"Summarising {count} sentence{'' if count == 1 else 's'} ({summariser.method})"):
        summaries = summariser.summarise_many(articles, budget)
    for brief, summary in zip(briefs, summaries):
        brief.summary = summary
        brief.budget = budget
        brief.warnings.extend(summary.notes)


def _translation_inputs(brief: Brief, whole_article: bool) -> list[str]:
    """What a brief needs translated: every segment (or just the title), then the summary's sentences."""
    texts = [s.text for s in brief.segments] if whole_article else ([brief.title] if brief.title else [])
    if brief.summary is not None and brief.summary.text:
        texts.extend(_summary_sentences(brief.summary))
    return texts


def _summary_sentences(summary: Summary) -> list[str]:
    """A summary's sentences, as they are translated: a chosen sentence that ends its line without a
    mark ("...كالآتي:") would run into the next one if the joined text were split again, so the
    summariser's own are kept."""
    return summary.sentences if summary.sentences is not None else split_sentences(summary.text)


def _apply_translations(brief: Brief, english: list[str], whole_article: bool) -> None:
    if whole_article:
        count = len(brief.segments)
        brief.segments_en, rest = english[:count], english[count:]
        brief.title_en = next((en for s, en in zip(brief.segments, brief.segments_en) if s.kind == "title"), None)
    else:
        brief.title_en, rest = (english[0], english[1:]) if brief.title else (None, english)
    if brief.summary is not None:
        # Lines where the Arabic has them: an extractive summary's list items (segment.joined); an
        # abstractive summary is the model's paragraph, and so is its English.
        chosen = brief.summary.sentences
        brief.summary_en = joined(rest, like=chosen) if chosen is not None else " ".join(rest)


def translate_briefs(briefs: list[Brief], translator: Translator, *, whole_article: bool, status: Status = no_status) -> None:
    """Translate the title, the summary (sentence by sentence) and, if asked, every segment.

    Sentences of all the briefs go to the translator in one call, so that they
    share batches (grouped by length across articles); each brief gets its own back.
    """
    inputs = [_translation_inputs(brief, whole_article) for brief in briefs]
    flat = [text for texts in inputs for text in texts]
    with status(f"Translating {len(flat)} segment{'' if len(flat) == 1 else 's'}"):
        english = translator.translate_noted(flat) if flat else []
    if len(english) != len(flat):  # a Translator must keep one output per input
        raise RuntimeError(f"translator returned {len(english)} outputs for {len(flat)} inputs")
    start = 0
    for brief, texts in zip(briefs, inputs):
        brief.translator = translator.ref
        translations = english[start : start + len(texts)]
        _apply_translations(brief, [translation.text for translation in translations], whole_article)
        if whole_article:
            brief.segments_ended = [translation.ended for translation in translations[:len(brief.segments)]]
        if stopped := [number for number, translation in enumerate(translations) if not translation.ended]:
            brief.warnings.append(f"the translator did not end the English of {_which(brief, stopped, whole_article)} "
                                  "(stopped by its length cap): it may repeat itself or stop short")
        start += len(texts)


def _which(brief: Brief, numbers: list[int], whole_article: bool) -> str:
    """Inputs of _translation_inputs as a reader finds them: segments by their place in the article
    (the JSON's segments, from 1), or the headline and the summary's sentences."""
    if whole_article:
        return _listed("segment", [number + 1 for number in numbers])
    offset = 1 if brief.title else 0  # the headline is input 0, when there is one
    named = []
    if numbers[0] < offset:
        named.append("the headline")
    sentences = [number - offset + 1 for number in numbers if number >= offset]
    if sentences:
        named.append(_listed("summary sentence", sentences))
    return " and ".join(named)


LISTED_IN_FULL = 6  # places named one by one; past that, the first five and how many


def _listed(label: str, places: list[int]) -> str:
    """"segment 5", "segments 1 and 3", "segments 1, 2, 3, 4, 5 … (7 in all)"."""
    names = [str(place) for place in places]
    if len(names) == 1:
        return f"{label} {names[0]}"
    if len(names) > LISTED_IN_FULL:
        return f"{label}s {', '.join(names[:5])} … ({len(names)} in all)"
    return f"{label}s {', '.join(names[:-1])} and {names[-1]}"


def add_english(briefs: list[Brief], translator: Callable[[], Translator], *, whole_article: bool,
                status: Status = no_status) -> ModelUnavailable | None:
    """The briefs translated (translate_briefs), or, when the translator cannot be had, their Arabic kept
    and a warning in each saying why; that error is returned so the caller can report it once."""
    try:
        translate_briefs(briefs, translator(), whole_article=whole_article, status=status)
    except ModelUnavailable as error:
        for brief in briefs:
            brief.warnings.append(f"{NO_ENGLISH}{error.message}")
            brief.english_error = error
        return error
    return None


def complete_briefs(briefs: list[Brief], task: str, provider: "ModelProvider", budget: LengthBudget | None, *,
                    english: bool, translator: Callable[[], Translator] | None = None, release_summariser: bool = False,
                    status: Status = no_status) -> ModelUnavailable | None:
    """What follows start_brief, for `brief`/`summarise`/`translate` and for batch alike: the
    summary (unless the task is translate), the English when asked, the provider's warnings
    first among each brief's. A summariser that cannot be had raises; a translator that
    cannot be had leaves the briefs their Arabic, and its error is returned (add_english).

    `translator` stands in for the provider's (batch's cached one); `release_summariser`
    lets the summariser go before the translator loads, so that peak memory is the larger
    model's, not both together."""
    if task != "translate":
        summarise_briefs(briefs, provider.summariser(), budget, status)
        if release_summariser:
            provider.release("summariser")
    error = None
    if english:
        error = add_english(briefs, translator or provider.translator, whole_article=task == "translate", status=status)
    for brief in briefs:
        brief.warnings[:0] = provider.warnings
    return error


NO_ENGLISH = "no English: "  # how a brief's warnings say the translator could not be had
