"""Self-repairing translation: flags before/after repair, extra time, protected spans, no new flags.

Run from the project root (reads ``../shared/data``; about a minute)::

    .venv/bin/python benchmarks/repair.py            # add --sentences N to change the sample

Four measurements, printed as Markdown tables for BENCHMARKS.md:

1. **Tiny real package.** The first N German sentences of UD German-GSD (real news and web
   text), each a paragraph, built through a tiny real Argos package (random weights:
   ``tests/support/``, the one the tests use) with repair off and on, no cache. Per flag
   kind: segments flagged without repair, segments still flagged with it, and the build time.
2. **Faulty translator.** The 300 PUD pairs, "translated" by a fake that returns the human
   English except on chosen inputs, where it loops (every 4th sentence), copies the source
   (every 4th + 1) or stops mid-sentence (every 4th + 2) -- and translates correctly only under
   the decoding a strategy asks for (loop: no-repeat; copy and cut: n-best rank 2). Shows each
   kind repaired by its strategy, and what remains.
3. **Protected spans.** Real German sentences with URLs, e-mail addresses, @handles, #hashtags
   and credit handles put in, through the tiny package and through a fake that mangles
   symbols (``#x`` -> ``# x``, ``@`` -> ``at``, lower-cases): spans surviving byte for byte,
   with protection on and off.
4. **No new flags.** The 300 clean PUD pairs and the shipped corpus, with the checks this
   work added (``protected``; ``low-confidence`` is off by default): pairs newly flagged.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.config.build import BuildConfig
from toolkit.config.glossary import GlossaryConfig, SpanConfig
from toolkit.config.qa import PAIR_CHECKS, QaConfig
from toolkit.config.translation import (
    REPAIR_KINDS,
    DecodeOptions,
    RepairPolicy,
    TranslationSettings,
)
from toolkit.corpus.formats import read_meta
from toolkit.glossary.model import Glossary
from toolkit.glossary.pin import pin_translate
from toolkit.glossary.spans import find_spans, missing_spans
from toolkit.pipeline.build import build_corpus
from toolkit.qa.checks import check_pair
from toolkit.qa.pairs import read_bilingual
from toolkit.schema import TranslationInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test support: tiny real Argos packages
DATA = ROOT / ".." / "shared" / "data"
PUD = DATA / "pud-dev" / "de_en.dev.tsv"
GSD = DATA / "ud-dev" / "de_gsd.dev.sentences.txt"

SPANS = [
    "https://www.instagram.com/p/C1x_Yz9/",
    "www.derstandard.at/story/2000123456",
    "skims.com",
    "https://de.wikipedia.org/wiki/Kim_Kardashian",
    "redaktion@example-news.de",
    "leserbriefe@derstandard.at",
    "@kimkardashian",
    "@promiflash_de",
    "@KanyeWest",
    "#MetGala2024",
    "#Hochzeit",
    "#WienWahl",
    "Instagram / kimkardashian",
    "Twitter / @derStandardat",
]
TEMPLATES = [
    "{s} Mehr dazu unter {span}.",
    "{s} ({span})",
    "Wie {span} berichtet: {s}",
    "{s} Hinweise an {span} bitte.",
]


def tiny_packages(work: Path) -> Path:
    """Build and install the tiny de->en package the tests use; return the packages dir."""
    from support.argos_package import build_argos_package

    from toolkit.translation.install import install_from_file

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus/original").glob("*"))]
    package = build_argos_package(work / "de_en.argosmodel", "de", "en", texts)
    install_from_file(package, work / "packages")
    return work / "packages"


def flag_counts(root: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for meta in sorted((root / "english").glob("*.meta.json")):
        for seg in read_meta(meta).segments:
            counts.update(seg.flags)
    return counts


def build_once(
    root: Path, text: str, provider: Any, policy: RepairPolicy
) -> tuple[Counter[str], float, dict[str, list[int]]]:
    (root / "original").mkdir(parents=True)
    (root / "original" / "doc.txt").write_text(text, encoding="utf-8")
    config = BuildConfig(translation=TranslationSettings(repair=policy))
    started = time.perf_counter()
    summary = build_corpus(root, provider=provider, config=config)
    elapsed = time.perf_counter() - started
    if hasattr(provider, "close"):
        provider.close()
    return flag_counts(root), elapsed, summary.repairs


def repair_table(
    title: str,
    before: Counter[str],
    after: Counter[str],
    times: tuple[float, float],
    repairs: dict[str, list[int]],
    segments: int,
) -> None:
    print(f"\n### {title} ({segments} segments)\n")
    print("| flag | flagged, repair off | flagged, repair on | re-decoded / repaired |")
    print("|---|---:|---:|---:|")
    for kind in REPAIR_KINDS:
        tried, fixed = repairs.get(kind, [0, 0])
        print(f"| {kind} | {before[kind]} | {after[kind]} | {tried} / {fixed} |")
    print(
        f"\nbuild time: {times[0]:.2f} s without repair, {times[1]:.2f} s with "
        f"(+{times[1] - times[0]:.2f} s, {times[1] / times[0]:.2f}x)"
    )


class FaultyTranslator:
    """Human English from ``table``; scripted faults on chosen inputs (see module docstring)."""

    def __init__(self, table: dict[str, str], faults: dict[str, str]) -> None:
        self.table = table
        self.faults = faults

    def translate(self, sentences: list[str], progress: Any = None) -> list[str]:
        return self.translate_scored(sentences, progress)[0]

    def translate_scored(
        self, sentences: list[str], progress: Any = None, options: DecodeOptions | None = None
    ) -> tuple[list[str], list[float | None]]:
        if progress is not None:
            progress(len(sentences))
        out: list[str] = []
        for s in sentences:
            good = self.table.get(s, s)
            fault = self.faults.get(s)
            fixed = options is not None and (
                (fault == "loop" and options.no_repeat_ngram_size > 0)
                or (fault in ("copy", "cut") and options.hypothesis == 1)
            )
            if fault is None or fixed:
                out.append(good)
            elif fault == "loop":
                words = good.split()
                out.append(" ".join(words[:3] + words[2:3] * 4 + words[3:]))
            elif fault == "copy":
                out.append(s)
            else:
                out.append(good[: max(1, int(len(good) * 0.6))].rstrip(" .,;:"))
        return out, [-1.0] * len(out)


class FakeProvider:
    def __init__(self, translator: Any) -> None:
        self.translator_ = translator

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        return {"fake": from_code}

    def translator(self, from_code: str, to_code: str) -> tuple[Any, TranslationInfo]:
        return self.translator_, TranslationInfo(
            package="fake",
            package_version="0",
            from_code=from_code,
            to_code=to_code,
            model_sha256="0" * 64,
            settings={},
        )


def mangle(batch: list[str]) -> list[str]:
    """What models do to symbols: '#x' -> '# x', '@' -> 'at ', '/' spaced, lower-cased."""
    return [
        " ".join(
            w
            if "ZXQ" in w
            else w.lower()
            .replace("#", "# ")
            .replace("@", "at ")
            .replace("/", " / ")
            .replace(".", " . ")
            for w in s.split(" ")
        )
        for s in batch
    ]


def span_sentences(sentences: list[str]) -> list[str]:
    """Real sentences with spans put in: every span in every template, in turn."""
    out = []
    for i, span in enumerate(SPANS * len(TEMPLATES)):
        template = TEMPLATES[i // len(SPANS)]
        out.append(template.format(s=sentences[i % len(sentences)], span=span))
    return out


def span_survival(
    sentences: list[str], translate: Callable[[list[str]], list[str]], config: GlossaryConfig
) -> tuple[int, int]:
    pinned = pin_translate(sentences, "de", Glossary.empty(), translate, config)
    total = kept = 0
    for sentence, result in zip(sentences, pinned, strict=True):
        spans = find_spans(sentence, SpanConfig())
        total += len(spans)
        kept += len(spans) - len(missing_spans(sentence, result.english, SpanConfig()))
    return kept, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200, help="UD German-GSD sentences")
    args = parser.parse_args()
    from toolkit.translation.provider import ArgosProvider

    gsd = [line.strip() for line in GSD.read_text(encoding="utf-8").splitlines() if line.strip()]
    pud = read_bilingual(PUD, "de", "en")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        packages = tiny_packages(work)

        # 1. tiny real package
        text = "\n\n".join(gsd[: args.sentences]) + "\n"
        results = {}
        for name, policy in (("off", RepairPolicy(enabled=False)), ("on", RepairPolicy())):
            provider = ArgosProvider(packages_dir=packages)
            provider.translator("de", "en")  # load the model outside the timed build
            results[name] = build_once(work / f"tiny-{name}", text, provider, policy)
        segments = len(read_meta(work / "tiny-on/english/doc.meta.json").segments)
        repair_table(
            "Tiny real Argos package, UD German-GSD",
            results["off"][0],
            results["on"][0],
            (results["off"][1], results["on"][1]),
            results["on"][2],
            segments,
        )

        # 2. faulty translator on PUD
        table = {p.source: p.target or "" for p in pud}
        faults = {p.source: ("loop", "copy", "cut", None)[i % 4] for i, p in enumerate(pud)}
        faults = {s: f for s, f in faults.items() if f}
        text = "\n\n".join(p.source for p in pud) + "\n"
        faulty = {}
        for name, policy in (("off", RepairPolicy(enabled=False)), ("on", RepairPolicy())):
            provider = FakeProvider(FaultyTranslator(table, faults))
            faulty[name] = build_once(work / f"fake-{name}", text, provider, policy)
        segments = len(read_meta(work / "fake-on/english/doc.meta.json").segments)
        repair_table(
            "Faulty translator (loops, copies, cuts on chosen inputs), PUD 300",
            faulty["off"][0],
            faulty["on"][0],
            (faulty["off"][1], faulty["on"][1]),
            faulty["on"][2],
            segments,
        )
        winners: Counter[str] = Counter()
        for seg in read_meta(work / "fake-on/english/doc.meta.json").segments:
            if seg.repair and seg.repair.winner:
                winners[seg.repair.winner.split(":")[0]] += 1
        print(f"\nwinning strategies: {dict(sorted(winners.items()))}")

        # 3. protected spans
        sentences = span_sentences(gsd[:100])
        on, off = GlossaryConfig(), GlossaryConfig(spans=SpanConfig(enabled=False))
        provider = ArgosProvider(packages_dir=packages)
        tiny, _ = provider.translator("de", "en")
        rows = [
            ("tiny real package", tiny.translate, on),
            ("tiny real package, protection off", tiny.translate, off),
            ("symbol-mangling fake", mangle, on),
            ("symbol-mangling fake, protection off", mangle, off),
        ]
        print(
            f"\n### Protected spans ({len(sentences)} sentences, "
            f"{len(SPANS)} spans x {len(TEMPLATES)} templates)\n"
        )
        print("| translator | spans byte-exact | share |")
        print("|---|---:|---:|")
        for name, translate, config in rows:
            kept, total = span_survival(sentences, translate, config)
            print(f"| {name} | {kept} / {total} | {100 * kept / total:.1f} % |")
        provider.close()

    # 4. no new flags
    old = QaConfig(checks=tuple(c for c in PAIR_CHECKS if c not in ("protected", "low-confidence")))
    new = QaConfig()
    newly = with_spans = 0
    for p in pud:
        target = p.target or ""
        before = {f.check for f in check_pair(p.source, target, "de", "en", old)}
        missing = missing_spans(p.source, target, SpanConfig())
        after = {
            f.check
            for f in check_pair(p.source, target, "de", "en", new, protected_missing=missing)
        }
        newly += bool(after - before)
        with_spans += bool(find_spans(p.source, SpanConfig()))
    shipped = shipped_new = 0
    for meta in sorted((ROOT / "corpus" / "english").glob("*.meta.json")):
        record = read_meta(meta)
        for seg in record.segments:
            if seg.english is None:
                continue
            shipped += 1
            src = seg.language.language if seg.language else record.language.language
            shipped_new += bool(
                src != "en" and missing_spans(seg.source, seg.english, SpanConfig())
            )
    print("\n### New checks on clean pairs\n")
    print("| data | pairs | sources with a protected span | newly flagged |")
    print("|---|---:|---:|---:|")
    print(f"| PUD de->en (human) | {len(pud)} | {with_spans} | {newly} |")
    print(f"| shipped corpus (built segments) | {shipped} | - | {shipped_new} |")


if __name__ == "__main__":
    sys.exit(main())
