"""A document with no language content (``zxx``) is ``zxx`` wherever the toolkit names its
language, whichever version wrote its record.

Session 8's attacker: a corpus built before 9674202 recorded such a document as ``en`` (read
as ``zxx``: that in ``language_detected``; stated ``zxx`` in ``languages:``: what id read).
The new code kept those records ("nothing changed": nothing a fingerprint hashes moved), and
status went backwards (``nums`` showed ``zxx`` before, then ``en``); export said
``source_language`` ``en``. And ``toolkit translate`` named ``zxx`` as the file's language
but ``en`` for each of its segments, while export said ``zxx``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.pipeline import provenance
from toolkit.schema import DocumentRecord

NUMS = "12 345 678\n\n2024-01-01 12:30\n\n+49 30 1234567\n"
STOCKS = "".join(f"{name} {i + 20},{i}0 Euro -0,{i}%\n\n" for i, name in enumerate(
    ["Adidas", "Allianz", "BASF", "Bayer", "BMW", "Commerzbank", "Deutsche Bank", "Siemens"]
))  # fmt: skip


def _corpus(tmp_path: Path, stated: str = "zxx") -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "nums.txt").write_text(NUMS, encoding="utf-8")
    (corpus / "original" / "stk.txt").write_text(STOCKS, encoding="utf-8")
    (corpus / "settings.yaml").write_text(f"languages: {{stk.txt: {stated}}}\n", encoding="utf-8")
    return corpus


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.output


def _build(corpus: Path, tmp_path: Path) -> str:
    packages = str(tmp_path / "no-packages")
    code, _, output = _run("build", str(corpus), "--no-glossary", "--packages-dir", packages)
    assert code == 0, output
    return output


def _as_before_9674202(corpus: Path) -> dict[str, bytes]:
    """Rewrite the built records (and the manifest) as toolkit 0.3.0 wrote them before
    9674202: language ``en``; a read ``zxx`` moved to ``language_detected``. Returns the
    records' bytes as the current build wrote them."""
    fresh, manifest = {}, corpus / "manifest.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    for entry in entries:
        path = corpus / "english" / f"{entry['document']}.meta.json"
        fresh[entry["document"]] = path.read_bytes()
        meta = json.loads(fresh[entry["document"]])
        assert meta["language"]["language"] == "zxx"
        if meta["language_detected"] is None:
            meta["language_detected"] = meta["language"]
        meta["language"] = {**meta["language"], "language": "en"}
        data = (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode()
        path.write_bytes(data)
        entry["language"] = "en"
        entry["outputs"][path.name] = hashlib.sha256(data).hexdigest()
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entries]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fresh


def test_an_old_record_of_a_zxx_document_reads_as_zxx(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _build(corpus, tmp_path)
    fresh = _as_before_9674202(corpus)
    for doc, data in fresh.items():  # read as the current build writes it
        old = (corpus / "english" / f"{doc}.meta.json").read_bytes()
        assert DocumentRecord.model_validate_json(old) == DocumentRecord.model_validate_json(data)
    code, stdout, output = _run("status", str(corpus), "--no-glossary")
    assert "nums\tzxx\tbuilt" in stdout and "stk\tzxx\tbuilt" in stdout, output  # en, en
    code, stdout, output = _run(
        "export", "--corpus", str(corpus), "--format", "jsonl", "-o", "-", "--include-english"
    )
    assert code == 0 and stdout, output
    assert {json.loads(line)["source_language"] for line in stdout.splitlines()} == {"zxx"}


def test_a_version_change_rewrites_such_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lead's version bump rebuilds every document once: the records and the manifest
    are then written as now (until then the reader reads them so)."""
    corpus = _corpus(tmp_path)
    _build(corpus, tmp_path)
    _as_before_9674202(corpus)
    built_by = provenance.__version__
    provenance.versions.cache_clear()
    monkeypatch.setattr(provenance, "__version__", "99.0.0")
    try:
        _, _, output = _run("status", str(corpus), "--no-glossary")
        assert f"nums: stale: versions changed (toolkit {built_by} -> 99.0.0)" in output, output
        assert "2 built" in _build(corpus, tmp_path)
    finally:
        monkeypatch.undo()
        provenance.versions.cache_clear()
    manifest = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["language"] for line in manifest} == {"zxx"}
    for doc in ("nums", "stk"):
        meta = json.loads((corpus / "english" / f"{doc}.meta.json").read_text(encoding="utf-8"))
        assert meta["language"]["language"] == "zxx"


def test_a_record_stated_in_the_target_language_is_read_as_written(tmp_path: Path) -> None:
    """``languages: {stk.txt: en}`` (or ``--from en``, no ``config``) with id reading ``zxx``
    is an English document: its record is not taken for an old zxx one."""
    corpus = _corpus(tmp_path, stated="en")
    (corpus / "original" / "stk.txt").write_text(NUMS, encoding="utf-8")  # id reads zxx
    _build(corpus, tmp_path)
    meta = json.loads((corpus / "english" / "stk.meta.json").read_text(encoding="utf-8"))
    assert (meta["language"]["language"], meta["language_detected"]["language"]) == ("en", "zxx")
    assert DocumentRecord.model_validate(meta).language.language == "en"
    del meta["config"]
    assert DocumentRecord.model_validate(meta).language.language == "en"


@pytest.mark.parametrize("fmt", ["tsv", "json"])
def test_translate_names_the_language_export_names(tmp_path: Path, fmt: str) -> None:
    """One owner (``DocumentRecord.language_of``): translate said ``en`` for each segment of a
    ``zxx`` file, export ``zxx``."""
    corpus = _corpus(tmp_path)
    _build(corpus, tmp_path)
    code, stdout, output = _run(
        "export", "--corpus", str(corpus), "--format", "jsonl", "-o", "-", "--include-english"
    )
    exported = {json.loads(line)["source_language"] for line in stdout.splitlines()}
    nums = str(corpus / "original" / "nums.txt")
    code, stdout, output = _run("translate", "--format", fmt, "--no-glossary", nums)
    assert code == 0, output
    if fmt == "json":
        said = {s["source_language"] for s in json.loads(stdout)[0]["segments"]}
    else:
        said = {line.rsplit("\t", 1)[1] for line in stdout.splitlines()[1:]}
    assert said == exported == {"zxx"}
