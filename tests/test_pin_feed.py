"""Splice pieces fed into the running translation (issue 19, "close to the limit").

The glossary's splice pieces used to go to the model in a second call after all decoding;
now the build's translator (:class:`~toolkit.pipeline.recorder.OriginRecorder` over a
:class:`~toolkit.translation.cache.CachedTranslator`) takes them while its first call still
runs. These tests check, through the real tiny Argos package (random weights: it garbles
placeholders, so most sentences with a span get spliced), that the results, the model
inputs and the counts are those of the two calls, and that it is one stream.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.config.translation import TranslationSettings
from toolkit.glossary.model import Glossary, GlossaryEntry
from toolkit.glossary.pin import Pinned, pin_translate
from toolkit.pipeline.recorder import OriginRecorder
from toolkit.translation.cache import CachedTranslator, NullCache
from toolkit.translation.feed import Feed
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageInfo
from toolkit.translation.translator import Translator

SENTENCES = [
    "Mehr Bilder gibt es auf https://www.instagram.com/p/C1x_Yz9/ und bei @kimkardashian.",
    "Die Kollektion ist ab Freitag auf skims.com erhältlich.",
    "Hinweise bitte an redaktion@example-news.de oder an @promiflash_de.",
    "Kim Kardashian postete (siehe https://de.wikipedia.org/wiki/Kim_Kardashian) ein Video.",
    "Unter #Hochzeit und #Liebe teilte Kanye West ein Foto von www.kanyewest.com/news.",
    "Die Polizei ermittelt.",
    "Kanye West",  # only a term: never reaches the model
    "Das Wetter bleibt am Wochenende in ganz Deutschland freundlich und warm.",
    "Die Polizei ermittelt.",  # a repeat
    "Kanye West sagte am Montag in Berlin, er komme wieder.",
    "Der Zug nach Hamburg hatte am Morgen zwei Stunden Verspätung.",
]
GLOSSARY = Glossary.from_entries(
    [GlossaryEntry(term="Kanye West", kind="person"), GlossaryEntry(term="Kim", kind="person")]
)


@pytest.fixture(scope="module")
def de_en(tiny_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> PackageInfo:
    return install_from_file(tiny_package_file, tmp_path_factory.mktemp("packages"))


class CountingStreams:
    """A translator's ``translate_stream_scored``, counting the streams opened."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.streams = 0

    def translate_scored(self, *args: Any, **kwargs: Any) -> Any:  # marks it as scoring
        return self.inner.translate_scored(*args, **kwargs)

    def translate_stream_scored(
        self, sentences: list[str], feed: Feed | None = None
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        self.streams += 1
        yield from self.inner.translate_stream_scored(sentences, feed=feed)


class NoFeedStreams(CountingStreams):
    """One that takes no feed (like Ray's): its caller streams the pieces after it."""

    def translate_stream_scored(  # type: ignore[override]
        self, sentences: list[str]
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        self.streams += 1
        yield from self.inner.translate_stream_scored(sentences)


def _build_path(inner: Any) -> tuple[list[Pinned], OriginRecorder]:
    recorder = OriginRecorder(CachedTranslator(inner, NullCache(), "ns"), lambda d, e: None)
    return pin_translate(SENTENCES, "de", GLOSSARY, recorder), recorder


def _two_calls(de_en: PackageInfo) -> tuple[list[Pinned], OriginRecorder]:
    """What the build did before: ``translate`` called for the sentences, then the pieces."""
    recorder = OriginRecorder(
        CachedTranslator(Translator(de_en), NullCache(), "ns"), lambda d, e: None
    )
    return pin_translate(SENTENCES, "de", GLOSSARY, recorder.translate), recorder


def test_pieces_decode_in_the_first_stream_with_the_two_calls_results(
    de_en: PackageInfo,
) -> None:
    before, old = _two_calls(de_en)
    spliced = [p for p in before if p.pieces]
    assert len(spliced) >= 3  # the random model garbles placeholders: the test is not empty
    streams = CountingStreams(Translator(de_en))
    after, recorder = _build_path(streams)
    assert after == before  # English, hits, spans, lost, model inputs, pieces
    assert streams.streams == 1
    assert (recorder.decoded, recorder.cached, recorder.reused) == (
        old.decoded,
        old.cached,
        old.reused,
    )
    assert recorder.origins == old.origins
    assert recorder.scores == old.scores


def test_a_stream_that_takes_no_feed_gets_the_pieces_after_it(de_en: PackageInfo) -> None:
    before, _ = _two_calls(de_en)
    streams = NoFeedStreams(Translator(de_en))
    after, _ = _build_path(streams)
    assert after == before
    assert streams.streams == 2


def test_pieces_join_pending_batches_and_first_lengths_go_first(de_en: PackageInfo) -> None:
    translator = Translator(de_en, TranslationSettings(inter_threads=1))
    submitted: list[int] = []
    submit = translator._submit

    def recording(batch: list[list[str]], *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(batch))
        return submit(batch, *args, **kwargs)

    translator._submit = recording  # type: ignore[method-assign]
    middle, piece, short, long_ = _four(translator)
    feed = Feed(lambda sources, outputs: [piece] if long_ in sources else [], [long_])
    sentences = [short, middle, long_]
    feed.start(sentences)
    got: dict[str, str] = {}
    order: list[list[str]] = []
    for sources, outputs, _ in translator.translate_stream_scored(sentences, feed=feed):
        order.append(sources)
        got.update(zip(sources, outputs, strict=True))
        feed.finished(sources, outputs)
    assert order[0] == [long_]  # the length of a ``first`` sentence went first
    assert sorted(order[-1]) == sorted([middle, piece])  # the piece joined its length's batch
    assert submitted == [1, 1, 2]
    assert got[piece] == Translator(de_en).translate([piece])[0]  # as if alone


def _four(translator: Translator) -> tuple[str, str, str, str]:
    """Two distinct sentences of one token length, one shorter and one longer."""
    cities = ("Bonn", "Köln", "Ulm", "Kiel", "Jena", "Gera", "Trier", "Mainz", "Essen")
    pool = dict.fromkeys([*SENTENCES, *(f"Die Polizei ermittelt in {c}." for c in cities)])
    lengths = {text: len(translator._sp.encode(text, out_type=str)) for text in pool}
    for length in sorted(set(lengths.values())):
        same = [text for text, n in lengths.items() if n == length]
        shorter = [text for text, n in lengths.items() if n < length]
        longer = [text for text, n in lengths.items() if n > length]
        if len(same) >= 2 and shorter and longer:
            return same[0], same[1], shorter[0], longer[0]
    raise AssertionError(f"no two sentences of one length between others: {lengths}")


def test_a_recorder_over_a_translator_without_feed_calls_it_twice(de_en: PackageInfo) -> None:
    before, old = _two_calls(de_en)
    calls: list[int] = []
    translator = Translator(de_en)

    class Plain:
        def translate(self, batch: list[str], progress: Any = None) -> list[str]:
            calls.append(len(batch))
            return translator.translate(batch, progress)

    recorder = OriginRecorder(Plain(), lambda d, e: None)
    assert pin_translate(SENTENCES, "de", GLOSSARY, recorder) == before
    assert len(calls) == 2
    assert (recorder.decoded, recorder.reused) == (old.decoded, old.reused)
