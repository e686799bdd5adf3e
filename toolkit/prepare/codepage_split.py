"""Is a legacy-encoded file two code pages pasted together?

A file whose first part was saved as cp1252 and the rest by a DOS program (cp850) has no
right single-byte reading: each code page turns the other part's umlauts into mojibake
(``spõt``, ``Argentini‰``). Reading it whole, :mod:`toolkit.prepare.decode` would pick the
less bad one and, when the other part had few non-ASCII bytes, say nothing. So the same
costs (:mod:`toolkit.prepare.codepage_score`) are asked of every cut: the bytes before it in
one code page, the bytes after it in another. Each part pays its own prior and its own cost
for every distinct byte, so reading both parts in the same code page never beats reading the
whole in it (a byte in both parts is charged twice, and its context is averaged over fewer
occurrences). A cut that is cheaper than the best whole reading by :data:`MIXED_GAIN` or more
means two code pages, and the file is refused, if each part has at least
:data:`MIXED_EVIDENCE` distinct byte values that read better in its own code page than in the
other's; with less, the second code page is only reported as possible. Without that second
condition one odd character was enough: ten real Dutch documents saved together as Mac
Roman, with one ``π`` (a lone rare letter, 6) that cp1252 reads as ``¹`` (1), were refused
as "Mac Roman, then cp1252".

Measured (BENCHMARKS.md, "Legacy encodings"): on the real documents re-encoded whole in each
candidate code page, alone and 3, 10 or 40 to a file, no cut with that evidence gained more
than 1.0, so 3.0 leaves a wide margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from toolkit.prepare.codepage_score import ReadingCosts

MIXED_GAIN = 3.0
MIXED_EVIDENCE = 2


class Split(NamedTuple):
    """The cheapest cut of a file into two code pages."""

    gain: float
    """How much cheaper than the best whole reading (``MIXED_GAIN`` or more: two code pages)."""
    first: str
    second: str
    offset: int
    """The file offset of the first high byte read as ``second``."""
    evidence: int
    """Of the two parts, the fewer distinct byte values that read better in the part's own
    code page than in the other's (one odd character is no second code page)."""


def best_split(
    positions: dict[int, list[int]],
    readings: Sequence[tuple[str, float, ReadingCosts]],
    whole: float,
) -> Split | None:
    """The cheapest two-code-page reading of a file, or None with fewer than two high bytes.

    ``readings``: (codec, prior, costs) for every candidate, including those that leave a
    byte undefined (it costs :data:`~toolkit.prepare.codepage_score.UNDEFINED` there: one
    part may still be that code page); ``whole``: the cost of the best whole reading.
    """
    order = sorted((i, byte) for byte, where in positions.items() for i in where)
    if len(order) < 2 or not readings:
        return None
    bytes_in_order = [byte for _, byte in order]
    n = len(order)
    head = [(float("inf"), "")] * n  # best (cost, codec) of the first k+1 high bytes
    tail = [(float("inf"), "")] * n  # best (cost, codec) of the high bytes from k on
    for codec, prior, costs in readings:
        forward = _running(bytes_in_order, costs, reverse=False)
        backward = _running(bytes_in_order, costs, reverse=True)
        for k in range(n):
            head[k] = min(head[k], (prior + forward[k], codec))
            tail[n - 1 - k] = min(tail[n - 1 - k], (prior + backward[k], codec))
    k = min(range(n - 1), key=lambda k: head[k][0] + tail[k + 1][0])
    gain = whole - head[k][0] - tail[k + 1][0]
    first, second = head[k][1], tail[k + 1][1]
    by_codec = {codec: costs for codec, _, costs in readings}
    evidence = min(
        _favouring(bytes_in_order[: k + 1], by_codec[first], by_codec[second], from_start=True),
        _favouring(bytes_in_order[k + 1 :], by_codec[second], by_codec[first], from_start=False),
    )
    return Split(gain, first, second, order[k + 1][0], evidence)


def _favouring(part: list[int], mine: ReadingCosts, other: ReadingCosts, from_start: bool) -> int:
    """How many distinct byte values of ``part`` (the file's first or last high bytes) read
    better in ``mine`` than in ``other``: their own cost plus their context cost averaged
    over their occurrences in the part."""
    counts: dict[int, int] = {}
    for byte in part:
        counts[byte] = counts.get(byte, 0) + 1
    better = 0
    for byte, count in counts.items():
        terms = []
        for costs in (mine, other):
            contexts = costs.context[byte]
            seen = contexts[:count] if from_start else contexts[len(contexts) - count :]
            terms.append(costs.char[byte] + sum(seen) / count)
        better += terms[0] < terms[1]
    return better


def _running(bytes_in_order: list[int], costs: ReadingCosts, reverse: bool) -> list[float]:
    """The cost of the high bytes seen so far, after each one (from the end if ``reverse``):
    each distinct byte's own cost plus its context cost averaged over the occurrences seen."""
    seen = [0] * 256  # indexed by byte value: lists are cheaper than dicts in this loop
    context_sums = [0.0] * 256
    contexts: list[list[float]] = [[] for _ in range(256)]
    for byte, each in costs.context.items():
        contexts[byte] = each[::-1] if reverse else each
    total = 0.0
    out = []
    for byte in reversed(bytes_in_order) if reverse else bytes_in_order:
        count = seen[byte]
        if count:
            total -= context_sums[byte] / count
        else:
            total += costs.char[byte]
        context_sums[byte] += contexts[byte][count]
        seen[byte] = count = count + 1
        total += context_sums[byte] / count
        out.append(total)
    return out
