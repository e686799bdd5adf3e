"""Sentence translation with an Argos package, driven directly through CTranslate2.

Argos Translate's own ``translate`` module pulls in torch, stanza and spaCy and splits
sentences itself; the pipeline already has sentences, so this module loads the package's
CTranslate2 model and SentencePiece model and translates lists of sentences in large
batches. Decoding options mirror ``argostranslate.translate.apply_packaged_translation``
(beam 4, length penalty 0.2, unknowns replaced, ``target_prefix`` forced and stripped), so
a sentence translates as it would through Argos. Example::

    translator = Translator(find_package("de", "en"))  # toolkit.translation.installed
    translator.translate(["Guten Morgen.", "Wie geht es?"])  # -> two English strings

One deliberate difference: Argos also turns every ``_`` in the output into a space; this
module keeps underscores (only SentencePiece's ``▁`` marks become spaces).
"""

from __future__ import annotations

import inspect
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from toolkit.arguments import sentence_list
from toolkit.config.translation import DecodeOptions, TranslationSettings
from toolkit.translation.feed import EqualLengthSchedule, Feed
from toolkit.translation.identity import model_provenance
from toolkit.translation.packages import (
    PackageError,
    PackageInfo,
    folder_ref,
    loader_error,
    shaping_files,
)

ProgressFn = Callable[[int], None]
"""Called with the number of input sentences finished since the previous call."""

Scored = tuple[list[str], list[float | None]]
"""Translations and, per translation, its confidence (None where there is none)."""


WAITER_NAME = "toolkit-decode-wait"
"""The name of the threads that wait for a submitted batch (not daemons: the interpreter
waits for them at exit, so none is inside CTranslate2 while it shuts down)."""

_Finished = tuple[list[int], "list[Any] | BaseException"]
"""A decoded batch's indices and its CTranslate2 results (or what decoding raised)."""


def _wait_for(batch: list[int], futures: list[Any], finished: queue.SimpleQueue[_Finished]) -> None:
    """Waiter thread: block until every future of ``batch`` is decoded, then report it."""
    try:
        finished.put((batch, [f.result() for f in futures]))
    except BaseException as exc:  # handed to the consumer, which raises it
        finished.put((batch, exc))


def confidence_from_score(score: float, tokens: int, length_penalty: float) -> float:
    """Length-normalised log-probability of a hypothesis from CTranslate2's score.

    With ``return_scores=True`` CTranslate2 returns the hypothesis' summed token
    log-probabilities divided by ``(tokens + 1) ** length_penalty`` (the ``+ 1`` is the end
    token; measured against ``score_batch`` on the tiny package for penalties 0, 0.2 and 1).
    Undoing the penalty and dividing by the length gives the mean log-probability per token:
    0 is certain, -1 is e^-1 per token on average. Rounded to 4 decimals so the number in
    provenance does not carry float noise.

    >>> confidence_from_score(-21.9059, 8, 0.2)
    -3.7772
    """
    n = tokens + 1
    return round(score * n**length_penalty / n, 4)


def accepts_options(translator: object) -> bool:
    """Whether ``translator.translate_scored`` takes ``options`` (:class:`DecodeOptions`)."""
    scored = getattr(translator, "translate_scored", None)
    if scored is None:
        return False
    try:
        return "options" in inspect.signature(scored).parameters
    except (TypeError, ValueError):
        return False


class SentenceTranslator(Protocol):
    """Anything that turns a list of sentences into as many translations, in order."""

    def translate(self, sentences: list[str], progress: ProgressFn | None = None) -> list[str]:
        """Return one translation per input sentence; empty input gives empty output."""
        ...


def plan_chunks(lengths: Sequence[int], chunk_sentences: int) -> list[list[int]]:
    """Group indices into chunks of similar length: sort by length, then slice.

    Sorting keeps padding low inside CTranslate2's token batches, whichever chunk they are in.
    Ties keep input order, so the plan is deterministic.

    >>> plan_chunks([5, 1, 3], 2)
    [[1, 2], [0]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + chunk_sentences] for i in range(0, len(order), chunk_sentences)]


def gather_stream(
    sentences: list[str],
    stream: Callable[[list[str]], Iterator[tuple[list[str], list[str], list[float | None]]]],
    progress: ProgressFn | None = None,
) -> Scored:
    """Translate ``sentences`` through ``stream`` (a ``translate_stream_scored``): the
    distinct, non-blank ones once, results put back in input order ("" and None for blank
    ones). Progress counts repeats at once and each streamed batch as it arrives."""
    unique = list(dict.fromkeys(s for s in sentences if s.strip()))
    if progress is not None and len(sentences) > len(unique):
        progress(len(sentences) - len(unique))
    by_source: dict[str, tuple[str, float | None]] = {}
    for sources, outputs, scores in stream(unique):
        by_source.update(zip(sources, zip(outputs, scores, strict=True), strict=True))
        if progress is not None:
            progress(len(sources))
    found = [by_source.get(s, ("", None)) for s in sentences]
    return [text for text, _ in found], [score for _, score in found]


class StreamingTranslator:
    """The translate methods every model-backed translator shares, in terms of its
    ``translate_stream_scored`` (local CTranslate2 here, Ray actors in
    :mod:`toolkit.pipeline.ray_executor`)."""

    def translate(self, sentences: Iterable[str], progress: ProgressFn | None = None) -> list[str]:
        """Translate ``sentences``; return exactly ``len(sentences)`` strings in input order.

        Blank sentences come back as ``""`` without touching the model; duplicates are
        translated once. ``progress`` receives counts that add up to ``len(sentences)``.
        Any iterable of ``str`` is read once; a bare ``str`` or a non-text item raises
        :class:`TypeError` (:func:`toolkit.arguments.sentence_list`).
        """
        return self.translate_scored(sentences, progress)[0]

    def translate_scored(
        self,
        sentences: Iterable[str],
        progress: ProgressFn | None = None,
        options: DecodeOptions | None = None,
    ) -> Scored:
        """:meth:`translate`, plus each translation's confidence
        (:func:`confidence_from_score`; None for blank sentences). ``options`` override the
        settings' decoding for this call (a repair attempt)."""
        sentences = sentence_list(sentences)
        return gather_stream(
            sentences, lambda unique: self.translate_stream_scored(unique, options), progress
        )

    def translate_stream(self, sentences: Iterable[str]) -> Iterator[tuple[list[str], list[str]]]:
        """:meth:`translate_stream_scored` without the confidences."""
        for sources, outputs, _ in self.translate_stream_scored(sentence_list(sentences)):
            yield sources, outputs

    def translate_stream_scored(
        self, sentences: list[str], options: DecodeOptions | None = None
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        """Distinct, non-blank ``sentences`` translated, as ``(sources, translations,
        confidences)`` batch by batch as they are decoded."""
        raise NotImplementedError


class Translator(StreamingTranslator):
    """A loaded package: CTranslate2 model plus SentencePiece, loaded once per instance."""

    def __init__(self, package: PackageInfo, settings: TranslationSettings | None = None) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.package = package
        self.settings = settings or TranslationSettings()
        # The package's files are listed (and anything not a regular file refused) before
        # SentencePiece or CTranslate2 open one: a FIFO in model/ blocked the load forever.
        shaping_files(package.path)
        try:
            self._sp = spm.SentencePieceProcessor(model_file=package.native_paths[0])
        except (OSError, RuntimeError) as exc:
            raise PackageError(
                f"{folder_ref(package.path)}: sentencepiece.model does not load "
                f"({loader_error(exc, package.path)}); "
                "reinstall the package"
            ) from None
        try:
            self._model = ctranslate2.Translator(
                package.native_paths[1],
                device=self.settings.device,
                compute_type=self.settings.compute_type,
                inter_threads=self.settings.inter_threads,
                intra_threads=self.settings.intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            why = loader_error(exc, package.path)
            raise PackageError(
                f"{folder_ref(package.path)}: model/ does not load ({why}); reinstall the package"
            ) from None
        self._prefix = [package.target_prefix] if package.target_prefix else None

    @property
    def info(self) -> dict[str, Any]:
        """Provenance, shaped like ``toolkit.schema.TranslationInfo``."""
        return model_provenance(self.package, self.settings)

    def translate_stream_scored(
        self,
        sentences: list[str],
        options: DecodeOptions | None = None,
        feed: Feed | None = None,
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        """Translate distinct, non-blank ``sentences`` batch by batch, yielding each batch's
        ``(sources, translations, confidences)`` as soon as it is decoded.

        Callers store and report each batch as it comes (the translation cache commits it),
        so an interrupted run loses at most the batches still in flight: one per
        ``inter_threads`` worker, yielded in the order they finish.

        With ``group_by_length`` (the default) a batch holds sentences of one token length
        only, at most ``max_batch_size`` tokens and ``chunk_sentences`` sentences.
        CTranslate2's numbers for a sentence depend on what shares its batch: padding a
        shorter sentence can tip a near-tie in the beam (measured: 1 sentence in 229 on the
        benchmark model). Batches of one token length never pad; measured, every sentence
        then gets the translation it gets alone (229/229), whatever else is in the corpus,
        and no time goes to padding (1.5x faster than one padded call).
        Without it, ``chunk_sentences`` length-sorted sentences go to one padded call.

        ``feed`` (:class:`~toolkit.translation.feed.Feed`): the batches of its ``first``
        sentences' lengths go first, and the sentences it is given while this runs join the
        pending batches (grouped by length only; a padded stream leaves them to the caller).
        """
        if not sentences:
            return
        tokens: list[list[str]] = self._sp.encode(sentences, out_type=str)
        if not self.settings.group_by_length:
            for chunk in plan_chunks([len(t) for t in tokens], self.settings.chunk_sentences):
                scored = self._translate_padded([tokens[i] for i in chunk], options)
                yield [sentences[i] for i in chunk], [t for t, _ in scored], [c for _, c in scored]
            return
        first = [i for i, s in enumerate(sentences) if feed is not None and s in feed.first]
        schedule = EqualLengthSchedule(self.settings, [len(t) for t in tokens], first)
        yield from self._stream_batches(list(sentences), tokens, schedule, options, feed)

    def _stream_batches(
        self,
        sentences: list[str],
        tokens: list[list[str]],
        schedule: EqualLengthSchedule,
        options: DecodeOptions | None = None,
        feed: Feed | None = None,
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        """Decode the ``schedule``'s batches (index lists into ``tokens``) one per worker at a
        time; yield each as it finishes. What ``feed`` is given meanwhile is tokenized and
        scheduled (appended to ``sentences`` and ``tokens``) before the next submission.

        A waiter thread per submitted batch blocks in CTranslate2's ``result()`` (which
        releases the GIL) and hands the finished batch over through a queue, so this thread
        learns of it at once instead of at its next poll. The freed worker gets its next
        batch before the finished one is yielded: it decodes while the caller stores and
        reports. The wait on the queue is interruptible: Python runs its signal handlers
        while blocked there, so Ctrl-C is acted on at once, not after the batch.

        A caller that stops early (Ctrl-C at a safe point) closes the stream, which waits for
        the batches in flight (the model would finish them anyway before it can be freed): a
        waiter thread must not be inside CTranslate2 when the interpreter exits (measured:
        "terminate called without an active exception", exit status -6).
        """
        finished: queue.SimpleQueue[_Finished] = queue.SimpleQueue()
        waiters: list[threading.Thread] = []

        def start(count: int) -> int:
            """Submit up to ``count`` more batches; how many were submitted."""
            if feed is not None:
                self._schedule_fed(feed.take(), sentences, tokens, schedule)
            started = 0
            while started < count and (batch := schedule.next()) is not None:
                futures = self._submit([tokens[i] for i in batch], True, options)
                waiters.append(
                    threading.Thread(
                        target=_wait_for, args=(batch, futures, finished), name=WAITER_NAME
                    )
                )
                waiters[-1].start()
                started += 1
            return started

        # One batch per worker in flight: a stop waits only for the batches being decoded.
        in_flight = start(self.settings.inter_threads)
        try:
            while in_flight:
                batch, results = finished.get()
                if isinstance(results, BaseException):
                    raise results
                in_flight += start(1) - 1
                yield self._collect(sentences, batch, results, options)
                # The caller may have fed sentences while it had the batch: idle workers.
                in_flight += start(self.settings.inter_threads - in_flight)
        finally:
            for waiter in waiters:
                waiter.join()

    def _schedule_fed(
        self,
        added: list[str],
        sentences: list[str],
        tokens: list[list[str]],
        schedule: EqualLengthSchedule,
    ) -> None:
        """Tokenize and schedule sentences fed to a running stream (appended to both lists)."""
        if not added:
            return
        more: list[list[str]] = self._sp.encode(added, out_type=str)
        schedule.add(range(len(tokens), len(tokens) + len(more)), [len(t) for t in more])
        sentences.extend(added)
        tokens.extend(more)

    def _collect(
        self,
        sentences: list[str],
        batch: list[int],
        results: list[Any],
        options: DecodeOptions | None = None,
    ) -> tuple[list[str], list[str], list[float | None]]:
        """One decoded batch's sources, translations and confidences."""
        scored = [self._result(r, options) for r in results]
        return [sentences[i] for i in batch], [t for t, _ in scored], [c for _, c in scored]

    def _translate_padded(
        self, batch: list[list[str]], options: DecodeOptions | None = None
    ) -> list[tuple[str, float | None]]:
        """One ``translate_batch`` call; CTranslate2 sorts and splits it into token batches."""
        return [self._result(r, options) for r in self._submit(batch, False, options)]

    def _result(
        self, result: Any, options: DecodeOptions | None = None
    ) -> tuple[str, float | None]:
        """The best (or ``options.hypothesis``-th) hypothesis of a ``TranslationResult``,
        detokenized, and its confidence; ``("", None)`` when there are not that many."""
        index = options.hypothesis if options is not None else 0
        if index >= len(result.hypotheses):
            return "", None
        hypothesis = result.hypotheses[index]
        score = result.scores[index] if result.scores else None
        confidence = (
            None
            if score is None
            else confidence_from_score(score, len(hypothesis), self.settings.length_penalty)
        )
        return self._detokenize(hypothesis[self._skip :]), confidence

    def _submit(
        self,
        batch: list[list[str]],
        asynchronous: bool = False,
        options: DecodeOptions | None = None,
    ) -> Any:
        """``translate_batch`` with the settings' decoding options (``options`` override them)
        and the package's prefix."""
        s = self.settings
        extra: dict[str, Any] = {}
        beam_size = s.beam_size
        if options is not None:
            beam_size = options.beam_size or beam_size
            extra = {
                "no_repeat_ngram_size": options.no_repeat_ngram_size,
                "repetition_penalty": options.repetition_penalty,
                "num_hypotheses": min(beam_size, options.hypothesis + 1),
            }
        return self._model.translate_batch(
            batch,
            target_prefix=[self._prefix] * len(batch) if self._prefix else None,
            max_batch_size=s.max_batch_size,
            batch_type=s.batch_type,
            beam_size=beam_size,
            length_penalty=s.length_penalty,
            replace_unknowns=s.replace_unknowns,
            max_decoding_length=s.max_decoding_length,
            return_scores=True,
            asynchronous=asynchronous,
            **extra,
        )

    @property
    def _skip(self) -> int:
        """Output tokens to drop: the forced target prefix, if the package has one."""
        return len(self._prefix) if self._prefix else 0

    def _detokenize(self, pieces: list[str]) -> str:
        text = self._sp.decode_pieces(pieces).replace("▁", " ")
        return text[1:] if text.startswith(" ") else text  # as Argos does
