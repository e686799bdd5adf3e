"""What review's staleness question costs: the workbench's overview and document requests with
and without it, on a corpus of N 10kGNAD articles (interleaved rounds, medians; one run).

The corpus is built once with the fake translator of tests/fakes.py (English = source, tagged)
and the shipped glossary copied into it, so every document is current and the question has
nothing to report: the time is the plan itself (reading the originals, the manifest, the asked
documents' outputs), not translation. Usage::

    python benchmarks/review_staleness.py [--articles 154] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fake translator
sys.path.insert(0, str(ROOT / "benchmarks"))


def build(root: Path, articles: int) -> Path:
    """``articles`` 10kGNAD articles built into ``root`` (fake translator, shipped glossary)."""
    from fakes import FakeProvider
    from speed import load_gnad

    from toolkit.glossary.load import load_glossary
    from toolkit.pipeline.build import build_corpus

    (root / "original").mkdir(parents=True)
    for i, text in enumerate(load_gnad()[:articles]):
        (root / "original" / f"a{i:04d}.txt").write_text(text + "\n", encoding="utf-8")
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    glossary = load_glossary(root / "glossary.yaml")
    summary = build_corpus(root, provider=FakeProvider(), glossary=glossary)
    assert summary.exit_code == 0, summary.lines()
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=154)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from toolkit.review.workbench.launch import argos_staleness
    from toolkit.review.workbench.store import ReviewStore

    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp) / "corpus", args.articles)
        plain = ReviewStore(root=root, rebuild=lambda r, o: [], author="b", kinds={})
        asked = ReviewStore(
            root=root, rebuild=lambda r, o: [], author="b", kinds={},
            staleness=argos_staleness(None, None),
        )  # fmt: skip
        doc = plain.overview()["documents"][0]["id"]
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for name, store in (("without", plain), ("with", asked)):
                calls: dict[str, Callable[[], object]] = {
                    "overview": store.overview,
                    "document": lambda s=store: s.document(doc),  # type: ignore[misc]
                }
                for what, call in calls.items():
                    start = time.perf_counter()
                    call()
                    times.setdefault((what, name), []).append(time.perf_counter() - start)
        stale = [d for d in asked.overview()["documents"] if d["stale"]]
        assert not stale, stale  # nothing changed since the build
    print(f"{args.articles} documents, {args.rounds} interleaved rounds, median seconds")
    print("| request | without the question | with it | added |")
    print("|---|---:|---:|---:|")
    for what in ("overview", "document"):
        a = statistics.median(times[(what, "without")])
        b = statistics.median(times[(what, "with")])
        print(f"| {what} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")


if __name__ == "__main__":
    main()
