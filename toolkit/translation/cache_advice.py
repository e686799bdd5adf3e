"""What to tell the user when the translation cache cannot be opened: advice that fits what
the path is. ``--cache-dir /dev/null`` was told ``mv /dev/null /dev/null.old`` and
``--cache-dir /proc`` ``rm /proc/translations.sqlite``: a device, a FIFO or a folder the
cache cannot be created in is never to be moved or removed; another directory is the fix.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from pathlib import Path

from toolkit.corpus.paths import shown_name

_ELSEWHERE = "use a cache directory you can write (translate --cache-dir DIR), or --no-cache"


def _what(path: Path) -> str | None:
    """``"a file"``, ``"a directory"``, ``"a FIFO, socket or device"``, or None (nothing
    there, or it cannot be looked at); a symlink is followed, as opening it would."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a FIFO, socket or device"


def folder_in_the_way(folder: Path) -> str:
    """The message for a cache folder that exists and is no directory."""
    what = _what(folder) or "not a directory"
    shown = shown_name(str(folder))
    if what == "a file":  # e.g. corpus/.cache made a file by mistake: it can be moved
        moved = shlex.quote(f"{folder}.old")
        return (
            f"{shown}: is not a directory, but the translation cache lives there; move it "
            f"away (mv {shlex.quote(str(folder))} {moved}) and rerun"
        )
    return (
        f"{shown}: is {what}, not a directory, so no translation cache can live there; {_ELSEWHERE}"
    )


def cache_unusable(path: Path, exc: Exception) -> str:
    """The message for a cache file that cannot be opened or read (``exc``), its advice fitting
    the cause: busy, disk full, a damaged cache file (delete it: it only saves time), or a
    folder the cache cannot be created in (another directory)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    shown = shown_name(str(path))
    if "locked" in reason:
        return (
            f"translation cache {shown} is busy ({reason}): another process is writing it; "
            "wait for it to finish, or build with --no-cache"
        )
    if "full" in reason or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return (
            f"translation cache {shown} cannot be written ({reason}); free some disk space "
            "and rerun, or build with --no-cache"
        )
    what = _what(path)
    if what == "a file":
        return (
            f"translation cache {shown} is unusable ({exc}); delete it and rerun (it only "
            f"saves time): rm {shlex.quote(str(path))}"
        )
    if what == "a directory":  # the cache file's own name: nothing else is stored there
        return (
            f"translation cache {shown} is a directory, not the cache file; remove it and "
            f"rerun: rm -r {shlex.quote(str(path))}"
        )
    if what is not None:
        return f"translation cache {shown} is {what}, not the cache file; {_ELSEWHERE}"
    return (
        f"translation cache {shown} cannot be created in {shown_name(str(path.parent))} "
        f"({reason}); {_ELSEWHERE}"
    )


SIDECARS = ("-journal", "-wal", "-shm")
"""The files SQLite keeps beside a database (``translations.sqlite-journal`` ...)."""


def sidecar_in_the_way(path: Path) -> str | None:
    """The message for a file SQLite keeps beside the cache ``path`` that is no regular file,
    or None. SQLite opens and reads them as it finds them: a FIFO named
    ``translations.sqlite-journal`` blocked every build for ever (holding the corpus lock),
    and a FIFO ``-shm`` was answered with "delete the cache", which fixed nothing."""
    for suffix in SIDECARS:
        beside = path.with_name(path.name + suffix)
        try:
            mode = os.lstat(beside).st_mode
        except OSError:  # none there (or nothing to see): SQLite decides
            continue
        if stat.S_ISREG(mode):
            continue
        folder = stat.S_ISDIR(mode)
        what = "a symlink" if stat.S_ISLNK(mode) else "a directory" if folder else None
        return (
            f"{shown_name(str(beside))}: is {what or 'a FIFO, socket or device'}, not the "
            f"file SQLite keeps beside the translation cache; remove it and rerun: "
            f"rm {'-r ' if folder else ''}{shlex.quote(str(beside))}"
        )
    return None
