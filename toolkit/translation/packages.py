"""Installed Argos Translate packages: where they live, which exist, and installing more.

An Argos package (``.argosmodel``) is a zip whose single top directory holds
``metadata.json``, ``model/`` (a CTranslate2 model) and ``sentencepiece.model``. Installing
extracts that directory into the packages directory, which is chosen per call::

    explicit argument  >  $ARGOS_PACKAGES_DIR  >  argostranslate's default

Argos itself reads its settings once, at import time, so this module never relies on
that: it passes the directory explicitly. Installing is all-or-nothing (see
:func:`install_from_file`): the package is checked, extracted into a hidden staging
directory, loaded and test-run, and only then renamed into place, in the layout
argostranslate uses. ``argostranslate.translate`` (torch, stanza, spaCy) is never imported.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit._faults import checkpoint
from toolkit.config.translation import InstallLimits
from toolkit.errors import ToolkitError

ENV_VAR = "ARGOS_PACKAGES_DIR"
_HASH_CHUNK = 1 << 20
_INSTALL_LOCK = threading.Lock()
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


class PackageError(ToolkitError):
    """A package file or installed package directory is unusable; the message names it."""


class ModelMissingError(PackageError):
    """No installed package translates the requested language pair."""


class IndexUnreachableError(PackageError):
    """The online Argos package index could not be reached."""


class PackageInfo(BaseModel):
    """One installed package, read from its directory.

    ``name`` is stable across machines (metadata ``code``, else ``translate-<from>_<to>``);
    ``path`` is where it happens to be installed. ``model_sha256`` hashes
    ``model/model.bin`` on first use and is memoized by (path, mtime, size).
    """

    model_config = ConfigDict(frozen=True)

    name: str
    from_code: str
    to_code: str
    package_version: str
    path: Path
    target_prefix: str | None = None
    type: str = "translate"

    @property
    def model_path(self) -> Path:
        return self.path / "model"

    @property
    def sp_model_path(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def model_sha256(self) -> str:
        return file_sha256(self.model_path / "model.bin")


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in 1 MiB chunks, memoized while its mtime and size stay put."""
    stat = path.stat()
    return _sha256_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _sha256_cached(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def packages_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The packages directory for this call: ``explicit`` > $ARGOS_PACKAGES_DIR > Argos default.

    Read at call time (not import time), so each command or test can use its own directory.
    """
    if explicit is not None:
        return Path(explicit)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    from argostranslate import settings

    # get_setting re-reads settings.json each time; data_dir is fixed per user.
    return Path(settings.get_setting(ENV_VAR, default=settings.data_dir / "packages"))


def _check_metadata(metadata: Any, where: str) -> dict[str, Any]:
    """Validate parsed ``metadata.json``; return it, or raise PackageError naming ``where``."""
    if not isinstance(metadata, dict):
        raise PackageError(f"{where}: metadata.json must hold a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise PackageError(f"{where}: metadata.json lacks a '{key}' string")
        if not _LANGUAGE_CODE.fullmatch(metadata[key]):
            raise PackageError(
                f"{where}: metadata.json '{key}' {printable(metadata[key])!r} is not a "
                f"language code; download the package again"
            )
    prefix = metadata.get("target_prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise PackageError(f"{where}: metadata.json 'target_prefix' must be a string")
    return metadata


def _info_from_metadata(metadata: dict[str, Any], path: Path) -> PackageInfo:
    """Describe a package; names and versions are untrusted text, so control characters
    (terminal escapes) are stored escaped and can never reach a terminal raw."""
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    return PackageInfo(
        name=printable(str(metadata.get("code") or f"translate-{from_code}_{to_code}")),
        from_code=from_code,
        to_code=to_code,
        package_version=printable(str(metadata.get("package_version") or "0")),
        path=path,
        target_prefix=metadata.get("target_prefix") or None,
        type=printable(str(metadata.get("type") or "translate")),
    )


def read_installed(path: Path) -> PackageInfo:
    """Validate one installed package directory and describe it.

    Raises PackageError naming the directory when metadata.json is missing or invalid, or
    when model/model.bin or sentencepiece.model is missing.
    """
    shown = printable(str(path))  # a folder name is untrusted too: never print escapes raw
    fix = f"remove {shown} and reinstall the package"
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"package {shown} has no metadata.json; {fix}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"package {shown}: unreadable metadata.json ({exc}); {fix}") from None
    metadata = _check_metadata(metadata, f"package {shown}")
    if not (path / "sentencepiece.model").exists() and (path / "bpe.model").exists():
        raise PackageError(
            f"package {shown} uses BPE tokenization, which toolkit does not support; "
            f"remove it and install a SentencePiece package"
        )
    for required in ("model/model.bin", "sentencepiece.model"):
        if not (path / required).is_file():
            raise PackageError(f"package {shown} has no {required}; {fix}")
    return _info_from_metadata(metadata, path)


def list_installed(directory: str | os.PathLike[str] | None = None) -> list[PackageInfo]:
    """Every package installed in ``packages_dir(directory)``, sorted by pair and version.

    A missing directory means no packages. A corrupt package directory raises PackageError
    naming it (a silently skipped model would only resurface as a confusing "missing").
    """
    root = packages_dir(directory)
    if not root.is_dir():
        return []
    found = [read_installed(child) for child in _package_dirs(root)]
    return sorted(found, key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version)))


def _package_dirs(root: Path) -> list[Path]:
    """The installed package directories in ``root``, sorted by name.

    Hidden entries are skipped: staging directories of an install in progress (or killed)
    never count. The one exception is ``.old-<name>`` while ``<name>`` is missing: an
    install was killed between the two renames of a swap, and the previous version is
    still the installed one (the next install puts it back under its name).
    """
    found: list[Path] = []
    for child in sorted(root.iterdir()):
        if not child.is_dir():
            continue
        if not child.name.startswith("."):
            found.append(child)
        elif child.name.startswith(_BACKUP_PREFIX):
            original = root / child.name[len(_BACKUP_PREFIX) :]
            if not (original.exists() or original.is_symlink()):
                found.append(child)
    return found


def _version_key(version: str) -> tuple[int, Any]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def find_package(
    from_code: str, to_code: str, directory: str | os.PathLike[str] | None = None
) -> PackageInfo:
    """The installed package for ``from_code -> to_code`` (highest version if several).

    Raises ModelMissingError with the exact command that installs one.
    """
    matches = [
        p
        for p in list_installed(directory)
        if (p.from_code, p.to_code, p.type) == (from_code, to_code, "translate")
    ]
    if not matches:
        root = packages_dir(directory)
        raise ModelMissingError(
            f"no {from_code}->{to_code} translation model in {root}; install one with "
            f"`toolkit models install {from_code} {to_code}` or "
            f"`toolkit models install --file PATH.argosmodel`"
        )
    return matches[-1]


_MAX_METADATA_BYTES = 1 << 20
_STAGING_PREFIX = ".install-"
"""Hidden directories in the packages dir that hold a package while it is extracted."""
_BACKUP_PREFIX = ".old-"
"""``.old-<name>``: the previous ``<name>`` while a reinstall swaps it out."""
_INSTALL_LOCK_NAME = ".install.lock"
# Characters that never belong in a member name: controls (terminal escapes), backslashes
# (Windows separators that would smuggle "..\"), bidi controls (names that display as
# something else).
_BAD_NAME_CHAR = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters (terminal escapes, bidi controls) shown as ``\\x1b``.

    Package metadata and directory names are untrusted; this is what reaches a terminal.
    """
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def _member_parts(name: str, where: str) -> tuple[str, ...]:
    """The path components of zip member ``name``; PackageError if it is not a plain
    relative path (absolute, ``..``, ``.``, empty components, backslashes, control chars)."""
    body = name[:-1] if name.endswith("/") else name
    parts = tuple(body.split("/"))
    if (
        not body
        or name.startswith("/")
        or _BAD_NAME_CHAR.search(name)
        or any(part in ("", ".", "..") for part in parts)
        or (len(parts[0]) > 1 and parts[0][1] == ":")  # C:foo, a Windows drive
    ):
        raise PackageError(f"{where} has unsafe member path {name!r}; download it again")
    return parts


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size < 1e9 else f"{size / 1e9:.2f} GB"


def _inspect(zf: zipfile.ZipFile, where: str, size: int, limits: InstallLimits) -> str:
    """Check every member of an open package zip without decompressing anything.

    Returns the top directory. Refuses: too many members, too much data, a suspicious
    compression ratio, encrypted members, symlinks and other special files, unsafe names,
    a name listed twice, a name that is a file in one entry and a folder in another, more
    than one top directory or a hidden one, missing required files.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise PackageError(
            f"{where} has {len(infos)} members, more than the limit of {limits.max_members}; "
            f"a model package has a few dozen (rerun with --max-members N if you trust it)"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked_bytes:
        raise PackageError(
            f"{where} unpacks to {_mb(total)}, more than the limit of "
            f"{_mb(limits.max_unpacked_bytes)} (rerun with --max-unpacked-mb N if you trust it)"
        )
    if total > limits.max_ratio * max(size, 1):
        raise PackageError(
            f"{where} unpacks to {_mb(total)} from {_mb(size)} (ratio "
            f"{total / max(size, 1):.0f}:1, limit {limits.max_ratio:g}:1): a zip bomb, not a "
            f"model; download it again (or rerun with --max-ratio N if you trust it)"
        )
    files: set[tuple[str, ...]] = set()
    folders: set[tuple[str, ...]] = set()
    for info in infos:
        parts = _member_parts(info.filename, where)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if info.flag_bits & 0x1:
            raise PackageError(f"{where}: member {info.filename!r} is encrypted")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            what = "a symlink" if kind == stat.S_IFLNK else "a special file"
            raise PackageError(
                f"{where}: member {info.filename!r} is {what}; a package holds only files "
                f"and folders; download it again"
            )
        folders.update(parts[:i] for i in range(1, len(parts)))
        if info.is_dir():
            folders.add(parts)
        elif parts in files:
            raise PackageError(f"{where} lists {info.filename!r} twice; download it again")
        else:
            files.add(parts)
    clash = sorted(files & folders)
    if clash:
        raise PackageError(
            f"{where}: {'/'.join(clash[0])!r} is a file in one entry and a folder in another; "
            f"download it again"
        )
    tops = {parts[0] for parts in files | folders}
    if len(tops) != 1:
        raise PackageError(f"{where} must contain exactly one top directory, found {sorted(tops)}")
    top = tops.pop()
    if top.startswith("."):
        raise PackageError(f"{where}: top directory {top!r} is hidden; download it again")
    for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
        if (top, *required.split("/")) not in files:
            raise PackageError(f"{where} has no {required} in {top}/")
    return top


def validate_package_file(
    path: Path, limits: InstallLimits | None = None
) -> tuple[str, dict[str, Any]]:
    """Check an ``.argosmodel`` file before anything is extracted; return (top dir, metadata).

    Rejects, with a PackageError naming the file: not a zip, corrupt directory, anything
    :func:`_inspect` refuses (limits, unsafe or conflicting members), no metadata.json or
    invalid metadata, no model/model.bin, no sentencepiece.model. Member contents (CRCs)
    are checked while extracting.
    """
    path = Path(path)
    limits = limits or InstallLimits()
    where = f"package file {printable(str(path))}"
    if not path.is_file():
        raise PackageError(f"{where} does not exist")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{where} is not a zip archive (.argosmodel); download it again")
    try:
        with zipfile.ZipFile(path) as zf:
            top = _inspect(zf, where, path.stat().st_size, limits)
            info = zf.getinfo(f"{top}/metadata.json")
            if info.file_size > _MAX_METADATA_BYTES:
                raise PackageError(f"{where}: metadata.json is over 1 MB; download it again")
            try:
                metadata = json.loads(zf.read(info).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise PackageError(f"{where}: invalid metadata.json ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise PackageError(f"{where} is corrupt ({exc}); download it again") from None
    return top, _check_metadata(metadata, where)


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
        if child.name.startswith(_STAGING_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(_BACKUP_PREFIX):
            original = root / child.name[len(_BACKUP_PREFIX) :]
            if original.exists() or original.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                os.rename(child, original)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _extract(zf: zipfile.ZipFile, target: Path, where: str, limits: InstallLimits) -> None:
    """Write every member under ``target`` (which must not exist), counting bytes.

    Members were checked by :func:`_inspect`; zipfile stops each member at its declared
    size and checks its CRC, and the running total is checked again as a second fence.
    Files get 0644, folders 0755, whatever the zip says; nothing existing is followed
    (``open(..., "xb")``). Everything is flushed to disk before the caller renames it.
    """
    written = 0
    target.mkdir()
    for info in zf.infolist():
        parts = _member_parts(info.filename, where)[1:]
        out = target.joinpath(*parts)
        if info.is_dir():
            out.mkdir(mode=0o755, parents=True, exist_ok=True)
            continue
        out.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, open(out, "xb") as dst:
                while chunk := src.read(_HASH_CHUNK):
                    written += len(chunk)
                    if written > limits.max_unpacked_bytes:
                        raise PackageError(
                            f"{where} unpacks to more than {_mb(limits.max_unpacked_bytes)}; "
                            f"download it again"
                        )
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise PackageError(
                f"{where} is corrupt ({printable(info.filename)}: {exc}); download it again"
            ) from None
        os.chmod(out, 0o644)
        checkpoint("install.member")
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        _fsync_dir(folder)
    _fsync_dir(target)


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
        sp = spm.SentencePieceProcessor(model_file=str(info.sp_model_path))
    except (OSError, RuntimeError) as exc:
        raise PackageError(f"{where}: sentencepiece.model does not load ({exc}); {fix}") from None
    try:
        model = ctranslate2.Translator(
            str(info.model_path), device="cpu", inter_threads=1, intra_threads=1
        )
    except (OSError, RuntimeError, ValueError) as exc:
        raise PackageError(f"{where}: the model does not load ({exc}); {fix}") from None
    try:
        vocabulary = _model_vocabulary(info.model_path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"{where}: unreadable model vocabulary ({exc}); {fix}") from None
    probe = sp.encode("Hello world.", out_type=str) or ["<unk>"]
    try:
        result = model.translate_batch(
            [probe], beam_size=1, max_decoding_length=1, return_logits_vocab=True
        )
        steps = result[0].logits[0] if result[0].logits else []
        scored = steps[0].shape[-1] if steps else None
    except (RuntimeError, ValueError, IndexError) as exc:
        raise PackageError(f"{where}: the model does not run ({exc}); {fix}") from None
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
    backup = target.with_name(f"{_BACKUP_PREFIX}{target.name}")
    if not (target.exists() or target.is_symlink()):
        os.rename(new, target)
        _fsync_dir(target.parent)
        return
    os.rename(target, backup)
    checkpoint("install.swap")
    try:
        os.rename(new, target)
    except OSError:
        os.rename(backup, target)
        raise
    _fsync_dir(target.parent)
    shutil.rmtree(backup, ignore_errors=True)


def install_from_file(
    path: str | os.PathLike[str],
    directory: str | os.PathLike[str] | None = None,
    limits: InstallLimits | None = None,
) -> PackageInfo:
    """Install the package file ``path`` (.argosmodel) all-or-nothing; return the result.

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
    top, _ = validate_package_file(path, limits)
    where = f"package file {printable(str(path))}"
    root = packages_dir(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"cannot create packages directory {root} ({exc})") from None
    try:
        with _install_lock(root):
            _recover(root)
            staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
            try:
                with zipfile.ZipFile(path) as zf:
                    _extract(zf, staging / top, where, limits)
                check_loads(read_installed(staging / top), where)
                checkpoint("install.checked")
                _swap_into_place(staging / top, root / top)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise PackageError(f"{where} is corrupt ({exc}); download it again") from None
    except OSError as exc:
        raise PackageError(
            f"cannot install into {root} ({exc.strerror or exc}); the installed packages "
            f"are unchanged"
        ) from None
    return read_installed(root / top)


def install_from_index(
    from_code: str,
    to_code: str,
    directory: str | os.PathLike[str] | None = None,
    limits: InstallLimits | None = None,
) -> PackageInfo:
    """Download the ``from_code -> to_code`` package from the Argos index and install it.

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
    wanted = [p for p in available if (p.from_code, p.to_code) == (from_code, to_code)]
    if not wanted:
        raise ModelMissingError(
            f"the Argos index has no {from_code}->{to_code} package; install one with "
            f"`toolkit models install --file PATH.argosmodel`"
        )
    best = max(wanted, key=lambda p: _version_key(str(p.package_version)))
    try:
        download = Path(best.download())
    except Exception as exc:  # argostranslate raises bare Exception on download failure
        raise IndexUnreachableError(f"{offline} ({exc})") from None
    try:
        return install_from_file(download, directory, limits)
    finally:
        download.unlink(missing_ok=True)
