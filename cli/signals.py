"""Ctrl-C and SIGTERM: SIGTERM taken as a second Ctrl-C (exit 143), and both held over a block
that must not be cut (the model libraries importing, a record being written and counted): a
signal that comes meanwhile is noted, and handled as the block ends, by the handler that was
there before, in mujaz's own code."""

from __future__ import annotations

import os
import signal
import threading

from mujaz.errors import ExitCode

_sigterm_received = False


def end_as_interrupted_on_sigterm():
    """SIGTERM (`timeout`, `docker stop`, a cancelled CI job) ends a run as a second Ctrl-C does:
    at once, with what was written kept whole and a JSON list closed on what it holds, where by
    default the process died on the spot and `-f json` lost every result already made. A second
    SIGTERM ends the process on the spot: the first can wait (a download's threads finishing) or
    be lost (raised inside a __del__, Python drops it). Not held while a record is written to a
    pipe, as Ctrl-C is (held): a write blocked on a reader that stopped reading would hold it; held
    while one is written to a file (streams.write_lines), where a second ends the process.
    Returns the handler it replaced, for the caller to put back (None: none replaced)."""
    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGTERM, _on_sigterm)
    return None


def _on_sigterm(signum, frame):
    global _sigterm_received
    if _sigterm_received:
        os._exit(ExitCode.TERMINATED)
    _sigterm_received = True
    raise KeyboardInterrupt


def terminated() -> bool:
    """Whether the run was ended by SIGTERM (exit 143) rather than Ctrl-C (130)."""
    return _sigterm_received


class held:
    """Hold `signals` (SIGINT when none is named) for a block: their handlers give way to one that
    notes them, and are put back, and run for each signal noted, in order, as the block ends.

    Python runs a handler in the main thread whichever thread the kernel handed the signal to, so
    this holds on a terminal too, where a spinner's or a progress bar's thread is running (a
    pthread_sigmask on the main thread alone let such a thread take the signal, and its handler
    ran mid-block: 5 of 40 SIGTERMs into a model's load went wrong on a terminal, a reviewer's count).
    A second SIGTERM ends the process on the spot where the handler held would (a disk that stalls
    an fsync would hold the first for ever). A handler raising as it runs (KeyboardInterrupt) ends
    the block after every noted signal has run. Main thread only: elsewhere no handler can be set,
    and nothing is held; nor is a signal whose handler was set outside Python."""

    def __init__(self, *signals: int) -> None:
        self._signals = signals or (signal.SIGINT,)
        self._previous: dict[int, object] = {}
        self._noted: list[int] = []

    def _note(self, signum, frame) -> None:
        previous = self._previous.get(signum, signal.SIG_DFL)
        if signum == signal.SIGTERM and signum in self._noted:
            # A second SIGTERM ends the process on the spot, as it would have: mujaz's own handler
            # (end_as_interrupted_on_sigterm) by exit 143, the default by the signal itself; a program
            # using mujaz as a library keeps its own handler's say, which runs as the block ends.
            if previous is _on_sigterm:
                os._exit(ExitCode.TERMINATED)
            if previous == signal.SIG_DFL:
                signal.signal(signum, signal.SIG_DFL)
                signal.raise_signal(signum)
        self._noted.append(signum)

    def __enter__(self) -> held:
        if threading.current_thread() is threading.main_thread():
            for signum in self._signals:
                # Not a signal whose handler was set outside Python (None): it could not be put back
                if signal.getsignal(signum) is not None:
                    self._previous[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(self, *exc) -> bool:
        for signum, handler in self._previous.items():  # put back first: a signal now finds its own handler
            signal.signal(signum, handler)
        previous, self._previous = self._previous, {}
        noted, self._noted = self._noted, []
        raised = None
        for signum in noted:  # each as it came (a second Ctrl-C is batch's "stop at once"), every one run
            handler = previous[signum]
            try:
                if callable(handler):
                    handler(signum, None)
                elif handler == signal.SIG_DFL:
                    signal.raise_signal(signum)
            except BaseException as error:  # the first one raised is the block's end; a SIGTERM after it still counts
                raised = raised or error
        if raised is not None:
            raise raised
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
