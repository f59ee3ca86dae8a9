"""One exception tree, one ExitCode enum, and the one place that maps them.

Core and model code raise the domain errors below; `run_app` turns them into
exit codes and the single `mujaz: error: ...` line on stderr. Commands that go
on after a failed source report it the same way (brief, summarise, translate,
segment) or as an error line naming the item (batch), and write its record in place.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # anything not listed below: a bug, a disk error
    USAGE = 2
    MODEL_UNAVAILABLE = 3
    BAD_INPUT = 4
    SOME_FAILED = 5  # several sources, some of them failed
    BROKEN_PIPE = 141  # the reader went away (`| head`); 128 + SIGPIPE as other tools
    INTERRUPTED = 130
    TERMINATED = 143  # SIGTERM (`timeout`, `docker stop`, a cancelled CI job); 128 + 15 as other tools


class MujazError(Exception):
    """A failure the user can act on: a message and, where one helps, a hint."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def line(self) -> str:
        text = f"mujaz: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return on_one_line(text)


class BadInput(MujazError):
    """A source that cannot be read as an Arabic article."""


class ModelUnavailable(MujazError):
    """A model that cannot be found, downloaded, or loaded as asked."""


class UsageProblem(MujazError):
    """Options that do not fit together."""


class OutputFailed(MujazError):
    """The output could not be written (disk full, no permission); exit code 1."""


class OutputClosed(Exception):
    """stdout's reader went away (`| head`). Not an OSError, so that Typer lets it through."""


EXIT_CODES: dict[type[MujazError], ExitCode] = {
    BadInput: ExitCode.BAD_INPUT,
    ModelUnavailable: ExitCode.MODEL_UNAVAILABLE,
    UsageProblem: ExitCode.USAGE,
}


_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """Text with its lone surrogates as U+FFFD: a file name's bytes that are no UTF-8 are kept as
    such, and JavaScript cutting a string inside an emoji writes one; as they are, no UTF-8
    output could hold the record."""
    return _LONE_SURROGATES.sub("\ufffd", text)


def error_json(error: MujazError) -> dict:
    """An error as a JSON record gives it: the exit code it would have, its message, and its hint
    (what to do; null when there is nothing to say, so that every record has the three keys)."""
    return {"code": int(exit_code_for(error)), "message": without_lone_surrogates(error.message),
            "hint": without_lone_surrogates(error.hint) if error.hint else None}


def exit_code_for(error: BaseException) -> ExitCode:
    for cls, code in EXIT_CODES.items():
        if isinstance(error, cls):
            return code
    return ExitCode.FAILURE


def outcome_code(total: int, failed: int, codes: set[int]) -> int:
    """A run's exit code over its sources (or a batch's items): 0 when none failed; when every one
    failed, and the same way, that failure's code; else 5, some failed."""
    if not failed:
        return ExitCode.OK
    if failed == total and len(codes) == 1:
        return next(iter(codes))
    return ExitCode.SOME_FAILED


def run_outcome(total: int, failure_codes: list[int], *, no_translator: bool, printed: bool) -> int:
    """The exit code of a run of brief, summarise or translate over `total` sources: outcome_code's, but
    for a translator that could not be had. The Arabic kept, a missing translator fails no source: 3
    alone, 5 beside sources that failed; with nothing printed at all (translate's text and markdown are
    the English alone) it failed the run, as a missing summariser does, and 5 would say the other
    sources were printed."""
    if no_translator and (not failure_codes or not printed):
        return ExitCode.MODEL_UNAVAILABLE
    return outcome_code(total, len(failure_codes), set(failure_codes))


def first_line(error: BaseException) -> str:
    """A library's exception in a few words: its message's first line, else its class."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def report(error: MujazError) -> None:
    """Print the one-line form of a domain error on stderr."""
    print(error.line(), file=sys.stderr, flush=True)


def env_flag(name: str) -> bool:
    """An on/off environment variable: anything but unset, "", 0, false, no, off (or f, n, as
    Click reads a flag) is on."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "f", "no", "n", "off")


def debug_wanted(flag: bool) -> bool:
    """--debug, or MUJAZ_DEBUG set: tracebacks for the errors a command reports and goes on after."""
    return flag or env_flag("MUJAZ_DEBUG")


def print_traceback(error: BaseException) -> None:
    """--debug's traceback, its passwords masked: the errors chained in it quote URLs whole."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    print(without_passwords_in("".join(lines)), end="", file=sys.stderr, flush=True)


# "scheme://user:password@", wherever it is in a text: a URL urlsplit cannot take apart, or one
# that urllib3 quotes whole in its error ("Failed to parse: http://user:secret@host:99999/").
_CREDENTIALS = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*):[^/\s]*@")


def without_passwords_in(text: str) -> str:
    """Every URL's password in a text as ***."""
    return _CREDENTIALS.sub(r"\1:***@", text)


def _one_line(message: str) -> str:
    """click's message, wrapped over lines, as one line; a value it repeats printed harmless (on_one_line)."""
    return " ".join(on_one_line(message).split())


# C0 and C1 controls, line breaks among them, each as a space (a translate() table).
CONTROL_CHARACTERS = {code: " " for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}


def on_one_line(message: str) -> str:
    """A message as stderr prints it: one line, whatever a file name or id it repeats holds (a
    line break, or an escape sequence that would recolour or clear the terminal)."""
    return message.translate(CONTROL_CHARACTERS)


def too_large(name: str, max_bytes: int) -> BadInput:
    """An input over --max-bytes: a file, standard input, a page, a batch line."""
    return BadInput(f"{name}: larger than {max_bytes:,} bytes; not a news article", hint="raise --max-bytes if it is")


def output_failed(error: OSError) -> OutputFailed:
    """stdout (or -o) could not take the output: a full disk, a quota, an I/O error."""
    return OutputFailed(f"cannot write the output: {error.strerror or error}",
                        hint="free some space or write elsewhere; what was written before is kept")


def run_app(argv: list[str]) -> int:
    """Run the CLI and map every way it can end to an exit code."""
    from mujaz.signals import end_as_interrupted_on_sigterm
    from mujaz.streams import ClosedPipeGuard, DiagnosticsGuard, silence_stdout, stand_in_for_closed_streams, utf8_streams

    sigterm_before = end_as_interrupted_on_sigterm()
    stand_in_for_closed_streams()
    utf8_streams()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = ClosedPipeGuard(stdout)
    sys.stderr = DiagnosticsGuard(stderr)
    try:
        code = _run(argv)
        if code != ExitCode.BROKEN_PIPE:
            sys.stdout.flush()  # what is still buffered may meet a closed pipe (or a full disk) only now
        return code
    except KeyboardInterrupt:  # the work done, in that last flush: what it wrote stands, as after any Ctrl-C
        return _interrupted()
    except OutputClosed:
        silence_stdout()
        return ExitCode.BROKEN_PIPE
    except OutputFailed as error:
        report(error)
        silence_stdout()  # the rest of the buffer would fail again when Python flushes it at exit
        return ExitCode.FAILURE
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if sigterm_before is not None:  # run in a process of its own, it matters not; in a test's, it does
            import signal

            signal.signal(signal.SIGTERM, sigterm_before)


def _interrupted() -> ExitCode:
    """Ctrl-C, or SIGTERM taken as one (signals.end_as_interrupted_on_sigterm): said, and its code."""
    from mujaz.signals import terminated

    if terminated():
        print("mujaz: terminated", file=sys.stderr, flush=True)
        return ExitCode.TERMINATED
    print("mujaz: interrupted", file=sys.stderr, flush=True)
    return ExitCode.INTERRUPTED


def _command_path(root, argv: list[str]) -> str:
    """The command a line names ("mujaz eval summaries"), from its words: an option missing its
    value (`--limit` last) is an error click raises with no command in hand."""
    path, group = ["mujaz"], root
    for word in argv:
        command = getattr(group, "commands", {}).get(word)
        if command is None:
            break
        path.append(word)
        group = command
    return " ".join(path)


def _usage_hint(error, message: str, argv: list[str], where: str) -> str:
    """What to do about a usage error: see the command's help, and for these mistakes the way out."""
    see = f"see '{where} --help'"
    if where == "mujaz batch" and "unexpected extra argument" in message:  # the shell expanded a glob
        return f"batch takes one INPUT: quote a glob, 'feed/*.html', for mujaz to expand; {see}"
    unknown = getattr(error, "option_name", None) or "--"  # "-d" of "-dash.txt"
    dashed = [arg for arg in argv if arg.startswith(unknown) and os.path.exists(arg)]
    if type(error).__name__ == "NoSuchOption" and dashed:  # `mujaz brief $f` over `ls`: "-dash.txt"
        return f"a file whose name starts with '-' goes after '--' or as ./{dashed[0]}; {see}"
    missing = getattr(getattr(error, "param", None), "name", None)
    if (type(error).__name__ == "MissingParameter" and missing in ("sources", "input")
            and sys.stdin is not None and not sys.stdin.isatty()):  # `cat a.txt | mujaz brief`
        name = error.param.metavar or missing.upper()
        return f"to read standard input, give '-' as {name}; {see}"
    return see


def _run(argv: list[str]) -> int:
    import typer

    from mujaz.app import get_command

    # Typer >= 0.2x vendors its own click; take click's classes from Typer's
    # public exceptions so this works with either.
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    click_exception = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

    debug = debug_wanted("--debug" in argv)
    plain_help = not sys.stdout.isatty()
    try:
        command = get_command(help_markup=None if plain_help else "rich")
        result = int(command.main(args=argv, prog_name="mujaz", standalone_mode=False) or 0)
        if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into exit code 130
            return _interrupted()
        return result
    except MujazError as error:
        if debug:
            print_traceback(error)
        report(error)
        return exit_code_for(error)
    except usage_error as error:
        if type(error).__name__ == "NoArgsIsHelpError" or not error.format_message():
            # A bare `mujaz` or `mujaz models`: the help is the answer, and a usage error (exit 2). Rich
            # help is printed already, on a terminal; plain help (stdout piped) comes as the error's
            # message, and goes where errors go: `mujaz models > out` filled out with help (a review).
            if error.format_message():
                print(error.format_message(), file=sys.stderr)
            return ExitCode.USAGE
        # One line, as every other error: what was wrong, and where to look.
        where = error.ctx.command_path if error.ctx is not None else _command_path(command, argv)
        # Typer's validation prefixes a choice's error with its validator's "Value error, ".
        message = _one_line(error.format_message()).replace(": Value error, ", ": ")
        print(f"mujaz: error: {message} ({_usage_hint(error, message, argv, where)})", file=sys.stderr, flush=True)
        return ExitCode.USAGE
    except click_exception as error:
        print(f"mujaz: error: {_one_line(error.format_message())}", file=sys.stderr, flush=True)
        return ExitCode.USAGE
    except (KeyboardInterrupt, typer.Abort):
        return _interrupted()
    except (BrokenPipeError, OutputClosed):
        from mujaz.streams import silence_stdout

        silence_stdout()
        return ExitCode.BROKEN_PIPE
    except Exception as error:  # the last resort: one line, traceback on --debug
        if debug:
            print_traceback(error)
        print(  # an exception's text may run to several lines, or repeat a name's escape sequences
            on_one_line(without_passwords_in(
                f"mujaz: error: {type(error).__name__}: {error} (rerun with --debug or MUJAZ_DEBUG=1 for details)")),
            file=sys.stderr,
            flush=True,
        )
        return ExitCode.FAILURE
