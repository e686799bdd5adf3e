"""Backups of the files a commit replaces, and undoing a commit from them.

:meth:`toolkit.corpus.writes.StagedWrites.commit` hard-links each file before renaming over
it (:func:`backup`); when the commit fails, or its check finds a hand edit typed meanwhile,
:func:`undo` puts every backup back. A backup is named like a temporary file, so a crash
leaves nothing the next build's clean-up would not clear -- which is why a backup that cannot
be put back must not keep that name: it may hold the user's edit, and the next build would
delete it. :func:`undo` renames such a backup ``<name>.before-build`` and says where it is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from pathlib import Path


def backup(target: Path) -> Path:
    """A hard link (a copy where links are not supported) of ``target``, named like a temp
    file so that a crash leaves nothing :func:`remove_temp_files` would not clear."""
    kept = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        shutil.copy2(target, kept, follow_symlinks=False)
    return kept


Stamp = tuple[int, int, int] | None
"""A file's identity and last change (inode, size, mtime in ns); None: no file there."""


def stamp(path: Path) -> Stamp:
    """``path``'s :data:`Stamp`, taken right after the commit put its file there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def undo(done: list[tuple[Path, Path | None, Stamp]]) -> list[str]:
    """Put back, last first, what each ``(target, backup, stamp)`` held before its rename
    (no backup: the target did not exist, so it is removed). A target no longer as the
    commit left it (``stamp``: typed into meanwhile) is kept as it is, never overwritten.
    Returns one phrase per target not put back, naming where its earlier bytes are."""
    stuck: list[str] = []
    for target, kept, placed in reversed(done):
        try:
            if stamp(target) != placed:
                stuck.append(_stuck(target, kept, "changed since this build wrote it: kept"))
            elif kept is not None:
                os.replace(kept, target)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
        except OSError:
            stuck.append(_stuck(target, kept, "could not be put back"))
    return stuck


def _stuck(target: Path, kept: Path | None, why: str) -> str:
    """Where ``target``'s earlier bytes are, its backup moved off the temporary name."""
    if kept is None:
        return f"{target} ({why}; it did not exist before this build)"
    before = target.with_name(f"{target.name}.before-build")
    try:
        os.replace(kept, before)
    except OSError:
        return f"{target} ({why}; its earlier bytes are in {kept.name}: copy it before any build)"
    return f"{target} ({why}; its earlier bytes are in {before.name})"
