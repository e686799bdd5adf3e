"""Nothing outside the corpus, nothing over the originals, no lock that outlives its holder.

* Document ids come from file names, the manifest, meta.json files, corrections file
  names and the command line; every one is checked to be one safe file name before a
  path is built from it (``toolkit.corpus.paths.check_document_id``), and one function gives
  the id of an original (``toolkit.corpus.paths.document_stem``), for the build and for
  preparation alike.
* ``-o`` never lands inside the corpus's originals, outputs or bookkeeping, never
  replaces a symlink or a device (``toolkit.corpus.writes.write_output``).
* Readers (export, review, qa) see the manifest and the files whose hashes it lists.
* A killed build's worker processes neither keep the corpus lock nor outlive it.
* An oversized original is refused from its size, before it is read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.faults import with_faults

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.paths import UnsafeDocumentId, check_document_id, document_id
from toolkit.pipeline.build import build_corpus
from toolkit.prepare.document import prepare_document

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT.parent / "shared" / "data" / "10kGNAD-test.csv"
ENGLISH = "The council met on Monday to discuss the new bridge over the river.\n"
GERMAN = "Der Rat tagte am Montag. Er sprach über die neue Brücke am Fluss.\n"
DE_SEED = "000_de546ec99307b48e"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus with one German and one English article; no models (fakes in process)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / f"{DE_SEED}.txt").write_text(GERMAN, encoding="utf-8")
    (root / "original" / "en.txt").write_text(ENGLISH, encoding="utf-8")
    return root


def toolkit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit.cli.app", *args]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (not following links) with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# -- one safe document id --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        ".",
        "..",
        "../../../victim/x",
        "a/b",
        "a\\b",
        ".hidden",
        "report.",
        "x\x1b]0;owned\x07",
        "\u202egnp.txt",
        "line\u2028break",
        "new\nline",
        "nul\x00",
        "e\u0301",  # decomposed: the NFC form is another name for the same letters
        "x" * 201,
    ],
)
def test_unsafe_document_ids_are_refused(bad: str) -> None:
    with pytest.raises(UnsafeDocumentId) as info:
        check_document_id(bad)
    assert "\n" not in str(info.value) and "\x1b" not in str(info.value)


@pytest.mark.parametrize("good", ["000_de546ec99307b48e", "Straße-2024", "a.b", "x" * 200])
def test_safe_document_ids_pass(good: str) -> None:
    assert check_document_id(good) == good


def test_manifest_entry_with_a_traversing_id_is_dropped_never_followed(
    corpus: Path, tmp_path: Path
) -> None:
    build_corpus(corpus, provider=FakeProvider())
    victim = tmp_path / "victim"
    victim.mkdir()
    for name in ("x.en.txt", "x.meta.json", "x.aligned.tsv"):
        (victim / name).write_text("precious\n", encoding="utf-8")
    entry = json.loads((corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])
    entry["document"] = "../../victim/x"
    entry["outputs"] = {f"../../victim/x{s}": "0" * 64 for s in (".en.txt", ".meta.json")}
    with (corpus / "manifest.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert {p.name: p.read_text(encoding="utf-8") for p in victim.iterdir()} == {
        "x.en.txt": "precious\n",
        "x.meta.json": "precious\n",
        "x.aligned.tsv": "precious\n",
    }
    assert any("'../../victim/x'" in w and "ignored" in w for w in summary.warnings)
    assert set(read_manifest(corpus / "manifest.jsonl")) == {DE_SEED, "en"}  # rewritten clean


def test_correct_refuses_a_meta_json_whose_document_leaves_the_corpus(
    corpus: Path, tmp_path: Path
) -> None:
    build_corpus(corpus, provider=FakeProvider())
    # Forged inside the corpus's own english/ folder, so the path names this corpus and the
    # document id in the file is what is refused (a meta.json in no corpus is refused sooner).
    forged = corpus / "english" / "forged.meta.json"
    meta = json.loads((corpus / "english" / f"{DE_SEED}.meta.json").read_text(encoding="utf-8"))
    meta["document"] = "../../escaped"
    forged.write_text(json.dumps(meta), encoding="utf-8")
    before = tree(tmp_path)
    result = CliRunner().invoke(
        cli, ["correct", str(forged), "p1.s1", "Better.", "--corpus", str(corpus), "--no-build"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("toolkit: error: ") and result.stderr.count("\n") == 1
    assert "'../../escaped'" in result.stderr
    assert tree(tmp_path) == before  # no corrections file anywhere, in or out of the corpus


def test_correct_refuses_a_corpus_meta_json_that_names_another_document(corpus: Path) -> None:
    """``toolkit correct en ...`` must never record a correction for another document
    because ``english/en.meta.json`` (edited by hand) says ``"document": "000_..."``."""
    build_corpus(corpus, provider=FakeProvider())
    meta_path = corpus / "english" / "en.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["document"] = DE_SEED
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    before = tree(corpus)
    result = CliRunner().invoke(
        cli, ["correct", "en", "p1.s1", "Better.", "--corpus", str(corpus), "--no-build"]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("toolkit: error: ") and result.stderr.count("\n") == 1
    assert "en.meta.json" in result.stderr and DE_SEED in result.stderr
    assert tree(corpus) == before  # no corrections file for either document


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (f"x\\{DE_SEED}.txt", f"x\\{DE_SEED}.txt"),  # would have replaced 000's English
        ("report.", "report."),
        ("a\\b.txt", "a\\b.txt"),
        ("\u202eevil.txt", "\\u202eevil.txt"),  # Trojan source: shown spelled out
        ("a.t\x1b[2Jxt", "a.t\\x1b[2Jxt"),  # an escape in the suffix is never printed raw
    ],
)
def test_names_that_give_no_safe_id_are_reported_and_skipped(
    corpus: Path, name: str, shown: str
) -> None:
    build_corpus(corpus, provider=FakeProvider())
    english_before = tree(corpus / "english")
    (corpus / "original" / name).write_text("Ein ganz anderer Artikel über Boote.\n", "utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 1
    (message,) = summary.errors.values()
    assert message.startswith(f"original/{shown}: its ") and "\x1b" not in message
    assert "rename the file" in message
    assert tree(corpus / "english") == english_before  # 000's English untouched, nothing new
    assert sorted(summary.up_to_date) == [DE_SEED, "en"]


def test_build_only_with_an_unsafe_original_present_is_no_traceback(corpus: Path) -> None:
    """``--only`` matches ids; an original whose name gives no safe id is never matched by
    id (and never crashes the lookup): ``--only`` by its file name still reaches the build,
    which reports it like any bad file."""
    (corpus / "original" / "report.").write_text(ENGLISH, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(corpus), "--only", DE_SEED, "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and result.exit_code in (1, 3), result.output
    result = runner.invoke(cli, ["build", str(corpus), "--only", "nothing", "-q"])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.output
    assert "--only nothing: no original" in result.output
    result = runner.invoke(cli, ["build", str(corpus), "--only", "report.", "-q"])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
    assert "original/report.: its document id 'report.' starts or ends with a dot" in result.output


def test_preparation_and_build_agree_on_every_id() -> None:
    safe = []
    for name in ["000_x.txt", "a.b.md", "README", "x\\y.txt", "report.", "notes.2024.txt"]:
        record = prepare_document(ENGLISH.encode(), f"original/{name}")
        try:
            doc = document_id(Path(name))
        except UnsafeDocumentId:
            continue  # the build refuses the name; nothing is prepared under it
        assert record.document == doc
        safe.append(name)
    assert safe == ["000_x.txt", "a.b.md", "README", "notes.2024.txt"]


def test_add_refuses_a_name_that_gives_no_safe_id(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "a\\b.txt"
    source.write_text(ENGLISH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(source), "--corpus", str(corpus)])
    assert result.exit_code == 1 and "rename the file" in result.stderr
    assert not (corpus / "original" / "a\\b.txt").exists()


# -- a killed build leaves no lock and no workers --------------------------------------------------


def _articles(count: int) -> list[str]:
    """Real German news articles (10kGNAD) if present, else generated text."""
    if GNAD.is_file():
        lines = GNAD.read_text(encoding="utf-8").split("\n")
        texts = [line.split(";", 1)[1].strip("'") for line in lines if ";'" in line]
        if len(texts) >= count:
            return texts[:count]
    return [f"Artikel {i}. Der Rat tagte am Montag über die Brücke {i}." for i in range(count)]


def _children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_killing_only_the_main_process_frees_the_lock_and_ends_the_workers(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    for i, text in enumerate(_articles(300)):
        (corpus / "original" / f"{i:03d}.txt").write_text(text + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    paused = with_faults(env, TOOLKIT_PAUSE_AT="prepare.document", TOOLKIT_PAUSE_SECONDS="300")
    args = toolkit_command("build", str(corpus), "-q", "--workers", "2")
    main = subprocess.Popen(args, env=paused, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert main.stderr is not None
        for line in main.stderr:  # a worker is inside preparation: the pool is up
            if "paused at prepare.document" in line:
                break
        workers = _children(main.pid)
        assert workers, "the build should prepare 300 documents in worker processes"
        os.kill(main.pid, signal.SIGKILL)  # only the PID the lock message names
        main.wait()
        after = subprocess.run(args, env=env, capture_output=True, text=True)
        assert "locked by" not in after.stderr
        assert after.returncode == 3, after.stderr  # built; German waits for a model
        assert len(read_manifest(corpus / "manifest.jsonl")) == 300
        # The workers die with their parent (the kernel's parent-death signal).
        for _ in range(600):
            if not any(_alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if main.poll() is None:
            main.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- -o never over the corpus, a symlink or a device -----------------------------------------------


def _export(corpus: Path, output: str, *extra: str, fmt: str = "tmx"):  # type: ignore[no-untyped-def]
    args = ["export", "--format", fmt, "-o", output, "--corpus", str(corpus), *extra]
    return CliRunner().invoke(cli, args)


@pytest.fixture
def built(corpus: Path) -> Path:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    return corpus


@pytest.mark.parametrize(
    "inside",
    [
        f"original/{DE_SEED}.txt",
        "original/new.txt",
        f"english/{DE_SEED}.en.txt",
        "corrections/x.corrections.tsv",
        "manifest.jsonl",
        ".lock",
        "settings.yaml",
        ".cache/translations.sqlite3",
        "corrections",  # a file in a folder's place breaks every later build
        ".cache",
        "glossary.yaml",  # the corpus's own glossary, read by every build
    ],
)
def test_export_refuses_targets_inside_the_corpus(built: Path, inside: str) -> None:
    before = tree(built)
    result = _export(built, str(built / "original" / ".." / inside))
    assert result.exit_code == 1
    assert result.stderr.startswith("toolkit: error: ") and result.stderr.count("\n") == 1
    assert "inside the corpus" in result.stderr
    assert tree(built) == before


def test_translate_and_review_refuse_targets_inside_a_corpus(built: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    before = tree(built)
    target = built / "english" / "en.en.txt"
    translated = CliRunner().invoke(cli, ["translate", str(article), "-q", "-o", str(target)])
    reviewed = CliRunner().invoke(
        cli, ["review", "--html", str(built / "original" / "r.html"), "--corpus", str(built)]
    )
    for result in (translated, reviewed):
        assert result.exit_code == 1 and "inside the corpus" in result.stderr
    assert tree(built) == before


def test_export_never_replaces_a_symlink(built: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.tmx"
    elsewhere.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.tmx"
    link.symlink_to(elsewhere)
    result = _export(built, str(link))
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "keep me\n"


def test_export_writes_through_a_fifo_and_dash_is_stdout(built: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A non-blocking reader first, so the export's open() finds one (the TMX fits the pipe).
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = _export(built, str(fifo))
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert received.startswith(b"<?xml") and b"<tmx" in received
    assert stat_kind(fifo) == "fifo"  # written through, not replaced by a regular file
    dashed = _export(built, "-")
    assert dashed.exit_code == 0 and dashed.stdout.startswith("<?xml")
    assert not (Path.cwd() / "-").exists()


def stat_kind(path: Path) -> str:
    import stat

    mode = path.lstat().st_mode
    return "fifo" if stat.S_ISFIFO(mode) else "link" if stat.S_ISLNK(mode) else "other"


def test_export_to_dev_stdout_writes_through_the_device(built: Path, tmp_path: Path) -> None:
    # /dev/stdout is a symlink to /proc/self/fd/1; a link of our own to the same place
    # behaves alike, and a regression replaces this link instead of the machine's /dev/stdout.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["export", "--format", "tsv", "-o", str(stdout), "--corpus", str(built)]
    result = subprocess.run(toolkit_command(*args), env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("document\tsegment_id")
    assert stdout.is_symlink()


# -- readers see whole builds only ----------------------------------------------------------------


def test_a_hand_edited_meta_json_is_reported_not_exported(built: Path, tmp_path: Path) -> None:
    meta = built / "english" / f"{DE_SEED}.meta.json"
    record = json.loads(meta.read_text(encoding="utf-8"))
    record["segments"][0]["english"] = "FORGED ENGLISH"
    record["segments"][0]["flags"] = []
    meta.write_text(json.dumps(record), encoding="utf-8")
    out = tmp_path / "x.jsonl"
    result = _export(built, str(out), "--include-flagged", "--include-english", fmt="jsonl")
    assert result.exit_code == 0, result.stderr
    assert f"excluded document {DE_SEED}: changed since build" in result.stderr
    exported = out.read_text(encoding="utf-8")
    assert "FORGED" not in exported and '"document": "en"' in exported
    runner = CliRunner()
    qa = runner.invoke(cli, ["qa", "--corpus", str(built), "--format", "json"])
    assert qa.exit_code == 0 and f"left out: {DE_SEED}: changed since build" in qa.stderr
    assert DE_SEED not in json.loads(qa.stdout)["documents"]
    review = runner.invoke(cli, ["review", DE_SEED, "--corpus", str(built), "--color", "never"])
    assert review.exit_code == 1 and "changed since build" in review.stderr
    assert "FORGED" not in review.output


def old(name: str) -> str:
    return f"The council in {name.upper()}-town discussed the old plan for the bridge.\n"


def new(name: str) -> str:
    return f"The council in {name.upper()}-town discussed the new plan for the bridge.\n"


def test_readers_never_mix_two_builds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    for name in ("a", "b"):
        (corpus / "original" / f"{name}.txt").write_text(old(name), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    assert subprocess.run(toolkit_command("build", str(corpus), "-q"), env=env).returncode == 0
    for name in ("a", "b"):
        (corpus / "original" / f"{name}.txt").write_text(new(name), "utf-8")
    # The second build stops after its first rename: a.meta.json is new, the rest is old.
    paused = with_faults(env, TOOLKIT_PAUSE_AT="write.renamed", TOOLKIT_PAUSE_SECONDS="8")
    build = subprocess.Popen(
        toolkit_command("build", str(corpus), "-q"), env=paused, stderr=subprocess.PIPE, text=True
    )
    try:
        assert build.stderr is not None
        for line in build.stderr:
            if "paused at write.renamed" in line:
                break
        out = tmp_path / "now.tsv"
        now = _export(corpus, str(out), "--include-english", fmt="tsv")
        assert now.exit_code == 0, now.stderr
        assert "excluded document a: changed since build (a build is writing" in now.stderr
        assert old("b").strip() in out.read_text(encoding="utf-8")
        assert "new plan" not in out.read_text(encoding="utf-8")
        # --wait: the whole new build, nothing left out.
        waited = _export(corpus, str(out), "--include-english", "--wait", fmt="tsv")
        assert waited.exit_code == 0 and "waiting for the writer" in waited.stderr
        assert "changed since build" not in waited.stderr
        text = out.read_text(encoding="utf-8")
        assert new("a").strip() in text and new("b").strip() in text and "old plan" not in text
    finally:
        build.kill() if build.poll() is None else None
        build.wait()


# -- resources ------------------------------------------------------------------------------------


# ``python -c RUN_AND_RECORD_PEAK PEAKFILE ARGS...`` runs ``toolkit ARGS...`` and writes its own
# peak memory (VmHWM of its process image, kB) to PEAKFILE when it exits (getrusage's
# ru_maxrss would include the test process's size from before the exec).
RUN_AND_RECORD_PEAK = (
    "import atexit, sys\n"
    "def record(where=sys.argv[1]):\n"
    "    status = open('/proc/self/status').read().split('\\n')\n"
    "    hwm = next(l for l in status if l.startswith('VmHWM:'))\n"
    "    open(where, 'w').write(hwm.split()[1])\n"
    "atexit.register(record)\n"
    "sys.argv = ['toolkit', *sys.argv[2:]]\n"
    "from toolkit.cli.app import main\n"
    "main()\n"
)


def test_an_oversized_original_is_refused_before_it_is_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "en.txt").write_text(ENGLISH, encoding="utf-8")
    with (corpus / "original" / "dump.txt").open("wb") as fh:
        fh.truncate(2 * 1024**3)  # 2 GB of zeros that take no disk space (sparse)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    peak = tmp_path / "peak"  # the build's own peak memory (RUN_AND_RECORD_PEAK)
    args = [sys.executable, "-c", RUN_AND_RECORD_PEAK, str(peak), "build", str(corpus), "-q"]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "original/dump.txt: is 2.15 GB, over the 8.0 MB article limit" in output
    assert "1 built" in output
    # The build never held the file (2 GB) in memory.
    assert int(peak.read_text()) < 1024 * 1024, f"peak memory {peak.read_text()} kB"


def test_a_corrections_file_whose_name_is_no_safe_id_is_ignored_with_a_warning(
    corpus: Path,
) -> None:
    (corpus / "corrections").mkdir()
    name = "\x1b]0;owned\x07.corrections.tsv"
    (corpus / "corrections" / name).write_text("source_sha256\tsource\tenglish\tauthor\ttime\n")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 0 and sorted(summary.built) == [DE_SEED, "en"]
    (warning,) = summary.warnings
    assert warning.startswith("corrections/\\x1b]0;owned\\x07.corrections.tsv: document id")
    assert not any("\x1b" in line for line in summary.lines())


@pytest.mark.parametrize("command", ["add", "clean", "detect", "segment", "translate", "stdin"])
def test_single_file_commands_refuse_an_oversized_file_before_reading_it(
    tmp_path: Path, command: str
) -> None:
    """``toolkit add big.txt`` (and clean, detect, segment, translate, and ``-`` on stdin)
    read at most the limit: a 2 GB sparse file is refused in one line, never a
    MemoryError or 2 GB of memory."""
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024**3)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    peak = tmp_path / "peak"
    args = {
        "add": ["add", str(big), "--corpus", str(corpus)],
        "translate": ["translate", "--from", "de", str(big)],
        "stdin": ["clean", "-"],
    }.get(command, [command, str(big)])
    with big.open("rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-c", RUN_AND_RECORD_PEAK, str(peak), *args],
            env=env,
            capture_output=True,
            text=True,
            stdin=stdin,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    # A file's size is known ("is 2.1 GB, over the ..."); stdin's is not ("is more than the ...").
    over = "more than the 8.0 MB" if command == "stdin" else "over the 8.0 MB"
    assert "Traceback" not in output and f"{over} article limit" in output, output
    assert int(peak.read_text()) < 1024 * 1024, f"peak memory {peak.read_text()} kB"
    assert list((corpus / "original").iterdir()) == []


def test_an_export_to_a_pipe_whose_reader_quits_says_it_is_incomplete(tmp_path: Path) -> None:
    # `toolkit export -o - | head`: the pipe took 64 KiB of 1.4 MB, the rest was dropped
    # without a word, and the export said "exported 2314 segments to standard output", exit 0.
    script = "from toolkit.cli.app import main; main()"
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    sentence = "The council met on Monday to discuss the new bridge over the river. "
    for n in range(30):
        (corpus / "original" / f"en{n:02d}.txt").write_text(sentence * 60 + "\n", encoding="utf-8")
    build = [sys.executable, "-c", script, "build", str(corpus), "-q"]
    assert subprocess.run(build, capture_output=True, timeout=300).returncode == 0
    export = [sys.executable, "-c", script, "export", "--corpus", str(corpus), "--format",
              "jsonl", "--include-english", "-o", "-"]  # fmt: skip
    with subprocess.Popen(export, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # the reader quits, as head does
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=300) == 141  # 128 + SIGPIPE, as for `cat | head`
    assert "standard output was closed after" in stderr and "incomplete" in stderr
    assert "exported" not in stderr
