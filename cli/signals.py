"""Holding Ctrl-C and SIGTERM over a block that must not be cut: the model libraries importing,
a record being written and counted. A signal that comes meanwhile is noted, and handled as the
block ends, by the handler that was there before, in mujaz's own code."""

from __future__ import annotations

import signal
import threading

from mujaz.errors import ExitCode


class held:
    """Hold `signals` (SIGINT when none is named) for a block: their handlers give way to one that
    notes them, and are put back, and run for each signal noted, in order, as the block ends.

    Python runs a handler in the main thread whichever thread the kernel handed the signal to, so
    this holds on a terminal too, where a spinner's or a progress bar's thread is running (a
    pthread_sigmask on the main thread alone let such a thread take the signal, and its handler
    ran mid-block: 5 of 40 SIGTERMs into a model's load went wrong on a terminal, a reviewer's count).
    A second SIGTERM ends the process on the spot, as a second does outside (a disk that stalls
    an fsync would hold the first for ever). Main thread only: elsewhere no handler can be set, and
    nothing is held."""

    def __init__(self, *signals: int) -> None:
        self._signals = signals or (signal.SIGINT,)
        self._previous: dict[int, object] = {}
        self._noted: list[int] = []

    def _note(self, signum, frame) -> None:
        if signum == signal.SIGTERM and signum in self._noted and self._previous[signum] != signal.SIG_IGN:
            import os

            os._exit(ExitCode.TERMINATED)
        self._noted.append(signum)

    def __enter__(self) -> held:
        if threading.current_thread() is threading.main_thread():
            for signum in self._signals:
                # None: a handler set outside Python, which cannot be put back; the default stands for it
                self._previous[signum] = signal.signal(signum, self._note) or signal.SIG_DFL
        return self

    def __exit__(self, *exc) -> bool:
        previous, self._previous = self._previous, {}
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        noted, self._noted = self._noted, []
        for signum in noted:  # each as it came: a second Ctrl-C is batch's "stop at once"
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)
        return False


def import_uninterrupted(*modules: str) -> None:
    """Import the model libraries (torch, transformers, ctranslate2) with Ctrl-C and SIGTERM held,
    handled once they are in. A signal landing in torch's C start-up was swallowed there (the run
    went on to print its results and exit 0), left numpy half imported ("cannot load module more
    than once per process", exit 1), or ended the process by SIGINT after SIGTERM (130, not 143):
    1 in 8 of the signals sent in the first second of a model's run (a helper's 214 tries)."""
    import importlib

    with held(signal.SIGINT, signal.SIGTERM):
        for module in modules:
            importlib.import_module(module)
