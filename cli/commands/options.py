"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer


class Method(str, Enum):
    auto = "auto"
    abstractive = "abstractive"
    extractive = "extractive"


class Format(str, Enum):
    rich = "rich"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Length(str, Enum):
    short = "short"
    medium = "medium"
    long = "long"


class Engine(str, Enum):
    auto = "auto"
    transformers = "transformers"
    ctranslate2 = "ctranslate2"


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
    mps = "mps"


Sources = Annotated[
    list[str],
    typer.Argument(help="Article files, '-' for standard input, or http(s) URLs.", show_default=False, metavar="SOURCE"),
]


def _model_name(value: Optional[str]) -> Optional[str]:
    # An empty name would quietly mean "the default" (`--translator "$MODEL"` with MODEL unset).
    if value is not None and not value.strip():
        raise typer.BadParameter("an empty model name; give a hub id or a model directory, or leave the option out")
    return value


def _summariser_name(value: Optional[str]) -> Optional[str]:
    # "--summariser extractive" reads naturally and would be asked of the hub as a model id, failing
    # with advice to pull it; the model-free summariser is a method, not a model.
    from mujaz.models.base import names_a_summary_method

    value = _model_name(value)
    if value is not None and names_a_summary_method(value):
        raise typer.BadParameter(f"{value!r} is a summary method, not a model: give it as --method {value.strip().lower()}")
    return value


# Not Typer envvars: MUJAZ_SUMMARISER / MUJAZ_TRANSLATOR are defaults (mujaz.models.registry),
# read only when a model is used, so a summariser set in the environment does not clash with
# --method extractive or a translate task the way the same option given on the line does.
SummariserOpt = Annotated[
    Optional[str],
    typer.Option("--summariser", help="Summarisation model: hub id or local directory (default: $MUJAZ_SUMMARISER, "
                 "else the pinned model).", show_default=False, callback=_summariser_name),
]
TranslatorOpt = Annotated[
    Optional[str],
    typer.Option("--translator", help="Translation model: hub id or local directory (default: $MUJAZ_TRANSLATOR, "
                 "else the pinned model).", show_default=False, callback=_model_name),
]
MethodOpt = Annotated[
    Method,
    typer.Option(
        "--method", case_sensitive=False,
        help="auto: abstractive when its model can be had, else extractive (with a warning); a model named by "
             "--summariser or $MUJAZ_SUMMARISER is never replaced.",
    ),
]
LengthOpt = Annotated[Length, typer.Option("--length", help="Summary length.", case_sensitive=False)]


def format_option(help: str):
    """--format (-f), any case, with a command's own help: its default and what it writes rich as."""
    return Annotated[Optional[Format], typer.Option("--format", "-f", help=help, case_sensitive=False)]


FormatOpt = format_option("Output format (default: rich on a terminal, text when piped).")
DeviceOpt = Annotated[Device, typer.Option("--device", help="Where models run.", case_sensitive=False)]
BidiOpt = Annotated[
    Optional[bool],
    typer.Option(
        "--bidi/--no-bidi",
        help="Reorder Arabic for terminals without right-to-left support (default: off; MUJAZ_BIDI=1 turns it on "
             "when writing to a terminal).",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr.")]
# mujaz.errors.run_app reads --debug from the command line itself (as it reads MUJAZ_DEBUG), so every
# command takes it and a command that has no failures of its own to report need not look at its value.
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine", envvar="MUJAZ_ENGINE", case_sensitive=False,
        help="auto: a CTranslate2 conversion when one exists (mujaz models convert), else transformers.",
    ),
]
QuantizeOpt = Annotated[bool, typer.Option("--quantize", help="transformers engine: dynamic int8 on the CPU.")]
AnyScriptOpt = Annotated[
    bool,
    typer.Option(
        "--any-script",
        help="Abstractive summaries: let the model write pieces of any script, not only Arabic ones and the "
        "article's own.",
    ),
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Refuse a source larger than this many bytes (file, stdin or page).")
]
MaxSentencesOpt = Annotated[int, typer.Option("--max-sentences", min=1,
                                               help="Refuse an article with more sentences (headline and headings included).")]
