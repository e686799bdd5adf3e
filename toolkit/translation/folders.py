"""What an installed package's folder name and version say, read the one way for install,
every read and ``models list``: the version as the package's metadata gives it (none is
none, not "0"), how it ranks (:func:`version_key`) and how a message shows it, and what an
Argos folder name (``translate-de_en-1_0``) claims against the metadata."""

from __future__ import annotations

import re
from typing import Any

from toolkit.corpus.paths import quoted_name

BACKUP_PREFIX = ".old-"
"""``.old-<name>``: the previous ``<name>`` while a reinstall swaps it out."""


NO_VERSION = "(no version)"
"""How a message shows a package whose metadata.json gives no version."""


def version_text(value: object) -> str:
    """A metadata.json ``package_version`` as the package's version: "" when it gives none
    (absent, null, blank: ``" "`` too). It was read as "0": shown as version 0, and keyed so
    in the model's identity, which a package of version "0" shares and a later "" does not."""
    text = "" if value is None else str(value)
    return text if text.strip() else ""


def shown_version(version: str | None) -> str:
    """A package version as messages show it; :data:`NO_VERSION` for an empty one. The
    version is keyed as metadata.json writes it (``"1.0\\u200b"``, a zero-width space, and
    the typed text ``1.0\\u200b`` are two versions); a message escapes it here, and quotes
    one that is not plain (escaped, or with whitespace around it: ``'1.0 '``)."""
    if not version:
        return NO_VERSION
    quoted = quoted_name(version)
    return version if quoted[1:-1] == version == version.strip() else quoted


def folder_mismatch(
    folder: str, from_code: str, to_code: str, version: str | None = None, *, said: bool = False
) -> tuple[str, str] | None:
    """What the name of a package folder says that its metadata (``from_code``, ``to_code``,
    ``version``; None: not compared) does not; None when it agrees (``said``: the line
    names the folder already, so a refusal names it once). The one reading of a
    folder's name against its package, for install, every read and ``models list``.

    Argos names a folder ``translate-<from>_<to>-<version>`` (the version's dots as ``_``);
    a ``.old-`` prefix is ignored. The metadata ranks, always; the kinds:

    * ``"pair"``: a ``translate-`` name of another pair: refused
      (:func:`toolkit.translation.packages.check_metadata`);
    * ``"version"``: another version (``translate-de_en-1_0`` holding 2.0): a warning, as
      the folder reads as the version it is not;
    * ``"form"``: a name not in Argos's form (``my-model``), or the version spelled
      otherwise than Argos spells it (``-1.0``, ``-1_0_0``, ``-1_0 ``: the name is held
      against Argos's exactly): a warning naming what the metadata says.
    """
    folder = folder.removeprefix(BACKUP_PREFIX)
    named = f"translate-{from_code}_{to_code}"
    it = "its folder's name" if said else f"its folder {quoted_name(folder)}"
    said = f"its metadata.json says {from_code}→{to_code}"
    if folder.startswith("translate-") and folder != named and not folder.startswith(f"{named}-"):
        return "pair", f"{it} names another language pair than {said}"
    if version is None:
        return None
    shown = shown_version(version)
    name = _argos_folder(named, version)
    uncarried = "no folder name of Argos's form carries that version"
    argos = quoted_name(name) if name else uncarried
    claimed = folder.removeprefix(f"{named}-")
    if claimed == folder:  # not translate-<from>_<to>-...
        if folder == named:
            return None
        return "form", (
            f"its folder {quoted_name(folder)} is not named as Argos names packages ({argos}); "
            f"{said} {shown}, which is what toolkit uses"
        )
    if folder == name:
        return None
    if version_key(claimed.replace("_", ".")) == version_key(version):  # 1.0, 1_0_0, 01_0
        return "form", (
            f"its folder {quoted_name(folder)} spells version {shown} otherwise than Argos "
            f"names it ({argos}); {said} {shown}, which is what toolkit uses"
        )
    return "version", (
        f"its folder {quoted_name(folder)} names version {quoted_name(claimed, '')}; "
        f"{said} {shown}, "
        f"the version toolkit uses and ranks ({f'Argos would name it {argos}' if name else argos})"
    )


_FOLDER_VERSION = re.compile(r"[A-Za-z0-9+~-][A-Za-z0-9._+~-]*")
"""A version that Argos's folder name carries as it is (its dots as ``_``)."""


def _argos_folder(named: str, version: str) -> str | None:
    """The folder name Argos gives ``version`` of the package ``named`` (dots as ``_``);
    None for a version no folder name can carry (``../../evil``, escapes, spaces)."""
    if _FOLDER_VERSION.fullmatch(version) is None:
        return None
    return f"{named}-{version.replace('.', '_')}"


_ARGOS_FOLDER = re.compile(r"translate-([a-z]{2,3})_([a-z]{2,3})(?:-.*)?", re.DOTALL)


def folder_pair(folder: str) -> tuple[str, str] | None:
    """The pair an Argos folder name names, for a folder whose metadata cannot be read (a
    broken package still refuses the pair its name claims); None for another name."""
    named = _ARGOS_FOLDER.fullmatch(folder.removeprefix(BACKUP_PREFIX))
    return None if named is None else (named[1], named[2])


def version_key(version: str) -> tuple[int, Any]:
    """Sort key of a package version: PEP 440 versions in order, after any other text."""
    from packaging.version import Version

    try:
        return (1, Version(version))
    except ValueError:  # InvalidVersion, or digits past Python's int limit
        return (0, version)
