"""A build on a machine whose fastText language-id model is missing or broken.

The model names the language of a sentence that may leave its document's language; most
documents never need it. Before, the first such sentence aborted the whole build with one
line naming the model file but no document: every other document stayed unbuilt, and the
user could not tell which article needed the model.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit.pipeline import fingerprint
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.provenance import versions
from toolkit.prepare import langid_pool

ROOT = Path(__file__).resolve().parents[1]
MIXED = (
    "Die Bundesregierung hat am Dienstag ein neues Gesetz beschlossen. Der Minister sagte, "
    "das Gesetz werde im Frühjahr in Kraft treten.\n\n"
    "The minister said that the new law would take effect next spring, according to the "
    "statement. Die Opposition kritisierte den Entwurf scharf und kündigte Widerstand im "
    "Parlament an.\n"
)


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    gone = tmp_path / "gone" / "lid.176.ftz"
    langid_pool._model.cache_clear()
    monkeypatch.setattr(langid_pool, "model_path", lambda: gone)
    yield gone
    langid_pool._model.cache_clear()


def test_a_document_that_needs_the_model_fails_alone_naming_itself(
    tmp_path: Path, no_model: Path
) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    (root / "original" / "mixed.txt").write_text(MIXED, encoding="utf-8")
    summary = build_corpus(root, provider=FakeProvider())
    (doc, message), = summary.errors.items()
    assert message.startswith("original/mixed.txt: ") or message.startswith("mixed.txt: "), message
    assert str(no_model) in message and "pip install" in message and "\n" not in message
    assert len(summary.built) == 4 and summary.exit_code != 0
    assert not (root / "english" / f"{doc}.meta.json").exists()


def test_a_built_document_keeps_its_english_when_the_model_goes_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "mixed.txt").write_text(MIXED, encoding="utf-8")
    first = build_corpus(root, provider=FakeProvider())
    (doc,) = first.built
    before = {p.name: p.read_bytes() for p in (root / "english").iterdir()}
    # An upgrade changes every fingerprint, so the document is prepared again.
    moved = {**versions(), "ftfy": "99.0"}
    monkeypatch.setattr(fingerprint, "versions", lambda: moved)
    langid_pool._model.cache_clear()
    monkeypatch.setattr(langid_pool, "model_path", lambda: tmp_path / "gone.ftz")
    try:
        summary = build_corpus(root, provider=FakeProvider())
    finally:
        langid_pool._model.cache_clear()
    assert doc in summary.errors and "gone.ftz" in summary.errors[doc]
    assert {p.name: p.read_bytes() for p in (root / "english").iterdir()} == before
