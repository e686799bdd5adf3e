"""Messages that misled a newcomer (the tester's cosmetic findings, session 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.pipeline.summary import BuildSummary


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_empty_file_to_translate_is_not_called_nothing_to_build(here: Path) -> None:
    (here / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["translate", "empty.txt"])
    assert result.exit_code == 1
    said = "toolkit: error: empty.txt: is empty: no text to translate (add article text or remove"
    assert said in result.stderr and "build" not in result.stderr.split("error:")[1]


def test_one_repeat_is_one_repeat() -> None:
    assert BuildSummary(sentences_reused=1).lines()[0].endswith("0 cached, 1 repeat reused")


def test_an_empty_corpus_says_original_holds_no_articles(here: Path) -> None:
    assert CliRunner().invoke(cli, ["init", "corpus"]).exit_code == 0
    result = CliRunner().invoke(cli, ["build", "corpus"])
    assert result.exit_code == 0
    assert "original/ holds no articles: copy some into it (or toolkit add FILE)" in result.stdout
    (here / "corpus" / "original" / "a.txt").write_text("The council met on Monday.\n")
    assert "holds no articles" not in CliRunner().invoke(cli, ["build", "corpus"]).stdout


@pytest.mark.parametrize("folder", ["original", "english"])
def test_a_corpus_folder_given_as_the_corpus_names_the_corpus(here: Path, folder: str) -> None:
    (here / "corpus" / "original").mkdir(parents=True)
    (here / "corpus" / "english").mkdir()
    result = CliRunner().invoke(cli, ["build", f"corpus/{folder}"])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"; corpus/{folder} is a folder of the corpus corpus: did you mean corpus?\n"
    )
    elsewhere = CliRunner().invoke(cli, ["build", "nowhere"])
    assert "did you mean" not in elsewhere.stderr
