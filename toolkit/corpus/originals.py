"""What each name in ``original/`` is, decided once for every command.

A name is an *article* (a regular file the build reads), or one the build never reads:
*hidden* (it starts with a dot), a *symlink* (never followed: it could point anywhere on
the machine, and a corpus must be self-contained), a *directory*, or *special* (a FIFO,
socket or device). The files systems and tools leave in every folder (``.DS_Store``,
``.gitkeep``) are no name at all. ``toolkit build``, ``status``, ``review`` and ``export``
all read :func:`scan_originals` and say :meth:`OriginalName.line` of a name they do not
read, so they cannot disagree (status called a symlink "no original (deleted?)" while the
build said "skipped (symlink)").

A built document whose original became a name the build refuses to read (its ``x.txt``
replaced by a symlink or a folder) is *held* (:func:`held_documents`): its English is kept,
and every command names the fix, rather than removed as if its original were deleted.

Example::

    for entry in scan_originals(CorpusPaths(Path("corpus"))):
        if entry.kind != "article":
            print(entry.line())
"""

from __future__ import annotations

import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.arguments import text_list
from toolkit.corpus.paths import CorpusPaths, UnsafeDocumentId, document_id, shown_name
from toolkit.errors import CorpusError, InputError

Kind = Literal["article", "hidden", "symlink", "directory", "special"]

# Hidden files that systems and tools put in any folder: never articles, not reported.
_SYSTEM_FILES = frozenset({".DS_Store", ".gitkeep", ".gitignore", ".keep", ".directory"})

_WHY: dict[str, str] = {
    "hidden": "hidden: the name starts with a dot; rename it to build it",
    "symlink": "a symlink, never followed: it may point anywhere; replace it with the file itself",
    "directory": "a directory, not an article file; replace it with the article file",
    "special": "a FIFO, socket or device, never read; replace it with the article file",
}


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
        of the document built from it before is kept, not removed)."""
        line = f"skipped ({_WHY[self.kind]}): original/{self.shown}"
        return f"{line}; the English of its last build is kept" if kept else line


def scan_originals(paths: CorpusPaths) -> list[OriginalName]:
    """Every name in ``original/`` (system files left out), sorted, with what it is.

    Decided from ``lstat``: a symlink is never followed, so a loop, a dangling link or one
    to ``/dev/zero`` is a symlink like any other. A name gone between the listing and its
    ``lstat`` (renamed by another terminal) is left out. Raises :class:`CorpusError` when
    there is no ``original/`` folder."""
    if not paths.original.is_dir():
        raise CorpusError(
            f"{paths.original}: no such directory; "
            "a corpus needs an original/ folder with the articles"
        )
    found = (original_named(paths, path.name) for path in sorted(paths.original.iterdir()))
    return [entry for entry in found if entry is not None and entry.name not in _SYSTEM_FILES]


def original_named(paths: CorpusPaths, name: str) -> OriginalName | None:
    """What ``original/<name>`` is, from its ``lstat``; None when nothing has that name."""
    path = paths.original / name
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    return OriginalName(path, _kind(name, mode))


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
    entries: Iterable[OriginalName], article_ids: Collection[str]
) -> dict[str, OriginalName]:
    """Document id -> the symlink, directory or FIFO that has it (the first by name), for the
    ids no article has: the build keeps such a document's English (it is not deleted; its
    original is in a form the build refuses to read) and every command names the fix."""
    held: dict[str, OriginalName] = {}
    for entry in entries:
        if entry.kind in ("article", "hidden"):
            continue
        doc = entry.document()
        if doc is not None and doc not in article_ids:
            held.setdefault(doc, entry)
    return held


class UnknownOriginal(InputError):
    """``--only DOC`` (``build_corpus(only=...)``) names no original of the corpus (a
    command-line mistake: exit 2)."""

    exit_code = 2


def originals_named(root: Path, docs: Iterable[str], option: str = "--only") -> list[str]:
    """The original file names meant by ``docs`` (file names or document ids): the one rule
    for ``toolkit build --only`` and ``build_corpus(only=...)``.

    ``docs`` is any iterable of names, read once (a bare ``str`` is refused:
    :func:`toolkit.arguments.text_list`). Raises :class:`UnknownOriginal`, naming ``option``,
    for a name that matches no original (the build built nothing and said it succeeded).
    """
    wanted = text_list(docs, "only=", "names")

    def safe_id(path: Path) -> str | None:
        # A name that gives no safe id matches by file name only; the build reports it.
        try:
            return document_id(path)
        except UnsafeDocumentId:
            return None

    originals = list_originals(CorpusPaths(Path(root)))
    names = []
    for doc in wanted:
        found = [p.name for p in originals if doc in (p.name, safe_id(p))]
        if not found:
            example = originals[0].name if originals else "article.txt"
            raise UnknownOriginal(
                f"{option} {shown_name(doc)}: no original of that name in {root}/original; "
                f"give a file name or document id such as {example}"
            )
        names += found
    return names


def original_ids(entries: Iterable[OriginalName]) -> dict[str, str]:
    """Name in ``original/`` -> its document id, for the articles a build would build (a name
    that gives no safe id is left out)."""
    ids = {}
    for entry in entries:
        if entry.kind == "article" and (doc := entry.document()) is not None:
            ids[entry.name] = doc
    return ids


def read_originals(root: Path) -> tuple[dict[str, str], dict[str, OriginalName]]:
    """What a reader of the built corpus (export, review, qa) needs of ``root/original``:
    :func:`original_ids` and :func:`held_documents`, from one scan."""
    entries = scan_originals(CorpusPaths(Path(root)))
    ids = original_ids(entries)
    return ids, held_documents(entries, set(ids.values()))
