"""A document whose original is gone and whose English changed by hand in no English (or lost
an output): the snapshot readers (export, review, qa) say what status says and the next build
does (:func:`toolkit.corpus.gone.gone_fate`: it removes its English). They said "changed
since build (edited or removed by hand?); run `toolkit build`" of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit.corpus.formats import manifest_text, parse_manifest
from toolkit.corpus.gone import NO_ORIGINAL, gone_fate
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.snapshot import read_snapshot
from toolkit.pipeline.build import build_corpus

DUTCH = "002_d2e9b11a68fdacb0"


@pytest.mark.parametrize("change", ["spacing", "deleted"])
def test_a_gone_document_changed_in_no_english_is_said_as_the_build_does(
    fake_built_corpus: Path, change: str
) -> None:
    corpus = fake_built_corpus
    english = corpus / "english" / f"{DUTCH}.en.txt"
    if change == "deleted":
        english.unlink()
    else:
        english.write_bytes(english.read_bytes().replace(b". ", b".\n", 1))
    (corpus / "original" / f"{DUTCH}.txt").unlink()
    said = read_snapshot(corpus).changed[DUTCH]
    assert NO_ORIGINAL in said and "run `toolkit build" not in said, said
    paths = CorpusPaths(corpus)
    entry = parse_manifest(manifest_text(paths.manifest) or "", paths.manifest, [])[DUTCH]
    assert gone_fate(paths, entry)[1] in said  # status's line
    summary = build_corpus(corpus, provider=FakeProvider())  # what it says: removed
    assert not summary.held and not english.exists(), summary.lines()
