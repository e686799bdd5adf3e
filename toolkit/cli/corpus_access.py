"""How a command finds and holds its corpus: ``--corpus`` given or defaulted, the
directory checked, the corpus lock held for the whole command, the glossary found by the
one rule.

Split from :mod:`toolkit.cli.options` (the option decorators and the ways a command talks
to the user) so that each stays one concern. Imports only click and light toolkit modules
at module level, as :mod:`.options` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import fail, say


@contextmanager
def corpus_locked(corpus_dir: Path, command: str, wait: bool) -> Iterator[None]:
    """Hold the corpus lock (:mod:`toolkit.corpus.lock`) for a whole command.

    Another process holding it is an error (``corpus: locked by PID ...``), unless
    ``wait``: then one ``waiting for corpus lock held by PID ...`` line goes to stderr.
    """
    from toolkit.corpus.lock import CorpusLock

    with CorpusLock(corpus_dir, command, wait=wait, on_wait=say):
        yield


def find_glossary(path: Path | None, corpus: Path, disabled: bool = False) -> tuple[Any, str]:
    """The glossary by the one rule (:func:`toolkit.glossary.discover.discover_glossary`), and the
    line that names it (path, entries, sha256 prefix, or ``no glossary``).

    Commands print the line with :func:`say` once they succeed, so that a failing command
    still prints exactly one line.
    """
    from toolkit.glossary.discover import discover_glossary

    source = discover_glossary(corpus, explicit=path, disabled=disabled)
    glossary = source.load()
    return glossary, source.describe(glossary)


def require_corpus(corpus_dir: Path, give: str = "with --corpus", usage: bool = False) -> None:
    """Fail unless ``corpus_dir`` (from ``--corpus``) is a directory; ``give``: how this
    command takes a corpus, in its own syntax; ``usage``: the missing corpus is a usage
    mistake (exit 2: ``review --serve`` run where there is none, given none)."""
    if not corpus_dir.is_dir():
        fail(f"{corpus_dir}: no such corpus directory; give one {give}", 2 if usage else None)


def corpus_given() -> bool:
    """Whether ``--corpus`` was on the command line (not its default ``./corpus``)."""
    return click.get_current_context().get_parameter_source("corpus_dir").name == "COMMANDLINE"
