"""The originals that have no English at all (never built, or their build failed), and the
one line every reader of the built corpus (export, review) says of them: a reader that
listed only what it shows read as if the corpus were complete.

Example::

    missing = unbuilt_originals(Path("corpus"), {r.document for r in records})
    if missing:
        print(unbuilt_line(missing, "exported"))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from toolkit.plural import plural

NAMED = 5
"""How many document ids the line names before it says how many more."""


def unbuilt_originals(corpus_root: Path, built: Iterable[str]) -> set[str]:
    """The ids of the originals in ``original/`` (those a build would build) that are not
    among ``built``; none when the corpus has no ``original/`` (an ``english/`` copy)."""
    from toolkit.pipeline.status import original_ids

    if not (Path(corpus_root) / "original").is_dir():
        return set()
    return set(original_ids(Path(corpus_root)).values()) - set(built)


def unbuilt_line(ids: Collection[str], left_out_of: str) -> str:
    """``2 originals in original/ not exported, never built or failed to build (a, b);
    `toolkit status` says why`` (``left_out_of``: ``exported``, ``shown``), naming at most
    :data:`NAMED` of ``ids``."""
    shown = sorted(ids)
    more = f" and {len(shown) - NAMED} more" if len(shown) > NAMED else ""
    return (
        f"{plural(len(shown), 'original')} in original/ not {left_out_of}, never built or "
        f"failed to build ({', '.join(shown[:NAMED])}{more}); `toolkit status` says why"
    )


__all__ = ["NAMED", "unbuilt_line", "unbuilt_originals"]
