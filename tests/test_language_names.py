"""Every code language id can answer is shown by its name: the contradiction line said
"language given as zxx (zxx), but the text reads as pl (pl)" and "tr (tr)", since
``language_name`` knew the toolkit's six languages only (session 8's "Noticed and left
alone")."""

from __future__ import annotations

import pytest

from toolkit.config.languages import LANGUAGE_NAMES, NAMES
from toolkit.languages import identifiable, language_name


def test_every_code_language_id_answers_has_a_name() -> None:
    codes = identifiable() | {"zxx", "und"}
    unnamed = sorted(code for code in codes if code not in NAMES)
    assert unnamed == []
    for code in codes:
        assert language_name(code) == f"{NAMES[code]} ({code})" != f"{code} ({code})"


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("de", "German (de)"),
        ("tr", "Turkish (tr)"),
        ("pl", "Polish (pl)"),
        ("vo", "Volapük (vo)"),
        ("zxx", "no linguistic content (zxx)"),
        ("und", "undetermined (und)"),
        ("xx", "xx"),  # no code of anybody's: itself, once
    ],
)
def test_a_code_is_shown_by_its_name_never_as_itself_twice(code: str, shown: str) -> None:
    assert language_name(code) == shown


def test_the_tuned_languages_keep_their_names() -> None:
    assert LANGUAGE_NAMES == {
        "de": "German", "nl": "Dutch", "en": "English",
        "fr": "French", "es": "Spanish", "it": "Italian",
    }  # fmt: skip
