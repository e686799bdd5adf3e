"""Every QA threshold (:mod:`toolkit.qa`), recorded in provenance."""

from __future__ import annotations

from pydantic import Field, field_validator

from toolkit.config.base import ConfigModel
from toolkit.config.codes import language_field, language_fields
from toolkit.config.languages import CANDIDATES

PAIR_CHECKS = (
    "empty",
    "untranslated",
    "language",
    "number",
    "glossary",
    "protected",
    "length",
    "repetition",
    "truncated",
    "bidi",
    "low-confidence",
)
"""The per-pair checks, in the order their flags are reported."""


class LengthBand(ConfigModel):
    """Allowed target/source character-length ratio for one language pair."""

    pair: str = Field(description="'<src>-<tgt>', e.g. 'de-en'")
    low: float
    high: float
    calibration: str = Field(default="", description="Where the numbers come from")

    @field_validator("pair")
    @classmethod
    def _two_languages(cls, value: str) -> str:
        source, sep, target = value.partition("-")
        if not sep or "-" in target:
            raise ValueError(f"pair {value!r}: write '<src>-<tgt>' with two codes, e.g. 'de-en'")
        return f"{language_field(source, 'pair')}-{language_field(target, 'pair')}"


class QaConfig(ConfigModel):
    """Every QA threshold, recorded in provenance. Frozen: build it once, pass it around.

    Length bands: ``calibrate_length_band`` on the 300 PUD de->en pairs gives the
    0.5 % / 99.5 % ratio quantiles 0.613 / 1.213 (median 0.877); widened by 10 % that is
    0.55 / 1.33. There is no Dutch reference set, so nl-en borrows the German band
    (both languages run ~10-15 % longer than English). A segment may also be off by
    ``length_slack_chars`` characters, which loosens the band for short segments, where
    one long name or a dropped article moves the ratio a lot.
    """

    checks: tuple[str, ...] = Field(
        default=PAIR_CHECKS, description="Per-pair checks to run; drop a name to switch it off"
    )
    language_candidates: tuple[str, ...] = CANDIDATES

    @field_validator("language_candidates")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return language_fields(value, "language_candidates")

    language_min_chars: int = Field(
        default=20, description="Targets shorter than this are not language-identified"
    )
    language_min_confidence: float = Field(
        default=0.9, description="A target is in the wrong language only at this confidence"
    )
    number_words: bool = Field(
        default=True,
        description="Spelled-out source numbers ('vier', 'zwanzigste') must appear in the target",
    )
    length_bands: tuple[LengthBand, ...] = (
        LengthBand(
            pair="de-en",
            low=0.55,
            high=1.33,
            calibration="PUD de->en 300 pairs: q0.5%=0.613, q99.5%=1.213, widened 10%",
        ),
        LengthBand(pair="nl-en", low=0.55, high=1.33, calibration="borrowed from de-en"),
    )
    length_default_band: tuple[float, float] = Field(
        default=(0.45, 2.2), description="Band for pairs without a calibrated entry (loose)"
    )
    length_same_language_band: tuple[float, float] = Field(
        default=(0.8, 1.25), description="Band when source and target language are the same"
    )
    length_slack_chars: int = Field(
        default=12, description="Absolute slack added to both ends of the band"
    )
    length_min_chars: int = Field(
        default=10, description="Sources shorter than this are never length-checked"
    )
    repetition_max_ngram: int = Field(default=6, description="Longest repeated phrase looked for")
    repetition_min_repeats: int = Field(
        default=3, description="A phrase this many times in a row is a loop"
    )
    low_confidence_threshold: float | None = Field(
        default=None,
        description="Flag machine segments whose confidence (mean log-probability per token) "
        "is below this; None (the default) until calibrated on real corrections "
        "(`toolkit qa --calibrate-confidence`)",
    )
