"""Language id in numpy gives py3langid's answers exactly; the sentence screen loses nothing.

``toolkit.prepare.langid`` walks py3langid's byte automaton in numpy and screens a
document's sentences together before identifying any alone. These tests compare it with
py3langid itself (freshly loaded, one text per call) on real text: 10kGNAD articles and
the UD dev sentences in ``../shared/data`` (skipped where that data is missing), plus
random bytes for the walk.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

from toolkit.config.prepare import LanguageIdConfig
from toolkit.prepare import langid, langid_walk
from toolkit.prepare.document import prepare_document
from toolkit.prepare.langid import detect_language, name_sentence, sentence_languages
from toolkit.prepare.langid_words import switches, word_evidence
from toolkit.prepare.segment import split_paragraphs, split_sentences
from toolkit.schema import LanguageGuess

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
GNAD = DATA / "10kGNAD-test.csv"
UD = DATA / "ud-dev"


def _articles(count: int) -> list[str]:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    texts = []
    for line in GNAD.read_text(encoding="utf-8").split("\n"):
        _, sep, quoted = line.partition(";")
        if sep and quoted.strip("'"):
            texts.append(quoted.strip("'"))
    return texts[:count]


def _ud(name: str) -> list[str]:
    path = UD / name
    if not path.is_file():
        pytest.skip(f"reference data missing: {path}")
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


@lru_cache(maxsize=8)
def _fresh(languages: tuple[str, ...] | None) -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        ident.set_languages(list(languages))
    return ident


def _reference(
    sentences: list[str], document_language: str, config: LanguageIdConfig
) -> list[LanguageGuess | None]:
    """The rule applied one sentence at a time with py3langid itself and the pool
    (``name_sentence``: a vote, and the name a switching sentence gets), no screen."""
    languages = tuple(sorted(set(config.candidates) | {document_language}))
    ident = _fresh(languages)
    out: list[LanguageGuess | None] = []
    for sentence in sentences:
        guess = None
        if sentence.strip():
            lang, prob = ident.classify(sentence)
            found = LanguageGuess(language=lang, confidence=round(prob, 4))
            long = len(sentence) >= config.sentence_min_chars
            words = word_evidence(sentence, languages)
            named = name_sentence(sentence, config, document_language)
            threshold = config.sentence_min_confidence
            if switches(found, words, long, document_language, threshold, named):
                guess = named
        out.append(guess)
    return out


def test_the_numpy_walk_counts_what_py3langids_walk_counts_on_any_bytes() -> None:
    full = langid_walk.full_identifier()
    rng = np.random.default_rng(19)
    samples = [rng.integers(0, 256, size=n, dtype=np.uint8).tobytes() for n in (1, 5, 7, 300)]
    samples += [bytes(range(256)) * 3, "Grüße, naïve café – ½ € 😀".encode() * 4]
    for data in samples:
        feats = langid_walk.walk(np.frombuffer(data, dtype=np.uint8))
        expected = visit_counts(full.tk_nextmove, full._rowbase, full.tk_output, data)
        found = feats[feats >= 0]
        assert dict(zip(*np.unique(found, return_counts=True), strict=True)) == dict(
            expected or {}
        ), data[:20]


def test_texts_walked_together_count_what_each_walked_alone_counts() -> None:
    full = langid_walk.full_identifier()
    rng = np.random.default_rng(15)
    pieces = [rng.integers(0, 255, size=n, dtype=np.uint8).tobytes() for n in (3, 1, 9, 2, 40, 6)]
    pieces += [b"", "Er sagte: „Yes, we can.“".encode(), "é".encode(), b"", b"a"]
    feats = langid_walk.walk_each(pieces)
    assert len(feats) == sum(map(len, pieces))  # the joints are not in it
    owns = np.split(feats, np.cumsum([len(p) for p in pieces])[:-1])
    for piece, own in zip(pieces, owns, strict=True):
        expected = visit_counts(full.tk_nextmove, full._rowbase, full.tk_output, piece)
        found = own[own >= 0]
        assert dict(zip(*np.unique(found, return_counts=True), strict=True)) == dict(
            expected or {}
        ), piece


def test_a_text_holding_the_joining_byte_is_refused() -> None:
    with pytest.raises(ValueError, match="0xFF"):
        langid_walk.walk_each([b"ok", b"a\xffb"])
    assert langid_walk.walk_each([]).tolist() == []


def test_the_joining_byte_sends_every_state_of_the_model_back_to_the_start() -> None:
    table = langid_walk.automaton().nextmove.reshape(-1, 256)
    assert (table[:, langid_walk.RESET] == 0).all()
    assert langid_walk.automaton().output[0] == -1  # the start counts nothing


def test_a_model_whose_states_the_joining_byte_does_not_reset_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = langid_walk.full_identifier()
    nextmove = np.array(full.tk_nextmove)
    nextmove[256 * 7 + langid_walk.RESET] = 1  # one state that 0xFF does not send back

    class Changed:
        tk_nextmove, tk_row, tk_output = nextmove, full.tk_row, full.tk_output

    monkeypatch.setattr(langid_walk, "full_identifier", lambda: Changed)
    langid_walk.automaton.cache_clear()
    try:
        with pytest.raises(langid_walk.UnsupportedLanguageModel, match="0xFF"):
            langid_walk.automaton()
        # The command line says so in one line (it was a traceback).
        from click.testing import CliRunner

        from toolkit.cli.app import cli

        text = "Der Bundeskanzler sprach am Montag in Wien über die Lage der Wirtschaft. " * 9
        result = CliRunner().invoke(cli, ["detect", "-"], input=text.encode("utf-8"))
        assert result.exit_code == 1 and result.stdout == "", result.output
        (line,) = result.stderr.splitlines()
        assert line.startswith("toolkit: error: py3langid ") and "0xFF" in line, line
    finally:
        monkeypatch.undo()
        langid_walk.automaton.cache_clear()


def test_detect_language_equals_py3langid_on_real_articles_and_sentences() -> None:
    texts = _articles(30) + _ud("en_ewt.dev.sentences.txt")[:100]
    texts += [*_ud("nl_alpino.dev.sentences.txt")[:60], "", "12", "12345", "DAS IST LAUT."]
    for languages in (None, ("de", "en"), ("de", "en", "es", "fr", "it", "nl")):
        ident = _fresh(languages)
        for text in texts:
            if not text.strip():
                continue
            lang, prob = ident.classify(text)
            assert detect_language(text, languages) == LanguageGuess(
                language=lang, confidence=round(prob, 4)
            ), (languages, text[:60])


def test_unknown_candidates_are_a_value_error_as_before() -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        detect_language("Hallo Welt, wie geht es dir?", ("de", "xx"))


def test_sentence_languages_equal_identifying_each_sentence_alone() -> None:
    config = LanguageIdConfig()
    documents = [
        [s for p in split_paragraphs(text) for s in split_sentences(p, "de")]
        for text in _articles(50)
    ]
    documents.append(_ud("en_ewt.dev.sentences.txt")[:300])  # an English "quote" per line
    documents.append(_ud("de_gsd.dev.sentences.txt")[:200])
    documents.append(_ud("nl_alpino.dev.sentences.txt")[:200])
    for document_language in ("de", "en", "nl"):
        for sentences in documents:
            assert sentence_languages(sentences, document_language, config) == _reference(
                sentences, document_language, config
            ), document_language


def test_a_german_article_keeps_its_english_quote_sentences() -> None:
    """10kGNAD article 296 quotes two English tweets inside German text."""
    text = _articles(297)[296]
    record = prepare_document(text.encode("utf-8"), "original/greek-referendum.txt")
    flagged = {s.source: s.language for s in record.segments if s.language}
    assert record.language.language == "de"
    assert [g.language for g in flagged.values()] == ["en", "en"]
    assert "Many are asking: what happens after the #referendum?" in flagged
    assert all(s.flags == [f"language:{s.language.language}"] for s in record.segments
               if s.language)  # fmt: skip


def test_the_screen_leaves_few_sentences_to_identify_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scoring every sentence alone is what made preparation slow; the screen must spare
    nearly all of them on German news (and still find the English ones, above)."""
    calls: list[bytes] = []
    real = langid._text_probabilities  # a sentence identified alone (and named from it)

    def counting(encoded: bytes, cols: langid._Columns) -> np.ndarray:
        calls.append(encoded)
        return real(encoded, cols)

    monkeypatch.setattr(langid, "_text_probabilities", counting)
    config = LanguageIdConfig()
    sentences = [
        s
        for text in _articles(60)
        for p in split_paragraphs(text)
        for s in split_sentences(p, "de")
    ]
    sentence_languages(sentences, "de", config)
    long = sum(len(s) >= config.sentence_min_chars for s in sentences)
    assert long > 500
    assert len(calls) < long / 20


def _first_occurrence_reference(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What ``_score`` computed before: np.unique with first indices, then a stable argsort."""
    feats = feats[feats >= 0]
    found, first, counts = np.unique(feats, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return found[order], counts[order]


def test_features_by_first_occurrence_equal_uniques_stable_order() -> None:
    rng = np.random.default_rng(7)
    cases = [rng.integers(-1, high, size=n) for n in (1, 2, 9, 500, 3000) for high in (3, 100053)]
    cases += [np.array([5, -1, 5, 2, -1, 2, 7, 5]), np.array([-1, 0, 0])]
    for text in _articles(20):
        cases.append(langid_walk.walk(np.frombuffer(langid._encode(text), dtype=np.uint8)))
    for feats in cases:
        found, counts = langid._by_first_occurrence(feats.astype(np.intp))
        expected_found, expected_counts = _first_occurrence_reference(feats)
        assert found.tolist() == expected_found.tolist()
        assert counts.tolist() == expected_counts.tolist()


def _walked_alone(encoded: list[bytes]) -> np.ndarray:
    """Each text walked on its own (one walk a text), concatenated."""
    walks = [langid_walk.walk(np.frombuffer(e, dtype=np.uint8)) for e in encoded]
    return np.concatenate([*walks, np.zeros(0, dtype=np.intp)])


def test_sentence_features_taken_from_the_document_walk_equal_walking_them() -> None:
    """Sentences found in the document's bytes take its features (heads walked again);
    a sentence that is not there as is (an all-capitals one is lower-cased) is walked alone."""
    documents = [[s for p in split_paragraphs(t) for s in split_sentences(p, "de")]
                 for t in _articles(40)]  # fmt: skip
    documents += [["Ja.", "Ja.", "Nein, so nicht.", "é", "Ja."], ["a"], ["Grüße 😀 aus Köln."]]
    documents.append(["Er sagte es.", "DAS IST LAUT.", "Dann ging er."])
    walked_again = 0
    for sentences in documents:
        scan = langid.scan_document("\n\n".join(sentences))
        encoded = [langid._encode(s) for s in sentences]
        walked_again += int((langid._find_in_order(encoded, scan.encoded) < 0).sum())
        assert langid._features(encoded, scan).tolist() == _walked_alone(encoded).tolist()
    assert walked_again == 1  # only the sentence in capitals


@pytest.mark.parametrize(
    ("sentences", "alone"),
    [
        (["Er sagte es.", "(APA, 12.9.2015)", "Dann ging er.", "Ja."], b"(apa, 12.9.2015)"),
        # "ok." is found in a later sentence: those in between are still found where they are
        (["Er kam.", "OK.", "Sie ging.", "Dann lachte er.", "Das Buch ist ok."], b"ok."),
    ],
)
def test_a_sentence_not_in_the_document_is_walked_alone(
    sentences: list[str], alone: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One all-capitals sentence (lower-cased for py3langid, so not in the document's bytes)
    # made every sentence of the document walk again; now only it is walked whole, the others
    # only their first depth - 1 bytes (which read bytes before them in the document).
    scan = langid.scan_document("\n\n".join(sentences))
    encoded = [langid._encode(s) for s in sentences]
    walked = _count_walks(monkeypatch)
    assert langid._features(encoded, scan).tolist() == _walked_alone(encoded).tolist()
    head = langid_walk.automaton().depth - 1
    pieces = [e if e == alone else e[:head] for e in encoded]
    assert walked == [list(dict.fromkeys(pieces))]  # each piece once
    # Heads (depth - 1 bytes at most) are remembered: a second document walks none of them.
    assert langid._features(encoded, scan).tolist() == _walked_alone(encoded).tolist()
    assert walked[1:] == ([[alone]] if len(alone) > head else [])


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[list[bytes]]:
    """The texts of each ``walk_each`` call from now on, the walk's memory of heads empty."""
    walk_each, walked = langid_walk.walk_each, []

    def counting(texts: list[bytes]) -> np.ndarray:
        walked.append(texts)
        return walk_each(texts)

    monkeypatch.setattr(langid_walk, "walk_each", counting)
    monkeypatch.setattr(langid_walk, "_memo", {})
    return walked


def _walked_short(pieces: list[bytes]) -> list[int]:
    """:func:`langid_walk.walk_short_parts` of ``pieces`` (short: 5 bytes), concatenated."""
    return [int(f) for part in langid_walk.walk_short_parts(pieces, 5) for f in part]


def test_short_texts_walked_from_memory_count_what_walking_them_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(7)
    pieces = [rng.integers(0, 255, size=n, dtype=np.uint8).tobytes() for n in (5, 1, 9, 5, 0)]
    pieces += [b"Die ", "Grü".encode(), b"Die ", "😀".encode(), b"In de", b"Die "]
    walked = _count_walks(monkeypatch)
    for _ in range(3):  # the first call remembers, the later ones read the memory
        assert _walked_short(pieces) == _walked_alone(pieces).tolist()
    assert _walked_short([]) == []
    assert walked[0] == list(dict.fromkeys(pieces)) and walked[1:] == [[pieces[2]]] * 2
    kept = langid_walk._memo.values()  # copies: no view keeps a whole earlier walk alive
    assert all(k.base is None and not k.flags.writeable for k in kept)
    monkeypatch.setattr(langid_walk, "MEMO_LIMIT", len(langid_walk._memo))
    assert _walked_short([b"neu"]) == _walked_alone([b"neu"]).tolist()
    assert b"neu" not in langid_walk._memo  # full: walked, not remembered


def test_scan_document_and_its_sentences_answer_as_identifying_each_alone() -> None:
    config = LanguageIdConfig()
    texts = [*_articles(30), "", "DAS IST LAUT.", "\n".join(_ud("en_ewt.dev.sentences.txt")[:40])]
    for text in texts:
        scan = langid.scan_document(text)
        assert scan.guess == detect_language(text)
        sentences = [s for p in split_paragraphs(text) for s in split_sentences(p, "de")]
        for language in ("de", "en"):
            assert sentence_languages(sentences, language, config, scan) == _reference(
                sentences, language, config
            )


def test_short_texts_walked_in_parts_are_each_texts_walk_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``walk_short_parts``: one array per text (the sentence screen concatenates them with
    slices of the document's walk), remembered ones shared and read-only."""
    pieces = [b"Die ", b"", b"Die ", "Grü".encode(), b"a longer piece, walked each time"]
    _count_walks(monkeypatch)
    for _ in range(2):
        parts = langid_walk.walk_short_parts(pieces, 5)
        assert [p.tolist() for p in parts] == [_walked_alone([p]).tolist() for p in pieces]
    assert parts[0] is parts[2] and not parts[0].flags.writeable
    assert langid_walk.walk_short_parts([], 5) == []
