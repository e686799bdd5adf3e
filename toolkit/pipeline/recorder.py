"""Bookkeeping around a translator during a build: progress per stage, and where each
translation came from.

:class:`OriginRecorder` is the one counter of origins: the segments' provenance
(``run.fresh`` / ``run.cached``) and the summary's "translated, cached, repeats reused"
are both read from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from toolkit._faults import checkpoint
from toolkit.pipeline.summary import Progress
from toolkit.translation.feed import Feed, More, takes_feed
from toolkit.translation.translator import SentenceTranslator


class StageProgress:
    """Progress of one translation stage, in model inputs, reported as ``progress(stage,
    done, total)``. A call adds ``done`` finished and ``expected`` announced inputs (the
    glossary's splice pass announces its pieces when it starts, so the total can grow)."""

    def __init__(self, progress: Progress, stage: str) -> None:
        self.progress = progress
        self.stage = stage
        self.done = 0
        self.expected = 0

    def __call__(self, done: int, expected: int) -> None:
        self.done += done
        self.expected += expected
        self.progress(self.stage, self.done, max(self.done, self.expected))


class OriginRecorder:
    """Wraps a translator for :func:`pin_translate`: forwards progress, remembers where each
    model input's translation first came from (``cache`` or ``machine``) and counts the
    distinct inputs decoded, the distinct inputs cached and the repeats reused."""

    def __init__(self, translator: SentenceTranslator, report: Callable[[int, int], None]) -> None:
        self.translator = translator
        self.report = report
        self.origins: dict[str, str] = {}
        self.scores: dict[str, float | None] = {}
        self.decoded = 0
        self.cached = 0
        self.reused = 0

    def __call__(self, batch: list[str]) -> list[str]:
        return self.translate(batch)

    def translate(self, batch: list[str]) -> list[str]:
        self.report(0, len(batch))
        out, origins, scores = self._detailed(batch)
        checkpoint("translate.batch")  # test hook: this batch is in the cache now
        self._count(batch, origins, scores)
        return out

    def translate_fed(
        self, batch: list[str], more: More, first: Iterable[str] = ()
    ) -> tuple[list[str], list[str]]:
        """:meth:`translate` of ``batch`` and of what ``more`` adds as its batches finish
        (:class:`~toolkit.translation.feed.Feed`; ``first``: sentences to decode first), in
        one call where the translator takes a feed, else in a second call after the first.
        Returns the translations of ``batch`` then of the added sentences, and those."""
        detailed = getattr(self.translator, "translate_detailed", None)
        if detailed is None or not takes_feed(detailed):
            out = self.translate(batch)
            added = more(batch, out)
            return [*out, *(self.translate(added) if added else [])], added
        self.report(0, len(batch))
        feed = Feed(more, first, announce=lambda count: self.report(0, count))
        out, origins, scores = detailed(batch, progress=self.progress, feed=feed)
        checkpoint("translate.batch")  # test hook: this batch is in the cache now
        self._count([*batch, *feed.added], list(origins), scores)
        return out, feed.added

    def _count(self, batch: list[str], origins: list[str], scores: list[float | None]) -> None:
        """Remember where each input's translation came from, and count it."""
        for text, origin, score in zip(batch, origins, scores, strict=True):
            if origin == "none":  # blank: nothing was translated
                continue
            self.scores[text] = score
            if text in self.origins:
                # A repeat (also when a second call finds it in the cache this build filled).
                self.reused += 1
                continue
            self.origins[text] = origin
            self.decoded += origin == "machine"
            self.cached += origin == "cache"

    def of(self, inputs: Iterable[str]) -> tuple[int, int]:
        """How many of the distinct ``inputs`` this recorder counted as decoded and as cached:
        ``(decoded, cached)`` (the build's summary tells splice pieces from sentences)."""
        origins = [self.origins.get(text) for text in set(inputs)]
        return origins.count("machine"), origins.count("cache")

    def _detailed(self, batch: list[str]) -> tuple[list[str], list[str], list[float | None]]:
        """Translations, origins and confidences from whatever the translator offers."""
        detailed = getattr(self.translator, "translate_detailed", None)
        if detailed is not None:  # a cached translator
            out, origins, scores = detailed(batch, progress=self.progress)
            return out, list(origins), scores
        machine = ["machine"] * len(batch)
        scored = getattr(self.translator, "translate_scored", None)
        if scored is not None:  # an uncached translator that scores
            out, scores = scored(batch, progress=self.progress)
            return out, machine, scores
        with_origins = getattr(self.translator, "translate_with_origins", None)
        if with_origins is not None:
            out, origins = with_origins(batch, progress=self.progress)
            return out, list(origins), [None] * len(batch)
        out = self.translator.translate(batch, progress=self.progress)
        return out, machine, [None] * len(batch)

    def progress(self, done: int) -> None:
        """The translator's ``progress``: ``done`` more inputs finished."""
        self.report(done, 0)

    def fresh(self, inputs: Iterable[str]) -> bool:
        """Whether this build ran the model for any of ``inputs``."""
        return any(self.origins.get(text) == "machine" for text in inputs)

    def confidence(self, inputs: Iterable[str]) -> float | None:
        """The lowest confidence among ``inputs`` (a sentence, or its splice pieces); None if
        any has none."""
        found = [self.scores.get(text) for text in inputs]
        if not found or any(score is None for score in found):
            return None
        return min(score for score in found if score is not None)
