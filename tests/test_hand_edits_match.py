"""An edited part is found in the new outputs by what it is, not by where it was.

A reviewer's findings (session 8): of two rows with the same source sentence (a repeated
"(dpa)"), only the last was compared, so an edited and corrected first row was held for
good; an edited and corrected paragraph of the text was looked for in its old place, so a
paragraph added above it held the document for good; README's held line showed SEGMENT where
the build names the edited rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit.corpus.edits_match import kept, rendered
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.schema import DocumentRecord

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = "001_cb2e6261cd7f216a"


def _record() -> DocumentRecord:
    return read_meta(ROOT / "corpus" / "english" / f"{ENGLISH}.meta.json")


def test_an_edited_row_of_a_repeated_source_is_kept_by_its_own_correction() -> None:
    built = _record()
    first, second = built.segments[0], built.segments[1]
    second.source = first.source  # the same sentence twice, translated differently
    typed = built.model_copy(deep=True)
    typed.segments[0].english = "MY EDIT"
    new = typed.model_copy(deep=True)  # the correction recorded: that row says it, the other not
    new.segments[0].origin = "human"
    name = f"{ENGLISH}.aligned.tsv"
    assert second.english != "MY EDIT"
    assert kept(name, rendered(typed, ".aligned.tsv"), rendered(new, ".aligned.tsv"), built)
    lost = built.model_copy(deep=True)  # not recorded: the build writes the model's again
    assert not kept(name, rendered(typed, ".aligned.tsv"), rendered(lost, ".aligned.tsv"), built)


def test_an_edited_paragraph_is_kept_when_a_paragraph_is_added_above_it() -> None:
    built = _record()
    typed = built.model_copy(deep=True)
    typed.segments[1].english = "MY EDIT."
    new = typed.model_copy(deep=True)
    for segment in new.segments:
        segment.paragraph += 1
    new.segments.insert(0, new.segments[0].model_copy(update={"paragraph": 1, "english": "New."}))
    name = f"{ENGLISH}.en.txt"
    text, moved = rendered(typed, ".en.txt"), rendered(new, ".en.txt")
    assert text.split(b"\n\n")[1] != moved.split(b"\n\n")[1]  # the edited one moved down
    assert kept(name, text, moved, built)
    assert not kept(name, text, rendered(built, ".en.txt"), built)


def test_the_readme_held_line_is_what_the_build_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's example showed SEGMENT and no rows for an en.txt edit; the build names the
    sentences of the edited paragraph (held_line)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    build_corpus(root, provider=FakeProvider())
    text = root / "english" / f"{ENGLISH}.en.txt"
    text.write_bytes(text.read_bytes().replace(b"Sometimes", b"SOMETIMES", 1))
    printed = [x for x in build_corpus(root, provider=FakeProvider()).lines() if "held:" in x]
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    example = " ".join(printed[0].replace(ENGLISH, "001_x").split())
    assert f"`{example}`" in readme, example
