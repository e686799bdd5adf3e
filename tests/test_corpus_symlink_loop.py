"""A corpus directory given as a symlink loop is one line naming it (attack 10d): the first
``Path.resolve()`` of it (the glossary's rule) raised RuntimeError, a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli


@pytest.mark.parametrize(
    "args",
    [
        ["qa", "p.tsv", "--src", "de", "--corpus", "loop"],
        ["export", "--pairs", "p.tsv", "--src", "de", "--format", "moses", "-o", "m/out",
         "--corpus", "loop"],
        ["review", "--serve", "p.tsv", "--corpus", "loop"],
        ["status", "loop"],
    ],
)  # fmt: skip
def test_a_corpus_that_is_a_symlink_loop_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("p.tsv").write_text("Der Hund läuft.\tThe dog runs.\n", encoding="utf-8")
    Path("loop").symlink_to("loop2")
    Path("loop2").symlink_to("loop")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, RuntimeError)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "loop: cannot be resolved" in lines[0], lines
    assert lines[0].startswith("toolkit: error: --corpus loop" if "--corpus" in args
                               else "toolkit: error: CORPUS_DIR loop"), lines  # fmt: skip


LONG = "a" * 300  # one name over NAME_MAX (255)
DEEP = "/".join(["a" * 200] * 25)  # over PATH_MAX (4096)


@pytest.mark.parametrize(
    "args",
    [
        ["status", LONG],
        ["status", DEEP],
        ["build", LONG],
        ["export", "--pairs", "p.tsv", "--src", "de", "--format", "moses", "-o", "m/out",
         "--corpus", LONG],
        ["review", "--corpus", LONG, "x"],
        ["qa", "p.tsv", "--src", "de", "--corpus", DEEP],
    ],
)  # fmt: skip
def test_a_corpus_path_that_is_too_long_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """ENAMETOOLONG from the first look at the corpus (attack 10e) was a traceback; now the
    same one line as a symlink loop, naming the option or argument."""
    monkeypatch.chdir(tmp_path)
    Path("p.tsv").write_text("Der Hund läuft.\tThe dog runs.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot be resolved" in lines[0], lines
    assert "File name too long" in lines[0], lines
