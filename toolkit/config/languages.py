"""The languages a news corpus of this toolkit plausibly mixes: the default candidates of
sentence-level language id and of QA's wrong-language check.

:mod:`toolkit.languages` (codes, names, normalisation) builds on this; the configuration
reads it from here so that it never imports language identification.
"""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, str] = {
    "de": "German",
    "nl": "Dutch",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
}
"""The languages the toolkit is tuned for, by ISO 639-1 code."""

CANDIDATES: tuple[str, ...] = tuple(LANGUAGE_NAMES)
"""Default candidates of sentence-level language id and of QA's wrong-language check."""
