"""Settings of translation: decoding and batching, repair, second attempts, package installs.

:class:`TranslationSettings` is recorded in provenance, in the fingerprint and (its
output-affecting part, :meth:`TranslationSettings.decoding`) in the translation-cache key.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field

from toolkit.config.base import ConfigModel
from toolkit.config.glossary import LOST_FLAG, LostFlag

ComputeType = Literal[
    "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
    "int16", "float16", "bfloat16", "float32",
]  # fmt: skip

# Settings that can change the text a model produces; the rest only change speed.
DECODING_FIELDS = (
    "beam_size",
    "length_penalty",
    "replace_unknowns",
    "max_decoding_length",
    "compute_type",
    "device",
    "group_by_length",
)

RepairKind = Literal["repetition", "truncated", "untranslated", LostFlag]
REPAIR_KINDS: tuple[RepairKind, ...] = ("repetition", "truncated", "untranslated", LOST_FLAG)
Strategy = Literal["no-repeat", "split", "n-best"]
STRATEGIES: tuple[Strategy, ...] = ("no-repeat", "split", "n-best")


class RepairPolicy(ConfigModel):
    """Which flags trigger a repair and how it is attempted (:mod:`toolkit.translation.repair`).
    Part of ``TranslationSettings`` (``repair``): recorded in provenance and the fingerprint."""

    enabled: bool = Field(True, description="Re-decode flagged machine segments at all")
    kinds: tuple[RepairKind, ...] = Field(REPAIR_KINDS, description="Flags that trigger repair")
    strategies: tuple[Strategy, ...] = Field(
        STRATEGIES, description="Tried in this order; the first passing candidate wins"
    )
    no_repeat_ngram_size: int = Field(3, ge=1, description="no-repeat: n-grams never repeated")
    repetition_penalty: float = Field(1.2, ge=1.0, description="no-repeat: CTranslate2 penalty")
    n_best: int = Field(4, ge=2, le=16, description="n-best: beam width and candidates read")
    max_source_chars: int = Field(
        2000,
        ge=1,
        description="Longer sources are not repaired: not a sentence (a run-on line the model "
        "sees capped anyway), and every attempt would cost a pass over all of it",
    )


class TranslationSettings(ConfigModel):
    """How sentences are decoded and batched. Recorded in provenance and the cache key.

    Defaults: decoding as Argos does it; int8 on the CPU. Threads and batch size were
    measured on a 2-core machine: two single-threaded workers decoding different batches
    (inter 2 x intra 1) beat one two-threaded worker (1 x 2) by 1.4-1.7x on both a tiny and
    an Argos-sized model, and 2048-token batches beat 4096 (more batches to share out).
    Workers share the weights, so inter_threads=2 costs no extra memory.
    ``max_batch_size`` counts tokens.
    """

    beam_size: int = Field(4, ge=1, description="Beam width (Argos uses 4)")
    length_penalty: float = Field(0.2, description="Beam length penalty (Argos uses 0.2)")
    replace_unknowns: bool = Field(True, description="Copy the attended source token for <unk>")
    max_decoding_length: int = Field(256, ge=1, description="Hard cap on output tokens")
    compute_type: ComputeType = "int8"
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    inter_threads: int = Field(2, ge=1, description="Batches decoded in parallel")
    intra_threads: int = Field(1, ge=0, description="Threads per batch (0: CTranslate2 picks)")
    max_batch_size: int = Field(2048, ge=1, description="Batch size, in units of batch_type")
    batch_type: Literal["tokens", "examples"] = "tokens"
    chunk_sentences: int = Field(
        2000, ge=1, description="Sentences per translate_batch call (progress granularity)"
    )
    group_by_length: bool = Field(
        True,
        description="Batch only sentences of one token length together (no padding): each "
        "sentence translates as it would alone, and faster",
    )
    repair: RepairPolicy = Field(
        default_factory=RepairPolicy,
        description="Re-decoding of flagged machine segments (toolkit.translation.repair)",
    )

    def decoding(self) -> dict[str, Any]:
        """The output-affecting settings only (the cache key uses these)."""
        return {name: getattr(self, name) for name in DECODING_FIELDS}


class DecodeOptions(ConfigModel):
    """Decoding overrides for a second attempt at a sentence (``toolkit.translation.repair``).

    ``no_repeat_ngram_size`` and ``repetition_penalty`` are CTranslate2's loop guards;
    ``beam_size`` widens the beam and ``hypothesis`` picks the n-th best of its hypotheses
    (0 = best), so the n-best list is read one candidate at a time. Every field changes the
    output, so the options are part of the cache key
    (``toolkit.translation.cache.CachedTranslator``).
    """

    no_repeat_ngram_size: int = Field(0, ge=0)
    repetition_penalty: float = Field(1.0, gt=0)
    beam_size: int | None = Field(None, ge=1)
    hypothesis: int = Field(0, ge=0)

    def key(self) -> str:
        """Stable text form, for cache namespaces."""
        return json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":"))


class InstallLimits(ConfigModel):
    """How big a package may unpack to; checked from the zip's directory before extracting.

    Real Argos packages hold a dozen or so members, unpack to at most a few hundred MB and
    barely compress (``model.bin`` is already dense), so the defaults leave ample room while
    a zip bomb (781 KB unpacking to 401 MB, ratio 500:1) is refused before a byte is written.
    """

    max_unpacked_bytes: int = Field(
        4_000_000_000, ge=1, description="Total uncompressed size of all members"
    )
    max_members: int = Field(1000, ge=1, description="Number of entries in the zip")
    max_ratio: float = Field(
        100.0, gt=0, description="Total uncompressed size / size of the package file"
    )
