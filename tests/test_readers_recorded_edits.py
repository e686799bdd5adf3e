"""The readers of the built corpus (export, review, qa) say what is true of English edited by
hand whose edit is recorded as a correction: a build with the document's model writes it.
They said "changed since build (edited or removed by hand?); run `toolkit build`", while a
build without the model keeps such English as it is: run, it changed nothing, and the readers
said the same again."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.cli.app import cli
from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus

DUTCH = "002_d2e9b11a68fdacb0"
LINE = (
    f"changed since build: english/{DUTCH}.aligned.tsv was edited by hand since the build, and "
    "the edit is recorded as a correction: a build with the document's model writes it "
    "(it holds it, saying why, if a corrected sentence left the original; `toolkit status` "
    "says what a build does here)"
)


@pytest.mark.parametrize("original", ["unchanged", "changed"])
def test_a_recorded_edit_is_said_as_what_a_build_does(
    fake_built_corpus: Path, original: str
) -> None:
    corpus = fake_built_corpus
    edit_cell(corpus, DUTCH, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    if original == "changed":
        path = corpus / "original" / f"{DUTCH}.txt"
        path.write_bytes(path.read_bytes() + b"\n\nEen nieuwe zin.\n")
    assert build_corpus(corpus, provider=FakeProvider(("xx",))).exit_code == 3  # kept
    runner = CliRunner()
    export = runner.invoke(cli, ["export", "--corpus", str(corpus), "--format", "tsv", "-o", "-"])
    review = runner.invoke(cli, ["review", "--corpus", str(corpus), DUTCH])
    qa = runner.invoke(cli, ["qa", "--corpus", str(corpus)])
    for said in (export.stderr, qa.stderr):
        assert LINE in said and "run `toolkit build" not in said, said
    # review shows it, as the workbench does: its build's record with status's line
    # (tests/test_kept_recorded_state.py)
    assert review.exit_code == 0 and f"== {DUTCH} " in review.output, review.output
    assert "run `toolkit build" not in review.output
    assert build_corpus(corpus, provider=FakeProvider()).built == [DUTCH]  # with the model
    review = runner.invoke(cli, ["review", "--corpus", str(corpus), DUTCH])
    assert review.exit_code == 0 and "MY EDIT" in review.output, review.output
