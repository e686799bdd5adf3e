"""The toolkit used as a library: what a caller passes is read once, normalised or refused
with one line (README "Library"); nothing is lost and nothing is silently misread."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeTranslator

from toolkit.glossary.model import Glossary, GlossaryEntry
from toolkit.glossary.pin import pin_translate
from toolkit.translation.cache import CachedTranslator, NullCache
from toolkit.translation.install import install_from_file
from toolkit.translation.translator import Translator

SENTENCES = ["Kim traf Kanye West.", "Er blieb."]


def _glossary() -> Glossary:
    return Glossary.from_entries(
        [GlossaryEntry.model_validate({"term": "Kanye West", "kind": "person"})]
    )


def _entry_points(tiny: Path, tmp_path: Path) -> dict[str, object]:
    """Every translate entry point, as ``callable(sentences) -> list of English``."""
    translator = Translator(install_from_file(tiny, tmp_path / "packages"))
    cached = CachedTranslator(FakeTranslator(), NullCache(), "ns")
    return {
        "Translator.translate": translator.translate,
        "Translator.translate_scored": lambda s: translator.translate_scored(s)[0],
        "CachedTranslator.translate": cached.translate,
        "CachedTranslator.translate_with_origins": lambda s: cached.translate_with_origins(s)[0],
        "pin_translate": lambda s: [
            p.english for p in pin_translate(s, "de", _glossary(), cached.translate)
        ],
    }


def test_every_translate_entry_point_reads_any_iterable_once(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A generator gave [] (Translator, CachedTranslator) or a TypeError (pin_translate)."""
    for name, translate in _entry_points(tiny_package_file, tmp_path).items():
        expected = translate(list(SENTENCES))  # type: ignore[operator]
        assert len(expected) == 2, name
        assert translate(s for s in SENTENCES) == expected, name  # type: ignore[operator]
        assert translate(tuple(SENTENCES)) == expected, name  # type: ignore[operator]


@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        ("Kim traf Kanye West.", TypeError, "list of sentences, not a str"),
        (b"Hallo", TypeError, "list of sentences, not a bytes"),
        (5, TypeError, "list of sentences, not int"),
        ([None], TypeError, "sentence 0 must be a str, not NoneType"),
        (["ok", b"Hallo"], TypeError, "sentence 1 must be a str, not bytes; decode it first"),
        (["Hallo \ud800 Welt."], ValueError, "lone surrogate '\\\\ud800' at character 6"),
    ],
)
def test_every_translate_entry_point_refuses_what_is_not_sentences_in_one_line(
    tiny_package_file: Path, tmp_path: Path, bad: object, error: type, words: str
) -> None:
    """A str was translated character by character by pin_translate (20 results); bytes,
    None and a lone surrogate were tracebacks from SentencePiece or SQLite."""
    for name, translate in _entry_points(tiny_package_file, tmp_path).items():
        with pytest.raises(error, match=words) as caught:
            translate(bad)  # type: ignore[operator]
        assert "\n" not in str(caught.value), name
