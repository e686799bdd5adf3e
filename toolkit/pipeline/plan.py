"""Which documents a build must (re)build, decided before any is prepared.

A document whose input bytes and *fingerprint* (settings, library versions, glossary,
model, corrections) match the manifest, and whose outputs are still the files the manifest
hashed, is current: it is skipped without being read past its hash. This module decides
that with hashing, JSON and the corpus's own files only, so a no-op rebuild never loads
the preparation, translation or QA code (ftfy, language id, CTranslate2, the glossary
matcher): :func:`toolkit.pipeline.build.build_corpus` imports those only when
:attr:`BuildPlan.pending` is not empty.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit._faults import checkpoint
from toolkit.config.corpus import CorpusSettings
from toolkit.corpus.actions import orphans_of
from toolkit.corpus.corrections import (
    MAX_CORRECTIONS_BYTES,
    CorrectionsError,
    ReviewState,
    corrections_path,
    documents_with_corrections,
    load_review_state,
)
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.paths import (
    CorpusPaths,
    UnsafeDocumentId,
    document_id,
    list_originals,
    read_regular_file,
    shown_name,
    skipped_originals,
)
from toolkit.corpus.snapshot import ValidRecords, entry_is_current, verify_entry
from toolkit.errors import InputError
from toolkit.pipeline.provenance import (
    canonical_json,
    fingerprint_encoded,
    sha256_bytes,
    versions,
)
from toolkit.pipeline.summary import BuildSummary
from toolkit.schema import SCHEMA_VERSION, ManifestEntry
from toolkit.translation.identity import recorded_identity
from toolkit.translation.packages import ModelMissingError

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.translation.provider import TranslatorProvider


def use_settings(provider: TranslatorProvider, config: BuildConfig) -> None:
    """Hand the build's decoding settings to ``provider`` (if it decodes with any).

    ``BuildConfig.translation`` is the one owner of the decoding settings; a provider
    created with different ones raises rather than decode with one set and record another.
    Called before the provider's ``identity``, so fingerprints see the settings that decode.
    """
    bind = getattr(provider, "use_settings", None)
    if bind is not None:
        bind(config.translation)


def config_for_file(config: BuildConfig, file_name: str) -> BuildConfig:
    """The configuration as it concerns one original: its own ``encodings`` entry only.

    This is what a document's provenance records and its fingerprint hashes, so adding or
    changing one file's entry in ``corpus/settings.yaml`` rebuilds exactly that document.
    """
    decode = config.prepare.decode.for_file(file_name)
    if decode is config.prepare.decode:
        return config
    prepare = config.prepare.model_copy(update={"decode": decode})
    return config.model_copy(update={"prepare": prepare})


def with_corpus_settings(config: BuildConfig, settings: CorpusSettings) -> BuildConfig:
    """``config`` with the per-file encodings of ``corpus/settings.yaml`` added (they win)."""
    if not settings.encodings:
        return config
    decode = config.prepare.decode.model_copy(
        update={"encodings": {**config.prepare.decode.encodings, **settings.encodings}}
    )
    prepare = config.prepare.model_copy(update={"decode": decode})
    return config.model_copy(update={"prepare": prepare})


def document_fingerprint(
    config: BuildConfig,
    glossary: Glossary,
    model: dict[str, Any] | None,
    corrections: str = "",
    *,
    config_json: str | None = None,
) -> str:
    """What besides its input bytes can change a document's outputs, hashed (the meta.json
    layout too: a corpus built with another ``SCHEMA_VERSION`` is rebuilt).

    ``config_json``: ``canonical_json(config.model_dump(mode="json"))`` when the caller has
    it already (a build computes it once, not once per document: it was a sixth of a no-op
    rebuild of 1,028 documents).
    """
    if config_json is None:
        config_json = canonical_json(config.model_dump(mode="json"))
    rest = (versions(), glossary.sha256, model, corrections, SCHEMA_VERSION)
    return fingerprint_encoded(config_json, *(canonical_json(part) for part in rest))


class Fingerprints:
    """Each document's fingerprint, computed once per (document, language).

    The plan needs it with the language the manifest remembers; writing needs it with the
    language the document was identified as: the same value unless that changed.
    """

    def __init__(
        self,
        config: BuildConfig,
        glossary: Glossary,
        provider: TranslatorProvider,
        corrections: dict[str, str] | None = None,
    ) -> None:
        self.config = config
        self.glossary = glossary
        self.provider = provider
        self.corrections = corrections or {}
        """Document id -> sha256 of its corrections file (:func:`corrections_digests`)."""
        self._known: dict[tuple[str, str | None], str] = {}
        self._models: dict[str, dict[str, Any] | None] = {}
        self._config_json: str | None = None

    def model(self, language: str) -> dict[str, Any] | None:
        """The identity of the ``language``→target model (None: not installed), asked once."""
        if language not in self._models:
            self._models[language] = self.provider.identity(language, self.config.target_language)
        return self._models[language]

    def with_model(self, doc: str, file_name: str, model: dict[str, Any] | None) -> str:
        """The fingerprint of ``doc`` (from ``original/file_name``) translated by ``model``.

        The build's own configuration is encoded once; a file with its own settings.yaml
        entry gets a copy of its own, encoded for it.
        """
        config = config_for_file(self.config, file_name)
        if config is self.config and self._config_json is None:
            self._config_json = canonical_json(config.model_dump(mode="json"))
        return document_fingerprint(
            config,
            self.glossary,
            model,
            self.corrections.get(doc, ""),
            config_json=self._config_json if config is self.config else None,
        )

    def of(self, doc: str, file_name: str, language: str | None) -> str:
        """The fingerprint of ``doc`` (from ``original/file_name``) in ``language``."""
        key = (doc, language)
        if key not in self._known:
            target = self.config.target_language
            # A document already in the target language is never translated: no model
            # shapes it (and looking for one would load the Argos settings for nothing).
            translated = language is not None and language != target
            model = self.model(language) if translated and language is not None else None
            self._known[key] = self.with_model(doc, file_name, model)
        return self._known[key]


@dataclass
class BuildPlan:
    """What :func:`plan_build` found: the documents to prepare and what building them needs."""

    manifest: dict[str, ManifestEntry]
    fingerprints: Fingerprints
    valid: ValidRecords
    """meta.json files already found valid (``.cache/valid-records.txt``)."""
    ids: dict[str, str] = field(default_factory=dict)
    """Original's name -> its document id (only names that give a safe one)."""
    owner_of: dict[str, str] = field(default_factory=dict)
    """Document id, case-folded -> the first original (by name) that has it."""
    present: set[str] = field(default_factory=set)
    """Document ids of the originals this build looked at."""
    pending: list[tuple[str, bytes]] = field(default_factory=list)
    """``(original/<name>, bytes)`` of each document to rebuild."""
    corrections: dict[str, ReviewState] = field(default_factory=dict)

    def document(self, rel: str) -> str:
        """The document id of ``original/<name>``."""
        return self.ids[rel.removeprefix("original/")]


def plan_build(
    paths: CorpusPaths,
    config: BuildConfig,
    provider: TranslatorProvider,
    glossary: Glossary,
    summary: BuildSummary,
    only: set[str] | None = None,
    force: bool = False,
) -> BuildPlan:
    """Read the manifest and every original; decide which documents must be rebuilt.

    Unreadable originals and clashing ids go to ``summary.errors``; current documents to
    ``summary.up_to_date`` (or ``needs_model``), with their orphan corrections reported.
    """
    manifest = read_manifest(paths.manifest, summary.warnings)
    summary.skipped = [shown_name(p.name) for p in skipped_originals(paths)]
    fingerprints = Fingerprints(config, glossary, provider)
    plan = BuildPlan(manifest=manifest, fingerprints=fingerprints, valid=ValidRecords(paths.root))
    plan.valid.load()
    originals = _safe_originals(paths, plan, summary)
    plan.present = {plan.ids[p.name] for p in originals}
    if only is not None:
        originals = [p for p in originals if p.name in only]
    plan.fingerprints.corrections = corrections_digests(paths, summary.warnings)
    for path in originals:
        checkpoint("prepare")
        if _clashes(path, plan, summary):
            continue
        data = _read_for_plan(path, paths, config, plan, summary)
        if data is None or (not force and _current(path, data, paths, plan, summary)):
            continue
        if not _kept_without_model(path, data, paths, plan, summary):
            plan.pending.append((f"original/{path.name}", data))
    return plan


def _safe_originals(paths: CorpusPaths, plan: BuildPlan, summary: BuildSummary) -> list[Path]:
    """The originals that give a safe document id of their own; the others are errors.

    Case-folded ids clash: ``Case`` and ``case`` name one output file on a case-insensitive
    file system (macOS, Windows), so the first original (by name) keeps the id.
    """
    kept: list[Path] = []
    for path in list_originals(paths):
        try:
            plan.ids[path.name] = doc = document_id(path)
        except UnsafeDocumentId as exc:  # never used as a path: reported, skipped
            summary.errors[f"original/{path.name}"] = str(exc)
            continue
        kept.append(path)
        plan.owner_of.setdefault(doc.casefold(), path.name)
    return kept


def _clashes(path: Path, plan: BuildPlan, summary: BuildSummary) -> bool:
    """Whether another original owns this one's document id (reported as an error)."""
    doc, rel = plan.ids[path.name], f"original/{path.name}"
    owner = plan.owner_of[doc.casefold()]
    if owner == path.name:
        return False
    # a.md and a.txt (or Case.txt, case.txt): one document id
    summary.errors[rel] = (
        f"{rel}: same document id {doc!r} as original/{owner}, whose outputs "
        "it would overwrite; rename one of them"
    )
    return True


def _read_for_plan(
    path: Path, paths: CorpusPaths, config: BuildConfig, plan: BuildPlan, summary: BuildSummary
) -> bytes | None:
    """The original's bytes and its corrections (into ``plan``); None after an error."""
    doc, rel = plan.ids[path.name], f"original/{path.name}"
    try:
        data = read_original(path, config.prepare.decode.max_bytes)
    except InputError as exc:
        summary.errors[doc] = str(exc.for_file(rel))
        return None
    except OSError as exc:
        summary.errors[doc] = f"{rel}: cannot be read ({exc.strerror}); check its permissions"
        return None
    try:
        has_file = doc in plan.fingerprints.corrections
        plan.corrections[doc] = load_review_state(paths.root, doc) if has_file else ReviewState()
    except CorrectionsError as exc:
        summary.errors[doc] = str(exc)
        return None
    return data


def _current(
    path: Path, data: bytes, paths: CorpusPaths, plan: BuildPlan, summary: BuildSummary
) -> bool:
    """Whether the document is current; if so it is counted and its orphans reported."""
    doc = plan.ids[path.name]
    entry = plan.manifest.get(doc)
    if entry is None or entry.input_sha256 != sha256_bytes(data):
        return False
    if entry.fingerprint != plan.fingerprints.of(doc, path.name, entry.language):
        return False
    # The same check the readers make (status, export, review): a build never calls current
    # what they would report as changed since build. Orphans are reported on every build,
    # so a document with corrections needs its record; the others need only know it is
    # valid (a meta.json already found valid, by its sha256, is not parsed again).
    old = None
    if plan.corrections[doc].rows:
        old = verify_entry(paths, doc, entry)[0]
        if old is None:
            return False
    elif not entry_is_current(paths, doc, entry, plan.valid):
        return False
    # A document still waiting for a model is not "up to date": it is counted once,
    # under "need a model".
    if entry.status == "needs-model":
        summary.needs_model[doc] = entry.message or "needs a model"
    else:
        summary.up_to_date.append(doc)
    if old is not None:
        summary.note_orphans(doc, orphans_of(old, plan.corrections[doc]))
    return True


def _kept_without_model(
    path: Path, data: bytes, paths: CorpusPaths, plan: BuildPlan, summary: BuildSummary
) -> bool:
    """Whether a built document keeps its outputs because its model is not installed here.

    Rebuilding it could only make it "needs model" and delete English that a model made
    (on another machine, or before the package was removed). It is kept only when the
    model is the *only* difference: the original is unchanged, its outputs verify, and the
    fingerprint computed with the model its meta.json records (translating from the
    language the manifest says) equals the manifest's. Then its outputs are exactly what a
    build with that model would write, and the summary lists it under "need a model",
    saying the English is kept. Anything else that changed (glossary, settings,
    corrections, a hand-edited manifest) rebuilds it, and it waits for the model.
    """
    doc = plan.ids[path.name]
    entry = plan.manifest.get(doc)
    if entry is None or entry.status == "needs-model" or entry.language is None:
        return False
    config = plan.fingerprints.config
    if entry.language == config.target_language or entry.input_sha256 != sha256_bytes(data):
        return False
    if plan.fingerprints.model(entry.language) is not None:
        return False
    old = verify_entry(paths, doc, entry)[0]
    if old is None or old.translation is None or old.translation.from_code != entry.language:
        return False
    recorded = recorded_identity(old.translation, config.translation)
    if plan.fingerprints.with_model(doc, path.name, recorded) != entry.fingerprint:
        return False
    missing = ModelMissingError.for_pair(entry.language, config.target_language)
    summary.needs_model[doc] = f"{missing}; the English of its last build is kept"
    return True


def corrections_digests(paths: CorpusPaths, warnings: list[str]) -> dict[str, str]:
    """sha256 of each document's corrections file (empty dict until corrections exist).

    A file whose name does not give a safe document id is ignored with a warning."""
    # Bytes, not text: a file that is not UTF-8 (or not a file) must not stop the whole
    # build here; loading it fails its own document with one line (load_review_state).
    return {
        doc: _file_digest(corrections_path(paths.root, doc))
        for doc in documents_with_corrections(paths.root, warnings)
    }


def read_original(path: Path, max_bytes: int) -> bytes:
    """The bytes of an original, refusing an oversized one *before* reading it.

    The size comes from ``fstat`` on the open file and the read is bounded at
    ``max_bytes + 1``, so a 2 GB (even sparse) file costs no memory, and a file that grows
    while it is read is still caught. Raises :class:`InputError` (no file name) or OSError.
    """
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size <= max_bytes:
            data = fh.read(max_bytes + 1)
            size = max(size, len(data))
    if size > max_bytes:
        raise InputError(
            f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB article limit; "
            "split it into articles or raise the limit with --max-bytes"
        )
    return data


def _file_digest(path: Path) -> str:
    """sha256 of a regular file's bytes; "" when it cannot be read or is no regular file
    (its loader reports why; a FIFO or a symlink to a device must not hang the plan)."""
    try:
        return sha256_bytes(read_regular_file(path, MAX_CORRECTIONS_BYTES))
    except OSError:
        return ""
