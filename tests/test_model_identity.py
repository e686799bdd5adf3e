"""A model's identity covers every file that shapes its output, not only its weights.

It hashed ``model/model.bin`` only: a package whose ``sentencepiece.model`` changed kept its
identity, so a build called the old English current and the translation cache served
translations made with the old tokenizer. Built with a tiny real package (tests/support).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import seed_texts
from support.argos_package import train_sentencepiece

from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.summary import BuildSummary
from toolkit.translation import provider as argos
from toolkit.translation.install import install_from_file

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"


@pytest.fixture
def corpus(tmp_path: Path, tiny_package_file: Path) -> Path:
    """A corpus with the German seed, built once with the tiny de→en package."""
    install_from_file(tiny_package_file, tmp_path / "packages")
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "original" / f"{GERMAN}.txt", tmp_path / "corpus" / "original")
    return tmp_path / "corpus"


def build(corpus: Path, packages: str = "packages") -> BuildSummary:
    """A build as a new ``toolkit build`` process runs it (a fresh provider, the cache on)."""
    provider = argos.ArgosProvider(
        packages_dir=corpus.parent / packages, cache_dir=corpus / ".cache"
    )
    try:
        return build_corpus(corpus, provider=provider)
    finally:
        provider.close()


def test_a_new_tokenizer_alone_makes_the_build_translate_again(corpus: Path) -> None:
    first = build(corpus)
    assert first.built == [GERMAN] and first.sentences_translated > 0, first.lines()
    assert build(corpus).up_to_date == [GERMAN]
    (sp_model,) = (corpus.parent / "packages").glob("*/sentencepiece.model")
    sp_model.write_bytes(train_sentencepiece(seed_texts(), 200))  # only the tokenizer
    again = build(corpus)
    assert again.built == [GERMAN], again.lines()
    # Decoded by the model again: nothing from the cache the old tokenizer filled.
    assert again.sentences_cached == 0 and again.sentences_translated > 0


def weights_only(make: Any) -> Any:
    """``make`` (model_identity or model_provenance) as it was before files_sha256."""
    return lambda *args: {k: v for k, v in make(*args).items() if k != "files_sha256"}


def test_english_recorded_with_a_weights_only_identity(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A corpus built before the identity covered the tokenizer: without the model its
    English is kept as before (the model is the only difference); with the model installed
    it is translated again, once, not served from the old cache namespace."""
    with monkeypatch.context() as old:
        old.setattr(argos, "model_identity", weights_only(argos.model_identity))
        old.setattr(argos, "model_provenance", weights_only(argos.model_provenance))
        assert build(corpus).built == [GERMAN]
    meta_path = corpus / "english" / f"{GERMAN}.meta.json"
    recorded = read_meta(meta_path).translation
    assert recorded is not None and recorded.files_sha256 is None
    meta = meta_path.read_text(encoding="utf-8")
    without = build(corpus, packages="no-packages")
    assert without.needs_model and "English of its last build is kept" in str(
        without.needs_model[GERMAN]
    )
    assert meta_path.read_text(encoding="utf-8") == meta
    upgraded = build(corpus)
    assert upgraded.built == [GERMAN], upgraded.lines()
    assert upgraded.sentences_cached == 0 and upgraded.sentences_translated > 0
    assert build(corpus).up_to_date == [GERMAN]


def test_a_fifo_in_the_model_folder_stops_the_build_with_one_line(corpus: Path) -> None:
    # The model's preload thread opened it in CTranslate2 and blocked forever: `toolkit build`
    # hung, and SIGTERM could not stop it (attack finding). Now the package's files are
    # listed before anything opens them.
    import os
    import subprocess
    import sys

    (model,) = (corpus.parent / "packages").glob("*/model")
    (model / "shared_vocabulary.json").unlink(missing_ok=True)
    os.mkfifo(model / "shared_vocabulary.json")
    out = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", "build", str(corpus), "--no-glossary"],
        env={**os.environ, "ARGOS_PACKAGES_DIR": str(corpus.parent / "packages")},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert out.stderr.strip().endswith(
        "model/shared_vocabulary.json is not a regular file (a FIFO, a device or a broken "
        "link: reading it could block forever); reinstall the package"
    )
