"""``review`` (terminal and ``--html``), the workbench and ``status`` count flagged segments
by one rule, :mod:`toolkit.qa.summary`'s (:func:`~toolkit.qa.summary.is_flagged`): a flag a
reviewer dismissed does not count, whatever check names the record's ``flags`` still list.
They counted ``s.flags`` (session 8: "agrees with qa/summary today but does not ask it")."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from click.testing import CliRunner
from fakes import build_shipped_corpus

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest, read_meta, render_manifest, render_meta_json
from toolkit.qa.summary import flagged_segments, is_flagged
from toolkit.review.workbench.store import ReviewStore

GERMAN = "000_de546ec99307b48e"


def _dismiss_keeping_names(root: Path) -> int:
    """Dismiss every flag of GERMAN's first flagged segment in its record, leaving the check
    names in ``flags`` (a record qa/summary counts one fewer flagged segment in than
    ``s.flags`` does), the manifest made to vouch for it; qa's count of flagged segments."""
    meta = root / "english" / f"{GERMAN}.meta.json"
    record = read_meta(meta)
    seg = next(s for s in record.segments if s.flags)
    for flag in seg.qa:
        flag.dismissed = {"reason": "fine", "author": "anna", "time": "2026-01-01T00:00:00Z"}
    assert seg.flags and not is_flagged(seg)
    data = render_meta_json(record).encode("utf-8")
    meta.write_bytes(data)
    manifest = read_manifest(root / "manifest.jsonl")
    entry = manifest[GERMAN]
    outputs = {**entry.outputs, meta.name: hashlib.sha256(data).hexdigest()}
    manifest[GERMAN] = entry.model_copy(update={"outputs": outputs})
    (root / "manifest.jsonl").write_text(render_manifest(manifest.values()), encoding="utf-8")
    counted = flagged_segments(record.segments)
    assert counted < sum(1 for s in record.segments if s.flags)
    return counted


def test_review_the_page_the_workbench_and_status_count_flags_by_qa_summary(
    tmp_path: Path,
) -> None:
    root = build_shipped_corpus(tmp_path / "corpus")
    flagged = _dismiss_keeping_names(root)
    runner = CliRunner()
    status = runner.invoke(cli, ["status", str(root), "--format", "json"])
    rows = {d["document"]: d for d in json.loads(status.stdout)["documents"]}
    assert rows[GERMAN]["flagged"] == flagged
    terminal = runner.invoke(cli, ["review", "--corpus", str(root), GERMAN])
    assert f", {flagged} flagged, " in terminal.output, terminal.output
    page = tmp_path / "review.html"
    html = runner.invoke(cli, ["review", "--corpus", str(root), GERMAN, "--html", str(page)])
    assert html.exit_code == 0, html.output
    text = page.read_text(encoding="utf-8")
    assert re.search(rf"{GERMAN}</a> — de, \d+ segments, {flagged} flagged", text)
    assert text.count('class="segment flagged"') == flagged
    store = ReviewStore(root=root, rebuild=lambda doc: None, author="anna", kinds={})
    overview = {d["id"]: d for d in store.overview()["documents"]}
    assert overview[GERMAN]["flagged"] == flagged
    assert sum(row["flagged"] for row in store.document(GERMAN)["rows"]) == flagged
    # Each row carries the server's accept rule (the Accept button shows it, no rule of its own)
    from toolkit.corpus.actions import acceptable

    record = {s.id: s for s in read_meta(root / "english" / f"{GERMAN}.meta.json").segments}
    assert all(row["acceptable"] == acceptable(record[row["id"]])
               for row in store.document(GERMAN)["rows"])
