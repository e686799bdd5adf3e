"""What a build may remove, read closely (attack findings): the removal guard counts only
documents with English and refuses before it translates; a built original's English is held
only by the name it was built from (replaced by a link or folder, or renamed to its NFD
form), never by another name with its id; every command says one line of each name."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
import test_removal
from test_removal import TOPICS, _article, _build, _english

from toolkit.corpus.formats import read_manifest
from toolkit.corpus.originals import KEPT_DROP
from toolkit.errors import CorpusError
from toolkit.pipeline.status import corpus_status

corpus = test_removal.corpus  # six built English articles

GERMAN = (
    "Der Gemeinderat hat am Montag über den {} beraten. Er beschloss, im nächsten Jahr mehr "
    "Geld dafür auszugeben, und der Bürgermeister begrüßte die Entscheidung sehr.\n"
)


def test_documents_waiting_for_a_model_do_not_count_as_english_to_keep(corpus: Path) -> None:
    """Six English documents and seven waiting for a model: deleting four of the six removed
    their English with no flag (4 of 13 "built"). Only documents with English count now."""
    for n in range(7):
        (corpus / "original" / f"de{n}.txt").write_text(GERMAN.format(n), encoding="utf-8")
    assert len(_build(corpus).needs_model) == 7
    before = _english(corpus)
    for topic in TOPICS[:4]:
        (corpus / "original" / f"{topic}.txt").unlink()
    with pytest.raises(CorpusError, match=r"only 2 of the corpus's 6 built documents.* of 4 on"):
        _build(corpus)
    assert _english(corpus) == before
    assert sorted(_build(corpus, allow_removal=True).gone) == sorted(TOPICS[:4])


def test_a_refused_removal_is_refused_before_anything_is_prepared(corpus: Path) -> None:
    """A new article waits to be built while most originals are gone: the refusal comes
    before its preparation and translation, not after."""
    stages: list[str] = []
    for topic in TOPICS[:4]:
        (corpus / "original" / f"{topic}.txt").unlink()
    (corpus / "original" / "zoo.txt").write_text(_article("zoo"), encoding="utf-8")
    with pytest.raises(CorpusError, match="--allow-removal"):
        _build(corpus, progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert sorted(read_manifest(corpus / "manifest.jsonl")) == sorted(TOPICS)


def test_a_built_original_renamed_to_its_nfd_form_keeps_its_english(
    corpus: Path, tmp_path: Path
) -> None:
    """``café.txt`` copied from a Mac comes back as NFD: the build said "not in Unicode normal
    form NFC; rename the file" and removed its English in the same run. Held now, like a
    link: the English is kept, one line names the rename; status and export agree."""
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus

    (corpus / "original" / "café.txt").write_text(_article("café"), encoding="utf-8")
    assert _build(corpus).built == ["café"]
    before = _english(corpus)
    nfd = unicodedata.normalize("NFD", "café.txt")
    (corpus / "original" / "café.txt").rename(corpus / "original" / nfd)
    line = (
        "skipped (its name is not in Unicode normal form NFC, as copying from a Mac writes "
        f"it; rename it to café.txt): original/{nfd}; the English of its last build is kept"
        " (to drop the document instead, delete it or move it out of original/, then build)"
    )
    summary = _build(corpus)
    assert summary.gone == [] and summary.errors == {} and _english(corpus) == before
    assert [x for x in summary.lines() if "café" in x] == [line]
    rows, _stray = corpus_status(corpus)
    assert [(r.document, r.state, r.message) for r in rows if r.state != "built"] == [
        ("café", "skipped", line)
    ]
    everything = ExportOptions(include_flagged=True, include_same_language=True)
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", everything)
    assert stats.documents == 7
    (corpus / "original" / nfd).rename(corpus / "original" / "café.txt")  # the fix named
    assert "café" in _build(corpus).up_to_date


def test_a_name_that_only_gives_a_deleted_documents_id_holds_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """``bridge.txt`` deleted, and a ``bridge.files/`` folder, a ``bridge/`` folder and a
    ``bridge.d`` FIFO beside it: they held its English forever (export published it). Only
    the name the document was built from holds it."""
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus

    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / "bridge.files").mkdir()
    (corpus / "original" / "bridge").mkdir()
    os.mkfifo(corpus / "original" / "bridge.d")
    summary = _build(corpus)
    assert summary.gone == ["bridge"]
    assert not any(line.endswith(f"is kept{KEPT_DROP}") for line in summary.lines())
    everything = ExportOptions(include_flagged=True, include_same_language=True)
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", everything)
    assert stats.documents == 5
    rows, _stray = corpus_status(corpus)
    assert sorted(r.message for r in rows if r.state == "skipped") == sorted(
        x for x in summary.lines() if x.startswith("skipped")
    )


def test_export_says_of_a_link_what_build_and_status_say(corpus: Path, tmp_path: Path) -> None:
    """A symlink ``g1.txt.tmp``: build and status said "skipped (a symlink ...)", export
    "never built or failed to build"."""
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus
    from toolkit.review.documents import unbuilt_notice

    (corpus / "original" / "bridge.txt.tmp").symlink_to(tmp_path / "nowhere")
    (corpus / "original" / "zoo.txt").write_bytes(b"")  # fails to build: still that line
    said = [x for x in _build(corpus).lines() if x.startswith("skipped")]
    rows, _stray = corpus_status(corpus)
    assert [r.message for r in rows if r.state == "skipped"] == said and len(said) == 1
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", ExportOptions())
    unbuilt = (
        "1 original in original/ not exported, never built or failed to build (zoo.txt); "
        "`toolkit status` says why"
    )
    assert [w for w in stats.warnings if "bridge.txt.tmp" in w or "zoo" in w] == [unbuilt, said[0]]
    notice = unbuilt_notice(corpus, [f"original/{t}.txt" for t in TOPICS])
    assert notice == [unbuilt.replace("exported", "shown"), said[0]]


def test_an_original_renamed_while_the_build_reads_it_is_said_so(corpus: Path) -> None:
    """Renamed in another terminal after the listing: "cannot be read (No such file or
    directory); check its permissions" named the wrong fix."""
    from toolkit._faults import set_hook

    (corpus / "original" / "bridge.txt").write_text(_article("bridges"), encoding="utf-8")
    target = corpus / "original" / "bridge.txt"

    def rename(point: str) -> None:
        if point == "prepare" and target.exists():
            target.rename(corpus / "original" / "bridge-2.txt")

    set_hook(rename)
    try:
        summary = _build(corpus)
    finally:
        set_hook(None)
    assert summary.errors == {
        "bridge": "original/bridge.txt: renamed or removed while the build read it; its "
        "English (if any) is kept: build again"
    }
    assert "bridge.en.txt" in _english(corpus)


def test_add_of_two_files_that_give_one_document_id_adds_neither(
    corpus: Path, tmp_path: Path
) -> None:
    """``toolkit add in/x/n1.txt in/y/n1.md`` copied both; the build then refused one."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    for folder, name in (("x", "n1.txt"), ("y", "n1.md"), ("z", "N1.txt")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(_article("zoo"), encoding="utf-8")
    for second in ("y/n1.md", "z/N1.txt"):
        given = [str(tmp_path / "x" / "n1.txt"), str(tmp_path / second)]
        result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), *given])
        assert result.exit_code == 1
        assert "same document id" in result.output and "nothing was added" in result.output
        assert sorted(p.name for p in (corpus / "original").iterdir()) == sorted(
            f"{t}.txt" for t in TOPICS
        )


def test_add_of_a_file_whose_id_an_original_has_by_another_name_adds_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """``bridge.md`` added beside a built ``bridge.txt`` was copied; by name order it then
    took the document over and the build refused ``bridge.txt``."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    for name in ("bridge.md", "Budget.txt"):
        new = tmp_path / name
        new.write_text(_article("zoo"), encoding="utf-8")
        result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
        assert result.exit_code == 1 and "same document id" in result.output, result.output
    assert sorted(p.name for p in (corpus / "original").iterdir()) == [
        f"{t}.txt" for t in sorted(TOPICS)
    ]
