"""``toolkit models list`` and ``toolkit models install``: the Argos model packages."""

from __future__ import annotations

import json
from pathlib import Path

import click

from toolkit.cli.options import (
    CommandLineError,
    Group,
    emit,
    file_option,
    format_option,
    packages_option,
    shown,
)


@click.group(cls=Group)
def models() -> None:
    """List and install Argos Translate model packages."""


@models.command("list")
@packages_option()
@format_option(["text", "json"], "text: a tab-separated table; json: a list of objects.")
def models_list(packages_dir: Path | None, fmt: str) -> None:
    """Installed packages: from, to, version, path."""
    from toolkit.corpus.paths import shown_name
    from toolkit.translation.packages import list_installed
    from toolkit.translation.packages import packages_dir as resolve_dir

    installed = list_installed(packages_dir)
    if fmt == "json":
        fields = {"name", "from_code", "to_code", "package_version", "path"}
        rows = [p.model_dump(mode="json", include=fields) for p in installed]
        emit(json.dumps(rows, indent=1))
        return
    if not installed:
        click.echo(f"no packages installed in {shown(str(resolve_dir(packages_dir)))}", err=True)
        return
    emit("from\tto\tversion\tpath")
    for p in installed:
        emit(f"{p.from_code}\t{p.to_code}\t{p.package_version}\t{shown_name(str(p.path))}")


@models.command("install")
@click.argument("codes", nargs=-1)
@file_option("--file", "file_", help="Install from a local .argosmodel file instead of the index.")
@click.option("--if-missing", is_flag=True, help="Do nothing if the pair is already installed.")
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
    from toolkit.translation.install import install_from_file, install_from_index

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
    if file_ is not None:
        installed = [install_from_file(file_, packages_dir, limits)]
    else:
        pairs = list(zip(codes[::2], codes[1::2], strict=True))
        pairs = _missing(pairs, packages_dir) if if_missing else pairs
        installed = [install_from_index(f, t, packages_dir, limits) for f, t in pairs]
    for info in installed:
        emit(
            f"installed {info.name} {info.package_version} "
            f"({info.from_code}→{info.to_code}) in {shown(str(info.path))}"
        )


def _missing(pairs: list[tuple[str, str]], packages_dir: Path | None) -> list[tuple[str, str]]:
    """The pairs not installed yet; one line for each one that is."""
    from toolkit.translation.packages import PackageError, find_package

    missing = []
    for from_code, to_code in pairs:
        try:
            info = find_package(from_code, to_code, packages_dir)
        except PackageError:
            missing.append((from_code, to_code))
            continue
        emit(f"{from_code}→{to_code}: already installed ({info.name} {info.package_version})")
    return missing


COMMANDS = (models,)
