"""A build without a document's model keeps its English when only recorded parts changed.

A toolkit upgrade, a library upgrade, a setting or the glossary changes every document's
fingerprint. On a machine without the models (a reviewer's checkout) the next build used to
rebuild every translated document into "needs model" and delete its English. Now the English
is kept and named stale (build summary and ``toolkit status``), and a build with the model
rebuilds it. A changed original or changed corrections still rebuild (the English would
describe other bytes, or miss the correction): ``tests/test_build.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit.config.build import BuildConfig
from toolkit.config.qa import QaConfig
from toolkit.corpus.formats import read_manifest, read_meta
from toolkit.glossary.model import Glossary, GlossaryEntry
from toolkit.pipeline import fingerprint
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.fingerprint import recorded_fingerprint
from toolkit.pipeline.provenance import versions
from toolkit.pipeline.status import DocumentStatus, corpus_status

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"
WITHOUT_DE = ("nl",)  # a provider with the nl→en model only


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    build_corpus(root, provider=FakeProvider())
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "english").iterdir())}


def test_every_fingerprint_can_be_re_derived_from_its_meta_json(corpus: Path) -> None:
    # The invariant the "kept, stale" decision rests on: from what a meta.json records and
    # the corrections as they are, recorded_fingerprint gives the manifest's fingerprint.
    manifest = read_manifest(corpus / "manifest.jsonl")
    assert len(manifest) == 4
    for doc, entry in manifest.items():
        record = read_meta(corpus / "english" / f"{doc}.meta.json")
        assert recorded_fingerprint(record, "") == entry.fingerprint, doc
        assert recorded_fingerprint(record, "0" * 64) != entry.fingerprint, doc


def _upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    moved = {**versions(), "ftfy": "99.0"}
    monkeypatch.setattr(fingerprint, "versions", lambda: moved)
    monkeypatch.setattr("toolkit.pipeline.stale.versions", lambda: moved)


@pytest.mark.parametrize("change", ["settings", "versions", "glossary"])
def test_without_the_model_a_stale_document_keeps_its_english_and_says_so(
    corpus: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(corpus)
    config, glossary = BuildConfig(), None
    if change == "settings":
        config = BuildConfig(qa=QaConfig(language_min_chars=41))
    elif change == "versions":
        _upgrade(monkeypatch)
    else:
        glossary = Glossary.from_entries([GlossaryEntry(term="Nobu", kind="brand")])
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_DE), config=config,
                           glossary=glossary)  # fmt: skip
    message = summary.needs_model[GERMAN]
    assert summary.exit_code == 3 and GERMAN not in summary.built, summary.lines()
    assert "the English of its last build is kept, stale" in message
    assert {"settings": "settings changed", "versions": "versions changed (ftfy",
            "glossary": "glossary changed"}[change] in message  # fmt: skip
    assert "toolkit models install de en" in message
    assert _files(corpus)[f"{GERMAN}.en.txt"] == before[f"{GERMAN}.en.txt"]
    assert read_manifest(corpus / "manifest.jsonl")[GERMAN].status == "built"
    # With the model, the stale document is rebuilt.
    again = build_corpus(corpus, provider=FakeProvider(), config=config, glossary=glossary)
    assert GERMAN in again.built and again.exit_code == 0


def test_status_calls_a_kept_stale_document_stale(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _upgrade(monkeypatch)
    german = _german_status_without_de(corpus, monkeypatch)
    assert german.state == "stale"
    assert "kept, stale (versions changed (ftfy" in german.message
    assert "toolkit models install de en" in german.message


def test_status_says_before_a_build_that_it_would_remove_english(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An edited original without its model: the build removes its old English (it describes
    # other text). status said only "out of date", and the build warned after deleting.
    original = corpus / "original" / f"{GERMAN}.txt"
    original.write_text(original.read_text(encoding="utf-8") + "\nNoch ein Satz.\n",
                        encoding="utf-8")  # fmt: skip
    german = _german_status_without_de(corpus, monkeypatch)
    assert german.state == "out of date"
    assert "a build removes that build's English" in german.message
    assert (corpus / "english" / f"{GERMAN}.en.txt").exists()  # status changed nothing


def _german_status_without_de(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> DocumentStatus:
    """The German document's ``toolkit status`` row on a machine without the de→en model
    (status plans with an ArgosProvider of its own: here a fake one with nl→en only)."""
    monkeypatch.setattr(
        "toolkit.translation.provider.ArgosProvider", lambda **_: FakeProvider(WITHOUT_DE)
    )
    rows, _ = corpus_status(corpus)
    return next(r for r in rows if r.document == GERMAN)
