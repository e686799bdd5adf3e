"""``toolkit glossary check``: validate the glossary and see how its terms fared.

The per-document work is :func:`toolkit.glossary.check.check_corpus_terms`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.corpus_access import find_glossary
from toolkit.cli.exits import epilog
from toolkit.cli.options import (
    EXIT_FAILED,
    Group,
    corpus_option,
    emit,
    glossary_option,
    no_glossary_option,
    say,
)


@click.group("glossary", cls=Group)
def glossary_group() -> None:
    """Validate the glossary and see how its terms fared in the corpus."""


@glossary_group.command(
    "check",
    epilog=epilog(
        {
            0: "the glossary is valid and no term was lost",
            1: "a term was lost in some document, or the glossary or the corpus cannot be read",
        },
        stdout=True,
    ),
)
@glossary_option()
@no_glossary_option()
@corpus_option("The corpus whose documents are checked against the glossary.")
def glossary_check(glossary_path: Path | None, no_glossary: bool, corpus_dir: Path) -> None:
    """Validate the glossary; per document, terms found and how many were pinned/restored/lost.

    Built documents are read from their provenance; documents not yet built
    are scanned for terms (shown as found, not pinned).
    """
    from toolkit.glossary.check import check_corpus_terms
    from toolkit.glossary.report import TermReport

    glossary, used = find_glossary(glossary_path, corpus_dir, no_glossary)
    documents = check_corpus_terms(corpus_dir, glossary)  # reads the corpus, or fails
    say(used)
    emit(
        f"{glossary.path or '(no glossary)'}: valid, {len(glossary.entries)} entries, "
        f"sha256 {glossary.sha256[:12]}"
    )
    total = TermReport()
    for found in documents:
        if found.error is not None:
            emit(found.error)
            continue
        total.terms.update(found.report.terms)
        total.outcomes.update(found.report.outcomes)
        emit(f"{found.document} ({found.language}): {found.report.summary()}{found.note}")
        if found.report.terms:
            terms = sorted(found.report.terms.items())
            emit("  " + ", ".join(f"{t} x{n}" for t, n in terms))
    emit(f"total: {total.summary()}")
    if total.outcomes["lost"]:
        sys.exit(EXIT_FAILED)


COMMANDS = (glossary_group,)
