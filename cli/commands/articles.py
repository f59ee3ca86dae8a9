"""`mujaz brief`, `mujaz summarise` and `mujaz translate` (one flow, three tasks), and `mujaz segment`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from mujaz.commands.options import (
    AnyScriptOpt,
    BidiOpt,
    DebugOpt,
    Device,
    DeviceOpt,
    Engine,
    EngineOpt,
    FormatOpt,
    Length,
    LengthOpt,
    MaxBytesOpt,
    MaxSentencesOpt,
    Method,
    MethodOpt,
    QuantizeOpt,
    QuietOpt,
    Sources,
    SummariserOpt,
    TranslatorOpt,
    format_option,
)
from mujaz.limits import MAX_BYTES, MAX_SENTENCES


@dataclass
class RunOptions:
    """Everything a brief, summarise or translate run was asked for."""

    summariser: str | None = None
    translator: str | None = None
    method: str = "auto"
    length: str = "medium"
    words: int | None = None
    ratio: float | None = None
    to_english: bool = False
    format: str | None = None
    device: str = "auto"
    engine: str = "auto"
    quantize: bool = False
    any_script: bool = False
    max_bytes: int = MAX_BYTES
    max_sentences: int = MAX_SENTENCES
    bidi: bool | None = None
    quiet: bool = False
    debug: bool = False


def brief(
    sources: Sources,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: LengthOpt = Length.medium,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    any_script: AnyScriptOpt = False,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_sentences: MaxSentencesOpt = MAX_SENTENCES,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Headline and summary of each article, in Arabic and in English."""
    options = RunOptions(
        summariser=summariser, translator=translator, method=method.value, length=length.value, format=_value(format),
        device=device.value, engine=engine.value, quantize=quantize, any_script=any_script, max_bytes=max_bytes,
        max_sentences=max_sentences, bidi=bidi, quiet=quiet, debug=debug,
    )
    raise typer.Exit(run("brief", sources, options))


def summarise(
    sources: Sources,
    to: Annotated[
        Optional[str], typer.Option("--to", help="Also translate the headline and the summary: 'en' (the one target).",
                                   show_default=False)
    ] = None,
    words: Annotated[
        Optional[int], typer.Option("--words", min=1, help="Summary budget in words (instead of --length).", show_default=False)
    ] = None,
    ratio: Annotated[
        Optional[float],
        typer.Option("--ratio", min=0.01, max=1.0, show_default=False,
                     help="Summary budget as a share of the article's words (instead of --length)."),
    ] = None,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: Annotated[
        Optional[Length],
        typer.Option("--length", help="Summary length (default: medium), or a budget: --words, --ratio.", show_default=False,
                     case_sensitive=False),
    ] = None,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    any_script: AnyScriptOpt = False,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_sentences: MaxSentencesOpt = MAX_SENTENCES,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The Arabic summary of each article (--to en adds its English translation)."""
    to = to.lower() if to is not None else None  # "EN" as "en"
    if to not in (None, "en"):
        raise typer.BadParameter(f"{to!r}: the only target language is 'en'", param_hint="--to")
    if words is not None and ratio is not None:
        raise typer.BadParameter("give --words or --ratio, not both", param_hint="--words/--ratio")
    if length is not None and (words is not None or ratio is not None):
        raise typer.BadParameter("give --length or a budget (--words, --ratio), not both", param_hint="--length")
    if translator is not None and to is None:  # as --summariser with --method extractive: not used, so refused
        raise typer.BadParameter("a translator is used with --to en only", param_hint="--translator")
    options = RunOptions(
        summariser=summariser, translator=translator, method=method.value, length=(length or Length.medium).value,
        words=words, ratio=ratio, to_english=to == "en", format=_value(format), device=device.value, engine=engine.value,
        quantize=quantize,
        any_script=any_script, max_bytes=max_bytes, max_sentences=max_sentences, bidi=bidi, quiet=quiet, debug=debug,
    )
    raise typer.Exit(run("summarise", sources, options))


def translate(
    sources: Sources,
    translator: TranslatorOpt = None,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_sentences: MaxSentencesOpt = MAX_SENTENCES,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The whole article in English, sentence by sentence, aligned with the Arabic."""
    options = RunOptions(
        translator=translator, method="extractive", format=_value(format), device=device.value, engine=engine.value,
        quantize=quantize, max_bytes=max_bytes, max_sentences=max_sentences, bidi=bidi, quiet=quiet, debug=debug,
    )
    raise typer.Exit(run("translate", sources, options))


def _value(choice) -> str | None:
    return choice.value if choice is not None else None


def run(task: str, sources: list[str], options: RunOptions) -> int:
    """Each source in order: load, segment, summarise, translate, write. Returns the exit code."""
    from mujaz.core.batch import roles
    from mujaz.core.brief import NO_ENGLISH, complete_briefs, start_brief, summary_budget
    from mujaz.core.provider import ModelProvider
    from mujaz.errors import (ModelUnavailable, MujazError, UsageProblem, debug_wanted, print_traceback, report,
                              run_outcome)
    from mujaz.render import Feedback, Writer, default_format
    from mujaz.streams import require_stdout

    _stdin_once(sources)  # what was typed wrong first, as segment says it
    require_stdout()  # before any model loads
    feedback = Feedback(quiet=options.quiet)
    debug = debug_wanted(options.debug)
    out = sys.stdout
    writer = Writer(options.format or default_format(out), out, bidi=options.bidi, many=len(sources) > 1)
    _say_unused_bidi(writer, feedback, task, options.bidi)
    provider = ModelProvider(
        method=options.method, summariser=options.summariser, translator=options.translator, device=options.device,
        engine=options.engine, quantize=options.quantize, any_script=options.any_script, status=feedback.status,
        progress=feedback.interactive,
    )
    wants_english = task in ("brief", "translate") or options.to_english
    provider.refuse_a_device_it_lacks(roles(task, options.method) + ["translator"] * (task == "summarise" and wants_english))
    failures: list[int] = []
    translation_error: ModelUnavailable | None = None
    try:
        for number, spec in enumerate(sources, start=1):
            try:
                article = _read_source(feedback, spec, options.max_bytes)
                result = start_brief(article, task, options.max_sentences)
                budget = summary_budget(article.text, length=options.length, words=options.words, ratio=options.ratio)
                status = feedback.status
                if len(sources) > 1:  # the spinner says which article it is at
                    status = _labelled(feedback.status, f"{article.source.name} ({number}/{len(sources)})")
                # A translator that failed for an earlier source fails again at once (ModelProvider).
                translation_error = complete_briefs(
                    [result], task, provider, budget, english=wants_english, status=status,
                    release_summariser=number == len(sources),  # the last summary is made
                ) or translation_error
            except (UsageProblem, ModelUnavailable):
                # The run's, not the source's (a --device no machine has, a named summariser that
                # cannot be had): every source left would fail alike, and exit 5, "some failed",
                # would hide it. What is written stays written (finally).
                raise
            except MujazError as error:
                failures.append(_source_failed(error, task, spec, writer, debug))
                continue
            # A missing translator is said once, as the error it is, after the results.
            feedback.warn_once(provider.warnings + _of_source(
                [w for w in result.warnings if w not in provider.warnings and not w.startswith(NO_ENGLISH)],
                article.source, len(sources)))
            writer.write(result)
    finally:
        writer.close()
    if translation_error is not None:
        if debug:
            print_traceback(translation_error)
        report(translation_error)
    return run_outcome(len(sources), failures, no_translator=translation_error is not None, printed=writer.count > 0)


def _labelled(status, label: str):
    """`status` saying which article it is at: "a.txt (2/5): Summarising"."""
    return lambda message: status(f"{label}: {message}")


def _read_source(feedback, spec: str, max_bytes: int):
    """One SOURCE as an Article (core.source.load_article), the terminal told what happens: that
    standard input is awaited there, and a spinner while a page downloads (up to its 20 s
    deadline), where a terminal showed nothing meanwhile."""
    from contextlib import nullcontext

    from mujaz.core.fetch import is_url, without_password
    from mujaz.core.source import load_article

    if spec == "-":
        feedback.before_reading_stdin("the article")
    with feedback.status(f"Fetching {without_password(spec)}") if is_url(spec) else nullcontext():
        return load_article(spec, max_bytes=max_bytes)


def _source_failed(error, task: str, spec: str, writer, debug: bool) -> int:
    """A source that failed, said as the others go on: its traceback with --debug (above the
    error's line, as everywhere: the line stays the last word), the line, and its record in its
    place in the output. Returns its exit code."""
    from mujaz.core.brief import failure_json
    from mujaz.errors import exit_code_for, print_traceback, report

    if debug:
        print_traceback(error)
    report(error)
    writer.write_failure(failure_json(task, spec, error))
    return exit_code_for(error)


def _of_source(warnings: list[str], source, sources: int) -> list[str]:
    """An article's own warnings as stderr says them: with its name when there are several."""
    return [f"{source.name}: {warning}" for warning in warnings] if sources > 1 else warnings


def _stdin_once(sources: list[str]) -> None:
    if sources.count("-") > 1:
        from mujaz.errors import UsageProblem

        raise UsageProblem("'-' is given more than once, and standard input can be read only once",
                           hint="to read several articles from one stream, use `mujaz batch -`")


# Segments are written as text on a terminal too: no table to draw
SegmentFormatOpt = format_option("Output format (default: text, on a terminal too; rich is written as text).")


def segment(
    sources: Sources,
    format: SegmentFormatOpt = None,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_sentences: MaxSentencesOpt = MAX_SENTENCES,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Each article's segments, one a line: headline, sub-headings and sentences (json adds their kinds).

    Several sources: each under a `==> SOURCE <==` line, as in brief. markdown: the
    headline as `#`, sub-headings as `##`, a blank line between paragraphs.
    """
    from mujaz.core.brief import SegmentedArticle, article_segments, reading_warnings
    from mujaz.errors import MujazError, debug_wanted, outcome_code
    from mujaz.render import Feedback, SegmentsWriter
    from mujaz.streams import require_stdout

    _stdin_once(sources)
    require_stdout()  # before any source is read: a closed stdout is exit 1, as for brief, not a source's failure
    feedback = Feedback(quiet=quiet)
    writer = SegmentsWriter(format.value if format else "text", sys.stdout, bidi=bidi, many=len(sources) > 1)
    _say_unused_bidi(writer, feedback)
    failures: list[int] = []
    try:
        for spec in sources:
            try:
                article = _read_source(feedback, spec, max_bytes)
                segments = article_segments(article, max_sentences)
            except MujazError as error:
                failures.append(_source_failed(error, "segment", spec, writer, debug_wanted(debug)))
                continue
            warnings = reading_warnings(article, segments)
            feedback.warn_once(_of_source(warnings, article.source, len(sources)))
            writer.write(SegmentedArticle(article.source, segments, warnings))
    finally:
        writer.close()
    raise typer.Exit(outcome_code(len(sources), len(failures), set(failures)))


def _say_unused_bidi(writer, feedback, task: str | None = None, asked: bool | None = None) -> None:
    if writer.bidi_unused:
        feedback.warn(f"--bidi reorders text and rich output; {writer.fmt} keeps Arabic in logical order")
    elif asked and task == "translate" and writer.fmt == "text":
        feedback.warn("--bidi reorders Arabic, and translate's text output is the English alone")
