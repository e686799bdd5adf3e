"""Issue 15, "a CLI that only talks": one error handler for every command, the corpus lock taken
once per command, and the library calls the commands make."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.lock import CorpusLock

TEXT = "The council met on Monday. It agreed to build a new bridge over the river.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An English corpus: builds without any translation model."""
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "bridge.txt").write_text(TEXT, encoding="utf-8")
    return root


@pytest.fixture
def acquisitions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The command of every CorpusLock.acquire in this process, in order."""
    seen: list[str] = []
    acquire = CorpusLock.acquire

    def counting(self: CorpusLock) -> None:
        seen.append(self.command)
        acquire(self)

    monkeypatch.setattr(CorpusLock, "acquire", counting)
    return seen


@pytest.mark.parametrize("command", ["build", "add"])
def test_a_writing_command_takes_the_corpus_lock_once(
    command: str, corpus: Path, tmp_path: Path, acquisitions: list[str]
) -> None:
    args = ["build", str(corpus), "-q"]
    if command == "add":
        article = tmp_path / "more.txt"
        article.write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
        args = ["add", str(article), "--corpus", str(corpus), "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert acquisitions == [f"toolkit {command}"]


def test_build_corpus_told_the_lock_is_held_refuses_when_it_is_not(corpus: Path) -> None:
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.provider import ArgosProvider

    with pytest.raises(RuntimeError, match="without the corpus lock held"):
        build_corpus(corpus, provider=ArgosProvider(cache_dir=None), locked=True)
    with CorpusLock(corpus, "test"):
        summary = build_corpus(corpus, provider=ArgosProvider(cache_dir=None), locked=True)
    assert summary.built == ["bridge"]


def test_a_command_run_on_its_own_reports_a_toolkit_error_in_one_line(tmp_path: Path) -> None:
    """The error handler belongs to every command, not only to the group: ``correct`` run on
    its own (as tests and embedders do) still prints one line, exit 1, no traceback."""
    from toolkit.cli.corrections import correct

    (tmp_path / "corpus" / "original").mkdir(parents=True)
    result = CliRunner().invoke(
        correct, ["nosuchdoc", "p1s1", "Hello.", "--corpus", str(tmp_path / "corpus")]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.count("toolkit: error: ") == 1


def test_options_that_do_not_fit_together_exit_2_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["models", "install", "de"])
    assert result.exit_code == 2
    assert result.output.startswith("toolkit: error: usage: toolkit models install FROM TO")


def test_shared_cli_modules_keep_one_concern_each() -> None:
    """options.py holds the command class, the option decorators and the ways a command talks;
    how a command finds and holds its corpus is corpus_access.py's (options.py had reached the
    400-line limit with both)."""
    from toolkit.cli import corpus_access, options

    corpus_helpers = {"corpus_locked", "find_glossary", "require_corpus", "corpus_given"}
    assert corpus_helpers <= set(vars(corpus_access))
    assert not corpus_helpers & set(vars(options))


def test_command_modules_import_only_the_shared_options() -> None:
    """No command module imports another one (or the group): the CLI has no cycle to grow."""
    import ast

    root = Path(__file__).resolve().parents[1] / "toolkit" / "cli"
    for path in root.glob("*.py"):
        if path.name == "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("toolkit.cli"):
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                shared = {"toolkit.cli.options", "toolkit.cli.corpus_access", "toolkit.cli.exits"}
                shared.add("toolkit.cli.progress")  # the progress bar, split from options
                allowed = shared | (
                    {"toolkit.cli.build"} if path.name == "corrections.py" else set()
                )
                imported = names if node.module == "toolkit.cli" else {node.module}
                assert imported <= allowed, f"{path.name} imports {node.module}"
