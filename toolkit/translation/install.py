"""Installing Argos packages: all-or-nothing, from a file or from the online index.

:func:`install_from_file` checks the package (a zip whose single top directory holds
``metadata.json``, ``model/`` and ``sentencepiece.model``; sizes and member names within
:class:`~toolkit.config.translation.InstallLimits`), extracts it into a hidden staging
directory, loads and test-runs it, and only then renames it into place, in the layout
argostranslate uses (:mod:`toolkit.translation.packages` finds and reads what is installed).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from toolkit._faults import checkpoint
from toolkit.config.translation import InstallLimits
from toolkit.translation.archive import corrupt, extract, fsync_dir, validate_package_file
from toolkit.translation.folders import BACKUP_PREFIX, version_key
from toolkit.translation.packages import (
    STAGING_PREFIX,
    IndexUnreachableError,
    ModelMissingError,
    PackageError,
    PackageInfo,
    folder_ref,
    loader_error,
    package_file,
    packages_dir,
    read_installed,
)

_INSTALL_LOCK = threading.Lock()

_INSTALL_LOCK_NAME = ".install.lock"


@contextlib.contextmanager
def _install_lock(root: Path) -> Iterator[None]:
    """One installer per packages directory (threads and processes): ``flock`` on
    ``root/.install.lock``, released by the operating system if the holder dies."""
    with _INSTALL_LOCK, open(root / _INSTALL_LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _recover(root: Path) -> None:
    """Finish what a killed installer left (call with the install lock held).

    Staging directories are removed. A ``.old-<name>`` backup whose ``<name>`` exists is a
    finished swap (removed); one without it is a swap killed between its two renames, and
    is renamed back, so the previous version is installed again.
    """
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.is_symlink():
            continue
        if child.name.startswith(STAGING_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(BACKUP_PREFIX):
            original = root / child.name[len(BACKUP_PREFIX) :]
            if original.exists() or original.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                os.rename(child, original)


def _model_vocabulary(model_dir: Path) -> list[str] | None:
    """The CTranslate2 target vocabulary (``target_`` or ``shared_vocabulary``, .json or
    .txt); None if the model keeps none beside it."""
    for stem in ("target_vocabulary", "shared_vocabulary"):
        json_path, txt_path = model_dir / f"{stem}.json", model_dir / f"{stem}.txt"
        if json_path.is_file():
            tokens = json.loads(json_path.read_text(encoding="utf-8"))
            return [str(t) for t in tokens] if isinstance(tokens, list) else []
        if txt_path.is_file():
            return txt_path.read_text(encoding="utf-8").splitlines()
    return None


def check_loads(info: PackageInfo, where: str) -> None:
    """Load the package the way a build will, and check that its parts belong together.

    SentencePiece must load the tokenizer and CTranslate2 the model; one decoding step must
    run and score exactly as many tokens as the model's vocabulary file lists (a shorter
    vocabulary is what made builds crash with ``Invalid token ID``); and at least half of
    the tokenizer's pieces must be in that vocabulary (a tokenizer from another model maps
    almost everything to ``<unk>``; real packages share nearly all pieces, but need not
    share every rare one). Raises PackageError naming ``where``.
    """
    import ctranslate2
    import sentencepiece as spm

    fix = "the package is inconsistent; download it again"
    try:
        sp = spm.SentencePieceProcessor(model_file=info.native_paths[0])
    except (OSError, RuntimeError) as exc:
        why = loader_error(exc, info.path)
        raise PackageError(f"{where}: sentencepiece.model does not load ({why}); {fix}") from None
    try:
        model = ctranslate2.Translator(
            info.native_paths[1], device="cpu", inter_threads=1, intra_threads=1
        )
    except (OSError, RuntimeError, ValueError) as exc:
        why = loader_error(exc, info.path)
        raise PackageError(f"{where}: the model does not load ({why}); {fix}") from None
    try:
        vocabulary = _model_vocabulary(info.model_path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        why = loader_error(exc, info.path)
        raise PackageError(f"{where}: unreadable model vocabulary ({why}); {fix}") from None
    probe = sp.encode("Hello world.", out_type=str) or ["<unk>"]
    try:
        result = model.translate_batch(
            [probe], beam_size=1, max_decoding_length=1, return_logits_vocab=True
        )
        steps = result[0].logits[0] if result[0].logits else []
        scored = steps[0].shape[-1] if steps else None
    except (RuntimeError, ValueError, IndexError) as exc:
        why = loader_error(exc, info.path)
        raise PackageError(f"{where}: the model does not run ({why}); {fix}") from None
    if vocabulary is None:
        return
    if scored is not None and scored != len(vocabulary):
        raise PackageError(
            f"{where}: the model scores {scored} tokens but its vocabulary lists "
            f"{len(vocabulary)}; {fix}"
        )
    known = set(vocabulary)
    pieces = [
        sp.id_to_piece(i)
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i))
    ]
    unknown = sum(piece not in known for piece in pieces)
    if pieces and unknown * 2 > len(pieces):
        raise PackageError(
            f"{where}: {unknown} of the tokenizer's {len(pieces)} pieces are not in the "
            f"model's vocabulary (sentencepiece.model belongs to another model); {fix}"
        )


def _swap_into_place(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an existing ``target`` goes to ``.old-<name>`` first and
    is removed once the new one is in place (put back if that rename fails)."""
    backup = target.with_name(f"{BACKUP_PREFIX}{target.name}")
    if not (target.exists() or target.is_symlink()):
        os.rename(new, target)
        fsync_dir(target.parent)
        return
    os.rename(target, backup)
    checkpoint("install.swap")
    try:
        os.rename(new, target)
    except OSError:
        os.rename(backup, target)
        raise
    fsync_dir(target.parent)
    shutil.rmtree(backup, ignore_errors=True)


def _refuse_other_pair(target: Path, pair: tuple[str, str], where: str) -> None:
    """Refuse to install a ``pair`` package into ``target`` when a package of another pair
    is installed there: the swap would remove it (an nl→en file whose folder is named
    ``translate-de_en-1_0`` silently replaced the de→en model). A broken package there is
    replaced (that is its repair)."""
    if not target.is_dir():
        return
    try:
        old = read_installed(target)
    except PackageError:
        return
    if (old.from_code, old.to_code) != pair:
        raise PackageError(
            f"{where} ({pair[0]}→{pair[1]}) would replace the {old.from_code}→{old.to_code} "
            f"package {old.label} installed in {folder_ref(target)} "
            f"(the same folder name); nothing was changed: download the package again"
        )


SkipPair = Callable[[str, str], bool]
"""Called with a package's pair under the install lock: True installs nothing."""


def install_from_file(
    path: str | os.PathLike[str],
    directory: str | os.PathLike[str] | None = None,
    limits: InstallLimits | None = None,
) -> PackageInfo:
    """Install the package file ``path`` (.argosmodel) all-or-nothing; return the result
    (:func:`install_unless`, skipping nothing)."""
    installed = install_unless(path, directory, limits)
    assert installed is not None  # nothing skips
    return installed


def install_unless(
    path: str | os.PathLike[str],
    directory: str | os.PathLike[str] | None = None,
    limits: InstallLimits | None = None,
    skip: SkipPair | None = None,
) -> PackageInfo | None:
    """Install the package file ``path`` (.argosmodel) all-or-nothing; return the result,
    or None when ``skip`` (called with the package's pair once the install lock is held,
    before anything is written) says so: ``models install --if-missing`` checks there, so
    several installs at once cannot all find the pair missing and all install.

    1. The zip's directory is checked against ``limits`` and for unsafe or conflicting
       members before anything is written (:func:`validate_package_file`).
    2. It is extracted into a hidden staging directory inside the packages directory (the
       same file system, so the final rename is atomic), then loaded and test-run
       (:func:`check_loads`).
    3. Only then is it renamed into place. Reinstalling a name swaps directories: the old
       one is renamed to ``.old-<name>``, the new one into place, the old one removed.

    A killed install leaves the previous state: readers skip staging directories and read
    ``.old-<name>`` while ``<name>`` is missing; the next install cleans up both. The
    result has argostranslate's layout, so Argos reads it like a package it installed.
    """
    path = Path(path)
    limits = limits or InstallLimits()
    top, metadata = validate_package_file(path, limits)
    where = package_file(path)
    root = packages_dir(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(
            f"cannot create packages directory {folder_ref(root)} ({exc.strerror or exc})"
        ) from None
    try:
        with _install_lock(root):
            _recover(root)
            if skip is not None and skip(metadata["from_code"], metadata["to_code"]):
                return None
            _refuse_other_pair(root / top, (metadata["from_code"], metadata["to_code"]), where)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
            try:
                with zipfile.ZipFile(path) as zf:
                    extract(zf, staging / top, where, limits)
                check_loads(read_installed(staging / top), where)
                checkpoint("install.checked")
                _swap_into_place(staging / top, root / top)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise corrupt(where, exc) from None
    except OSError as exc:
        raise PackageError(
            f"cannot install into {folder_ref(root)} ({exc.strerror or exc}); the installed "
            f"packages are unchanged"
        ) from None
    return read_installed(root / top)


def install_from_index(
    from_code: str,
    to_code: str,
    directory: str | os.PathLike[str] | None = None,
    limits: InstallLimits | None = None,
    skip: SkipPair | None = None,
) -> PackageInfo | None:
    """Download the ``from_code -> to_code`` package from the Argos index and install it
    (None: ``skip``, asked under the install lock as in :func:`install_unless`, said no):
    the pair's own, else the first of :func:`toolkit.languages.package_pairs` the index
    has (``no en`` installs ``nb→en``, the package a build reading ``no`` uses).

    Raises IndexUnreachableError (offline, index down, download failed) and
    ModelMissingError (the index has no such pair); both say what to do instead.
    """
    import argostranslate.package as argos_package
    from argostranslate import settings

    offline = (
        f"cannot reach the Argos package index ({settings.remote_package_index}); install "
        f"from a file instead: `toolkit models install --file PATH.argosmodel`"
    )
    index = Path(settings.local_package_index)
    before = index.stat().st_mtime_ns if index.exists() else None
    # argostranslate prints the raw network error and returns; our one-line message replaces it.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        argos_package.update_package_index()
    if not index.exists() or index.stat().st_mtime_ns == before:
        raise IndexUnreachableError(offline)
    try:
        available = argos_package.get_available_packages()
    except (OSError, ValueError) as exc:
        raise IndexUnreachableError(f"{offline} ({exc})") from None
    from toolkit.languages import package_pairs

    # The pair as Argos names it, where language id names it otherwise (no en: nb en)
    for pair in package_pairs(from_code, to_code):
        if wanted := [p for p in available if (p.from_code, p.to_code) == pair]:
            break
    if not wanted:
        raise ModelMissingError(
            f"the Argos index has no {from_code}→{to_code} package; install one with "
            f"`toolkit models install --file PATH.argosmodel`"
        )
    best = max(wanted, key=lambda p: version_key(str(p.package_version)))
    try:
        download = Path(best.download())
    except Exception as exc:  # argostranslate raises bare Exception on download failure
        raise IndexUnreachableError(f"{offline} ({exc})") from None
    try:
        return install_unless(download, directory, limits, skip)
    finally:
        download.unlink(missing_ok=True)
