"""The base of every configuration model: frozen, and a typo is an error, never a default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, Self, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A ``dict`` that refuses every change after it is made: the mapping fields of a
    configuration (``legacy_encodings``, ``encodings``, ``extra_abbreviations``).

    Still a ``dict`` (equal to one, serialised as one: the JSON recorded in provenance and
    hashed into the fingerprint is byte-identical), and hashable. Without it
    ``c.prepare.decode.legacy_encodings["cp1252"] = 99`` changed a frozen configuration, its
    hash, and through the shared default every ``BuildConfig()`` made after.
    """

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(
            "a configuration's mappings are read-only; make a new configuration instead, "
            "e.g. DecodeConfig(encodings={...}) or config.model_copy(update={...})"
        )

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle (process pools) and deepcopy would otherwise refill it item by item.
        return (type(self), (dict(self),))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self


def _freeze(model: BaseModel) -> None:
    """Make every ``dict`` field of ``model`` a :class:`FrozenDict` (tuples already are)."""
    for name, value in model.__dict__.items():
        if isinstance(value, dict) and not isinstance(value, FrozenDict):
            object.__setattr__(model, name, FrozenDict(value))


class ConfigModel(BaseModel):
    """Frozen (build it once, pass it around, hash it) and ``extra="forbid"``.

    Forbidding unknown fields is what makes ``QaConfig(lenght_slack_chars=3)`` a
    ``ValidationError`` instead of a silently ignored setting with the default kept.
    Frozen all the way down: a mapping field is a :class:`FrozenDict` however the model was
    made (validated, defaulted or :meth:`model_copy`'d, which validates), and sequences are
    tuples.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _read_only_mappings(self) -> Self:
        _freeze(self)
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """This configuration with the fields in ``update`` replaced, validated as the
        constructor validates them: pydantic's ``model_copy`` took
        ``update={"target_language": 5, "bogus": 1}`` as it stood (a typo became a silent
        field, a code was not normalised, a dict stayed mutable)."""
        if not update:
            return self  # frozen all the way down: a copy would be equal and no safer
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate({**fields, **update})
