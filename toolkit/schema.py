"""The data that flows between pipeline stages, as pydantic models, in one place.

A build turns each file in ``original/`` into a :class:`DocumentRecord`: what
was read (:class:`InputInfo`), how it was cleaned (:class:`CleaningReport`),
its language, and its aligned :class:`Segment` list. The record is written
verbatim as ``<stem>.meta.json``; the aligned TSV and the English text are
views of it. Nothing in a record depends on the wall clock, so rebuilding the
same inputs with the same settings gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from toolkit.config.glossary import SpanKind
from toolkit.languages import NO_LANGUAGE

SCHEMA_VERSION = 2
"""Version of the ``meta.json`` layout. 2: the settings are recorded once, under ``config``
(version 1 also copied the clean, language-id, glossary and QA settings into ``cleaning``,
``language_id``, ``glossary`` and ``qa``); a version-1 file is still read
(``DocumentRecord._from_v1``)."""

_V1_COPIES = ("language_id", "qa")
"""Top-level fields of a version-1 meta.json that only repeated ``config``."""

Origin = Literal["source", "machine", "human", "accepted", "none"]
"""Where a segment's English came from: the source itself (English documents),
the model, a human correction, the model with a reviewer's acceptance, or nowhere yet.
Whether *this* build took a machine translation from the cache or ran the model is
recorded in :class:`RunInfo`."""


class Model(BaseModel):
    """Base for every record: unknown fields are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")


class LanguageGuess(Model):
    language: str = Field(description="ISO 639-1 code, or 'und' when there is no text")
    confidence: float = Field(ge=0.0, le=1.0)


class InputInfo(Model):
    path: str = Field(description="Path of the original, relative to the corpus directory")
    sha256: str
    size: int
    encoding: str = Field(description="Codec used to decode the bytes, e.g. 'utf-8-sig'")
    encoding_candidates: list[str] = Field(
        default_factory=list,
        description="When the guess was not clear: every plausible codec, best first, each "
        "giving a different text (pass --encoding or set corpus/settings.yaml to choose)",
    )


class BoilerplateHit(Model):
    rule: str = Field(description="Name of the rule in toolkit.prepare.boilerplate.RULES")
    text: str = Field(description="The removed paragraph, exactly as it was after cleaning")
    paragraph: int = Field(description="1-based paragraph index in the cleaned text")


class CleaningReport(Model):
    ftfy_config: dict[str, Any] = Field(description="ftfy.TextFixerConfig, field by field")
    changes: list[str] = Field(
        default_factory=list, description="Named fixes that changed the text, in order"
    )
    boilerplate: list[BoilerplateHit] = Field(default_factory=list)
    metadata: dict[str, str] = Field(
        default_factory=dict, description="Fields parsed from a leading metadata line"
    )


HitStrategy = Literal["placeholder", "splice", "rewrite", "none"]
HitOutcome = Literal["kept", "restored", "rewritten", "lost"]


class GlossaryHit(Model):
    """One glossary match in a segment. Frozen: the glossary shares one instance among all
    equal hits, so 150,000 hits of one name cost 150,000 references, not objects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(description="Canonical form from glossary.yaml")
    matched: str = Field(description="The source text that matched (term or alias)")
    strategy: HitStrategy = "none"
    outcome: HitOutcome = "kept"


class SpanHit(Model):
    """A protected span (URL, address, handle, hashtag, credit) and how it came through."""

    kind: SpanKind
    text: str = Field(description="The span, byte for byte as in the source")
    strategy: Literal["placeholder", "splice"] = "placeholder"
    outcome: Literal["restored", "lost"] = "restored"


class QaFlag(Model):
    check: str
    severity: Literal["error", "warning", "info"]
    message: str
    dismissed: dict[str, str] | None = Field(
        default=None,
        exclude_if=lambda v: v is None,  # records without dismissals keep their bytes
        description="Reason, author and time when a reviewer dismissed the flag as a false alarm",
    )


def flag_names(flags: Iterable[QaFlag]) -> list[str]:
    """The checks of ``flags``, each once, in the order raised: a segment's ``flags`` list
    (:meth:`Segment.add_flag`) and the workbench's row. ``toolkit qa --format json`` keeps
    one name per message instead (its ``flags`` and ``messages`` are read side by side)."""
    return list(dict.fromkeys(f.check for f in flags))


class Segment(Model):
    """One aligned sentence pair."""

    id: str = Field(description="'p<paragraph>.s<sentence>', 1-based, stable for a given text")
    paragraph: int
    sentence: int
    source: str
    english: str | None = None
    source_sha256: str = Field(description="sha256 of the source sentence (corrections key)")
    origin: Origin = "none"
    flags: list[str] = Field(default_factory=list)
    language: LanguageGuess | None = Field(
        default=None,
        description="Set only when the sentence's language differs from the document's",
    )
    glossary: list[GlossaryHit] = Field(default_factory=list)
    protected: list[SpanHit] = Field(
        default_factory=list, description="URLs, addresses, handles, hashtags kept byte for byte"
    )
    qa: list[QaFlag] = Field(default_factory=list)
    confidence: float | None = Field(
        default=None,
        description="Mean log-probability per output token of the machine translation (0 = "
        "certain; the lowest of the pieces when spliced). Kept on a human correction (the "
        "confidence of what it replaced: calibration needs it); None without a model score",
    )
    repair: RepairRecord | None = Field(
        default=None, description="Set when the first machine output was flagged and re-decoded"
    )
    correction: dict[str, str] | None = Field(
        default=None,
        description="Author and time of a human correction (origin 'human', with the "
        "'machine' English it replaced) or of an acceptance (origin 'accepted')",
    )

    def add_flag(self, flag: QaFlag) -> None:
        """Raise a QA flag: its details go to ``qa``, its check to ``flags`` (once).

        The one way to flag a segment, so ``flags`` and ``qa`` never disagree."""
        self.qa.append(flag)
        if flag.check not in self.flags:
            self.flags.append(flag.check)

    def drop_flags(self, checks: Collection[str]) -> None:
        """Withdraw every flag of ``checks`` from both ``flags`` and ``qa``."""
        self.flags = [f for f in self.flags if f not in checks]
        self.qa = [q for q in self.qa if q.check not in checks]


class RepairAttempt(Model):
    """One candidate tried by ``toolkit.translation.repair``: which strategy, what it gave, its
    QA."""

    strategy: str = Field(description="'no-repeat', 'split' or 'n-best:<rank>'")
    english: str
    flags: list[str] = Field(default_factory=list, description="QA checks that fired for it")
    passed: bool
    confidence: float | None = None


class RepairRecord(Model):
    """How a flagged machine segment was re-decoded (``toolkit.translation.repair``)."""

    kinds: list[str] = Field(description="The flags of the first output that asked for repair")
    first: str = Field(description="The first output, before repair")
    first_confidence: float | None = None
    tried: list[RepairAttempt] = Field(default_factory=list)
    winner: str | None = Field(
        default=None, description="Strategy of the English now in the segment; None: kept first"
    )


class TranslationInfo(Model):
    package: str
    package_version: str
    from_code: str
    to_code: str
    model_sha256: str = Field(description="sha256 of the package's model/model.bin")
    files_sha256: str | None = Field(
        default=None,
        description="sha256 over every package file that shapes the output (model/*, "
        "sentencepiece.model) and its target_prefix (toolkit.translation.identity."
        "package_digest); absent in records written before it was recorded",
    )
    settings: dict[str, Any] | None = Field(
        default=None,
        exclude=True,
        description="Read from records written before the decoding settings were recorded "
        "only once, as config.translation (the settings the model decoded with); never written",
    )


class RunInfo(Model):
    """How one particular build obtained the document's English.

    This is the only part of a record that may differ between two builds of the same
    inputs (a rebuild takes from the cache what the first build translated), so it is
    kept apart and left out when builds are compared.
    """

    fresh: list[str] = Field(default_factory=list, description="Segment ids the model translated")
    cached: list[str] = Field(default_factory=list, description="Segment ids taken from the cache")


class DocumentRecord(Model):
    """Everything known about one built document; written as ``<stem>.meta.json``."""

    schema_version: int = SCHEMA_VERSION
    document: str = Field(description="File stem; the document id")
    status: Literal["built", "needs-model", "error"]
    message: str | None = None
    input: InputInfo
    language: LanguageGuess
    language_detected: LanguageGuess | None = Field(
        default=None,
        description="What language id found, set only when the language was given "
        "(toolkit translate --from); when the two disagree confidently every segment is "
        "flagged 'source-language'",
    )
    target_language: str = "en"
    cleaning: CleaningReport
    segmenter: dict[str, str]
    translation: TranslationInfo | None = None
    glossary: dict[str, Any] | None = Field(
        default=None, description="The glossary file: name, sha256, version, entries"
    )
    versions: dict[str, str]
    config: dict[str, Any] | None = Field(
        default=None,
        description="The whole BuildConfig of the build, verbatim: the one record of every "
        "setting (cleaning, language id, glossary, QA, translation)",
    )
    segments: list[Segment]
    run: RunInfo = Field(
        default_factory=RunInfo, description="Per-build facts; excluded from comparisons"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_v1(cls, data: Any) -> Any:
        """A version-1 meta.json, read as version 2: the copies of ``config`` it also held
        are dropped (they were equal to it by construction)."""
        if isinstance(data, dict) and data.get("schema_version") == 1:
            data = {k: v for k, v in data.items() if k not in _V1_COPIES}
            data["schema_version"] = SCHEMA_VERSION
            for part, copy in (("cleaning", "normalization"), ("glossary", "config")):
                if isinstance(data.get(part), dict):
                    data[part] = {k: v for k, v in data[part].items() if k != copy}
        return data

    @model_validator(mode="before")
    @classmethod
    def _no_language_as_written_now(cls, data: Any) -> Any:
        """A document with no language content, in a record written before session 8's
        9674202 (version 0.3.0 too), read as a build writes it now: its ``language`` said the
        target's (``en``; read as ``zxx``: that in ``language_detected``; stated ``zxx`` in
        ``languages:``: what id read there), so status, export and review showed ``en`` for it
        until a rebuild, and a current build does not rebuild it (nothing it hashes moved).
        A record whose ``languages:`` entry (in its ``config``) states another language, or
        one built without ``config`` (``toolkit translate --from en``), is left as it is."""
        if not isinstance(data, dict) or not isinstance(data.get("config"), dict):
            return data
        language, detected = data.get("language"), data.get("language_detected")
        target = data.get("target_language", "en")
        if not isinstance(language, dict) or language.get("language") != target:
            return data
        stated = _stated_language(data)
        if stated == NO_LANGUAGE:
            return {**data, "language": {**language, "language": NO_LANGUAGE}}
        read = detected.get("language") if isinstance(detected, dict) else None
        if stated is None and read == NO_LANGUAGE:
            return {**data, "language": detected, "language_detected": None}
        return data

    def language_of(self, seg: Segment) -> str:
        """The language ``seg`` was written in: its own when it differs from the document's."""
        return seg.language.language if seg.language else self.language.language


def _stated_language(data: dict[str, Any]) -> Any:
    """The ``languages:`` entry a build's record holds for its own file (its ``config`` has
    that file's entry only), or None."""
    try:
        name = data["input"]["path"].rsplit("/", 1)[-1]
        return data["config"]["prepare"]["decode"]["languages"].get(name)
    except (KeyError, TypeError, AttributeError):
        return None


class ManifestEntry(Model):
    """One line of ``corpus/manifest.jsonl``."""

    document: str
    input: str
    input_sha256: str
    fingerprint: str = Field(
        description="Hash of everything besides the input that shaped the output"
    )
    status: Literal["built", "needs-model", "error"]
    message: str | None = None
    language: str
    segments: int
    outputs: dict[str, str] = Field(
        default_factory=dict, description="Output file name -> sha256 of its bytes"
    )
