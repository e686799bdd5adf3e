"""The command line's own progress bar (``toolkit.cli.progress.progress_bar``)."""

from __future__ import annotations

import errno
import io
from typing import Any

import pytest

from toolkit.cli import progress as progress_module


class GoneTerminal(io.StringIO):
    """A terminal whose far end went away: it still says it is one, and writes fail with
    ``error`` (tqdm itself drops a bar only on EIO)."""

    error = OSError(errno.EPIPE, "Broken pipe")

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize("error", [errno.EPIPE, errno.EBADF])
def test_a_bar_that_cannot_be_drawn_is_dropped_not_a_failed_build(
    monkeypatch: Any, error: int
) -> None:
    """stderr gone during a build: the bar raised BrokenPipeError, and the build stopped
    with "the progress callback raised BrokenPipeError", the wording for a library caller's
    failing callback. The bar is now dropped and the build goes on."""
    terminal = GoneTerminal()
    terminal.error = OSError(error, "gone")
    monkeypatch.setattr(progress_module.sys, "stderr", terminal)
    with progress_module.progress_bar(True) as progress:
        for done in range(3):
            progress("prepare", done, 3)
        progress("translate de→en", 1, 5)
