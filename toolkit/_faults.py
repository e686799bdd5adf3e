"""Test hook: crash or pause the process at a named point, to prove builds survive it.

Not a user feature. Code calls :func:`checkpoint` at the points where a crash would hurt
most (between a temp write and its rename, before the manifest, between translation
chunks); the reliability tests set an environment variable to make one of them fire:

* ``TOOLKIT_CRASH_AT=name`` (or ``name:N`` for the N-th time that point is reached)
  sends SIGKILL to the own process: no ``finally``, no ``atexit``, like a power cut
  or the OOM killer;
* ``TOOLKIT_PAUSE_AT=name`` (or ``name:N``) prints ``toolkit: paused at name`` on stderr
  and sleeps ``TOOLKIT_PAUSE_SECONDS`` (default 60), so a test can run a second
  process against a corpus that is busy.

Both variables are read once, at import; with neither set :func:`checkpoint` is a single
``None`` comparison. Names in use: ``prepare``, ``prepare.document`` (each document
prepared; in a pool worker for larger builds), ``translate.batch`` (a whole
language pass), ``translate.chunk`` (one batch stored in the cache), ``write.staged``,
``write.renamed`` (each before/after one rename of a build's commit), ``atomic.staged``
(single-file writes), ``build.before-commit``, ``build.before-manifest``, ``lock.acquired``, and in
``models install``: ``install.member`` (after each extracted file), ``install.checked``
(extracted and test-loaded, not yet renamed), ``install.swap`` (between the two renames).
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _parse(value: str | None) -> tuple[str, int] | None:
    """``"name"`` -> ``("name", 1)``; ``"name:3"`` -> ``("name", 3)``; unset -> None."""
    if not value:
        return None
    name, _, nth = value.partition(":")
    return name, int(nth) if nth else 1


_CRASH = _parse(os.environ.get("TOOLKIT_CRASH_AT"))
_PAUSE = _parse(os.environ.get("TOOLKIT_PAUSE_AT"))
_ACTIVE = _CRASH is not None or _PAUSE is not None
_hits: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """Crash or pause here if the test hook asks for it (see the module docstring)."""
    if not _ACTIVE:
        return
    _hits[name] = count = _hits.get(name, 0) + 1
    if (name, count) == _CRASH:
        os.kill(os.getpid(), signal.SIGKILL)
    if (name, count) == _PAUSE:
        from toolkit.interrupts import interruptible

        # Announce the pause only once a signal would end it at once: a test that signals as
        # soon as it reads the line must never land between the line and the sleep (where
        # the signal would only be noted and the whole pause slept).
        with interruptible():  # Ctrl-C or SIGTERM end the pause at once
            print(f"toolkit: paused at {name}", file=sys.stderr, flush=True)
            time.sleep(float(os.environ.get("TOOLKIT_PAUSE_SECONDS", "60")))
