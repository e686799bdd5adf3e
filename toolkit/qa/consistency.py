"""The ``inconsistent`` check: one source sentence translated in different ways.

It needs every pair at once (a corpus, a pairs file), so it is not a per-pair check; kept
apart from :mod:`toolkit.qa.checks` so that ``toolkit status``, which counts its flags on a
built corpus, loads no language id or cleaning stage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from toolkit.qa.flags import qa_flag
from toolkit.qa.text import consistency_key
from toolkit.schema import QaFlag


def check_consistency(pairs: Iterable[tuple[str, str, str]]) -> dict[str, list[QaFlag]]:
    """Flag pairs whose (normalised) source is translated differently elsewhere.

    ``pairs`` are ``(id, source, target)``; the result maps each flagged id to its
    ``inconsistent`` warning, which names the other ids.
    """
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, source, target in pairs:
        if source.strip() and target and target.strip():
            groups[consistency_key(source)].append((pid, " ".join(target.split())))
    out: dict[str, list[QaFlag]] = {}
    for members in groups.values():
        variants = {t for _, t in members}
        if len(variants) < 2:
            continue
        for pid, _ in members:
            others = [o for o, _ in members if o != pid]
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            out[pid] = [qa_flag("inconsistent", f"same source as {shown}, translated "
                                              f"{len(variants)} different ways")]
    return out
