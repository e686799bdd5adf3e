"""A document's fingerprint: everything besides its input bytes that can change its outputs.

One owner of what is hashed and how (:func:`document_fingerprint`): the configuration as it
concerns the document's file (:func:`config_for_file`) less the guards that never shape an
accepted document (:func:`hashed_settings`), library versions, the glossary, the model's
identity, the corrections file and the meta.json layout. :class:`Fingerprints` computes each
document's once per build; :func:`recorded_fingerprint` re-derives the one a past build
computed from what its meta.json records (``toolkit.pipeline.kept``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.config.corpus import CorpusSettings
from toolkit.config.prepare import (
    DOCUMENT_FLOOR,
    DOCUMENT_MIN_CONFIDENCE,
    DOCUMENT_MIN_WORDS,
    DOCUMENT_SHORT_CHARS,
)
from toolkit.config.translation import DECODING_FIELDS
from toolkit.languages import needs_no_model
from toolkit.pipeline.provenance import canonical_json, fingerprint_encoded, versions
from toolkit.schema import SCHEMA_VERSION
from toolkit.translation.identity import recorded_package_identity

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.schema import DocumentRecord
    from toolkit.translation.provider import TranslatorProvider


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
    """``config`` with the per-file encodings and plain-text names of ``corpus/settings.yaml``
    added (they win)."""
    decode = settings.applied_to(config.prepare.decode)
    if decode is config.prepare.decode:
        return config
    prepare = config.prepare.model_copy(update={"decode": decode})
    return config.model_copy(update={"prepare": prepare})


def hashed_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The settings a fingerprint hashes: ``config`` (a ``BuildConfig`` dumped as JSON, or the
    configuration a meta.json records) without ``prepare.decode.max_bytes``, and without an
    empty ``prepare.decode.plain_text`` (builds before that setting recorded none: adding it
    rebuilds only the files it names).

    ``max_bytes`` (``--max-bytes``) is a guard: it decides whether a file is read at all, never
    what an accepted document's outputs are, so a corpus always built with ``--max-bytes N``
    is current for ``toolkit status`` and ``export`` (which plan with the default). A limit
    lowered below a built original's size makes that original an error of the next build (the
    plan reads every original, within the limit, before it can tell it is unchanged; the
    English of its last build stays, as for every error), and ``toolkit status`` with the same
    ``--max-bytes`` says the build's line, never ``built``. The provenance still records it.

    Builds before this hashed it: their fingerprints match :func:`recorded_fingerprint` with
    ``hashing_max_bytes``, so each of their documents is rebuilt once (to the same English;
    status says ``built by an older toolkit, whose fingerprint counted --max-bytes``); on a
    machine without its model, where no build can rewrite the manifest line, the English is
    kept as current when nothing else changed (``toolkit.pipeline.kept``).
    """
    prepare = config.get("prepare")
    decode = prepare.get("decode") if isinstance(prepare, dict) else None
    if not isinstance(decode, dict) or "max_bytes" not in decode:
        return config
    decode = {
        name: value
        for name, value in decode.items()
        if name != "max_bytes" and (name not in _NEW_WHEN_EMPTY or value)
    }
    prepare = {**prepare, "decode": decode}
    language_id = prepare.get("language_id")
    if isinstance(language_id, dict):
        prepare["language_id"] = {
            k: v for k, v in language_id.items() if _NEW_DEFAULTS.get(k, _NONE) != v
        }
    return {**config, "prepare": prepare}


_NEW_WHEN_EMPTY = ("plain_text", "languages")
"""Settings added after builds that recorded none: hashed only when set, so adding them
rebuilt nothing."""
_NEW_DEFAULTS = {
    "document_min_confidence": DOCUMENT_MIN_CONFIDENCE,
    "document_short_chars": DOCUMENT_SHORT_CHARS,
    "document_floor": DOCUMENT_FLOOR,
    "document_min_words": DOCUMENT_MIN_WORDS,
}
"""``prepare.language_id`` settings added later: hashed only away from their defaults."""
_NONE = object()


def encoded_settings(config: BuildConfig) -> str:
    """:func:`hashed_settings` of ``config``, as the fingerprint encodes it."""
    return canonical_json(hashed_settings(config.model_dump(mode="json")))


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

    ``config_json``: :func:`encoded_settings` of ``config`` when the caller has it already (a
    build computes it once, not once per document: it was a sixth of a no-op rebuild of
    1,028 documents).
    """
    if config_json is None:
        config_json = encoded_settings(config)
    return _layout(config_json, versions(), glossary.sha256, model, corrections, SCHEMA_VERSION)


def _layout(
    config_json: str,
    library_versions: dict[str, str],
    glossary_sha256: str | None,
    model: dict[str, Any] | None,
    corrections: str,
    schema_version: int,
) -> str:
    """The fingerprint's one layout: what :func:`document_fingerprint` hashes now and
    :func:`recorded_fingerprint` re-derives from a meta.json."""
    rest = (library_versions, glossary_sha256, model, corrections, schema_version)
    return fingerprint_encoded(config_json, *(canonical_json(part) for part in rest))


def recorded_fingerprint(
    old: DocumentRecord, corrections: str, *, hashing_max_bytes: bool = False
) -> str | None:
    """The fingerprint of the build that wrote ``old``, re-derived from what ``old`` records
    (its configuration, library versions, glossary hash, model and layout version) and the
    document's corrections as they are now (``corrections``: their sha256, or "").

    Equal to the manifest's fingerprint exactly when only recorded parts changed since that
    build (settings, versions, glossary, model): the corrections did not, and the manifest
    line was not edited by hand. None when ``old`` does not record them (an older layout).
    ``hashing_max_bytes``: as builds before :func:`hashed_settings` computed it (see there).
    """
    if old.config is None or old.glossary is None:
        return None
    model = None
    if old.translation is not None:
        translation = old.config.get("translation")
        if not isinstance(translation, dict) or not set(DECODING_FIELDS) <= translation.keys():
            return None
        decoding = {name: translation[name] for name in DECODING_FIELDS}
        model = {**recorded_package_identity(old.translation), "decoding": decoding}
    return _layout(
        canonical_json(old.config if hashing_max_bytes else hashed_settings(old.config)),
        old.versions,
        old.glossary.get("sha256"),
        model,
        corrections,
        old.schema_version,
    )


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

    def missing(self, language: str, file_name: str) -> str:
        """The needs-model line of the document from ``original/file_name`` read as
        ``language``: why the ``language``→target model is missing (the provider's line: a
        refused package names its problem and fix), else what to install, or for a language
        Argos has no package of the settings line naming the file
        (:meth:`~toolkit.translation.packages.ModelMissingError.for_file`, as the build that
        translates writes it: a later build and status said ``{FILE: CODE}``)."""
        from toolkit.translation.provider import missing_model

        error = missing_model(self.provider, language, self.config.target_language)
        return error.for_file(file_name)

    def with_model(self, doc: str, file_name: str, model: dict[str, Any] | None) -> str:
        """The fingerprint of ``doc`` (from ``original/file_name``) translated by ``model``.

        The build's own configuration is encoded once; a file with its own settings.yaml
        entry gets a copy of its own, encoded for it.
        """
        config = config_for_file(self.config, file_name)
        if config is self.config and self._config_json is None:
            self._config_json = encoded_settings(config)
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
            translated = language is not None and not needs_no_model(language, target)
            model = self.model(language) if translated and language is not None else None
            self._known[key] = self.with_model(doc, file_name, model)
        return self._known[key]
