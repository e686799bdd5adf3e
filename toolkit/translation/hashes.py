"""The sha256 of a model file, computed once per file version and remembered.

A model's identity hashes every file that shapes its output
(:func:`toolkit.translation.identity.package_digest`: its weights ``model.bin``, ~100 MB for
an Argos model, the vocabularies, the tokenizer), and every build needs that identity for
its fingerprints, a build with nothing to do included: hashing the weights each time cost
0.2-0.35 s per model on this project's machine, more than the rest of a no-op rebuild. So
the digest is remembered:

* in the process, by the file's (path, inode, mtime, ctime, size): hashed once per run;
* across runs, in the corpus's cache folder (``.cache/file-hashes.json``, see
  :class:`HashMemo`), by the same key. A file replaced or rewritten gets a new inode or
  change time and is hashed again, as ``git status`` decides what changed: ``cp -p``,
  ``touch -r`` or an archive can give a new file an old mtime, never an old ctime.

The memo file is a cache, like the translation cache: deleting it costs one hash. It is
untrusted input: a malformed or oversized file is ignored (and rewritten), only well-formed
entries are used, and an entry is used only for a file whose path, inode, mtime, ctime and
size all match it.

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "model.bin"
>>> _ = f.write_bytes(b"weights")
>>> file_sha256(f)[:12]
'9a129038d9a0'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from toolkit.corpus.paths import open_regular
from toolkit.corpus.writes import atomic_write  # mkstemp (O_EXCL), rename, no temp left

HASH_CHUNK = 1 << 20
MEMO_FILE = "file-hashes.json"
MEMO_VERSION = 2
"""Version 2 keys hold the ctime; a version-1 memo (no ctime) is not used."""
MAX_MEMO_BYTES = 1 << 20
"""A memo larger than this is not read (it would hold ~5,000 models)."""
_SHA256 = re.compile(r"[0-9a-f]{64}")

FileKey = tuple[str, int, int, int, int]
"""(resolved path, inode, mtime in ns, ctime in ns, size): a version of a file."""

_KNOWN: dict[FileKey, str] = {}
"""Digests known to this process (computed, or read from a memo file)."""


def file_key(path: Path) -> FileKey:
    """The key of the version of ``path`` now on disk."""
    info = path.stat()
    return (str(path.resolve()), info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size)


def file_sha256(path: Path) -> str:
    """sha256 of ``path``, read in 1 MiB chunks unless this version's digest is known."""
    key = file_key(path)
    if key not in _KNOWN:
        digest = hashlib.sha256()
        # Opened as a regular file, checked on the open descriptor: a FIFO swapped in
        # since the caller listed the file would block the read forever.
        fd, _info = open_regular(Path(key[0]))  # key[0] is resolved: no link to follow
        with os.fdopen(fd, "rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
        if file_key(path) == key:  # not changed while it was read: safe to remember
            _KNOWN[key] = digest.hexdigest()
        else:
            return digest.hexdigest()
    return _KNOWN[key]


class HashMemo:
    """The digests remembered in ``cache_dir/file-hashes.json`` (see the module docstring).

    :meth:`load` adds the file's well-formed entries to what the process knows;
    :meth:`save` writes what the process knows back, atomically, only if that is new.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.path = Path(cache_dir) / MEMO_FILE
        self._saved: dict[FileKey, str] = {}

    def load(self) -> None:
        self._saved = _read_memo(self.path)
        _KNOWN.update(self._saved)

    def save(self) -> None:
        current = {key: digest for key, digest in _KNOWN.items() if _is_current(key)}
        if current == self._saved:
            return
        entries = [[*key, digest] for key, digest in sorted(current.items())]
        data = json.dumps({"version": MEMO_VERSION, "files": entries}, indent=0)
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except OSError:  # a read-only corpus still builds: the memo only saves time
            return
        self._saved = current


def _is_current(key: FileKey) -> bool:
    """Whether ``key`` is the version of its file now on disk (old versions are dropped)."""
    try:
        return file_key(Path(key[0])) == key
    except OSError:
        return False


def _read_memo(path: Path) -> dict[FileKey, str]:
    """The well-formed entries of a memo file; {} when it is missing, unreadable or malformed."""
    from toolkit.corpus.paths import read_regular_file

    try:
        data = read_regular_file(path) if path.stat().st_size <= MAX_MEMO_BYTES else b""
        memo = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: "[[[[..." nested deep
        return {}
    if not isinstance(memo, dict) or memo.get("version") != MEMO_VERSION:
        return {}
    files = memo.get("files")
    found: dict[FileKey, str] = {}
    for entry in files if isinstance(files, list) else []:
        if _well_formed(entry):
            found[(entry[0], entry[1], entry[2], entry[3], entry[4])] = entry[5]
    return found


def _well_formed(entry: object) -> bool:
    """``[path, inode, mtime_ns, ctime_ns, size, sha256-hex]`` with exactly those types."""
    return (
        isinstance(entry, list)
        and len(entry) == 6
        and isinstance(entry[0], str)
        and all(type(n) is int and n >= 0 for n in entry[1:5])
        and isinstance(entry[5], str)
        and _SHA256.fullmatch(entry[5]) is not None
    )
