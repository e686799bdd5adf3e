"""py3langid's model, loaded from a decompressed copy kept in the user's cache directory.

py3langid ships its model as an xz-compressed ``.npz`` (4.6 MB in the wheel, 68 MB inside);
decompressing it is 0.45 s of every process that identifies a language (``toolkit
detect``, ``segment``, ``translate``, every build that prepares a document), more than all
the rest of their start-up. The first process writes the decompressed ``.npz`` to
``$XDG_CACHE_HOME/toolkit/`` (``~/.cache/toolkit/``); later ones read it in ~0.1 s.

Nothing changes in what is identified: the same arrays reach py3langid's own
``LanguageIdentifier`` in the same types as its ``from_model_file`` gives them
(``tests/test_langid_model.py``). The copy is a cache:

* its name holds a hash of the model file's identity (path, inode, mtime, ctime, size) and
  py3langid's version, so an upgraded or replaced model never meets an old copy;
* it is read with ``allow_pickle=False`` and the zip member checksums are verified as it is
  read; a copy that fails any check (corrupt, truncated, wrong shapes) is ignored and
  written again;
* written to a temporary file of its own (O_EXCL) and renamed into place, so two processes
  never see half a copy; when the directory cannot be written, the model is read from the
  wheel as before.

The automaton's depth (:mod:`toolkit.prepare.langid_walk`), a breadth-first search over the
whole 39 MB transition table (0.1-0.3 s), is kept next to the copy the same way
(:func:`remembered_depth`), and used only after a check that it walks a sample as
py3langid does.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

CACHE_PREFIX = "py3langid-model-"


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/toolkit``, else ``~/.cache/toolkit``: the toolkit's per-user cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "toolkit"


@lru_cache(maxsize=1)
def shared_identifier() -> Any:
    """:func:`load_identifier`, once per process: language id and the list of codes it knows
    (:func:`toolkit.languages.identifiable`) share one model."""
    return load_identifier()


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def _copy_path() -> Path | None:
    """:func:`cached_copy_path` of the installed model and py3langid."""
    from importlib.metadata import version

    return cached_copy_path(_model_file(), version("py3langid"))


def load_identifier() -> Any:
    """py3langid's ``LanguageIdentifier`` (normalised probabilities) for its shipped model."""
    from py3langid.langid import LanguageIdentifier

    model, copy = _model_file(), _copy_path()
    arrays = _read_copy(copy) if copy is not None else None
    if arrays is None:
        if copy is not None:
            _write_copy(model, copy)
            arrays = _read_copy(copy)
        if arrays is None:  # no writable cache: py3langid's own loader
            return LanguageIdentifier.from_model_file(model, norm_probs=True)
    ptc, pc, classes, nextmove, row, output = arrays
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def cached_copy_path(model: Path, py3langid_version: str) -> Path | None:
    """Where the decompressed copy of ``model`` lives; None when the model cannot be stat'ed."""
    try:
        info = model.stat()
    except OSError:
        return None
    key = f"{py3langid_version}|{model.resolve()}|{info.st_ino}|{info.st_mtime_ns}"
    key += f"|{info.st_ctime_ns}|{info.st_size}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return user_cache_dir() / f"{CACHE_PREFIX}{digest}.npz"


def _read_copy(path: Path) -> tuple[Any, ...] | None:
    """The arrays of a decompressed copy, as ``py3langid.modelio.load_model`` returns them;
    None if there is none or it fails a check."""
    import numpy as np
    from py3langid.modelio import _to_array

    try:
        with np.load(path, allow_pickle=False) as data:
            ptc, pc, classes = data["ptc"], data["pc"], data["classes"]
            nextmove, row, output = data["nextmove"], data["nextmove_row"], data["out_feat"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None  # missing, truncated, corrupt (a member's CRC32 is checked on reading)
    shapes_fit = (
        ptc.ndim == 2
        and ptc.shape[1] == len(pc) == len(classes)
        and len(row) == len(output)
        and nextmove.size % 256 == 0
    )
    if not shapes_fit:
        return None
    return (ptc, pc, classes.tolist(), _to_array(nextmove), _to_array(row), output.tolist())


def _write_copy(model: Path, path: Path) -> None:
    """Decompress ``model`` into ``path`` (atomically); nothing when that cannot be done."""
    import lzma
    import shutil

    def decompress(out: IO[bytes]) -> None:
        with lzma.open(model) as src:
            shutil.copyfileobj(src, out, length=1 << 20)

    _replace(path, decompress, lzma.LZMAError)


def _replace(path: Path, write: Callable[[IO[bytes]], None], *errors: type[Exception]) -> None:
    """Write ``path`` through a temporary file of its own renamed into place, so that no
    reader sees half of it; nothing when that cannot be done (``OSError``, ``errors``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(temp, path)
    except (OSError, *errors):
        Path(temp).unlink(missing_ok=True)


def remembered_depth(compute: Callable[[], int], walks_right: Callable[[int], bool]) -> int:
    """``compute()`` (the automaton's depth), kept in a file next to the model's decompressed
    copy, whose name already stands for the model and py3langid version it describes.

    A kept depth is used only if ``walks_right(depth)`` (it walks a sample as py3langid's own
    walk does: a depth too small fails it), else computed and written again; without a
    writable cache it is computed every time."""
    copy = _copy_path()
    path = None if copy is None else copy.with_name(copy.name + ".depth")
    if path is not None:
        try:
            kept = int(path.read_text(encoding="ascii"))
        except (OSError, ValueError, UnicodeError):
            kept = 0
        if 0 < kept <= 64 and walks_right(kept):
            return kept
    depth = compute()
    if path is not None:
        _replace(path, lambda out: out.write(str(depth).encode("ascii")))
    return depth
