"""``toolkit status`` says how many segments are flagged only where it read a build's record:
a document whose original was deleted shows the flags of the English it still has (as
``review`` shows them), and a row with no record at all (never built, failed) shows ``?``
(``null`` in JSON), never a ``0`` that reads as "nothing flagged"."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fakes import build_shipped_corpus

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta

GERMAN = "000_de546ec99307b48e"


def test_flag_counts_are_the_records_or_unknown(tmp_path: Path) -> None:
    root = build_shipped_corpus(tmp_path / "corpus")
    record = read_meta(root / "english" / f"{GERMAN}.meta.json")
    flagged = sum(1 for s in record.segments if s.flags)
    flags = sum(len(s.flags) for s in record.segments)
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
