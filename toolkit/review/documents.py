"""Finding and reading the documents a review shows: by id, original name or meta.json path,
always from the last complete build (:func:`toolkit.corpus.snapshot.read_snapshot`).

Example::

    records = load_documents(Path("corpus"), ["000_de546ec99307b48e"])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from toolkit.corpus.formats import MetaError, read_meta
from toolkit.corpus.originals import original_document
from toolkit.corpus.paths import (
    ENGLISH,
    ORIGINAL,
    OUTPUT_SUFFIXES,
    CorpusPaths,
    build_first,
    check_document_id,
    corpus_of,
    document_stem,
    id_problem,
    nothing_built,
)
from toolkit.corpus.snapshot import Snapshot, read_snapshot
from toolkit.errors import CorpusError, ToolkitError
from toolkit.schema import DocumentRecord, ManifestEntry

META_SUFFIX = ".meta.json"


class ReviewError(ToolkitError):
    """A document to review cannot be found or read."""


def given_as_path(doc: str) -> bool:
    """Whether ``doc`` (from the command line) names a file rather than a document id: it has
    a directory part (``other/english/x.meta.json`` is never looked up as ``x`` in the
    --corpus), or it is an existing output file (``.meta.json``, ``.aligned.tsv``, ``.en.txt``)."""
    return "/" in doc or os.sep in doc or (doc.endswith(OUTPUT_SUFFIXES) and Path(doc).is_file())


def original_of(doc: str) -> tuple[Path, str] | None:
    """The corpus and document id of ``doc`` when it is an original's path
    (``corpus/original/x.txt``: its name names its document, by
    :func:`toolkit.corpus.originals.original_document`); None for anything else."""
    return original_document(Path(doc)) if given_as_path(doc) else None


def read_from_file(doc: str) -> bool:
    """Whether ``doc`` is read from the output file it names as it is (a ``.meta.json``
    path, or one beside its ``.aligned.tsv``), not looked up in the corpus's last build as a
    document id, an original's name or an original's path are."""
    return given_as_path(doc) and original_of(doc) is None


def meta_of_path(doc: str) -> Path:
    """The meta.json of the document whose output file ``doc`` names (its own, or the one
    beside its ``.aligned.tsv``/``.en.txt``); :class:`ReviewError` if there is none."""
    path = Path(doc)
    suffix = next((s for s in OUTPUT_SUFFIXES if path.name.endswith(s)), None)
    if path.parent.name == ORIGINAL:  # an original's path, and original_of found no corpus
        raise ReviewError(f"{doc}: {build_first(path.parent.parent)}")
    if suffix is None or path.name == suffix:
        raise ReviewError(
            f"{doc}: not a document's file; give a document id, or the path of its "
            f".meta.json or .aligned.tsv in a corpus's {ENGLISH}/ folder"
        )
    meta = path.with_name(path.name.removesuffix(suffix) + META_SUFFIX)
    if not meta.is_file():
        raise ReviewError(f"{meta}: no such file; give a built document's path or its id")
    return meta


def corpus_holding(meta: Path) -> Path | None:
    """The corpus whose ``english/`` folder holds ``meta`` (found from the path: its folder
    is named ``english`` and the folder above is a corpus); None when it is in no corpus (a
    copy): :func:`toolkit.corpus.paths.corpus_of`, as an original's path finds its corpus."""
    return corpus_of(meta, ENGLISH)


def document_corpus(
    docs: Iterable[str],
    corpus_root: Path,
    *,
    corpus_given: bool,
    copies: bool = False,
    option: str = "--corpus",
) -> Path:
    """The corpus ``docs`` (ids, names or paths from the command line) belong to: the corpus
    holding each one given as a path (:func:`corpus_holding`), else ``corpus_root`` (from
    --corpus). Raises :class:`ReviewError` in one line when paths name two corpora, when
    --corpus (``corpus_given``) names another corpus than a path's, or when a path is in no
    corpus (unless ``copies``: a read-only review shows a copied meta.json as it is).
    ``option``: how the caller was given ``corpus_root``, for the message (the library's
    :func:`load_documents` says ``corpus_root``). The one rule, for the command line and
    the library."""
    holders: dict[Path, Path] = {}
    for doc in docs:
        if not given_as_path(doc):
            continue
        original = original_of(doc)
        root = original[0] if original else corpus_holding(meta_of_path(doc))
        if root is None and not copies:
            raise ReviewError(
                f"{doc}: is in no corpus's {ENGLISH}/ folder; give the document's id with "
                f"--corpus CORPUS, or its path in CORPUS/{ENGLISH}/"
            )
        if root is not None:
            holders.setdefault(root.resolve(), root)
    if len(holders) > 1:
        raise ReviewError(f"{', '.join(map(str, holders.values()))}: documents of two corpora; "
                          "give documents of one corpus")  # fmt: skip
    root = next(iter(holders.values()), None)
    if root is None:
        return Path(corpus_root)
    if root.resolve() != Path(corpus_root).resolve():
        if corpus_given:
            fix = "drop --corpus" if option == "--corpus" else f"give {root} as {option}"
            raise ReviewError(
                f"{root}: the document's corpus is not {option} {corpus_root}; "
                f"{fix}, or give the document's id"
            )
        _refuse_ids_of_another_corpus(docs, root, Path(corpus_root))
    return root


def _refuse_ids_of_another_corpus(docs: Iterable[str], root: Path, corpus_root: Path) -> None:
    """A bare id given with a path of corpus ``root`` would be looked up in ``root``, while
    alone it means the document of --corpus (``corpus_root``, ./corpus by default): when
    that is a corpus too, which one is meant is a guess, so refuse naming both."""
    bare = [doc for doc in docs if not given_as_path(doc)]
    if bare and CorpusPaths(corpus_root).is_corpus():
        raise ReviewError(
            f"{bare[0]}: a document id given with a path in corpus {root}, while --corpus is "
            f"{corpus_root}; give --corpus {root} to look it up in {root}, or give each "
            "document of one corpus by its path"
        )


def resolve_document(corpus_root: Path, doc: str) -> Path:
    """The meta.json of ``doc``: a path to a document's file, a document id, or an
    original's file name or path (looked up in ``corpus_root``). A path must be in
    ``corpus_root`` (:func:`document_corpus`): its document is corrected there."""
    document_corpus([doc], Path(corpus_root), corpus_given=True, option="corpus_root")
    if read_from_file(doc):
        return meta_of_path(doc)
    original, original_doc = original_of(doc), doc
    doc = original[1] if original else doc
    _require_corpus(Path(corpus_root))
    english = CorpusPaths(Path(corpus_root)).english
    if not english.is_dir():
        if original is not None and not Path(original_doc).exists():  # a build makes no x
            raise ReviewError(f"{original_doc}: no such original, and {corpus_root} has no "
                              f"built documents ({english}: no such directory)")  # fmt: skip
        raise ReviewError(nothing_built(Path(corpus_root)))
    for name in _candidate_ids(doc):
        candidate = english / f"{name}{META_SUFFIX}"
        if candidate.is_file():
            return candidate
    raise ReviewError(
        f"{doc}: no built document of that name in {english}; "
        f"give a document id such as {_example_id(english)} or a path to a .meta.json"
    )


def _candidate_ids(doc: str) -> list[str]:
    """The document ids ``doc`` (from the command line) may mean: the id itself, an
    original's file name, a meta.json's name; only safe ids (never a path to follow)."""
    names = (doc, document_stem(doc), doc.removesuffix(META_SUFFIX), Path(doc).name)
    found = [n for n in dict.fromkeys(names) if id_problem(n) is None]
    if not found:
        check_document_id(doc, "DOC")  # raises: say why the argument cannot be an id
    return found


def _require_corpus(root: Path) -> None:
    if not root.is_dir():
        raise ReviewError(f"{root}: no such corpus directory; give one with --corpus")


def _example_id(english: Path) -> str:
    first = next(iter(sorted(english.glob(f"*{META_SUFFIX}"))), None)
    return first.name.removesuffix(META_SUFFIX) if first else "000_abc"


def read_document(path: Path) -> DocumentRecord:
    """Read one meta.json, every failure a one-line :class:`ReviewError` (read_meta's words)."""
    try:
        return read_meta(path)
    except MetaError as exc:
        raise ReviewError(str(exc)) from None


def load_documents(
    corpus_root: Path,
    docs: Sequence[str],
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    left_out: list[str] | None = None,
) -> list[DocumentRecord]:
    """The records of ``docs`` in the order given; all built documents (sorted) when empty.

    Records come from :func:`toolkit.corpus.snapshot.read_snapshot`: the last complete build, each
    document's files checked against the manifest's hashes (``wait``: wait for a running
    build first). A requested document whose files changed since the build is an error;
    with no ``docs``, such documents are left out and described in ``left_out``, and so
    are the originals with no English at all (never built, or their build failed). A DOC
    that is a path to a ``.meta.json`` file is read from that file as it is, if it is in
    ``corpus_root`` or in no corpus (a copy); a path in another corpus is refused
    (:func:`document_corpus`, the rule the command line applies too).
    """
    root = Path(corpus_root)
    document_corpus(docs, root, corpus_given=True, copies=True, option="corpus_root")
    docs = [original[1] if (original := original_of(d)) else d for d in docs]
    explicit = {d for d in docs if given_as_path(d)}
    snapshot = None
    if len(explicit) < len(set(docs)) or not docs:
        _require_corpus(root)
        try:
            snapshot = read_snapshot(root, wait=wait, on_wait=on_wait)
        except CorpusError as exc:
            raise ReviewError(str(exc)) from None
    if not docs:
        assert snapshot is not None
        shown = {doc: r for doc in snapshot.changed if (r := recorded_english(root, doc))}
        if left_out is not None:
            left_out += [x for x in snapshot.lines() if x.split(": ", 1)[0] not in shown]
            left_out += _unbuilt(root, snapshot)
        if shown:
            return sorted([*snapshot.records, *shown.values()], key=lambda r: r.document)
        if not snapshot.records:
            english = CorpusPaths(root).english
            why = "; ".join(snapshot.lines()) or f"run `toolkit build {root}` first"
            raise ReviewError(f"{english}: no built documents to show; {why}")
        return list(snapshot.records)
    records = []
    for doc in docs:
        if doc in explicit:
            records.append(read_document(meta_of_path(doc)))
            continue
        assert snapshot is not None
        records.append(_snapshot_record(root, snapshot, doc))
    return records


def _unbuilt(root: Path, snapshot: Snapshot) -> list[str]:
    """:func:`unbuilt_notice` of a snapshot: those changed since the build are named already,
    with why."""
    return unbuilt_notice(root, [r.input.path for r in snapshot.records], snapshot.changed)


def unbuilt_notice(root: Path, shown: Iterable[str], changed: Iterable[str] = ()) -> list[str]:
    """The line every review (terminal, ``--html``, workbench) says of the originals with no
    English at all (never built, or failed), in export's words; none when there are none.
    ``shown``: the ``input.path`` of each document the review shows; ``changed``: ids of
    documents it names elsewhere, with why."""
    from toolkit.pipeline.unbuilt import unbuilt_lines, unbuilt_originals

    return unbuilt_lines(root, unbuilt_originals(root, shown, changed), "shown")


def _snapshot_record(root: Path, snapshot: Snapshot, doc: str) -> DocumentRecord:
    for name in _candidate_ids(doc):
        if name in snapshot.changed:
            if (recorded := recorded_english(root, name)) is not None:
                return recorded
            raise ReviewError(f"{name}: {snapshot.changed[name]}")
        record = snapshot.record(name)
        if record is not None:
            return record
    english = CorpusPaths(root).english
    raise ReviewError(
        f"{doc}: no built document of that name in {english}; "
        f"give a document id such as {_example_id(english)} or a path to a .meta.json"
    )


def recorded_english(
    root: Path, doc: str, entry: ManifestEntry | None = None
) -> DocumentRecord | None:
    """What ``doc``'s English holds when what changed in it since the build is hand edits all
    recorded as corrections, else None: its build record with those corrections applied (the
    typed English, each such row ``corrected by``), shown with status's line (e.g. kept as it
    is without its model: NOT CURRENT). Review refused it as changed since build; then it
    showed the build's record, the English the user had replaced. ``entry``: ``doc``'s in the
    manifest, when the caller has read it (else read here).

    Each row is paired with the build's: only a row whose English the corrections changed
    loses the build's flags (of English gone: no QA has read the typed English yet); an
    accepted row, or one corrected before the build, keeps them (QA read that English). A row
    corrected before the build keeps its machine English (``correction["machine"]``, the
    reviewer's diff): applying the corrections again named the human English the build wrote.

    The corrected record is shown only where each edited file holds what it renders
    (:attr:`~toolkit.corpus.edits.DocumentEdits.holds_corrected`); else the build's record, with
    status's line: a correction recorded since (``correct --no-build``) is in no English file,
    and showing it named English the corpus does not hold as the document's."""
    from toolkit.corpus.edits import document_edits
    from toolkit.corpus.formats import read_manifest

    paths = CorpusPaths(root)
    entry = entry if entry is not None else read_manifest(paths.manifest).get(doc)
    if entry is None:
        return None
    edits = document_edits(paths, doc, entry)
    shown, built = edits.corrected, edits.record
    if not edits.recorded or shown is None or built is None:
        return None
    if not edits.holds_corrected:  # a correction recorded since is in no file: as built
        return built
    for seg, was in zip(shown.segments, built.segments, strict=True):
        if seg.english != was.english:
            seg.drop_flags({*seg.flags, *(q.check for q in seg.qa)})  # of English gone
        machine = (was.correction or {}).get("machine")
        if machine is not None and seg.correction is not None and "machine" in seg.correction:
            seg.correction["machine"] = machine
    return shown


__all__ = [
    "META_SUFFIX",
    "ReviewError",
    "corpus_holding",
    "document_corpus",
    "given_as_path",
    "load_documents",
    "meta_of_path",
    "original_of",
    "read_document",
    "read_from_file",
    "recorded_english",
    "resolve_document",
    "unbuilt_notice",
]
