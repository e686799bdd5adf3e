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
descriptor: staging waits for the oldest beyond that, so a 1,028-article build never holds
thousands of descriptors.
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
"""Staged files whose fsync may be pending at once (each holds an open descriptor)."""


def _sync_and_close(fd: int) -> None:
    """fsync ``fd``, then close it (closed also when the fsync fails)."""
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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

    def submit(self, target: Path, fd: int) -> None:
        """fsync and close ``fd`` (the staged file for ``target``) in the background."""
        try:
            while len(self._flight) >= WINDOW:
                self._settle(self._flight.popleft())
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="toolkit-fsync")
            future = self._pool.submit(_sync_and_close, fd)
        except BaseException:
            os.close(fd)
            raise
        self._flight.append((target, fd, future))

    def wait(self) -> tuple[Path, OSError] | None:
        """Block until every submitted file is on disk (or failed); the first failure as
        ``(target, error)``, else None. The worker threads end here."""
        while self._flight:
            self._settle(self._flight.popleft())
        self.close()
        failed, self._failed = self._failed, None
        return failed

    def close(self) -> None:
        """End the worker threads; fsyncs not started are dropped, their files closed
        (for files about to be deleted: a discarded build)."""
        for _target, fd, future in self._flight:
            if future.cancel():
                os.close(fd)
        self._flight.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _settle(self, entry: tuple[Path, int, Future[None]]) -> None:
        """Wait for one fsync; remember the first failure."""
        target, _fd, future = entry
        error = future.exception()
        if error is None:
            return
        if not isinstance(error, OSError):
            raise error
        if self._failed is None:
            self._failed = (target, error)
