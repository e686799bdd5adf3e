"""Preparation's parts, a git revision's code against the working tree's, in one process.

Run from the project root::

    .venv/bin/python benchmarks/prepare_parts.py --against main --rounds 3

The revision's ``toolkit/prepare/document.py`` and every ``toolkit`` module it imports are
loaded beside the working tree's (``revision.module_at``), and both sides run on the same
inputs in the same process,
taking turns on chunks of 64 articles (who goes first alternates); the ratio before / after is
taken per chunk (``prepare_steps.interleaved``), so load from other tenants hits both alike.
Rows: ``clean_text`` of the decoded articles, ``split_sentences`` of their paragraphs,
``scan_document`` (the document's language)
of their paragraphs, the sentence screen (``langid._screen``) of their sentences (each side
given its own scan), and ``prepare_document``. What it does not show: start-up, whole
processes, the pool (``prepare_ab.py``, ``speed.py prepare``), or that outputs are equal
(``prepare_ab.py --check``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from prepare_steps import CHUNK, interleaved  # noqa: E402  (benchmarks/ is not a package)
from revision import module_at  # noqa: E402
from speed import load_gnad  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="main", help="git revision (default: main)")
    parser.add_argument("--articles", type=int, default=1028)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    from toolkit.config.prepare import PrepareConfig
    from toolkit.prepare import clean, document, langid, segment
    from toolkit.prepare.decode import decode_bytes
    from toolkit.prepare.segment import split_paragraphs, split_sentences

    old = module_at("toolkit/prepare/document.py", args.against)
    before = {"document": old, "clean": types.SimpleNamespace(**old.clean_text.__globals__),
              "langid": types.SimpleNamespace(**old.scan_document.__globals__),
              "segment": types.SimpleNamespace(**old.split_sentences.__globals__)}  # fmt: skip
    after = {"clean": clean, "langid": langid, "document": document, "segment": segment}
    sides = {False: before, True: after}
    side: list[dict[str, Any]] = [sides[True]]

    def switch(after: bool) -> None:
        side[0] = sides[after]

    config = PrepareConfig()
    lid = config.language_id
    data = [t.encode("utf-8") for t in load_gnad()[: args.articles]]
    texts = [decode_bytes(d, config.decode, "a.txt").text for d in data]
    joined = ["\n\n".join(split_paragraphs(t)) for t in texts]
    screens: dict[bool, list[tuple[Any, ...]]] = {False: [], True: []}
    for text in joined:
        sentences = [s for p in text.split("\n\n") for s in split_sentences(p, "de")]
        for after, side_modules in sides.items():  # each side's own scan, columns, bytes
            mod = side_modules["langid"]
            cols = mod._columns(tuple(sorted({*lid.candidates, "de"})))
            encoded = [mod._encode(s) for s in sentences]
            screens[after].append((encoded, cols, mod.scan_document(text)))

    def screen(i: int) -> object:
        encoded, cols, scan = screens[side[0] is sides[True]][i]
        threshold = lid.sentence_min_confidence
        return side[0]["langid"]._screen(encoded, cols, "de", threshold, scan)

    paragraphs = [p for text in joined for p in text.split("\n\n")]
    rows: list[tuple[str, list[Any], Callable[[Any], object]]] = [
        ("`clean_text`", texts, lambda t: side[0]["clean"].clean_text(t, config.clean)),
        ("`split_sentences`", paragraphs, lambda p: side[0]["segment"].split_sentences(p, "de")),
        ("`scan_document`", joined, lambda t: side[0]["langid"].scan_document(t)),
        ("sentence screen", list(range(len(joined))), screen),
        ("`prepare_document`", list(enumerate(data)),
         lambda x: side[0]["document"].prepare_document(x[1], f"original/{x[0]:04d}.txt")),
    ]  # fmt: skip
    for after in (False, True):  # warm both sides up (models, tables, remembered heads)
        switch(after)
        for _, items, work in rows:
            for item in items[:CHUNK]:
                work(item)
    print(f"10kGNAD: {len(data)} articles; {args.rounds} rounds of {CHUNK}-article chunks; "
          f"before = {args.against}, after = the working tree")  # fmt: skip
    print()
    print("| part | before / after (median of chunks) | quartiles | chunks |")
    print("|---|---:|---:|---:|")
    for name, items, work in rows:
        ratios = interleaved(items, work, switch, args.rounds)
        q1, median, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        print(f"| {name} | {median:.2f}x | {q1:.2f}-{q3:.2f} | {len(ratios)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
