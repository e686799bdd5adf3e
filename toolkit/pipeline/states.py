"""The word ``toolkit status`` gives a built document's state, the one owner the workbench and
``review`` ask too: a document kept without its model here is ``needs model`` everywhere (the
workbench said ``built``, its record's status, while status said ``needs model``)."""

from __future__ import annotations

BUILT = "built"
NEEDS_MODEL = "needs model"
"""A document waiting for a translation model, or whose English (translated elsewhere, or
before its package was removed) is kept because its model is not installed here."""

STALE = "stale"
"""A built document a build would now write differently (its English is the last build's)."""
AS_WRITTEN = frozenset({BUILT, NEEDS_MODEL, STALE})
"""The states ``toolkit status`` gives only a document whose English is as its build wrote
it (status says ``changed since build``, ``edited``, ``skipped``, ``error`` or ``out of
date`` for one it cannot tell so): the readers look for hand edits in every other."""


def state_word(recorded: str, model_missing: bool = False) -> str:
    """The state of a built document by its build's status (``recorded``: the manifest's or
    its record's: ``built``, ``needs-model``, ``error``) and whether the build keeps it
    without its model here (``model_missing``: :mod:`toolkit.pipeline.kept`, which only the
    build's plan tells: :func:`toolkit.pipeline.status.reader_states` asks it)."""
    if recorded == "needs-model" or model_missing:
        return NEEDS_MODEL
    return BUILT if recorded == "built" else recorded


__all__ = ["AS_WRITTEN", "BUILT", "NEEDS_MODEL", "STALE", "state_word"]
