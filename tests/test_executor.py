"""The preparation pool never forks a Ray driver (its native threads' locks would be copied)."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from toolkit.pipeline import executor


def test_a_ray_driver_spawns_its_workers(monkeypatch) -> None:
    """Forking while another thread holds a lock leaves the child waiting forever (a local
    build inside a Ray driver hung that way); a Ray driver spawns its workers instead."""
    fake_ray = types.SimpleNamespace(is_initialized=lambda: True)
    monkeypatch.setitem(sys.modules, "ray", fake_ray)
    assert executor._start_method() == "spawn"
    fake_ray.is_initialized = lambda: False
    assert executor._start_method() == "fork"


def test_a_single_threaded_process_forks() -> None:
    code = "from toolkit.pipeline import executor; print(executor._start_method())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "fork"


def test_a_spawned_pool_prepares_like_one_process(monkeypatch) -> None:
    monkeypatch.setattr(executor, "_start_method", lambda: "spawn")
    items = [(f"original/{i}.txt", f"Der Hund {i} schläft im Garten.".encode()) for i in range(6)]
    pooled = executor.LocalExecutor(processes=2, min_parallel=2).prepare_many(
        items, executor.PrepareConfig()
    )
    alone = executor.LocalExecutor(processes=1).prepare_many(items, executor.PrepareConfig())
    assert [r.model_dump() for r in pooled] == [r.model_dump() for r in alone]


def _die(item: tuple[str, bytes], config: object) -> object:
    """A preparation that kills its worker, as the out-of-memory killer or a signal would."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def test_a_dead_preparation_worker_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed while preparing (a SIGHUP or SIGTERM to the process group, the OOM
    killer) surfaced as BrokenProcessPool: a traceback and exit 1 (attack finding). Now a
    ToolkitError (one line), and run_build turns it into an interrupt when a stop signal came."""
    from toolkit.config.prepare import PrepareConfig
    from toolkit.errors import ToolkitError

    monkeypatch.setattr(executor, "prepare_one", _die)
    local = executor.LocalExecutor(processes=2, min_parallel=1)
    items = [(f"original/{i}.txt", b"Ein Satz.") for i in range(4)]
    with pytest.raises(executor.WorkerDied, match="worker process died") as died:
        list(local.prepare_stream(items, PrepareConfig()))
    assert isinstance(died.value, ToolkitError)
