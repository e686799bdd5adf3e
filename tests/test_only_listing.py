"""Which documents are there is answered once, from one listing of ``original/``: the build's
plan asks :func:`toolkit.corpus.originals.articles_and_held` as the readers do
(:func:`toolkit.corpus.gone.present_documents`), and ``--only`` checks its names against the
listing it already made (issue 19: a ``--only`` build listed ``original/`` three times, the
CLI's check twice more, each name ``lstat``-ed every time)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import test_removal
from fakes import FakeProvider
from test_removal import _article

from toolkit.config.build import BuildConfig
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.gone import present_documents, present_ids
from toolkit.corpus.originals import scan_originals
from toolkit.corpus.paths import CorpusPaths
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.plan import plan_build
from toolkit.pipeline.summary import BuildSummary

corpus = test_removal.corpus  # six built English articles


def _listings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every listing of an ``original/`` folder from now on (``Path.iterdir``, which
    :func:`~toolkit.corpus.originals.scan_originals` lists with), in a list."""
    listed: list[Path] = []
    iterdir = Path.iterdir

    def counting(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "original":
            listed.append(self)
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", counting)
    return listed


def test_a_build_with_only_lists_original_once_for_its_names_and_once_to_plan(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _listings(monkeypatch)
    summary = build_corpus(corpus, provider=FakeProvider(), only=["bridge.txt", "market"])
    assert summary.up_to_date == ["bridge", "market"]
    assert len(listed) == 2  # only_named's check (its gone documents and names), the plan


def test_only_of_an_nfd_name_and_a_gone_document_reads_one_listing(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names still matched as before on the shared listing: an NFD original by its NFC
    name, and a gone document by its id."""
    (corpus / "original" / "school.txt").unlink()  # gone
    nfd = unicodedata.normalize("NFD", "café.txt")
    (corpus / "original" / nfd).write_text(_article("café"), encoding="utf-8")
    listed = _listings(monkeypatch)
    summary = build_corpus(corpus, provider=FakeProvider(), only=["café", "school"])
    assert f"original/{nfd}" in summary.errors  # selected, refused for its NFD name
    assert summary.gone == ["school"]
    assert len(listed) == 2


@pytest.mark.parametrize("renamed", [".bridge.txt", "Bridge.txt", "BRIDGE.txt"])
def test_the_plan_and_the_readers_find_the_same_documents_there(
    corpus: Path, renamed: str
) -> None:
    """Odd names -- the built ``bridge.txt`` hidden or in other case (held), an NFC/NFD twin,
    a deleted original -- give one answer: a built document is there for the plan (what the
    build removes) exactly when it is for the readers."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / renamed)
    (original / "school.txt").unlink()
    for form in ("NFC", "NFD"):
        name = unicodedata.normalize(form, "café.txt")
        (original / name).write_text(_article(f"café {form}"), encoding="utf-8")
    paths = CorpusPaths(corpus)
    manifest = read_manifest(paths.manifest)
    built = [(doc, entry.input) for doc, entry in manifest.items()]
    listing = scan_originals(paths)
    readers = present_documents(listing, built)
    plan = plan_build(paths, BuildConfig(), FakeProvider(), Glossary(), BuildSummary())
    there = present_ids(plan.present, plan.held)
    assert {d for d in manifest if d in there} == {d for d in manifest if d in readers}
    assert set(manifest) - there == {"school"} and "bridge" in plan.held
