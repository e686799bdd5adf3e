"""``toolkit models list`` and ``toolkit models install``: the Argos model packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import (
    CommandLineError,
    Group,
    emit,
    file_option,
    format_option,
    packages_option,
    warn,
)

if TYPE_CHECKING:
    from toolkit.config.translation import InstallLimits
    from toolkit.translation.install import SkipPair
    from toolkit.translation.packages import PackageInfo


@click.group(cls=Group)
def models() -> None:
    """List and install Argos Translate model packages."""


@models.command("list")
@packages_option()
@format_option(["text", "json"], "text: a tab-separated table; json: a list of objects.")
def models_list(packages_dir: Path | None, fmt: str) -> None:
    """Installed packages: from, to, version, used, path.

    ``used`` says which package translates each pair (the highest version), and why
    no command uses any other one (an older version, a code builds never ask for, the
    same version twice, broken: a broken folder fails only the pairs it would serve). A
    folder named for another version than its metadata's, or not as Argos names packages,
    is a warning on stderr (``folder_warning`` in JSON): the metadata is what counts."""
    from toolkit.translation.folders import shown_version
    from toolkit.translation.packages import packages_dir as resolve_dir
    from toolkit.translation.packages import shown_path

    rows = _list_rows(packages_dir)
    if fmt == "json":
        emit(json.dumps(rows, indent=1))
        return
    if not rows:
        where = shown_path(resolve_dir(packages_dir))
        click.echo(f"no packages installed in {where}", err=True)
        return
    for row in rows:
        if row.get("folder_warning"):
            _warn_folder(Path(str(row["path"])), str(row["folder_warning"]))
    emit("from\tto\tversion\tused\tpath")
    for row in rows:
        used = "yes" if row["used"] else f"no: {row['unused_because']}"
        version = row["package_version"]  # None: a broken folder's, unread
        cells = [row["from_code"] or "?", row["to_code"] or "?",
                 "?" if version is None else shown_version(str(version))]  # fmt: skip
        emit("\t".join([*cells, used, shown_path(str(row["path"]))]))


def _warn_folder(path: Path, warning: str) -> None:
    """A folder-name warning, prefixed with the packages folder: the warning names the
    package's folder itself (the line named it twice, as a path and quoted)."""
    from toolkit.translation.packages import shown_path

    warn(f"{shown_path(path.parent)}: {warning}")


def _list_rows(packages_dir: Path | None) -> list[dict[str, object]]:
    """One row per folder in the packages directory: the usable packages (by pair and
    version), then the broken folders (``used`` false, ``unused_because`` "broken: ...", or
    "not a package: ..." for a folder that is none)."""
    from toolkit.translation.installed import scan_installed, serving, unused_reason
    from toolkit.translation.packages import folder_warning

    installed, broken = scan_installed(packages_dir)
    served = serving(installed, broken)
    fields = {"name", "from_code", "to_code", "package_version", "type", "path"}
    rows: list[dict[str, object]] = []
    for package in installed:
        why = unused_reason(package, served)
        rows.append({**package.model_dump(mode="json", include=fields), "used": why is None})
        rows[-1]["unused_because"] = why
        rows[-1]["folder_warning"] = folder_warning(package)
    for folder in broken:
        from_code, to_code = folder.pairs[0] if folder.pairs else (None, None)
        rows.append(
            {"name": None, "from_code": from_code, "to_code": to_code, "type": None,
             "package_version": folder.package_version, "path": str(folder.path),
             "used": False, "folder_warning": None,
             "unused_because": folder.error if folder.ignored else f"broken: {folder.error}"}
        )  # fmt: skip
    return rows


@models.command("install")
@click.argument("codes", nargs=-1)
@file_option("--file", "file_", help="Install from a local .argosmodel file instead of the index.")
@click.option(
    "--if-missing", is_flag=True,
    help="Do nothing if the pair (of --file: the one its metadata names) is already installed.",
)  # fmt: skip
@click.option(
    "--max-unpacked-mb", type=click.IntRange(min=1), default=None,
    help="Refuse packages that unpack to more than this (default 4000 MB).",
)  # fmt: skip
@click.option(
    "--max-members", type=click.IntRange(min=1), default=None,
    help="Refuse packages with more entries than this (default 1000).",
)  # fmt: skip
@click.option(
    "--max-ratio", type=click.FloatRange(min=1), default=None,
    help="Refuse packages that unpack to more than this many times their size (default 100).",
)  # fmt: skip
@packages_option()
def models_install(
    codes: tuple[str, ...],
    file_: Path | None,
    if_missing: bool,
    max_unpacked_mb: int | None,
    max_members: int | None,
    max_ratio: float | None,
    packages_dir: Path | None,
) -> None:
    """Install FROM TO [FROM TO ...] from the Argos index, or --file PATH.argosmodel.

    Example: ``toolkit models install --if-missing de en nl en``. Offline, the index
    cannot be reached: one line says so and how to install from a file (exit 1).
    """
    from toolkit.config.translation import InstallLimits
    from toolkit.translation.install import install_from_index
    from toolkit.translation.packages import PackageError

    given = {
        "max_unpacked_bytes": max_unpacked_mb * 1_000_000 if max_unpacked_mb else None,
        "max_members": max_members,
        "max_ratio": max_ratio,
    }
    limits = InstallLimits(**{k: v for k, v in given.items() if v is not None})
    if file_ is not None and codes:
        raise CommandLineError("give either FROM TO pairs or --file, not both")
    if file_ is None and (not codes or len(codes) % 2):
        raise CommandLineError(
            "usage: toolkit models install FROM TO [FROM TO ...]  (or --file PATH.argosmodel)"
        )
    refused: list[str] = []  # --if-missing: pairs installed but refused (not installed again)
    if file_ is not None:
        installed = _install_file(file_, packages_dir, limits, refused if if_missing else None)
    else:
        pairs = list(zip(map(_base_code, codes[::2]), map(_base_code, codes[1::2]), strict=True))
        skip = _installed_check(packages_dir, refused) if if_missing else None
        pairs = _missing(pairs, packages_dir, refused) if if_missing else pairs  # no download
        installed = [install_from_index(f, t, packages_dir, limits, skip) for f, t in pairs]
    _report([info for info in installed if info is not None], packages_dir)
    if refused:
        raise PackageError("; ".join(refused))


def _base_code(code: str) -> str:
    """``DE``, ``de-DE`` -> ``de``: the code builds ask for (the index names base codes)."""
    from toolkit.languages import primary_language

    return primary_language(code) or code


def _install_file(
    file_: Path, packages_dir: Path | None, limits: InstallLimits, refused: list[str] | None
) -> list[PackageInfo]:
    """Install ``file_``; with ``refused`` (``--if-missing``), nothing if its metadata's pair
    is installed (or refused: then its line goes to ``refused``, see :func:`_missing`)."""
    from toolkit.translation.install import install_unless

    skip = None if refused is None else _installed_check(packages_dir, refused)
    installed = install_unless(file_, packages_dir, limits, skip)
    return [] if installed is None else [installed]


def _installed_check(packages_dir: Path | None, refused: list[str]) -> SkipPair:
    """``--if-missing``'s test of a pair, for the installer to ask under its lock (checked
    before it, three installs at once of one pair all found it missing and all installed)."""

    def installed(from_code: str, to_code: str) -> bool:
        return not _missing([(from_code, to_code)], packages_dir, refused)

    return installed


def _report(installed: list[PackageInfo], packages_dir: Path | None) -> None:
    """One line per installed package, and a warning for one no command will use."""
    from toolkit.translation.installed import scan_installed, serving, unused_reason
    from toolkit.translation.packages import folder_warning, shown_path

    served = serving(*scan_installed(packages_dir))
    for info in installed:
        emit(
            f"installed {info.label} "
            f"({info.from_code}→{info.to_code}) in {shown_path(info.path)}"
        )
        named = folder_warning(info)
        if named is not None:
            _warn_folder(info.path, named)
        why = unused_reason(info, served)
        if why is not None:
            warn(f"no command will use {info.label}: {why}")


def _missing(
    pairs: list[tuple[str, str]], packages_dir: Path | None, refused: list[str]
) -> list[tuple[str, str]]:
    """The pairs not installed yet (:func:`~toolkit.translation.installed.installed_or_refused`
    decides); one line for each one that is. The refusal of a pair installed but refused
    (it names the fix) goes to ``refused``: the command installs the others, then fails
    with it."""
    from toolkit.translation.installed import TiedPackagesError, installed_or_refused

    missing = []
    for from_code, to_code in pairs:
        found = installed_or_refused(from_code, to_code, packages_dir)
        if found is None:
            missing.append((from_code, to_code))
        elif isinstance(found, TiedPackagesError):
            refused.append(
                f"{from_code}→{to_code} is installed but refused, so --if-missing installs "
                f"nothing for it: {found}"
            )
        else:
            emit(f"{from_code}→{to_code}: already installed ({found.label})")
    return missing


COMMANDS = (models,)
