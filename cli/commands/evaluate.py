"""`mujaz eval`: measured quality on real data, with the settings that produced it."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from mujaz.commands.options import (
    AnyScriptOpt, DebugOpt, Device, DeviceOpt, Engine, EngineOpt, Format, FormatOpt, Length, Method, MethodOpt, QuietOpt,
    SummariserOpt, TranslatorOpt,
)

if TYPE_CHECKING:
    from mujaz.models.base import LengthBudget

app = typer.Typer(help="Measure mujaz on real data: segmentation, summaries, headlines, translations.", no_args_is_help=True)

# readable=False: a dataset mujaz may not read is bad input (exit 4), said by the readers, not usage.
DatasetArg = Annotated[Path, typer.Argument(help="A dataset folder or file (see README: Evaluation).", show_default=False,
                                                   readable=False, metavar="DATASET")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N items.")]
OutputsOpt = Annotated[Optional[Path], typer.Option(
    "--outputs", metavar="FILE", show_default=False,
    help="Also write each item's output (and scores) to FILE, a JSON line an item (to rerun a scorer, test "
         "significance, or read the errors).")]
EvalLengthOpt = Annotated[Optional[Length], typer.Option(
    "--length", case_sensitive=False, show_default=False,
    help="Summaries at this length, as `mujaz summarise --length` makes them, scored whole instead of cut at "
         "the budget B: medium is a model's own decoding, to compare with published scores (XL-Sum's).")]


def _report(title: str, result: dict, columns: list[str], rows: list[list[str]], fmt: Format | None,
            outputs: Path | None, records: list[dict]) -> None:
    """The figures on stdout, then each item's record in --outputs: the figures first, so that an
    --outputs file that cannot be written costs them not, and the records though stdout failed (a
    reader gone, `| jqq`, a full disk), since they cost the whole run to make."""
    from mujaz.render import chosen_format, write_figures

    try:
        write_figures(title, result, columns, rows, chosen_format(fmt))
        sys.stdout.flush()  # a failure to write them met here, not at exit after the records were left unwritten
    finally:
        _write_outputs(outputs, records)


EVAL_SCHEMA = "mujaz.eval/1"  # of a result's JSON: what a script may rely on, versioned as brief's
ROUGE_COLUMNS = ["ROUGE", "F1", "F1 95% interval", "recall", "precision"]


def _rouge_row(kind: str, figures: dict) -> list[str]:
    low, high = figures["f1_95ci"]
    return [kind, f"{figures['f1']:.2f}", f"{low:.2f}–{high:.2f}", f"{figures['recall']:.2f}", f"{figures['precision']:.2f}"]


def _progress(items, label: str, quiet: bool, size=lambda item: 1):
    """Items, with a progress bar on stderr when it is a terminal, and nothing when piped or --quiet.
    `size`: what an item counts for (a chunk, its lines or articles), so that the count is of those, not of chunks."""
    from mujaz.render import Feedback

    feedback = Feedback(quiet=quiet)
    if not feedback.interactive:
        yield from items
        return
    total = sum(size(item) for item in items)
    if not feedback.redraws:
        from mujaz.render import PlainProgress

        progress = PlainProgress(feedback, label, total)
        for item in items:
            yield item
            progress.advance(size(item))
        return
    from rich.progress import Progress

    with Progress(console=feedback.console(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task, size(item))


def _items(dataset: Path, items: list) -> list:
    """A dataset's items, before the scoring starts; none at all is bad input, not a score of zero,
    and a closed stdout is refused now rather than after the work."""
    from mujaz.errors import BadInput
    from mujaz.streams import require_stdout

    if not items:
        raise BadInput(f"{dataset}: no items to score in this dataset",
                       hint="check that it is the dataset meant; the README's Evaluation section gives each format")
    require_stdout()
    return items


def _outputs_to(path: Path | None, dataset: Path) -> Path | None:
    """--outputs FILE, refused before the work where it could not be written at its end, or would
    write over the dataset: its file, a file it is read with (FILE.ar's FILE.en, NTREX-128's ids and
    English side), or into its folder, which the readers list."""
    from mujaz.errors import UsageProblem
    from mujaz.streams import is_stdout

    if path is None:
        return None
    # (a terminal shows both, as the user asked: "--outputs /dev/stderr" there is the same terminal)
    if str(path) == "-" or (is_stdout(path) and not sys.stdout.isatty() and os.path.realpath(path) != os.devnull):
        raise UsageProblem(f"--outputs {path}: standard output carries the figures", hint="give a file name")
    if not path.parent.is_dir():
        raise UsageProblem(f"--outputs {path}: {path.parent} is not a folder", hint="create it, or write elsewhere")
    if path.is_dir():
        raise UsageProblem(f"--outputs {path} is a folder", hint="give a file name")
    where, data = path.resolve(), dataset.resolve()
    if where == data or data in where.parents or where in _read_with(data):
        said = ("the dataset itself" if where == data else "inside the dataset" if data in where.parents
                else f"the dataset's {where.name}, read with {data.name}")
        raise UsageProblem(f"--outputs {path} is {said}", hint="write elsewhere")
    _try_writing(path)
    return path


def _read_with(dataset: Path) -> set[Path]:
    """The files a dataset given as one file is read with: FILE.ar's FILE.en, NTREX-128's ids and
    English side beside its Arabic file."""
    from mujaz.core.datasets import is_ntrex_arabic, line_pair_twins, suffix

    if suffix(dataset) == ".ar":
        return set(line_pair_twins(dataset))
    if is_ntrex_arabic(dataset):
        return {dataset.parent / "DOCUMENT_IDS.tsv", *dataset.parent.glob("*.eng.txt")}
    return set()


def _try_writing(path: Path) -> None:
    """Opens --outputs FILE for writing and leaves it as it was (a file there keeps its records until
    the new ones are written): no permission, a read-only disk or a link into a folder gone is said
    before a run of hours, not after it."""
    from mujaz.errors import OutputFailed

    target = path.resolve()  # a link's: the link stays, pointing at the records
    existed = target.exists()
    if existed and not target.is_file():
        return  # a pipe or a device: opened and closed now, a FIFO's reader would take it for the end
    try:
        with target.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise OutputFailed(f"--outputs {path}: cannot write: {error.strerror or error}",
                           hint="write elsewhere, or give yourself write permission there") from error
    if not existed:
        target.unlink(missing_ok=True)  # made to try it: the run writes it at its end


def _write_outputs(path: Path | None, records: list[dict]) -> None:
    """Each item's record, a JSON line each (mujaz.core.text.json_line)."""
    if path is None:
        return
    from mujaz.core.text import json_line
    from mujaz.errors import OutputFailed

    try:
        with path.open("w", encoding="utf-8") as out:
            out.writelines(json_line(record) + "\n" for record in records)
    except OSError as error:
        raise OutputFailed(f"--outputs {path}: cannot write: {error.strerror or error}",
                           hint="write the outputs elsewhere") from error


def _model_record(ref) -> dict | None:
    """The model as results name it: a local directory, which has no revision, by its files'
    fingerprint too (two checkpoints saved into one folder read the same: an eval review)."""
    if ref is None:
        return None  # the model-free extractive summariser
    record = ref.to_json()
    if ref.revision is None:
        from mujaz.models import ct2
        from mujaz.models.base import ModelRef

        record["fingerprint"] = ct2.key(ModelRef(id=ref.id)).name  # as the result cache and the store key it
    return record


def _model_said(settings: dict) -> list[str]:
    """The model a result measured, as its title names it (a table's only record of it): its id,
    at its revision, the engine and the weights; nothing for the model-free summariser."""
    model = settings["model"]
    if model is None:
        return []
    revision = f"@{model['revision'][:12]}" if model.get("revision") else ""
    return [f"{model['id']}{revision}", model["engine"], *([settings["weights"]] if settings.get("weights") else [])]


def _settings(dataset: Path, count: int, limit: int | None, **extra) -> dict:
    from mujaz import __version__

    return {"dataset": str(dataset), "items": count, "limit": limit, "mujaz": __version__, **extra}


class _Warnings:
    """A run's warnings: on stderr as they come (not with --quiet), and in its JSON result's
    `warnings`, as every JSON result of mujaz carries its own."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.said: list[str] = []

    def warn(self, message: str) -> None:
        self.said.append(message)
        self.feedback.warn(message)


def _warn_of_other_languages(texts: list[str], warnings: _Warnings) -> None:
    """Items whose text `mujaz summarise` would refuse as not Arabic, warned of: scored all the same
    (headlines and boundaries can be scored in any language), their figures say nothing of Arabic."""
    from mujaz.core.source import is_arabic_article
    from mujaz.core.text import looks_other_language

    other = sum(not is_arabic_article(text) or looks_other_language(text) for text in texts)
    if other:
        warnings.warn(f"{other} of {len(texts)} items are not Arabic text (as `mujaz summarise` refuses them): scored "
                      "all the same, they say nothing of how mujaz reads Arabic")


def _left_out(notes: list[str], warnings: _Warnings) -> dict:
    """What the dataset held that was not scored: warned of, and kept with the figures."""
    for note in notes:
        warnings.warn(note)
    return {"left_out": notes}


def _rouge_settings() -> dict:
    from importlib.metadata import version

    return {
        "scorer": f"rouge_score {version('rouge-score')}: ROUGE-L is the sentence-level LCS (not ROUGE-Lsum); "
                  "an item's score is the mean over its references, the figure the mean over items",
        "tokens": "Unicode words of the text after the normalisation below (mujaz.core.text.words)",
        "normalisation": "diacritics and tatweel removed; alef forms, ya/alef maqsura, ta marbuta/ha unified "
                         "(both sides; references are read as articles are)",
        "bootstrap": _bootstrap(),
    }


def _bootstrap() -> str:
    from mujaz.core.evaluate import BOOTSTRAP_SAMPLES

    return f"95% intervals: {BOOTSTRAP_SAMPLES} resamples of the items, seed 0"


@app.command()
def segmentation(
    dataset: DatasetArg, limit: LimitOpt = None, outputs: OutputsOpt = None, format: FormatOpt = None,
    quiet: QuietOpt = False, debug: DebugOpt = False,
) -> None:
    """Sentence boundaries against one-sentence-per-line gold (NTREX-128 Arabic, or JSONL)."""
    from mujaz.core.datasets import read_segmentation
    from mujaz.core.evaluate import score_segmentation
    from mujaz.core.segment import segment_article
    from mujaz.errors import BadInput
    from mujaz.render import Feedback

    outputs = _outputs_to(outputs, dataset)
    docs = _items(dataset, read_segmentation(dataset))[:limit]
    if not any(len(doc.lines) > 1 for doc in docs):  # the dataset has some (read_segmentation): not this part
        raise BadInput(f"{dataset}: the first {limit} document(s) hold none of two sentences or more: "
                       "no boundary to score", hint="raise --limit")
    warnings = _Warnings(Feedback(quiet=quiet))
    _warn_of_other_languages([" ".join(doc.lines) for doc in docs], warnings)
    made: list[list[str]] = []  # each document's segments, in order, for --outputs

    def segmented(text: str) -> list[str]:
        made.append([segment.text for segment in segment_article(text)])
        return made[-1]

    score = score_segmentation(_progress(docs, "Segmenting", quiet), segmented)
    figures = score.to_json()
    result = {
        "schema": EVAL_SCHEMA,
        "task": "segmentation",
        "settings": _settings(
            dataset, len(docs), limit,
            protocol="per document: headline, newline, the other gold lines joined by single spaces; "
            "gold = the line ends, the document end not counted; perfect_documents and headline_found are "
            "shares of the documents of two lines or more",
            outputs=str(outputs) if outputs else None,
        ),
        "figures": figures,
        "warnings": warnings.said,
    }
    _report("mujaz eval segmentation", result, ["measure", "value"], [[k, str(v)] for k, v in figures.items()], format,
            outputs, [{"id": doc.id, "segments": segments, "gold": doc.lines} for doc, segments in zip(docs, made)])


@app.command()
def summaries(
    dataset: DatasetArg,
    method: MethodOpt = Method.extractive,
    summariser: SummariserOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    any_script: AnyScriptOpt = False,
    length: EvalLengthOpt = None,
    limit: LimitOpt = None,
    outputs: OutputsOpt = None,
    format: FormatOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """ROUGE-1/2/L against human summaries (EASC, ARGEn titles, or JSONL) at a fixed budget.

    Budget: B = (N+1)//3 words of the article; every summary is cut to its first
    B words (unless --length). Scores are means over references, then over articles
    (F1 with 95% bootstrap intervals over articles).
    """
    from mujaz.core.provider import ModelProvider
    from mujaz.core.datasets import SUMMARY_REFERENCES, read_summaries, summary_format
    from mujaz.core.evaluate import ROUGE_SCORER, eval_dependency, mean_rouge
    from mujaz.core.text import words
    from mujaz.models.base import LENGTHS
    from mujaz.render import Feedback

    eval_dependency(ROUGE_SCORER)  # before the work, not after hours of it
    outputs = _outputs_to(outputs, dataset)
    notes: list[str] = []
    read = read_summaries(dataset, notes)
    feedback = Feedback(quiet=quiet)
    warnings = _Warnings(feedback)
    left_out = _left_out(notes, warnings)  # before "no items", which it may explain
    items = _items(dataset, read)[:limit]
    provider = ModelProvider(method=method.value, summariser=summariser, device=device.value, engine=engine.value,
                             any_script=any_script, status=feedback.status, progress=feedback.interactive)
    model = provider.summariser()  # a spinner while it loads, on a terminal
    for warning in provider.warnings:  # the extractive summariser standing in, a model that looks like a translator
        warnings.warn(warning)
    fixed = LENGTHS[length.value] if length else None  # one length for every article, its summaries scored whole
    records = _summarised(model, items, quiet, fixed)
    empty = sum(not words(record["summary"]) for record in records)  # nothing to summarise: each scores 0
    figures = mean_rouge([record["scores"] for record in records])
    # What the model did to articles (windows, a summary cut back), by kind, said as counts, in the
    # output and on stderr: how many articles went past the model's input limit changes how the
    # figures read. The extractive budget's own note (whole sentences over the budget) is no model's
    # doing, and every system is cut to B.
    summary_notes = _note_kinds([record["notes"] for record in records]) if model.method == "abstractive" else {}
    for note, count in summary_notes.items():
        warnings.warn(f"{count} of {len(items)} summaries: {note}")
    if empty:  # scored 0, as a system that fails an article should be, but said: the figure reads otherwise
        warnings.warn(f"{empty} of {len(items)} articles have an empty summary, each scored 0 (nothing to summarise: "
                      "not Arabic, or source, credit and label lines alone; --outputs says which)")
    result = {
        "schema": EVAL_SCHEMA,
        "task": "summaries",
        "settings": _settings(
            dataset, len(items), limit, method=model.method,
            model=_model_record(model.ref),
            **model.decoding(lengths_per_article=fixed is None, budget=fixed),
            references=SUMMARY_REFERENCES[summary_format(dataset)],
            length=length.value if length else None,  # --length, or null: the budget B below
            budget=_budget_said(fixed, model.method),
            headline=("the dataset's title, where it has one (not ARGEn's: it is the reference), else the headline "
                      "the article opens with, is given to the summariser") if model.method == "extractive"
                     else "not given: the model reads the article's body alone",
            **_rouge_settings(), **left_out, summary_notes=summary_notes, empty_summaries=empty,
            outputs=str(outputs) if outputs else None,
            script=("any (--any-script)" if any_script else "Arabic, and other scripts' pieces only from the article")
            if model.method == "abstractive" else None,
        ),
        "figures": figures,
        "warnings": warnings.said,
    }
    said = [model.method, *_model_said(result["settings"]), f"--length {fixed.name}, whole" if fixed else "B = (N+1)//3 words"]
    _report(f"mujaz eval summaries ({', '.join(said)})", result, ROUGE_COLUMNS,
            [_rouge_row(kind, v) for kind, v in figures.items()], format, outputs, records)


def _budget_said(fixed: LengthBudget | None, method: str) -> str:
    """The summaries' length, for the result's settings."""
    if fixed is None:
        return "B = (N+1)//3 words of the article (Unicode words after Arabic normalisation); summaries cut to B"
    if fixed.words is not None:
        length = f"{fixed.words} words"
        if method == "extractive" and fixed.name == "short":
            length += ", never more than medium's (a quarter of the article): each record's budget"
    else:
        length = "the model's own decoding" if method == "abstractive" else "a quarter of the article, at most 80 words"
    return f"--length {fixed.name}: {length}, as `mujaz summarise --length {fixed.name}` makes them; scored whole, not cut"


_FIGURE = re.compile(r"\d[\d,]*")
_PLACE = "\x00"  # a figure's place in a kind of note (no note holds it)


def _note_kinds(notes: list[list[str]]) -> dict[str, int]:
    """How many articles had each kind of note (a note with its figures taken out; each kind once an
    article), most first, ties in the order said. A figure every article's note of a kind shares is
    said, the others are N: "the summariser's input limit (64 tokens): summarised in N windows"."""
    figures: dict[str, list[list[str]]] = {}  # kind -> each article's figures
    for article_notes in notes:
        firsts: dict[str, list[str]] = {}
        for note in article_notes:
            firsts.setdefault(_FIGURE.sub(_PLACE, note), _FIGURE.findall(note))
        for kind, values in firsts.items():
            figures.setdefault(kind, []).append(values)
    said = {}
    for kind, each in figures.items():
        shared = iter([values[0] if len(set(values)) == 1 else "N" for values in zip(*each)])
        said[re.sub(_PLACE, lambda _: next(shared), kind)] = len(each)
    return dict(sorted(said.items(), key=lambda item: -item[1]))


def _summarised(model, items: list, quiet: bool, fixed: LengthBudget | None = None) -> list[dict]:
    """Each item summarised at its budget, B = (N+1)//3 words, cut to B and scored: its --outputs record.
    At a `fixed` length (--length) instead, scored whole, its budget the words the summariser worked to
    (null: a model's own length, at medium).

    Articles go in chunks, as `mujaz batch` takes them, each at its own budget: a model summarises
    a chunk's windows together (bench/BATCH_SUMMARIES.md: 3x the rate of one by one at one budget;
    with a budget an article the last rounds are apart: 1.3x on EASC with the tiny model, ad hoc)."""
    from mujaz.core.batch import chunks
    from mujaz.core.evaluate import article_and_headline, budget_words, cut_to_budget, rouge
    from mujaz.limits import CHUNK
    from mujaz.models.base import LengthBudget

    records = []
    for chunk in _progress(list(chunks(items, CHUNK)), "Summarising", quiet, size=len):
        budgets = [budget_words(item.text) for item in chunk]
        bodies = [article_and_headline(item.text) for item in chunk]
        # The dataset's title, else the headline the article opens with, as `mujaz summarise` finds it
        headlines = [item.title or headline for item, (_, headline) in zip(chunk, bodies)]
        made = model.summarise_many([(sentences, headline) for (sentences, _), headline in zip(bodies, headlines)],
                                    fixed or [LengthBudget(words=budget, name="eval", fill=True) for budget in budgets])
        for item, budget, headline, summary in zip(chunk, budgets, headlines, made):
            scored = cut_to_budget(summary.text, None if fixed else budget)
            if fixed:  # the words the summariser worked to (extractive: its own share), else the length's
                budget = summary.words if summary.words is not None else fixed.words
            records.append({"id": item.id, "budget": budget,
                            "headline": headline if model.method == "extractive" else None,
                            "summary": summary.text, "scored": scored, "references": item.references,
                            "scores": rouge(scored, item.references), "notes": summary.notes})
    return records


@app.command()
def headlines(
    dataset: DatasetArg, limit: LimitOpt = None, outputs: OutputsOpt = None, format: FormatOpt = None,
    quiet: QuietOpt = False, debug: DebugOpt = False,
) -> None:
    """How close the article's first sentence comes to its real title: ROUGE-1/2/L F1.

    Titles from ARGEn, EASC's Titles.txt, or a JSONL's "title". A baseline for headline
    generation: mujaz's extractive summary starts with that sentence.
    """
    from mujaz.core.datasets import read_summaries
    from mujaz.core.evaluate import ROUGE_SCORER, article_sentences, eval_dependency, mean_rouge, rouge
    from mujaz.errors import BadInput
    from mujaz.render import Feedback

    eval_dependency(ROUGE_SCORER)  # before the work, not after hours of it
    outputs = _outputs_to(outputs, dataset)
    notes: list[str] = []
    read = read_summaries(dataset, notes, titles_only=True)[:limit]  # --limit: the dataset's first N items
    titled = [item for item in read if item.headline]
    if titled and len(titled) < len(read):  # a figure over a part of the data says so
        notes.append(f"{len(read) - len(titled)} item(s) without a title: left out")
    warnings = _Warnings(Feedback(quiet=quiet))
    left_out = _left_out(notes, warnings)  # before "no titles", which it may explain
    if not titled:
        raise BadInput(f"{dataset}: no titles to compare with", hint="give ARGEn's .tsv, EASC with Titles.txt, "
                                                                      "or JSONL whose lines have a title")
    items = _items(dataset, titled)
    _warn_of_other_languages([item.text for item in items], warnings)
    per_item, records = [], []
    for item in _progress(items, "Scoring", quiet):
        sentences = article_sentences(item.text)
        candidate = sentences[0] if sentences else ""
        per_item.append(rouge(candidate, [item.headline]))
        records.append({"id": item.id, "candidate": candidate, "title": item.headline, "scores": per_item[-1]})
    figures = mean_rouge(per_item)
    settings = _settings(dataset, len(items), limit, candidate="the article's first sentence",
                         reference="the article's real title", **_rouge_settings(), **left_out,
                         outputs=str(outputs) if outputs else None)
    result = {"schema": EVAL_SCHEMA, "task": "headlines", "settings": settings, "figures": figures, "warnings": warnings.said}
    _report("mujaz eval headlines (first sentence vs real title)", result, ROUGE_COLUMNS[:3],
            [_rouge_row(kind, v)[:3] for kind, v in figures.items()], format, outputs, records)


@app.command()
def translations(
    dataset: DatasetArg,
    translator: TranslatorOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    limit: LimitOpt = None,
    outputs: OutputsOpt = None,
    format: FormatOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """BLEU and chrF (sacrebleu) on line-aligned Arabic/English data (NTREX-128, UN v1, FILE.ar+FILE.en, JSONL)."""
    from mujaz.core.batch import chunks
    from mujaz.core.provider import ModelProvider
    from mujaz.core.datasets import read_parallel
    from mujaz.core.evaluate import BLEU_SCORER, bleu_chrf, eval_dependency
    from mujaz.core.text import as_read
    from mujaz.models.seq2seq import TRANSLATION_PIECE_TOKENS, has_arabic_letters
    from mujaz.render import Feedback

    eval_dependency(BLEU_SCORER)  # before the work, not after hours of it
    outputs = _outputs_to(outputs, dataset)
    items = _items(dataset, read_parallel(dataset))[:limit]
    feedback = Feedback(quiet=quiet)
    warnings = _Warnings(feedback)
    provider = ModelProvider(method="extractive", translator=translator, device=device.value, engine=engine.value,
                             status=feedback.status, progress=feedback.interactive)
    model = provider.translator()  # a spinner while it loads
    for warning in provider.warnings:  # a translator that looks like a summariser: its figures would mislead
        warnings.warn(warning)
    hypotheses = []
    unended = copied = 0
    # In chunks of 64 lines, so that a terminal can show progress
    for chunk in _progress(list(chunks(items, 64)), "Translating", quiet, size=len):
        # Each line as mujaz reads text, and as one segment: the references are aligned by line.
        lines = [as_read(item.ar) for item in chunk]
        translations = model.translate_noted(lines)
        hypotheses.extend(translation.text for translation in translations)
        unended += sum(not translation.ended for translation in translations)
        # A line without an Arabic letter (a date in digits, an e-mail address) is kept as it is, as
        # translate keeps it: often its reference word for word, so it is counted.
        copied += sum(not has_arabic_letters(line) for line in lines)
    # A model looping to its length cap scores low for it: how often, in the output and on stderr.
    if unended:
        warnings.warn(f"{unended} of {len(items)} translations: the translator did not end them (its length cap stopped them)")
    figures = bleu_chrf(hypotheses, [item.en for item in items])
    settings = _settings(dataset, len(items), limit, model=_model_record(model.ref), **model.decoding(),
                         outputs=str(outputs) if outputs else None, unended_translations=unended,
                         copied_without_arabic_letters=copied,
                         input="each Arabic line normalised as mujaz reads an article, translated as one segment "
                               "(not split into sentences: the references are aligned by line), a line over "
                               f"{TRANSLATION_PIECE_TOKENS} tokens clause by clause as in every translation, its "
                               "pieces joined; a line without an Arabic letter is kept as it is "
                               "(copied_without_arabic_letters)")
    result = {"schema": EVAL_SCHEMA, "task": "translations", "settings": settings, "figures": figures, "warnings": warnings.said}
    _report(f"mujaz eval translations ({', '.join(_model_said(settings))})", result, ["measure", "value"],
            [[k, str(v)] for k, v in figures.items()], format, outputs,
            [{"id": item.id, "ar": item.ar, "hypothesis": hypothesis, "reference": item.en}
             for item, hypothesis in zip(items, hypotheses)])
