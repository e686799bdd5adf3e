"""``toolkit correct`` and ``toolkit export``: record a reviewer's correction (and rebuild),
and export the aligned pairs.

Registered on the main group by :mod:`toolkit.cli.app`. Like the other commands, a user error
prints one line ``toolkit: error: ...`` on stderr and exits 1 (:mod:`toolkit.cli.options`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit.cli import options as opt
from toolkit.cli.build import BUILD_EXITS
from toolkit.cli.corpus_access import corpus_given, corpus_locked, find_glossary, require_corpus

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord

# -- correct -----------------------------------------------------------------------------------


def _saved_line(record: DocumentRecord, segment_id: str, author: str, where: Path) -> str:
    """What ``correct`` says it saved, naming every segment the correction applies to: it
    is keyed by the source sentence, so each repeat of that sentence gets it too."""
    from toolkit.corpus.actions import segments_sharing_source

    line = f"{record.document} {segment_id}: correction by {author} saved in {where}"
    same = segments_sharing_source(record, segment_id)
    if len(same) > 1:
        line += (
            f"; it applies to all {len(same)} segments with this source sentence "
            f"({', '.join(same)})"
        )
    return line


def _check_meta_names_itself(corpus_dir: Path, meta_path: Path, document: str) -> None:
    """Refuse a meta.json in the corpus's ``english/`` whose ``document`` is not its own
    file name (edited by hand): a correction asked for one document must never land on
    another one's corrections file."""
    from toolkit.corpus.paths import CorpusPaths, shown_name

    english = CorpusPaths(corpus_dir).english
    own = meta_path.name.removesuffix(".meta.json")
    if meta_path.resolve().parent == english.resolve() and document != own:
        opt.fail(
            f"{english.name}/{shown_name(meta_path.name)}: names document "
            f"{shown_name(document)!r}, not {shown_name(own)!r} (edited by hand?); "
            f"run `toolkit build {corpus_dir}` to rewrite it"
        )


@opt.command(
    exits={
        **BUILD_EXITS,
        1: "the correction refused, named with the fix (nothing saved), or as for build: the "
        "rebuild failed, a write failed, or the corpus is locked",
    }
)
@click.argument("doc")
@click.argument("segment_id")
@click.argument("english")
@click.option(
    "--by", "author", default=None, help="Who corrects (default: $TOOLKIT_AUTHOR or login name)."
)
@opt.corpus_option()
@click.option("--no-build", is_flag=True, help="Only record the correction; build later.")
@opt.packages_option("Argos packages directory for the rebuild.")
@opt.glossary_option(
    "Glossary for the rebuild (default: CORPUS/glossary.yaml, else glossary.yaml beside CORPUS)."
)
@opt.no_glossary_option("Rebuild with no glossary, even if one is found.")
@opt.max_bytes_option
@opt.encoding_option()
@opt.quiet_option
@opt.wait_option
def correct(
    doc: str,
    segment_id: str,
    english: str,
    author: str | None,
    corpus_dir: Path,
    no_build: bool,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    max_bytes: int | None,
    encoding: str | None,
    quiet: bool,
    wait: bool,
) -> None:
    """Record ENGLISH as the human translation of SEGMENT_ID in DOC, then rebuild DOC.

    DOC is a document id, an original's file name, or a path to its .meta.json or
    .aligned.tsv: then the correction goes to the corpus holding that file.

    The correction is stored in CORPUS/corrections/DOC.corrections.tsv keyed by the
    source sentence's hash, so it survives re-segmentation, model changes and rebuilds.
    An earlier correction of the sentence stays in the file as history (author, time,
    the English it replaced). ENGLISH is one line: line breaks and tabs are refused. Give
    the --glossary, --packages-dir, --max-bytes and --encoding you build with (or keep a
    file's encoding in corpus/settings.yaml): the rebuild uses them.
    """
    from toolkit.cli.build import build_and_report
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.corrections import corrections_path
    from toolkit.corpus.lock import LOCK_NAME
    from toolkit.pipeline.run import require_model_to_rebuild, require_original_to_rebuild
    from toolkit.review.documents import document_corpus, read_document, resolve_document

    corpus_dir = document_corpus([doc], corpus_dir, corpus_given=corpus_given())
    require_corpus(corpus_dir)
    if not (corpus_dir / LOCK_NAME).exists():  # no writer ran here: nothing built to correct,
        resolve_document(corpus_dir, doc)  # refused before the lock file would be created
    with corpus_locked(corpus_dir, "toolkit correct", wait):
        meta_path = resolve_document(corpus_dir, doc)
        record = read_document(meta_path)
        _check_meta_names_itself(corpus_dir, meta_path, record.document)
        fix = record_correction(corpus_dir, record, segment_id, english, author=author)
        where = corrections_path(corpus_dir, record.document)
        click.echo(opt.shown(_saved_line(record, segment_id, fix.author, where)), err=True)
        if no_build:
            return
        require_original_to_rebuild(corpus_dir, record)
        require_model_to_rebuild(record, packages_dir)
        original = Path(record.input.path).name
        build_and_report(
            corpus_dir, packages_dir=packages_dir, glossary_path=glossary_path,
            no_glossary=no_glossary, max_bytes=max_bytes, encoding=encoding, quiet=quiet,
            only=[original],
        )  # fmt: skip


# -- export ------------------------------------------------------------------------------------


@opt.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tmx", "moses", "jsonl", "tsv"]),
    required=True,
    help="tmx: TMX 1.4b; moses: line-aligned text files; jsonl: one object a line; tsv: a table.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file ('-': standard output); for moses a prefix: PATH.de-en.de + "
    "PATH.de-en.en per language pair.",
)
@click.option("--include-flagged", is_flag=True, help="Also export segments with QA flags.")
@click.option(
    "--include-english",
    is_flag=True,
    help="Also export pairs whose source is already English (English documents, quotes).",
)
@opt.corpus_option()
@opt.file_option(
    "--pairs",
    "pairs_file",
    help="Export this bilingual TSV/TMX file (instead of the corpus) with the corrections "
    "of its sidecar PAIRS.corrections.tsv (written by `toolkit review --serve PAIRS`).",
)
@opt.language_option(
    "--src",
    help="--pairs: language code of the source column (default: the language each row names, "
    "as a TMX or the toolkit's exports do).",
)
@opt.language_option("--tgt", default="en", help="--pairs: language code of the target column.")
@opt.packages_option()
@opt.glossary_option()
@opt.no_glossary_option()
@opt.max_bytes_option
@opt.encoding_option()
@opt.wait_read_option()
def export(
    fmt: Any,
    output: Path,
    include_flagged: bool,
    include_english: bool,
    corpus_dir: Path,
    pairs_file: Path | None,
    src: str | None,
    tgt: str,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    max_bytes: int | None,
    encoding: str | None,
    wait: bool,
) -> None:
    """Export the aligned pairs of the built corpus as TMX, Moses text, JSONL or TSV.

    Flagged segments and pairs whose source is already English are left out unless
    asked for; what was left out is reported on stderr. A flag a reviewer dismissed
    does not count. With --pairs FILE [--src LANG], the corrected pairs of FILE.

    Exported documents a build would now write differently are named on stderr (still
    exported, as last built); give the --packages-dir, glossary, --max-bytes and
    --encoding you build with. A document whose original was deleted is left out, with a
    line (the next build removes its English; restore the original to export it).
    """
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus
    from toolkit.pipeline.run import build_config

    options = ExportOptions(include_flagged=include_flagged, include_same_language=include_english)
    if pairs_file is None:
        require_corpus(corpus_dir)
    # A glossary named here must load; the corpus's own is found (and a broken one reported,
    # not fatal: the export reads the build) by the staleness check, as status finds it.
    explicit = glossary_path is not None or no_glossary or pairs_file is not None
    glossary = find_glossary(glossary_path, corpus_dir, no_glossary)[0] if explicit else None
    read = [glossary_path] if glossary_path is not None else []
    if pairs_file is not None:
        from toolkit.qa.corpus_settings import settings_for_pairs
        from toolkit.review.workbench.pairs import export_pairs

        settings = settings_for_pairs(corpus_dir, opt.say, corpus_given())
        stats = export_pairs(pairs_file, src, tgt, fmt, output, options, glossary, read, settings)
    else:
        stats = export_corpus(
            corpus_dir, fmt, output, options, wait=wait, on_wait=opt.say,
            packages_dir=packages_dir, glossary=glossary, config=build_config(max_bytes, encoding),
            inputs=read,
        )  # fmt: skip
    for line in stats.lines():
        click.echo(opt.shown(line), err=True)


COMMANDS = (correct, export)
"""Registered by :mod:`toolkit.cli.app`."""
