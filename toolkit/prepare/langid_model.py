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
* it is untrusted input: opened only if it is a regular file (non-blocking, never through a
  symlink: a FIFO there hung every process), of a bounded size, read with
  ``allow_pickle=False``, its zip member checksums verified as it is read, and its arrays
  checked to be a model py3langid could have written (types, shapes, every index in range,
  byte :data:`RESET` sending every state back to the start); a copy that fails any check
  (corrupt, truncated, rewritten) is ignored and written again from py3langid's own model,
  so only that model failing the :data:`RESET` check is an unsupported py3langid;
* written to a temporary file of its own (O_EXCL) and renamed into place, so two processes
  never see half a copy; when the directory cannot be written, the model is read from the
  wheel as before.

The automaton's depth (:mod:`toolkit.prepare.langid_walk`), a breadth-first search over the
whole 39 MB transition table (0.1-0.3 s), is kept next to the copy the same way
(:func:`remembered_depth`, read the same way), and used only after a check that it walks
a sample as py3langid does and one less does not.
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
MAX_COPY_BYTES = 1 << 28
"""The largest copy read (256 MiB; the shipped model's is 68 MB): a 4 GB file is not read."""
MAX_DEPTH_BYTES = 16
"""The largest depth file read (it holds a number such as ``6``)."""
_MEMBERS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")

RESET = 0xFF
"""A byte UTF-8 never holds, which sends every state of the model back to the start and is
counted as no feature: texts joined with it walk as each alone
(:func:`toolkit.prepare.langid_walk.walk_each`)."""


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
    None if there is none or it fails a check (see the module's docstring)."""
    import numpy as np
    from py3langid.modelio import _to_array

    from toolkit.corpus.paths import open_regular

    try:
        fd, info = open_regular(path)  # a FIFO, device, symlink or folder: NotRegularFile
        with os.fdopen(fd, "rb") as f:
            if info.st_size > MAX_COPY_BYTES:
                return None
            with np.load(f, allow_pickle=False) as data:
                # Stored members only (as written): a deflated one could inflate far past
                # the file's size, which bounds what is read.
                if any(m.compress_type != zipfile.ZIP_STORED for m in data.zip.infolist()):
                    return None
                arrays = [data[name] for name in _MEMBERS]
    except (OSError, ValueError, KeyError, EOFError, MemoryError, zipfile.BadZipFile):
        return None  # missing, truncated, corrupt (a member's CRC32 is checked on reading)
    if not _well_typed(*arrays) or not _consistent(*arrays):
        return None
    ptc, pc, classes, nextmove, row, output = arrays
    return (ptc, pc, classes.tolist(), _to_array(nextmove), _to_array(row), output.tolist())


def _well_typed(ptc: Any, pc: Any, classes: Any, nextmove: Any, row: Any, output: Any) -> bool:
    """Whether the arrays have the kinds py3langid writes (``_to_array`` takes unsigned
    integers of 2, 4 or 8 bytes) and the dimensions its model has."""
    indices = all(a.dtype.kind == "u" and a.dtype.itemsize in (2, 4, 8) for a in (nextmove, row))
    kinds = (ptc.dtype.kind, pc.dtype.kind, classes.dtype.kind, output.dtype.kind)
    dims = (ptc.ndim, pc.ndim, classes.ndim, nextmove.ndim, row.ndim, output.ndim)
    return indices and kinds == ("f", "f", "U", "i") and dims == (2, 1, 1, 1, 1, 1)


def _consistent(ptc: Any, pc: Any, classes: Any, nextmove: Any, row: Any, output: Any) -> bool:
    """Whether the shapes agree and every index is in range (a state's row, a transition's
    state, a state's feature), and byte :data:`RESET` sends every state back to the start:
    walking a copy that is not would fail (IndexError) or count wrongly."""
    if not (
        ptc.shape[1] == len(pc) == len(classes)
        and 0 < len(row) == len(output)
        and nextmove.size > 0
        and nextmove.size % 256 == 0
    ):
        return False
    in_range = (
        nextmove.max() < len(row)
        and row.max() < nextmove.size // 256
        and output.min() >= -1
        and output.max() < len(ptc)
    )
    return bool(in_range) and resets_to_start(nextmove, output)


def resets_to_start(nextmove: Any, output: Any) -> bool:
    """Whether byte :data:`RESET` sends every state back to the start state, which counts
    nothing (``nextmove``: the transition rows, 256 entries each; ``output``: state ->
    feature or -1). A copy that fails this is damaged (:func:`_read_copy`); py3langid's own
    model failing it is an unsupported py3langid (``langid_walk.automaton``)."""
    import numpy as np

    table, out = np.asarray(nextmove).reshape(-1, 256), np.asarray(output)
    return bool(len(out) and out[0] == -1 and not table[:, RESET].any())


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

    A kept depth is used only if the sample proves it the least that walks right:
    ``walks_right(depth)`` (it walks a sample as py3langid's own walk does: a depth too
    small fails it) and not ``walks_right(depth - 1)`` (a depth too large, 7 for 6, would
    otherwise be kept for good, each walk a gather longer). Else, or when the file is no
    regular file of a few bytes (a FIFO there hung every process), it is computed and
    written again; without a writable cache it is computed every time."""
    from toolkit.corpus.paths import read_regular_file

    copy = _copy_path()
    path = None if copy is None else copy.with_name(copy.name + ".depth")
    if path is not None:
        try:
            kept = int(read_regular_file(path, MAX_DEPTH_BYTES).decode("ascii"))
        except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
            kept = 0
        if 0 < kept <= 64 and walks_right(kept) and not walks_right(kept - 1):
            return kept
    depth = compute()
    if path is not None:
        _replace(path, lambda out: out.write(str(depth).encode("ascii")))
    return depth
