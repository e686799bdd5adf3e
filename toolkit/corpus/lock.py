"""One writer at a time: an exclusive lock on the corpus directory.

``toolkit build``, ``add`` and ``correct`` (and :func:`toolkit.pipeline.build.build_corpus`) hold
``<corpus>/.lock`` while they run. The lock is an ``fcntl.flock`` on that open file, so
the operating system releases it the moment its holder exits *or is killed*: a lock
file left behind by a dead process is simply taken over, there is nothing to clean up.
The file's content only serves the message a second writer sees::

    toolkit: error: corpus: locked by PID 1234 (toolkit build, since
    2024-05-01 12:00:03); wait for it to finish or rerun with --wait

Example::

    with CorpusLock(Path("corpus"), "toolkit build"):
        ...  # nobody else writes the corpus here

Within one process the lock is re-entrant (``toolkit add`` holds it and then calls
``build_corpus``, which takes it again): ``flock`` would otherwise make a process wait
for itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit._faults import checkpoint
from toolkit.corpus.paths import CorpusPaths, NotRegularFile, open_regular, read_regular_file
from toolkit.errors import CorpusError

LOCK_NAME = ".lock"

_HELD: dict[str, int] = {}
"""Lock file (real path) -> how many times this process holds it (re-entrancy count).

Module state on purpose: flock locks belong to the process, so their bookkeeping does too."""


_FDS: set[int] = set()
"""Descriptors of the lock files this process holds (for :func:`_drop_locks_in_child`)."""


def _drop_locks_in_child() -> None:
    """Run in every child right after ``fork()``: close the inherited lock descriptors.

    A forked child shares the parent's open file description, and with it the ``flock``:
    a build's worker processes would otherwise keep the corpus locked after the build
    itself was killed (every later build: ``locked by PID <dead>``). ``O_CLOEXEC`` only
    helps across ``exec``; there is no close-on-fork, so this hook is it. Closing the
    child's copy leaves the parent's lock alone (it goes when the *last* copy closes).
    """
    for fd in _FDS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _FDS.clear()
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


class CorpusLocked(CorpusError):
    """Another process is writing the corpus; the message names it and the way out."""


@dataclass(frozen=True)
class LockOwner:
    """Who holds (or last held) a corpus lock, as written in the lock file."""

    pid: int
    host: str
    command: str
    since: str

    def describe(self) -> str:
        """``PID 1234 (toolkit build, since 2024-05-01 12:00:03)``; the host if not this one."""
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"PID {self.pid}{where} ({self.command}, since {self.since})"


def holds_lock(root: Path) -> bool:
    """Whether this process holds the lock on corpus ``root`` (taken for a whole command)."""
    return bool(_HELD.get(os.path.realpath(Path(root) / LOCK_NAME)))


_OWNER_BYTES = 64 * 1024  # the JSON line acquire() writes is ~100 bytes


def _open_lock(path: Path, flags: int) -> int:
    """A descriptor of the lock file ``path``, only if it is a regular file in the corpus.

    Never through a symlink (a ``.lock`` linked to ``~/.bashrc`` in a corpus someone sent
    would otherwise be truncated by the first build) and never a FIFO or device (a reader
    would block on it for ever): one line naming the file and the fix instead (the ``rm``
    shell-quoted: a corpus path with spaces is one argument, not several files).
    """
    try:
        fd, _info = open_regular(path, flags)
    except NotRegularFile as exc:
        raise CorpusError(
            f"{path}: the corpus lock is {exc.kind}, never followed or used; "
            f"remove it (rm {shlex.quote(str(path))}) and run the command again"
        ) from None
    return fd


def read_owner(path: Path) -> LockOwner | None:
    """The owner recorded in lock file ``path``; None if missing, empty or unreadable."""
    try:  # bounded, regular files only: a FIFO or /dev/zero here cannot hang or fill memory
        raw = json.loads(read_regular_file(path, max_bytes=_OWNER_BYTES).decode("utf-8"))
        return LockOwner(
            pid=int(raw["pid"]),
            host=str(raw["host"]),
            command=str(raw["command"]),
            since=str(raw["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class CorpusLock:
    """The exclusive lock on ``root/.lock``; a context manager, or :meth:`acquire`/:meth:`release`.

    ``wait=False`` (the default) raises :class:`CorpusLocked` at once if another process
    holds it; ``wait=True`` calls ``on_wait(message)`` once and blocks until it is free.
    """

    def __init__(
        self,
        root: Path,
        command: str,
        *,
        wait: bool = False,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK_NAME
        self.command = command
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None
        self._key: str | None = None
        self._times: tuple[int, int] | None = None

    def acquire(self) -> None:
        if not CorpusPaths(self.root).is_corpus():  # never leave a .lock in a non-corpus
            raise CorpusError(CorpusPaths(self.root).missing_original())
        key = os.path.realpath(self.path)
        if _HELD.get(key):
            _HELD[key] += 1
            self._key = key
            return
        try:
            fd = _open_lock(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            raise CorpusError(
                f"{self.path}: cannot open the corpus lock ({exc.strerror}); "
                "the corpus directory must be writable"
            ) from None
        _FDS.add(fd)  # from now on, a fork() closes the child's copy
        try:
            self._lock(fd)
            owner = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": self.command,
                "since": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            before = os.fstat(fd)
            self._times = (before.st_atime_ns, before.st_mtime_ns)
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(owner) + "\n").encode(), 0)
        except BaseException:
            _FDS.discard(fd)
            os.close(fd)
            raise
        self._fd, self._key = fd, key
        _HELD[key] = 1
        checkpoint("lock.acquired")

    def _lock(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        owner = read_owner(self.path)
        holder = owner.describe() if owner else "another process"
        if not self.wait:
            raise CorpusLocked(
                f"{self.root}: locked by {holder}; "  # the root names the corpus
                "wait for it to finish or rerun with --wait"
            )
        if self.on_wait is not None:
            self.on_wait(f"waiting for corpus lock held by {holder}")
        fcntl.flock(fd, fcntl.LOCK_EX)

    def release(self) -> None:
        key = self._key
        if key is None:
            return
        self._key = None
        if key not in _HELD:  # a forked child: its copy was closed right after the fork
            self._fd = None
            return
        _HELD[key] -= 1
        if _HELD[key] or self._fd is None:
            return
        del _HELD[key]
        fd, self._fd = self._fd, None
        _FDS.discard(fd)
        try:
            os.ftruncate(fd, 0)  # no stale owner shown once we are gone
            # Back to its old mtime: the lock is bookkeeping, and a build that changed
            # nothing must leave every file in the corpus as it found it.
            if self._times is not None:
                os.utime(fd, ns=self._times)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> CorpusLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def writer_active(root: Path) -> bool:
    """True if a writer holds the lock of the corpus at ``root`` now (a shared-lock probe,
    released at once)."""
    try:
        fd = _open_lock(Path(root) / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the probe's shared lock
    return False


@contextlib.contextmanager
def shared_lock(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold a shared lock on the corpus at ``root`` while reading: no writer can start,
    other readers can. A corpus no writer ever ran in (no lock file) has nothing to wait for;
    the file is never created by a reader."""
    lock_path = Path(root) / LOCK_NAME
    try:
        fd = _open_lock(lock_path, os.O_RDONLY)
    except FileNotFoundError:  # no writer ever ran here
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for the writer holding {lock_path} to finish")
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


__all__ = [
    "LOCK_NAME",
    "CorpusLock",
    "CorpusLocked",
    "LockOwner",
    "read_owner",
    "shared_lock",
    "writer_active",
]
