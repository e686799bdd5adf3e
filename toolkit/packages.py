"""Installed Argos Translate packages: where they live, which exist, and installing more.

An Argos package (``.argosmodel``) is a zip whose single top directory holds
``metadata.json``, ``model/`` (a CTranslate2 model) and ``sentencepiece.model``. Installing
extracts that directory into the packages directory, which is chosen per call::

    explicit argument  >  $ARGOS_PACKAGES_DIR  >  argostranslate's default

Argos itself reads its settings once, at import time, so this module never relies on
that: it passes the directory explicitly and, for the one argostranslate call that writes
(``install_from_path``), points ``argostranslate.settings.package_data_dir`` at it for the
duration of the call. ``argostranslate.translate`` (torch, stanza, spaCy) is never imported.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import sys
import threading
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.errors import ToolkitError

ENV_VAR = "ARGOS_PACKAGES_DIR"
_HASH_CHUNK = 1 << 20
_INSTALL_LOCK = threading.Lock()


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
    prefix = metadata.get("target_prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise PackageError(f"{where}: metadata.json 'target_prefix' must be a string")
    return metadata


def _info_from_metadata(metadata: dict[str, Any], path: Path) -> PackageInfo:
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    return PackageInfo(
        name=str(metadata.get("code") or f"translate-{from_code}_{to_code}"),
        from_code=from_code,
        to_code=to_code,
        package_version=str(metadata.get("package_version") or "0"),
        path=path,
        target_prefix=metadata.get("target_prefix") or None,
        type=str(metadata.get("type") or "translate"),
    )


def read_installed(path: Path) -> PackageInfo:
    """Validate one installed package directory and describe it.

    Raises PackageError naming the directory when metadata.json is missing or invalid, or
    when model/model.bin or sentencepiece.model is missing.
    """
    fix = f"remove {path} and reinstall the package"
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"package {path} has no metadata.json; {fix}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"package {path}: unreadable metadata.json ({exc}); {fix}") from None
    metadata = _check_metadata(metadata, f"package {path}")
    if not (path / "sentencepiece.model").exists() and (path / "bpe.model").exists():
        raise PackageError(
            f"package {path} uses BPE tokenization, which toolkit does not support; "
            f"remove it and install a SentencePiece package"
        )
    for required in ("model/model.bin", "sentencepiece.model"):
        if not (path / required).is_file():
            raise PackageError(f"package {path} has no {required}; {fix}")
    return _info_from_metadata(metadata, path)


def list_installed(directory: str | os.PathLike[str] | None = None) -> list[PackageInfo]:
    """Every package installed in ``packages_dir(directory)``, sorted by pair and version.

    A missing directory means no packages. A corrupt package directory raises PackageError
    naming it (a silently skipped model would only resurface as a confusing "missing").
    """
    root = packages_dir(directory)
    if not root.is_dir():
        return []
    found = [
        read_installed(child)
        for child in sorted(root.iterdir())
        if child.is_dir() and not child.name.startswith(".")
    ]
    return sorted(found, key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version)))


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


def validate_package_file(path: Path) -> tuple[str, dict[str, Any]]:
    """Check an ``.argosmodel`` file before anything is extracted; return (top dir, metadata).

    Rejects, with a PackageError naming the file: not a zip, corrupt members, not exactly
    one top directory, unsafe member paths, no metadata.json or invalid metadata, no
    model/model.bin, no sentencepiece.model.
    """
    path = Path(path)
    where = f"package file {path}"
    if not path.is_file():
        raise PackageError(f"{where} does not exist")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{where} is not a zip archive (.argosmodel); download it again")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
            unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
            if unsafe:
                raise PackageError(f"{where} has unsafe member path {unsafe[0]!r}")
            if len(tops) != 1:
                raise PackageError(
                    f"{where} must contain exactly one top directory, found {sorted(tops)}"
                )
            top = tops.pop()
            members = set(names)
            for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
                if f"{top}/{required}" not in members:
                    raise PackageError(f"{where} has no {required} in {top}/")
            bad = zf.testzip()
            if bad is not None:
                raise PackageError(f"{where} is corrupt (bad CRC in {bad}); download it again")
            try:
                metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise PackageError(f"{where}: invalid metadata.json ({exc})") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{where} is corrupt ({exc}); download it again") from None
    return top, _check_metadata(metadata, where)


@contextlib.contextmanager
def _argos_writing_to(directory: Path) -> Iterator[types.ModuleType]:
    """``argostranslate.package`` with its install target pointed at ``directory``.

    ``install_from_path`` extracts into ``settings.package_data_dir`` and afterwards imports
    ``argostranslate.translate`` only to clear a language cache. That import would load
    torch, stanza and spaCy, so, unless it is already loaded, a stand-in module with a no-op
    cache is provided for the duration of the call. Both changes are undone on exit.
    """
    import argostranslate.package as argos_package
    from argostranslate import settings

    name = "argostranslate.translate"
    with _INSTALL_LOCK:
        saved_dir = settings.package_data_dir
        stub = None
        if name not in sys.modules:
            stub = types.ModuleType(name, "stand-in installed by toolkit.packages")
            stub.get_installed_languages = types.SimpleNamespace(  # type: ignore[attr-defined]
                cache_clear=lambda: None
            )
            sys.modules[name] = stub
        settings.package_data_dir = directory
        try:
            yield argos_package
        finally:
            settings.package_data_dir = saved_dir
            if stub is not None and sys.modules.get(name) is stub:
                del sys.modules[name]


def install_from_file(
    path: str | os.PathLike[str], directory: str | os.PathLike[str] | None = None
) -> PackageInfo:
    """Validate ``path`` (.argosmodel), install it with argostranslate, return the result.

    The file is checked completely before extraction (see validate_package_file), so a bad
    download never leaves a half-installed package behind.
    """
    path = Path(path)
    top, _ = validate_package_file(path)
    root = packages_dir(directory)
    root.mkdir(parents=True, exist_ok=True)
    with _argos_writing_to(root) as argos_package:
        argos_package.install_from_path(path)
    return read_installed(root / top)


def install_from_index(
    from_code: str, to_code: str, directory: str | os.PathLike[str] | None = None
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
        return install_from_file(download, directory)
    finally:
        download.unlink(missing_ok=True)
