"""A corpus with nothing built yet is one line, the same from every command that reads a
build (:func:`toolkit.corpus.paths.nothing_built`): correct, review and export worded "build
first" three ways (``no such directory``, ``no manifest.jsonl``, ``no english/ folder``;
attack findings, session 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli

LINE = (
    "toolkit: error: corpus: no built documents; build the corpus first: run toolkit build corpus\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["correct", "000", "1", "Some English."],
        ["review", "000"],
        ["review", "--html", "out.html"],
        ["export", "--format", "tmx", "-o", "out.tmx"],
        ["qa"],
        ["qa", "--calibrate-confidence"],
    ],
)
def test_a_never_built_corpus_is_one_line_from_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    (tmp_path / "corpus" / "original" / "000.txt").write_text("Ein Satz.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args, prog_name="toolkit")
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(LINE), result.stderr
    assert result.stderr.count("toolkit: error:") == 1
