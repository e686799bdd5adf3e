"""Every command that says whether a document's English is current says it the same way,
from the same options (``status``, ``export``, the build itself).

``export`` had no ``--glossary`` / ``--no-glossary`` / ``--packages-dir``: a corpus always
built with ``--glossary OTHER`` got a "stale" warning for every exported document.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.glossary.discover import discover_glossary
from toolkit.pipeline.build import build_corpus

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ("001_cb2e6261cd7f216a", "003_c4a4f06c737cf0af")
OTHER = "version: 1\nentries:\n  - term: Zzyzx Road\n    kind: place\n"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two English articles, no models installed, a glossary.yaml in the corpus and
    another one (``other.yaml``) beside it."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for doc in ENGLISH:
        shutil.copy(ROOT / "corpus" / "original" / f"{doc}.txt", root / "original")
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    (tmp_path / "other.yaml").write_text(OTHER, encoding="utf-8")
    return root


def _export(corpus: Path, *options: str) -> str:
    """stderr of exporting every pair of ``corpus`` (English ones included) as TSV."""
    out = corpus.parent / "all.tsv"
    args = ["export", "--corpus", str(corpus), "--format", "tsv", "-o", str(out)]
    args += ["--include-flagged", "--include-english", *options]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.mark.parametrize("built_with", [["--glossary", "OTHER"], ["--no-glossary"]])
def test_export_checks_staleness_with_the_glossary_it_is_given(
    corpus: Path, built_with: list[str]
) -> None:
    options = [str(corpus.parent / "other.yaml") if o == "OTHER" else o for o in built_with]
    explicit = Path(options[1]) if len(options) == 2 else None
    glossary = discover_glossary(corpus, explicit, disabled=explicit is None).load()
    assert build_corpus(corpus, provider=FakeProvider(), glossary=glossary).exit_code == 0
    # Without the option: the corpus's own glossary.yaml, not what it is built with.
    assert "stale: glossary changed" in _export(corpus)
    # With the glossary it is built with: nothing is stale.
    assert "exported as last built" not in _export(corpus, *options)


def test_export_passes_its_packages_dir_to_the_staleness_check(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    seen: list[Any] = []

    def stale_documents(root: Path, docs: set[str], packages_dir: Any, glossary: Any) -> dict:
        seen.append(packages_dir)
        return {}

    monkeypatch.setattr("toolkit.pipeline.status.stale_documents", stale_documents)
    _export(corpus, "--packages-dir", str(corpus.parent / "models"))
    assert seen == [corpus.parent / "models"]


def test_export_with_a_glossary_file_that_is_not_there_fails(corpus: Path) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    out = corpus.parent / "all.tsv"
    args = ["export", "--corpus", str(corpus), "--format", "tsv", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--glossary", str(corpus.parent / "typo.yaml")])
    assert result.exit_code == 1 and "typo.yaml" in result.stderr, result.output
    assert not out.exists()


@pytest.mark.parametrize("option", ["--packages-dir", "--glossary", "--no-glossary"])
def test_build_status_and_export_share_each_option(option: str) -> None:
    # One owner (the shared decorators of toolkit.cli.options): the same name, default and
    # help in every command that plans a build.
    def described(command: str) -> tuple[Any, ...]:
        (param,) = [p for p in cli.commands[command].params if option in p.opts]
        return param.name, param.default, getattr(param, "help", None)

    assert described("build") == described("status") == described("export")
