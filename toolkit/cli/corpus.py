"""``toolkit init`` and ``toolkit status``: start a corpus, and see where every document stands.

Registered on the main group by :mod:`toolkit.cli.app`. Errors are one line
``toolkit: error: ...`` on stderr (:mod:`toolkit.cli.options`).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.corpus_access import find_glossary
from toolkit.cli.options import (
    command,
    corpus_argument,
    emit,
    encoding_option,
    fail,
    format_option,
    glossary_option,
    max_bytes_option,
    no_glossary_option,
    packages_option,
    shown,
)
from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.pipeline.status import DocumentStatus

STARTER_GLOSSARY = """\
# Names that must come out of translation exactly as written (see README, "Glossary").
# Each entry: term (the canonical spelling), optional aliases, kind (person, brand,
# organization, place, title, other), optional languages and note. For example:
#
#   entries:
#     - term: Skims
#       aliases: [SKIMS, SKIMs]
#       kind: brand
version: 1
entries: []
"""
"""What ``toolkit init`` writes as ``glossary.yaml``: valid, empty, with an example."""


# -- init --------------------------------------------------------------------------------------


@command()
@corpus_argument
def init(corpus_dir: Path) -> None:
    """Create an empty corpus in CORPUS_DIR (default ./corpus): original/ and a starter
    glossary.yaml. Refuses to touch a directory that already holds either."""
    from toolkit.corpus.paths import GLOSSARY_NAME, CorpusPaths
    from toolkit.corpus.writes import atomic_write

    paths = CorpusPaths(corpus_dir)
    glossary = corpus_dir / GLOSSARY_NAME
    if corpus_dir.exists() and not corpus_dir.is_dir():
        fail(f"{corpus_dir}: exists and is not a directory; give another name")
    for existing in (paths.original, glossary):
        if existing.exists() or existing.is_symlink():
            fail(f"{existing}: already exists; init never overwrites (this is a corpus already)")
    try:
        paths.original.mkdir(parents=True)
        atomic_write(glossary, STARTER_GLOSSARY.encode("utf-8"))
    except OSError as exc:
        fail(f"{paths.original}: cannot create ({exc.strerror})")
    click.echo(f"created {paths.original}/ and {glossary}", err=True)
    # Quoted for the shell, so the suggested commands work when pasted ("my news/corpus").
    quoted = shlex.quote(str(corpus_dir))
    click.echo(
        f"next: copy articles into {paths.original}/ (or `toolkit add FILE --corpus "
        f"{quoted}`), then `toolkit build {quoted}`",
        err=True,
    )


# -- status ------------------------------------------------------------------------------------


@command(
    exits={
        0: "the table printed (a document in error says so in its state)",
        1: "the corpus, its glossary or an installed model cannot be read (one line naming "
        "it and the fix; nothing printed)",
    },
    stdout=True,
)
@corpus_argument
@format_option(["text", "json"], "text: one line per document; json: one object with every field.")
@packages_option()
@glossary_option()
@no_glossary_option()
@max_bytes_option
@encoding_option()
def status(
    corpus_dir: Path,
    fmt: str,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    max_bytes: int | None,
    encoding: str | None,
) -> None:
    """Where every document of CORPUS_DIR (default ./corpus) stands: language, state
    (built / needs model / error / not built / out of date / stale: a build would rebuild
    it, and why / changed since build / edited: English typed into its outputs by hand,
    which a build holds / no original: built, its original deleted since /
    skipped: a link, folder or hidden name the build does not read), segments, flags, and
    orphaned corrections. Give
    the models, glossary, --max-bytes and --encoding you build with. Reads the
    corpus, writing only the digest of a newly hashed model file into its .cache/ (a cache;
    skipped when the corpus is read-only)."""
    from toolkit.pipeline.run import build_config
    from toolkit.pipeline.status import corpus_status, status_json

    glossary, _used = find_glossary(glossary_path, corpus_dir, no_glossary)
    config = build_config(max_bytes, encoding)
    rows, stray = corpus_status(corpus_dir, packages_dir, glossary, config)
    if fmt == "json":
        emit(status_json(rows, stray))
        return
    emit("document\tlanguage\tstate\tsegments\tflagged\tflags")
    for r in rows:
        emit(_status_line(r))
    for r in rows:
        if r.message:  # a built one's: its English is kept without its model
            click.echo(shown(f"{r.document}: {r.message}"), err=True)
        for orphan in r.orphan_corrections:
            click.echo(shown(f"{r.document}: orphan correction: {orphan}"), err=True)
    for line in stray.values():
        click.echo(shown(line), err=True)
    states: dict[str, int] = {}
    for r in rows:
        states[r.state] = states.get(r.state, 0) + 1
    counts = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
    click.echo(f"{plural(len(rows), 'document')}" + (f": {counts}" if counts else ""), err=True)


def _status_line(row: DocumentStatus) -> str:
    """One row of ``toolkit status``: ``?`` for what is not known (a language; the flags of
    a document whose build record was not read: never built, failed, changed since)."""
    flagged, flags = ("?" if n is None else str(n) for n in (row.flagged, row.flags))
    cells = (row.document, row.language or "?", row.state, str(row.segments), flagged, flags)
    return "\t".join(shown(cell) for cell in cells)  # a name the build refuses, as it is


COMMANDS = (init, status)
"""Register with ``for command in COMMANDS: cli.add_command(command)``."""
