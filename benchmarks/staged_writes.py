"""A build's commit: N documents' outputs staged and renamed into place, fsyncs in the
background (``toolkit.corpus.flush``, session 10) against one after the other (as before).

Each document stages three files of a 20-article build's typical sizes (meta.json 21 KB,
aligned.tsv 7 KB, en.txt 3 KB) into a fresh folder under ``--dir`` (default: the benchmark
cache, on the project's file system; /tmp may be a RAM disk where fsync costs nothing), then
one commit renames them. "inline" replaces the background fsync by the same call made at
staging time, in turn: what ``StagedWrites`` did before. Rounds alternate the two modes;
the medians of one run are what to compare (the disk is shared with other processes)::

    PYTHONPATH=. .venv/bin/python benchmarks/staged_writes.py --documents 20 --rounds 7

What it does not show: a build's other work while the fsyncs run (the background ones
overlap the next document's QA and serialization too, which this leaves out).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import CACHE

SIZES = {"meta.json": 21_000, "aligned.tsv": 7_000, "en.txt": 3_000}


def one_commit(folder: Path, documents: int) -> float:
    """Seconds to stage and commit ``documents`` documents' outputs into ``folder``."""
    from toolkit.corpus.writes import StagedWrites

    start = time.perf_counter()
    with StagedWrites() as writes:
        for n in range(documents):
            for suffix, size in SIZES.items():
                writes.write_if_changed(folder / f"{n:04d}.{suffix}", os.urandom(size))
        writes.commit()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=CACHE)
    args = parser.parse_args()
    import toolkit.corpus.flush as flush

    background = flush.Flusher.submit

    def inline(self: flush.Flusher, target: Path, fd: int) -> None:
        os.fsync(fd)  # the fsync at staging time, one after the other
        os.close(fd)

    times: dict[str, list[float]] = {"background": [], "inline": []}
    args.dir.mkdir(parents=True, exist_ok=True)
    for _ in range(args.rounds):
        for mode, submit in (("background", background), ("inline", inline)):
            flush.Flusher.submit = submit  # type: ignore[method-assign]
            folder = Path(tempfile.mkdtemp(prefix="staged-writes-", dir=args.dir))
            try:
                times[mode].append(one_commit(folder, args.documents))
            finally:
                shutil.rmtree(folder)
    for mode, seconds in times.items():
        rounds = ", ".join(f"{s:.3f}" for s in seconds)
        print(f"{mode}: median {statistics.median(seconds):.3f} s ({rounds})")
    ratio = statistics.median(times["inline"]) / statistics.median(times["background"])
    files = 3 * args.documents
    print(f"{args.documents} documents, {files} files: inline / background {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
