"""`mujaz brief`, `mujaz summarise` and `mujaz translate`: one flow, three tasks."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Annotated, Optional

import typer

from mujaz.commands.options import (
    BidiOpt,
    DebugOpt,
    Device,
    DeviceOpt,
    Engine,
    EngineOpt,
    FormatOpt,
    Length,
    LengthOpt,
    Method,
    MethodOpt,
    QuantizeOpt,
    QuietOpt,
    Sources,
    SummariserOpt,
    TranslatorOpt,
)


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
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Headline and summary of each article, in Arabic and in English."""
    raise typer.Exit(
        run(
            "brief", sources, summariser=summariser, translator=translator, method=method.value,
            length=length.value, fmt=format, device=device.value, engine=engine.value, quantize=quantize, bidi=bidi, quiet=quiet, debug=debug,
        )
    )


def summarise(
    sources: Sources,
    to: Annotated[
        Optional[str], typer.Option("--to", help="Also translate the summary: 'en'.", show_default=False)
    ] = None,
    words: Annotated[
        Optional[int], typer.Option("--words", min=1, help="Summary budget in words (overrides --length).", show_default=False)
    ] = None,
    ratio: Annotated[
        Optional[float],
        typer.Option("--ratio", min=0.01, max=1.0, help="Summary budget as a share of the article's words.", show_default=False),
    ] = None,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: LengthOpt = Length.medium,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The Arabic summary of each article (--to en adds its English translation)."""
    if to not in (None, "en"):
        raise typer.BadParameter(f"{to!r}: the only target language is 'en'", param_hint="--to")
    if words is not None and ratio is not None:
        raise typer.BadParameter("give --words or --ratio, not both", param_hint="--words/--ratio")
    raise typer.Exit(
        run(
            "summarise", sources, summariser=summariser, translator=translator, method=method.value,
            length=length.value, fmt=format, device=device.value, engine=engine.value, quantize=quantize, bidi=bidi, quiet=quiet,
            to_english=to == "en", debug=debug, words=words, ratio=ratio,
        )
    )


def translate(
    sources: Sources,
    translator: TranslatorOpt = None,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    engine: EngineOpt = Engine.auto,
    quantize: QuantizeOpt = False,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The whole article in English, sentence by sentence, aligned with the Arabic."""
    raise typer.Exit(
        run(
            "translate", sources, translator=translator, fmt=format,
            device=device.value, engine=engine.value, quantize=quantize, bidi=bidi, quiet=quiet, debug=debug,
        )
    )


def run(
    task: str,
    sources: list[str],
    *,
    summariser: str | None = None,
    translator: str | None = None,
    method: str = "auto",
    length: str = "medium",
    fmt=None,
    device: str = "auto",
    engine: str = "auto",
    quantize: bool = False,
    bidi: bool | None = None,
    quiet: bool = False,
    debug: bool = False,
    to_english: bool = False,
    words: int | None = None,
    ratio: float | None = None,
) -> int:
    from mujaz.core.brief import ModelProvider, start_brief, summarise_brief, translate_brief
    from mujaz.core.source import load_article
    from mujaz.errors import ExitCode, ModelUnavailable, MujazError, exit_code_for, report
    from mujaz.models.base import LENGTHS, LengthBudget
    from mujaz.render import Feedback, Writer, bidi_wanted, default_format

    feedback = Feedback(quiet=quiet)
    out = sys.stdout
    writer = Writer(
        fmt.value if fmt else default_format(out), out, bidi=bidi_wanted(bidi), many=len(sources) > 1
    )
    provider = ModelProvider(
        method=method if task != "translate" else "extractive",
        summariser=summariser,
        translator=translator,
        device=device,
        engine=engine,
        quantize=quantize,
        status=feedback.status,
        progress=feedback.interactive,
    )
    wants_english = task in ("brief", "translate") or to_english
    failures: list[int] = []
    translation_error: ModelUnavailable | None = None
    said: set[str] = set()
    try:
        for spec in sources:
            try:
                article = load_article(spec)
                result = start_brief(article, task)
                if task != "translate":
                    if words is not None:
                        budget = LengthBudget(words=words, name=f"{words} words")
                    elif ratio is not None:
                        budget = LengthBudget(words=max(1, round(ratio * len(article.text.split()))), name=f"ratio {ratio:g}")
                    else:
                        budget = LENGTHS[length]
                    summarise_brief(result, provider.summariser(), budget, feedback.status)
                if wants_english and translation_error is None:
                    try:
                        translate_brief(result, provider.translator(), whole_article=task == "translate", status=feedback.status)
                    except ModelUnavailable as error:
                        translation_error = error
                if wants_english and translation_error is not None:
                    result.warnings.append(f"no English: {translation_error.message}")
            except MujazError as error:
                if debug:
                    traceback.print_exc()
                report(error)
                failures.append(exit_code_for(error))
                continue
            result.warnings[:0] = provider.warnings
            for warning in result.warnings:
                # Said once per run on stderr; every JSON result still carries its own.
                if warning not in said and not warning.startswith("no English:"):
                    said.add(warning)
                    feedback.warn(warning)
            writer.write(result)
    finally:
        writer.close()
    if translation_error is not None:
        report(translation_error)
    if failures:
        return failures[0] if len(sources) == 1 else ExitCode.SOME_FAILED
    if translation_error is not None:
        return ExitCode.MODEL_UNAVAILABLE
    return ExitCode.OK


def segment(
    sources: Sources,
    format: FormatOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Each article's segments, one a line: headline, sub-headings and sentences (json adds their kinds)."""
    from mujaz.core.segment import segment_article
    from mujaz.core.source import load_article
    from mujaz.errors import ExitCode, MujazError, OutputClosed, exit_code_for, report

    chosen = format.value if format else "text"
    failures: list[int] = []
    collected: list[dict] = []
    try:
        for spec in sources:
            try:
                article = load_article(spec)
            except MujazError as error:
                if debug:
                    traceback.print_exc()
                report(error)
                failures.append(exit_code_for(error))
                continue
            segments = segment_article(article.text, article.title)
            record = {
                "source": article.source.to_json(),
                "segments": [{"kind": s.kind, "paragraph": s.paragraph, "text": s.text} for s in segments],
            }
            if chosen == "json":
                collected.append(record)
            elif chosen == "jsonl":
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                print("\n".join(s.text for s in segments), flush=True)
        if chosen == "json":
            print(json.dumps(collected if len(sources) > 1 else (collected[0] if collected else None), ensure_ascii=False, indent=2))
    except BrokenPipeError as error:
        raise OutputClosed from error
    if failures:
        raise typer.Exit(failures[0] if len(sources) == 1 else ExitCode.SOME_FAILED)
