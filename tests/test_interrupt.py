"""Long work shows progress and survives Ctrl-C.

* Progress: the translation stage reports batch by batch (not once at the end), through the
  cache, and the terminal shows the moving bar (a real process on a pseudo-terminal).
* Interrupts: a real ``toolkit build`` translating through the tiny real Argos packages is
  stopped by SIGINT or SIGTERM between two translation batches (the test driver
  ``tests/support/faults.py`` pauses it there); it exits 130 with one line saying how many
  sentences were kept, leaves no temporary file, no lock holder and no half-written corpus,
  and the next build translates only the rest and ends byte for byte where an uninterrupted
  build ends.
* The summary tells sentences the model decoded from repeats reused and cache hits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeProvider, FakeTranslator
from support.faults import with_faults

from toolkit.corpus.lock import read_owner
from toolkit.interrupts import Terminated, deferred_interrupts, interruptible, stop_at_safe_points
from toolkit.pipeline.build import build_corpus
from toolkit.schema import TranslationInfo
from toolkit.translation.cache import CachedTranslator, TranslationCache
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageInfo
from toolkit.translation.translator import Translator

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "original").glob("*.txt"))
INTERRUPTED = 130


def toolkit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit.cli.app", *args]


def new_corpus(where: Path) -> Path:
    corpus = where / "corpus"
    (corpus / "original").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, corpus / "original" / seed.name)
    return corpus


def cache_rows(corpus: Path) -> int:
    db = sqlite3.connect(corpus / ".cache" / "translations.sqlite")
    try:
        return int(db.execute("SELECT count(*) FROM translations").fetchone()[0])
    finally:
        db.close()


def sentence_counts(output: str) -> tuple[int, int, int]:
    """(translated, cached, reused) from a build summary."""
    found = re.search(r"sentences: (\d+) translated, (\d+) cached, (\d+) repeats? reused", output)
    assert found is not None, output
    translated, cached, reused = (int(n) for n in found.groups())
    return translated, cached, reused


# -- progress -----------------------------------------------------------------------------------


class StreamingFake(FakeTranslator):
    """A translator that decodes in batches of ``size`` like the real one, and records, as it
    starts each batch, how many rows the cache file already holds."""

    def __init__(self, size: int, cache_file: Path) -> None:
        super().__init__()
        self.size = size
        self.cache_file = cache_file
        self.batches: list[tuple[int, int]] = []
        """(rows in the cache as the batch starts, sentences in the batch)"""

    def translate_stream(self, sentences: list[str]) -> Iterator[tuple[list[str], list[str]]]:
        for i in range(0, len(sentences), self.size):
            batch = sentences[i : i + self.size]
            db = sqlite3.connect(self.cache_file)  # another connection: sees commits only
            rows = db.execute("SELECT count(*) FROM translations").fetchone()[0]
            db.close()
            self.batches.append((rows, len(batch)))
            yield batch, self.translate(batch)


class CachingFakeProvider(FakeProvider):
    """FakeProvider with the real translation cache in front, as ArgosProvider has."""

    def __init__(self, cache: TranslationCache, inner: FakeTranslator | None = None) -> None:
        super().__init__()
        self.cached = CachedTranslator(inner or FakeTranslator(), cache, "fake")

    def translator(self, from_code: str, to_code: str) -> tuple[Any, TranslationInfo]:
        _, info = super().translator(from_code, to_code)
        return self.cached, info


def test_translation_progress_and_cache_commits_come_batch_by_batch(tmp_path: Path) -> None:
    corpus = new_corpus(tmp_path)
    cache_file = tmp_path / "translations.sqlite"
    calls: list[tuple[str, int, int]] = []
    with TranslationCache(cache_file) as cache:
        fake = StreamingFake(3, cache_file)
        build_corpus(
            corpus, provider=CachingFakeProvider(cache, fake), progress=lambda *c: calls.append(c)
        )
    german = [(done, total) for stage, done, total in calls if stage == "translate de→en"]
    total = german[0][1]
    assert german[0] == (0, total) and german[-1] == (total, total)
    moving = [done for done, _ in german if 0 < done < total]
    assert len(moving) >= total // 3 - 1  # one report per batch of three, not one at the end
    # Every batch was committed before the next one started: a stop loses at most one.
    assert len(fake.batches) > 2 and fake.batches[0][0] == 0
    for (rows, size), (next_rows, _) in zip(fake.batches, fake.batches[1:], strict=False):
        assert next_rows == rows + size


@pytest.fixture(scope="module")
def de_en(tiny_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> PackageInfo:
    return install_from_file(tiny_package_file, tmp_path_factory.mktemp("packages"))


def test_real_translator_reports_and_commits_each_batch(de_en: PackageInfo, tmp_path: Path) -> None:
    german = (ROOT / "corpus" / "original" / SEEDS[0].name).read_text(encoding="utf-8")
    sentences = [s for line in german.splitlines() for s in line.split(". ") if s.strip()]
    cache_file = tmp_path / "translations.sqlite"
    seen_rows: list[int] = []
    reports: list[int] = []

    def progress(n: int) -> None:
        reports.append(n)
        db = sqlite3.connect(cache_file)
        seen_rows.append(db.execute("SELECT count(*) FROM translations").fetchone()[0])
        db.close()

    with TranslationCache(cache_file) as cache:
        cached = CachedTranslator(Translator(de_en), cache, "ns")  # default settings
        cached.translate(sentences, progress)
    assert sum(reports) == len(sentences)
    assert len(reports) > 2  # several batches, each reported as it is decoded...
    assert seen_rows == sorted(seen_rows) and 0 < seen_rows[0] < seen_rows[-1]  # ...and stored
    assert seen_rows[-1] == len(set(sentences))


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> Path:
    directory = tmp_path_factory.mktemp("interrupt-packages")
    install_from_file(tiny_package_file, directory)
    install_from_file(tiny_nl_package_file, directory)
    return directory


def env_with(packages: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT_")}
    return {**env, "ARGOS_PACKAGES_DIR": str(packages), **extra}


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``args`` with stdout and stderr on a pseudo-terminal (120x40); its exit code and
    everything it wrote there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_terminal_shows_translation_moving_with_rate(packages: Path, tmp_path: Path) -> None:
    corpus = new_corpus(tmp_path)
    code, screen = run_on_a_terminal(toolkit_command("build", str(corpus)), env_with(packages))
    assert code == 0, screen
    bar = r"translate de→en:\s+\d+%\|[^|\r\n]*\|\s*(\d+)/(\d+) \[[^\]]*sent/s\]"
    bars = re.findall(bar, screen)
    assert bars, screen
    # Counts in between, not only an empty bar and a full one.
    assert any(0 < int(done) < int(total) for done, total in bars), screen
    assert "translate nl→en:" in screen
    # -q: no bar even on a terminal.
    quiet = new_corpus(tmp_path / "quiet")
    code, screen = run_on_a_terminal(toolkit_command("build", str(quiet), "-q"), env_with(packages))
    assert code == 0 and "translate de→en" not in screen and "%|" not in screen


# -- interrupts ---------------------------------------------------------------------------------


def result_of(corpus: Path) -> dict[str, Any]:
    """english/ byte for byte (each meta.json without its per-run ``run`` field) and the
    manifest (whose meta.json hashes hold ``run`` too: checked against the file instead)."""
    import hashlib
    import json

    english = corpus / "english"
    manifest = []
    for line in (corpus / "manifest.jsonl").read_bytes().splitlines():
        entry = json.loads(line)
        for name, sha in list(entry["outputs"].items()):
            if name.endswith(".meta.json"):
                assert hashlib.sha256((english / name).read_bytes()).hexdigest() == sha
                entry["outputs"][name] = "(checked)"
        manifest.append(entry)
    result: dict[str, Any] = {"manifest": manifest}
    for path in sorted(english.iterdir()):
        if path.name.endswith(".meta.json"):
            meta = json.loads(path.read_bytes())
            meta.pop("run")
            result[path.name] = meta
        else:
            result[path.name] = path.read_bytes()
    return result


def wait_for(proc: subprocess.Popen[str], needle: str) -> list[str]:
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if needle in line:
            return seen
    proc.kill()
    raise AssertionError(f"no {needle!r} on stderr: {''.join(seen)}")


@pytest.fixture(scope="module")
def reference(packages: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An uninterrupted build of the seeds, and its output."""
    corpus = new_corpus(tmp_path_factory.mktemp("reference"))
    out = subprocess.run(
        toolkit_command("build", str(corpus), "-q"),
        env=env_with(packages),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return corpus, out.stdout


def signal_a_paused_build(
    corpus: Path,
    packages: Path,
    signum: int,
    pause_seconds: int,
    preexec: Callable[[], object] | None = None,
) -> tuple[int, str]:
    """``toolkit build`` paused just after its second translation batch was stored (for
    ``pause_seconds``), then sent ``signum``: its exit status and stderr."""
    env = with_faults(
        env_with(packages),
        TOOLKIT_PAUSE_AT="translate.chunk:2",
        TOOLKIT_PAUSE_SECONDS=str(pause_seconds),
    )
    proc = subprocess.Popen(
        toolkit_command("build", str(corpus), "-q"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec,
    )
    try:
        wait_for(proc, "paused at translate.chunk")
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=300)
    finally:
        proc.kill()
    return proc.returncode, stderr


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_interrupted_build_keeps_its_translations_and_resumes_to_the_same_result(
    packages: Path, reference: tuple[Path, str], tmp_path: Path, signum: int
) -> None:
    corpus = new_corpus(tmp_path)
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    returncode, stderr = signal_a_paused_build(corpus, packages, signum, pause_seconds=300)
    # 128 + the signal, as every other command exits (130, 143, 129): it was 130 for all three.
    assert returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    (line,) = [ln for ln in stderr.splitlines() if "interrupted" in ln]
    kept = re.fullmatch(
        r"toolkit: interrupted: (\d+) translations? kept in the cache "
        r"\(repair attempts included\); run toolkit build again to continue",
        line,
    )
    assert kept is not None, stderr
    kept_count = int(kept.group(1))
    # Two batches stored (and nothing else written): the corpus is as it was.
    assert kept_count > 0 and cache_rows(corpus) == kept_count
    after = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if ".cache" not in p.parts)
    assert set(after) - set(before) <= {Path(".lock")} and set(before) <= set(after)
    assert not list(corpus.rglob("*.tmp"))
    assert read_owner(corpus / ".lock") is None

    rerun = subprocess.run(
        toolkit_command("build", str(corpus), "-q"),
        env=env_with(packages),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    translated, cached, reused = sentence_counts(rerun.stdout)
    all_translated, none_cached, all_reused = sentence_counts(reference[1])
    assert none_cached == 0 and cached == kept_count  # the kept sentences are not decoded again
    assert translated == all_translated - kept_count and reused == all_reused
    assert result_of(corpus) == result_of(reference[0])
    assert not list(corpus.rglob("*.tmp"))


def test_a_build_under_nohup_outlives_its_terminal(
    packages: Path, reference: tuple[Path, str], tmp_path: Path
) -> None:
    """``nohup toolkit build`` starts with SIGHUP ignored: a closed terminal must not stop
    it (attack finding: the handler replaced nohup's SIG_IGN and the build stopped)."""
    corpus = new_corpus(tmp_path)
    returncode, stderr = signal_a_paused_build(
        corpus, packages, signal.SIGHUP, pause_seconds=3,
        preexec=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),  # what nohup does
    )  # fmt: skip
    assert returncode == 0, stderr
    assert result_of(corpus) == result_of(reference[0])


def workers_busy(pids: list[str]) -> bool:
    """Two or more processes, each with CPU time used (utime, field 14 of /proc/PID/stat)."""
    try:
        used = [
            int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11]) for pid in pids
        ]
    except (FileNotFoundError, IndexError, ValueError):
        return False
    return len(used) >= 2 and all(used)


def test_interrupt_during_parallel_preparation_prints_no_worker_tracebacks(
    packages: Path, tmp_path: Path
) -> None:
    """Ctrl-C in a terminal reaches the whole process group: the pool workers too."""
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc to see the pool's workers")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    for i in range(400):  # enough for the process pool (48 and more)
        shutil.copy(SEEDS[i % len(SEEDS)], corpus / "original" / f"{i:03d}_{SEEDS[i % 4].name}")
    proc = subprocess.Popen(
        toolkit_command("build", str(corpus), "-q", "--workers", "2"),
        env=env_with(packages),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a job
    )
    try:
        # Until both pool workers have used CPU time: forked and preparing.
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        while proc.poll() is None and not workers_busy(children.read_text().split()):
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # if anything is left: workers too
        proc.wait()
    assert proc.returncode == INTERRUPTED, stdout + stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines() == [
        "toolkit: interrupted: 0 translations kept in the cache (repair attempts included); "
        "run toolkit build again to continue"
    ]
    assert not (corpus / "english").exists() and not list(corpus.rglob("*.tmp"))


def test_summary_counts_decoded_sentences_once_and_repeats_apart(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    repeated = "Die Regierung hat am Dienstag in Berlin einen Plan für die Schulen vorgestellt."
    other = "Der Minister sagte, die Lehrer sollten im nächsten Jahr mehr Geld bekommen."
    third = "Die Opposition kritisierte den Vorschlag als zu spät und zu klein."
    (corpus / "original" / "a.txt").write_text(f"{repeated} {other}\n\n{repeated}\n", "utf-8")
    (corpus / "original" / "b.txt").write_text(f"{repeated} {other}\n", "utf-8")
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        provider = CachingFakeProvider(cache)
        first = build_corpus(corpus, provider=provider)
        assert first.built == ["a", "b"]
        # Two distinct sentences decoded once each; three more occurrences reused.
        assert (first.sentences_translated, first.sentences_cached) == (2, 0)
        assert first.sentences_reused == 3
        assert provider.cached.inner.sent == [repeated, other]  # type: ignore[attr-defined]
        assert "sentences: 2 translated, 0 cached, 3 repeats reused" in first.lines()[0]
        # A new document: one new sentence decoded, the known one from the cache.
        (corpus / "original" / "c.txt").write_text(f"{other} {third} {other}\n", "utf-8")
        second = build_corpus(corpus, provider=provider)
        assert second.built == ["c"]
        assert (second.sentences_translated, second.sentences_cached) == (1, 1)
        assert second.sentences_reused == 1


# -- the signal handling itself (in this process) -----------------------------------------------


def test_signals_are_acted_on_at_safe_points_and_a_second_one_at_once() -> None:
    with stop_at_safe_points() as check:
        check()  # nothing happened: no-op
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0)  # the handler has run: noted, not raised
        with pytest.raises(KeyboardInterrupt):
            check()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)  # a second Ctrl-C does not wait
            time.sleep(0)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
    with stop_at_safe_points() as check:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0)
        with pytest.raises(Terminated):
            check()
    with stop_at_safe_points(), pytest.raises(KeyboardInterrupt), interruptible():
        os.kill(os.getpid(), signal.SIGINT)  # a pause that can be abandoned: at once
        time.sleep(0)


def test_deferred_interrupts_hold_a_signal_until_the_block_ends() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), deferred_interrupts():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0)
        steps.append("finished")  # not cut short
    assert steps == ["finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("command", ["build", "add"])
def test_ctrl_c_while_waiting_for_the_lock_exits_130_in_one_line(
    command: str, tmp_path: Path
) -> None:
    """Ctrl-C outside the build's safe points (here: waiting with --wait for another writer)
    is still one line and exit 130, not click's ``Aborted!`` and exit 1."""
    from toolkit.corpus.lock import CorpusLock

    corpus = new_corpus(tmp_path)
    args = ["build", str(corpus), "--wait"]
    if command == "add":
        args = ["add", str(SEEDS[0]), "--corpus", str(corpus), "--wait"]
    with CorpusLock(corpus, "toolkit build (test)"):
        proc = subprocess.Popen(
            toolkit_command(*args),
            env={k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT_")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(proc, "waiting for corpus lock")
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == INTERRUPTED, err
    assert "Aborted" not in err
    assert err.strip().splitlines()[-1] == "toolkit: interrupted"
    assert not list(corpus.rglob("*.tmp"))
