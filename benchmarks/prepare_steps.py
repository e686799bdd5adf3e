"""Session 9's preparation steps, each switched off and on in one process (issue 19).

Run from the project root::

    .venv/bin/python benchmarks/prepare_steps.py --rounds 3

A step is switched off by putting back what it replaced, so both sides run the same code
otherwise, with the same data in the same process; the two sides take turns on chunks of 64
articles (who goes first alternates), and the ratio off / on is taken per chunk. That is far
less sensitive to other tenants' load than whole processes taking turns
(``prepare_ab.py``), but it is in-process only. The steps:

* *entity check* (``toolkit.prepare.ftfy_noop.may_unescape``): a line with ``&`` goes to ftfy
  only if ftfy's entity pattern matches; off: every ``&`` goes to ftfy (the pattern ``&``);
* *remembered heads* (``toolkit.prepare.langid_walk.walk_short_parts``): sentence heads walked
  once per process; off: walked with every document (``walk_each``).

Rows: ``clean_text`` with the entity check off / on, the sentence screen
(``langid._screen_probabilities`` on the inputs the articles give it) with remembered heads
off / on, and ``prepare_document`` with both off / on. What it does not show: whole-process
or pool throughput (``speed.py prepare``), or that outputs are equal
(``prepare_ab.py --check`` does).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import load_gnad  # noqa: E402  (benchmarks/ is not a package)

CHUNK = 64


def interleaved(
    items: Sequence[Any], work: Callable[[Any], object], switch: Callable[[bool], None], rounds: int
) -> list[float]:
    """Per chunk of ``items``: CPU time of ``work`` on each with the step off / on."""
    ratios = []
    for r in range(rounds):
        for k in range(0, len(items), CHUNK):
            took = {}
            for on in (True, False) if (k // CHUNK + r) % 2 else (False, True):
                switch(on)
                start = time.process_time()
                for item in items[k : k + CHUNK]:
                    work(item)
                took[on] = time.process_time() - start
            ratios.append(took[False] / took[True])
    switch(True)
    return ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1028)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    import numpy as np

    import toolkit.prepare.langid as langid
    import toolkit.prepare.langid_walk as walk
    from toolkit.config.prepare import PrepareConfig
    from toolkit.prepare import ftfy_noop
    from toolkit.prepare.clean import clean_text
    from toolkit.prepare.decode import decode_bytes
    from toolkit.prepare.document import prepare_document

    config = PrepareConfig()
    data = [t.encode("utf-8") for t in load_gnad()[: args.articles]]
    entities, heads, amp = ftfy_noop.entity_pattern, langid.walk_short_parts, re.compile("&")

    def entity_check(on: bool) -> None:
        ftfy_noop.entity_pattern = entities if on else lambda: amp  # type: ignore[assignment]

    def remembered_heads(on: bool) -> None:
        langid.walk_short_parts = heads if on else lambda texts, _: walked_each(texts)

    def walked_each(texts: list[bytes]) -> list[Any]:  # every head walked again, each alone
        ends = [len(t) for t in texts]
        return np.split(walk.walk_each(texts), np.cumsum(ends)[:-1]) if texts else []

    def both(on: bool) -> None:
        entity_check(on)
        remembered_heads(on)

    screened: list[tuple[Any, ...]] = []
    screen = langid._screen_probabilities
    langid._screen_probabilities = lambda *a: screened.append(a) or screen(*a)  # type: ignore
    for i, d in enumerate(data):  # also warms both sides up
        prepare_document(d, f"original/{i:04d}.txt")
    langid._screen_probabilities = screen
    decoded = [decode_bytes(d, config.decode, "a.txt").text for d in data]
    rows = [
        ("`clean_text`, entity check", interleaved(
            decoded, lambda t: clean_text(t, config.clean), entity_check, args.rounds)),
        ("sentence screen, remembered heads", interleaved(
            screened, lambda a: screen(*a), remembered_heads, args.rounds)),
        ("`prepare_document`, both", interleaved(
            list(enumerate(data)), lambda x: prepare_document(x[1], f"original/{x[0]:04d}.txt"),
            both, args.rounds)),
    ]  # fmt: skip
    print(f"10kGNAD: {len(data)} articles; {args.rounds} rounds of {CHUNK}-article chunks")
    print()
    print("| what, step | off / on (median of chunks) | quartiles | chunks |")
    print("|---|---:|---:|---:|")
    for name, ratios in rows:
        q1, median, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        print(f"| {name} | {median:.2f}x | {q1:.2f}-{q3:.2f} | {len(ratios)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
