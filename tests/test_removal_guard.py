"""The removal guard counts what a build would lose, and refuses before it translates: a
document waiting for a model has no English to lose, and a refusal after hours of
translation ("nothing was removed") threw that work away."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_removal
from test_removal import TOPICS, _article, _build, _english

from toolkit.corpus.formats import read_manifest
from toolkit.errors import CorpusError

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
