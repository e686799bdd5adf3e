"""``toolkit status`` says ``stale`` (and why) of every document a build would rebuild.

It compared input hashes only: a changed glossary, ``corpus/settings.yaml`` or model still
showed ``built``, and the next build rebuilt documents status had called current. Status
now asks the build's own plan, and names what changed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import seed_texts
from fakes import FakeProvider
from support.argos_package import train_sentencepiece
from test_model_identity import build, weights_only

from toolkit.cli.app import cli
from toolkit.corpus.corrections import Correction, corrections_path, render_corrections
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.provenance import versions
from toolkit.pipeline.status import corpus_status
from toolkit.translation import provider as argos
from toolkit.translation.install import install_from_file

ROOT = Path(__file__).resolve().parents[1]
ORIGINALS = ROOT / "corpus" / "original"
GERMAN = "000_de546ec99307b48e"
ENGLISH = "001_cb2e6261cd7f216a"
GLOSSARY = "version: 1\nentries:\n  - term: Kim Kardashian\n    kind: person\n"


@pytest.fixture
def english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An English article built with the corpus's glossary, no models installed."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", tmp_path / "corpus" / "original")
    (tmp_path / "corpus" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    assert build_corpus(tmp_path / "corpus", provider=FakeProvider()).built == [ENGLISH]
    return tmp_path / "corpus"


def state(corpus: Path, **given: Any) -> tuple[str, str]:
    """The (state, message) status gives the one document of ``corpus``."""
    rows, _ = corpus_status(corpus, **given)
    (row,) = rows
    return row.state, row.message


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("glossary.yaml", "stale: glossary changed"),
        ("settings.yaml", "stale: settings changed"),
    ],
)
def test_a_changed_glossary_or_setting_is_stale_until_the_next_build(
    english: Path, change: str, reason: str
) -> None:
    assert state(english) == ("built", "")
    if change == "glossary.yaml":
        extra = "  - term: Kanye West\n    kind: person\n"
        (english / change).write_text(GLOSSARY + extra, encoding="utf-8")
    else:
        (english / change).write_text(f"encodings:\n  {ENGLISH}.txt: utf-8\n", encoding="utf-8")
    found, message = state(english)
    assert found == "stale" and message.startswith(reason), message
    assert "toolkit build rebuilds it" in message
    summary = build_corpus(english, provider=FakeProvider())
    assert summary.built == [ENGLISH], summary.lines()  # the build agrees: it was stale
    assert state(english) == ("built", "")


def test_the_cli_names_why_a_document_is_stale(english: Path) -> None:
    (english / "glossary.yaml").write_text(GLOSSARY.replace("Kim", "Khloé"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", str(english)])
    assert result.exit_code == 0, result.output
    assert f"{ENGLISH}\ten\tstale\t" in result.stdout
    assert f"{ENGLISH}: stale: glossary changed; toolkit build rebuilds it" in result.stderr
    # The glossary a build is given is the one status is given.
    same = CliRunner().invoke(cli, ["status", str(english), "--glossary", str(ROOT / "x.yaml")])
    assert same.exit_code == 1 and "x.yaml" in same.stderr


@pytest.fixture
def german(tmp_path: Path, tiny_package_file: Path) -> Path:
    """The German article built with the tiny de→en package (tests/support)."""
    install_from_file(tiny_package_file, tmp_path / "packages")
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ORIGINALS / f"{GERMAN}.txt", tmp_path / "corpus" / "original")
    return tmp_path / "corpus"


def test_a_changed_model_is_stale_and_a_missing_one_keeps_the_english(german: Path) -> None:
    packages = german.parent / "packages"
    assert build(german).built == [GERMAN]
    assert state(german, packages_dir=packages) == ("built", "")
    found, message = state(german, packages_dir=german.parent / "no-packages")
    assert found == "needs model" and "English of its last build is kept" in message
    (sp_model,) = packages.glob("*/sentencepiece.model")
    sp_model.write_bytes(train_sentencepiece(seed_texts(), 200))
    found, message = state(german, packages_dir=packages)
    assert (found, message) == ("stale", "stale: model changed; toolkit build rebuilds it")
    assert build(german).built == [GERMAN]


def test_a_weights_only_identity_is_named_stale_where_the_model_is_installed(
    german: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old:
        old.setattr(argos, "model_identity", weights_only(argos.model_identity))
        old.setattr(argos, "model_provenance", weights_only(argos.model_provenance))
        assert build(german).built == [GERMAN]
    found, message = state(german, packages_dir=german.parent / "packages")
    assert found == "stale" and "recorded by an older toolkit" in message
    assert state(german, packages_dir=german.parent / "no-packages")[0] == "needs model"


def test_a_corrections_file_added_or_removed_is_named(english: Path) -> None:
    gone = hashlib.sha256(b"Gone.").hexdigest()
    row = Correction(source_sha256=gone, source="Gone.", english="x", author="a", time="t")
    path = corrections_path(english, ENGLISH)
    path.parent.mkdir()
    path.write_text(render_corrections([row]), encoding="utf-8")
    assert state(english)[1].startswith("stale: corrections changed;")
    assert build_corpus(english, provider=FakeProvider()).built == [ENGLISH]
    path.unlink()
    assert state(english)[1].startswith("stale: its corrections file was removed")


def test_a_new_library_version_is_named(english: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.pipeline import fingerprint, stale

    now = {**versions(), "ftfy": "99.0"}
    monkeypatch.setattr(fingerprint, "versions", lambda: now)
    monkeypatch.setattr(stale, "versions", lambda: now)
    found, message = state(english)
    assert found == "stale" and f"versions changed (ftfy {versions()['ftfy']} -> 99.0)" in message


def test_status_counts_what_a_build_without_the_model_counts(german: Path) -> None:
    """A built document whose model is missing here: the build says it needs a model (exit
    3); status's state column and summary say the same, not `built`."""
    assert build(german).built == [GERMAN]
    status = CliRunner().invoke(
        cli, ["status", str(german), "--packages-dir", str(german.parent / "no-packages")]
    )
    assert f"{GERMAN}\tde\tneeds model\t" in status.output, status.output
    assert "1 document: 1 needs model" in status.output
    summary = build(german, "no-packages")
    assert list(summary.needs_model) == [GERMAN] and summary.exit_code == 3
