"""Whether the documents a review shows are what a build would write now.

A review shows the last build. When a build would now write a document differently
(``toolkit status`` calls it stale or out of date: the glossary, settings, versions, model or
corrections changed, or its original was edited), a reviewer who is not told reviews and
corrects English that the next build replaces. The question is asked of the build's own plan
(:func:`toolkit.pipeline.status.stale_documents`), with the glossary and models given to
``review`` (by default those a plain ``toolkit build`` uses), exactly as ``status`` asks it;
the answer is in status's words (``stale: glossary changed; toolkit build rebuilds it``).

Example::

    stale = review_staleness(Path("corpus"), {"000_de546ec99307b48e"}, None, glossary)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.paths import CorpusPaths
from toolkit.review.documents import read_from_file

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.schema import DocumentRecord

UNKNOWN = ""
"""The key under which the answer holds the one line saying the question could not be
answered (a broken glossary file): no document is then called current or stale."""

NOT_CURRENT = "NOT CURRENT"
"""How a stale document's header is marked (terminal, HTML page, workbench)."""

READ_ONLY = "shown as last built, not as a build would write it now"
"""What the terminal and the HTML page add to the reason: they show, and cannot rebuild."""

WORKBENCH = (
    f"{READ_ONLY}. You can still review it: each save, acceptance or dismissal is recorded "
    "and the document rebuilt (with this workbench's glossary, models and settings), then the page "
    "shows what that build wrote; an acceptance lapses where the rebuild changed that row's "
    "English"
)
"""What the workbench adds to the reason: an action there rebuilds the document (which
makes it current, unless its model is missing here), so editing a stale document is
allowed, and the page shows every row again after it."""


def review_staleness(
    corpus_root: Path,
    documents: set[str],
    packages_dir: Path | None,
    glossary: Glossary,
    config: BuildConfig | None = None,
) -> dict[str, str]:
    """Document id -> why a build would now write it differently, for those of
    ``documents`` that it would; :data:`UNKNOWN` -> one line when that cannot be told.
    ``config``: the build's settings with ``--max-bytes`` and ``--encoding`` (default:
    neither). Nothing is asked without documents or without the corpus's ``original/``."""
    return not_current(review_states(corpus_root, documents, packages_dir, glossary, config))


def review_states(
    corpus_root: Path,
    documents: set[str],
    packages_dir: Path | None,
    glossary: Glossary,
    config: BuildConfig | None = None,
) -> dict[str, tuple[str, str]]:
    """Document id -> its state and line as ``toolkit status`` says them
    (:func:`toolkit.pipeline.status.reader_states`: ``needs model`` for one kept without
    its model here), asked as :func:`review_staleness` asks; :func:`review_staleness` is
    :func:`~toolkit.pipeline.status.not_current` of it. Nothing is asked without documents
    or without the corpus's ``original/``."""
    if not documents or not CorpusPaths(corpus_root).is_corpus():
        return {}
    from toolkit.pipeline.status import reader_states

    root = Path(corpus_root)
    return reader_states(root, documents, packages_dir, glossary, config=config)


def not_current(states: dict[str, tuple[str, str]]) -> dict[str, str]:
    """:func:`toolkit.pipeline.status.not_current` (imported when asked: the plan's modules)."""
    from toolkit.pipeline import status

    return status.not_current(states) if states else {}


def may_hold_edits(states: dict[str, tuple[str, str]], doc: str) -> bool:
    """Whether ``doc``'s English may hold hand edits (what
    :func:`~toolkit.review.documents.recorded_english` looks for), by status's ``states``:
    in every state but those status gives only English as the build wrote it (``built``,
    ``needs model``, ``stale``: a document changed since the build is none of them); any
    document without ``states``. ``skipped``, ``edited`` and ``error`` replace ``changed
    since build`` in status's row, so looking only for that word counted replaced English
    as the build's. The workbench's overview looked at every document (each look hashes
    its English), where review looks only at those that may hold edits."""
    from toolkit.pipeline.states import AS_WRITTEN

    state = states.get(doc)
    return not states or state is None or state[0] not in AS_WRITTEN


def state_fields(record: DocumentRecord, states: dict[str, tuple[str, str]]) -> dict[str, str]:
    """A document's ``status`` and ``message`` in the overview and document view: the state
    and line ``toolkit status`` gives (``needs model`` for English kept without its model
    here, not the record's ``built``), the line left out where it is why the document is not
    current (shown as that); without ``states`` (no staleness asked) the record's state
    word."""
    from toolkit.pipeline.states import state_word

    found = states.get(record.document)
    if found is None:
        return {"status": state_word(record.status), "message": record.message or ""}
    state, line = found
    return {"status": state, "message": "" if not_current({record.document: found}) else line}


def corpus_documents(
    corpus_root: Path, docs: Sequence[str], records: Sequence[DocumentRecord]
) -> set[str]:
    """The ids of ``records`` (loaded for ``docs``, all built documents when empty) that are
    the corpus's own: all of them, except those read from a ``.meta.json`` path outside
    ``CORPUS/english`` (a copy, or another corpus's: its original is not this corpus's)."""
    if not docs:
        return {r.document for r in records}
    english = CorpusPaths(corpus_root).english.resolve()
    return {
        record.document
        for doc, record in zip(docs, records, strict=True)
        if not read_from_file(doc) or Path(doc).resolve().parent == english
    }


def stale_note(why: str, note: str = READ_ONLY) -> str:
    """What a reader is told about a document a build would now write differently: ``why``
    (status's words) and ``note`` (what that means where it is shown)."""
    return f"{why}; {note}"


def stale_lines(stale: dict[str, str], note: str = READ_ONLY) -> list[str]:
    """One line per stale document (``DOC: stale: glossary changed; toolkit build rebuilds
    it; <note>``), or the one line saying staleness could not be told."""
    if UNKNOWN in stale:
        return [stale[UNKNOWN]]
    return [f"{doc}: {stale_note(why, note)}" for doc, why in sorted(stale.items())]


__all__ = [
    "NOT_CURRENT",
    "READ_ONLY",
    "UNKNOWN",
    "WORKBENCH",
    "corpus_documents",
    "not_current",
    "review_staleness",
    "review_states",
    "stale_lines",
    "stale_note",
    "state_fields",
]
