"""What an Argos package file may contain, checked before anything is extracted, and
extracting it safely.

Package files are untrusted: :func:`validate_package_file` reads only the zip's directory
and ``metadata.json`` (limits from :class:`~toolkit.config.translation.InstallLimits`:
members, unpacked size, compression ratio; no links, special files, unsafe or clashing
names), and :func:`extract` writes each member with fixed permissions, never following
anything that exists, counting bytes as a second fence.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path
from typing import Any

from toolkit._faults import checkpoint
from toolkit.config.translation import InstallLimits
from toolkit.corpus.paths import quoted_name, shown_name
from toolkit.plural import byte_size
from toolkit.translation.hashes import HASH_CHUNK
from toolkit.translation.packages import PackageError, check_metadata, package_file

_MAX_METADATA_BYTES = 1 << 20
# Characters that never belong in a member name: controls (terminal escapes), backslashes
# (Windows separators that would smuggle "..\"), bidi controls (names that display as
# something else).
_BAD_NAME_CHAR = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u202a-\u202e\u2066-\u2069]")


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
        raise PackageError(
            f"{where} has unsafe member path {quoted_name(name)}; download it again"
        )
    return parts


def _inspect(zf: zipfile.ZipFile, where: str, size: int, limits: InstallLimits) -> str:
    """Check every member of an open package zip without decompressing anything.

    Returns the top directory. Refuses: too many members, too much data, a suspicious
    compression ratio (:func:`_check_totals`), encrypted members, symlinks and other special
    files, unsafe names, a name listed twice, a name that is a file in one entry and a folder
    in another (:func:`_member_tree`), more than one top directory or a hidden one, missing
    required files.
    """
    infos = zf.infolist()
    _check_totals(infos, where, size, limits)
    files, folders = _member_tree(infos, where)
    tops = {parts[0] for parts in files | folders}
    if len(tops) != 1:
        found = ", ".join(map(quoted_name, sorted(tops)))
        raise PackageError(f"{where} must contain exactly one top directory, found {found}")
    top = tops.pop()
    if top.startswith("."):
        raise PackageError(
            f"{where}: top directory {quoted_name(top)} is hidden; download it again"
        )
    for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
        if (top, *required.split("/")) not in files:
            raise PackageError(f"{where} has no {required} in {quoted_name(top + '/')}")
    return top


def _check_totals(
    infos: list[zipfile.ZipInfo], where: str, size: int, limits: InstallLimits
) -> None:
    """Refuse too many members, too much data or a zip-bomb compression ratio."""
    if len(infos) > limits.max_members:
        raise PackageError(
            f"{where} has {len(infos)} members, more than the limit of {limits.max_members}; "
            f"a model package has a few dozen (rerun with --max-members N if you trust it)"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked_bytes:
        raise PackageError(
            f"{where} unpacks to {byte_size(total)}, more than the limit of "
            f"{byte_size(limits.max_unpacked_bytes)} (rerun with --max-unpacked-mb N if you "
            "trust it)"
        )
    if total > limits.max_ratio * max(size, 1):
        raise PackageError(
            f"{where} unpacks to {byte_size(total)} from {byte_size(size)} (ratio "
            f"{total / max(size, 1):.0f}:1, limit {limits.max_ratio:g}:1): a zip bomb, not a "
            f"model; download it again (or rerun with --max-ratio N if you trust it)"
        )


def _member_tree(
    infos: list[zipfile.ZipInfo], where: str
) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The members' paths as (files, folders), refusing encrypted members, links and special
    files, unsafe names, duplicates, and a path that is both a file and a folder."""
    files: set[tuple[str, ...]] = set()
    folders: set[tuple[str, ...]] = set()
    for info in infos:
        parts = _member_parts(info.filename, where)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if info.flag_bits & 0x1:
            raise PackageError(f"{where}: member {quoted_name(info.filename)} is encrypted")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            what = "a symlink" if kind == stat.S_IFLNK else "a special file"
            raise PackageError(
                f"{where}: member {quoted_name(info.filename)} is {what}; a package holds "
                "only files and folders; download it again"
            )
        folders.update(parts[:i] for i in range(1, len(parts)))
        if info.is_dir():
            folders.add(parts)
        elif parts in files:
            raise PackageError(
                f"{where} lists {quoted_name(info.filename)} twice; download it again"
            )
        else:
            files.add(parts)
    clash = sorted(files & folders)
    if clash:
        raise PackageError(
            f"{where}: {quoted_name('/'.join(clash[0]))} is a file in one entry and a folder "
            "in another; "
            f"download it again"
        )
    return files, folders


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
    where = package_file(path)
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
            except (ValueError, RecursionError) as exc:  # nested 100,000 deep: RecursionError
                raise PackageError(f"{where}: invalid metadata.json ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise corrupt(where, exc) from None
    metadata = check_metadata(metadata, where, top)
    kind = metadata.get("type") or "translate"
    if kind != "translate":  # e.g. "sbd": it listed as de→en, then builds said "needs model"
        raise PackageError(
            f"{where} is a {quoted_name(str(kind))} package, not a translation model; "
            "toolkit installs translation packages only"
        )
    return top, metadata


def corrupt(where: str, exc: BaseException, member: str | None = None) -> PackageError:
    """The refusal of a package file (``where``) that zipfile cannot read (``exc``; its
    text may quote a member's name, shown escaped), at ``member`` when known."""
    at = f"{quoted_name(member)}: " if member is not None else ""
    return PackageError(f"{where} is corrupt ({at}{shown_name(str(exc))}); download it again")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def extract(zf: zipfile.ZipFile, target: Path, where: str, limits: InstallLimits) -> None:
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
                while chunk := src.read(HASH_CHUNK):
                    written += len(chunk)
                    if written > limits.max_unpacked_bytes:
                        raise PackageError(
                            f"{where} unpacks to more than {byte_size(limits.max_unpacked_bytes)}; "
                            f"download it again"
                        )
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise corrupt(where, exc, info.filename) from None
        os.chmod(out, 0o644)
        checkpoint("install.member")
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        fsync_dir(folder)
    fsync_dir(target)
