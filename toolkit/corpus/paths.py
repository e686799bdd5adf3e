"""Where a corpus's files live, and the one document id.

Layout of a corpus directory::

    corpus/
      original/            articles as received (never modified)
      english/             <stem>.en.txt, <stem>.aligned.tsv, <stem>.meta.json
      corrections/         <stem>.corrections.tsv (:mod:`toolkit.corpus.corrections`)
      manifest.jsonl       one line per document, written last
      .cache/              translation cache (SQLite)

Every id read from a file name, the manifest, a meta.json, a corrections file name or the
command line is untrusted: :func:`check_document_id` vets it before a path is built.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError

OUTPUT_SUFFIXES = (".en.txt", ".aligned.tsv", ".meta.json")

# The names of a corpus's parts, owned here: every other module builds its paths through
# CorpusPaths (or names these constants), never with its own string literal.
ORIGINAL, ENGLISH, CORRECTIONS, CACHE = "original", "english", "corrections", ".cache"
MANIFEST = "manifest.jsonl"
STAGED_META = ".staged-meta.txt"
"""In the corpus root while a build renames its outputs (:mod:`toolkit.corpus.staged`)."""
SETTINGS_FILE = "settings.yaml"
GLOSSARY_NAME = "glossary.yaml"
CORPUS_FOLDERS = (ORIGINAL, ENGLISH, CORRECTIONS, CACHE)
"""Folders of a corpus that only the toolkit writes (or, for original/, nobody)."""


@dataclass(frozen=True)
class CorpusPaths:
    root: Path

    def __post_init__(self) -> None:
        # Accept a str (or any os.PathLike) root, like every other path parameter.
        object.__setattr__(self, "root", Path(self.root))

    @property
    def original(self) -> Path:
        return self.root / ORIGINAL

    @property
    def english(self) -> Path:
        return self.root / ENGLISH

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE

    @property
    def corrections(self) -> Path:
        return self.root / CORRECTIONS

    def missing_original(self) -> str:
        """The line for a root without ``original/``; a corpus's own folder given as the root
        (``toolkit build corpus/original``) is named, with the corpus to give instead."""
        line = f"{self.original}: no such directory; a corpus needs an original/ folder with the "
        line += "articles"
        parent = self.root.parent
        if self.root.name in (ORIGINAL, ENGLISH, CORRECTIONS) and CorpusPaths(parent).is_corpus():
            line += f"; {self.root} is a folder of the corpus {parent}: did you mean {parent}?"
        return line

    def is_corpus(self) -> bool:
        """Whether ``root`` is a corpus: what makes a folder one is its ``original/`` folder.

        >>> CorpusPaths(Path("/nonexistent")).is_corpus()
        False
        """
        return self.original.is_dir()


def build_first(root: Path) -> str:
    """What to do about a corpus ``root`` with no built documents, said only when true:
    build it when it has an ``original/`` folder, else it is no corpus at all (a build of it
    would fail: no articles to build)."""
    paths = CorpusPaths(root)
    if paths.is_corpus():
        return f"build the corpus first: run toolkit build {root}"
    nor = "" if paths.english.is_dir() else f" (nor {ENGLISH}/)"
    return f"{root} is not a corpus: it has no {ORIGINAL}/ folder{nor}"


def nothing_built(root: Path) -> str:
    """The one line for a corpus ``root`` with nothing built yet, as correct, review, export
    and qa say it (they worded it three ways): ``corpus: no built documents; build the
    corpus first: run toolkit build corpus`` (:func:`build_first`)."""
    return f"{root}: no built documents; {build_first(root)}"


def corpus_of(path: Path, part: str) -> Path | None:
    """The corpus whose ``part`` folder (:data:`ORIGINAL`, :data:`ENGLISH`) holds ``path``,
    found from the path alone (the file need not exist): its folder is named ``part`` (as
    given, or once links are resolved) and the folder above it is a corpus; None otherwise.
    The one rule by which a document given as a path finds its corpus."""
    folder = path.parent
    if folder.resolve().name != part:
        return None
    root = folder.parent if folder.name == part else folder.resolve().parent
    return root if CorpusPaths(root).is_corpus() else None


MAX_ID_LENGTH = 200
"""Longest document id: ``<id>.aligned.tsv`` and a temp name around it stay under 255 bytes."""


class UnsafeDocumentId(InputError):
    """A document id (from a file name, the manifest, a meta.json, a corrections file or the
    command line) that cannot be used as one file name inside the corpus."""


def document_stem(name: str) -> str:
    """The document id a file name gives: the name without its last suffix
    (``000_x.txt`` -> ``000_x``, ``README`` -> ``README``). Not validated: see
    :func:`check_document_id`. The one rule for every caller (build, preparation, review)."""
    name = name.rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    # "report." keeps its dot (and is then refused): dropping it would give "report",
    # the id of report.txt, and Windows cannot even store the name.
    return stem if dot and stem and suffix else name


def id_problem(doc: str) -> str | None:
    """Why ``doc`` is not a safe document id, or None if it is one.

    A safe id is exactly one path component that means the same on every system and
    looks like what it is: not empty, at most :data:`MAX_ID_LENGTH` characters, NFC,
    no ``/`` or ``\\``, not ``.``/``..`` and not starting or ending with a dot (hidden
    files, Windows' dropped trailing dots), not blank nor starting or ending with a space,
    no space but the plain U+0020 (NBSP, thin or ideographic space: ``a b`` and ``a<NBSP>b``
    would be two documents that look the same), and no control or format characters
    (Unicode categories Cc, Cf: NUL, line breaks, escapes, bidi overrides that would
    show a reviewer another name than the one on disk -- "Trojan source").
    """
    if not doc:
        return "is empty"
    if len(doc) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    if "/" in doc or "\\" in doc:
        return "contains a path separator (/ or \\)"
    if doc.startswith(".") or doc.endswith("."):
        return "starts or ends with a dot"
    bad = next((c for c in doc if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")), None)
    if bad is not None:
        return f"contains the invisible or control character U+{ord(bad):04X}"
    space = _space_problem(doc)
    if space is not None:
        return space
    if unicodedata.normalize("NFC", doc) != doc:
        return "is not in Unicode normal form NFC"
    return None


def _space_problem(doc: str) -> str | None:
    # Only the plain space may appear, and only inside: " " or "x " would show as nothing,
    # and "a b" with U+00A0, U+2009 or U+3000 looks exactly like "a b" -- two documents a
    # reviewer cannot tell apart. (Zero-width characters are Cf, refused before this.)
    if doc.isspace():
        return "is blank"
    if doc[0].isspace() or doc[-1].isspace():
        return "starts or ends with a space"
    odd = next((c for c in doc if c != " " and (c.isspace() or unicodedata.category(c) == "Zs")),
               None)  # fmt: skip
    if odd is not None:
        name = unicodedata.name(odd, "a space")
        return f"contains the space U+{ord(odd):04X} ({name}), not a plain space"
    return None


def check_document_id(doc: str, where: str = "document id", fix: str = "") -> str:
    """``doc`` if it is a safe document id (:func:`id_problem`); else :class:`UnsafeDocumentId`.

    Every id read from a file name, the manifest, a meta.json, a corrections file name or
    the command line passes here before any path is built from it, so no id can name a
    file outside the corpus (``../../victim/x``) or two ids the same file.
    """
    problem = id_problem(doc)
    if problem is not None:
        raise UnsafeDocumentId(
            f"{where} {doc!r} {problem}; {fix or 'it cannot name a file in the corpus'}"
        )
    return doc


def shown_name(name: str) -> str:
    """``name`` (any untrusted text: a file name, a row id, package metadata, a message
    quoting them) as it may be printed: each unprintable character (escapes, bidi controls,
    line breaks, tabs) spelled out the way Python's ``repr`` does (``\\x1b``, ``\\u202e``),
    so the text cannot drive a terminal. The one escaping function for what reaches one."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def quoted_name(name: str, quote: str = "'") -> str:
    """``name`` as a message quotes it: between ``quote`` marks (``""``: none), each
    backslash doubled and each ``quote`` inside escaped, then :func:`shown_name`. So a typed
    ``\\n`` (``'a\\\\nb'``) and a line break (``'a\\nb'``) read apart, and a quote in the name
    cannot end the quoting. The one quoting function for names in messages."""
    text = name.replace("\\", "\\\\")
    if quote:
        text = text.replace(quote, f"\\{quote}")
    return f"{quote}{shown_name(text)}{quote}"


def shown_json(value: object, indent: int | None = None) -> str:
    """``value`` as JSON for standard output: text stays readable (``ensure_ascii=False``)
    but each unprintable character :func:`shown_name` would spell out is a JSON escape
    (``\\u202e``; ``json`` itself escapes only those below U+0020), so a bidi control in a
    file name cannot reorder the terminal's line. Parsed back, the same value."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else json.dumps(c)[1:-1] for c in text)


def document_id(path: Path) -> str:
    """The document id of an original: :func:`document_stem` of its name, validated
    (:class:`UnsafeDocumentId` if the name cannot give a safe id: rename the file)."""
    fix = "rename the file (letters, digits, - _ and one dot before the suffix are safe)"
    problem = id_problem(path.name)  # the suffix too: it is printed and recorded
    if problem is not None and problem.startswith(("contains", "starts or ends with a space")):
        raise UnsafeDocumentId(f"original/{shown_name(path.name)}: its name {problem}; {fix}")
    return check_document_id(
        document_stem(path.name), f"original/{shown_name(path.name)}: its document id", fix
    )


class NotRegularFile(OSError):
    """What :func:`read_regular_file` found instead of a regular file (``kind``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class FileTooLarge(OSError):
    """A regular file over the size limit :func:`read_regular_file` was given."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes, over the {limit}-byte limit")
        self.size = size
        self.limit = limit


def open_regular(path: Path, flags: int = os.O_RDONLY) -> tuple[int, os.stat_result]:
    """A descriptor of ``path`` (read-only unless ``flags`` say otherwise, e.g.
    ``os.O_RDWR | os.O_CREAT`` for a lock file) and its ``fstat``, only if it is a regular file.

    Opened non-blocking and without following a symlink, then checked with ``fstat`` on what
    was opened: a FIFO swapped in after any earlier check cannot hang the reader, and a
    symlink cannot make a writer create or truncate a file outside the corpus. Raises
    FileNotFoundError, :class:`NotRegularFile` or OSError (see :func:`read_regular_file`).
    """
    try:
        fd = os.open(
            path, flags | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644
        )
    except OSError:
        if path.is_symlink():  # ELOOP from O_NOFOLLOW
            raise NotRegularFile("a symlink") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFile("a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO or device")
    return fd, info


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``, only if it is a regular file (not through a symlink).

    Opened non-blocking and without following a symlink, then checked with ``fstat``: a
    FIFO cannot hang the reader, a device (``/dev/zero``) cannot fill memory, and a symlink
    cannot make the corpus read a file outside it. Raises FileNotFoundError when there is
    nothing, :class:`NotRegularFile` (``kind``: "a symlink", "a directory", "a FIFO or
    device") for something else, :class:`FileTooLarge` over ``max_bytes`` (checked before
    reading: a 16 GB sparse file costs no memory), OSError when it cannot be read.
    """
    fd, info = open_regular(path)
    if max_bytes is not None and info.st_size > max_bytes:
        os.close(fd)
        raise FileTooLarge(info.st_size, max_bytes)
    with os.fdopen(fd, "rb") as f:
        if max_bytes is None:
            return f.read()
        # read(n) allocates n bytes up front: ask for what fstat says is there (one more, to
        # see growth), and only for a file that grew since, for the rest up to the limit.
        data = f.read(info.st_size + 1)
        if len(data) > info.st_size:
            data += f.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    return data
