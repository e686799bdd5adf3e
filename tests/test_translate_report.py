"""``toolkit translate`` accounts for every paragraph and says what QA found.

It dropped a boilerplate paragraph ("Foto: Reuters") without a word, in text and JSON, and
its text mode said only "1 file translated" of sentences QA flagged (the newcomer tester,
session 8). It also refused stdin without a file name, unlike clean, detect and segment.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import ROOT

from toolkit.cli.app import cli

ARTICLE = (
    "The council met on Monday. It decided to build a new bridge over the river.\n\n"
    "Foto: Reuters\n\n"
    "The mayor said the work would start next year and last two years.\n"
)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No Argos packages, a private cache home, and tmp_path as the working directory."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_removed_paragraph_is_named_in_text_and_json(offline: Path) -> None:
    (offline / "a.txt").write_text(ARTICLE, encoding="utf-8")
    text = CliRunner().invoke(cli, ["translate", "a.txt"])
    assert text.exit_code == 0
    assert len(text.stdout.splitlines()) == 2  # three paragraphs, one removed: and said so
    said = "toolkit: a.txt: removed [photo-credit] paragraph 2, not translated: Foto: Reuters"
    assert said in text.stderr.splitlines()
    as_json = CliRunner().invoke(cli, ["translate", "--format", "json", "a.txt"])
    removed = json.loads(as_json.stdout)[0]["removed"]
    assert removed == [{"rule": "photo-credit", "text": "Foto: Reuters", "paragraph": 2}]


def test_no_file_reads_standard_input_as_clean_detect_and_segment_do(offline: Path) -> None:
    piped = CliRunner().invoke(cli, ["translate"], input=ARTICLE)
    dash = CliRunner().invoke(cli, ["translate", "-"], input=ARTICLE)
    assert piped.exit_code == 0 and piped.stdout == dash.stdout and piped.stdout
    assert "<stdin>: removed [photo-credit]" in piped.stderr


def test_the_summary_counts_the_sentences_qa_flagged(
    offline: Path, tiny_package_file: Path
) -> None:
    from toolkit.translation.install import install_from_file

    install_from_file(tiny_package_file, offline / "packages")
    shutil.copy(ROOT / "corpus" / "original" / "000_de546ec99307b48e.txt", offline / "de.txt")
    as_json = CliRunner().invoke(cli, ["translate", "--format", "json", "de.txt"])
    flagged = sum(1 for s in json.loads(as_json.stdout)[0]["segments"] if s["flags"])
    assert flagged  # the tiny model's English is poor: QA flags some of it
    text = CliRunner().invoke(cli, ["translate", "de.txt"])
    summary = text.stderr.splitlines()[-1]
    assert re.search(rf"; {flagged} sentences? flagged by QA \(--format tsv or json", summary)
    assert re.match(r"1 file translated: 0 sentences translated, \d+ cached", summary)


def test_one_sentence_is_one_sentence(offline: Path) -> None:
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.pipeline.translate_files import TranslatedFiles

    done = TranslatedFiles(summary=BuildSummary(sentences_translated=1, sentences_reused=1))
    line = "0 files translated: 1 sentence translated, 0 cached, 1 repeat reused"
    assert done.summary_line() == line
