"""The needs-model line: what to install for a language pair, or why nothing can be.

One owner for the advice every "needs model" line gives (:meth:`toolkit.translation.packages.
ModelMissingError.for_pair`, so the build, ``translate``, ``status``, ``correct``): the
install command of the pair as Argos's package index names it
(:func:`toolkit.languages.argos_codes`: a text read as ``no`` needs ``nb en``), and for a
language the index has no package of no install advice at all, but the fixes there are: for
a text read as Latin, the file's language stated, or a package of one's own; for a target
(``nn``), another target language, or a package of one's own (restating the file's language
cannot help there).

No packages path in a line: it lands in provenance, which must not depend on the machine
(``toolkit models list`` shows where packages are looked for).
"""

from __future__ import annotations

OFFLINE = "`toolkit models install --file PATH.argosmodel`"


def needs_model_line(from_code: str, to_code: str, file_name: str | None = None) -> str:
    """``needs model de→en: install it with ...``; ``file_name`` (the original's base name)
    makes the advice for a language Argos has no package of name the file in the settings
    line to write.

    >>> print(needs_model_line("de", "en"))  # doctest: +ELLIPSIS
    needs model de→en: install it with `toolkit models install de en` (offline: ...)
    """
    from toolkit.config.languages import ARGOS_INDEX_DATE, ARGOS_PAIRS
    from toolkit.languages import argos_codes, language_name

    head = f"needs model {from_code}→{to_code}: "
    if not argos_codes(to_code):
        # Stating the file's language cannot help: the pair's target has no package
        also = "" if argos_codes(from_code) else f" (nor any {language_name(from_code)} model)"
        return (
            f"{head}no package of Argos Translate's index ({ARGOS_INDEX_DATE}) translates into "
            f"{language_name(to_code)}{also}; change the target language (BuildConfig."
            f"target_language; translate: --to CODE) or install a {from_code}→{to_code} "
            f"package of your own with {OFFLINE}"
        )
    if not argos_codes(from_code):
        from toolkit.corpus.settings import languages_entry

        where = languages_entry(file_name, "CODE") if file_name else "languages: {FILE: CODE}"
        return (
            f"{head}Argos Translate's package index ({ARGOS_INDEX_DATE}) has no "
            f"{language_name(from_code)} model; if the text is in another "
            f"language, state it in the corpus's settings.yaml ({where}; translate: --from "
            f"CODE); a {from_code}→{to_code} package of your own installs with {OFFLINE}"
        )
    source, target = argos_codes(from_code)[0], argos_codes(to_code)[0]
    if (source, target) not in ARGOS_PAIRS:
        return head + _no_index_pair(from_code, to_code, (source, target), file_name)
    return (
        f"{head}install it with `toolkit models install {source} {target}` "
        f"(offline: {OFFLINE}){_renamed(from_code, to_code, (source, target))}"
    )


def _renamed(from_code: str, to_code: str, pair: tuple[str, str]) -> str:
    """What an index pair named by other codes does for the pair asked (empty when the codes
    are the same): ``no→en`` is Argos's ``nb→en``, which translates a text read as ``no``;
    ``en→no`` is ``en→nb``, which translates ``en`` into ``no`` (Bokmål): "it translates en"
    alone said nothing of the renamed target.

    >>> _renamed("en", "no", ("en", "nb"))
    '; Argos names this pair en→nb: installed, it translates en into no'
    """
    if pair == (from_code, to_code):
        return ""
    into = f" into {to_code}" if pair[1] != to_code else ""
    return (
        f"; Argos names this pair {pair[0]}→{pair[1]}: installed, it translates {from_code}" + into
    )


def _index_shape() -> str:
    """What pairs the index holds, from :data:`~toolkit.config.languages.ARGOS_PAIRS` (its one
    owner): each language to and from English, and the pairs without English by name
    (Spanish and Portuguese both ways): "to and from English" alone was untrue of es↔pt."""
    from toolkit.config.languages import ARGOS_PAIRS
    from toolkit.languages import language_name

    others = sorted({tuple(sorted(pair)) for pair in ARGOS_PAIRS if "en" not in pair})
    between = "".join(f", and between {language_name(a)} and {language_name(b)}" for a, b in others)
    return f"its packages translate to and from English{between}"


def _no_index_pair(
    from_code: str, to_code: str, pair: tuple[str, str], file_name: str | None
) -> str:
    """The advice for two languages Argos has packages of but no package between (see
    :func:`_index_shape`): ``zh→zt`` (language id reads every Chinese
    text as ``zh``: a text already in ``zt`` is copied once stated so), ``de→nl``.

    >>> print(_no_index_pair("de", "nl", ("de", "nl"), None))  # doctest: +ELLIPSIS
    Argos Translate's package index (2025-06-21) has no de→nl package (its packages translate...
    """
    from toolkit.config.languages import ARGOS_INDEX_DATE
    from toolkit.corpus.settings import languages_entry
    from toolkit.languages import language_name, same_language

    line = (
        f"Argos Translate's package index ({ARGOS_INDEX_DATE}) has no {pair[0]}→{pair[1]} "
        f"package ({_index_shape()}); a {from_code}→{to_code} package of your own installs "
        f"with {OFFLINE}"
    )
    if not same_language(from_code, to_code):
        return line
    where = languages_entry(file_name, to_code) if file_name else f"languages: {{FILE: {to_code}}}"
    return (
        f"language id cannot tell {language_name(from_code)} from {language_name(to_code)}: "
        f"if the text is in {to_code} already, state it in the corpus's settings.yaml ({where}; "
        f"translate: --from {to_code}) and it is copied as it is; {line}"
    )
