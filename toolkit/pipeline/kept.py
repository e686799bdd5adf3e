"""A built document whose model is not installed here: keep its English, say how current it is.

Rebuilding such a document could only turn it into "needs model" and delete English that a
model made (on another machine, or before the package was removed). So a build without the
model leaves it as it was, and the summary lists it under "need a model":

* *current*: the model is the only difference (the fingerprint computed with the model its
  meta.json records equals the manifest's); its outputs are exactly what a build with that
  model would write;
* *stale*: besides the model, what meta.json records changed (settings, library versions after
  a toolkit upgrade, the glossary: :func:`~toolkit.pipeline.fingerprint.recorded_fingerprint`
  proves it), or the document's corrections did (``toolkit correct`` without the model
  records them and leaves the English as it is too). Its English is kept, named stale with
  the reason (``toolkit status`` says ``stale`` too), and a build with the model rebuilds it.
  Before, such a build deleted the English of every translated document on a machine
  without the models.

An English output edited by hand or deleted, its meta.json still the build's, is written again
from that record (``plan.restore``; an edit held as any: :mod:`toolkit.corpus.edits`):
rebuilding it without the model removed all the document's English, ``--discard-edits`` too.

A changed original is rebuilt and waits for the model (its English removed: it describes the
old text), said before the build; unless its English holds hand edits: held
(:mod:`toolkit.corpus.edits`) until they are recorded as corrections, then kept as it is
until a build with the model rebuilds it with them.

A meta.json edited or deleted leaves nothing to restore from: the English is kept as it is
(rebuilt by a build with the model). Everything else is rebuilt and waits for the model, with
a warning: a manifest edited by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.snapshot import verify_entry
from toolkit.corpus.staged import RecordsBeside
from toolkit.languages import needs_no_model, package_pairs
from toolkit.pipeline.fingerprint import recorded_fingerprint
from toolkit.pipeline.provenance import sha256_bytes
from toolkit.pipeline.stale import stale_reason
from toolkit.pipeline.summary import BuildSummary
from toolkit.translation.identity import recorded_identity

if TYPE_CHECKING:
    from toolkit.pipeline.plan import BuildPlan
    from toolkit.schema import DocumentRecord, ManifestEntry


def kept_without_model(
    path: Path, data: bytes, paths: CorpusPaths, plan: BuildPlan, summary: BuildSummary
) -> bool:
    """Whether the built document from ``original/<path.name>`` keeps its outputs because
    its model is not installed here (see the module docstring); a stale one is added to
    ``plan.kept_stale`` with the reason."""
    doc = plan.ids[path.name]
    entry = plan.manifest.get(doc)
    if entry is None or entry.status == "needs-model" or entry.language is None:
        return False
    config = plan.fingerprints.config
    if needs_no_model(entry.language, config.target_language):
        return False
    if plan.fingerprints.model(entry.language) is not None:
        return False
    if entry.input_sha256 != sha256_bytes(data):
        if doc in plan.edited:  # held: its English stays (plan.edited's line says so)
            return False
        if plan.looked[doc].recorded:  # as the plan looked (_note_edits, just before)
            return _kept_with_recorded_edits(plan, summary, doc, path.name, entry.language)
        plan.loses_english[doc] = (
            f"original/{path.name} changed since its last build and its model is missing "
            "here: a build removes that build's English (it describes the old text); "
            f"{plan.fingerprints.missing(entry.language, path.name)}"
        )
        summary.warnings.append(plan.loses_english[doc])
        return False
    old, restore = _last_build(paths, doc, entry, plan.beside)
    if old is None:  # its record edited or gone: nothing here can rebuild or restore it
        return _kept_as_it_is(plan, summary, doc, path.name, entry.language)
    sources = {source for source, _ in package_pairs(entry.language, config.target_language)}
    if old.translation is None or old.translation.from_code not in sources:  # no: nb's
        return False
    missing = plan.fingerprints.missing(entry.language, path.name)
    recorded = recorded_identity(old.translation, config.translation)
    now = plan.fingerprints.with_model(doc, path.name, recorded)
    corrections = plan.fingerprints.corrections.get(doc, "")
    fresh = recorded_fingerprint(old, corrections)
    older = recorded_fingerprint(old, corrections, hashing_max_bytes=True)
    # An older toolkit's fingerprint of the same parts (fingerprint.hashed_settings) is current.
    if restore:  # rewritten from its record (a hand edit held unless discarded on purpose)
        plan.restore[doc] = old
    if entry.fingerprint == now or (entry.fingerprint == older and now == fresh):
        summary.needs_model[doc] = f"{missing}; the English of its last build is kept"
        return True
    recorded_parts_only = entry.fingerprint in (fresh, older)
    if not recorded_parts_only and not corrections and not any(
        s.origin == "human" for s in old.segments
    ):
        plan.restore.pop(doc, None)
        return False  # nothing but a hand-edited manifest line can explain it: rebuild
    why = stale_reason(plan.fingerprints, path.name, old, entry.fingerprint)
    if not recorded_parts_only:  # corrections added, edited or removed: applied with the model
        why = f"corrections changed; {why}"
    plan.kept_stale[doc] = why
    summary.needs_model[doc] = (
        f"{missing}; the English of its last build is kept, stale ({why}): "
        "a build with the model rebuilds it"
    )
    return True


def _kept_as_it_is(
    plan: BuildPlan, summary: BuildSummary, doc: str, name: str, language: str
) -> bool:
    """Keep ``doc``'s English as it is: its meta.json is not its build's record any more, so
    nothing here can rebuild it (no model) or write it again (no record); True."""
    summary.needs_model[doc] = (
        f"{plan.fingerprints.missing(language, name)}; its English is kept as it is "
        f"(english/{doc}.meta.json is not its build's record any more): a build with "
        "the model rebuilds it"
    )
    return True


def _kept_with_recorded_edits(
    plan: BuildPlan, summary: BuildSummary, doc: str, name: str, language: str
) -> bool:
    """Keep ``doc``'s English as it is: its original changed, but its English holds hand
    edits already recorded as corrections, so a build without the model (which would write
    no English) leaves it; one with the model rebuilds it with them. True. Status shows the
    same line (``plan.loses_english``'s place: what a build does with the English)."""
    summary.needs_model[doc] = plan.loses_english[doc] = (
        f"original/{name} changed since its last build, and its English holds hand edits "
        "recorded as corrections: its English is kept as it is (without the model a build "
        "would write none); a build with the model rebuilds it, the corrections applied "
        "(it holds it, saying why, if a corrected sentence left the original); "
        f"{plan.fingerprints.missing(language, name)}"
    )
    return True


def _last_build(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, beside: RecordsBeside | None
) -> tuple[DocumentRecord | None, bool]:
    """``doc``'s record as its last build wrote it (None: its meta.json is not that any more),
    and whether its English outputs must be written again from it (edited or deleted, or
    renamed by a build killed before its manifest). The meta.json is the build's record as
    the edit checks read it (:meth:`~toolkit.corpus.staged.RecordsBeside.record`: the
    manifest's, or one a killed build staged, said so by the staged note)."""
    old = verify_entry(paths, doc, entry)[0]
    if old is not None:
        return old, False
    old = (beside or RecordsBeside(paths)).record(doc, entry)
    return (None, False) if old is None else (old.model_copy(deep=True), True)  # shared: copied
