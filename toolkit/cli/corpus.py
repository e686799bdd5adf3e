"""``toolkit init`` and ``toolkit status``: start a corpus, and see where every document stands.

Registered on the main group by :mod:`toolkit.cli.app`. Errors are one line
``toolkit: error: ...`` on stderr (:mod:`toolkit.cli.options`).
"""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

from toolkit.cli.options import command, corpus_argument, fail, format_option
from toolkit.errors import InputError, ToolkitError
from toolkit.plural import plural

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
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.writes import atomic_write

    paths = CorpusPaths(corpus_dir)
    glossary = corpus_dir / "glossary.yaml"
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


@dataclass
class DocumentStatus:
    """One line of ``toolkit status``."""

    document: str
    original: str
    state: str
    """built, needs model, error, not built (never built), out of date (original changed),
    changed since build (its english/ files are not what the build wrote)."""
    language: str = ""
    segments: int = 0
    flagged: int = 0
    flags: int = 0
    message: str = ""
    orphan_corrections: list[str] = field(default_factory=list)


def corpus_status(corpus_dir: Path) -> tuple[list[DocumentStatus], list[str]]:
    """Every original's state, from the manifest and meta.json; plus corrections files
    that belong to no original. Unbuilt originals are prepared (no model needed) to tell
    the ones that would fail from the ones that are merely new."""
    from toolkit.config.build import BuildConfig
    from toolkit.corpus.actions import orphans_of
    from toolkit.corpus.corrections import documents_with_corrections, load_corrections
    from toolkit.corpus.formats import read_manifest
    from toolkit.corpus.paths import CorpusPaths, document_id, list_originals, shown_name
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.corpus.snapshot import CHANGED_SINCE_BUILD, read_snapshot
    from toolkit.pipeline.plan import config_for_file, read_original, with_corpus_settings
    from toolkit.prepare.document import prepare_document

    paths = CorpusPaths(corpus_dir)
    originals = list_originals(paths)
    # Unbuilt originals are decoded as the build would: with settings.yaml's encodings.
    config = with_corpus_settings(BuildConfig(), load_corpus_settings(paths.root))
    manifest = read_manifest(paths.manifest)
    with_corrections = set(documents_with_corrections(corpus_dir))
    # Built documents are read as every reader reads them: only files whose sha256 the
    # manifest lists count, so a corrupt or hand-edited meta.json is never called "built".
    snapshot = read_snapshot(paths.root) if manifest else None
    rows: list[DocumentStatus] = []
    for original in originals:
        try:
            doc = document_id(original)
        except InputError as exc:  # the build skips such a name; status lists it, spelled out
            name = shown_name(original.name)
            rows.append(DocumentStatus(name, f"original/{name}", "error", message=str(exc)))
            continue
        row = DocumentStatus(doc, f"original/{original.name}", "not built")
        entry = manifest.get(doc)
        file_config = config_for_file(config, original.name)
        try:
            # Never the whole file in memory (a 2 GB sparse original): a built one is hashed
            # in chunks, an unbuilt one read only up to the article limit, as the build does.
            if entry is not None:
                digest = _streamed_sha256(original)
            else:
                data = read_original(original, file_config.prepare.decode.max_bytes)
        except InputError as exc:
            row.state, row.message = "error", str(exc)
            rows.append(row)
            continue
        except OSError as exc:
            row.state, row.message = "error", f"cannot be read ({exc.strerror})"
            rows.append(row)
            continue
        if entry is not None:
            row.language, row.segments = entry.language or "", entry.segments
            if entry.input_sha256 != digest:
                row.state = "out of date"
            else:
                row.state = "needs model" if entry.status == "needs-model" else "built"
                row.message = entry.message or ""
                if snapshot is not None and doc in snapshot.changed:
                    row.state, row.message = CHANGED_SINCE_BUILD, snapshot.changed[doc]
            record = snapshot.record(doc) if snapshot is not None else None
            if record is not None:
                row.flagged = sum(1 for s in record.segments if s.flags)
                row.flags = sum(len(s.flags) for s in record.segments)
                if doc in with_corrections:
                    try:
                        found = orphans_of(record, load_corrections(corpus_dir, doc))
                        row.orphan_corrections = [c.describe() for c in found]
                    except ToolkitError as exc:
                        row.orphan_corrections = [str(exc)]
        else:
            try:
                record = prepare_document(data, row.original, file_config.prepare)
                row.language, row.segments = record.language.language, len(record.segments)
            except InputError as exc:
                row.state, row.message = "error", str(exc)
        rows.append(row)
    present = {r.document for r in rows}
    stray = sorted(with_corrections - present)
    return rows, stray


def _streamed_sha256(path: Path) -> str:
    """sha256 of a file read in 1 MB chunks: constant memory whatever its size."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@command()
@corpus_argument
@format_option(["text", "json"], "text: one line per document; json: one object with every field.")
def status(corpus_dir: Path, fmt: str) -> None:
    """Where every document of CORPUS_DIR (default ./corpus) stands: language, state
    (built / needs model / error / not built / out of date), segments, flags, and
    orphaned corrections. Exits 0; reading only."""
    rows, stray = corpus_status(corpus_dir)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"documents": [asdict(r) for r in rows], "orphan_correction_files": stray},
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    click.echo("document\tlanguage\tstate\tsegments\tflagged\tflags")
    for r in rows:
        click.echo(
            f"{r.document}\t{r.language or '?'}\t{r.state}\t{r.segments}\t{r.flagged}\t{r.flags}"
        )
    for r in rows:
        if r.message and r.state != "built":
            click.echo(f"{r.document}: {r.message}", err=True)
        for orphan in r.orphan_corrections:
            click.echo(f"{r.document}: orphan correction: {orphan}", err=True)
    for doc in stray:
        click.echo(f"corrections/{doc}.corrections.tsv: orphan: no original of that name", err=True)
    states: dict[str, int] = {}
    for r in rows:
        states[r.state] = states.get(r.state, 0) + 1
    counts = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
    click.echo(f"{plural(len(rows), 'document')}" + (f": {counts}" if counts else ""), err=True)


COMMANDS = (init, status)
"""Register with ``for command in COMMANDS: cli.add_command(command)``."""
