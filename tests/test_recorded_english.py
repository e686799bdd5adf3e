"""What review and the workbench show of English whose hand edits are all recorded
(:func:`toolkit.review.documents.recorded_english`): each row paired with the build's.

The first version applied the corrections again to the build's record, which has them
applied already: a row corrected before the build then named the human English the build
wrote as its machine English (no diff, the wrong text), and every accepted row lost its
flags (an acceptance carries no machine English, so it read as "English replaced") though
QA had read that very English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.corpus.actions import record_action, record_correction
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.review.documents import recorded_english

DUTCH = "002_d2e9b11a68fdacb0"


def test_rows_reviewed_before_the_build_keep_their_flags_and_machine_english(
    fake_built_corpus: Path,
) -> None:
    corpus = fake_built_corpus
    meta = corpus / "english" / f"{DUTCH}.meta.json"
    first = read_meta(meta)
    machine = first.segments[2].english
    record_action(corpus, first, first.segments[1].id, "accept")
    record_correction(corpus, read_meta(meta), first.segments[2].id, "EARLIER FIX")
    build_corpus(corpus, provider=FakeProvider())  # applies both
    built = read_meta(meta)
    assert built.segments[1].origin == "accepted" and built.segments[1].qa  # dismissed flags
    assert built.segments[2].correction is not None
    assert built.segments[2].correction["machine"] == machine
    edit_cell(corpus, DUTCH, "MY EDIT")  # row 1: p1.s1, typed after the build and recorded
    record_correction(corpus, built, built.segments[0].id, "MY EDIT")

    shown = recorded_english(corpus, DUTCH)
    assert shown is not None
    typed = shown.segments[0]
    assert typed.english == "MY EDIT" and typed.flags == [] and typed.qa == []  # unread
    assert typed.correction is not None
    assert typed.correction["machine"] == built.segments[0].english
    accepted, fixed = shown.segments[1], shown.segments[2]
    assert accepted.qa == built.segments[1].qa and accepted.flags == built.segments[1].flags
    assert fixed.qa == built.segments[2].qa and fixed.flags == built.segments[2].flags
    assert fixed.correction is not None and fixed.correction["machine"] == machine  # diff
    assert shown.segments[3:] == built.segments[3:]


def test_the_corrections_are_read_once(
    fake_built_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The English shown is the corrected record the look at the hand edits made
    (``DocumentEdits.corrected``): review read the corrections file a second time, and a
    file changed or unreadable in between fell back to the replaced English."""
    from toolkit.corpus import edits

    corpus = fake_built_corpus
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    edit_cell(corpus, DUTCH, "MY EDIT")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    made: list[object] = []
    corrected_record = edits.corrected_record

    def counted(paths: object, built: object) -> object:
        made.append(corrected_record(paths, built))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(edits, "corrected_record", counted)
    shown = recorded_english(corpus, DUTCH)
    assert shown is not None and shown.segments[0].english == "MY EDIT"
    assert made == [shown] and made[0] is shown


def test_the_overview_looks_only_at_documents_changed_since_the_build(
    fake_built_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbench's overview looked for recorded edits in every document (each look parsed
    the whole manifest and hashed the English: 1,028 manifest parses for 1,028 documents); it
    looks where status says the English changed, as review does, and counts no flags of the
    typed English (null, status's ?)."""
    from toolkit.review.workbench import store as store_module
    from toolkit.review.workbench.launch import argos_staleness
    from toolkit.review.workbench.store import ReviewStore

    corpus = fake_built_corpus
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    edit_cell(corpus, DUTCH, "MY EDIT")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    looked: list[str] = []

    def counted(root: Path, doc: str, entry: object = None) -> object:
        looked.append(doc)
        return recorded_english(root, doc, entry)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "recorded_english", counted)
    store = ReviewStore(
        corpus, rebuild=lambda root, original: [], author="me", kinds={},
        staleness=argos_staleness(None, None),
    )  # fmt: skip
    listed = {d["id"]: d for d in store.overview()["documents"]}
    assert looked == [DUTCH], looked
    assert listed[DUTCH]["flagged"] is None and listed[DUTCH]["status"] == "changed since build"
    assert all(isinstance(d["flagged"], int) for doc, d in listed.items() if doc != DUTCH)


@pytest.mark.parametrize(("change", "state"), [("hidden", "skipped"), ("deleted", "edited")])
def test_the_overview_looks_for_edits_where_status_replaced_changed_since_build(
    fake_built_corpus: Path, change: str, state: str
) -> None:
    """Attack 10d: status says ``skipped`` (original renamed hidden) or ``edited`` (original
    deleted) over ``changed since build``; the overview looked only for that word and counted
    the flags of the replaced English (flagged 19) where status shows ``?``."""
    from toolkit.review.workbench.launch import argos_staleness
    from toolkit.review.workbench.store import ReviewStore

    corpus = fake_built_corpus
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    edit_cell(corpus, DUTCH, "MY EDIT")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    original = corpus / "original" / f"{DUTCH}.txt"
    if change == "hidden":
        original.rename(original.with_name(f".{original.name}"))
    else:
        original.unlink()
    store = ReviewStore(
        corpus, rebuild=lambda root, original: [], author="me", kinds={},
        staleness=argos_staleness(None, None),
    )  # fmt: skip
    listed = {d["id"]: d for d in store.overview()["documents"]}[DUTCH]
    assert listed["status"] == state and listed["flagged"] is None, listed


@pytest.mark.parametrize("original", ["kept", "deleted"])
def test_a_correction_recorded_since_in_no_file_is_not_shown(
    fake_built_corpus: Path, original: str
) -> None:
    """Attack 10c: a hand edit recorded as a correction, then another correction recorded
    with ``--no-build``: review showed that second English as the row's (corrected by, no
    NOT CURRENT) though neither english/ file holds it; with the original deleted too, the
    header said 'shown as last built' over the pending correction. The build's record is
    shown, with status's line; typing it into the file too shows the corrected record."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    corpus = fake_built_corpus
    built = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    edit_cell(corpus, DUTCH, "MY EDIT")
    record_correction(corpus, built, built.segments[0].id, "MY EDIT")
    record_correction(corpus, built, built.segments[1].id, "OTHER NOT IN ENGLISH")
    if original == "deleted":
        (corpus / "original" / f"{DUTCH}.txt").unlink()
    shown = recorded_english(corpus, DUTCH)
    assert shown is not None and shown.segments == built.segments  # as built
    result = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), DUTCH])
    assert result.exit_code == 0, result.output
    assert "OTHER NOT IN ENGLISH" not in result.output, result.output
    said = "changed since build" if original == "kept" else "shown as last built"
    assert said in result.output, result.output
    if original == "kept":  # both typed into the file: what it holds, shown
        edit_cell(corpus, DUTCH, "OTHER NOT IN ENGLISH", row=2)
        typed = recorded_english(corpus, DUTCH)
        assert typed is not None and typed.segments[1].english == "OTHER NOT IN ENGLISH"
