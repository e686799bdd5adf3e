"""Where a build's model-free preparation runs: in this process, or on every local core.

:func:`toolkit.prepare.document.prepare_document` is pure, so articles can be prepared in any
order, anywhere, and the results are the same. :class:`LocalExecutor` (the default)
uses a process pool for larger builds; :class:`toolkit.pipeline.ray_executor.RayExecutor` runs the
same function as a Ray Data map. Either returns one result per input, in input order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from typing import Protocol

from toolkit._faults import checkpoint
from toolkit.config.prepare import PrepareConfig
from toolkit.errors import InputError, ToolkitError
from toolkit.schema import DocumentRecord

Prepared = DocumentRecord | InputError
"""A prepared document, or the reason it could not be prepared (message without the file name)."""

PrepareProgress = Callable[[int, int], None]
"""``progress(done, total)`` as documents are prepared."""


class WorkerDied(ToolkitError):
    """A worker process of the build died (a signal, the out-of-memory killer): one line,
    exit 1, the corpus unchanged (outputs are committed only at the end)."""


def no_progress(done: int, total: int) -> None:
    return None


class Executor(Protocol):
    """Prepares articles: one :data:`Prepared` per ``(input path, bytes)``, in input order;
    ``on_result`` sees each as it is ready (the build starts loading models there)."""

    def prepare_many(
        self,
        items: Sequence[tuple[str, bytes]],
        config: PrepareConfig,
        progress: PrepareProgress = no_progress,
        on_result: Callable[[Prepared], None] | None = None,
    ) -> list[Prepared]: ...


class PreparingExecutor:
    """What every executor shares: :meth:`prepare_many` collects :meth:`prepare_stream`'s
    results and reports each; a subclass only says where the work runs."""

    def prepare_many(
        self,
        items: Sequence[tuple[str, bytes]],
        config: PrepareConfig,
        progress: PrepareProgress = no_progress,
        on_result: Callable[[Prepared], None] | None = None,
    ) -> list[Prepared]:
        """One :data:`Prepared` per item, in input order; ``on_result`` gets each as it
        comes, then ``progress`` is called.

        A stop raised by ``progress`` (Ctrl-C at a safe point) closes the stream at once,
        so a pool is shut down before the exception leaves this method.
        """
        results: list[Prepared] = []
        with contextlib.closing(self.prepare_stream(items, config)) as stream:
            for result in stream:
                results.append(result)
                if on_result is not None:
                    on_result(result)
                progress(len(results), len(items))
        return results

    def prepare_stream(
        self, items: Sequence[tuple[str, bytes]], config: PrepareConfig
    ) -> Generator[Prepared, None, None]:
        """The results, in input order, as they are ready."""
        raise NotImplementedError


def prepare_one(item: tuple[str, bytes], config: PrepareConfig) -> Prepared:
    """:func:`prepare_document`, with an input error returned instead of raised.

    Imported here, not at the top: a build with nothing to prepare (or ``toolkit --help``)
    never loads ftfy, the boilerplate rules or the language-id model."""
    from toolkit.prepare.document import prepare_document

    rel, data = item
    checkpoint("prepare.document")  # test hook: in a pool worker when the build has one
    try:
        return prepare_document(data, rel, config)
    except InputError as exc:
        return exc


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_WATCH_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that started it dies.

    Without it, killing a build's main process (the PID the lock message names) left its
    pool workers running under PID 1. On Linux the kernel sends SIGKILL the moment the
    parent exits (``prctl(PR_SET_PDEATHSIG)``); everywhere, a daemon thread also checks
    every half second that the parent is still ours, which covers a parent that died
    before the ``prctl`` and systems without it.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="toolkit-parent-watch", daemon=True).start()


def _start_method() -> str:
    """``fork``, except inside a Ray driver, which gets ``spawn``.

    Forking a process whose other threads hold a lock at that instant copies the lock held,
    and the child waits on it forever: seen as a pool that never answered when a local
    build ran inside a Ray driver (Ray's many native threads). A plain ``toolkit build``
    forks, which is fast and shares the loaded language-id model.
    """
    import multiprocessing

    ray = sys.modules.get("ray")
    in_ray_driver = bool(ray is not None and getattr(ray, "is_initialized", lambda: False)())
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods and not in_ray_driver else "spawn"


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _few_descriptors(executor: LocalExecutor) -> bool:
    """Whether the open-file limit leaves too few descriptors for the pool's pipes (about
    eight per worker): a worker that cannot be started raised EMFILE while the ones started
    waited for work, and the build hung at exit joining them. Then it prepares in-process."""
    from toolkit.corpus.flush import free_descriptors

    free = free_descriptors()
    return free is not None and free < 8 * executor.processes + 16


class LocalExecutor(PreparingExecutor):
    """Prepare in this process, or in a pool of ``processes`` when there are many articles.

    Below ``min_parallel`` articles the pool's start-up (and pickling the records back)
    costs more than it saves, so small builds and ``toolkit add`` stay in-process.
    Measured by ``benchmarks/speed.py prepare --workers 2`` (BENCHMARKS.md, "Preparation vs
    ftfy.fix_text", the whole-process rows).
    """

    def __init__(self, processes: int | None = None, min_parallel: int = 48) -> None:
        self.processes = processes or _available_cpus()
        self.min_parallel = min_parallel

    def prepare_stream(
        self, items: Sequence[tuple[str, bytes]], config: PrepareConfig
    ) -> Generator[Prepared, None, None]:
        if self.processes <= 1 or len(items) < self.min_parallel or _few_descriptors(self):
            for item in items:
                yield prepare_one(item, config)
            return
        # Imported here, not at the top: the pool's modules (multiprocessing, pickle, logging,
        # subprocess, ctypes: ~20 ms) are not needed by a build with nothing to prepare.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # Load the language-id model before forking, so the workers share it instead of
        # each decompressing it again.
        from toolkit.prepare.langid import detect_language

        detect_language("warm up")
        # Fork is safe for the corpus lock: toolkit.corpus.lock closes its descriptor in every
        # forked child, so only this process holds the lock.
        with ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context(_start_method()),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            chunk = max(1, min(32, len(items) // (4 * self.processes)))
            try:
                yield from pool.map(prepare_one, items, [config] * len(items), chunksize=chunk)
            except BrokenProcessPool:
                raise WorkerDied(
                    "a preparation worker process died (killed, or out of memory); nothing "
                    "was changed: run toolkit build again (--workers 1 uses no workers)"
                ) from None
