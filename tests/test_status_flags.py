"""``toolkit status`` says how many segments are flagged only where it read a build's record:
a document whose original was deleted shows the flags of the English it still has (as
``review`` shows them), and a row with no record at all (never built, failed) shows ``?``
(``null`` in JSON), never a ``0`` that reads as "nothing flagged"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import FakeTranslator, build_shipped_corpus

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta

GERMAN = "000_de546ec99307b48e"


def test_flag_counts_are_the_records_or_unknown(tmp_path: Path) -> None:
    root = build_shipped_corpus(tmp_path / "corpus")
    record = read_meta(root / "english" / f"{GERMAN}.meta.json")
    flagged = sum(1 for s in record.segments if s.qa)
    flags = sum(len(s.qa) for s in record.segments)  # every message, as `qa` counts
    assert flagged > 0  # the fake translator leaves German flagged
    Path(root, record.input.path).unlink()  # deleted since the build: "no original"
    (root / "original" / "zz_new.txt").write_text("Ein neuer Artikel.\n", encoding="utf-8")
    (root / "original" / "empty.txt").write_text("", encoding="utf-8")  # a build fails it

    text = CliRunner().invoke(cli, ["status", str(root)])
    assert text.exit_code == 0, text.output
    rows = {line.split("\t")[0]: line.split("\t") for line in text.stdout.splitlines()[1:]}
    assert rows[GERMAN][2:] == ["no original", str(len(record.segments)), str(flagged), str(flags)]
    assert rows["zz_new"][2] == "not built" and rows["zz_new"][4:] == ["?", "?"]
    assert rows["empty"][2] == "error" and rows["empty"][4:] == ["?", "?"]

    report = CliRunner().invoke(cli, ["status", str(root), "--format", "json"])
    documents = {d["document"]: d for d in json.loads(report.stdout)["documents"]}
    assert (documents[GERMAN]["flagged"], documents[GERMAN]["flags"]) == (flagged, flags)
    assert documents["zz_new"]["flagged"] is None and documents["empty"]["flags"] is None


def test_status_counts_flags_as_qa_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One owner of "how many flags" (:func:`toolkit.qa.summary.is_counted`): a segment with
    two ``number`` messages has two flags in ``status`` as in ``qa`` (status counted check
    names per segment: 6 against qa's 7)."""
    from toolkit.qa.summary import summarize_corpus

    def drop_digits(self: FakeTranslator, sentences: list[str], progress: Any = None) -> list[str]:
        if progress is not None:
            progress(len(sentences))
        return [re.sub(r"[0-9]+", "", f"[en] {s}") for s in sentences]

    monkeypatch.setattr(FakeTranslator, "translate", drop_digits)
    root = build_shipped_corpus(tmp_path / "corpus")
    records = [read_meta(m) for m in sorted((root / "english").glob("*.meta.json"))]
    record = next(r for r in records if r.document == GERMAN)
    assert any(s.flags.count("number") < len(s.qa) for s in record.segments)  # two messages

    status = CliRunner().invoke(cli, ["status", str(root), "--format", "json"])
    assert status.exit_code == 0, status.output
    row = {d["document"]: d for d in json.loads(status.stdout)["documents"]}[GERMAN]
    in_qa = summarize_corpus(records).per_document[GERMAN]  # what `toolkit qa` prints
    assert row["flags"] == sum(in_qa.values()) == sum(len(s.qa) for s in record.segments)
