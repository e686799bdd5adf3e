"""Whose record a reviewer action may be recorded against: the corpus's own built record.

:func:`toolkit.corpus.actions.record_action` asks :func:`require_own_record` before it
writes a row to a corpus's corrections file.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.corpus.corrections import CorrectionsError
from toolkit.schema import DocumentRecord


def in_corrections(file: Path, corpus_root: Path) -> bool:
    """Whether ``file`` is in ``corpus_root``'s corrections folder, however it is spelled
    (``corrections/../corrections/x``, a relative root, a symlink): compared as written, such a
    spelling of the corpus's own file skipped the own-record check."""
    from toolkit.corpus.paths import CorpusPaths

    folder = os.path.realpath(CorpusPaths(Path(corpus_root)).corrections)
    return os.path.realpath(file).startswith(folder + os.sep)


def require_own_record(corpus_root: Path, record: DocumentRecord, file: Path | None) -> None:
    """Refuse ``record`` unless it is ``corpus_root``'s built record of its id: that
    meta.json's content, field for field. A ``file`` other than the corpus's corrections
    file (a pairs file's sidecar) has no build to compare with: not checked.

    The command line reads the record from the corpus it writes to
    (:func:`toolkit.review.documents.document_corpus` refuses another corpus's path); a
    library caller hands the record over, and another corpus's record, an older build's or
    a crafted one (same original, other sentences) was saved as this corpus's correction,
    keyed by a sentence the build does not hold (an orphan at once)."""
    from toolkit.corpus.formats import MetaError, read_meta
    from toolkit.corpus.paths import CorpusPaths, check_document_id, shown_name

    if file is not None and not in_corrections(Path(file), corpus_root):
        return
    meta = CorpusPaths(corpus_root).english / f"{check_document_id(record.document)}.meta.json"
    try:
        own = read_meta(meta)
    except MetaError:
        own = None
    if own is None:
        why = "no build of that id"
    elif (own.input.path, own.input.sha256) != (record.input.path, record.input.sha256):
        why = "its build of that id read other bytes"
    elif own.model_dump(mode="json") != record.model_dump(mode="json"):
        why = "it differs from its build of that id: an older build's, or changed since read"
    else:
        return
    raise CorrectionsError(
        f"{corpus_root}: the record of {shown_name(record.document)!r} "
        f"({shown_name(record.input.path)}, sha256 {record.input.sha256[:12]}) is not this "
        f"corpus's ({why}); give the corpus the record was read from, or read the "
        f"record from {meta}"
    )
