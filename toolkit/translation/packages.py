"""Installed Argos Translate packages: where they live, which exist, and reading one.

An Argos package (``.argosmodel``) is a zip whose single top directory holds
``metadata.json``, ``model/`` (a CTranslate2 model) and ``sentencepiece.model``; installed,
that directory sits in the packages directory, which is chosen per call::

    explicit argument  >  $ARGOS_PACKAGES_DIR  >  argostranslate's default

Argos itself reads its settings once, at import time, so this module never relies on
that: it passes the directory explicitly. Installing more is
:mod:`toolkit.translation.install`. ``argostranslate.translate`` (torch, stanza, spaCy) is
never imported.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.corpus.paths import quoted_name, shown_name
from toolkit.errors import ToolkitError
from toolkit.translation.folders import (
    BACKUP_PREFIX,
    folder_mismatch,
    shown_version,
    version_text,
)
from toolkit.translation.hashes import file_sha256

ENV_VAR = "ARGOS_PACKAGES_DIR"
STAGING_PREFIX = ".install-"
"""Hidden directories in the packages dir that hold a package while it is extracted."""
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


_REF = "\x00"  # no path holds a NUL: a folder reference (folder_ref) is unambiguous
_REFS = re.compile(f"{_REF}({_REF}?)([^{_REF}]+){_REF}")  # a second NUL: quoted


def folder_ref(path: str | os.PathLike[str], quoted: bool = False) -> str:
    """An installed package's folder as a :class:`PackageError` message names it: the
    terminal gets its path, what a build records (:attr:`PackageError.recorded`) its name
    alone, each spelled by :func:`~toolkit.corpus.paths.quoted_name` (``quoted``: in
    ``'...'``), so a typed ``\\n`` and a line break read apart. The one way a package
    message names a folder: a path put in and cut out again by a regex over the formatted
    text stayed in the manifest when it held a backslash, a quote or a newline."""
    return f"{_REF}{_REF if quoted else ''}{os.fspath(path)}{_REF}"


def shown_path(path: str | os.PathLike[str], quoted: bool = False) -> str:
    """A package's folder or file, or a packages folder, as every package message and
    ``toolkit models`` line spells it: :func:`~toolkit.corpus.paths.quoted_name`, in
    ``'...'`` when ``quoted``. The one spelling: a package file was shown by ``shown_name``
    in one refusal and by ``quoted_name`` in another, so a typed ``\\n`` and a line break
    read alike in one of them."""
    return quoted_name(os.fspath(path), "'" if quoted else "")


def package_file(path: str | os.PathLike[str]) -> str:
    """``package file X``: how a refusal names the ``.argosmodel`` file it read (by
    :func:`folder_ref`: its path in the terminal, its name in what a build records)."""
    return f"package file {folder_ref(path)}"


def _spelled(ref: re.Match[str], name_only: bool) -> str:
    path = ref[2]
    return shown_path(Path(path).name if name_only else path, bool(ref[1]))


def loader_error(exc: Exception, path: Path) -> str:
    """A loader's error text with the package folder ``path`` in it spelled as its
    :func:`folder_ref` (SentencePiece names the file it read): shown escaped, recorded as
    the folder's name. Never the raw path: a line break in it broke the line."""
    return str(exc).replace(str(path), folder_ref(path))


def recorded(text: str) -> str:
    """``text`` with each :func:`folder_ref` spelled as the folder's name (escaped once):
    the line as a build records it in ``manifest.jsonl`` and ``meta.json``, which must not
    depend on the machine (``toolkit models list`` shows where the folders are)."""
    return _REFS.sub(lambda m: _spelled(m, True), text)


class PackageError(ToolkitError):
    """A package file or installed package directory is unusable; the message names it.

    Folders named by :func:`folder_ref` are shown by path in the message and by name in
    :attr:`recorded` (given ``recorded``: that line, already so)."""

    def __init__(self, message: object = "", recorded_line: str | None = None) -> None:
        text = str(message)
        super().__init__(_REFS.sub(lambda m: _spelled(m, False), text))
        self.recorded = recorded(text) if recorded_line is None else recorded_line


class ModelMissingError(PackageError):
    """No installed package translates the requested language pair."""

    pair: tuple[str, str] | None = None
    """The pair :meth:`for_pair` said is missing (None: another cause, a refused package)."""

    @classmethod
    def for_pair(cls, from_code: str, to_code: str) -> ModelMissingError:
        """The error for a missing ``from_code``→``to_code`` model: the line
        :func:`~toolkit.translation.model_advice.needs_model_line` gives (what to install,
        or why nothing can be)."""
        from toolkit.translation.model_advice import needs_model_line

        error = cls(needs_model_line(from_code, to_code))
        error.pair = (from_code, to_code)
        return error

    def for_file(self, file_name: str) -> str:
        """This line for the original ``file_name`` (its base name): the settings line to
        write named with it, where the advice is to state the file's language."""
        from toolkit.translation.model_advice import needs_model_line

        return str(self) if self.pair is None else needs_model_line(*self.pair, file_name)


class IndexUnreachableError(PackageError):
    """The online Argos package index could not be reached."""


class PackageInfo(BaseModel):
    """One installed package, read from its directory.

    ``name`` is stable across machines (metadata ``code``, else ``translate-<from>_<to>``);
    ``path`` is where it happens to be installed. ``model_sha256`` hashes
    ``model/model.bin`` (:func:`~toolkit.translation.hashes.file_sha256`: once per version
    of the file); the model's identity hashes every file that shapes its output
    (:func:`shaping_files`, :func:`toolkit.translation.identity.package_digest`).
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
    def native_paths(self) -> tuple[bytes, bytes]:
        """``(sentencepiece.model, model/)`` as the OS spells them, for SentencePiece and
        CTranslate2: their bindings take a str only as valid UTF-8 (a packages folder whose
        path holds other bytes, surrogate-escaped, was a TypeError), bytes as they are."""
        return os.fsencode(self.sp_model_path), os.fsencode(self.model_path)

    @property
    def model_sha256(self) -> str:
        return file_sha256(self.model_path / "model.bin")

    @property
    def label(self) -> str:
        """``translate-de_en 1.0`` (``translate-de_en (no version)``): how messages name it."""
        return f"{self.name} {shown_version(self.package_version)}"


MAX_METADATA_BYTES = 1_000_000
"""An Argos metadata.json is under 1 kB; a larger one is not read."""

MAX_FIELD_CHARS = 100
"""The longest code, version, type or target prefix a metadata.json may give."""

TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")
"""The tokenizer models a package may hold beside ``model/`` (Argos reads one of them)."""


def shaping_files(path: Path) -> list[tuple[str, Path]]:
    """``(relative path, file)`` of every file of the installed package at ``path`` that can
    change what it outputs, sorted by relative path.

    That is every regular file under ``model/`` (CTranslate2 reads ``model.bin``,
    ``config.json`` and the vocabularies; a file it does not read costs one needless
    re-translation if it changes, never a stale one) and the tokenizer model
    (:data:`TOKENIZER_FILES`). Not ``metadata.json`` (its one setting that shapes output,
    ``target_prefix``, is part of the identity itself) nor READMEs. Symlinked directories
    are not followed; a file that links outside the package is a :class:`PackageError` (its
    contents are not the package's: a link to ``/proc/self/stat`` gave a new identity on
    every build, so the cache never served anything): listing a package never hangs or
    reads outside it. So is
    anything under ``model/`` that is not a regular file (a FIFO, a device, a broken link):
    it was left out of the identity, and CTranslate2 then blocked forever opening a FIFO.
    """
    if not (path / "model").is_dir():  # os.walk would list nothing: an empty identity
        raise PackageError(
            f"{folder_ref(path)}: it has no model/ folder (removed or moved?); reinstall it"
        )
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(path / "model"):  # followlinks=False
        dirs.sort()
        for name in files:
            file = Path(folder, name)
            found.append((file.relative_to(path).as_posix(), file))
    found += [(name, path / name) for name in TOKENIZER_FILES]
    # Where the package's files may live: the package folder, and its model/ folder where
    # that is a link to a shared store (a link inside the store stays inside it).
    roots = [path.resolve(), (path / "model").resolve()]
    for rel, file in found:
        if not file.is_symlink():
            continue
        try:
            target = file.resolve(strict=False)
        except (OSError, RuntimeError):  # a loop ("a -> b -> a")
            raise PackageError(
                f"{folder_ref(path)}: {rel} is a link that never reaches a file (a loop); "
                "remove it, or reinstall the package"
            ) from None
        if not any(target.is_relative_to(root) for root in roots):
            raise PackageError(
                f"{folder_ref(path)}: {rel} links outside the package (to "
                f"{folder_ref(target)}); replace the link with the file itself, or "
                "reinstall the package"
            )
    listed = []
    for rel, file in found:
        if file.is_file():
            listed.append((rel, file))
        elif rel not in TOKENIZER_FILES or os.path.lexists(file):  # a package has one tokenizer
            raise PackageError(
                f"{folder_ref(path)}: {rel} is not a regular file (a FIFO, a device or a broken "
                "link: reading it could block forever); reinstall the package"
            )
    return sorted(listed)


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


def check_metadata(
    metadata: Any, where: str, folder: str, fix: str = "download the package again",
    named: bool = False,
) -> dict[str, Any]:
    """Validate parsed ``metadata.json`` of the package in ``folder`` (its top folder name);
    return it, or raise PackageError naming ``where`` and ending in ``fix`` (``named``:
    ``where`` names the folder itself, so the line does not name it again).

    The one check, run at install (the file's top folder) and at every read (the installed
    folder), so a metadata.json edited or a folder copied in by hand after install is
    refused too.
    """
    if not isinstance(metadata, dict):
        raise PackageError(f"{where}: metadata.json must hold a JSON object; {fix}")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise PackageError(f"{where}: metadata.json lacks a '{key}' string; {fix}")
        if not _LANGUAGE_CODE.fullmatch(metadata[key]):
            raise PackageError(
                f"{where}: metadata.json '{key}' {quoted_name(metadata[key])} is not a "
                f"language code; {fix}"
            )
    prefix = metadata.get("target_prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise PackageError(f"{where}: metadata.json 'target_prefix' must be a string; {fix}")
    # One rule: a version is text or absent. A number was taken as its text (0 as "0",
    # 1.10 as "1.1": JSON keeps no float's spelling) while a list or true was refused.
    if not isinstance(metadata.get("package_version"), str | None):
        raise PackageError(
            f"{where}: metadata.json 'package_version' must be a string (\"1.0\") or absent; "
            f"{fix}"
        )
    for key in ("from_code", "to_code", "code", "type", "package_version", "target_prefix"):
        # A version of 500,000 digits made `models list`, `translate` and `status` die
        # comparing versions (Python's 4,300-digit limit); no real field is this long.
        if len(str(metadata.get(key) or "")) > MAX_FIELD_CHARS:
            raise PackageError(
                f"{where}: metadata.json '{key}' is {len(str(metadata[key])):,} characters "
                f"long (at most {MAX_FIELD_CHARS}); {fix}"
            )
    folder = folder.removeprefix(BACKUP_PREFIX)
    mismatch = folder_mismatch(folder, metadata["from_code"], metadata["to_code"], said=named)
    if mismatch is not None and mismatch[0] == "pair":  # refused: a de→en folder whose
        # metadata says nl was listed as nl→en and translated `--from nl` in German
        raise PackageError(f"{where}: {mismatch[1]}; {fix}")
    return metadata


def folder_warning(package: PackageInfo) -> str | None:
    """The warning ``models list`` and ``models install`` give for ``package``'s folder name
    (:func:`folder_mismatch`), or None."""
    mismatch = folder_mismatch(
        package.path.name, package.from_code, package.to_code, package.package_version
    )
    return None if mismatch is None else mismatch[1]


def _info_from_metadata(metadata: dict[str, Any], path: Path) -> PackageInfo:
    """Describe a package; names are untrusted text, so control characters (terminal
    escapes) are stored escaped and can never reach a terminal raw. The version is kept as
    written, the key of the model's identity (escaped, two versions shared one key), and
    escaped where shown (:func:`~toolkit.translation.folders.shown_version`)."""
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    return PackageInfo(
        name=shown_name(str(metadata.get("code") or f"translate-{from_code}_{to_code}")),
        from_code=from_code,
        to_code=to_code,
        package_version=version_text(metadata.get("package_version")),  # as written
        path=path,
        target_prefix=metadata.get("target_prefix") or None,
        type=shown_name(str(metadata.get("type") or "translate")),
    )


REINSTALL = "remove this folder and reinstall the package"
"""The fix of a refusal that names an installed package's folder: it names it once (the fix
repeated the path, a line break or a bidi character in it twice)."""


def read_metadata(path: Path) -> Any:
    """The parsed, unchecked ``metadata.json`` of the installed package folder ``path``.

    Opened without blocking and checked to be a regular file of a sane size: a FIFO named
    metadata.json hung `models list`, `status` and `build` (holding the lock). Raises
    PackageError naming the folder.
    """
    from toolkit.corpus.paths import read_regular_file

    shown = folder_ref(path)
    try:
        data = read_regular_file((path / "metadata.json").resolve(), MAX_METADATA_BYTES)
        return json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise PackageError(f"package {shown} has no metadata.json; {REINSTALL}") from None
    except (OSError, RuntimeError, ValueError) as exc:  # RecursionError: "[[[[..." deep
        why = getattr(exc, "strerror", None) or exc  # an OSError's text names the path
        raise PackageError(
            f"package {shown}: unreadable metadata.json ({why}); {REINSTALL}"
        ) from None


def read_installed(path: Path) -> PackageInfo:
    """Validate one installed package directory and describe it.

    Raises PackageError naming the directory when metadata.json is missing or invalid, or
    when model/model.bin or sentencepiece.model is missing.
    """
    shown = folder_ref(path)  # a folder name is untrusted too: never print escapes raw
    metadata = check_metadata(
        read_metadata(path), f"package {shown}", path.name, REINSTALL, named=True
    )
    if not (path / "sentencepiece.model").exists() and (path / "bpe.model").exists():
        raise PackageError(
            f"package {shown} uses BPE tokenization, which toolkit does not support; "
            f"remove it and install a SentencePiece package"
        )
    for required in ("model/model.bin", "sentencepiece.model"):
        if not (path / required).is_file():
            raise PackageError(f"package {shown} has no {required}; {REINSTALL}")
    return _info_from_metadata(metadata, path)
