"""Sentences added to a translation call while it runs, and the batches they join.

The glossary (:func:`toolkit.glossary.pin.pin_translate`) learns which sentences must be
translated piece by piece around their terms ("splice") only once their whole-sentence
translation is back. Sent in a second call after all decoding, those few pieces ran at low
parallelism after the main call had drained (issue 19: 0.8-2.1 s of a 20-article build).
A :class:`Feed` lets them join the running call instead: whoever consumes the stream reports
each finished batch (:meth:`Feed.finished`), which asks the caller's ``more`` for the
sentences to add; whoever decodes takes them (:meth:`Feed.take`) before its next batch, and
:class:`EqualLengthSchedule` puts each into the pending batch of its token length.

Outputs do not change: a batch of one token length is never padded, so every sentence gets
the translation it gets alone, whatever else shares its batch and whenever it is decoded.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.config.translation import TranslationSettings

More = Callable[[list[str], list[str]], list[str]]
"""Called with a finished batch's sources and translations; returns sentences to add."""

Batch = tuple[list[str], list[str], list["float | None"]]
"""A translated batch: its sources, translations and confidences (None: none)."""

Hit = tuple[str, "float | None"]
"""A translation found without the model (a cache row): its text and confidence."""


class Feed:
    """What a caller adds to one translation call while it runs (``more``), and which of the
    call's sentences it wants decoded first (``first``: the sooner they are back, the sooner
    what they add is known, while batches of its lengths are still pending).

    ``added`` keeps everything ``more`` returned, in order, repeats included: the call
    returns one translation per sentence of its own and then one per ``added``. Each
    distinct, non-blank added sentence that is not already part of the call is sent once;
    ``lookup`` (set by a cache) answers some of them without the model (``found``).
    ``announce`` is told how many sentences each ``more`` added (progress totals).
    """

    def __init__(
        self,
        more: More,
        first: Iterable[str] = (),
        announce: Callable[[int], None] | None = None,
    ) -> None:
        self.more = more
        self.first = frozenset(first)
        self.announce = announce
        self.added: list[str] = []
        self.lookup: Callable[[list[str]], dict[str, Hit]] | None = None
        self.found: dict[str, Hit] = {}
        self.sent: set[str] = set()
        self._known: set[str] = set()
        self._new: list[str] = []

    def start(self, sentences: Iterable[str]) -> None:
        """The call's own sentences: an added sentence equal to one of them is not sent."""
        self._known.update(sentences)

    def finished(self, sources: list[str], outputs: list[str]) -> int:
        """A batch is translated: add what ``more`` returns for it. Returns how many added
        sentences are finished already (repeats, blanks, ``lookup`` hits): progress."""
        new = self.more(sources, outputs)
        if not new:
            return 0
        self.added.extend(new)
        if self.announce is not None:
            self.announce(len(new))
        fresh = [s for s in dict.fromkeys(new) if s.strip() and s not in self._known]
        self._known.update(fresh)
        done = len(new) - len(fresh)
        if fresh and self.lookup is not None:
            hits = self.lookup(fresh)
            if hits:
                self.found.update(hits)
                fresh = [s for s in fresh if s not in hits]
                done += len(hits) + self.finished(list(hits), [text for text, _ in hits.values()])
        self.sent.update(fresh)
        self._new.extend(fresh)
        return done

    def take(self) -> list[str]:
        """The added sentences not yet sent to the model; each is handed out once."""
        new, self._new = self._new, []
        return new


class EqualLengthSchedule:
    """Batches of one token length, cut when a worker is free rather than planned up front,
    so that sentences added mid-call (:class:`Feed`) join the pending batch of their length.

    Without additions or ``first`` the batches are those of a plan made up front: lengths
    ascending, each length's sentences in input order, at most ``max_batch_size`` tokens (or
    sentences) and ``chunk_sentences`` sentences per batch. Lengths holding a ``first``
    sentence go before the others; a length whose batches were all handed out starts a new
    batch for what is added to it.

    >>> from toolkit.config.translation import TranslationSettings
    >>> schedule = EqualLengthSchedule(TranslationSettings(), [3, 1, 3, 2], first={3})
    >>> schedule.next(), schedule.next()
    ([3], [1])
    >>> schedule.add([4, 5], [9, 1])
    >>> schedule.next(), schedule.next(), schedule.next(), schedule.next()
    ([5], [0, 2], [4], None)
    """

    def __init__(
        self, settings: TranslationSettings, lengths: Sequence[int], first: Iterable[int] = ()
    ) -> None:
        self._settings = settings
        self._pending: dict[int, list[int]] = {}
        self._first = {lengths[i] for i in first}
        self.add(range(len(lengths)), lengths)

    def add(self, indices: Iterable[int], lengths: Sequence[int]) -> None:
        """Queue ``indices`` (``lengths``: their token lengths, in the same order)."""
        for index, length in sorted(zip(indices, lengths, strict=True), key=lambda p: p[1]):
            self._pending.setdefault(length, []).append(index)

    def next(self) -> list[int] | None:
        """The next batch's indices; None when nothing is pending."""
        if not self._pending:
            return None
        firsts = [length for length in self._pending if length in self._first]
        length = min(firsts or self._pending)
        group = self._pending.pop(length)
        s = self._settings
        per_batch = s.max_batch_size
        if s.batch_type == "tokens":
            per_batch = max(1, s.max_batch_size // max(1, length))
        per_batch = min(per_batch, s.chunk_sentences)
        if len(group) > per_batch:
            self._pending[length] = group[per_batch:]
        return group[:per_batch]


def takes_feed(stream: Callable[..., Any]) -> bool:
    """Whether a ``translate_stream_scored`` takes ``feed``: sentences added while it runs.
    Ray's does not; :func:`inner_stream` streams them after it (same outputs)."""
    try:
        return "feed" in inspect.signature(stream).parameters
    except (TypeError, ValueError):
        return False


def inner_stream(
    inner: Any, misses: list[str], scoring: bool, chunk_sentences: int, feed: Feed | None
) -> Iterator[Batch]:
    """``(sources, translations, confidences)`` batch by batch from the translator ``inner``
    (a cache's misses); then what ``feed`` was given that ``inner`` did not take while it
    ran, until nothing more is added. An ``inner`` without a stream method gets
    ``chunk_sentences`` sentences per call."""
    pending = misses
    while True:
        if pending:
            yield from _stream_once(inner, pending, scoring, chunk_sentences, feed)
        pending = feed.take() if feed is not None else []
        if not pending:
            return


def _stream_once(
    inner: Any, misses: list[str], scoring: bool, chunk_sentences: int, feed: Feed | None
) -> Iterator[Batch]:
    """One stream of ``misses`` from ``inner`` (which takes from ``feed`` if it can)."""
    stream_scored = getattr(inner, "translate_stream_scored", None)
    stream = getattr(inner, "translate_stream", None)
    chunks = (misses[i : i + chunk_sentences] for i in range(0, len(misses), chunk_sentences))
    if stream_scored is not None and feed is not None and takes_feed(stream_scored):
        yield from stream_scored(misses, feed=feed)
    elif stream_scored is not None:
        yield from stream_scored(misses)
    elif scoring:
        for chunk in chunks:
            outputs, scores = inner.translate_scored(chunk)
            yield chunk, outputs, scores
    elif stream is not None:
        for sources, outputs in stream(misses):
            yield sources, outputs, [None] * len(sources)
    else:
        for chunk in chunks:
            yield chunk, inner.translate(chunk), [None] * len(chunk)
