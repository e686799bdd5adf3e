"""Per-segment confidence: asked from CTranslate2, recorded, cached, exported, checked."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from toolkit.config.build import BuildConfig
from toolkit.corpus.formats import parse_aligned_tsv, read_meta
from toolkit.export.units import ExportOptions
from toolkit.export.writer import export_corpus
from toolkit.pipeline.build import build_corpus
from toolkit.translation.cache import CachedTranslator, TranslationCache
from toolkit.translation.install import install_from_file
from toolkit.translation.translator import Translator

GERMAN = (
    "Kim Kardashian hat in einem neuen Interview überraschend offen gesprochen.\n\n"
    "Die Unternehmerin zeigte sich stolz auf ihre Tochter. Der Hund schläft im Garten.\n"
)


def _build(root: Path, packages: Path, *, cache: bool) -> list:
    from toolkit.translation.provider import ArgosProvider

    provider = ArgosProvider(packages_dir=packages, cache_dir=root / ".cache" if cache else None)
    try:
        summary = build_corpus(root, provider=provider)
    finally:
        provider.close()
    assert summary.built == ["doc"], summary.lines()
    return read_meta(root / "english" / "doc.meta.json").segments


@pytest.fixture(scope="module")
def packages(tiny_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("packages")
    install_from_file(tiny_package_file, directory)
    return directory


def test_confidence_is_the_mean_token_log_probability(packages: Path) -> None:
    """CTranslate2's beam score, turned into a confidence, equals the per-token mean of the
    log-probabilities ``score_batch`` gives the same hypothesis (end token included)."""
    from toolkit.translation.installed import find_package
    from toolkit.translation.translator import confidence_from_score

    translator = Translator(find_package("de", "en", packages))
    sentences = ["Der Hund schläft im Garten.", "Kim hat gesprochen.", ""]
    texts, scores = translator.translate_scored(sentences)
    assert scores[2] is None and texts[2] == ""
    assert all(score is not None and score < 0 for score in scores[:2])
    tokens = translator._sp.encode(sentences[:2], out_type=str)
    for penalty in (0.0, 0.2, 1.0):
        results = translator._model.translate_batch(
            tokens, beam_size=4, length_penalty=penalty, return_scores=True
        )
        hypotheses = [r.hypotheses[0] for r in results]
        for result, rescored in zip(
            results, translator._model.score_batch(tokens, hypotheses), strict=True
        ):
            mean = sum(rescored.log_probs) / len(rescored.log_probs)
            got = confidence_from_score(result.scores[0], len(result.hypotheses[0]), penalty)
            assert got == pytest.approx(mean, abs=1e-3)


def test_confidence_recorded_identical_with_and_without_cache(
    tmp_path: Path, packages: Path
) -> None:
    def corpus(name: str) -> Path:
        root = tmp_path / name
        (root / "original").mkdir(parents=True)
        (root / "original" / "doc.txt").write_text(GERMAN, encoding="utf-8")
        return root

    fresh = _build(corpus("cached"), packages, cache=True)
    assert all(s.origin == "machine" for s in fresh)
    assert all(s.confidence is not None and s.confidence < 0 for s in fresh)
    # Rebuilt from the warm cache: every translation from the cache, the same confidences.
    root = tmp_path / "cached"
    shutil.rmtree(root / "english")
    (root / "manifest.jsonl").unlink()
    warm = _build(root, packages, cache=True)
    meta = read_meta(root / "english" / "doc.meta.json")
    assert meta.run.fresh == [] and len(meta.run.cached) == len(warm)
    assert [s.confidence for s in warm] == [s.confidence for s in fresh]
    # And without any cache.
    uncached = _build(corpus("nocache"), packages, cache=False)
    assert [s.confidence for s in uncached] == [s.confidence for s in fresh]
    # The aligned file, JSONL and TMX carry it.
    rows = parse_aligned_tsv((root / "english" / "doc.aligned.tsv").read_text(encoding="utf-8"))
    assert [r.confidence for r in rows] == [s.confidence for s in fresh]
    export_corpus(root, "jsonl", tmp_path / "out.jsonl", ExportOptions(include_flagged=True))
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["confidence"] for line in lines] == [s.confidence for s in fresh]
    export_corpus(root, "tmx", tmp_path / "out.tmx", ExportOptions(include_flagged=True))
    tmx = (tmp_path / "out.tmx").read_text(encoding="utf-8")
    for seg in fresh:
        assert f'<prop type="x-confidence">{seg.confidence:.4f}</prop>' in tmx


class ScoringFake:
    """Upper-cases; confidence -len/100; counts what it was sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def translate(self, sentences: list[str], progress: object = None) -> list[str]:
        return self.translate_scored(sentences)[0]

    def translate_scored(
        self, sentences: list[str], progress: object = None
    ) -> tuple[list[str], list[float | None]]:
        self.sent.extend(sentences)
        return [s.upper() for s in sentences], [-len(s) / 100 for s in sentences]


def test_version_1_cache_is_migrated_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "translations.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE translations (key BLOB PRIMARY KEY, namespace TEXT NOT NULL,"
        " source TEXT NOT NULL, target TEXT NOT NULL) WITHOUT ROWID"
    )
    from toolkit.translation.cache import cache_key

    db.execute(
        "INSERT INTO translations VALUES (?, ?, ?, ?)",
        (cache_key("ns", "Hallo."), "ns", "Hallo.", "Hello."),
    )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()

    with TranslationCache(path) as cache:
        assert len(cache) == 1
        assert cache.get_many("ns", ["Hallo."]) == {"Hallo.": "Hello."}  # the old row is kept
        assert cache.get_scored("ns", ["Hallo."]) == {"Hallo.": ("Hello.", None)}
        # A scoring translator re-translates the unscored row (its confidence must not depend
        # on the cache) and stores the score; the next call is a hit with the same score.
        inner = ScoringFake()
        cached = CachedTranslator(inner, cache, "ns")
        texts, origins, scores = cached.translate_detailed(["Hallo.", "Tschüss."])
        assert inner.sent == ["Hallo.", "Tschüss."]
        assert texts == ["HALLO.", "TSCHÜSS."] and scores == [-0.06, -0.08]
        assert origins == ["machine", "machine"]
        again = cached.translate_detailed(["Hallo.", "Tschüss."])
        assert inner.sent == ["Hallo.", "Tschüss."]
        assert again == (texts, ["cache", "cache"], scores)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2


def test_newer_cache_schema_is_refused(tmp_path: Path) -> None:
    from toolkit.translation.cache import CacheError

    path = tmp_path / "translations.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=3")
    db.commit()
    db.close()
    with pytest.raises(CacheError, match="schema version 3"):
        TranslationCache(path)


def test_low_confidence_check_is_off_by_default_and_flags_below_the_threshold(
    tmp_path: Path,
) -> None:
    from fakes import FakeProvider

    from toolkit.config.qa import QaConfig
    from toolkit.qa.checks import check_pair

    assert check_pair("Hallo Welt.", "Hello world.", "de", "en", confidence=-9.0) == []
    (flag,) = check_pair(
        "Hallo Welt.",
        "Hello world.",
        "de",
        "en",
        QaConfig(low_confidence_threshold=-1.0),
        confidence=-1.5,
    )
    assert (flag.check, flag.severity) == ("low-confidence", "warning")
    assert "-1.50 is below -1.00" in flag.message

    provider = FakeProvider()
    provider.translator_ = ScoringFake()  # type: ignore[assignment]
    short, long = "Er kam.", "Die Unternehmerin zeigte sich sehr stolz auf ihre Tochter North."
    root = tmp_path / "c"
    (root / "original").mkdir(parents=True)
    (root / "original" / "doc.txt").write_text(f"{short}\n\n{long}\n", encoding="utf-8")
    config = BuildConfig(qa=QaConfig(low_confidence_threshold=-0.3))
    assert build_corpus(root, provider=provider, config=config).exit_code == 0
    segs = read_meta(root / "english" / "doc.meta.json").segments
    assert [s.confidence for s in segs] == [-len(short) / 100, -len(long) / 100]
    assert ["low-confidence" in s.flags for s in segs] == [False, True]


def test_review_orders_least_sure_first_in_terminal_and_html(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from fakes import FakeProvider

    from toolkit.cli.app import cli as main

    provider = FakeProvider()
    provider.translator_ = ScoringFake()  # type: ignore[assignment]
    root = tmp_path / "c"
    (root / "original").mkdir(parents=True)
    sentences = ["Er kam heute.", "Die Unternehmerin war sehr stolz.", "Sie ging."]
    (root / "original" / "doc.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    assert build_corpus(root, provider=provider).exit_code == 0
    runner = CliRunner()
    plain = runner.invoke(main, ["review", "doc", "--corpus", str(root), "--width", "160"])
    ordered = runner.invoke(
        main, ["review", "doc", "--corpus", str(root), "--width", "160", "--sort", "confidence"]
    )
    assert plain.exit_code == 0 and ordered.exit_code == 0, ordered.output

    def order(text: str) -> list[str]:
        return [s for line in text.splitlines() for s in sentences if s in line]

    assert order(plain.output) == sentences
    # -ScoringFake gives longer sentences lower confidence: longest first.
    assert order(ordered.output) == [sentences[1], sentences[0], sentences[2]]
    assert "confidence -0.3300" in ordered.output and "confidence" not in plain.output

    page = tmp_path / "r.html"
    result = runner.invoke(
        main, ["review", "--corpus", str(root), "--html", str(page), "--sort", "confidence"]
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    positions = [html.index(f'data-segment="p1.s{i}"') for i in (2, 1, 3)]
    assert positions == sorted(positions)
    assert 'data-confidence="-0.3300"' in html


def test_calibrate_confidence_proposes_a_threshold_from_corrections(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from fakes import FakeProvider

    from toolkit.cli.app import cli

    provider = FakeProvider()
    provider.translator_ = ScoringFake()  # type: ignore[assignment]
    root = tmp_path / "c"
    (root / "original").mkdir(parents=True)
    # Confidence is -len/100 with ScoringFake: the long sentences are the unsure ones.
    short = [f"Er kam am {d}. Tag." for d in range(1, 9)]
    long = [
        f"Die Unternehmerin zeigte sich am {d}. Tag sehr stolz auf ihre Tochter." for d in (1, 2)
    ]
    (root / "original" / "doc.txt").write_text("\n\n".join(short + long) + "\n", encoding="utf-8")
    runner = CliRunner()
    assert build_corpus(root, provider=provider).exit_code == 0
    refused = runner.invoke(cli, ["qa", "--calibrate-confidence", "--corpus", str(root)])
    assert refused.exit_code == 1
    assert "no human correction of a scored machine translation" in refused.output
    # A reviewer corrected exactly the two long (least sure) sentences.
    (root / "corrections").mkdir()
    rows = ["source_sha256\tsource\tenglish\tauthor\ttime"]
    rows += [f"\t{s}\tThe entrepreneur was proud.\tanna\t2026-01-01T00:00:00Z" for s in long]
    (root / "corrections" / "doc.corrections.tsv").write_text(
        "\n".join(rows) + "\n", encoding="utf-8"
    )
    assert build_corpus(root, provider=provider).exit_code == 0
    segments = read_meta(root / "english" / "doc.meta.json").segments
    assert [s.origin for s in segments].count("human") == 2
    assert all(s.confidence is not None for s in segments)  # kept on the corrections
    result = runner.invoke(cli, ["qa", "--calibrate-confidence", "--corpus", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "threshold\tcorrected below\tall below"
    proposed = float(lines[-1].split(": ")[1].split()[0])
    # The proposal flags both corrected segments and none of the others.
    assert max(-len(s) / 100 for s in long) < proposed <= min(-len(s) / 100 for s in short)
    assert "(2 corrected of 10 scored segments)" in lines[-1]
