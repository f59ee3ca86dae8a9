"""`mujaz brief`, `mujaz summarise` and `mujaz translate`: one flow, three tasks."""

from __future__ import annotations

import sys
import traceback
from typing import Annotated, Optional

import typer

from mujaz.commands.options import (
    BidiOpt,
    DebugOpt,
    Device,
    DeviceOpt,
    FormatOpt,
    Length,
    LengthOpt,
    Method,
    MethodOpt,
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
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Headline and summary of each article, in Arabic and in English."""
    raise typer.Exit(
        run(
            "brief", sources, summariser=summariser, translator=translator, method=method.value,
            length=length.value, fmt=format, device=device.value, bidi=bidi, quiet=quiet, debug=debug,
        )
    )


def summarise(
    sources: Sources,
    to: Annotated[
        Optional[str], typer.Option("--to", help="Also translate the summary: 'en'.", show_default=False)
    ] = None,
    summariser: SummariserOpt = None,
    translator: TranslatorOpt = None,
    method: MethodOpt = Method.auto,
    length: LengthOpt = Length.medium,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The Arabic summary of each article (--to en adds its English translation)."""
    if to not in (None, "en"):
        raise typer.BadParameter(f"{to!r}: the only target language is 'en'", param_hint="--to")
    raise typer.Exit(
        run(
            "summarise", sources, summariser=summariser, translator=translator, method=method.value,
            length=length.value, fmt=format, device=device.value, bidi=bidi, quiet=quiet,
            to_english=to == "en", debug=debug,
        )
    )


def translate(
    sources: Sources,
    translator: TranslatorOpt = None,
    format: FormatOpt = None,
    device: DeviceOpt = Device.auto,
    bidi: BidiOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The whole article in English, sentence by sentence, aligned with the Arabic."""
    raise typer.Exit(
        run(
            "translate", sources, translator=translator, fmt=format,
            device=device.value, bidi=bidi, quiet=quiet, debug=debug,
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
    bidi: bool | None = None,
    quiet: bool = False,
    debug: bool = False,
    to_english: bool = False,
) -> int:
    from mujaz.core.brief import ModelProvider, start_brief, summarise_brief, translate_brief
    from mujaz.core.source import load_article
    from mujaz.errors import ExitCode, ModelUnavailable, MujazError, exit_code_for, report
    from mujaz.models.base import LENGTHS
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
                    summarise_brief(result, provider.summariser(), LENGTHS[length], feedback.status)
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
