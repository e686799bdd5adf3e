"""Time on hostile inputs, and how it grows: linear work takes ~4x as long for 4x the input.

The tests check that these inputs come out right (nothing lost, nothing hangs forever in
practice); how long they take is measured here, never asserted in a test.

Run from the project root::

    .venv/bin/python benchmarks/pathological.py
    .venv/bin/python benchmarks/pathological.py --document 100000 big.txt   # write one

``--document N PATH`` writes the row "prepare_document: real sentences" at N sentences, for
timing ``toolkit detect --max-bytes 20000000 PATH`` against another revision.

Each row times one input at size n and at 4n (best of 3 passes, one core) and prints the
ratio: about 4 means linear, about 16 quadratic. Only ratios from one run mean anything on
a shared machine.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
sys.path.insert(0, str(ROOT / "tests"))  # the fake translator of the build tests


def best_of(run: Callable[[], object], passes: int = 3) -> float:
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def build_paragraphs(n: int) -> None:
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        (root / "original").mkdir(parents=True)
        text = "Der Hund schläft im Garten. Die Katze spielt.\n\n" * n
        (root / "original" / "tiny.txt").write_text(text, encoding="utf-8")
        build_corpus(root, provider=FakeProvider())


def real_sentences(n: int) -> str:
    """n real sentences, 5 to a paragraph: 10kGNAD's in order (its "(APA, 12.9.2015)" lines
    are all capitals), every 50th an English or Dutch UD dev sentence (language switches)."""
    german: list[str] = []
    for line in (DATA / "10kGNAD-test.csv").read_text(encoding="utf-8").splitlines():
        text = line.partition(";")[2].strip().strip("'")
        german += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])", text) if s.strip()]
    other = [s for name in ("en_ewt", "nl_alpino") for s in (
        DATA / "ud-dev" / f"{name}.dev.sentences.txt").read_text(encoding="utf-8").splitlines()
        if s.strip()]
    sentences = [other[i // 50 % len(other)] if i % 50 == 49 else german[i % len(german)]
                 for i in range(n)]
    return "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, n, 5)) + "\n"


def prepare_sentences(n: int) -> None:
    from toolkit.config.prepare import PrepareConfig
    from toolkit.prepare.document import prepare_document

    config = PrepareConfig.model_validate({"decode": {"max_bytes": 10**9}})
    prepare_document(real_sentences(n).encode(), "original/real.txt", config)


def main() -> int:
    if sys.argv[1:2] == ["--document"]:
        Path(sys.argv[3]).write_text(real_sentences(int(sys.argv[2])), encoding="utf-8")
        return 0
    from toolkit.prepare.clean import clean_text
    from toolkit.prepare.document import prepare_document
    from toolkit.prepare.segment import segment, split_sentences
    from toolkit.prepare.sniff import markup_kind

    cases: list[tuple[str, int, Callable[[int], object]]] = [
        (
            "split_sentences: spaces",
            250_000,
            lambda n: split_sentences("Wort. " + " " * n + "Ende.", "de"),
        ),
        ("split_sentences: quotes", 250_000, lambda n: split_sentences("." + '"' * n, "de")),
        (
            "split_sentences: no full stop",
            15_000,
            lambda n: split_sentences("Ein Satz ohne Ende und ohne Punkt " * n, "de"),
        ),
        ("segment: tiny paragraphs", 25_000, lambda n: segment("Ja. Nein.\n\n" * n, "de")),
        (
            "prepare_document: one long line",
            20_000,
            lambda n: prepare_document(
                ("Der Rat tagte am Montag. Dr. Meier sprach über die 3. Brücke! " * n).encode(),
                "original/line.txt",
            ),
        ),
        (
            "prepare_document: tiny paragraphs",
            25_000,
            lambda n: prepare_document(
                ("Der Hund schläft. Die Katze spielt.\n\n" * n).encode(), "original/tiny.txt"
            ),
        ),
        ("prepare_document: real sentences (10kGNAD, UD)", 25_000, prepare_sentences),
        # custom-element tags never closed (session 9: each was rewritten, 5 s at 4 MB)
        ("markup_kind: '<x-a> ' tags, characters", 1_000_000,
         lambda n: markup_kind("<x-a> " * (n // 6))),
        ("clean_text: nested entities", 2_500, lambda n: clean_text("&" + "amp;" * n + "x")),
        ("build_corpus: tiny paragraphs (fake translator)", 2_000, build_paragraphs),
    ]
    build_paragraphs(50)  # load the language-id model and warm caches
    print("| input | n | seconds at n | seconds at 4n | growth (4 = linear) |")
    print("|---|---:|---:|---:|---:|")
    for name, n, run in cases:
        small = best_of(lambda run=run, n=n: run(n))
        large = best_of(lambda run=run, n=n: run(4 * n))
        print(f"| {name} | {n:,} | {small:.2f} | {large:.2f} | {large / small:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
