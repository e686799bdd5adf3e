"""The validator of every configuration field that holds a language code.

One rule with the command line (:func:`toolkit.languages.language_code`): ``DE``,
``de-DE``, ``de_DE`` are ``de``; a name (``english``) or a code nobody knows (``xx``) is a
one-line ``ValueError`` with the advice ``--from`` gives. Without it
``BuildConfig(target_language="EN")`` was accepted and every document then needed a model
``de→EN``, and ``SegmentConfig(extra_abbreviations={"DE": ...})`` was accepted and ignored.
The import of :mod:`toolkit.languages` is deferred: it runs only when a configuration is
built, and the known codes (``en``, ``de``, ...) never load the language-id model.
"""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.config.languages import LANGUAGE_NAMES


def language_field(code: str, field: str) -> str:
    """``code`` as its base ISO 639 code; ``ValueError`` (one line naming ``field``) if it is
    no language."""
    if code in LANGUAGE_NAMES:  # already the rule's answer; reading a config imports no more
        return code
    from toolkit.languages import UnknownLanguage, language_code

    try:
        return language_code(code, field)
    except UnknownLanguage as exc:
        raise ValueError(str(exc)) from None


def language_fields(codes: Iterable[str], field: str) -> tuple[str, ...]:
    """Each of ``codes`` by :func:`language_field`, duplicates after normalising dropped."""
    return tuple(dict.fromkeys(language_field(code, field) for code in codes))


def stated_language(code: str, field: str) -> str:
    """A language the user states for a file (``languages:`` in settings.yaml): a language by
    :func:`language_field`, or ``zxx`` ("no language": a table of figures, kept as its own
    English). ``und`` ("undetermined") states nothing, so it is refused here, one line
    naming ``field``, rather than failing the whole build later."""
    checked = language_field(code, field)
    if checked == "und":
        raise ValueError(
            f"{field}: 'und' (undetermined) states no language; give the file's language, "
            "or zxx for a text with no language (kept as its own English)"
        )
    return checked
