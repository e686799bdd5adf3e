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
    assert result.exit_code == 1
    assert result.stderr == (
        "toolkit: error: corpus: no such corpus directory; give one as toolkit review --serve "
        "CORPUS (or --corpus CORPUS)\n"
    )
