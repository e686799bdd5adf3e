"""The one identity of a translation model: what the cache namespace and the fingerprint hash.

A model's identity is its package (name, version, the sha256 of its weights) plus the
decoding settings that can change its output (``TranslationSettings.decoding``); threads
and batch sizes are left out, so retuning them keeps cached translations and built
documents valid. :func:`model_identity` builds it, :func:`cache_namespace` hashes it into
the translation cache's namespace, the build puts it into every document's fingerprint
(``ArgosProvider.identity``), and :func:`model_provenance` is the same model as recorded in
a document's ``meta.json`` (``toolkit.schema.TranslationInfo``).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: this module stays cheap to import
    from toolkit.config.translation import TranslationSettings
    from toolkit.schema import TranslationInfo
    from toolkit.translation.packages import PackageInfo


def model_identity(package: PackageInfo, settings: TranslationSettings) -> dict[str, Any]:
    """``{package, package_version, model_sha256, decoding}``: equal for two translators
    exactly when they give the same output for every sentence."""
    return {
        "package": package.name,
        "package_version": package.package_version,
        "model_sha256": package.model_sha256,
        "decoding": settings.decoding(),
    }


def recorded_identity(info: TranslationInfo, settings: TranslationSettings) -> dict[str, Any]:
    """The identity of the model a document's ``meta.json`` says it was translated with
    (``info``), decoded with ``settings``: equal to :func:`model_identity` of that package."""
    return {
        "package": info.package,
        "package_version": info.package_version,
        "model_sha256": info.model_sha256,
        "decoding": settings.decoding(),
    }


def cache_namespace(identity: dict[str, Any]) -> str:
    """The translation cache's namespace for a model: sha256 of its identity as JSON."""
    blob = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def model_provenance(package: PackageInfo, settings: TranslationSettings) -> dict[str, Any]:
    """The model as a document's provenance records it, shaped like
    ``toolkit.schema.TranslationInfo``: the identity's package fields, the language pair
    and every setting (also those that only change speed)."""
    identity = model_identity(package, settings)
    return {
        "package": identity["package"],
        "package_version": identity["package_version"],
        "from_code": package.from_code,
        "to_code": package.to_code,
        "model_sha256": identity["model_sha256"],
        "settings": settings.model_dump(),
    }
