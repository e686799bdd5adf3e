"""The no-op rebuild's "is this document current?" check under hostile corpus states
(found by an adversarial pass on the restructure; each test failed on that code): a
hash-matched but invalid meta.json, a manifest entry listing no outputs, a directory or a FIFO
where an output was. A build never calls current what the readers refuse, never hangs, and
says one line where it cannot write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.hand_edits import reseal

from toolkit.cli.app import cli

ROOT = Path(__file__).resolve().parents[1]
DOC = "001_cb2e6261cd7f216a"  # a shipped English original: builds without any model


def _corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    src = ROOT / "corpus" / "original" / f"{DOC}.txt"
    (corpus / "original" / src.name).write_bytes(src.read_bytes())
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    return corpus


def _build(corpus: Path):
    return CliRunner().invoke(cli, ["build", "--no-glossary", "-q", str(corpus)])


def _run_or_fail_if_it_hangs(
    args: list[str], where: str
) -> tuple[subprocess.Popen[bytes], bytes, bytes]:
    """Run ``toolkit ARGS`` in its own session; fail the test (killing it) after 30 s."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        stdout, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"toolkit {args[0]} hung on a FIFO {where} (killed after 30 s)")
    return proc, stdout, stderr


def _replace_meta_and_rehash_manifest(corpus: Path, meta: bytes) -> None:
    """A meta.json that is not a document record, with the manifest listing its sha256
    (as a hand edit of both, or a tool that 'fixes' the manifest, leaves them)."""
    (corpus / "english" / f"{DOC}.meta.json").write_bytes(meta)
    reseal(corpus, f"{DOC}.meta.json")


def _bad_meta(corpus: Path) -> bytes:
    meta = json.loads((corpus / "english" / f"{DOC}.meta.json").read_text(encoding="utf-8"))
    meta["segments"] = "oops"
    return json.dumps(meta).encode()


def test_noop_build_calls_current_a_document_that_status_says_needs_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path decides "current" from hashes only; every reader (status, export,
    review) validates the meta.json and calls the document "changed since build; run
    toolkit build". toolkit build then says "up to date" and rewrites nothing: the user is
    told to run a command that never repairs the document (stale output kept forever)."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    _replace_meta_and_rehash_manifest(corpus, _bad_meta(corpus))

    from toolkit.pipeline.status import corpus_status

    rows, _ = corpus_status(corpus)
    assert rows[0].state == "changed since build"  # readers refuse it, and say: rebuild

    result = _build(corpus)
    assert result.exit_code == 0, result.output
    rows, _ = corpus_status(corpus)
    # Fails: the build trusted the hash and skipped the document ("1 up to date").
    assert rows[0].state == "built", (result.output, rows[0].message)


def test_noop_build_with_corrections_and_invalid_meta_json_is_one_line_not_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a corrections file, the fast path reads the meta.json (for orphans) with
    read_meta, unguarded: a pydantic ValidationError escapes toolkit build as a traceback
    (exit 1 with ~50 lines), exactly when status told the user to run toolkit build."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    aligned = (corpus / "english" / f"{DOC}.aligned.tsv").read_text(encoding="utf-8")
    source = aligned.splitlines()[1].split("\t")[3]
    (corpus / "corrections").mkdir()
    (corpus / "corrections" / f"{DOC}.corrections.tsv").write_text(
        "source_sha256\tsource\tenglish\tauthor\ttime\n"
        f"\t{source}\tA corrected sentence.\tme\t2026-01-01T00:00:00Z\n",
        encoding="utf-8",
    )
    assert _build(corpus).exit_code == 0  # the corrections are now in the fingerprint
    _replace_meta_and_rehash_manifest(corpus, _bad_meta(corpus))

    result = _build(corpus)
    # Was: pydantic_core.ValidationError escaping as a traceback. Now the document is rebuilt.
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.output


def _set_outputs(corpus: Path, outputs: dict[str, str]) -> None:
    lines = []
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["document"] == DOC:
            entry["outputs"] = outputs
        lines.append(json.dumps(entry))
    (corpus / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_manifest_entry_listing_no_outputs_is_not_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-op check was vacuously true for ``"outputs": {}``: with every output deleted,
    toolkit build says "1 up to date ... nothing changed", while status/export report
    "changed since build: the manifest lists no meta.json; run toolkit build"."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    _set_outputs(corpus, {})
    for out in (corpus / "english").iterdir():
        out.unlink()
    result = _build(corpus)
    assert result.exit_code == 0, result.output
    # Fails: nothing was rebuilt; english/ stays empty.
    assert (corpus / "english" / f"{DOC}.en.txt").exists(), result.output


def test_directory_in_place_of_an_output_is_one_line_not_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-op check caught only FileNotFoundError: a directory where english/X.en.txt
    was makes toolkit build die with IsADirectoryError (a traceback), not a one-line error
    (or a rebuild)."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    out = corpus / "english" / f"{DOC}.en.txt"
    out.unlink()
    out.mkdir()
    result = _build(corpus)
    # Was: IsADirectoryError (a traceback). Now one line naming the path; nothing changed.
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "toolkit: error:" in result.output and f"{DOC}.en.txt" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--no-glossary", "-q"],
        ["export", "--format", "jsonl", "-o", "-", "--include-english", "--corpus"],
    ],
)
def test_fifo_in_place_of_an_output_hangs_neither_build_nor_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """The output check (corpus.snapshot.verify_entry, shared by the build and the readers)
    once opened english/X.en.txt with read_bytes(): a named pipe there blocked toolkit build
    forever (SIGTERM is deferred too; only SIGKILL ends it), holding the corpus lock, and
    blocked export (every snapshot reader) the same way. README "Hostile input: ... never
    hanging"."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    out = corpus / "english" / f"{DOC}.en.txt"
    out.unlink()
    os.mkfifo(out)
    _, stdout, stderr = _run_or_fail_if_it_hangs([*command, str(corpus)], "in english/")
    if command[0] == "export":  # the reader reports the document, it does not read the pipe
        assert "changed since build" in stdout.decode() + stderr.decode()


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--no-glossary", "-q"],
        ["status"],
        ["export", "--format", "jsonl", "-o", "-", "--corpus"],
    ],
)
def test_fifo_in_place_of_the_manifest_is_one_line_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """manifest.jsonl was read with read_bytes(): a FIFO there hung build, status and export
    (a build ignores one SIGTERM while it waits; attack finding). Now one line naming it."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    (corpus / "manifest.jsonl").unlink()
    os.mkfifo(corpus / "manifest.jsonl")
    proc, _, stderr = _run_or_fail_if_it_hangs([*command, str(corpus)], "as the manifest")
    assert proc.returncode == 1
    lines = [line for line in stderr.decode().splitlines() if "manifest" in line]
    assert lines and "is a FIFO or device, not the manifest" in lines[0]
    assert "Traceback" not in stderr.decode()


@pytest.mark.parametrize("where", ["manifest.jsonl", f"english/{DOC}.meta.json"])
def test_a_huge_sparse_manifest_or_output_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A 3 GB sparse manifest.jsonl or meta.json was read whole: a MemoryError traceback under
    a memory limit, the OOM killer without one (attack finding). Now one line (the manifest)
    or "changed since build" (an output), and nothing is allocated."""
    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    with open(corpus / where, "r+b") as handle:
        handle.truncate(3_000_000_000)
    proc, stdout, stderr = _run_or_fail_if_it_hangs(["status", str(corpus)], where)
    text = stdout.decode() + stderr.decode()
    assert "Traceback" not in text and "MemoryError" not in text
    if where == "manifest.jsonl":
        assert proc.returncode == 1 and "over the 512.0 MB a manifest can be" in text
    else:
        assert "changed since build" in text


def test_a_no_op_parses_each_meta_json_once_per_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-op check validated every meta.json on every build (most of a 1,028-document
    no-op). A record found valid is remembered by its sha256 (.cache/valid-records.txt) and
    not parsed again; changed bytes, or a memo that is garbage, are parsed as before."""
    from toolkit.schema import DocumentRecord

    corpus = _corpus(tmp_path, monkeypatch)
    assert _build(corpus).exit_code == 0
    assert not (corpus / ".cache").exists()  # no translation cache, no memo: none created
    (corpus / ".cache").mkdir()  # as a build with a model (its translation cache) makes it
    assert _build(corpus).exit_code == 0
    parsed: list[int] = []
    original = DocumentRecord.model_validate_json

    def counting(data: bytes | str) -> DocumentRecord:
        parsed.append(1)
        return original(data)

    monkeypatch.setattr(DocumentRecord, "model_validate_json", counting)
    memo = corpus / ".cache" / "valid-records.txt"
    assert memo.read_text(encoding="utf-8").startswith(f"{DOC}\t")
    assert "nothing changed" in _build(corpus).output
    assert parsed == []  # vouched for by its hash
    memo.write_bytes(b"\xff garbage \x00\n")
    assert "nothing changed" in _build(corpus).output
    assert parsed  # parsed again; the memo is rewritten
    assert memo.read_text(encoding="utf-8").startswith(f"{DOC}\t")
