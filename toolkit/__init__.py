"""Offline translation and normalization toolkit for multilingual news corpora.

The four entry points most users need::

    from toolkit import clean, detect_language, segment, build_corpus

Each stage also lives in its own module (``toolkit.clean``, ``toolkit.segment``, ...)
with an explicit configuration object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The facade functions below share their names with the submodules toolkit.clean and
# toolkit.segment. Importing a submodule sets it as an attribute of this package, which
# would shadow the function; importing both first, then defining the functions, makes
# ``from toolkit import clean, segment`` always give the functions (``from toolkit.clean
# import ...`` still reaches the module through sys.modules).
import toolkit.clean as _clean_module
import toolkit.segment as _segment_module

if TYPE_CHECKING:
    from toolkit.build import BuildSummary
    from toolkit.clean import CleanConfig, Cleaned
    from toolkit.schema import LanguageGuess


def clean(text: str, config: CleanConfig | None = None) -> Cleaned:
    """Repair and normalize text (ftfy + the normalization table); see :mod:`toolkit.clean`.

    >>> clean("Caf\\u00c3\\u00a9  au lait").text
    'Café au lait'
    """
    return _clean_module.clean_text(text, config)


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 language of ``text`` and confidence; see :mod:`toolkit.langid`.

    >>> detect_language("Vriendelijk blijven, zei ze.").language
    'nl'
    """
    from toolkit.langid import detect_language as _detect

    return _detect(text)


def segment(text: str, lang: str) -> list[list[str]]:
    """Paragraphs of sentences; see :mod:`toolkit.segment`.

    >>> segment("Dr. Meier kam am 9. Februar. Er blieb.", "de")
    [['Dr. Meier kam am 9. Februar.', 'Er blieb.']]
    """
    return _segment_module.segment(text, lang)


def build_corpus(root: Any = "corpus", **kwargs: Any) -> BuildSummary:
    """Build ``root/english`` from ``root/original``; see :func:`toolkit.build.build_corpus`.

    Without a ``provider`` the installed Argos packages are used, with the
    translation cache in ``root/.cache``.
    """
    from pathlib import Path

    from toolkit.build import build_corpus as _build

    if "provider" not in kwargs:
        from toolkit.engine import ArgosProvider

        kwargs["provider"] = ArgosProvider(cache_dir=Path(root) / ".cache")
    return _build(root, **kwargs)


__all__ = ["__version__", "build_corpus", "clean", "detect_language", "segment"]
