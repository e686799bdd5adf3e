"""A ``--discard-edits`` build names what it discards before it writes anything.

Session 9 left it alone: a whole-corpus ``toolkit build CORPUS --discard-edits`` printed its
``discarded:`` lines only after the build, with no warning before; a build stopped then
(Ctrl-C) had discarded nothing, but a long one gave the user no moment to notice that an
edit they meant to keep was about to go. Each document is named first (a ``discarding:``
line, before the first progress call, so before the progress bar); the after-lines stay.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit import _faults
from toolkit.cli.app import cli
from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.summary import KEPT_EDIT

ENGLISH = "001_cb2e6261cd7f216a"  # its own English: built without a model (the CLI's Argos)
GONE = "000_de546ec99307b48e"
SAID = (
    f"discarding: {ENGLISH}: english/{ENGLISH}.aligned.tsv was edited by hand before this "
    "build: this build may replace or remove it (corrections recorded in corrections/ stay) "
    "(--discard-edits; the lines after it say what it did); stop it now (Ctrl-C) to keep the edit"
)


def test_each_document_is_named_before_the_first_progress_call(fake_built_corpus: Path) -> None:
    corpus = fake_built_corpus
    edit_cell(corpus, ENGLISH, "MY EDIT")
    edit_cell(corpus, GONE, "MY OTHER EDIT")
    (corpus / "original" / f"{GONE}.txt").unlink()
    said: list[str] = []
    summary = build_corpus(
        corpus, provider=FakeProvider(), force=True, discard_edits=True,
        on_discard=said.append, progress=lambda stage, done, total: said.append(stage),
    )  # fmt: skip
    assert said[:2] == [
        f"discarding: {GONE}: english/{GONE}.aligned.tsv was edited by hand before this "
        "build: this build may remove it (its original is gone) (--discard-edits; the lines "
        "after it say what it did); stop it now (Ctrl-C) to keep the edit",
        SAID,
    ], said
    assert not any(x.startswith("discarding:") for x in said[2:])  # progress after
    assert set(summary.discarded) == {ENGLISH, GONE}, summary.lines()  # the after-lines stay
    assert summary.gone == [GONE]


def test_a_document_whose_edits_are_all_recorded_is_not_said(fake_built_corpus: Path) -> None:
    """A rebuilt document whose edits are all recorded as corrections (its original as
    built) is written with them: nothing discarded, so no ``discarding:`` line (every edited
    document was said, and no ``discarded:`` line followed it)."""
    corpus = fake_built_corpus
    dutch = "002_d2e9b11a68fdacb0"
    edit_cell(corpus, dutch, "MY EDIT")
    record = read_meta(corpus / "english" / f"{dutch}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    edit_cell(corpus, ENGLISH, "MY OTHER EDIT")
    said: list[str] = []
    summary = build_corpus(
        corpus, provider=FakeProvider(), force=True, discard_edits=True, on_discard=said.append
    )
    assert said == [SAID], said  # the unrecorded one only
    assert set(summary.discarded) == {ENGLISH}, summary.lines()
    assert b"MY EDIT" in (corpus / "english" / f"{dutch}.aligned.tsv").read_bytes()


def test_a_build_without_edits_or_without_the_flag_says_nothing_first(
    fake_built_corpus: Path,
) -> None:
    said: list[str] = []
    build_corpus(fake_built_corpus, provider=FakeProvider(), discard_edits=True,
                 on_discard=said.append)  # fmt: skip
    edit_cell(fake_built_corpus, ENGLISH, "MY EDIT")
    summary = build_corpus(fake_built_corpus, provider=FakeProvider(), on_discard=said.append)
    assert said == [] and ENGLISH in summary.held


def test_a_whole_corpus_build_stopped_by_ctrl_c_has_said_it_and_kept_the_edit(
    fake_built_corpus: Path,
) -> None:
    corpus = fake_built_corpus
    typed = edit_cell(corpus, ENGLISH, "MY EDIT")

    def ctrl_c(name: str) -> None:
        if name == "build.before-manifest":
            raise KeyboardInterrupt

    _faults.set_hook(ctrl_c)
    try:
        stopped = CliRunner().invoke(cli, ["build", str(corpus), "--discard-edits"])
    finally:
        _faults.set_hook(None)
    assert stopped.exit_code == 130, stopped.output
    assert f"toolkit: {SAID}" in stopped.stderr, stopped.stderr
    assert (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_bytes() == typed
    done = CliRunner().invoke(cli, ["build", str(corpus), "--discard-edits"])
    said = done.output.index(f"toolkit: {SAID}")  # stdout and stderr, in their order
    after = done.output.index(f"discarded: {ENGLISH}: english/{ENGLISH}.aligned.tsv")
    assert said < after, done.output
    assert b"MY EDIT" not in (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_bytes()


def test_quiet_still_names_them(fake_built_corpus: Path) -> None:
    """-q turns off the progress bar, not the warning that an edit is about to go."""
    edit_cell(fake_built_corpus, ENGLISH, "MY EDIT")
    done = CliRunner().invoke(cli, ["build", str(fake_built_corpus), "-q", "--discard-edits"])
    assert f"toolkit: {SAID}" in done.stderr, done.stderr


def test_a_document_that_then_fails_was_not_said_to_be_written_and_keeps_its_edit(
    fake_built_corpus: Path,
) -> None:
    """Its original emptied, the document fails ("is empty"): nothing written, the edit
    kept, no ``discarded:`` line; the line before had said "this build writes it again
    without the edit". It now says what may happen, true either way."""
    corpus = fake_built_corpus
    typed = edit_cell(corpus, ENGLISH, "MY EDIT")
    (corpus / "original" / f"{ENGLISH}.txt").write_bytes(b"")
    said: list[str] = []
    summary = build_corpus(
        corpus, provider=FakeProvider(), discard_edits=True, on_discard=said.append
    )
    assert ENGLISH in summary.errors and ENGLISH not in summary.discarded, summary.lines()
    assert (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_bytes() == typed
    assert said == [SAID]
    assert not any("writes it again" in line for line in said)
    kept = [line for line in summary.lines() if line.startswith("kept:")]
    assert kept == [f"kept: {ENGLISH}: {KEPT_EDIT}"], summary.lines()  # the before-line answered
