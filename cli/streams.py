"""The process's standard streams, and writing JSONL records so that an interrupted or failing
run leaves whole lines behind.

CLI-side: what stdout is (UTF-8, closed, a pipe the reader left), how records reach a stream,
and what Ctrl-C does meanwhile, are the process's business, not the core's (which asks only
stdin_closed, to say "closed" of a source rather than "empty").
"""

from __future__ import annotations

import codecs
import io
import json
import os
import select
import sys
from typing import IO, Callable, Iterable, Iterator

from mujaz.errors import OutputClosed, OutputFailed, output_failed
from mujaz.signals import held


def silence_stdout() -> None:
    # After a broken pipe, Python would complain again when it flushes stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


class ClosedPipeGuard:
    """sys.stdout, with a write to a closed pipe raised as OutputClosed and any other
    failed write (a full disk) as OutputFailed.

    Click catches an OSError with EPIPE itself and exits 1; OutputClosed is not
    an OSError, so it reaches run_app and becomes exit code 141 whichever
    command was printing (a plain print() as much as a Rich writer); a full
    disk is exit 1 with one line that says so, for every command alike.

    Unbuffered stdout (`python -u`, PYTHONUNBUFFERED) writes straight to the
    file: when the reader leaves in the middle of a large write, the file takes
    part of it and reports a short count, no error, and the text layer drops
    the rest, so a truncated output would end in exit 0. There the bytes are
    written until all are, and the next write of the rest meets the error.
    """

    def __init__(self, stream):
        self.stream = stream
        buffer = getattr(stream, "buffer", None)
        self._raw = buffer if isinstance(buffer, io.RawIOBase) else None

    def write(self, text: str) -> int:
        try:
            if self._raw is None:
                return self.stream.write(text)
            # Unbuffered, the text layer writes through: nothing of it is pending here.
            data = memoryview(text.encode(self.stream.encoding, self.stream.errors or "strict"))
            while data:
                written = self._raw.write(data)
                if written is None:  # a non-blocking stdout that is full: wait as a blocking write would
                    select.select([], [self._raw], [])
                    continue
                data = data[written:]
            return len(text)
        except BrokenPipeError as error:
            raise OutputClosed from error
        except OSError as error:
            raise output_failed(error) from error

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError as error:
            raise OutputClosed from error
        except OSError as error:
            raise output_failed(error) from error

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


class ClosedStdout(io.TextIOBase):
    """Standard output of a process started without one (`>&-`). Python leaves sys.stdout None
    there, and print() to None drops the text without a word; a result written here fails as
    any failed write does instead (one line, exit 1), and a check before long work can ask."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise stdout_closed()


class DiagnosticsGuard(io.TextIOBase):
    """Standard error that cannot be written (`2>/dev/full`, a descriptor 2 open for reading only,
    a log on a full disk): what it would have said is dropped, and the run goes on. A warning
    that failed made the run exit 1 with its results unwritten and nothing said, since the error's
    own line failed too; stderr carries no results, so there is nothing there to lose."""

    def __init__(self, stream):
        self.stream = stream
        self.failed = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self.failed:
            try:
                self.stream.write(text)
            except BlockingIOError:  # a non-blocking pipe full for now: this line is lost, not the next
                pass
            except (OSError, ValueError):  # ValueError: the stream was closed under us
                self.failed = True
        return len(text)

    def flush(self) -> None:
        if not self.failed:
            try:
                self.stream.flush()
            except BlockingIOError:
                pass
            except (OSError, ValueError):
                self.failed = True

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self):
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self.stream, "errors", "strict")

    @property
    def buffer(self):
        return getattr(self.stream, "buffer", None)


REDIRECT_STDOUT = "redirect it to a file"


def stdout_closed(hint: str = REDIRECT_STDOUT) -> OutputFailed:
    return OutputFailed("cannot write the output: standard output is closed", hint=hint)


def is_stdout(path: os.PathLike | str, stdout=None) -> bool:
    """Whether `path` names the file standard output already is (/dev/stdout, /dev/fd/1, the file
    `>` redirected it to)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat((stdout or sys.stdout).fileno()))
    except (AttributeError, OSError, ValueError):
        return False


def require_stdout(hint: str = REDIRECT_STDOUT) -> None:
    """Refuse before any work when the results have nowhere to go."""
    if isinstance(getattr(sys.stdout, "stream", sys.stdout), ClosedStdout):
        raise stdout_closed(hint)


_stdin_closed = False


def stdin_closed() -> bool:
    """Whether the process was started with standard input closed (`<&-`): its stand-in reads as
    empty, and a command that wanted it says it was closed rather than empty."""
    return _stdin_closed


def stand_in_for_closed_streams() -> None:
    """A process started with a standard stream closed gets a stand-in, so that no code meets None:
    stdin reads as empty (stdin_closed), stderr goes nowhere, stdout fails on the first result (ClosedStdout)."""
    global _stdin_closed
    # In descriptor order (0, 1, 2): a file opened takes the lowest free number, which is then its own.
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
        _stdin_closed = True
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
        # Descriptor 1 held open on /dev/null, so that no file opened later (-o) takes its
        # number and receives what C code writes to descriptor 1 (Ray's notices).
        held = os.open(os.devnull, os.O_WRONLY)
        if held != 1:
            os.dup2(held, 1)
            os.close(held)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """What an encoding cannot hold, escaped as JSON escapes it (\\u00e9; a surrogate pair past
    U+FFFF), in every format: Python's own escapes (\\xe9, \\U0001f600) are no JSON, and made JSON
    output unreadable. In JSON such characters can only be in strings (its syntax is ASCII), where
    these are valid; in text they are escapes as Python's were, only spelt as JSON spells them."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return json.dumps(error.object[error.start : error.end])[1:-1], error.end


def utf8_streams() -> None:
    """Results are UTF-8 wherever they go: Python writes a pipe or a file in the locale's encoding
    (a Windows code page, ISO-8859-6), which cannot hold Arabic and English together, and every
    result would fail on its first letter; an encoding asked for by name (PYTHONIOENCODING) is
    kept, what it cannot hold written as escapes that keep JSON valid. stderr keeps its encoding
    (a terminal shows it) but writes what it cannot encode as escapes rather than failing."""
    for stream, settings in ((sys.stdout, {"encoding": "utf-8"}), (sys.stderr, {"errors": "backslashreplace"})):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding in ("utf-8", "utf8") or not hasattr(stream, "reconfigure"):
            continue
        if stream is sys.stdout and os.environ.get("PYTHONIOENCODING"):
            if os.environ["PYTHONIOENCODING"].partition(":")[2]:
                continue  # "ascii:ignore": the errors asked for by name are kept too
            codecs.register_error("mujaz.json-escapes", _json_escapes)
            settings = {"errors": "mujaz.json-escapes"}  # what the user asked for, without failing on the rest
        try:
            stream.reconfigure(**settings)
        except (ValueError, OSError):  # a stream that cannot change (already written to, or closed)
            pass


def write_lines(out: IO[str], lines: list[str], *, sync: bool, then: Callable[[], None] = lambda: None) -> None:
    """JSON lines, flushed (and synced for a file) together, and `then` called once they are.

    Ctrl-C waits for the end of the write, so an interrupted run leaves whole
    records behind; so does SIGTERM for a file (`sync`), and `then` counts what it
    wrote before either is raised: a run said "320 items written" of a file holding 352.
    (Not SIGTERM for a pipe: see signals.end_as_interrupted_on_sigterm.) A failing disk is reported as such.
    """
    import signal

    if not lines:
        return
    text = "".join(line + "\n" for line in lines)
    with held(*((signal.SIGINT, signal.SIGTERM) if sync else (signal.SIGINT,))):
        try:
            out.write(text)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        except BrokenPipeError as error:
            raise OutputClosed from error  # as every writer does: `| head` ends quietly, exit 141
        except OSError as error:
            raise output_failed(error) from error
        then()


class InterruptWatch:
    """Ctrl-C once: finish the chunk in hand, write it, stop. Twice: stop at once.

    Raising KeyboardInterrupt wherever the signal lands is not safe: inside a
    __del__ Python prints it as "Exception ignored" and drops it. So the first
    Ctrl-C only sets a flag, which the batch loop checks after each chunk.
    """

    def __init__(self, say=None):
        self.say = say or (lambda message: None)
        self.requested = False
        self._previous = None
        self._reading = False  # waiting for the next input item (until_requested)

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self._previous = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, self._interrupted)
        return self

    def _interrupted(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        self.say("stopping after the chunk in hand (Ctrl-C again to stop at once)")
        if self._reading:  # we are in our own read of the input (a __del__ running just then
            self._reading = False  # would swallow this: a second Ctrl-C still stops at once)
            raise _StopReading

    def until_requested(self, items: Iterable) -> Iterator:
        """The items, until Ctrl-C: one that comes while the next item is awaited ends the reading
        there, so the chunk in hand (partial) is written at once; a live stream (`tail -f |
        mujaz batch -`) might never send the item that would complete it."""
        iterator = iter(items)
        while True:
            try:
                self._reading = True
                item = next(iterator)
                self._reading = False
            except (StopIteration, _StopReading):
                self._reading = False
                return
            yield item

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt

    def __exit__(self, *exc):
        if self._previous is not None:
            import signal

            signal.signal(signal.SIGINT, self._previous)
        return False


class _StopReading(Exception):
    """Ctrl-C while waiting for input: the reading ends there (InterruptWatch.until_requested)."""
