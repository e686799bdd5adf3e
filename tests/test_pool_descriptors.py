"""The preparation pool under a low open-file limit (``ulimit -n 14`` in a process holding
only its standard files): starting its second worker raised EMFILE while the first waited
for work, and the build hung at exit joining it (before this session too; at 10-13 a pool
traceback). With too few descriptors for the pool's pipes it prepares
in-process instead, with the same records."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("limit", [14, 12])  # 14-15 hung, 10-13 gave a pool traceback
def test_a_low_open_file_limit_builds_instead_of_hanging(tmp_path: Path, limit: int) -> None:
    def limit_open_files() -> None:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))

    original = tmp_path / "corpus" / "original"
    original.mkdir(parents=True)
    for i in range(60):  # over LocalExecutor's min_parallel: the pool is asked for
        text = f"Article {i}. The council met on Monday to talk about roads and schools.\n"
        (original / f"a{i:03}.txt").write_text(text, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "toolkit.cli.app", "build", str(tmp_path / "corpus"), "-q"]
    # The timeout only ends a hang (the failure this guards against); it measures nothing.
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300,
        preexec_fn=limit_open_files,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.startswith("60 built"), out.stdout
    assert len(list((tmp_path / "corpus" / "english").glob("*.meta.json"))) == 60


def test_the_pool_is_kept_where_descriptors_are_plenty(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from toolkit.corpus import flush
    from toolkit.pipeline.executor import LocalExecutor, _few_descriptors

    monkeypatch.setattr(flush, "free_descriptors", lambda: None)
    assert not _few_descriptors(LocalExecutor(processes=2))
    monkeypatch.setattr(flush, "free_descriptors", lambda: 1000)
    assert not _few_descriptors(LocalExecutor(processes=2))
    monkeypatch.setattr(flush, "free_descriptors", lambda: 10)
    assert _few_descriptors(LocalExecutor(processes=2))
