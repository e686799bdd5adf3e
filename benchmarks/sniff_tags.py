"""``markup_kind`` on a tag-heavy text (``'<x-a> ' * N``, custom tags never closed), this
checkout against other revisions of ``toolkit/prepare/sniff.py``, interleaved, best of 3.

Run from the project root::

    .venv/bin/python benchmarks/sniff_tags.py ba86d6d b28bbf0

What it does not show: other tag-heavy shapes (``benchmarks/pathological.py`` has this one's
growth), or a quiet machine when run on a shared one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def best(kind: Callable[[str], object], text: str, passes: int = 3) -> float:
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        kind(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main(revs: list[str]) -> int:
    from revision import module_at  # the one loader of a module at a revision

    from toolkit.prepare.sniff import markup_kind

    kinds = {rev: module_at("toolkit/prepare/sniff.py", rev).markup_kind for rev in revs}
    kinds["now"] = markup_kind
    print("| MB | " + " | ".join(f"{name} s" for name in kinds) + " |")
    print("|---:|" + "---:|" * len(kinds))
    for mb in (1, 4):
        text = "<x-a> " * (mb * 1_000_000 // 6)
        print(f"| {mb} | " + " | ".join(f"{best(k, text):.2f}" for k in kinds.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
