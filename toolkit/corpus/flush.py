"""Background fsyncs for staged writes (:class:`toolkit.corpus.writes.StagedWrites`).

A build stages three files per document and renames them into place only when all are on
disk. Each file used to be fsynced as it was staged, one after the other: 60 fsyncs of
3-10 ms each on this machine's ext4 (0.2-0.6 s) at the end of a 20-article build, 3,000 in
a 1,028-article one. :class:`Flusher` fsyncs each staged file in a worker thread instead
(fsync releases the GIL, and the file system commits concurrent fsyncs together), while the
build serializes the next document; :meth:`Flusher.wait` blocks until every file is on
disk, and the renames come after it. So durability is unchanged: every file is fsynced
before it is renamed into place, and a failed fsync fails the commit with nothing renamed.

At most :data:`WINDOW` files wait for their fsync at a time, each holding its open file
descriptor, fewer under a low open-file limit (:func:`window`: ``ulimit -n 32`` failed a
100-article build with "Too many open files"): staging waits for the oldest beyond that, so a
1,028-article build never holds thousands of descriptors.

The thread that stages owns every descriptor: a worker only fsyncs it, and the descriptor is
closed once its fsync is over (:meth:`Flusher.wait`), or once the workers have ended
(:meth:`Flusher.close`). A worker that closed it could close a number the main thread had
already closed and reused (an interrupt inside ``submit`` after the task was queued) for
an unrelated file.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported with the first file to fsync: a no-op build stages none, and
    # concurrent.futures (with logging, threading, queue) is ~30 ms of its start-up
    from concurrent.futures import Future, ThreadPoolExecutor

WORKERS = 4
"""Threads that fsync at once."""
WINDOW = 32
"""Staged files whose fsync may be pending at once (each holds an open descriptor), at most."""


def free_descriptors() -> int | None:
    """How many more files this process may open under its open-file limit (``ulimit -n``),
    or None when there is no limit or it cannot be told: the one count the fsync window and
    the preparation pool (:class:`toolkit.pipeline.executor.LocalExecutor`) are sized by."""
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        in_use = len(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))
    except (ImportError, OSError, ValueError):
        return None
    return None if limit == resource.RLIM_INFINITY else max(0, limit - in_use)


def window() -> int:
    """How many staged files may wait for their fsync now: :data:`WINDOW`, or half the
    descriptors the open-file limit leaves free (at least one), the other half for the rest
    of the build (originals read, the workers' pipes, the lock)."""
    free = free_descriptors()
    return WINDOW if free is None else max(1, min(WINDOW, free // 2))


class Flusher:
    """fsyncs staged files in the background; :meth:`wait` before renaming any of them.

    Example::

        flusher = Flusher()
        flusher.submit(target, fd)  # fd: the staged temp file's, written, now owned here
        failed = flusher.wait()  # None, or (target, OSError) of the first failed fsync
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._flight: deque[tuple[Path, int, Future[None]]] = deque()
        self._failed: tuple[Path, OSError] | None = None
        self._window = WINDOW
        """:func:`window`, taken when the worker threads start."""

    def submit(self, target: Path, fd: int) -> None:
        """fsync ``fd`` (the staged file for ``target``) in the background; it is closed here
        later (:meth:`wait`, :meth:`close`), also when this fails."""
        try:
            # the window full, wait for the oldest; fsyncs already over free their descriptor
            while self._flight and (len(self._flight) >= self._window or self._flight[0][2].done()):
                self._settle_oldest()
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._window = window()
                self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="toolkit-fsync")
            future = self._pool.submit(os.fsync, fd)
        except BaseException:
            # The task may be queued (an interrupt inside submit): the workers end first,
            # then fd is closed, never while one may still fsync it.
            self.close()
            os.close(fd)
            raise
        self._flight.append((target, fd, future))

    def drain(self) -> None:
        """Wait for every pending fsync and close its descriptor (failures kept for
        :meth:`wait`): frees descriptors when the process has run out of them."""
        while self._flight:
            self._settle_oldest()

    def wait(self) -> tuple[Path, OSError] | None:
        """Block until every submitted file is on disk (or failed); the first failure as
        ``(target, error)``, else None. The worker threads end here."""
        self.drain()
        self.close()
        failed, self._failed = self._failed, None
        return failed

    def close(self) -> None:
        """End the worker threads, then close the descriptors still held; fsyncs not started
        are dropped (for files about to be deleted: a discarded build)."""
        for _target, _fd, future in self._flight:
            future.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        while self._flight:  # every worker has ended: no fsync can still use these
            os.close(self._flight.popleft()[1])

    def _settle_oldest(self) -> None:
        """Wait for the oldest fsync, then close its descriptor; remember the first failure.
        Interrupted while waiting, the entry stays for :meth:`close`."""
        target, fd, future = self._flight[0]
        error = future.exception()
        self._flight.popleft()
        os.close(fd)
        if error is None:
            return
        if not isinstance(error, OSError):
            raise error
        if self._failed is None:
            self._failed = (target, error)
