"""Preparation before and after a change: a git revision's toolkit against the working tree's.

Run from the project root::

    .venv/bin/python benchmarks/prepare_ab.py --against main --passes 5

Each pass starts one fresh Python per tree, the trees taking turns (so a burst of load from
other processes hits both alike), each on the same 10kGNAD articles. In each process:

* **start-up to the first record**: interpreter, imports, the language-id model and its
  automaton, and ``prepare_document`` of the first article (what ``toolkit detect`` /
  ``translate`` of one article pays);
* **preparation**: ``prepare_document`` of every article, after that, and ``ftfy.fix_text`` of
  every article in the same process (the ratio is robust to load that shifts between
  processes; best of ``--repeat`` each, interleaved).

All times are CPU seconds of the process (``time.process_time``): on a shared machine they
move far less with other tenants' load than wall-clock seconds do, but they leave out
waiting (disk, page faults served by others).

What it does not show: whole-process throughput with the build's pool (``speed.py prepare
--workers 2`` does), or that outputs are equal (``tests/test_langid.py`` and the record check
of each change do).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import load_gnad  # noqa: E402  (benchmarks/ is not a package)


def child(args: argparse.Namespace) -> int:
    """One process: start-up to the first record, then preparation and ftfy, interleaved."""
    import ftfy

    from toolkit.prepare.document import prepare_document

    texts = load_gnad()[: args.articles]
    data = [t.encode("utf-8") for t in texts]
    prepare_document(data[0], "original/0000.txt")
    first = time.process_time()  # CPU since the process started
    best = {"prepare": float("inf"), "ftfy": float("inf")}
    for _ in range(args.repeat):
        start = time.process_time()
        for i, d in enumerate(data):
            prepare_document(d, f"original/{i:04d}.txt")
        best["prepare"] = min(best["prepare"], time.process_time() - start)
        start = time.process_time()
        for t in texts:
            ftfy.fix_text(t)
        best["ftfy"] = min(best["ftfy"], time.process_time() - start)
    json.dump({"first": first, **best, "mb": sum(map(len, data)) / 1e6}, sys.stdout)
    return 0


def _run(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "_child"]
    command += ["--articles", str(args.articles), "--repeat", str(args.repeat)]
    env = {**os.environ, "PYTHONPATH": str(tree)}  # this tree's toolkit comes first
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{tree}: benchmark process failed:\n{out.stderr}")
    return json.loads(out.stdout)


def compare(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="prepare-ab-") as tmp:
        archive = subprocess.run(
            ["git", "archive", args.against, "toolkit"], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        trees = {args.against: Path(tmp), "working tree": ROOT}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.passes):
            for name, tree in trees.items():
                runs[name].append(_run(tree, args))
    _report(runs, args)
    return 0


def _report(runs: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> None:
    (old, new), mb = runs.values(), next(iter(runs.values()))[0]["mb"]
    print(f"10kGNAD: {args.articles} articles, {mb:.2f} MB; {args.passes} passes, trees in turn")
    print()
    print("| tree | start-up to first record, CPU s (median) "
          "| `prepare_document` MB/s of CPU (best) | x `ftfy.fix_text` (median, same process) |")
    print("|---|---:|---:|---:|")
    for name, rows in runs.items():
        first = statistics.median(r["first"] for r in rows)
        ratio = statistics.median(r["ftfy"] / r["prepare"] for r in rows)
        print(f"| {name} | {first:.2f} | {mb / min(r['prepare'] for r in rows):.2f} | "
              f"{ratio:.2f} |")
    speedups = sorted(o["prepare"] / n["prepare"] for o, n in zip(old, new, strict=True))
    starts = sorted(o["first"] / n["first"] for o, n in zip(old, new, strict=True))
    print()
    print(f"preparation, {args.against} / working tree: {statistics.median(speedups):.2f}x "
          f"(median of the passes; range {speedups[0]:.2f}-{speedups[-1]:.2f})")
    print(f"start-up to first record, {args.against} / working tree: "
          f"{statistics.median(starts):.2f}x (range {starts[0]:.2f}-{starts[-1]:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    parser.add_argument("--against", default="main", help="git revision to compare with")
    for p in (parser, sub.add_parser("_child", help=argparse.SUPPRESS)):
        p.add_argument("--articles", type=int, default=1028)
        p.add_argument("--repeat", type=int, default=2, help="timed runs per process (best)")
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)
    return child(args) if args.command == "_child" else compare(args)


if __name__ == "__main__":
    raise SystemExit(main())
