"""Calibration: thresholds from real data, not guesses.

:func:`calibrate_length_band` turns the length ratios of clean human translations into the
band of :class:`~toolkit.config.qa.LengthBand` (``benchmarks/qa_pud.py`` runs it on PUD);
:func:`calibrate_confidence` proposes a ``low_confidence_threshold`` from a corpus's human
corrections (``toolkit qa --calibrate-confidence``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.schema import DocumentRecord


def calibrate_length_band(
    ratios: Sequence[float], quantile: float = 0.005, widen: float = 0.1
) -> tuple[float, float]:
    """A ratio band from clean human translations: the outer quantiles, widened.

    ``ratios`` are len(target)/len(source) of real pairs. The band is
    ``(q(quantile) * (1 - widen), q(1 - quantile) * (1 + widen))`` -- the quantiles
    cut the worst outliers, the widening covers a corpus slightly different from the
    calibration one.

    >>> calibrate_length_band([0.5, 1.0, 2.0], quantile=0.0, widen=0.0)
    (0.5, 2.0)
    """
    if not ratios:
        raise ValueError("calibrate_length_band needs at least one ratio")
    xs = sorted(ratios)

    def q(p: float) -> float:
        pos = p * (len(xs) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    return round(q(quantile) * (1 - widen), 3), round(q(1 - quantile) * (1 + widen), 3)


@dataclass(frozen=True)
class CalibrationRow:
    """One candidate ``low_confidence_threshold`` and what it would flag."""

    threshold: float
    corrected_below: float
    """Share of human-corrected segments whose machine confidence is below the threshold."""
    all_below: float
    """Share of all scored segments below it: how much of the corpus the check would flag."""


def calibrate_confidence(
    records: Sequence[DocumentRecord], steps: int = 10
) -> tuple[list[CalibrationRow], float | None, int, int]:
    """Candidate thresholds for the ``low-confidence`` check, from a corpus with corrections.

    Every machine segment and every human correction of one (a correction keeps the
    confidence of the machine output it replaced) counts; the candidates are the
    ``steps``-quantiles of all confidences. Returns the rows, the proposed threshold (the one
    that best separates corrected from all segments: corrected share minus overall share is
    largest; None without corrections), and the numbers of scored and corrected segments.
    Calibration means something only with a real model and real human corrections.
    """
    scored = [
        (s.confidence, s.origin == "human")
        for r in records
        for s in r.segments
        if s.confidence is not None and s.origin in ("machine", "human")
    ]
    corrected = [c for c, human in scored if human]
    if not scored:
        return [], None, 0, 0
    values = sorted(c for c, _ in scored)
    candidates = sorted({values[min(len(values) - 1, (len(values) * k) // steps)]
                         for k in range(1, steps + 1)})
    rows = []
    for t in candidates:
        below_all = sum(1 for c in values if c < t) / len(values)
        below_corrected = sum(1 for c in corrected if c < t) / len(corrected) if corrected else 0.0
        rows.append(CalibrationRow(round(t, 4), below_corrected, below_all))
    proposed = (
        max(rows, key=lambda r: (r.corrected_below - r.all_below, -r.threshold)).threshold
        if corrected
        else None
    )
    return rows, proposed, len(values), len(corrected)
