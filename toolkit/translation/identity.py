"""The one identity of a translation model: what the cache namespace and the fingerprint hash.

A model's identity is its package (name, version, the sha256 of its weights, and
:func:`package_digest`: one digest over every file that shapes its output, the tokenizer
included, and its ``target_prefix``) plus the decoding settings that can change its output
(``TranslationSettings.decoding``); threads and batch sizes are left out, so retuning
them keeps cached translations and built documents valid. :func:`model_identity` builds
it, :func:`cache_namespace` hashes it into the translation cache's namespace, the build
puts it into every document's fingerprint (``ArgosProvider.identity``), and
:func:`model_provenance` is the same model as recorded in a document's ``meta.json``
(``toolkit.schema.TranslationInfo``).

Records written before the identity covered the tokenizer and the other model files hold no
``files_sha256``: :func:`recorded_identity` gives their old identity, so a build without
the model still recognises their English as its model's (``toolkit.pipeline.kept``),
while a build with the model installed sees a different identity and translates them
again, once (:func:`stale_identity`: what ``toolkit status`` says of them).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: this module stays cheap to import
    from toolkit.config.translation import TranslationSettings
    from toolkit.schema import TranslationInfo
    from toolkit.translation.hashes import FileKey
    from toolkit.translation.packages import PackageInfo


def package_digest(package: PackageInfo) -> str:
    """sha256 over what of an installed package shapes its output: the sorted
    ``(relative path, sha256)`` of its :func:`~toolkit.translation.packages.shaping_files`
    (``model/*``, ``sentencepiece.model``) and its ``target_prefix``.

    Each file's digest comes from :func:`~toolkit.translation.hashes.file_sha256`, so a
    file is read once per version (and, with the corpus's hash memo, once across runs).
    """
    from toolkit.translation.hashes import file_sha256
    from toolkit.translation.packages import PackageError, folder_ref, shaping_files

    files = []
    for rel, path in shaping_files(package.path):
        try:
            files.append([rel, file_sha256(path)])
        except OSError as exc:  # unreadable, gone, or swapped for a FIFO since it was listed
            raise PackageError(
                f"{folder_ref(package.path)}: {rel} cannot be read ({exc.strerror or exc}); "
                "reinstall the package"
            ) from None
    return cache_namespace({"files": files, "target_prefix": package.target_prefix})


def file_versions(package: PackageInfo) -> list[tuple[str, FileKey]]:
    """``(relative path, version)`` of every file of ``package`` that shapes its output
    (:func:`~toolkit.translation.hashes.file_key`: inode, mtime, ctime, size). A file
    replaced since, even by one of the same bytes, has another version (a new inode or
    change time): what :func:`package_digest` cannot see, a package changed and changed
    back, this can."""
    from toolkit.translation.hashes import file_key
    from toolkit.translation.packages import shaping_files

    return [(rel, file_key(path)) for rel, path in shaping_files(package.path)]


def folder_versions(package: PackageInfo) -> list[tuple[int, int, int] | None]:
    """``(device, inode, change time)`` of the package's folder and of the packages folder
    holding it, each as named (``lstat``: a symlink itself) and resolved; None for one that
    cannot be read.

    Renaming a folder (or retargeting a symlink) changes none of :func:`file_versions`, yet
    a package folder moved away, another copy of its version moved in and both moved back
    while a model loads gives the load the other copy's files. A rename sets the renamed
    folder's change time and a retargeted link is a new inode, so these differ after such a
    swap. (The packages folder's change time also moves when a package is installed into
    it: taken around the load only, that refuses a load during another install.)"""
    keys: list[tuple[int, int, int] | None] = []
    for folder in (package.path, package.path.parent):
        for follow in (False, True):
            try:
                info = os.stat(folder, follow_symlinks=follow)
            except OSError:
                keys.append(None)
            else:
                keys.append((info.st_dev, info.st_ino, info.st_ctime_ns))
    return keys


def model_identity(package: PackageInfo, settings: TranslationSettings) -> dict[str, Any]:
    """``{package, package_version, model_sha256, files_sha256, decoding}``: equal for two
    translators exactly when they give the same output for every sentence."""
    return {
        "package": package.name,
        "package_version": package.package_version,
        "model_sha256": package.model_sha256,
        "files_sha256": package_digest(package),
        "decoding": settings.decoding(),
    }


def recorded_identity(info: TranslationInfo, settings: TranslationSettings) -> dict[str, Any]:
    """The identity of the model a document's ``meta.json`` says it was translated with
    (``info``), decoded with ``settings``: equal to :func:`model_identity` of that package.

    A record without ``files_sha256`` (written before the identity covered the tokenizer)
    gives the identity of that time, without the key: the one its fingerprint hashed.
    """
    return {**recorded_package_identity(info), "decoding": settings.decoding()}


def recorded_package_identity(info: TranslationInfo) -> dict[str, Any]:
    """:func:`recorded_identity` without its ``decoding`` part (which the caller supplies:
    the build's settings now, or the ones a record was built with)."""
    identity = {
        "package": info.package,
        "package_version": info.package_version,
        "model_sha256": info.model_sha256,
    }
    if info.files_sha256 is not None:
        identity["files_sha256"] = info.files_sha256
    return identity


def stale_identity(recorded: dict[str, Any], current: dict[str, Any]) -> str | None:
    """Why the model identity ``recorded`` in a document's ``meta.json`` is not the installed
    model's ``current`` one, decoding settings aside (a changed setting is named as such);
    None when they are the same model."""
    if "files_sha256" not in recorded:
        return "model identity recorded by an older toolkit (weights only)"
    model = [{k: v for k, v in i.items() if k != "decoding"} for i in (recorded, current)]
    return None if model[0] == model[1] else "model changed"


def cache_namespace(identity: dict[str, Any]) -> str:
    """The translation cache's namespace for a model: sha256 of its identity as JSON."""
    blob = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def model_provenance(
    package: PackageInfo, settings: TranslationSettings, identity: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The model as a document's provenance records it, shaped like
    ``toolkit.schema.TranslationInfo``: the identity's package fields, the language pair
    and every setting (also those that only change speed).

    ``identity``: the one the caller pinned for the model it loaded (the build's provider
    does, :class:`~toolkit.translation.provider.ArgosProvider`); computed now when None.
    """
    identity = identity or model_identity(package, settings)
    return {
        "package": identity["package"],
        "package_version": identity["package_version"],
        "from_code": package.from_code,
        "to_code": package.to_code,
        "model_sha256": identity["model_sha256"],
        "files_sha256": identity.get("files_sha256"),  # absent: an older identity
        "settings": settings.model_dump(),
    }
