"""Writing JSONL records so that an interrupted or failing run leaves whole lines behind.

CLI-side: how records reach a stream, and what Ctrl-C does
meanwhile, are the process's business, not the core's.
"""

from __future__ import annotations

import json
import os
from typing import IO, Iterable, Iterator

from mujaz.errors import OutputClosed, output_failed


def write_records(out: IO[str], records: list[dict], *, sync: bool) -> None:
    """Whole lines, flushed (and synced to disk for a file) before the next chunk starts."""
    write_lines(out, [json.dumps(r, ensure_ascii=False) for r in records], sync=sync)


def write_lines(out: IO[str], lines: list[str], *, sync: bool) -> None:
    """JSON lines, flushed (and synced for a file) together.

    Ctrl-C waits for the end of the write, so an interrupted run leaves whole
    records behind; a failing disk is reported as such.
    """
    if not lines:
        return
    text = "".join(line + "\n" for line in lines)
    with _interrupts_held():
        try:
            out.write(text)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        except BrokenPipeError as error:
            raise OutputClosed from error  # as every writer does: `| head` ends quietly, exit 141
        except OSError as error:
            raise output_failed(error) from error


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


class _interrupts_held:
    """Hold SIGINT for the duration of a block (main thread only), then deliver it."""

    def __enter__(self):
        import signal
        import threading

        self._held = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
        if self._held:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc):
        if self._held:
            import signal

            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return False
