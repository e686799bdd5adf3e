"""Which installed package serves each language pair: the one rule for ``models list``,
``translate``, ``build`` and ``status``.

Every non-hidden folder in the packages directory is read as a package (as Argos reads
them all). A pair is served by its highest version of the packages a command can ask for;
nothing is ever picked by folder name:

* two usable packages of the pair share that highest version (a hand backup
  ``translate-de_en-1_0~`` beside ``translate-de_en-1_0``): the pair is refused in one
  line naming both, whatever other pairs do;
* a broken folder fails only the pairs it names (its metadata's, its Argos folder name's)
  where it would serve (its version is the highest, or unreadable); every other pair
  translates, and ``models list`` lists it as broken.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.corpus.paths import shown_name
from toolkit.translation.folders import (
    BACKUP_PREFIX,
    folder_pair,
    shown_version,
    version_key,
    version_text,
)
from toolkit.translation.packages import (
    MAX_FIELD_CHARS,
    ModelMissingError,
    PackageError,
    PackageInfo,
    folder_ref,
    packages_dir,
    read_installed,
    read_metadata,
)

Pair = tuple[str, str]


class BrokenPackage(BaseModel):
    """A folder in the packages directory that is no usable package: why (one line), the
    pairs it would translate (from its metadata and its Argos folder name; none when neither
    names one) and its version (None when unreadable: then it counts as the highest)."""

    model_config = ConfigDict(frozen=True)

    path: Path
    error: str
    recorded: str = ""
    """:attr:`error` as a build records it (:attr:`PackageError.recorded`: folders by name)."""
    pairs: tuple[Pair, ...] = ()
    package_version: str | None = None
    ignored: bool = False
    """No package at all (``notes/``: no metadata.json, no ``translate-`` name): listed as
    what it is, never as a package to reinstall."""


def _not_a_package(path: Path) -> BrokenPackage | None:
    """``path`` as an ignored folder if nothing claims it is a package: it has no
    metadata.json and its name is not an Argos package's (``translate-...``)."""
    if os.path.lexists(path / "metadata.json"):
        return None
    if path.name.removeprefix(BACKUP_PREFIX).startswith("translate-"):
        return None
    return BrokenPackage(path=path, error="not a package: no metadata.json; ignored", ignored=True)


def _broken(path: Path, error: PackageError) -> BrokenPackage:
    """Describe the unusable package folder ``path`` as far as it can be read."""
    ignored = _not_a_package(path)
    if ignored is not None:
        return ignored
    pairs: list[Pair] = []
    version = None
    try:
        metadata = read_metadata(path)
    except PackageError:
        metadata = None
    if isinstance(metadata, dict):
        codes = metadata.get("from_code"), metadata.get("to_code")
        if all(isinstance(c, str) and 0 < len(c) <= MAX_FIELD_CHARS for c in codes):
            pairs.append((shown_name(str(codes[0])), shown_name(str(codes[1]))))
            if len(text := version_text(metadata.get("package_version"))) <= MAX_FIELD_CHARS:
                version = shown_name(text)
    named = folder_pair(path.name)
    if named and named not in pairs:
        pairs.append(named)
    return BrokenPackage(path=path, error=str(error), recorded=error.recorded, pairs=tuple(pairs),
                         package_version=version)  # fmt: skip


def scan_installed(
    directory: str | os.PathLike[str] | None = None,
) -> tuple[list[PackageInfo], list[BrokenPackage]]:
    """The usable packages in ``packages_dir(directory)`` (sorted by pair and version) and
    the broken folders there (sorted by name). A missing directory holds neither."""
    root = packages_dir(directory)
    if not root.is_dir():
        return [], []
    found: list[PackageInfo] = []
    broken: list[BrokenPackage] = []
    for child in _package_dirs(root):
        try:
            found.append(read_installed(child))
        except PackageError as exc:
            broken.append(_broken(child, exc))
    found.sort(key=lambda p: (p.from_code, p.to_code, version_key(p.package_version)))
    return found, broken


def list_installed(directory: str | os.PathLike[str] | None = None) -> list[PackageInfo]:
    """Every package installed in ``packages_dir(directory)``, sorted by pair and version;
    the first broken folder raises its PackageError (:func:`scan_installed` lists both)."""
    found, broken = scan_installed(directory)
    broken = [folder for folder in broken if not folder.ignored]
    if broken:
        raise PackageError(broken[0].error, broken[0].recorded or None)
    return found


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
        elif child.name.startswith(BACKUP_PREFIX):
            original = root / child.name[len(BACKUP_PREFIX) :]
            if not (original.exists() or original.is_symlink()):
                found.append(child)
    return found


Served = dict[Pair, PackageInfo | PackageError]
"""Each pair a command can ask for: its package, or why the pair is refused."""


def _rank(candidate: PackageInfo | BrokenPackage) -> tuple[int, Any]:
    if candidate.package_version is None:  # a broken folder of unknown version
        return (2, "")
    return version_key(candidate.package_version)


def serving(installed: list[PackageInfo], broken: list[BrokenPackage] | None = None) -> Served:
    """The package that translates each pair (or why none may), of ``installed`` and
    ``broken`` (:func:`scan_installed`): the one highest version of those a command can
    ask for (:func:`_never_asked`). :func:`find_package` (so translate, build, status), the
    pairs ``--from`` errors list and ``toolkit models list`` all use it."""
    candidates: dict[Pair, list[PackageInfo | BrokenPackage]] = {}
    for package in installed:
        if _never_asked(package.from_code, package.to_code, package.type) is None:
            candidates.setdefault((package.from_code, package.to_code), []).append(package)
    for folder in broken or ():
        for pair in folder.pairs:
            if _never_asked(*pair) is None:
                candidates.setdefault(pair, []).append(folder)
    served: Served = {}
    for pair, found in candidates.items():
        best = max(map(_rank, found))
        top = [c for c in found if _rank(c) == best]
        faulty = [c for c in top if isinstance(c, BrokenPackage)]
        if faulty:
            served[pair] = PackageError(faulty[0].error, faulty[0].recorded or None)
        elif len(top) > 1:
            served[pair] = _tie(pair, top)
        else:
            served[pair] = top[0]  # type: ignore[assignment]  # not broken: a PackageInfo
    return served


class TiedPackagesError(PackageError):
    """Two usable packages share a pair's highest version: the pair is refused. Installing
    the pair again cannot make it usable (a third copy ties all the same)."""


def _tie(pair: Pair, top: list[Any]) -> PackageError:
    """The one-line refusal of a pair whose highest version two packages share."""
    folders = " and ".join(folder_ref(p.path, quoted=True) for p in top)
    return TiedPackagesError(
        f"{pair[0]}→{pair[1]} {shown_version(top[0].package_version)} is installed {len(top)} "
        f"times, in {folders}; toolkit does not pick one by folder name: move the one not "
        f"meant to be used out of the packages directory"
    )


def usable_pairs(directory: str | os.PathLike[str] | None = None) -> list[Pair]:
    """The pairs a command translates now (served, not refused); none when unreadable."""
    try:
        served = serving(*scan_installed(directory))
    except (PackageError, OSError):
        return []
    return [pair for pair, p in served.items() if isinstance(p, PackageInfo)]


def _never_asked(from_code: str, to_code: str, kind: str = "translate") -> str | None:
    """Why no command ever asks for the pair ``from_code``→``to_code`` of a ``kind``
    package, whatever else is installed (None: some may). A code counts as the languages
    module's rule has it (:func:`toolkit.languages.normalize_language`, what ``--from``
    accepts)."""
    from toolkit.languages import UnknownLanguage, normalize_language

    if kind != "translate":
        return f"a {kind!r} package, not a translation model"
    if from_code == to_code:
        return f"it translates {from_code} into itself"
    for code in (from_code, to_code):
        try:
            asked = normalize_language(code)
        except UnknownLanguage:
            return f"builds never ask for {code} (they use the codes language id gives: de, nl)"
        if asked != code:
            return f"builds ask for {asked}, never {code}"
    return None


def unused_reason(package: PackageInfo, served: Served) -> str | None:
    """Why no toolkit command translates with ``package`` (None: it serves its pair);
    ``served`` is :func:`serving` of every installed package."""
    never = _never_asked(package.from_code, package.to_code, package.type)
    if never is not None:
        return never
    pair = (package.from_code, package.to_code)
    other = served[pair]
    if isinstance(other, PackageError):
        return f"{pair[0]}→{pair[1]} is refused: {other}"
    if other.path != package.path:
        name = f"{other.label} in {other.path.name}"
        return f"{name} serves {pair[0]}→{pair[1]}"
    return None


def find_package(
    from_code: str, to_code: str, directory: str | os.PathLike[str] | None = None
) -> PackageInfo:
    """The installed package for ``from_code -> to_code`` (:func:`serving`): the pair's
    own, else one of Argos's codes for it (:func:`toolkit.languages.package_pairs`: a
    document read as ``no`` is translated by ``nb→en``; its provenance names that package).

    Raises ModelMissingError (:meth:`~ModelMissingError.for_pair`'s line: the command that
    installs one, if Argos has one), and the pair's PackageError when it is refused (a
    broken package, two of its highest version).
    """
    from toolkit.languages import package_pairs

    served = serving(*scan_installed(directory))
    found = next((served[p] for p in package_pairs(from_code, to_code) if p in served), None)
    if isinstance(found, PackageError):
        raise found
    if found is None:
        raise ModelMissingError.for_pair(from_code, to_code)
    return found


def installed_or_refused(
    from_code: str, to_code: str, directory: str | os.PathLike[str] | None = None
) -> PackageInfo | TiedPackagesError | None:
    """What installing ``from_code``→``to_code`` would do, the one rule for ``models install
    --if-missing`` and ``python -m toolkit.demo``: its package when one serves it (nothing
    to install); a :class:`TiedPackagesError` when it is installed but refused (installed
    again, it would stay refused: another copy of that version ties all the same); None
    when it is missing -- not installed, or refused for a broken folder, which installing
    it repairs (the package replaces a broken folder of its name)."""
    try:
        return find_package(from_code, to_code, directory)
    except TiedPackagesError as exc:
        return exc
    except PackageError:
        return None
