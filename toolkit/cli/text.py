"""``toolkit clean``, ``detect`` and ``segment``: one article's preparation stages, printed.

Each reads FILE (or ``-``: stdin) with :func:`toolkit.prepare.inputs.prepare_article`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from toolkit.cli.options import (
    command,
    emit,
    encoding_option,
    format_option,
    language_option,
    max_bytes_option,
    plain_text_option,
    warn_about,
)

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord

file_argument = click.argument("file", default="-")


def _prepared(
    file: str,
    max_bytes: int | None,
    encoding: str | None,
    lang: str | None = None,
    lang_option: str | None = None,
    plain_text: bool = False,
) -> DocumentRecord:
    """FILE prepared with the command line's settings, its warnings printed (with
    ``lang_option``, also a contradiction between the given language and language id)."""
    from toolkit.prepare.inputs import prepare_article, prepare_config

    config = prepare_config(max_bytes, encoding, plain_text)
    record = prepare_article(file, config, language=lang)
    warn_about(record, lang_option)
    return record


@command()
@file_argument
@max_bytes_option
@encoding_option()
@plain_text_option
def clean(file: str, max_bytes: int | None, encoding: str | None, plain_text: bool) -> None:
    """Decode and clean FILE (or - for stdin); print the text, boilerplate removed."""
    record = _prepared(file, max_bytes, encoding, plain_text=plain_text)
    paragraphs: dict[int, list[str]] = {}
    for seg in record.segments:
        paragraphs.setdefault(seg.paragraph, []).append(seg.source)
    emit("\n\n".join(" ".join(p) for p in paragraphs.values()))
    for hit in record.cleaning.boilerplate:
        click.echo(f"removed [{hit.rule}]: {hit.text}", err=True)


@command()
@file_argument
@format_option(
    ["text", "json"],
    "text: 'LANG CONFIDENCE'; json: one object with encoding and other-language sentences.",
)
@max_bytes_option
@encoding_option()
@plain_text_option
def detect(
    file: str, fmt: str, max_bytes: int | None, encoding: str | None, plain_text: bool
) -> None:
    """Identify the language of FILE (or -): prints 'LANG CONFIDENCE'."""
    record = _prepared(file, max_bytes, encoding, plain_text=plain_text)
    others = [s for s in record.segments if s.language]
    if fmt == "json":
        from toolkit.corpus.paths import shown_json

        found = {
            "file": record.input.path,
            "language": record.language.language,
            "confidence": record.language.confidence,
            "encoding": record.input.encoding,
            "encoding_candidates": record.input.encoding_candidates,
            "other_language_sentences": [
                {"id": s.id, "language": s.language.language, "text": s.source}
                for s in others
                if s.language
            ],
        }
        emit(shown_json(found))
        return
    emit(f"{record.language.language} {record.language.confidence:.4f}")
    for s in others:
        if s.language:
            click.echo(f"{s.id}: {s.language.language}: {s.source}", err=True)


@command()
@file_argument
@language_option("--lang", help="Language code (default: detected).")
@format_option(
    ["text", "tsv", "json"],
    "text: one sentence a line; tsv: id, paragraph, sentence, source; json: a list.",
)
@max_bytes_option
@encoding_option()
@plain_text_option
def segment(
    file: str,
    lang: str | None,
    fmt: str,
    max_bytes: int | None,
    encoding: str | None,
    plain_text: bool,
) -> None:
    """Split FILE (or -) into sentences: one per line, a blank line between paragraphs."""
    record = _prepared(file, max_bytes, encoding, lang, "--lang", plain_text)
    if fmt == "json":
        from toolkit.corpus.paths import shown_json

        fields = {"id", "paragraph", "sentence", "source"}
        rows = [s.model_dump(include=fields) for s in record.segments]
        emit(shown_json(rows, indent=1))
    elif fmt == "tsv":
        emit("segment_id\tparagraph\tsentence\tsource")
        for s in record.segments:
            emit(f"{s.id}\t{s.paragraph}\t{s.sentence}\t{s.source}")
    else:
        last = None
        for s in record.segments:
            if last is not None and s.paragraph != last:
                emit("")
            emit(s.source)
            last = s.paragraph


COMMANDS = (clean, detect, segment)
