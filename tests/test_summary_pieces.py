"""The build summary counts sentences, not model inputs (issue 19).

A sentence whose placeholders the model garbles is translated again in pieces around its
names and links (:func:`toolkit.glossary.pin.pin_translate`); those pieces are model inputs
too. The summary's "sentences: N translated" used to count them with the sentences (a
20-article build of 412 sentences said "423 translated"); now it counts sentences, and the
pieces get their own words.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fakes import FakeProvider, FakeTranslator

from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.translate_files import TranslatedFiles
from toolkit.schema import TranslationInfo
from toolkit.translation.cache import CachedTranslator, TranslationCache

LINKED = "Mehr Bilder gibt es auf www.skims.com und in den Läden der Stadt."
PLAIN = "Die Regierung hat am Dienstag in Berlin einen Plan vorgestellt."


class DroppingTranslator(FakeTranslator):
    """Loses every placeholder, as a model may: the sentence holding one is spliced."""

    def translate(self, sentences: list[str], progress: Any = None) -> list[str]:
        return [re.sub(r"ZXQ\d+ ?", "", s) for s in super().translate(sentences, progress)]


class CachedProvider(FakeProvider):
    """The dropping translator with the real translation cache in front."""

    def __init__(self, cache: TranslationCache) -> None:
        super().__init__()
        self.inner = DroppingTranslator()
        self.cached = CachedTranslator(self.inner, cache, "fake")

    def translator(self, from_code: str, to_code: str) -> tuple[Any, TranslationInfo]:
        return self.cached, super().translator(from_code, to_code)[1]


def test_splice_pieces_are_counted_apart_from_sentences(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "a.txt").write_text(f"{LINKED} {PLAIN}\n", "utf-8")
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        provider = CachedProvider(cache)
        first = build_corpus(corpus, provider=provider)
        # The model got four inputs: the plain sentence, the linked one (placeholder lost)
        # and its two pieces; two of them are sentences.
        assert len(provider.inner.sent) == 4
        assert (first.sentences_translated, first.pieces_translated) == (2, 2)
        assert first.lines()[0].endswith(
            "sentences: 2 translated, 0 cached, 0 repeats reused; "
            "2 splice pieces translated, 0 cached"
        )
        # The same linked sentence in a new document: it and its pieces come from the cache.
        (corpus / "original" / "b.txt").write_text(f"{LINKED}\n", "utf-8")
        second = build_corpus(corpus, provider=provider)
        assert second.built == ["b"] and len(provider.inner.sent) == 4
        assert (second.sentences_cached, second.pieces_cached) == (1, 2)
        assert second.lines()[0].endswith(
            "sentences: 0 translated, 1 cached, 0 repeats reused; "
            "0 splice pieces translated, 2 cached"
        )


def test_no_pieces_no_pieces_note() -> None:
    """Without splicing the line reads as before, in the build's and in translate's words."""
    done = TranslatedFiles()
    done.summary.sentences_translated = 3
    assert (
        done.summary_line()
        == "0 files translated: 3 sentences translated, 0 cached, 0 repeats reused"
    )
    done.summary.pieces_translated = 1
    assert done.summary_line().endswith("0 repeats reused; 1 splice piece translated, 0 cached")
