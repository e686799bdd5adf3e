"""The crash/pause driver for :func:`toolkit._faults.checkpoint`, installed only by tests.

The package calls ``checkpoint(name)`` at the points where a crash would hurt most and does
nothing there. A test that wants a process to die or wait at one of them starts it with the
environment from :func:`with_faults`:

* ``TOOLKIT_CRASH_AT=name`` (or ``name:N`` for the N-th time that point is reached) sends
  SIGKILL to the process: no ``finally``, no ``atexit``, like a power cut or the OOM killer;
* ``TOOLKIT_PAUSE_AT=name`` (or ``name:N``) prints ``toolkit: paused at name`` on stderr and
  sleeps ``TOOLKIT_PAUSE_SECONDS`` (default 60), so a test can run a second process against a
  corpus that is busy. Ctrl-C or SIGTERM end the pause at once.

:func:`with_faults` also puts ``tests/support/site`` first on ``PYTHONPATH``; its
``sitecustomize`` calls :func:`install_from_environ` at interpreter start-up, so every Python
process of the command (pool workers included, forked or spawned) has the driver.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from toolkit import _faults

SITE = Path(__file__).resolve().parent / "site"
"""The directory whose ``sitecustomize`` installs this driver in a fresh interpreter."""


def _parse(value: str | None) -> tuple[str, int] | None:
    """``"name"`` -> ``("name", 1)``; ``"name:3"`` -> ``("name", 3)``; unset -> None."""
    if not value:
        return None
    name, _, nth = value.partition(":")
    return name, int(nth) if nth else 1


class Faults:
    """Counts each checkpoint and crashes or pauses at the configured hit."""

    def __init__(
        self, crash: tuple[str, int] | None, pause: tuple[str, int] | None, pause_seconds: float
    ) -> None:
        self.crash, self.pause, self.pause_seconds = crash, pause, pause_seconds
        self.hits: dict[str, int] = {}

    def __call__(self, name: str) -> None:
        self.hits[name] = count = self.hits.get(name, 0) + 1
        if (name, count) == self.crash:
            os.kill(os.getpid(), signal.SIGKILL)
        if (name, count) == self.pause:
            from toolkit.interrupts import interruptible

            # Announce the pause only once a signal would end it at once: a test that signals
            # as soon as it reads the line must never land between the line and the sleep
            # (where the signal would only be noted and the whole pause slept).
            with interruptible():
                print(f"toolkit: paused at {name}", file=sys.stderr, flush=True)
                time.sleep(self.pause_seconds)


def install_from_environ(environ: Mapping[str, str] = os.environ) -> bool:
    """Install the driver if ``TOOLKIT_CRASH_AT`` or ``TOOLKIT_PAUSE_AT`` is set; whether it was."""
    crash = _parse(environ.get("TOOLKIT_CRASH_AT"))
    pause = _parse(environ.get("TOOLKIT_PAUSE_AT"))
    if crash is None and pause is None:
        return False
    _faults.set_hook(Faults(crash, pause, float(environ.get("TOOLKIT_PAUSE_SECONDS", "60"))))
    return True


def with_faults(env: Mapping[str, str], **variables: str) -> dict[str, str]:
    """``env`` plus ``variables`` (``TOOLKIT_CRASH_AT=...``, ``TOOLKIT_PAUSE_AT=...``,
    ``TOOLKIT_PAUSE_SECONDS=...``), with :data:`SITE` first on ``PYTHONPATH`` so that a
    Python process started with it installs the driver."""
    path = [str(SITE), env.get("PYTHONPATH", "")]
    return {**env, **variables, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
