"""Function words as evidence for a sentence's language (``toolkit.prepare.langid_words``).

The sentences are real (UD treebanks, ``tests/data/langid_sentences.tsv``); the UD dev
sets in ``../shared/data`` check that no sentence of a document's own language is flagged
(skipped where that data is missing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config.prepare import LanguageIdConfig
from toolkit.prepare.document import prepare_document
from toolkit.prepare.langid import detect_language, sentence_languages
from toolkit.prepare.langid_words import (
    FUNCTION_WORDS,
    marker_counts,
    markers,
    switches,
    word_evidence,
)

ROOT = Path(__file__).resolve().parents[1]
ROWS = [
    tuple(line.split("\t"))
    for line in (ROOT / "tests" / "data" / "langid_sentences.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
DATA = ROOT / ".." / "shared" / "data"
UD = DATA / "ud-dev"
CONFIG = LanguageIdConfig()


@pytest.mark.parametrize(("language", "document", "expected", "sentence"), ROWS)
def test_real_sentences_get_the_expected_label(
    language: str, document: str, expected: str, sentence: str
) -> None:
    (found,) = sentence_languages([sentence], document, CONFIG)
    assert (found.language if found else "-") == expected, (language, sentence)


@pytest.mark.parametrize("row", [r for r in ROWS if r[2] != "-"], ids=lambda r: r[3][:30])
def test_these_switches_are_found_only_with_the_function_words(row: tuple[str, ...]) -> None:
    """Without the words (py3langid's confidence and the 40-character floor alone) none of
    the flagged fixture sentences would be flagged: they are short or py3langid unsure."""
    _, document, expected, sentence = row
    languages = tuple(sorted(set(CONFIG.candidates) | {document}))
    guess = detect_language(sentence, languages)
    long = len(sentence) >= CONFIG.sentence_min_chars
    threshold = CONFIG.sentence_min_confidence
    assert guess.language == expected
    assert not switches(guess, None, long, document, threshold)
    assert switches(guess, word_evidence(sentence, languages), long, document, threshold)


def test_words_of_several_candidates_are_no_markers() -> None:
    table = markers(("de", "en", "es", "fr", "it", "nl"))
    for shared in ("in", "die", "was", "is", "de", "we", "also", "an"):
        assert shared not in table
    assert table["the"] == "en" and table["und"] == "de" and table["het"] == "nl"
    # Which words mark a language depends on the candidates: "de" (also French, Spanish,
    # Italian) marks Dutch only when none of those is a candidate.
    assert "de" in FUNCTION_WORDS["fr"]
    assert markers(("de", "en", "nl"))["de"] == "nl"
    # A language without a list could own any word: no word marks another language then.
    assert markers(("de", "en", "es", "pt")) == {}


def test_words_are_no_evidence_in_a_document_of_a_language_without_a_list() -> None:
    """The Spanish function words "para" and "os" are Portuguese ones too: among the
    candidates they mark Spanish, in a Portuguese document nothing."""
    sentence = "Tenho uma casa para os pobres."
    candidates = tuple(sorted(CONFIG.candidates))
    assert word_evidence(sentence, candidates) == ("es", 2)
    assert word_evidence(sentence, (*candidates, "pt")) is None


def test_evidence_is_unanimous_or_nothing() -> None:
    languages = ("de", "en", "es", "fr", "it", "nl")
    assert word_evidence("We don't have to believe him.", languages) == ("en", 3)
    assert word_evidence("Ibrahim Savant, 26, London E17", languages) is None
    # "Ont" (French 'have') in a Canadian address next to an English "the": mixed, nothing.
    assert word_evidence("the Mississauga, Ont.", languages) is None
    # Single letters are initials as often as words: "E." is no Italian 'and'.
    assert marker_counts("Hilary E. Ackermann E-Mail", languages) == {}


def test_no_dev_sentence_is_flagged_in_a_document_of_its_own_language() -> None:
    """The UD dev sentences (five words or more) as documents of their own language: only
    the one French sentence of English-EWT is flagged, as French."""
    flagged = {}
    for language, name in (("de", "de_gsd"), ("nl", "nl_alpino"), ("en", "en_ewt")):
        path = UD / f"{name}.dev.sentences.txt"
        if not path.is_file():
            pytest.skip(f"reference data missing: {path}")
        lines = path.read_text("utf-8").splitlines()
        sentences = [s.strip() for s in lines if len(s.split()) >= 5]
        for sentence, guess in zip(
            sentences, sentence_languages(sentences, language, CONFIG), strict=True
        ):
            if guess:
                flagged[sentence] = guess.language
    assert flagged == {"A la guerre c'est comme a la guerre!": "fr"}


def test_a_german_article_flags_its_short_english_tweet_sentences() -> None:
    """10kGNAD article 903 quotes English tweets in German text; "Who let you in here
    anyvay??" is under 40 characters, so only its function words can flag it."""
    gnad = DATA / "10kGNAD-test.csv"
    if not gnad.is_file():
        pytest.skip(f"reference data missing: {gnad}")
    lines = gnad.read_text("utf-8").split("\n")
    parts = (line.partition(";") for line in lines)
    texts = [q.strip("'") for _, sep, q in parts if sep and q.strip("'")]
    record = prepare_document(texts[903].encode(), "original/g7-memes.txt")
    flagged = [(s.source, s.language.language) for s in record.segments if s.language]
    assert record.language.language == "de"
    assert ("Who let you in here anyvay??", "en") in flagged
    assert ("Its bad enough you listen to my phonecalls!", "en") in flagged
    assert all(language == "en" for _, language in flagged)
    assert not any(s.startswith(("Die ", "Denn ", "Angela ")) for s, _ in flagged)
