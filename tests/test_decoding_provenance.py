"""The decoding settings a build records and fingerprints are the ones the model decodes with.

``BuildConfig.translation`` is their one owner: the build hands it to the provider before
any model is loaded or identified. Checked through the tiny real Argos package, with
CTranslate2's ``translate_batch`` recorded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, ClassVar

import ctranslate2
import pytest

from toolkit.config.build import BuildConfig
from toolkit.config.translation import TranslationSettings
from toolkit.corpus.formats import read_manifest
from toolkit.errors import ToolkitError
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.fingerprint import document_fingerprint
from toolkit.translation.install import install_from_file
from toolkit.translation.provider import ArgosProvider

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"
NON_DEFAULT = TranslationSettings(beam_size=2, length_penalty=0.5, max_decoding_length=64)


class RecordingTranslator:
    """``ctranslate2.Translator`` that records the keyword arguments of every decode call."""

    calls: ClassVar[list[dict[str, Any]]] = []
    real = ctranslate2.Translator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._inner = self.real(*args, **kwargs)

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return self._inner.translate_batch(*args, **kwargs)


@pytest.fixture
def setup(tmp_path: Path, tiny_package_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus with the German seed and the tiny de→en package installed in tmp_path."""
    install_from_file(tiny_package_file, tmp_path / "packages")
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "original" / f"{GERMAN}.txt", tmp_path / "corpus" / "original")
    RecordingTranslator.calls = []
    monkeypatch.setattr(ctranslate2, "Translator", RecordingTranslator)
    return tmp_path


def _values(node: Any, key: str) -> list[Any]:
    """Every value stored under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        found = [node[key]] if key in node else []
        return found + [v for child in node.values() for v in _values(child, key)]
    if isinstance(node, list):
        return [v for child in node for v in _values(child, key)]
    return []


def test_the_model_decodes_with_the_recorded_and_fingerprinted_settings(setup: Path) -> None:
    corpus = setup / "corpus"
    config = BuildConfig(translation=NON_DEFAULT)
    provider = ArgosProvider(packages_dir=setup / "packages")
    summary = build_corpus(corpus, provider=provider, config=config)
    assert summary.built == [GERMAN], summary.lines()

    # The model saw them. Repair attempts (toolkit.translation.repair; they pass num_hypotheses)
    # decode
    # with the same settings except the beam of the recorded policy's n-best strategy.
    assert RecordingTranslator.calls
    for call in RecordingTranslator.calls:
        beam = NON_DEFAULT.beam_size
        if "num_hypotheses" in call and call["beam_size"] != beam:
            beam = NON_DEFAULT.repair.n_best
        assert (call["beam_size"], call["length_penalty"], call["max_decoding_length"]) == (
            beam,
            0.5,
            64,
        )
    # meta.json records them once (config.translation), with no second, different copy.
    meta = json.loads((corpus / "english" / f"{GERMAN}.meta.json").read_text(encoding="utf-8"))
    assert _values(meta, "beam_size") == [2]
    assert _values(meta, "length_penalty") == [0.5]
    assert meta["config"]["translation"] == NON_DEFAULT.model_dump(mode="json")
    assert meta["translation"]["package"] == "translate-de_en"
    # The fingerprint holds them too, in the model identity as in the configuration.
    identity = provider.identity("de", "en")
    assert identity is not None and identity["decoding"] == NON_DEFAULT.decoding()
    entry = read_manifest(corpus / "manifest.jsonl")[GERMAN]
    assert entry.fingerprint == document_fingerprint(config, Glossary.empty(), identity)


def test_a_provider_created_with_other_settings_refuses_the_build(setup: Path) -> None:
    corpus = setup / "corpus"
    provider = ArgosProvider(packages_dir=setup / "packages", settings=TranslationSettings())
    with pytest.raises(ToolkitError, match=r"beam_size 4 vs 2"):
        build_corpus(corpus, provider=provider, config=BuildConfig(translation=NON_DEFAULT))
    assert not RecordingTranslator.calls
    assert not (corpus / "english").exists()


def test_one_provider_follows_each_builds_settings(setup: Path) -> None:
    """A provider created without settings reloads its model when a build's settings change."""
    corpus = setup / "corpus"
    provider = ArgosProvider(packages_dir=setup / "packages")
    build_corpus(corpus, provider=provider, config=BuildConfig())
    assert {c["beam_size"] for c in RecordingTranslator.calls} == {4}
    RecordingTranslator.calls = []
    summary = build_corpus(corpus, provider=provider, config=BuildConfig(translation=NON_DEFAULT))
    assert summary.built == [GERMAN]  # a new fingerprint: rebuilt
    # Plain decodes use the new beam; only the repair policy's n-best attempts use its own.
    assert {c["beam_size"] for c in RecordingTranslator.calls if "num_hypotheses" not in c} == {2}
