"""How a glossary's terms fared in a corpus (``toolkit glossary check``), per document.

Built documents are read from their provenance (found, pinned, restored, lost); documents not
built yet are prepared and scanned for terms (found, nothing pinned).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError
from toolkit.glossary.model import Glossary
from toolkit.glossary.report import TermReport

if TYPE_CHECKING:
    from toolkit.config.prepare import PrepareConfig
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.schema import DocumentRecord


@dataclass
class DocumentTerms:
    """One document's line of the check: its terms, or why it could not be read."""

    document: str
    language: str = ""
    report: TermReport = field(default_factory=TermReport)
    note: str = ""
    """Why the counts are what they are (not translated yet, built with another glossary)."""
    error: str | None = None
    """The document could not be read or prepared (its one-line message)."""


def check_corpus_terms(corpus_dir: Path, glossary: Glossary) -> Iterator[DocumentTerms]:
    """One :class:`DocumentTerms` per original of ``corpus_dir``, in file-name order.

    Raises :class:`~toolkit.errors.ToolkitError` at once (not on iterating) when the corpus
    or its settings cannot be read.
    """
    from toolkit.config.prepare import DecodeConfig, PrepareConfig
    from toolkit.corpus.originals import list_originals
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.settings import load_corpus_settings

    paths = CorpusPaths(corpus_dir)
    originals = list_originals(paths)
    settings = load_corpus_settings(paths.root)  # decode as the build does
    prepare_config = PrepareConfig(decode=settings.applied_to(DecodeConfig()))
    return (_document_terms(paths, o, glossary, prepare_config) for o in originals)


def _document_terms(
    paths: CorpusPaths, original: Path, glossary: Glossary, prepare_config: PrepareConfig
) -> DocumentTerms:
    """The terms of one original: from its provenance if built, else found in its text."""
    from toolkit.corpus.formats import read_meta
    from toolkit.corpus.paths import document_id

    try:
        doc = document_id(original)
    except InputError as exc:  # an unsafe name: reported, never used as a path
        return DocumentTerms(document="", error=f"error: {exc}")
    meta_path = paths.english / f"{doc}.meta.json"
    record = read_meta(meta_path) if meta_path.is_file() else None
    if record is not None and record.status == "built":
        return _built_terms(doc, record, glossary)
    if record is None:
        try:
            record = _prepare(original, prepare_config)
        except InputError as exc:
            return DocumentTerms(document=doc, error=f"{doc}: {exc}")
    return _found_terms(doc, record, glossary)


def _built_terms(doc: str, record: DocumentRecord, glossary: Glossary) -> DocumentTerms:
    """A built document's terms, from its provenance."""
    found = DocumentTerms(document=doc, language=record.language.language)
    if record.glossary and record.glossary.get("sha256") != glossary.sha256:
        found.note = " (built with another glossary version: run toolkit build)"
    for seg in record.segments:
        found.report.add_hits(seg.glossary)
    return found


def _found_terms(doc: str, record: DocumentRecord, glossary: Glossary) -> DocumentTerms:
    """An unbuilt document's terms, found in its sentences."""
    from toolkit.glossary.match import find_matches

    language = record.language.language
    found = DocumentTerms(document=doc, language=language)
    found.note = " (not translated yet: terms found, nothing pinned)"
    for seg in record.segments:
        found.report.add_matches(find_matches(seg.source, language, glossary))
    return found


def _prepare(original: Path, config: PrepareConfig) -> DocumentRecord:
    """An original prepared as the build prepares it (size checked before reading)."""
    from toolkit.pipeline.plan import read_original
    from toolkit.prepare.document import prepare_document

    data = read_original(original, config.decode.max_bytes)
    return prepare_document(data, f"original/{original.name}", config)
