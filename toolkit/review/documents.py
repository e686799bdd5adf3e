"""Finding and reading the documents a review shows: by id, original name or meta.json path,
always from the last complete build (:func:`toolkit.corpus.snapshot.read_snapshot`).

Example::

    records = load_documents(Path("corpus"), ["000_de546ec99307b48e"])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from toolkit.corpus.formats import read_meta
from toolkit.corpus.paths import CorpusPaths, check_document_id, document_stem, id_problem
from toolkit.corpus.snapshot import Snapshot, read_snapshot
from toolkit.errors import CorpusError, ToolkitError
from toolkit.schema import DocumentRecord

META_SUFFIX = ".meta.json"


class ReviewError(ToolkitError):
    """A document to review cannot be found or read."""


def given_as_path(doc: str) -> bool:
    """Whether ``doc`` (from the command line) is a path to a ``.meta.json`` file, read as
    it is rather than looked up in the corpus."""
    return doc.endswith(META_SUFFIX) and Path(doc).is_file()


def resolve_document(corpus_root: Path, doc: str) -> Path:
    """The meta.json of ``doc``: a path to one, a document id, or an original's file name."""
    if given_as_path(doc):
        return Path(doc)
    _require_corpus(Path(corpus_root))
    english = CorpusPaths(Path(corpus_root)).english
    if not english.is_dir():
        raise ReviewError(
            f"{english}: no such directory; build the corpus first (`toolkit build {corpus_root}`)"
        )
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
    """Read one meta.json, turning every failure into a one-line :class:`ReviewError`."""
    try:
        return read_meta(path)
    except FileNotFoundError:
        raise ReviewError(f"{path}: no such file") from None
    except OSError as exc:
        raise ReviewError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise ReviewError(
            f"{path}: not a document record ({exc.__class__.__name__}); "
            "rebuild it with `toolkit build`"
        ) from None


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
    that is a path to a ``.meta.json`` file is read from that file as it is.
    """
    root = Path(corpus_root)
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
        if left_out is not None:
            left_out += snapshot.lines() + _unbuilt(root, snapshot)
        if not snapshot.records:
            english = CorpusPaths(root).english
            why = "; ".join(snapshot.lines()) or f"run `toolkit build {root}` first"
            raise ReviewError(f"{english}: no built documents to show; {why}")
        return list(snapshot.records)
    records = []
    for doc in docs:
        if doc in explicit:
            records.append(read_document(Path(doc)))
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
            raise ReviewError(f"{name}: {snapshot.changed[name]}")
        record = snapshot.record(name)
        if record is not None:
            return record
    english = CorpusPaths(root).english
    raise ReviewError(
        f"{doc}: no built document of that name in {english}; "
        f"give a document id such as {_example_id(english)} or a path to a .meta.json"
    )


__all__ = [
    "META_SUFFIX",
    "ReviewError",
    "given_as_path",
    "load_documents",
    "read_document",
    "resolve_document",
    "unbuilt_notice",
]
