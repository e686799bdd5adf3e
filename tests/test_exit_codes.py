"""What ``--help`` says a command exits with is what it exits with.

``toolkit build --help`` said "130 interrupted by Ctrl-C, SIGTERM or SIGHUP" (a build exits
143 for SIGTERM, 129 for SIGHUP) and ``toolkit status --help`` "Exits 0" (it exits 1 on an
error): each status a command is made to exit with here must be the one its --help gives
for that case (:mod:`toolkit.cli.exits`, the one owner of that text).
"""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import ROOT

from toolkit.cli.app import cli
from toolkit.interrupts import Terminated
from toolkit.pipeline.run import BuildInterrupted

ORIGINALS = ROOT / "corpus" / "original"
ENGLISH = "001_cb2e6261cd7f216a.txt"
GERMAN = "000_de546ec99307b48e.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
SIGNALS = {"Ctrl-C": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}


def help_exits(command: str) -> dict[str, int]:
    """``--help``'s ``Exit status:`` paragraph as {meaning's first words: status}, and each
    signal's status under its name."""
    words = ["glossary", "check"] if command == "glossary" else [command]
    text = " ".join(CliRunner().invoke(cli, [*words, "--help"]).stdout.split())
    assert "Exit status: " in text, f"{command} --help names no exit status"
    paragraph = text.split("Exit status: ", 1)[1]
    exits = {name: int(code) for code, name in re.findall(r"(\d+) (Ctrl-C|SIGTERM|SIGHUP)", text)}
    for part in paragraph.split("; "):
        code, meaning = part.split(" ", 1)
        if code.isdigit():
            exits[" ".join(meaning.split()[:3])] = int(code)
            exits[" ".join(meaning.split()[:2])] = int(code)
    return exits


@pytest.fixture
def corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An English article in a corpus, no models installed, tmp_path the working directory."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ORIGINALS / ENGLISH, tmp_path / "corpus" / "original")
    return tmp_path / "corpus"


def test_build_exits_with_what_its_help_says(corpus: Path) -> None:
    exits, runner = help_exits("build"), CliRunner()
    assert runner.invoke(cli, ["build", str(corpus)]).exit_code == exits["every document built"]
    shutil.copy(ORIGINALS / GERMAN, corpus / "original")
    waiting = runner.invoke(cli, ["build", str(corpus)]).exit_code
    assert waiting == exits["some documents wait"]
    (corpus / "original" / "photo.txt").write_bytes(PNG)
    assert runner.invoke(cli, ["build", str(corpus)]).exit_code == exits["some documents failed,"]
    assert runner.invoke(cli, ["build", "--nope"]).exit_code == exits["a usage error"]


@pytest.mark.parametrize("name", SIGNALS)
def test_an_interrupted_build_exits_with_what_its_help_says(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    def stopped(*args: object, **kwargs: object) -> None:
        raise BuildInterrupted(3, SIGNALS[name])

    monkeypatch.setattr("toolkit.pipeline.run.run_build", stopped)
    assert CliRunner().invoke(cli, ["build", str(corpus)]).exit_code == help_exits("build")[name]


@pytest.mark.parametrize("name", SIGNALS)
def test_status_exits_with_what_its_help_says(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    exits, runner = help_exits("status"), CliRunner()
    assert runner.invoke(cli, ["status", str(corpus)]).exit_code == exits["the table printed"]
    missing = runner.invoke(cli, ["status", str(corpus), "--glossary", "nope.yaml"])
    assert missing.exit_code == exits["the corpus, its"]

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt if SIGNALS[name] == signal.SIGINT else Terminated(SIGNALS[name])

    monkeypatch.setattr("toolkit.pipeline.status.corpus_status", stopped)
    assert runner.invoke(cli, ["status", str(corpus)]).exit_code == exits[name]


def test_translate_exits_with_what_its_help_says(corpus: Path) -> None:
    exits, runner = help_exits("translate"), CliRunner()
    english, german = corpus / "original" / ENGLISH, ORIGINALS / GERMAN
    assert runner.invoke(cli, ["translate", str(english)]).exit_code == exits["every file"]
    assert runner.invoke(cli, ["translate", str(german)]).exit_code == exits["some files wait"]
    (corpus / "photo.txt").write_bytes(PNG)
    failed = runner.invoke(cli, ["translate", str(english), str(corpus / "photo.txt")])
    assert failed.exit_code == exits["some files failed,"]


def test_qa_and_glossary_check_exit_with_what_their_help_says(corpus: Path) -> None:
    runner, qa, check = CliRunner(), help_exits("qa"), help_exits("glossary")
    unbuilt = runner.invoke(cli, ["qa", "--corpus", str(corpus), "--strict"])
    assert unbuilt.exit_code == qa["--strict and an"]  # "no built documents": one line
    assert runner.invoke(cli, ["build", str(corpus)]).exit_code == 0
    assert runner.invoke(cli, ["qa", "--corpus", str(corpus)]).exit_code == qa["the report printed"]
    checked = runner.invoke(cli, ["glossary", "check", "--corpus", str(corpus)])
    assert checked.exit_code == check["the glossary is"]


def test_every_exit_status_paragraph_gives_each_signal_its_own_status() -> None:
    from toolkit.interrupts import exit_status

    expected = {"Ctrl-C": exit_status(KeyboardInterrupt())}
    expected |= {name: exit_status(Terminated(SIGNALS[name])) for name in ("SIGTERM", "SIGHUP")}
    for command in ("build", "add", "status", "translate", "qa", "glossary", "correct"):
        exits = help_exits(command)
        assert {name: exits[name] for name in SIGNALS} == expected, command


def test_help_lists_the_signals_the_interrupt_handling_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``cli/exits.py`` kept its own list of signals beside :data:`toolkit.interrupts.SIGNALS`
    (one owner now): a signal taken or dropped there is one --help gives or leaves out."""
    import toolkit.interrupts as interrupts
    from toolkit.cli.exits import interrupted

    assert interrupted() == "130 Ctrl-C, 143 SIGTERM, 129 SIGHUP"
    monkeypatch.setattr(interrupts, "SIGNALS", (signal.SIGINT, signal.SIGTERM))
    assert interrupted() == "130 Ctrl-C, 143 SIGTERM"
