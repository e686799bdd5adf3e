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

from toolkit.pipeline.fingerprint import config_for_file
from toolkit.pipeline.provenance import canonical_json, versions
from toolkit.translation.identity import recorded_identity, stale_identity

if TYPE_CHECKING:
    from toolkit.pipeline.fingerprint import Fingerprints
    from toolkit.schema import DocumentRecord

UNEXPLAINED = "its corrections file was removed, or the manifest was edited"
"""When no part recorded in meta.json differs and the document has no corrections file (the
corrections file's hash is the one part meta.json does not record)."""


def stale_reason(fingerprints: Fingerprints, file_name: str, old: DocumentRecord) -> str:
    """Which parts of the fingerprint of ``old`` (the record built from
    ``original/file_name``) differ now: ``settings changed``, ``glossary changed``,
    ``versions changed (ftfy 6.1 -> 6.2)``, ``model changed``, ... joined by ``; ``; else
    ``corrections changed`` if it has a corrections file (whose hash meta.json does not
    record: a file added or edited since the build), else :data:`UNEXPLAINED`."""
    config = config_for_file(fingerprints.config, file_name).model_dump(mode="json")
    reasons = []
    if canonical_json(config) != canonical_json(old.config):
        reasons.append("settings changed")
    if (old.glossary or {}).get("sha256") != fingerprints.glossary.sha256:
        reasons.append("glossary changed")
    was = old.versions
    moved = [f"{k} {was.get(k)} -> {v}" for k, v in versions().items() if was.get(k) != v]
    if moved:
        reasons.append(f"versions changed ({', '.join(moved)})")
    model = _model_reason(fingerprints, old)
    if model:
        reasons.append(model)
    if not reasons and old.document in fingerprints.corrections:
        reasons.append("corrections changed")
    return "; ".join(reasons) or UNEXPLAINED


def _model_reason(fingerprints: Fingerprints, old: DocumentRecord) -> str | None:
    """How the model that would translate ``old`` differs from the one it records."""
    language = old.language.language
    if language == fingerprints.config.target_language:
        return None
    current: dict[str, Any] | None = fingerprints.model(language)
    if old.translation is None:
        return None if current is None else "a model is installed for it now"
    if current is None:
        return "its model is not installed here"
    recorded = recorded_identity(old.translation, fingerprints.config.translation)
    return stale_identity(recorded, current)
