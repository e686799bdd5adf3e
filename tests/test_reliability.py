"""Nothing is lost under crashes, concurrent writers and failing disks.

* Crashes: a real ``toolkit build`` (translating through the tiny real Argos packages) is
  SIGKILLed at named points via the test driver ``tests/support/faults.py``; the next build
  must leave exactly what an uninterrupted build leaves, and no temporary file.
* Concurrency: two real processes; the second is refused (or waits with ``--wait``) while
  the first holds ``corpus/.lock``, and a lock left by a dead process is taken over.
* Write failures: ``os.replace``/``os.link``/``os.fsync`` fail at the N-th call, in
  process; the command prints one line naming the file and the reason, exits 1, and the
  corpus is exactly as it was before.

The crash scenarios run as independent chains of subprocesses, several at a time, so the
whole file costs about as much as a handful of builds.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.faults import with_faults

from toolkit.cli.app import cli
from toolkit.corpus.lock import CorpusLock, CorpusLocked, read_owner
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.writes import CorpusWriteError, StagedWrites, remove_temp_files
from toolkit.errors import CorpusError
from toolkit.pipeline.build import build_corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "original").glob("*.txt"))
OUTPUTS_PER_DOCUMENT = 3
FIRST_BUILD_FILES = OUTPUTS_PER_DOCUMENT * len(SEEDS) + 1  # every output, then the manifest
DE_SEED = "000_de546ec99307b48e.txt"
EN_SEED = "003_c4a4f06c737cf0af.txt"
SIGKILLED = -signal.SIGKILL


def toolkit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit.cli.app", *args]


def new_corpus(where: Path, seeds: list[Path] = SEEDS) -> Path:
    corpus = where / "corpus"
    (corpus / "original").mkdir(parents=True)
    for seed in seeds:
        shutil.copy(seed, corpus / "original" / seed.name)
    return corpus


def temp_files(corpus: Path) -> list[str]:
    return sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.tmp"))


def result_of(corpus: Path) -> dict[str, Any]:
    """What a build promises to reproduce: english/ byte for byte except each meta.json's
    per-run ``run`` field (documented as excluded from comparisons), and the manifest.

    The manifest holds each output's sha256, and a meta.json's bytes include ``run``; so
    the manifest is compared line by line with the meta.json hash checked against the file
    instead of against the other build."""
    english = corpus / "english"
    manifest = []
    for line in (corpus / "manifest.jsonl").read_bytes().splitlines(keepends=True):
        entry = json.loads(line)
        for name, sha in list(entry["outputs"].items()):
            if name.endswith(".meta.json"):
                assert hashlib.sha256((english / name).read_bytes()).hexdigest() == sha
                entry["outputs"][name] = "(checked against the file)"
        manifest.append(json.dumps(entry, sort_keys=True))
    result: dict[str, Any] = {"manifest.jsonl": manifest}
    for path in sorted(english.iterdir()):
        if path.name.endswith(".meta.json"):
            meta = json.loads(path.read_bytes())
            meta.pop("run")
            result[path.name] = meta
        else:
            result[path.name] = path.read_bytes()
    return result


# -- crashes ------------------------------------------------------------------------------------


@dataclass
class Run:
    crash_at: str | None
    returncode: int
    output: str
    temp_files: list[str]
    manifest: bool


Step = str | None | Callable[[Path], None]
"""A build killed at this checkpoint, a build left to finish (None), or a change to the corpus."""


def edit_and_delete(corpus: Path) -> None:
    """An incremental change: one article edited (rewrites), one deleted (removals)."""
    de = corpus / "original" / DE_SEED
    de.write_text(de.read_text(encoding="utf-8") + "\nDer Abend endete spät.\n", encoding="utf-8")
    (corpus / "original" / EN_SEED).unlink()


INCREMENTAL = "incremental: rewrites done, removals half done"
SCENARIOS: dict[str, list[Step]] = {
    "between translation batches (de cached, nl not)": ["translate.batch:1", None],
    "every output staged, none renamed": ["write.staged:1", None],
    "some documents renamed, no manifest": ["write.renamed:5", None],
    "everything renamed but the manifest": [f"write.staged:{FIRST_BUILD_FILES}", None],
    "killed three times: preparing, renaming, staging": [
        "prepare:2",
        "write.renamed:2",
        "write.staged:3",
        None,
    ],
    # Starts from a finished build (copied from the fresh reference).
    INCREMENTAL: [edit_and_delete, "write.renamed:4", None],
}
REFERENCES: dict[str, list[Step]] = {
    "reference:fresh": [None],
    "reference:incremental": [edit_and_delete, None],  # from a finished build too
}


def run_chain(corpus: Path, steps: list[Step], env: dict[str, str]) -> tuple[Path, list[Run]]:
    runs = []
    for step in steps:
        if callable(step):
            step(corpus)
            continue
        run_env = {k: v for k, v in env.items() if not k.startswith("TOOLKIT_")}
        if step is not None:
            run_env = with_faults(run_env, TOOLKIT_CRASH_AT=step)
        proc = subprocess.run(
            toolkit_command("build", str(corpus), "-q"),
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        runs.append(
            Run(
                step,
                proc.returncode,
                proc.stdout + proc.stderr,
                temp_files(corpus),
                (corpus / "manifest.jsonl").exists(),
            )
        )
    return corpus, runs


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> Path:
    from toolkit.translation.install import install_from_file

    directory = tmp_path_factory.mktemp("reliability-packages")
    install_from_file(tiny_package_file, directory)
    install_from_file(tiny_nl_package_file, directory)
    return directory


@pytest.fixture(scope="module")
def crash_results(
    tmp_path_factory: pytest.TempPathFactory, packages: Path
) -> dict[str, tuple[Path, list[Run]]]:
    """Every scenario and reference chain, run a few at a time (each in its own corpus)."""
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages)}
    chains = {**REFERENCES, **SCENARIOS}
    from_built = {INCREMENTAL, "reference:incremental"}
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        futures = {
            name: pool.submit(run_chain, new_corpus(tmp_path_factory.mktemp("crash")), steps, env)
            for name, steps in chains.items()
            if name not in from_built
        }
        built, _ = futures["reference:fresh"].result()
        for name in from_built:
            corpus = tmp_path_factory.mktemp("crash") / "corpus"
            shutil.copytree(built, corpus)
            futures[name] = pool.submit(run_chain, corpus, chains[name], env)
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_killed_build_resumes_to_the_uninterrupted_result(
    crash_results: dict[str, tuple[Path, list[Run]]], scenario: str
) -> None:
    corpus, runs = crash_results[scenario]
    reference = "incremental" if scenario.startswith("incremental") else "fresh"
    ref_corpus, ref_runs = crash_results[f"reference:{reference}"]
    assert [r.returncode for r in ref_runs] == [0] * len(ref_runs), ref_runs[-1].output
    for run in runs[:-1]:
        expected = SIGKILLED if run.crash_at else 0
        # The hook really fired at that point (else this test would prove nothing).
        assert run.returncode == expected, (run.crash_at, run.output)
    final = runs[-1]
    assert final.returncode == 0, final.output
    assert final.temp_files == []
    assert read_owner(corpus / ".lock") is None  # released, nobody shown as owner
    assert result_of(corpus) == result_of(ref_corpus)


def test_crash_points_leave_what_the_next_build_must_repair(
    crash_results: dict[str, tuple[Path, list[Run]]],
) -> None:
    # Staged-but-not-renamed and backup files are really left behind by a kill...
    staged = crash_results["every output staged, none renamed"][1][0]
    assert len(staged.temp_files) == FIRST_BUILD_FILES and not staged.manifest
    incremental = crash_results[INCREMENTAL][1][0]
    assert incremental.temp_files and incremental.manifest
    # ... and a kill before the manifest's rename leaves no manifest of a half-done build.
    last = crash_results["everything renamed but the manifest"][1][0]
    assert not last.manifest
    # A kill between translation batches keeps the finished batch in the cache.
    translating = crash_results["between translation batches (de cached, nl not)"][1]
    cached = re.search(r"sentences: \d+ translated, (\d+) cached", translating[1].output)
    assert cached is not None and int(cached.group(1)) > 0, translating[1].output


# -- one writer at a time ----------------------------------------------------------------------


def wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 60) -> str:
    """Read ``proc``'s stderr until a line contains ``needle`` (or fail)."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return line
    proc.kill()
    raise AssertionError(f"no {needle!r} on stderr; got: {''.join(seen)}")


@pytest.fixture
def english_corpus(tmp_path: Path) -> Path:
    """Two English seeds: builds without any translation model."""
    return new_corpus(tmp_path, [p for p in SEEDS if p.name.startswith(("001", "003"))])


@pytest.fixture
def paused_build(english_corpus: Path) -> Iterator[subprocess.Popen[str]]:
    """A real ``toolkit build`` that took the corpus lock and then sleeps."""
    env = with_faults(os.environ, TOOLKIT_PAUSE_AT="lock.acquired", TOOLKIT_PAUSE_SECONDS="120")
    proc = subprocess.Popen(
        toolkit_command("build", str(english_corpus), "-q"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(proc, "paused at lock.acquired")
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_second_writer_is_refused_with_the_holders_pid(
    english_corpus: Path, paused_build: subprocess.Popen[str]
) -> None:
    original = english_corpus / "original"
    article = english_corpus.parent / "new.txt"
    article.write_text("A short new article about nothing in particular.\n", encoding="utf-8")
    for args in (
        ("build", str(english_corpus)),
        ("add", "--corpus", str(english_corpus), str(article)),
        ("correct", "--corpus", str(english_corpus), "001", "p1.s1", "Hello."),
    ):
        started = time.monotonic()
        out = subprocess.run(toolkit_command(*args), capture_output=True, text=True, timeout=60)
        assert out.returncode == 1, (args, out.stderr)
        assert time.monotonic() - started < 30  # refused at once, not after a wait
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("toolkit: error: "), out.stderr
        holder = f"locked by PID {paused_build.pid} (toolkit build, since "
        assert f"{english_corpus}: {holder}" in lines[0]
        assert "--wait" in lines[0]
    assert not (original / "new.txt").exists()  # add refused before copying anything
    assert not (english_corpus / "english").exists()


def test_wait_option_waits_until_the_holder_dies(
    english_corpus: Path, paused_build: subprocess.Popen[str]
) -> None:
    waiter = subprocess.Popen(
        toolkit_command("build", "--wait", str(english_corpus), "-q"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = wait_for_line(waiter, "waiting for corpus lock")
    assert f"held by PID {paused_build.pid} (toolkit build" in line
    time.sleep(0.5)
    assert waiter.poll() is None  # still waiting
    paused_build.kill()  # a crash releases the lock: nothing to clean up by hand
    stdout, stderr = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, stderr
    assert "2 built" in stdout
    assert "waiting" not in stderr  # the message is printed once


def test_lock_file_left_by_a_dead_process_is_taken_over(english_corpus: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = {"pid": dead.pid, "host": "elsewhere", "command": "toolkit build", "since": "then"}
    (english_corpus / ".lock").write_text(json.dumps(stale), encoding="utf-8")
    out = subprocess.run(
        toolkit_command("build", str(english_corpus), "-q"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "2 built" in out.stdout
    assert read_owner(english_corpus / ".lock") is None


def test_lock_names_its_holder_and_is_reentrant_in_one_process(english_corpus: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from toolkit.corpus.lock import CorpusLock\n"
            "with CorpusLock(Path(sys.argv[1]), 'holder'):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(english_corpus),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(CorpusLocked, match=rf"locked by PID {holder.pid} \(holder, since"):
            build_corpus(english_corpus, provider=FakeProvider())
    finally:
        holder.kill()
        holder.wait()
    with CorpusLock(english_corpus, "outer"):
        owner = read_owner(english_corpus / ".lock")
        assert owner is not None and owner.pid == os.getpid() and owner.command == "outer"
        summary = build_corpus(english_corpus, provider=FakeProvider())  # re-enters, no deadlock
        assert summary.exit_code == 0
        assert read_owner(english_corpus / ".lock") == owner  # inner release kept it held
    assert read_owner(english_corpus / ".lock") is None


def test_lock_is_not_created_outside_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such directory; a corpus needs an original/"):
        build_corpus(tmp_path / "nowhere", provider=FakeProvider())
    result = CliRunner().invoke(cli, ["build", str(tmp_path)])
    assert result.exit_code == 1
    assert not (tmp_path / ".lock").exists()


def test_temp_files_of_a_killed_build_are_removed_and_nothing_else(tmp_path: Path) -> None:
    corpus = new_corpus(tmp_path, SEEDS[:1])
    (corpus / "english").mkdir()
    ours = [
        corpus / "english" / ".x.en.txt.ab_d1234.tmp",
        corpus / ".manifest.jsonl.zzzzzzzz.tmp",
        corpus / "original" / ".new.txt.0a1b2c3d.tmp",
    ]
    theirs = [
        corpus / "english" / "notes.tmp",  # not hidden: not ours
        corpus / "original" / ".draft.tmp",  # no random part: not ours
        corpus / "english" / ".x.en.txt.toolong123.tmp",
    ]
    for path in ours + theirs:
        path.write_text("x", encoding="utf-8")
    assert remove_temp_files(CorpusPaths(corpus)) == sorted(ours)
    assert all(p.exists() for p in theirs)


# -- write failures ----------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (translation cache aside) with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def fail_at(monkeypatch: pytest.MonkeyPatch, name: str, nth: int, code: int) -> list[int]:
    """Make ``os.<name>`` raise OSError(code) on its ``nth`` call; return the call counter."""
    real = getattr(os, name)
    calls = [0]

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == nth:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)
    return calls


@pytest.fixture
def changed_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built corpus, then changed so the next build rewrites, adds and removes files."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    corpus = new_corpus(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(corpus), "-q"])
    assert first.exit_code == 3, first.output  # de/nl need a model; English built
    for name in (p.name for p in SEEDS):
        if name.startswith("001"):
            path = corpus / "original" / name
            path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    (corpus / "original" / EN_SEED).unlink()
    (corpus / "original" / "new.txt").write_text("A new article in English.\n", "utf-8")
    return corpus


@pytest.mark.parametrize(
    ("call", "nth", "code"),
    [
        ("replace", 1, errno.EROFS),  # the first rename
        ("replace", 4, errno.EROFS),  # after some outputs were replaced
        ("link", 2, errno.EROFS),  # backing up an old output
        ("fsync", 3, errno.ENOSPC),  # staging: the disk fills up
        ("unlink", 1, errno.EROFS),  # removing a deleted document's outputs
    ],
)
def test_failed_write_leaves_the_corpus_exactly_as_it_was(
    changed_corpus: Path, monkeypatch: pytest.MonkeyPatch, call: str, nth: int, code: int
) -> None:
    before = snapshot(changed_corpus)
    calls = fail_at(monkeypatch, call, nth, code)
    result = CliRunner().invoke(cli, ["build", str(changed_corpus), "-q"])
    assert calls[0] >= nth  # the failure was really injected
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"toolkit: error: {changed_corpus}/")
    assert f"cannot write ({os.strerror(code)}); nothing was changed" in lines[0]
    monkeypatch.undo()
    assert snapshot(changed_corpus) == before
    assert temp_files(changed_corpus) == []
    # The next build (disk fine again) does the whole job.
    again = CliRunner().invoke(cli, ["build", str(changed_corpus), "-q"])
    assert again.exit_code == 3 and "new" in (changed_corpus / "manifest.jsonl").read_text()


def test_add_and_correct_report_write_failures_in_one_line(
    changed_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = changed_corpus.parent / "other.txt"
    # Long enough for its language to be told: a one-line "Another English article." is now
    # stopped by the language floor before anything is written (a7fe906).
    article.write_text(
        "The council met on Monday and agreed to build a new bridge over the river, "
        "which the town has wanted for many years.\n",
        encoding="utf-8",
    )
    before = snapshot(changed_corpus)
    fail_at(monkeypatch, "replace", 1, errno.ENOSPC)
    added = CliRunner().invoke(cli, ["add", "--corpus", str(changed_corpus), str(article)])
    assert added.exit_code == 1
    assert added.output.strip() == (
        f"toolkit: error: {changed_corpus}/original/other.txt: cannot write "
        "(No space left on device); it was left as it was"
    )
    monkeypatch.undo()
    fail_at(monkeypatch, "replace", 1, errno.EROFS)
    doc = "001_cb2e6261cd7f216a"  # an English seed, built
    fixed = CliRunner().invoke(
        cli, ["correct", "--corpus", str(changed_corpus), "--no-build", doc, "p1.s1", "Hi."]
    )
    assert fixed.exit_code == 1
    assert fixed.output.strip().startswith(f"toolkit: error: {changed_corpus}/corrections/")
    assert "(Read-only file system)" in fixed.output and len(fixed.output.splitlines()) == 1
    monkeypatch.undo()
    assert snapshot(changed_corpus) == before
    assert temp_files(changed_corpus) == []


def test_staged_writes_commit_in_order_and_discard_when_not_committed(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_bytes(b"old")
    with StagedWrites() as writes:
        assert writes.write_if_changed(tmp_path / "a.txt", b"a")
        assert not writes.write_if_changed(old, b"old")  # same bytes: nothing staged
        writes.remove(old)
        assert not (tmp_path / "a.txt").exists() and old.exists()  # nothing visible yet
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]  # discarded
    with StagedWrites() as writes:
        writes.write_if_changed(tmp_path / "a.txt", b"a")
        writes.remove(old)
        writes.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_staging_error_is_a_corpus_write_error_and_an_os_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_at(monkeypatch, "fsync", 1, errno.ENOSPC)
    # The staged file is fsynced in the background (toolkit.corpus.flush): its failure
    # fails the commit, before any rename.
    with StagedWrites() as writes, pytest.raises(CorpusWriteError) as caught:
        writes.write_if_changed(tmp_path / "a.txt", b"a")
        writes.commit()
    assert isinstance(caught.value, OSError)
    assert str(caught.value) == f"{tmp_path}/a.txt: cannot write (No space left on device); " + (
        "nothing was changed"
    )
    assert list(tmp_path.iterdir()) == []
