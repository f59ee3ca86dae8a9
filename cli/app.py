"""The Typer root: commands and the global --version.

Command modules import only typer at import time; models, torch and
transformers are imported when a command runs, so `mujaz --help` stays fast.
"""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from mujaz import __version__
from mujaz.commands import articles, batch, cache, evaluate, models

app = typer.Typer(
    name="mujaz",
    help="موجز — a bilingual (Arabic/English) brief of an Arabic news article.",
    epilog="Exit codes: 0 ok, 1 output not written, an optional part not installed, or an unexpected error, "
           "2 usage, 3 model unavailable, 4 bad input, 5 some sources failed, 130 interrupted, "
           "141 output closed early, 143 terminated.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # errors are mapped in mujaz.errors.run_app
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("brief")(articles.brief)
app.command("summarise")(articles.summarise)
app.command("translate")(articles.translate)
app.command("segment")(articles.segment)
app.command("batch")(batch.batch)
app.add_typer(models.app, name="models")
app.add_typer(evaluate.app, name="eval")
app.add_typer(cache.app, name="cache")


def _version(value: bool) -> None:
    if value:
        print(f"mujaz {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Tracebacks with errors, whatever the command (as MUJAZ_DEBUG=1).")
    ] = False,
) -> None:
    """موجز — a bilingual (Arabic/English) brief of an Arabic news article (the Typer's help and
    epilog are what `mujaz --help` shows)."""
    if debug:  # `mujaz --debug brief ...` as `mujaz brief --debug ...`: what the commands read
        os.environ["MUJAZ_DEBUG"] = "1"


def get_command(help_markup: str | None = "rich"):
    """The Click command. `help_markup`: "rich" for --help in Rich panels (a terminal), None for
    plain text (piped: no box drawing in a file or a pager); chosen by the caller, per run."""
    for typer_app in [app] + [group.typer_instance for group in app.registered_groups]:  # every sub-app, e.g. models
        typer_app.rich_markup_mode = help_markup
    return typer.main.get_command(app)
