"""Translate loose files outside a corpus (``toolkit translate``): the build's stages, prepare
-> translate -> QA, on articles named on the command line, with nothing written to a corpus.

A file that cannot be read or prepared is reported and the others are still translated;
a language pair without a model leaves its files waiting, as in a build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError, ToolkitError
from toolkit.pipeline.summary import BuildSummary

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.schema import DocumentRecord

Progress = Callable[[str, int, int], None]


class CacheInsideCorpus(ToolkitError):
    """``--cache-dir`` points into a corpus's articles or outputs (a command-line mistake)."""

    exit_code = 2


@dataclass
class TranslatedFiles:
    """What :func:`translate_files` did: the translated records and what went wrong."""

    records: list[DocumentRecord] = field(default_factory=list)
    """Translated (and checked) records, in the order the files were given."""
    failed: list[str] = field(default_factory=list)
    """One line per file that could not be read or prepared."""
    waiting: list[str] = field(default_factory=list)
    """One line per file whose language pair has no model installed."""
    summary: BuildSummary = field(default_factory=BuildSummary)
    """The sentence counts (translated, cached, repeats reused)."""

    @property
    def exit_code(self) -> int:
        """As for ``toolkit build``: 1 some files failed, 3 some need a model, else 0."""
        return 1 if self.failed else 3 if self.waiting else 0

    def removed_lines(self) -> list[str]:
        """One line per paragraph preparation removed as boilerplate (a photo credit, a
        byline), which is not translated: the English has a line fewer, and says why."""
        return [
            f"{r.input.path}: removed [{hit.rule}] paragraph {hit.paragraph}, not translated: "
            f"{hit.text}"
            for r in self.records
            for hit in r.cleaning.boilerplate
        ]

    def summary_line(self) -> str:
        """What was translated, and how many sentences QA flagged (the text output shows no
        flags: ``--format tsv`` or ``json`` does, and ``toolkit qa`` reads either back)."""
        from toolkit.plural import plural

        s = self.summary
        line = (
            f"{plural(len(self.records), 'file')} translated: "
            f"{plural(s.sentences_translated, 'sentence')} translated, {s.sentences_cached} "
            f"cached, {plural(s.sentences_reused, 'repeat')} reused{s.pieces_note()}"
        )
        flagged = sum(1 for r in self.records for segment in r.segments if segment.flags)
        if flagged:
            shows = "--format tsv or json shows them"
            line += f"; {plural(flagged, 'sentence')} flagged by QA ({shows})"
        return line


def cache_dir_for(cache_dir: Path | None) -> Path:
    """The translation cache of ``toolkit translate``: ``cache_dir`` if given (never inside a
    corpus's articles or outputs), else the corpus cache when run next to a corpus (so
    articles already built are not translated again), else the user's cache directory."""
    if cache_dir is not None:
        from toolkit.corpus.writes import _protected_part as protected_part

        # corpus/original would put translations.sqlite among the articles (every later
        # build fails on it); a corpus's own .cache/ is where its cache belongs.
        part = protected_part(cache_dir / "translations.sqlite", ())
        if part is not None and part != ".cache/":
            raise CacheInsideCorpus(
                f"--cache-dir {cache_dir}: inside a corpus ({part}), which only toolkit build "
                "writes; give a folder outside it (or the corpus's .cache/)"
            )
        return cache_dir
    if Path("corpus/original").is_dir():
        return Path("corpus/.cache")
    from toolkit.prepare.langid_model import user_cache_dir

    return user_cache_dir()


def translate_files(
    names: Sequence[str],
    *,
    config: BuildConfig,
    glossary: Glossary,
    from_code: str | None = None,
    packages_dir: Path | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    prepared: Callable[[DocumentRecord], None] = lambda record: None,
) -> TranslatedFiles:
    """Prepare, translate and check the files ``names`` (``-``: stdin) into
    ``config.target_language``; ``from_code`` overrides language id.

    ``prepared(record)`` is called for each file once it is prepared (for its warnings);
    ``cache_dir`` None translates without a cache.
    """
    from toolkit.pipeline.qa_step import run_qa
    from toolkit.pipeline.refusal import served_by
    from toolkit.pipeline.translate_step import translate_records
    from toolkit.prepare.document import settle_language
    from toolkit.prepare.inputs import input_label, prepare_article
    from toolkit.translation import provider as argos

    result = TranslatedFiles()
    records = []
    provider = argos.ArgosProvider(
        packages_dir=packages_dir, settings=config.translation, cache_dir=cache_dir
    )
    served = served_by(provider, config.target_language)  # as the build judges
    for name in names:
        try:
            record = prepare_article(name, config.prepare, language=from_code)
            record.target_language = config.target_language  # the build's, as in build.py
            settle_language(record, config.prepare.language_id, _how_to_state, served)
        except InputError as exc:  # prepare's names the file; settle's is named here
            label = input_label(name)
            named = str(exc).startswith(f"{label}:")
            result.failed.append(str(exc) if named else f"{label}: {exc}")
            continue
        records.append(record)
        prepared(record)
    translate_records(
        records, provider, glossary, config, result.summary, progress or (lambda s, d, t: None)
    )
    for record in records:
        if record.document in result.summary.errors:  # its package changed while loading
            result.failed.append(f"{record.input.path}: {result.summary.errors[record.document]}")
        elif record.status == "needs-model":
            result.waiting.append(f"{record.input.path}: {record.message}")
        else:
            run_qa(record, glossary, config)
            result.records.append(record)
    return result


def render_translations(records: list[DocumentRecord], fmt: str) -> str:
    """The translations as ``toolkit translate`` prints them.

    ``text``: one line per paragraph, a blank line between files; ``tsv``: one row per
    sentence; ``json``: one object per file with its aligned segments. Each tsv row and json
    segment names its ``source_language``, so ``toolkit qa`` reads the file back without
    ``--src``: :meth:`~toolkit.schema.DocumentRecord.language_of`, the one owner the build's
    QA and ``toolkit export`` ask too (an English quote kept as it is: ``en``; a text with no
    language content: ``zxx``, as its file's ``language``; it said ``en``).
    """
    from toolkit.corpus.formats import (
        TRANSLATE_COLUMNS,
        render_english_text,
        render_tsv_table,
    )
    from toolkit.corpus.paths import shown_name

    if fmt == "json":
        fields = {"id", "source", "english", "flags", "origin"}
        docs = [
            {
                "file": r.input.path,
                "language": r.language.language,
                "removed": [hit.model_dump() for hit in r.cleaning.boilerplate],
                "segments": [
                    {**s.model_dump(include=fields), "source_language": r.language_of(s)}
                    for s in r.segments
                ],
            }
            for r in records
        ]
        from toolkit.corpus.paths import shown_json

        return shown_json(docs, indent=1) + "\n"
    if fmt == "tsv":
        rows = (
            (shown_name(r.input.path), s.id, s.source, s.english or "", ",".join(s.flags),
             r.language_of(s))
            for r in records
            for s in r.segments
        )  # fmt: skip
        return render_tsv_table(TRANSLATE_COLUMNS, rows)
    # text: render_english_text separates paragraphs by blank lines; print one line each.
    blocks = [render_english_text(r.segments).strip().replace("\n\n", "\n") for r in records]
    return "\n\n".join(blocks) + "\n"


def _how_to_state(code: str, note: str) -> str:
    """The fix :func:`toolkit.prepare.document.settle_language` names for ``translate``."""
    return f"give its language with --from (--from {code}{note})"
