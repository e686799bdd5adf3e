"""How the glossary and the protected spans are applied (:mod:`toolkit.glossary`).

Recorded in provenance and in every document's fingerprint.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from toolkit.config.base import ConfigModel

SpanKind = Literal["url", "email", "handle", "hashtag", "credit"]
SPAN_KINDS: tuple[SpanKind, ...] = ("url", "email", "handle", "hashtag", "credit")

LostFlag = Literal["glossary-lost"]
"""The type of :data:`LOST_FLAG`, for ``Literal`` unions of flag names (repair kinds)."""
LOST_FLAG: LostFlag = get_args(LostFlag)[0]
"""The segment flag (and QA check) for a sentence whose pinned terms could not be guaranteed
(:mod:`toolkit.glossary.pin`). Its one spelling: builds, repair and corrections all use this
constant; it is also a repair kind (:class:`toolkit.config.translation.RepairPolicy`)."""


class SpanConfig(ConfigModel):
    """Which spans are protected through translation; part of ``GlossaryConfig``, so it is
    recorded in provenance and in every document's fingerprint."""

    enabled: bool = Field(True, description="Protect spans at all (off: only glossary terms)")
    kinds: tuple[SpanKind, ...] = Field(
        SPAN_KINDS, description="Kinds to protect: url, email, handle, hashtag, credit"
    )

    @property
    def protected(self) -> frozenset[SpanKind]:
        """The kinds these settings protect (none when switched off): what spans are found
        by (:func:`toolkit.glossary.spans.find_spans`), so two settings that differ only in
        the order or repeats of ``kinds``, or in the kinds of a switched-off one, protect
        alike (:mod:`toolkit.qa.corpus_settings` compares corpora's settings by it)."""
        return frozenset(self.kinds) if self.enabled else frozenset()

    def describe(self) -> str:
        """``url, email`` (the kinds protected, in :data:`SPAN_KINDS` order) or ``none``."""
        return ", ".join(k for k in SPAN_KINDS if k in self.protected) or "none"


class GlossaryConfig(ConfigModel):
    """How the glossary is applied; recorded in provenance.

    The placeholder prefix is part of every protected model input, so changing it changes
    translation-cache keys (as it must: the model sees different text).
    """

    rewrite_english_aliases: bool = True
    placeholder_prefix: str = Field(default="ZXQ", pattern=r"^[A-Z]{2,8}$")
    spans: SpanConfig = Field(
        default_factory=SpanConfig,
        description="URLs, addresses, handles, hashtags protected like glossary terms",
    )
