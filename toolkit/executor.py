"""Where a build's model-free preparation runs: in this process, or on every local core.

:func:`toolkit.prepare.prepare_document` is pure, so articles can be prepared in any
order, anywhere, and the results are the same. :class:`LocalExecutor` (the default)
uses a process pool for larger builds; :class:`toolkit.ray_executor.RayExecutor` runs the
same function as a Ray Data map. Either returns one result per input, in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol

from toolkit.errors import InputError
from toolkit.prepare import PrepareConfig, prepare_document
from toolkit.schema import DocumentRecord

Prepared = DocumentRecord | InputError
"""A prepared document, or the reason it could not be prepared (message without the file name)."""

PrepareProgress = Callable[[int, int], None]
"""``progress(done, total)`` as documents are prepared."""


def no_progress(done: int, total: int) -> None:
    return None


class Executor(Protocol):
    """Prepares articles: one :data:`Prepared` per ``(input path, bytes)``, in input order."""

    name: str

    def prepare_many(
        self,
        items: Sequence[tuple[str, bytes]],
        config: PrepareConfig,
        progress: PrepareProgress = no_progress,
    ) -> list[Prepared]: ...


def prepare_one(item: tuple[str, bytes], config: PrepareConfig) -> Prepared:
    """:func:`prepare_document`, with an input error returned instead of raised."""
    rel, data = item
    try:
        return prepare_document(data, rel, config)
    except InputError as exc:
        return exc


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalExecutor:
    """Prepare in this process, or in a pool of ``processes`` when there are many articles.

    Below ``min_parallel`` articles the pool's start-up (and pickling the records back)
    costs more than it saves, so small builds and ``toolkit add`` stay in-process.
    Measured on 2 cores: 0.59 MB/s in one process, 1.10 MB/s with two (BENCHMARKS.md).
    """

    name = "local"

    def __init__(self, processes: int | None = None, min_parallel: int = 48) -> None:
        self.processes = processes or _available_cpus()
        self.min_parallel = min_parallel

    def prepare_many(
        self,
        items: Sequence[tuple[str, bytes]],
        config: PrepareConfig,
        progress: PrepareProgress = no_progress,
    ) -> list[Prepared]:
        if self.processes <= 1 or len(items) < self.min_parallel:
            results = []
            for i, item in enumerate(items, start=1):
                results.append(prepare_one(item, config))
                progress(i, len(items))
            return results
        # Load the language-id model before forking, so the workers share it instead of
        # each decompressing it again.
        from toolkit.langid import detect_language

        detect_language("warm up")
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        results = []
        with ProcessPoolExecutor(
            max_workers=self.processes, mp_context=multiprocessing.get_context(method)
        ) as pool:
            chunk = max(1, min(32, len(items) // (4 * self.processes)))
            for i, result in enumerate(
                pool.map(prepare_one, items, [config] * len(items), chunksize=chunk), start=1
            ):
                results.append(result)
                progress(i, len(items))
        return results
