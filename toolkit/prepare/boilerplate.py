"""Remove paragraphs that are not article text, and say exactly what was removed.

Scraped news carries picture credits, "Related post" footers, a headline
printed twice and a metadata line. None of it should be translated, but none
of it may vanish silently either: every removal becomes a
:class:`~toolkit.schema.BoilerplateHit` (rule name + removed text) in the
document's provenance.

The rules live in :data:`RULES`, one line each. To add one, append a
:class:`Rule`; ``where`` says which paragraphs it may look at.

Example:
    >>> kept, hits, meta = strip_boilerplate(["date 2022-02-09 Interview", "Text.", "Related post"])
    >>> kept, [h.rule for h in hits], meta
    (['Text.'], ['metadata-line', 'related-post'], {'date': '2022-02-09', 'section': 'Interview'})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import regex

from toolkit.schema import BoilerplateHit

Where = Literal["first", "last", "any"]

# Agencies and platforms whose name opens a picture credit or caption.
_CREDIT_SOURCES = (
    r"Getty Images|Instagram|Shutterstock|Courtesy of|Imago|IMAGO|imago images|dpa|AFP|Reuters|"
    r"AP Photo|Picture Alliance|picture alliance|Backgrid|BACKGRID|Splash News|WireImage"
)
# Labels that open a credit only when a colon follows ("Foto: dpa"); "Bild" alone is a newspaper.
_CREDIT_LABELS = r"Foto|Fotos|Photo|Photos|Bild|Credit|Bron|Quelle"
_LABELLED = regex.compile(rf"^(?:{_CREDIT_LABELS})\s*:")
# After the source: the end, a separator ("Reuters/Kai Pfaffenbach", "Instagram / handle") or
# a space -- but not a hyphen or letter ("dpa-Analyse: ...", "Reuters' Bericht") nor a colon
# ("AFP: Arbeiter ... aufgetaucht" is a headline quoting its agency).
_SOURCED = regex.compile(rf"^(?:{_CREDIT_SOURCES})(?=$|\s*[/,;|·(]|\s+[^\s:])")
# A lower-case word straight after the source makes it a sentence ("Reuters zitierte den
# Minister ..."); a caption goes on with a name ("Getty Images Kim Kardashian ..."). These
# lower-case words belong to credits ("AFP via Getty Images", "Getty Images for Netflix").
_PROSE_AFTER_SOURCE = regex.compile(rf"^(?:{_CREDIT_SOURCES})\s+(?!(?:via|for)\b)\p{{Ll}}")
# A news agency or platform name followed by a capitalised word opens a headline as often as
# a caption ("AFP Journalist in Syrien getötet", "Instagram Launches Shopping Feature"): for
# these a credit goes on only with a separator, the end, "via"/"for" or a photo word that
# ends the credit or meets a separator ("AFP PHOTO / JOE KLAMAR", "dpa Bildfunk", not "AFP
# Foto-Journalist ..." or "Reuters Photo Editor Wins ..."); photo agencies ("Getty Images Kim
# Kardashian ...") keep the rule above.
_NEWS_SOURCE_HEADLINE = regex.compile(
    r"^(?:dpa|AFP|Reuters|Instagram)\s+"
    r"(?!(?:via|for)\b|(?:PHOTO|Photo|FOTO|Foto|Fotos|Bild|Bilder|Bildfunk|Pool|POOL)"
    r"\s*(?:$|[/,;|·(]))"
    r"\p{Lu}"
)
# An agency's sign-off as a paragraph of its own: "(APA, 3.2.2016)", "(APA/dpa)", "(Reuters)".
_AGENCY = r"APA|dpa|AFP|Reuters|AP|sda|SDA|KNA|epd|ANP|Belga|red"
_AGENCY_TAG = regex.compile(
    rf"^\((?:{_AGENCY})(?:\s*[/,]\s*(?:{_AGENCY}))*(?:,\s*\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}})?\)$"
)
_METADATA = regex.compile(
    r"^(?:date|datum|published|gepubliceerd|veröffentlicht)\s*:?\s+"
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?(?:\s+(?P<section>\S.{0,60}))?$",
    regex.IGNORECASE,
)
_RELATED = regex.compile(
    r"^(?:related posts?|related articles?|read more|more on this|mehr zum thema|"
    r"das könnte sie auch interessieren|lees ook|lees meer|gerelateerd)\s*:?$",
    regex.IGNORECASE,
)
# A sentence ends with terminal punctuation, optionally followed by closing quotes/brackets;
# a line ending in a colon introduces what follows ("... mit den Worten:").
_ENDS_LIKE_PROSE = regex.compile(r"(?:[.!?…][\"'”’“»«)\]]*|:)$")


def _is_credit(paragraph: str) -> bool:
    """A picture credit or caption ("Foto: APA/dpa", "Getty Images Kim Kardashian in ...",
    "Reuters"); an agency's sign-off ("(APA, 3.2.2016)") is the rule before it.

    Captions are short and do not end like a sentence; a paragraph that merely starts with
    an agency's name is article text: "Instagram hat ... angekündigt.", the lead-in "Reuters
    zitierte den Minister mit den Worten:", the subhead "dpa-Analyse: Warum die Reform
    scheitern könnte", the headline "AFP Journalist in Syrien getötet" (measured on real
    text: BENCHMARKS.md "Boilerplate").
    """
    if len(paragraph) > 300 or _ENDS_LIKE_PROSE.search(paragraph):
        return False
    if _LABELLED.match(paragraph):
        return True
    return (
        _SOURCED.match(paragraph) is not None
        and not _PROSE_AFTER_SOURCE.match(paragraph)
        and not _NEWS_SOURCE_HEADLINE.match(paragraph)
    )


@dataclass(frozen=True)
class Rule:
    name: str
    where: Where
    matches: Callable[[str, list[str], int], bool]
    """``matches(paragraph, all_paragraphs, index)``: True if the paragraph is boilerplate."""
    description: str


RULES: tuple[Rule, ...] = (
    Rule(
        "metadata-line",
        "first",
        lambda p, _ps, _i: _METADATA.match(p) is not None,
        'A leading line like " date 2022-02-09 Interview"; parsed into provenance fields.',
    ),
    Rule(
        "repeated-headline",
        "any",
        lambda p, ps, i: 0 < i <= 2 and p == ps[i - 1] and len(p) <= 300,
        "The headline printed twice at the top: the second copy is removed.",
    ),
    Rule(
        "agency-sign-off",
        "any",
        lambda p, _ps, _i: _AGENCY_TAG.match(p) is not None,
        'An agency\'s sign-off as a paragraph of its own ("(APA, 3.2.2016)", "(Reuters, APA, '
        'red)"): removed as before, named for what it is (it was labelled photo-credit).',
    ),
    Rule(
        "photo-credit",
        "any",
        lambda p, _ps, _i: _is_credit(p),
        'Picture credits and captions ("Getty Images ...", "Foto: APA/dpa", "Courtesy of ...").',
    ),
    Rule(
        "related-post",
        "last",
        lambda p, _ps, _i: _RELATED.match(p) is not None,
        'A trailing "Related post" / "Lees ook" footer.',
    ),
)


def _applies(rule: Rule, index: int, count: int) -> bool:
    if rule.where == "first":
        return index == 0
    if rule.where == "last":
        return index == count - 1
    return True


def parse_metadata(paragraph: str) -> dict[str, str]:
    """Fields of a metadata line (``date``, optional ``section``), or ``{}``."""
    m = _METADATA.match(paragraph)
    if not m:
        return {}
    return {k: v.strip() for k, v in m.groupdict().items() if v}


def strip_boilerplate(
    paragraphs: list[str], rules: tuple[Rule, ...] = RULES
) -> tuple[list[str], list[BoilerplateHit], dict[str, str]]:
    """Split paragraphs into article text and boilerplate.

    Returns the kept paragraphs, one hit per removed paragraph (1-based index
    into ``paragraphs``), and metadata parsed from a leading metadata line.
    Trailing footers are removed repeatedly ("Related post" after a credit).
    """
    removed: dict[int, str] = {}
    metadata: dict[str, str] = {}
    count = len(paragraphs)
    for i, para in enumerate(paragraphs):
        for rule in rules:
            if (
                rule.where != "last"
                and _applies(rule, i, count)
                and rule.matches(para, paragraphs, i)
            ):
                removed[i] = rule.name
                if rule.name == "metadata-line":
                    metadata = parse_metadata(para)
                break
    # Footers: walk back from the end while the last remaining paragraph is one.
    last = count - 1
    while last >= 0:
        if last in removed:
            last -= 1
            continue
        rule = next(
            (
                r
                for r in rules
                if r.where == "last" and r.matches(paragraphs[last], paragraphs, last)
            ),
            None,
        )
        if rule is None:
            break
        removed[last] = rule.name
        last -= 1
    kept = [p for i, p in enumerate(paragraphs) if i not in removed]
    hits = [
        BoilerplateHit(rule=name, text=paragraphs[i], paragraph=i + 1)
        for i, name in sorted(removed.items())
    ]
    return kept, hits, metadata
