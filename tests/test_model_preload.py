"""The build starts loading a translation model as soon as a prepared document needs it, so
the load overlaps the preparation of the other documents (issue 19: the whole build within
5 % of raw CTranslate2); a build that needs no model still loads none."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from toolkit.config.translation import TranslationSettings
from toolkit.corpus.formats import read_meta
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageInfo
from toolkit.translation.provider import ArgosProvider

GERMAN = [
    "Die Stadt baut eine neue Brücke über den Fluss. Der Rat hat am Montag zugestimmt.",
    "Der Hund schläft im Garten. Die Kinder spielen im Park.",
    "Die Regierung hat neue Regeln beschlossen. Sie gelten ab dem ersten Januar.",
]
ENGLISH = "The council met on Monday. It agreed to build a new bridge over the river."


@pytest.fixture(scope="module")
def packages(tiny_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("packages")
    install_from_file(tiny_package_file, directory)
    return directory


def corpus_of(root: Path, texts: list[str]) -> Path:
    (root / "original").mkdir(parents=True)
    for i, text in enumerate(texts):
        (root / "original" / f"doc{i}.txt").write_text(text, encoding="utf-8")
    return root


class HeldLoadProvider(ArgosProvider):
    """Its model load, wherever it runs, says it started and then waits for ``release``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.load_started = threading.Event()
        self.release = threading.Event()
        self.loads = 0

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        self.loads += 1
        self.load_started.set()
        self.release.wait()
        return super()._load(package, settings)


def test_the_model_loads_while_the_other_documents_are_prepared(
    packages: Path, tmp_path: Path
) -> None:
    provider = HeldLoadProvider(packages_dir=packages, cache_dir=None)
    loading_before_preparation_ended: list[bool] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "prepare" and done == total:
            # Without the preload the load starts only after this: the wait runs out.
            loading_before_preparation_ended.append(provider.load_started.wait(timeout=30))
            provider.release.set()

    root = corpus_of(tmp_path / "held", GERMAN)
    summary = build_corpus(root, provider=provider, glossary=Glossary.empty(), progress=progress)
    provider.close()
    assert loading_before_preparation_ended == [True] and provider.loads == 1
    assert sorted(summary.built) == ["doc0", "doc1", "doc2"]
    # The same English as a build whose model loads when the translation step asks for it.
    plain = ArgosProvider(packages_dir=packages, cache_dir=None)
    reference = corpus_of(tmp_path / "plain", GERMAN)
    build_corpus(reference, provider=plain, glossary=Glossary.empty())
    plain.close()
    for doc in summary.built:
        assert (root / "english" / f"{doc}.en.txt").read_bytes() == (
            reference / "english" / f"{doc}.en.txt"
        ).read_bytes()
        assert read_meta(root / "english" / f"{doc}.meta.json").translation is not None


def test_a_build_of_english_documents_loads_no_model(packages: Path, tmp_path: Path) -> None:
    provider = HeldLoadProvider(packages_dir=packages, cache_dir=None)
    provider.release.set()
    root = corpus_of(tmp_path / "english", [ENGLISH, ENGLISH.replace("Monday", "Tuesday")])
    summary = build_corpus(root, provider=provider, glossary=Glossary.empty())
    provider.close()
    assert sorted(summary.built) == ["doc0", "doc1"] and provider.loads == 0


def test_a_preload_with_settings_the_build_then_changes_is_not_used(packages: Path) -> None:
    provider = HeldLoadProvider(packages_dir=packages, cache_dir=None)
    provider.release.set()
    provider.preload("de", "en")
    provider.use_settings(TranslationSettings(beam_size=2))
    translator, _info = provider.translator("de", "en")
    provider.close()
    assert provider.loads == 2  # the preloaded model had beam 4: loaded again
    assert translator.inner.settings.beam_size == 2
