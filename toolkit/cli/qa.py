"""``toolkit qa``: flags per check and per document of the corpus, the flags of a bilingual
file's pairs, or a confidence threshold proposed from human corrections."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.corpus_access import corpus_given, find_glossary
from toolkit.cli.options import (
    EXIT_FAILED,
    CommandLineError,
    command,
    corpus_option,
    emit,
    fail,
    format_option,
    glossary_option,
    language_option,
    no_glossary_option,
    say,
    shown,
    wait_read_option,
)

if TYPE_CHECKING:
    from toolkit.qa.report import Rendered


def _not_a_corpus(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """PAIRS_FILE must be a file: a directory is most likely a corpus (``toolkit qa corpus``),
    summarised with ``--corpus``, so the error says that (click said only "is a directory")."""
    if value is not None and value.is_dir():
        from shlex import quote

        raise click.BadParameter(
            f"'{value}' is a directory; a corpus is summarised with --corpus {quote(str(value))}"
        )
    return value


@command(
    exits={
        0: "the report printed (without --strict, whatever it flags)",
        1: "--strict and an error-severity flag or a document waiting for a model; or the "
        "file or corpus cannot be read (one line naming it and the fix)",
    },
    stdout=True,
)
@click.argument(
    "pairs_file", required=False, type=click.Path(path_type=Path), callback=_not_a_corpus
)
@corpus_option("The corpus to summarise; with PAIRS_FILE, the corpus whose glossary and "
               "recorded QA and span settings it is checked with.")
@language_option(
    "--src",
    help="Source language of PAIRS_FILE (de, nl, en, ...); "
    "default: the file's own source_language column, if it has one.",
)
@language_option("--tgt", default="en", help="Target language of PAIRS_FILE.")
@format_option(
    ["text", "json", "jsonl"],
    "text: a table (corpus) or one line per flag (PAIRS_FILE); json/jsonl: machine-readable.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any error-severity flag is present or a document waits for a model.",
)
@click.option(
    "--calibrate-confidence",
    is_flag=True,
    help="Propose a low-confidence threshold from the corpus's human corrections.",
)
@glossary_option()
@no_glossary_option()
@wait_read_option("If a build is writing the corpus, wait for it and read the finished build.")
def qa(
    pairs_file: Path | None,
    corpus_dir: Path,
    src: str | None,
    tgt: str,
    fmt: str,
    strict: bool,
    calibrate_confidence: bool,
    glossary_path: Path | None,
    no_glossary: bool,
    wait: bool,
) -> None:
    """Translation QA: a summary of flags per check and per document of the corpus,
    or the flags of every row of PAIRS_FILE: any file the toolkit writes (aligned TSV,
    export TSV/JSONL/TMX, translate --format tsv/json), a TSV with id/source/target
    columns, or plain source<TAB>target lines.
    """
    if calibrate_confidence:
        _qa_calibrate(corpus_dir)
    elif pairs_file is not None:
        _qa_pairs(pairs_file, src, tgt, fmt, strict, glossary_path, corpus_dir, no_glossary)
    else:
        _qa_corpus(corpus_dir, fmt, strict, wait)


def _qa_pairs(
    path: Path,
    src: str | None,
    tgt: str,
    fmt: str,
    strict: bool,
    glossary_path: Path | None,
    corpus_dir: Path,
    no_glossary: bool,
) -> None:
    """``toolkit qa PAIRS_FILE``: one line per flag (text) or one object per pair (json)."""
    from toolkit.qa.bilingual import left_out_lines
    from toolkit.qa.corpus_settings import settings_for_pairs
    from toolkit.qa.pairs import read_bilingual
    from toolkit.qa.report import needs_source_language
    from toolkit.review.workbench.pairs import checked_with_sidecar

    pairs = read_bilingual(path, src, tgt)
    glossary, used = find_glossary(glossary_path, corpus_dir, no_glossary)
    if needs_source_language(pairs, src):
        raise CommandLineError(
            "--src is required with PAIRS_FILE (the language of the source column)"
        )
    say(used)
    # the corpus's own, as its builds check
    settings = settings_for_pairs(corpus_dir, say, corpus_given())
    report, applied = checked_with_sidecar(path, pairs, src, tgt, glossary, settings)
    for line in [*left_out_lines(path, pairs, "checked"), *applied]:
        say(line)
    _echo_report(report.render(fmt))
    if strict and report.has_errors:
        sys.exit(EXIT_FAILED)


def _echo_report(rendered: Rendered) -> None:
    """A report's lines: the data on stdout, the counts on stderr."""
    for line in rendered.out:
        emit(line)
    for line in rendered.err:
        click.echo(shown(line), err=True)


def _qa_corpus(corpus_dir: Path, fmt: str, strict: bool, wait: bool) -> None:
    """``toolkit qa``: the summary of the last complete build (documents changed since, and
    those whose original was deleted, are reported, not counted; documents waiting for a
    model are reported, not passed; originals without English are named)."""
    from toolkit.corpus.paths import CorpusPaths, nothing_built
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.pipeline.unbuilt import no_original_line, unbuilt_lines, with_originals
    from toolkit.qa.report import corpus_report

    snapshot = read_snapshot(corpus_dir, wait=wait, on_wait=say)
    records, gone, unbuilt = with_originals(corpus_dir, snapshot.records, snapshot.changed)
    left_out = snapshot.lines() + [f"{r.document}: {no_original_line(r.status)}" for r in gone]
    for line in left_out + unbuilt_lines(corpus_dir, unbuilt, "checked"):
        click.echo(f"left out: {shown(line)}", err=True)
    if not records:
        paths = CorpusPaths(corpus_dir)
        if gone:  # built, but none has its original: the build refuses to remove them all
            fail(f"{paths.original}: holds the original of none of the {len(gone)} built "
                 "documents; restore them (qa reads only documents a build keeps)")
        fail(nothing_built(corpus_dir))
    report = corpus_report(records)
    _echo_report(report.render(fmt))
    if strict and report.failed:
        sys.exit(EXIT_FAILED)


def _qa_calibrate(corpus_dir: Path) -> None:
    """``toolkit qa --calibrate-confidence``: a threshold table from human corrections."""
    from toolkit.corpus.formats import read_meta
    from toolkit.corpus.paths import CorpusPaths, nothing_built
    from toolkit.qa.calibrate import calibrate_confidence
    from toolkit.qa.report import calibration_lines

    paths = CorpusPaths(corpus_dir)
    metas = sorted(paths.english.glob("*.meta.json")) if paths.english.is_dir() else []
    if not metas:
        fail(nothing_built(corpus_dir))
    rows, proposed, scored, corrected = calibrate_confidence([read_meta(m) for m in metas])
    if not corrected or proposed is None:
        fail(
            f"{paths.english}: no human correction of a scored machine translation "
            f"({scored} scored segments); correct some with `toolkit correct`, then rerun"
        )
    for line in calibration_lines(rows, proposed, scored, corrected):
        emit(line)


COMMANDS = (qa,)
