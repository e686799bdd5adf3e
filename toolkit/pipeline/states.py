"""The word ``toolkit status`` gives a built document's state, the one owner the workbench and
``review`` ask too: a document kept without its model here is ``needs model`` everywhere (the
workbench said ``built``, its record's status, while status said ``needs model``)."""

from __future__ import annotations

BUILT = "built"
NEEDS_MODEL = "needs model"
"""A document waiting for a translation model, or whose English (translated elsewhere, or
before its package was removed) is kept because its model is not installed here."""


def state_word(recorded: str, model_missing: bool = False) -> str:
    """The state of a built document by its build's status (``recorded``: the manifest's or
    its record's: ``built``, ``needs-model``, ``error``) and whether the build keeps it
    without its model here (``model_missing``: :mod:`toolkit.pipeline.kept`, which only the
    build's plan tells: :func:`toolkit.pipeline.status.reader_states` asks it)."""
    if recorded == "needs-model" or model_missing:
        return NEEDS_MODEL
    return BUILT if recorded == "built" else recorded


__all__ = ["BUILT", "NEEDS_MODEL", "state_word"]
