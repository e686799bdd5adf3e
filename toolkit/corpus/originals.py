"""What each name in ``original/`` is, decided once for every command.

A name is an *article* (a regular file the build reads), or one the build never reads:
*hidden* (it starts with a dot), a *symlink* (never followed: it could point anywhere on
the machine, and a corpus must be self-contained), a *directory*, or *special* (a FIFO,
socket or device). The files systems and tools leave in every folder (``.DS_Store``,
``.gitkeep``) are no name at all. ``toolkit build``, ``status``, ``review`` and ``export``
all read :func:`scan_originals` and say :meth:`OriginalName.line` of a name they do not
read, so they cannot disagree (status called a symlink "no original (deleted?)" while the
build said "skipped (symlink)").

A built document whose original's name (the one its last build recorded) became a name the
build refuses to read (its ``x.txt`` replaced by a symlink or a folder, or renamed to its NFD
form, as copying from a Mac does, to ``.x.txt``, or to ``X.txt``) is *held*
(:func:`held_documents`): its English is kept, and every command names the fix, rather than
removed as if its original were deleted. One rule for letter case: document ids are
case-sensitive, two ids that differ only in case clash (one file on macOS and Windows), and
a built original renamed only in case is held, never built as a new document.

Example::

    for entry in scan_originals(CorpusPaths(Path("corpus"))):
        if entry.kind != "article":
            print(entry.line())
"""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from toolkit.arguments import text_list
from toolkit.corpus.paths import (
    ORIGINAL,
    CorpusPaths,
    UnsafeDocumentId,
    corpus_of,
    document_id,
    document_stem,
    shown_name,
)
from toolkit.corpus.system_files import SYSTEM_FILES, apple_double
from toolkit.errors import CorpusError, InputError

Kind = Literal["article", "hidden", "symlink", "directory", "special"]

_WHY: dict[str, str] = {
    "hidden": "hidden: the name starts with a dot; rename it to build it",
    "symlink": "a symlink, never followed: it may point anywhere; replace it with the file itself",
    "directory": (
        "a folder: sub-folders are not read, a document is a file directly in original/; "
        "move its articles up into original/ to build them"
    ),
    "special": "a FIFO, socket or device, never read; replace it with the article file",
}


KEPT_DROP = " (to drop the document instead, delete it or move it out of original/, then build)"
"""What a held document's line ends with: the way to drop the document on purpose."""

_WHAT: dict[str, str] = {
    "hidden": "a hidden file",
    "symlink": "a symlink",
    "directory": "a directory",
    "special": "a FIFO, socket or device",
}


@dataclass(frozen=True)
class OriginalName:
    """One name in ``original/`` and what it is."""

    path: Path
    kind: Kind
    built: str | None = field(default=None, compare=False)
    """For a name that holds a built document (:func:`held_documents`): the name that
    document was built from, which the line names as the fix."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def shown(self) -> str:
        """The name as it may be printed (:func:`~toolkit.corpus.paths.shown_name`)."""
        return shown_name(self.path.name)

    def document(self) -> str | None:
        """The safe document id the name gives, or None (a hidden name gives none)."""
        try:
            return document_id(self.path)
        except UnsafeDocumentId:
            return None

    @property
    def what(self) -> str:
        """``a symlink``, ``a directory``, ...: what a name the build does not read is."""
        return _WHAT[self.kind]

    def line(self, kept: bool = False) -> str:
        """What every command says of a name the build does not read (``kept``: the English
        of the document built from it before is kept, not removed). An article here is a
        built original renamed to its name's NFD form or to other letter case, and a name
        that holds a document (:attr:`built`) names the name to give it back
        (:func:`held_documents`)."""
        line = f"skipped ({self.why}): original/{self.shown}"
        return f"{line}; the English of its last build is kept{KEPT_DROP}" if kept else line

    @property
    def why(self) -> str:
        """Why the build does not read the name, and the fix (what :meth:`line` says)."""
        back = shown_name(self.built or unicodedata.normalize("NFC", self.name))
        if self.kind == "hidden" and self.built is not None:
            return f"hidden: the name starts with a dot; rename it to {back} to build it"
        if self.kind != "article":
            return _WHY[self.kind]
        if unicodedata.normalize("NFC", self.name) != self.name:
            return ("its name is not in Unicode normal form NFC, as copying from a Mac writes "
                    f"it; rename it to {back}")  # fmt: skip
        return (
            f"its name differs only in letter case from {back}, which its document was "
            f"built from, and document ids are case-sensitive; rename it back to {back}"
        )


def scan_originals(paths: CorpusPaths) -> list[OriginalName]:
    """Every name in ``original/`` (system files left out), sorted, with what it is; a
    ``._x.txt`` is macOS's AppleDouble file, left out, only by its content
    (:func:`apple_double`): any other is a hidden name like ``.x.txt`` (a built ``_x.txt``
    renamed is held by :func:`held_documents`; one never built is reported hidden).

    Decided from ``lstat``: a symlink is never followed, so a loop, a dangling link or one
    to ``/dev/zero`` is a symlink like any other. A name gone between the listing and its
    ``lstat`` (renamed by another terminal) is left out. Raises :class:`CorpusError` when
    there is no ``original/`` folder."""
    if not paths.original.is_dir():
        raise CorpusError(paths.missing_original())
    found = [original_named(paths, path.name) for path in sorted(paths.original.iterdir())]
    return [e for e in found if e is not None and not _system_file(e.name, e.path)]


def _system_file(name: str, path: Path) -> bool:
    """``.DS_Store`` and the like, and macOS's AppleDouble ``._x.txt`` (a resource fork, no
    article) told by its content: a ``._x.txt`` without AppleDouble's magic bytes was called
    AppleDouble by its name alone, and a full build said nothing of it, where ``.x.txt`` is
    reported hidden."""
    return apple_double(path) if name.startswith("._") else name in SYSTEM_FILES


def original_named(paths: CorpusPaths, name: str) -> OriginalName | None:
    """What ``original/<name>`` is, from its ``lstat``; None when nothing has that name."""
    path = paths.original / name
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    return OriginalName(path, _kind(name, mode))


def original_document(path: Path) -> tuple[Path, str] | None:
    """The corpus and the document id an original's path names (``corpus/original/x.txt``
    -> ``(corpus, "x")``), whether or not the file is still there: the one rule by which a
    command given an original's path (``review``, ``correct``) finds its document. None when
    ``path`` is not in a corpus's ``original/`` folder; :class:`UnsafeDocumentId` when its
    name gives no document id (the build refuses it too)."""
    root = corpus_of(path, ORIGINAL)
    return None if root is None else (root, document_id(path))


def _kind(name: str, mode: int) -> Kind:
    if name.startswith("."):
        return "hidden"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISREG(mode):
        return "article"
    return "directory" if stat.S_ISDIR(mode) else "special"


def articles(entries: Iterable[OriginalName]) -> list[Path]:
    """The paths of the names the build reads."""
    return [e.path for e in entries if e.kind == "article"]


def list_originals(paths: CorpusPaths) -> list[Path]:
    """The articles in ``original/``, sorted by name (:func:`scan_originals`)."""
    return articles(scan_originals(paths))


def held_documents(
    entries: Iterable[OriginalName], article_ids: Collection[str], built: Mapping[str, str]
) -> dict[str, OriginalName]:
    """Document id -> the name in ``original/`` that holds it, for the built documents
    (``built``: id -> its original's file name at its last build, :func:`built_names`) no
    article has: the build keeps such a document's English (it is not deleted; its original
    is in a form the build refuses to read) and every command names the fix.

    Held is only the very name the document was built from, now a symlink, directory or
    FIFO; that name hidden (``x.txt`` renamed ``.x.txt``); that name in another Unicode form
    (``café.txt`` copied from a Mac as NFD, an unsafe id); or that name in other letter case
    (``X.txt``, as a copy from Windows or a case-insensitive disk may write it: a document of
    its own, ``X``, would overwrite ``x``'s outputs there, and ``x``'s corrections would no
    longer apply), which the build then does not read. Never another name that gives the
    same id (a ``g0.files/`` folder beside a deleted ``g0.txt`` would keep its English
    forever). The held entry carries :attr:`OriginalName.built`, for its line."""
    entries = list(entries)
    by_name = {e.name: e for e in entries if e.kind != "hidden"}
    by_key: dict[str, OriginalName] = {}  # name_key -> the name that may hold (hidden first)
    for entry in sorted(entries, key=lambda e: e.kind != "hidden"):  # stable: then by name
        if entry.kind in ("hidden", "article") and entry.document() not in built:
            by_key.setdefault(name_key(entry.name), entry)  # a built one's own holds no other
    held: dict[str, OriginalName] = {}
    for doc, name in built.items():
        there = by_name.get(name)
        if doc in article_ids or (there is not None and there.kind == "article"):
            continue
        there = there or by_key.get(name_key(name))  # renamed: hidden, NFD, case, or all
        if there is not None:
            held[doc] = replace(there, built=name)
    return held


def name_key(name: str) -> str:
    """The one rule by which a name in ``original/`` is the name a document was built from,
    renamed: Unicode NFC, case-folded, one leading dot stripped (``.Bridge.txt``, NFD
    ``Café.txt`` and ``BRIDGE.txt`` give the key of ``bridge.txt``, ``café.txt``)."""
    nfc = unicodedata.normalize("NFC", name.removeprefix("."))
    return unicodedata.normalize("NFC", nfc.casefold())


def case_note(doc: str, other: str) -> str:
    """What a clash message adds when two document ids are one only case-folded."""
    return "" if doc == other else f" ({other!r}: the ids differ only in letter case)"


def built_names(inputs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Document id -> the file name its original had at its last build, from ``(id,
    input path)`` pairs (a manifest entry's ``document``/``input``, a record's
    ``document``/``input.path``: ``original/x.txt``)."""
    return {doc: path.rsplit("/", 1)[-1] for doc, path in inputs}


def skipped_ids(entries: Iterable[OriginalName]) -> dict[str, str]:
    """Document id -> name of each name the build does not read that gives a safe id (a
    symlink, a FIFO; the first by name), hidden names left out."""
    found: dict[str, str] = {}
    for entry in entries:
        if entry.kind not in ("article", "hidden") and (doc := entry.document()) is not None:
            found.setdefault(doc, entry.name)
    return found


class UnknownOriginal(InputError):
    """``--only DOC`` (``build_corpus(only=...)``) names no original of the corpus (a
    command-line mistake: exit 2)."""

    exit_code = 2


def originals_named(
    root: Path, docs: Iterable[str], option: str = "--only", scan: list[OriginalName] | None = None
) -> list[str]:
    """The original file names meant by ``docs`` (file names or document ids): the one rule
    for ``toolkit build --only`` and ``build_corpus(only=...)``. ``scan``: the caller's
    :func:`scan_originals` of ``root`` (else it is scanned here).

    ``docs`` is any iterable of names, read once (a bare ``str`` is refused:
    :func:`toolkit.arguments.text_list`). Raises :class:`UnknownOriginal`, naming ``option``,
    for a name that matches no original (the build built nothing and said it succeeded),
    and for no name at all (``only=[]``).
    """
    wanted = text_list(docs, "only=", "names")
    if not wanted:  # built nothing and said nothing; None is how to ask for every original
        kind = type(docs).__name__
        given = f"={docs!r}" if isinstance(docs, (list, tuple, set)) else f" (an empty {kind})"
        raise UnknownOriginal(
            f"{option}{given} names no original, so nothing would be built; give the names "
            f"to build, or None to build every original"
        )
    entries = scan_originals(CorpusPaths(Path(root))) if scan is None else scan
    # A name that gives no safe id (document() is None) matches by file name only.
    originals = [e for e in entries if e.kind == "article"]
    names = []
    for doc in wanted:
        found, unread = _matching(entries, doc)
        if not found and not unread and (held := _holder(root, doc)) is not None:
            found, unread = ([held.name], []) if held.kind == "article" else ([], [held])
        if not found and unread:  # a symlink, a folder: there, but never built
            raise UnknownOriginal(_unread_line(root, option, doc, unread[0]))
        if not found:
            example = originals[0].name if originals else "article.txt"
            raise UnknownOriginal(_ignored_line(root, option, doc) or (
                f"{option} {_named(doc)}: no original of that name in {root}/original; "
                f"give a file name or document id such as {example}"
            ))
        names += found
    return names


def _matching(entries: list[OriginalName], doc: str) -> tuple[list[str], list[OriginalName]]:
    """The names of the articles ``doc`` names (a file name or document id; a name that
    gives no safe id matches by file name only), and the other names it names."""
    named = [e for e in entries if doc in (e.name, e.document())]
    if not named:  # the name in another Unicode form (NFC typed, NFD on disk as macOS
        # writes it): the file meant, whose build then says to rename it (no safe id)
        key = unicodedata.normalize("NFC", doc)
        named = [e for e in entries if key in _nfc_names(e.name)]
        # ... but of twins (café.txt in NFC and in NFD), only the one named as typed
        named = [e for e in named if doc == document_stem(e.name)] or named
    return [e.name for e in named if e.kind == "article"], [e for e in named if e.kind != "article"]


def _nfc_names(name: str) -> tuple[str, str]:
    """``name`` and the id it would give (:func:`document_stem`), both in NFC."""
    return unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", document_stem(name))


def _holder(root: Path, doc: str) -> OriginalName | None:
    """The name in ``original/`` that holds the built document ``doc`` names (its id, the
    name it was built from, or the holding name itself: ``bridge``/``bridge.txt`` when
    ``bridge.txt`` became ``Bridge.txt``; ``._x.txt``, a built ``_x.txt`` hidden), or None:
    ``--only bridge`` said "no original of that name" of a document whose English the build
    keeps. Asked only for a name no original has (the manifest is read)."""
    held = read_originals(root)[1]
    return held.get(doc) or next((e for e in held.values() if doc in (e.built, e.name)), None)


def _ignored_line(root: Path, option: str, doc: str) -> str | None:
    """``--only`` of a file the build ignores as no name at all (``._x.txt``, macOS's
    AppleDouble file; ``.DS_Store``): what it is, not "no original of that name"."""
    if "/" in doc or "\x00" in doc:  # no path: one name only
        return None
    entry = original_named(CorpusPaths(Path(root)), doc)
    if entry is None or not _system_file(doc, entry.path):
        return None
    why = (
        f"macOS's AppleDouble file (the resource fork of {shown_name(doc[2:])} on a disk "
        "without them), not an article"
        if doc.startswith("._")
        else "a file systems and tools leave in any folder, not an article"
    )
    return f"{option} {shown_name(doc)}: original/{entry.shown} is ignored: {why}"


def _named(doc: str) -> str:
    """``doc`` as a message names it: quoted when blank (``only=['']`` read "only : no
    original"), else as it is, escaped."""
    return repr(doc) if not doc.strip() else shown_name(doc)


def _unread_line(root: Path, option: str, doc: str, entry: OriginalName) -> str:
    """``--only DOC`` for a name the build does not read: what it is, or, when it holds a
    built document (:func:`held_documents`), that document and the name to give it back."""
    held = {e.name: (held_doc, e) for held_doc, e in read_originals(root)[1].items()}
    if entry.name not in held:
        return f"{option} {shown_name(doc)}: original/{entry.shown} is never built: {entry.why}"
    held_doc, entry = held[entry.name]
    return (
        f"{option} {shown_name(doc)}: original/{entry.shown} holds the built document "
        f"{held_doc!r}, not built while it has this name: {entry.why}"
    )


def original_ids(entries: Iterable[OriginalName]) -> dict[str, str]:
    """Name in ``original/`` -> its document id, for the articles a build would build (a name
    that gives no safe id is left out)."""
    ids = {}
    for entry in entries:
        if entry.kind == "article" and (doc := entry.document()) is not None:
            ids[entry.name] = doc
    return ids


def articles_and_held(
    entries: list[OriginalName], built: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, OriginalName]]:
    """Which documents are there, from one listing (``built``: id -> its original's name):
    each article's id (:func:`original_ids`), each built document held (:func:`held_documents`).
    The one answer of the plan, :func:`toolkit.corpus.gone.present_documents`, the readers."""
    ids = original_ids(entries)
    return ids, held_documents(entries, set(ids.values()), built)


def read_originals(root: Path) -> tuple[dict[str, str], dict[str, OriginalName]]:
    """What a reader of the built corpus (export, review, qa) needs of ``root/original``:
    :func:`articles_and_held` of the manifest's documents, from one scan."""
    from toolkit.corpus.formats import read_manifest

    paths = CorpusPaths(Path(root))
    manifest = read_manifest(paths.manifest)
    built = built_names((doc, entry.input) for doc, entry in manifest.items())
    return articles_and_held(scan_originals(paths), built)
