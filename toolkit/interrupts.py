"""Ctrl-C and SIGTERM: stop soon, at a point where nothing is half done.

A build stops where the interrupt finds it (between translation batches, while preparing,
while staging outputs): the exception unwinds through the code that already cleans up
(staged temporary files are discarded, the corpus lock is released) and every translation
batch committed so far stays in the cache. Two places must not be cut in half and hold the
signal until they end (:func:`deferred_interrupts`): renaming a build's outputs into place,
and committing a decoded batch to the translation cache.

:func:`interrupts_raise` (used by the command line) makes SIGTERM behave like Ctrl-C, and
keeps worker processes forked from this one (the preparation pool) quiet: Ctrl-C in a
terminal reaches the whole process group, and the process that started the work is the one
that stops it. Example::

    with interrupts_raise():
        try:
            build_corpus(...)
        except KeyboardInterrupt:
            ...  # report what was kept, exit 130
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def interrupts_raise() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM :class:`Terminated`.

    In processes forked inside the block (pool workers inherit the handler), SIGINT is
    ignored and SIGTERM ends the process at once without a traceback. Outside the main
    thread (where Python cannot install handlers) it does nothing.
    """
    if not _in_main_thread():
        yield
        return
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker: its parent decides
            if signum == signal.SIGTERM:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
            return
        if signum == signal.SIGTERM:
            raise Terminated()
        raise KeyboardInterrupt()

    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on them as usual.

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

    previous: dict[int, Any] = {signum: signal.signal(signum, hold) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
        if caught:
            _deliver(*caught[0], previous[caught[0][0]])


def _deliver(signum: int, frame: FrameType | None, handler: Any) -> None:
    """Act on a held signal as ``handler`` (the one in place before holding) would have."""
    if callable(handler):
        handler(signum, frame)
    elif handler == signal.SIG_DFL:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt()
        os.kill(os.getpid(), signum)  # the default action: end the process
    # SIG_IGN (or None: set outside Python): ignored, as it would have been


__all__ = ["Terminated", "deferred_interrupts", "interrupts_raise"]
