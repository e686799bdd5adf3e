"""Closed-class words as a second opinion on a sentence's language.

py3langid scores byte n-grams, so a sentence without much text of its own (a list of
names, an e-mail header, a product with a number) goes to whichever language its few
n-grams happen to favour. Function words -- articles, pronouns, auxiliaries,
prepositions, conjunctions -- are the opposite kind of evidence: a handful of very
frequent words that every sentence of a language uses and that are written the same in
names, numbers and all-caps text as nowhere else.

The lists below are grammar-book lists, written from the languages' closed word classes,
not learned from any corpus (in particular not from the UD sentences the benchmark
scores). A word that is a function word of several candidate languages ("in", "was",
"die", "de") is evidence for none of them: only *marker* words, function words of
exactly one candidate, are counted.

:func:`word_evidence` reports the words only when they are unanimous (markers of one
language, none of any other); :func:`switches` is the rule that weighs them against
py3langid's reading of the sentence and the pool's (used by
:func:`toolkit.prepare.langid.sentence_languages`), with no tuned parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from toolkit.schema import LanguageGuess

_LISTS: dict[str, str] = {
    "en": """
        the a an and or but nor of to in on at for with from by about into onto over under
        after before between through during without against upon than as if because while
        although though whether is are was were be been being am have has had having do does
        did done will would shall should can could may might must not no i you he she it we
        they me him her us them my your his its our their mine yours hers ours theirs this
        that these those which who whom whose what where when why how there here some any
        each every all both either neither such only also very just so then
        """,
    "de": """
        der die das des dem den ein eine einer eines einem einen kein keine keiner keines
        keinem keinen und oder aber sondern denn doch nicht ist sind war waren bin bist
        seid wird werden wurde wurden worden hat haben hatte hatten habe hast sein gewesen
        kann können konnte muss müssen musste soll sollen sollte will wollen wollte darf
        ich du er sie es wir ihr mich mir dich dir uns euch sich ihm ihn ihnen mein meine
        dein deine sein seine ihre unser unsere mit von zu zum zur bei beim nach aus auf
        für über unter vor durch gegen ohne um im am ins vom seit bis dass daß auch noch
        nur schon sehr wie als wenn weil ob damit dieser diese dieses diesem diesen jener
        was man nichts etwas hier dort an also so da wo wer dann zwischen neben hinter
        während wegen
        """,
    "nl": """
        de het een en of maar want noch niet geen is zijn was waren ben bent wordt worden
        werd werden geworden heeft hebben had hadden heb hebt kan kunnen kon konden moet
        moeten moest zal zullen zou zouden wil willen wilde mag mogen ik jij je hij zij ze
        wij we jullie mij me hem haar ons onze hun zich mijn jouw uw van in op met voor
        aan bij naar uit door over tot om onder tegen zonder sinds tussen dat die dit
        deze ook nog al wel als dan wanneer omdat hoe wat wie waar er hier daar heel zeer
        iets niets zo toen waarom
        """,
    "fr": """
        le la les un une des du de et ou mais donc ni ne pas est sont était étaient été
        être avoir ont avait avaient suis es sommes êtes je tu il elle nous vous ils elles
        on me te se lui leur leurs ce cet cette ces qui que quoi dont où dans sur pour par
        avec sans sous chez entre vers a au aux en y plus très aussi mon ma mes ton ta tes
        son sa ses notre nos votre vos
        """,
    "es": """
        el la los las un una unos unas y o pero ni no es son era eran fue fueron ser estar
        está están estaba ha han había hay yo tú él ella nosotros vosotros ellos ellas me
        te se le les lo nos os mi tu su sus nuestro nuestra a de del en con por para sin
        sobre entre hacia hasta desde que como cuando donde muy también este esta estos
        estas ese esa al
        """,
    "it": """
        il lo la i gli le un uno una e o ma né non è sono era erano stato stata essere
        ha hanno aveva avevano ho hai abbiamo avete io tu lui lei noi voi loro mi ti si ci
        vi a di del dello della dei degli delle nel nello nella nei negli nelle in con per
        su da dal dalla dai che come anche molto questo questa questi queste quello quella
        più al allo alla ai agli alle
        """,
}

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _LISTS.items()
}
"""Function words of each candidate language, lower case."""

_WORD = re.compile(r"[^\W\d_]{2,}")
"""A run of two or more letters: digits, underscores and punctuation split words
("c'est" -> est); single letters are left out, as they are initials ("Hilary E. Ackermann",
"P 6,363,217") as often as words."""


@lru_cache(maxsize=8)
def markers(languages: tuple[str, ...]) -> dict[str, str]:
    """Word -> the one language among ``languages`` whose function word it is.

    Words shared by two or more of ``languages`` are left out: they say nothing about
    which of them a sentence is in. If one of ``languages`` has no list (a Portuguese
    document among the candidates), there are no markers at all: any word might be one of
    its function words ("para", "os" are Spanish and Portuguese).
    """
    if any(lang not in FUNCTION_WORDS for lang in languages):
        return {}
    owners: dict[str, set[str]] = {}
    for lang in languages:
        for word in FUNCTION_WORDS.get(lang, ()):
            owners.setdefault(word, set()).add(lang)
    return {word: next(iter(langs)) for word, langs in owners.items() if len(langs) == 1}


def marker_counts(text: str, languages: Iterable[str]) -> dict[str, int]:
    """How many words of ``text`` are markers of each language (languages with none left out)."""
    table = markers(tuple(sorted(set(languages))))
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        lang = table.get(word)
        if lang is not None:
            counts[lang] = counts.get(lang, 0) + 1
    return counts


def word_evidence(text: str, languages: Iterable[str]) -> tuple[str, int] | None:
    """(language, how many of its marker words) when every marker word of ``text`` is one
    language's, else None (no marker word, or markers of two languages: mixed text, or a
    name that happens to be a function word elsewhere, on which the words say nothing)."""
    counts = marker_counts(text, languages)
    if len(counts) == 1:
        return next(iter(counts.items()))
    return None


def votes(
    guess: LanguageGuess,
    words: tuple[str, int] | None,
    long: bool,
    document_language: str,
    threshold: float,
) -> int:
    """The votes py3langid's reading ``guess`` and the marker words give for leaving the
    document's language (see :func:`switches`); 0 when ``guess`` is the document's."""
    if guess.language == document_language:
        return 0
    count = (2 if long else 1) if guess.confidence >= threshold else 0
    if words is not None and words[0] == guess.language:
        count += words[1]
    return count


def switches(
    guess: LanguageGuess,
    words: tuple[str, int] | None,
    long: bool,
    document_language: str,
    threshold: float,
    pooled: LanguageGuess | None = None,
) -> bool:
    """Whether a sentence py3langid reads as ``guess`` leaves its document's language.

    Evidence is counted in votes, and two are needed: py3langid at ``threshold``
    confidence on a ``long`` sentence (``LanguageIdConfig.sentence_min_chars``) is two
    votes by itself -- the rule before function words, unchanged; on a shorter sentence
    one. Each marker word of the guessed language (``words``, from
    :func:`~toolkit.prepare.langid_words.word_evidence`: markers of that language only)
    is one more. So "Who let you in here anyvay??" in a German article (py3langid: English,
    0.99; markers "who", "you", "here") switches, and a list of names, which has no
    function word, switches only on a long, confident py3langid reading, as before.
    ``pooled``, the language the pool names the sentence
    (:func:`toolkit.prepare.langid.name_sentence`), is one more vote when it agrees with
    py3langid at ``threshold`` ("Je suis en route." in a German article: py3langid French
    at 0.949, the pool 0.974); when it names the document's language the sentence stays.
    The constants are not tuned: one vote per piece of evidence, two needed.
    """
    if pooled is not None and pooled.language == document_language:
        return False
    count = votes(guess, words, long, document_language, threshold)
    if pooled is not None and pooled.language == guess.language:
        count += pooled.confidence >= threshold
    return count >= 2
