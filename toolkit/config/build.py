"""Every setting of a build (:mod:`toolkit.pipeline.build`) in one model."""

from __future__ import annotations

from typing import Any

from pydantic import (
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from toolkit.config.base import ConfigModel
from toolkit.config.codes import language_field
from toolkit.config.glossary import GlossaryConfig
from toolkit.config.prepare import PrepareConfig
from toolkit.config.qa import QaConfig
from toolkit.config.translation import TranslationSettings


class BuildConfig(ConfigModel):
    """Every setting of a build; recorded in each document's provenance and fingerprint.

    The build owns what more than one stage reads: ``target_language`` (translation pairs
    and QA) and ``translation`` (the one owner of the decoding settings, handed to the
    provider before anything is decoded).

    Recorded layout: ``target_language`` is written inside ``prepare``, where meta.json has
    always had it, so moving its owner changed no fingerprint and no shipped record; a dump
    in that layout validates back to the same config. (A future schema bump may record it
    at the top level and drop the two hooks below.)
    """

    prepare: PrepareConfig = PrepareConfig()
    translation: TranslationSettings = TranslationSettings()
    glossary: GlossaryConfig = GlossaryConfig()
    qa: QaConfig = QaConfig()
    target_language: str = "en"

    @field_validator("target_language")
    @classmethod
    def _a_language(cls, value: str) -> str:
        return language_field(value, "target_language")

    @model_serializer(mode="wrap")
    def _recorded_layout(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if "target_language" in data and isinstance(data.get("prepare"), dict):
            data["prepare"] = {**data["prepare"], "target_language": data.pop("target_language")}
        return data

    @model_validator(mode="before")
    @classmethod
    def _from_recorded_layout(cls, data: Any) -> Any:
        prepare = data.get("prepare") if isinstance(data, dict) else None
        if isinstance(prepare, dict) and "target_language" in prepare:
            prepare = dict(prepare)
            data = {**data, "prepare": prepare, "target_language": prepare.pop("target_language")}
        return data
