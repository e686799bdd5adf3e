"""The base of every configuration model: frozen, and a typo is an error, never a default."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConfigModel(BaseModel):
    """Frozen (build it once, pass it around, hash it) and ``extra="forbid"``.

    Forbidding unknown fields is what makes ``QaConfig(lenght_slack_chars=3)`` a
    ``ValidationError`` instead of a silently ignored setting with the default kept.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
