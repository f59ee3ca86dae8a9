"""Assembling a brief: article -> segments -> summary -> translations.

The models come from a `ModelProvider`, made by the caller, which loads each
when it is first needed; `summarise_briefs` and `translate_briefs` take a
Summariser or Translator itself, so tests and other callers can hand over any.
"""

from __future__ import annotations

import functools
import itertools
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mujaz.core.segment import Segment, segment_article, sentences_of, split_sentences, title_of
from mujaz.core.source import Article, Source
from mujaz.errors import BadInput, ModelUnavailable, MujazError, UsageProblem, error_json
from mujaz.limits import MAX_SENTENCES
from mujaz.models.base import LengthBudget, ModelRef, Summariser, Summary, Translator

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


def failure_json(task: str, spec: str, error: MujazError) -> dict:
    """A source that failed, as a record in its place among the others' (brief's or segment's
    schema), so that a script can pair records with its arguments: where it was, and the error."""
    return {"schema": SEGMENTS_SCHEMA if task == "segment" else SCHEMA, "task": task,
            "source": Source.as_given(spec).place(), "error": error_json(error)}


def start_brief(article: Article, task: str, max_sentences: int = MAX_SENTENCES) -> Brief:
    segments = article_segments(article, max_sentences)
    return Brief(task=task, source=article.source, segments=segments, warnings=reading_warnings(article, segments))


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
    summary = brief.summary
    if summary is not None and summary.text:
        # A chosen sentence that ends its line without a mark ("...كالآتي:") would run into the
        # next one if the joined text were split again: the summariser's own sentences are kept.
        texts.extend(summary.sentences if summary.sentences is not None else split_sentences(summary.text))
    return texts


def _apply_translations(brief: Brief, english: list[str], whole_article: bool) -> None:
    if whole_article:
        count = len(brief.segments)
        brief.segments_en, rest = english[:count], english[count:]
        brief.title_en = next((en for s, en in zip(brief.segments, brief.segments_en) if s.kind == "title"), None)
    else:
        brief.title_en, rest = (english[0], english[1:]) if brief.title else (None, english)
    if brief.summary is not None:
        brief.summary_en = " ".join(rest)


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
    def listed(label: str, places: list[int]) -> str:
        names = [str(place) for place in places]
        text = (", ".join(names[:5]) + f" … ({len(names)} in all)" if len(names) > 6
                else names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        return f"{label}{'s' if len(names) > 1 else ''} {text}"

    if whole_article:
        return listed("segment", [number + 1 for number in numbers])
    offset = 1 if brief.title else 0
    sentences = [number - offset + 1 for number in numbers if number >= offset]
    return " and ".join(["the headline"] * (numbers[0] < offset) + ([listed("summary sentence", sentences)] if sentences else []))


def add_english(briefs: list[Brief], translator: Callable[[], Translator], *, whole_article: bool,
                status: Status = no_status) -> ModelUnavailable | None:
    """The briefs translated (translate_briefs), or, when the translator cannot be had, their Arabic kept
    and a warning in each saying why; that error is returned so the caller can report it once."""
    try:
        translate_briefs(briefs, translator(), whole_article=whole_article, status=status)
    except ModelUnavailable as error:
        for brief in briefs:
            brief.warnings.append(f"{NO_ENGLISH}{error.message}")
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


class ModelProvider:
    """Loads the summariser and translator on first use, once, and remembers failures.

    `method` "auto" falls back to the extractive summariser, with a warning,
    when the abstractive model cannot be had.
    """

    def __init__(
        self,
        *,
        method: str = "auto",
        summariser: str | None = None,
        translator: str | None = None,
        device: str = "auto",
        engine: str = "auto",
        quantize: bool = False,
        any_script: bool = False,
        status: Status = no_status,
        progress: bool = False,
    ):
        if method not in ("auto", "abstractive", "extractive"):
            raise UsageProblem(f"--method {method}: choose auto, abstractive or extractive")
        if method == "extractive" and summariser:
            # (`mujaz eval summaries` is extractive unless told: a --summariser alone meets this)
            raise UsageProblem("--summariser names a model, but --method extractive uses none",
                               hint="add --method abstractive to run it")
        if method == "extractive" and any_script:
            raise UsageProblem("--any-script is for the abstractive summariser; --method extractive copies sentences",
                               hint="add --method abstractive")
        self.method = method
        self.summariser_name = summariser
        self.translator_name = translator
        if engine not in ("auto", "transformers", "ctranslate2"):
            raise UsageProblem(f"--engine {engine}: choose auto, transformers or ctranslate2")
        if quantize and engine == "ctranslate2":
            raise UsageProblem("--quantize is for the transformers engine; ctranslate2 models are quantized when converted",
                               hint="leave out --quantize, or choose --engine transformers (MUJAZ_ENGINE may have chosen it)")
        self.device = device
        self.engine = engine
        self.quantize = quantize
        self.any_script = any_script
        self.status = status
        self.progress = progress
        self.warnings: list[str] = []  # said once, added to every brief
        # The extractive summariser stood in for the abstractive one: results keyed by the model
        # asked for are not the model's, and are not to be cached as its.
        self.stood_in = False
        self._loaded: dict[str, Summariser | Translator] = {}
        self._errors: dict[str, MujazError] = {}
        self._hub_failed: ModelUnavailable | None = None  # the hub did not answer for one model: not asked again

    def summariser(self) -> Summariser:
        return self._once("summariser", self._load_summariser)

    def translator(self) -> Translator:
        return self._once("translator", lambda: self._load("translator"))

    def _once(self, role: str, load):
        # A model that failed to load (missing, or asked of a device this machine lacks) is not
        # tried again for the next source: the same error is raised again, and said once.
        if role in self._errors:
            raise self._errors[role]
        if role not in self._loaded:
            try:
                self._loaded[role] = load()
            except MujazError as error:
                self._errors[role] = error
                raise
        return self._loaded[role]

    def release(self, role: str) -> None:
        """Let a model go once it is no longer needed, so that the next one can use its memory."""
        self._loaded.pop(role, None)

    def _load_summariser(self) -> Summariser:
        from mujaz.models.extractive import ExtractiveSummariser

        if self.method == "extractive":
            return ExtractiveSummariser()
        try:
            return self._load("summariser")
        except ModelUnavailable as error:
            if not self._extractive_stands_in():
                raise
            self.warnings.append(f"abstractive summariser unavailable ({error.message}); used the extractive summariser"
                                 + (f" ({error.hint})" if error.hint else ""))  # what to do to have it
            self.stood_in = True
            return ExtractiveSummariser()

    def _extractive_stands_in(self) -> bool:
        """Whether the extractive summariser stands in for an abstractive one that cannot be had: only
        for the default model; one named (--summariser, MUJAZ_SUMMARISER) is what the user asked for,
        and a typo in it must not pass unnoticed with exit 0."""
        from mujaz.models.registry import named_model

        return self.method != "abstractive" and named_model("summariser", self.summariser_name) is None

    def known_failure(self, role: str) -> ModelUnavailable | None:
        """Why the role's model cannot be loaded, where that is known without loading it or asking the
        hub: a name that is no model, or --engine ctranslate2 without a conversion. None otherwise, and
        for a summariser the extractive one would stand in for."""
        try:
            ref = self._resolved(role)
        except ModelUnavailable as error:
            failure = error
        else:
            if self.engine != "ctranslate2" or self._conversion(ref) is not None:
                return None
            failure = _no_conversion(ref)
        return None if role == "summariser" and self._extractive_stands_in() else failure

    def available_offline(self, role: str) -> bool:
        """Whether the role's model is here to load (a conversion, a downloaded copy, a directory)
        without downloading: one that is not fails, or is stood in for, before any device is met."""
        from mujaz.models import hub

        ref = self._resolved(role)
        return self._conversion(ref) is not None or hub.cached_path(ref) is not None

    def _resolved(self, role: str) -> ModelRef:
        """The role's model (option, environment, or default) as a hub id or local directory."""
        from mujaz.models import hub

        return hub.resolve_role(role, self.summariser_name if role == "summariser" else self.translator_name)

    def _conversion(self, ref: ModelRef):
        """The CTranslate2 conversion this run would use for `ref`, or None (--quantize runs transformers)."""
        return None if self.quantize else self._engines_conversion(ref)

    def _engines_conversion(self, ref: ModelRef):
        """The conversion --engine (auto or ctranslate2) takes for `ref` on this device, --quantize aside."""
        if self.engine not in ("auto", "ctranslate2"):
            return None
        from mujaz.models import ct2

        if self.engine == "auto" and not ct2.runs_on(self.device):
            return None  # e.g. --device mps: transformers can, CTranslate2 cannot
        return ct2.find(ref)

    def ref(self, role: str) -> ModelRef:
        """How results name a role's model, known without loading it."""
        resolved = self._resolved(role)
        return self._named(resolved, self._conversion(resolved))

    def _named(self, resolved: ModelRef, conversion) -> ModelRef:
        from mujaz.models import hub

        engine = "ctranslate2" if self.engine == "ctranslate2" or conversion else "transformers"
        # A hub branch ("main") by the commit of the copy that runs, as hub.ensure_local names it.
        return ModelRef(id=resolved.id, revision=hub.pinned_revision(resolved), engine=engine)

    def identity(self, role: str) -> dict | None:
        """What decides a role's output, known without loading the model: for cache keys. None
        while that cannot be known: a hub branch ("main") not downloaded yet, whose commit only
        the download will tell; results keyed by the branch's name would outlive it."""
        from mujaz.core.cache import code_fingerprint

        if role == "summariser" and self.method == "extractive":
            return {"method": "extractive", "code": code_fingerprint()}
        from mujaz.models import ct2, hub

        resolved = self._resolved(role)
        conversion = self._conversion(resolved)  # which one runs: int8 and float32 write differently
        device = self._running_device(conversion)
        ref = self._named(resolved, conversion)  # its revision: the commit, for a hub branch (pinned_revision)
        # A local directory has no revision: its content fingerprint stands in.
        revision = ref.revision or str(ct2.key(resolved))
        if resolved.revision is not None and not hub.COMMIT.fullmatch(revision):
            return None
        return {"id": ref.id, "revision": revision, "engine": ref.engine, "device": device, "quantize": self.quantize,
                "conversion": conversion.name if conversion is not None else None,
                "method": self.method if role == "summariser" else None,
                "any_script": self.any_script if role == "summariser" else None, "code": code_fingerprint()}

    def _running_device(self, conversion: Path | None) -> str:
        """The device the model would run on ("auto" resolved), for its cache identity: results of
        a GPU are not served on a CPU, nor the other way. A --device this machine lacks is refused
        now, as loading the model would refuse it: a cached result must not stand in for one the
        device could not have made."""
        if self.device == "cpu":
            return "cpu"
        if conversion is not None or self.engine == "ctranslate2":
            from mujaz.models import ct2

            return ct2.running_device(self.device)
        from mujaz.models import hf

        if self.device == "auto" and hf.no_gpu_here():
            return "cpu"  # known without importing torch, whose import is most of a cached run's time
        return hf.chosen_device(self.device, self.quantize)

    def _load(self, role: str):
        """The role's model on the chosen engine; `auto` takes a CTranslate2 conversion when there is one."""
        from mujaz.models import hub
        from mujaz.models.seq2seq import Seq2SeqSummariser, Seq2SeqTranslator

        if role == "summariser":
            wrap = functools.partial(Seq2SeqSummariser, arabic_output=not self.any_script)
        else:
            wrap = Seq2SeqTranslator
        ref = self._resolved(role)
        folder = self._conversion(ref)
        if folder is not None:
            from mujaz.models import ct2

            converted = ModelRef(id=ref.id, path=str(folder))  # it keeps the model's tokenizer files
            if role == "translator":
                hub.check_translation_direction(converted)
            if (amiss := hub.check_role(converted, role, model_type=ct2.model_type(folder, ref))) is not None:
                self.warnings.append(amiss)
            pinned = ModelRef(id=ref.id, revision=hub.pinned_revision(ref), path=ref.path)  # results name the commit
            with self.status(f"Loading the {role} {ref.id} (ctranslate2)"):
                return wrap(ct2.CTranslate2Engine(folder, pinned, device=self.device))
        if self.engine == "ctranslate2":
            raise _no_conversion(ref)
        if self.quantize and self.engine == "auto":
            self._say_conversion_passed_over(ref)
        ref = self._downloaded(role, ref)
        if role == "translator":
            hub.check_translation_direction(ref)
        if (amiss := hub.check_role(ref, role)) is not None:
            self.warnings.append(amiss)
        from mujaz.models import hf

        with self.status(f"Loading the {role} {ref.id}"):
            return wrap(hf.load(ref, device=self.device, quantize=self.quantize))

    def _say_conversion_passed_over(self, ref: ModelRef) -> None:
        """--quantize runs transformers: a conversion that --engine auto would have run (faster,
        and int8 itself when converted so) goes unused, which a user who converted must be told."""
        if self._engines_conversion(ref) is not None:
            self.warnings.append(f"--quantize runs {ref.id} on the transformers engine, passing over its CTranslate2 "
                                 "conversion (faster; int8 when converted with --quantization int8): "
                                 "leave out --quantize to use it")

    def _downloaded(self, role: str, ref: ModelRef) -> ModelRef:
        """The model's local copy, downloaded when it is not here. The hub is asked first under a
        spinner (the download's own progress bars show nothing until files come, and a silent hub
        kept the terminal blank for some 90 s); a hub that failed one model is not waited on again
        for the other (a brief waited twice)."""
        from mujaz.models import hub

        if hub.cached_path(ref) is not None or ref.revision is None:
            return hub.ensure_local(ref, progress=self.progress)
        if self._hub_failed is not None:
            raise ModelUnavailable(f"model {ref.id} is not in the local cache, and the hub failed a moment ago "
                                   f"({self._hub_failed.message})", hint=self._hub_failed.hint)
        try:
            with self.status(f"Asking the hub for the {role} {ref.id}"):
                hub.ask_hub(ref)
            return hub.ensure_local(ref, progress=self.progress)
        except ModelUnavailable as error:
            if error.hint == hub.HUB_ANSWER_HINT:  # the hub's failure, not this model's ("no such model")
                self._hub_failed = error
            raise


def _no_conversion(ref: ModelRef) -> ModelUnavailable:
    return ModelUnavailable(f"model {ref.id} has no CTranslate2 conversion", hint=f"run `mujaz models convert {ref.id}`")
