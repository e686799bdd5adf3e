"""Ctrl-C, SIGTERM and SIGHUP: stop soon, at a point where nothing is half done.

SIGHUP (the terminal closed, an ssh session dropped) is handled as SIGTERM: by default it
ends the process wherever it is, a commit of outputs half renamed included.

An exception raised the instant a signal arrives can land anywhere: inside the process
pool's bookkeeping (measured: a pool left waiting for workers that never got their stop
message), inside an ``os.fork`` hook (where Python drops it and prints ``Exception
ignored``), halfway through a cache transaction. So the command line stops at *safe
points* instead (:func:`stop_at_safe_points`): the signal is noted, and the build's
progress callback, called after every prepared document, every stored translation batch
and every checked document, raises ``KeyboardInterrupt`` there. The exception then unwinds
through the code that already cleans up (staged temporary files are discarded, the corpus
lock is released) and every translation batch stored so far stays in the cache. A second
Ctrl-C raises at once, for whoever cannot wait for the current batch.

Without those handlers (``build_corpus()`` called from Python), Ctrl-C raises where it
lands; the two steps that must not be cut in half hold it until they end
(:func:`deferred_interrupts`): renaming a build's outputs into place, and committing a
decoded batch to the translation cache. Example::

    with stop_at_safe_points() as check:
        try:
            build_corpus(..., progress=lambda *counts: check())
        except KeyboardInterrupt:
            ...  # report what was kept, exit 130
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Signals that ask the process to end (SIGHUP does not exist on Windows)."""
SIGNALS = (signal.SIGINT, *_ENDING)

_raise_at_once = [0]
"""How many :func:`interruptible` blocks the main thread is in (signals are per process)."""


def _taken() -> list[int]:
    """The signals to handle now: all of :data:`SIGNALS`, except a SIGHUP that is ignored
    (``nohup``: the user asked the process to outlive its terminal)."""
    hup = getattr(signal, "SIGHUP", None)
    return [s for s in SIGNALS if not (s == hup and signal.getsignal(s) is signal.SIG_IGN)]


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (``signum``), raised in the main thread like Ctrl-C's
    KeyboardInterrupt."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__()
        self.signum = signum


def exit_status(stop: KeyboardInterrupt) -> int:
    """The exit status of a command stopped by ``stop``: :func:`signal_status` of its signal.
    ``stop`` names its signal in ``signum`` (:class:`Terminated`, a build's
    ``BuildInterrupted``); a plain KeyboardInterrupt is Ctrl-C's."""
    return signal_status(getattr(stop, "signum", signal.SIGINT))


def signal_status(signum: int) -> int:
    """128 + the signal, as a shell reports a process the signal ended (130 Ctrl-C, 143
    SIGTERM, 129 SIGHUP): what a command stopped by ``signum`` exits with."""
    return 128 + int(signum)


def signal_label(signum: int) -> str:
    """How ``--help`` names one of :data:`SIGNALS`: ``Ctrl-C`` for SIGINT, else its name."""
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def ending_signals_interrupt() -> None:
    """From now on SIGTERM and SIGHUP raise :class:`Terminated` where they land, as Python
    makes Ctrl-C raise KeyboardInterrupt, so a command stops the same way for all three (it
    died silently: no message, the cache's last batch uncommitted) and a
    :func:`deferred_interrupts` block holds them alike. An ignored SIGHUP (``nohup``) stays
    ignored; a forked child ends as by default. Called by the ``toolkit`` program at start;
    a build's :func:`stop_at_safe_points` takes over inside it."""
    if not _in_main_thread():
        return
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(signum)

    for signum in _taken():
        if signum in _ENDING:
            signal.signal(signum, handler)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_at_safe_points() -> Iterator[Callable[[], None]]:
    """Within the block, SIGINT, SIGTERM and SIGHUP are noted and acted on at safe points.

    Yields ``check()``: call it where stopping is safe; after a signal it raises
    ``KeyboardInterrupt`` (:class:`Terminated` for SIGTERM and SIGHUP). A second signal,
    or one that comes inside an :func:`interruptible` block, raises at once.

    In processes forked inside the block (pool workers inherit the handler: Ctrl-C in a
    terminal reaches the whole process group), SIGINT is ignored, as the process that
    started them stops them, and SIGTERM or SIGHUP ends the worker without a traceback.
    Outside the main thread (where Python cannot install handlers) it does nothing.
    """
    if not _in_main_thread():
        yield lambda: None
        return
    owner = os.getpid()
    received: list[int] = []

    def interrupt() -> None:
        raise Terminated(received[0]) if received[0] in _ENDING else KeyboardInterrupt()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker: its parent decides
            if signum in _ENDING:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        received.append(signum)
        if len(received) > 1 or _raise_at_once[0]:
            interrupt()

    def check() -> None:
        if received and os.getpid() == owner:
            interrupt()

    previous = {signum: signal.signal(signum, handler) for signum in _taken()}
    try:
        yield check
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def interruptible() -> Iterator[None]:
    """A block where a signal noted by :func:`stop_at_safe_points` raises at once: waiting
    that can be abandoned without loss (the test hook's pause)."""
    _raise_at_once[0] += 1
    try:
        yield
    finally:
        _raise_at_once[0] -= 1


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends, then act on them as before.

    For the few steps that must finish once started (renames of a commit, a cache
    transaction). Outside the main thread it does nothing: signals only reach Python's
    main thread anyway.
    """
    if not _in_main_thread():
        yield
        return
    caught: list[tuple[int, FrameType | None]] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append((signum, frame))

    previous: dict[int, Any] = {signum: signal.signal(signum, hold) for signum in _taken()}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
        for signum, frame in caught:
            _deliver(signum, frame, previous[signum])


def _deliver(signum: int, frame: FrameType | None, handler: Any) -> None:
    """Act on a held signal as ``handler`` (the one in place before holding) would have."""
    if callable(handler):
        handler(signum, frame)
    elif handler == signal.SIG_DFL:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt()
        os.kill(os.getpid(), signum)  # the default action: end the process
    # SIG_IGN (or None: set outside Python): ignored, as it would have been


__all__ = [
    "Terminated",
    "deferred_interrupts",
    "ending_signals_interrupt",
    "exit_status",
    "interruptible",
    "stop_at_safe_points",
]
