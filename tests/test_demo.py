"""``make demo`` prints what README says a fresh clone prints, and README's quick start runs.

A fresh clone's offline ``make demo`` began with ``toolkit: error: cannot reach the Argos
package index`` yet exited 0, then said ``0 built, 2 up to date ... nothing changed``
while README said it "builds the two English articles"; nothing said where the English was
or what to run next (the newcomer tester, session 8).
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import ROOT

from toolkit.cli.app import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(after: str, fence: str) -> str:
    """The first fenced ``fence`` block after the line ``after`` in README."""
    tail = README[README.index(after):]
    return tail.split(f"```{fence}\n", 1)[1].split("```", 1)[0]


def _sha_free(text: str) -> str:
    return re.sub(r"sha256 [0-9a-f]{12}", "sha256 <glossary>", text)  # a glossary edit is not drift


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped corpus and glossary as a fresh clone has them, no models, index unreachable."""
    from argostranslate import settings

    for part in ("corpus/original", "corpus/english"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for part in ("corpus/manifest.jsonl", "glossary.yaml"):
        shutil.copy(ROOT / part, tmp_path / part)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    # A closed local port: the index fails at once, with or without a network.
    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_fresh_clone_demo_prints_what_readme_shows(
    clone: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.demo import main

    terminal = io.StringIO()  # stdout and stderr interleaved, as a terminal shows them
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "executable", str(clone / ".venv" / "bin" / "python"))
    assert main() == 0
    printed = terminal.getvalue().replace(str(clone), "/path/to/toolkit")
    shown = _block("a fresh clone's `make demo` offline", "text")
    assert _sha_free(printed) == _sha_free(shown)
    assert "error" not in printed.split("\n", 1)[0]


def test_readme_quick_start_runs_as_written(clone: Path, tiny_package_file: Path) -> None:
    from toolkit.translation.install import install_from_file

    install_from_file(tiny_package_file, clone / "packages")
    lines = _block("### Quick start", "sh").splitlines()
    commands = [shlex.split(line.split("   #")[0].split("  #")[0]) for line in lines]
    assert commands[0] == [".", ".venv/bin/activate"]
    for args in commands[1:]:
        assert args[0] == "toolkit"
        result = CliRunner().invoke(cli, args[1:], prog_name="toolkit")
        assert result.exit_code == 0, (args, result.output)
    tmx = (clone / "news.tmx").read_text(encoding="utf-8")
    assert "Kim Kardashian (45) spoke openly about her relationship with her ex-husband" in tmx
