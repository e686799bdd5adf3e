"""The progress bar a build and ``translate`` draw on stderr (tqdm, imported when drawn).

Split from :mod:`toolkit.cli.options` (the option decorators and the one-line messages),
which stays under the module size limit; imports nothing heavy at module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing tqdm bars on stderr."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from tqdm import tqdm

    current: dict[str, Any] = {}  # the one bar on screen: {"stage": ..., "bar": ...}

    def update(stage: str, done: int, total: int) -> None:
        # A bar that cannot be drawn (stderr gone: a broken pipe, a closed descriptor; tqdm
        # itself drops a bar only on EIO) is dropped and the build goes on: it stopped,
        # saying "the progress callback raised BrokenPipeError", the words for a library
        # caller's callback failing.
        if current.get("gone"):
            return
        try:
            draw(stage, done, total)
        except (OSError, ValueError):  # ValueError: "I/O operation on closed file"
            current.clear()
            current["gone"] = True

    def draw(stage: str, done: int, total: int) -> None:
        if current.get("stage") != stage:
            # One bar at a time: a finished stage's bar is cleared before the next one starts.
            if "bar" in current:
                current["bar"].close()
            unit = "sent" if stage.startswith("translate") else "doc"
            current["stage"] = stage
            current["bar"] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False)
        bar = current["bar"]
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if "bar" in current:
            with suppress(OSError, ValueError):
                current["bar"].close()


__all__ = ["progress_bar"]
