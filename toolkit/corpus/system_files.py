"""The files systems and tools leave in any folder: never articles, never reported.

Split from :mod:`toolkit.corpus.originals` (which decides what every other name in
``original/`` is): the names, and macOS's AppleDouble file told by its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SYSTEM_FILES = frozenset({".DS_Store", ".gitkeep", ".gitignore", ".keep", ".directory"})
"""Hidden files that systems and tools put in any folder, by name."""

APPLE_DOUBLE_MAGIC = b"\x00\x05\x16\x07"
"""How every AppleDouble file (``._x.txt``: the resource fork macOS writes beside ``x.txt``
on a disk without them) starts; no text article does (NUL bytes)."""


def apple_double(path: Path) -> bool:
    """Whether ``path`` is a regular file starting with :data:`APPLE_DOUBLE_MAGIC`: a real
    AppleDouble file, whatever names the last build saw. A symlink is never followed
    (``O_NOFOLLOW``), a FIFO never waited on (``O_NONBLOCK``, and only a regular file, by
    ``lstat`` and again by ``fstat``, is read); an unreadable file is none."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 4) == APPLE_DOUBLE_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


__all__ = ["APPLE_DOUBLE_MAGIC", "SYSTEM_FILES", "apple_double"]
