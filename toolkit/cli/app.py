"""``toolkit``: a thin command line over the library.

Every command maps to one library call; errors a user can cause print one line on stderr
(``toolkit: error: <file>: <what> ; <fix>``) and exit non-zero (the one error handler:
:class:`toolkit.cli.options.Group`). Progress bars go to stderr and only when it is a
terminal (``--quiet`` turns them off everywhere).

The commands live in one module per family (:mod:`.build`, :mod:`.translate`, :mod:`.text`,
:mod:`.models`, :mod:`.glossary`, :mod:`.qa`, :mod:`.corpus`, :mod:`.review`); each imports
what it needs when it runs, so ``toolkit --help`` loads no heavy module.
"""

from __future__ import annotations

import click

from toolkit._version import __version__
from toolkit.cli import (
    build,
    corpus,
    corrections,
    glossary,
    models,
    qa,
    review,
    text,
    translate,
)
from toolkit.cli.options import CONTEXT, Group


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="toolkit")
def cli() -> None:
    """Offline translation and normalization for multilingual news corpora."""


# In the order `toolkit --help` has always listed them (click sorts them by name anyway).
for family in (build, text, translate, models, glossary, qa, review, corrections, corpus):
    for command in family.COMMANDS:
        cli.add_command(command)


def start() -> None:
    """What a ``toolkit`` program does first (this entry point and ``python -m toolkit.demo``):
    stdout through its one owner, ending signals interrupt."""
    from toolkit.interrupts import ending_signals_interrupt
    from toolkit.stdout import install

    install()
    ending_signals_interrupt()


def main() -> None:
    """Console-script entry point: :func:`start`, then the commands."""
    start()
    cli(prog_name="toolkit")


if __name__ == "__main__":
    main()
