"""Automatic repair of flagged machine segments (toolkit/translation/repair.py).

A scripted translator fails on chosen sentences in chosen ways -- loops, stops mid-sentence,
copies the source -- and translates correctly only under the decoding a strategy asks for,
so each test proves which strategy repaired what. The real tiny package checks determinism.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.config.build import BuildConfig
from toolkit.config.translation import DecodeOptions, RepairPolicy, TranslationSettings
from toolkit.corpus.formats import read_meta
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.schema import TranslationInfo
from toolkit.translation.cache import CachedTranslator, TranslationCache
from toolkit.translation.repair import split_clauses

LOOP = "Der Hund schläft im Garten."
LONG = "Die Sonne scheint heute; die Kinder spielen draußen im Park."
COPY = "Der Zug kam zu spät an."
HOPELESS = "Das Wetter bleibt unverändert."

# (input, decoding) -> (output, confidence). Decoding: "base", "no-repeat", "n-best:<rank>".
SCRIPT: dict[tuple[str, str], tuple[str, float]] = {
    (LOOP, "base"): ("The dog sleeps sleeps sleeps sleeps in the garden.", -1.0),
    (LOOP, "no-repeat"): ("The dog sleeps in the garden.", -0.5),
    (LONG, "base"): ("The sun is shining today and the children", -1.0),
    (LONG, "no-repeat"): ("The sun is shining today and the", -1.2),
    ("Die Sonne scheint heute", "base"): ("The sun is shining today.", -0.4),
    ("die Kinder spielen draußen im Park.", "base"): (
        "the children are playing outside in the park.",
        -0.6,
    ),
    (COPY, "n-best:1"): ("The train arrived late.", -0.9),
    (COPY, "n-best:2"): ("The train was late.", -0.3),
}


class ScriptedTranslator:
    """Follows SCRIPT; anything not in it comes back as a copy of the input (untranslated)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def translate(self, sentences: list[str], progress: Any = None) -> list[str]:
        return self.translate_scored(sentences, progress)[0]

    def translate_scored(
        self,
        sentences: list[str],
        progress: Any = None,
        options: DecodeOptions | None = None,
    ) -> tuple[list[str], list[float | None]]:
        if options is None:
            mode = "base"
        elif options.no_repeat_ngram_size:
            mode = "no-repeat"
        else:
            mode = f"n-best:{options.hypothesis}"
        if progress is not None:
            progress(len(sentences))
        out = []
        for s in sentences:
            self.calls.append((s, mode))
            out.append(SCRIPT.get((s, mode), (s, -2.0)))
        return [t for t, _ in out], [c for _, c in out]


class ScriptedProvider:
    """One scripted de->en translator, optionally behind the SQLite translation cache."""

    def __init__(self, cache: Path | None = None) -> None:
        self.inner = ScriptedTranslator()
        self.cache = TranslationCache(cache) if cache else None

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        return {"scripted": from_code}

    def translator(self, from_code: str, to_code: str) -> tuple[Any, TranslationInfo]:
        info = TranslationInfo(
            package="scripted",
            package_version="0",
            from_code=from_code,
            to_code=to_code,
            model_sha256="0" * 64,
            settings={},
        )
        if self.cache is None:
            return self.inner, info
        return CachedTranslator(self.inner, self.cache, "scripted"), info


def corpus(tmp_path: Path, name: str = "c") -> Path:
    root = tmp_path / name
    (root / "original").mkdir(parents=True)
    text = "\n\n".join([LOOP, LONG, COPY, HOPELESS]) + "\n"
    (root / "original" / "doc.txt").write_text(text, encoding="utf-8")
    return root


def config(**policy: Any) -> BuildConfig:
    return BuildConfig(translation=TranslationSettings(repair=RepairPolicy(**policy)))


def test_each_strategy_repairs_what_it_can_and_the_rest_is_kept(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    summary = build_corpus(root, provider=ScriptedProvider(), config=config())
    loop, long, copy, hopeless = read_meta(root / "english" / "doc.meta.json").segments

    assert loop.english == "The dog sleeps in the garden."
    assert loop.repair is not None and loop.repair.winner == "no-repeat"
    assert loop.repair.kinds == ["repetition"]
    assert loop.repair.first == "The dog sleeps sleeps sleeps sleeps in the garden."
    assert loop.confidence == -0.5 and loop.repair.first_confidence == -1.0
    assert "repetition" not in loop.flags
    info = [q for q in loop.qa if q.severity == "info"]
    assert [q.check for q in info] == ["repaired:no-repeat"]

    # no-repeat still truncated -> split at ";" and join with the source's separator.
    assert long.english == "The sun is shining today; the children are playing outside in the park."
    assert long.repair is not None and long.repair.winner == "split"
    assert [t.strategy for t in long.repair.tried] == ["no-repeat", "split"]
    assert long.confidence == -0.6  # the least sure clause
    assert not long.flags

    # A copy: no clause boundary, so n-best; two hypotheses pass, the more confident wins.
    assert copy.english == "The train was late."
    assert copy.repair is not None and copy.repair.winner == "n-best:3"
    assert [(t.strategy, t.passed) for t in copy.repair.tried] == [
        ("no-repeat", False),
        ("n-best:1", False),
        ("n-best:2", True),
        ("n-best:3", True),
        ("n-best:4", False),
    ]
    assert copy.confidence == -0.3
    assert [q.check for q in copy.qa if q.severity == "info"] == ["repaired:n-best"]

    # Nothing passes: the first output stays, flagged as before, every attempt recorded.
    assert hopeless.english == HOPELESS
    assert hopeless.repair is not None and hopeless.repair.winner is None
    assert "untranslated" in hopeless.flags
    assert not [q for q in hopeless.qa if q.severity == "info"]
    assert all(not t.passed for t in hopeless.repair.tried)

    assert summary.repairs == {"repetition": [1, 1], "truncated": [1, 1], "untranslated": [2, 1]}
    assert (
        "repairs: repetition 1/1 repaired, truncated 1/1 repaired, untranslated 1/2 repaired"
        in (summary.lines())
    )


def test_repair_off_keeps_every_first_output(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    summary = build_corpus(root, provider=ScriptedProvider(), config=config(enabled=False))
    segments = read_meta(root / "english" / "doc.meta.json").segments
    assert [s.repair for s in segments] == [None] * 4
    wanted = ["repetition", "truncated", "untranslated", "untranslated"]
    assert [kind in s.flags for kind, s in zip(wanted, segments, strict=True)] == [True] * 4
    assert summary.repairs == {}


def test_only_the_listed_strategies_run_in_their_order(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    provider = ScriptedProvider()
    build_corpus(root, provider=provider, config=config(strategies=("split",)))
    loop, long, copy, _ = read_meta(root / "english" / "doc.meta.json").segments
    assert loop.repair is not None and loop.repair.winner is None  # no boundary to split at
    assert long.repair is not None and long.repair.winner == "split"
    assert copy.repair is not None and copy.repair.tried == []
    assert not [mode for _, mode in provider.inner.calls if mode != "base"]


def test_repairs_are_deterministic_and_replayed_from_the_cache(tmp_path: Path) -> None:
    first = corpus(tmp_path, "a")
    build_corpus(first, provider=ScriptedProvider(tmp_path / "cache.sqlite"), config=config())
    second = corpus(tmp_path, "b")
    again = ScriptedProvider(tmp_path / "cache.sqlite")
    build_corpus(second, provider=again, config=config())
    assert again.inner.calls == []  # every first output and every attempt came from the cache

    def segments(root: Path) -> list[dict[str, Any]]:
        meta = json.loads((root / "english" / "doc.meta.json").read_text(encoding="utf-8"))
        return meta["segments"]

    assert segments(first) == segments(second)
    assert (first / "english" / "doc.aligned.tsv").read_bytes() == (
        second / "english" / "doc.aligned.tsv"
    ).read_bytes()


def test_the_policy_is_in_the_fingerprint(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    build_corpus(root, provider=ScriptedProvider(), config=config())
    assert build_corpus(root, provider=ScriptedProvider(), config=config()).up_to_date == ["doc"]
    changed = build_corpus(root, provider=ScriptedProvider(), config=config(n_best=3))
    assert changed.built == ["doc"]
    meta = read_meta(root / "english" / "doc.meta.json")
    assert meta.config is not None and meta.config["translation"]["repair"]["n_best"] == 3
    with pytest.raises(ValueError):
        RepairPolicy(strategies=("sampling",))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RepairPolicy(seed=1)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("sentence", "clauses", "separators"),
    [
        (LONG, ["Die Sonne scheint heute", "die Kinder spielen draußen im Park."], ["; "]),
        (
            "Sie kam spät, aber sie blieb lange – bis zum Morgen.",
            ["Sie kam spät", "aber sie blieb lange", "bis zum Morgen."],
            [", ", " – "],
        ),
        ("Er sagte: Wir kommen.", ["Er sagte", "Wir kommen."], [": "]),
        (
            "Mehr auf https://x.de/a: heute, und morgen.",
            ["Mehr auf https://x.de/a", "heute", "und morgen."],
            [": ", ", "],
        ),
        ("Sie kam, sah und siegte.", ["Sie kam, sah und siegte."], []),  # no boundary
    ],
)
def test_split_clauses(sentence: str, clauses: list[str], separators: list[str]) -> None:
    from toolkit.config.glossary import GlossaryConfig

    got = split_clauses(sentence, "de", Glossary.empty(), GlossaryConfig())
    assert got == (clauses, separators)
    joined = "".join(c + s for c, s in zip(got[0], [*got[1], ""], strict=True))
    assert joined == sentence


def test_repair_through_the_real_tiny_package_is_deterministic(
    tmp_path: Path, tiny_package_file: Path
) -> None:
    """Random weights leave most output flagged; two uncached builds repair identically, and a
    repaired segment's provenance names the strategy that won."""
    from conftest import SEED_DIR

    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    packages = tmp_path / "packages"
    install_from_file(tiny_package_file, packages)
    metas = []
    for name in ("one", "two"):
        root = tmp_path / name
        (root / "original").mkdir(parents=True)
        source = SEED_DIR / "000_de546ec99307b48e.txt"
        (root / "original" / source.name).write_bytes(source.read_bytes())
        summary = build_corpus(root, provider=ArgosProvider(packages_dir=packages))
        assert summary.built == [source.stem]
        metas.append(json.loads((root / "english" / f"{source.stem}.meta.json").read_text()))
        assert summary.repairs  # the tiny model's output is flagged, so repair ran
    assert metas[0]["segments"] == metas[1]["segments"]
    repaired = [s for s in metas[0]["segments"] if s["repair"]]
    assert repaired
    for seg in repaired:
        record = seg["repair"]
        assert record["tried"]
        won = [t for t in record["tried"] if t["strategy"] == record["winner"]]
        if record["winner"]:
            assert won[0]["passed"] and won[0]["english"] == seg["english"]
        else:
            assert seg["english"] == record["first"]


def test_sources_longer_than_the_limit_are_not_repaired(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    provider = ScriptedProvider()
    build_corpus(root, provider=provider, config=config(max_source_chars=len(LONG) - 1))
    segments = read_meta(root / "english" / "doc.meta.json").segments
    assert [s.repair is not None for s in segments] == [True, False, True, True]
    assert not [s for s, mode in provider.inner.calls if s == LONG and mode != "base"]


def test_build_no_repair_keeps_every_first_output_from_the_command_line(
    tmp_path: Path, tiny_package_file: Path
) -> None:
    """``toolkit build --no-repair`` turns repair off (the translation benchmark uses it); the
    same build without it repairs the tiny model's flagged output."""
    from click.testing import CliRunner
    from conftest import SEED_DIR

    from toolkit.cli.app import cli
    from toolkit.translation.install import install_from_file

    packages = tmp_path / "packages"
    install_from_file(tiny_package_file, packages)
    source = SEED_DIR / "000_de546ec99307b48e.txt"
    repaired = {}
    for flags in ([], ["--no-repair"]):
        root = tmp_path / ("off" if flags else "on")
        (root / "original").mkdir(parents=True)
        (root / "original" / source.name).write_bytes(source.read_bytes())
        args = ["build", str(root), "-q", "--no-cache", "--packages-dir", str(packages), *flags]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        meta = json.loads((root / "english" / f"{source.stem}.meta.json").read_text())
        repaired[bool(flags)] = [s for s in meta["segments"] if s["repair"]]
        assert meta["config"]["translation"]["repair"]["enabled"] is not bool(flags)
    assert repaired[False] and repaired[True] == []
