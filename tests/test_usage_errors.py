"""Click's usage errors are one ``toolkit: error:`` line, like every other error.

A bad flag, ``toolkit add DIR`` or ``review --html DIR`` printed click's four lines
(``Usage: ...``, ``Try ...``, a blank line, ``Error: ...``), not README's one line; and
``review --serve`` without a corpus said "give one with --corpus" of a command whose
syntax is ``--serve [CORPUS]`` (the newcomer tester, session 8).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["build", "--nope"], "build: no such option '--nope' (did you mean one of: "),
        (["add", "folder"], "add: invalid value for 'FILES...': File 'folder' is a directory"),
        (["review", "--html", "folder"], "review: invalid value for '--html': File 'folder'"),
        (["translate", "--from"], "translate: option '--from' requires an argument"),
        (["correct"], "correct: missing argument 'DOC'"),
        (["nope"], "no such command 'nope'"),
        (["--nope"], "no such option '--nope'"),
    ],
)
def test_a_usage_error_is_one_line_naming_where_help_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = CliRunner().invoke(cli, args, prog_name="toolkit")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    group_level = args[0].startswith("-") or args[0] == "nope"
    command = "toolkit" if group_level else f"toolkit {args[0]}"
    assert line.startswith(f"toolkit: error: {said}"), line
    assert line.endswith(f"; try '{command} --help'"), line


def test_review_serve_without_a_corpus_says_it_in_its_own_syntax(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["review", "--serve"], prog_name="toolkit")
    assert result.exit_code == 2  # a usage mistake, as click says of a path that is not there
    assert result.stderr == (
        "toolkit: error: corpus: no such corpus directory; give one as toolkit review --serve "
        "CORPUS (or --corpus CORPUS)\n"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["bild"], "no such command 'bild' (did you mean 'build'?); try 'toolkit --help'"),
        (
            ["models", "install", "--bogus"],
            "models install: no such option '--bogus'; try 'toolkit models install --help'",
        ),
        (
            ["export", "-o", "x.tmx"],
            "export: missing option '--format' (choose from: tmx, moses, jsonl, tsv); "
            "try 'toolkit export --help'",
        ),
        (
            ["qa", "folder"],
            "qa: invalid value for '[PAIRS_FILE]': 'folder' is a directory; a corpus is "
            "summarised with --corpus folder; try 'toolkit qa --help'",
        ),
    ],
)
def test_a_usage_line_is_one_clean_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], line: str
) -> None:
    """Click's hint is a parenthesis of the same sentence (not ". Did you mean ...?;"), its
    choices one line (not tab-indented lines), a subcommand named by its whole path (not
    "install:"), and a directory given to qa points at --corpus (attack findings, session 8)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = CliRunner().invoke(cli, args, prog_name="toolkit")
    assert result.exit_code == 2
    assert result.stderr == f"toolkit: error: {line}\n"
