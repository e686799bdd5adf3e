"""Staged writes fsync in the background (toolkit.corpus.flush), durability unchanged.

Every staged file is on disk before the first rename, each fsynced once; a failed fsync
fails the commit with nothing renamed and no temporary file left; staging does not wait
for the fsyncs (they overlap each other and the build's next document), and at most
``WINDOW`` files hold an open descriptor while waiting.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from support.threads import returns_within

import toolkit.corpus.flush as flush
from toolkit.corpus.writes import CorpusWriteError, StagedWrites


def _name(fd: int) -> str:
    return Path(os.readlink(f"/proc/self/fd/{fd}")).name


def test_every_staged_file_is_fsynced_once_before_any_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace
    lock = threading.Lock()

    def fsync(fd: int) -> None:
        with lock:
            events.append(("fsync", _name(fd)))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", Path(src).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    (tmp_path / "b.txt").write_bytes(b"old")
    with StagedWrites() as writes:
        for name in ("a.txt", "b.txt", "c.txt"):
            assert writes.write_if_changed(tmp_path / name, name.encode())
        writes.commit()
    synced = [name for kind, name in events if kind == "fsync" and name.endswith(".tmp")]
    renamed = [name for kind, name in events if kind == "replace"]
    assert sorted(synced) == sorted(renamed) and len(renamed) == 3  # once each
    first_rename = events.index(("replace", renamed[0]))
    last_rename = events.index(("replace", renamed[-1]))
    assert sorted(name for _, name in events[:first_rename]) == sorted(synced)
    assert events[last_rename + 1 :] == [("fsync", tmp_path.name)]  # the directory, after
    assert [(tmp_path / n).read_bytes() for n in ("a.txt", "b.txt", "c.txt")] == [
        b"a.txt",
        b"b.txt",
        b"c.txt",
    ]


def test_a_failed_fsync_fails_the_commit_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if _name(fd).startswith(".b.txt."):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    (tmp_path / "a.txt").write_bytes(b"old")
    with StagedWrites() as writes, pytest.raises(CorpusWriteError) as caught:
        for name in ("a.txt", "b.txt", "c.txt"):
            writes.write_if_changed(tmp_path / name, b"new")
        writes.commit()
    assert str(caught.value) == (
        f"{tmp_path}/b.txt: cannot write ({os.strerror(errno.EIO)}); nothing was changed"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_bytes() == b"old"


def test_staging_does_not_wait_for_the_fsyncs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every fsync held back, three files are still staged (it used to wait for each
    file's fsync in turn); the commit then waits for them."""
    go = threading.Event()
    real_fsync = os.fsync

    def held(fd: int) -> None:
        go.wait()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", held)
    with StagedWrites() as writes:

        def stage() -> None:
            for name in ("a.txt", "b.txt", "c.txt"):
                writes.write_if_changed(tmp_path / name, b"x")

        returns_within(stage, seconds=60, blocked="staging waited for an fsync")
        assert not (tmp_path / "a.txt").exists()
        go.set()
        writes.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "c.txt"]


def test_at_most_window_files_wait_for_their_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flush, "WINDOW", 2)
    with StagedWrites() as writes:
        for n in range(6):
            writes.write_if_changed(tmp_path / f"{n}.txt", b"x")
            assert len(writes._flusher._flight) <= 2
        writes.commit()
    assert len(list(tmp_path.iterdir())) == 6


def test_the_staged_writes_benchmark_runs(tmp_path: Path) -> None:
    """``benchmarks/staged_writes.py`` still runs (both modes, one round)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "benchmarks/staged_writes.py", "--documents", "2", "--rounds", "1",
               "--dir", str(tmp_path)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)
    assert "2 documents, 6 files: inline / background" in out.stdout
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_inside_submit_closes_the_descriptor_once_after_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C inside ``ThreadPoolExecutor.submit`` after the task was queued: the worker
    closed the descriptor after its fsync while the main thread had already closed it, so a
    file opened in between (given the same number) lost its descriptor."""
    from concurrent.futures import ThreadPoolExecutor

    closed: list[tuple[int, bool]] = []  # (fd, closed by the main thread)
    real_close, real_submit = os.close, ThreadPoolExecutor.submit

    def close(fd: int) -> None:
        closed.append((fd, threading.current_thread() is threading.main_thread()))
        real_close(fd)

    def interrupted(self: Any, fn: Any, *args: Any) -> Any:
        real_submit(self, fn, *args)  # queued: a worker will fsync it
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "close", close)
    monkeypatch.setattr(ThreadPoolExecutor, "submit", interrupted)
    writes = StagedWrites()
    with pytest.raises(KeyboardInterrupt):
        writes.write_if_changed(tmp_path / "a.txt", b"x")
    writes.discard()
    staged = [entry for entry in closed if entry[0] > 2]
    assert len(staged) == 1 and staged[0][1], closed  # once, by the main thread
    assert list(tmp_path.iterdir()) == []


_LOW_LIMIT = """
import os, resource, sys, threading
from concurrent.futures import Future
from pathlib import Path
import toolkit.corpus.flush as flush
from toolkit.corpus.writes import StagedWrites

resource.setrlimit(resource.RLIMIT_NOFILE, (32, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
if sys.argv[2] == "no-window":  # only running out of descriptors can stop the staging
    flush.window = lambda: 1000
go, real_fsync, real_exception = threading.Event(), os.fsync, Future.exception
def held(fd):  # every fsync pending until the build waits for one
    go.wait()
    real_fsync(fd)
def exception(self, timeout=None):
    go.set()
    return real_exception(self, timeout)
os.fsync, Future.exception = held, exception
with StagedWrites() as writes:
    try:
        for n in range(100):
            writes.write_if_changed(Path(sys.argv[1]) / f"{n}.txt", b"x")
    finally:
        go.set()  # a failed staging ends the workers: none may stay held
    writes.commit()
print(len(os.listdir(sys.argv[1])))
"""


@pytest.mark.parametrize("how", ["window", "no-window"])
def test_a_low_open_file_limit_still_stages_every_file(tmp_path: Path, how: str) -> None:
    """``ulimit -n 32``: 32 staged files waiting for their fsync failed a 100-article build
    ("Too many open files"). The window follows the limit; and where descriptors run out
    all the same, the pending fsyncs are waited for and the staging tried again."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-c", _LOW_LIMIT, str(tmp_path), how]
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr[-300:]) == (0, "100\n", "")
