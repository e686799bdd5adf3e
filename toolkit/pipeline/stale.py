"""Why a document the plan would rebuild is stale: what ``toolkit status`` names.

:func:`toolkit.pipeline.plan.plan_build` alone decides whether a document is current (its
fingerprint hashes settings, library versions, glossary, model and corrections into one
value). When the original and the outputs are unchanged but the fingerprint is not, this
module compares what the document's ``meta.json`` recorded with what a build would use now,
part by part, to say which changed. It never decides anything: a document it is asked
about is stale because the plan says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.languages import needs_no_model
from toolkit.pipeline.fingerprint import config_for_file, hashed_settings, recorded_fingerprint
from toolkit.pipeline.provenance import versions
from toolkit.translation.identity import recorded_identity, stale_identity

if TYPE_CHECKING:
    from toolkit.pipeline.fingerprint import Fingerprints
    from toolkit.schema import DocumentRecord

UNEXPLAINED = "its corrections file was removed, or the manifest was edited"
"""When no part recorded in meta.json differs and the document has no corrections file (the
corrections file's hash is the one part meta.json does not record)."""

OLDER_TOOLKIT = (
    "built by an older toolkit, whose fingerprint counted --max-bytes (that alone changes "
    "no output; rebuilt once)"
)
"""When the manifest's fingerprint is the one builds before
:func:`~toolkit.pipeline.fingerprint.hashed_settings` computed from what meta.json records."""


def stale_reason(
    fingerprints: Fingerprints, file_name: str, old: DocumentRecord, fingerprint: str = ""
) -> str:
    """Which parts of the fingerprint of ``old`` (the record built from
    ``original/file_name``) differ now: ``settings changed (prepare.decode.encoding)``,
    ``glossary changed``, ``versions changed (ftfy 6.1 -> 6.2)``, ``model changed``, ...
    joined by ``; ``, and :data:`OLDER_TOOLKIT` if ``fingerprint`` (the manifest's) is what
    an older toolkit computed from the recorded parts; else ``corrections changed`` if there
    is nothing else and it has a corrections file (whose hash meta.json does not record: a
    file added or edited since the build), else :data:`UNEXPLAINED`."""
    reasons = []
    settings = _settings_reason(fingerprints, file_name, old)
    if settings:
        reasons.append(settings)
    if (old.glossary or {}).get("sha256") != fingerprints.glossary.sha256:
        reasons.append("glossary changed")
    was = old.versions
    moved = [f"{k} {was.get(k)} -> {v}" for k, v in versions().items() if was.get(k) != v]
    if moved:
        reasons.append(f"versions changed ({', '.join(moved)})")
    model = _model_reason(fingerprints, old)
    if model:
        reasons.append(model)
    corrections = fingerprints.corrections.get(old.document, "")
    older = recorded_fingerprint(old, corrections, hashing_max_bytes=True) if fingerprint else None
    if older == fingerprint:
        reasons.append(OLDER_TOOLKIT)  # so the corrections are unchanged
    elif not reasons and old.document in fingerprints.corrections:
        reasons.append("corrections changed")
    return "; ".join(reasons) or UNEXPLAINED


def _settings_reason(fingerprints: Fingerprints, file_name: str, old: DocumentRecord) -> str:
    """``settings changed (NAME, ...)`` naming the hashed settings that differ from those
    ``old`` records (up to three, then how many more); "" when none does."""
    now = hashed_settings(config_for_file(fingerprints.config, file_name).model_dump(mode="json"))
    if old.config is None:
        return "settings changed"
    names = changed_settings(now, hashed_settings(old.config))
    if not names:
        return ""
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"settings changed ({', '.join(names[:3])}{more})"


def changed_settings(now: dict[str, Any], was: dict[str, Any], prefix: str = "") -> list[str]:
    """The dotted names of the settings that differ between two dumped configurations, down
    to a section's fields (``prepare.decode.encoding``): a field holding a mapping
    (``prepare.decode.encodings``) is named whole, not by its keys (file names).

    >>> changed_settings({"qa": {"a": 1, "b": 2}, "t": "en"}, {"qa": {"a": 1, "b": 3}})
    ['qa.b', 't']
    """
    names = []
    for key in sorted(now.keys() | was.keys()):
        value, before = now.get(key), was.get(key)
        if value == before:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(before, dict) and name.count(".") < 2:
            names += changed_settings(value, before, f"{name}.")
        else:
            names.append(name)
    return names


def _model_reason(fingerprints: Fingerprints, old: DocumentRecord) -> str | None:
    """How the model that would translate ``old`` differs from the one it records."""
    language = old.language.language
    if needs_no_model(language, fingerprints.config.target_language):
        return None
    current: dict[str, Any] | None = fingerprints.model(language)
    if old.translation is None:
        return None if current is None else "a model is installed for it now"
    if current is None:
        return "its model is not installed here"
    recorded = recorded_identity(old.translation, fingerprints.config.translation)
    return stale_identity(recorded, current)
