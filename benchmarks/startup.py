"""Start-up: a no-op rebuild of the shipped corpus, ``toolkit status`` of it, ``toolkit --help``,
``import toolkit``, bare Python: whole processes, interleaved (issue 19's "instant start").

Run from the project root::

    .venv/bin/python benchmarks/startup.py              # 7 interleaved rounds
    .venv/bin/python benchmarks/startup.py --rounds 15

What it does: copies ``corpus/`` and ``glossary.yaml`` to a temporary folder, builds it once
(no models are needed: a document waiting for a model is "needs model", exit 3, and is
still checked), then times each command in its own process, every command once per round,
rounds one after another, so a burst of load from other processes hits all rows alike.

Python's bytecode caches (``__pycache__``) are written before timing and used by every
timed run, as on any installed machine: ``PYTHONDONTWRITEBYTECODE`` is removed from the
children's environment (with it, every run recompiles the toolkit's ~40 imported modules,
which cost ~0.05-0.1 s here and is not what a user sees). The table says so.

What it does not show: a cold disk cache (the files are read once before timing), or a
corpus with more documents (``speed.py incremental`` times a no-op of 1,028 articles).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def commands(corpus: Path) -> dict[str, list[str]]:
    """The timed rows: label -> command line."""
    return {
        "no-op `toolkit build` of the shipped corpus": [
            str(BIN / "toolkit"), "build", str(corpus), "-q",
        ],
        "`toolkit status` of the shipped corpus (the build's plan, read-only)": [
            str(BIN / "toolkit"), "status", str(corpus),
        ],
        "`toolkit --help`": [str(BIN / "toolkit"), "--help"],
        "`toolkit --version`": [str(BIN / "toolkit"), "--version"],
        '`python -c "import toolkit"`': [sys.executable, "-c", "import toolkit"],
        "bare `python -c pass`": [sys.executable, "-c", "pass"],
    }  # fmt: skip


def child_env() -> dict[str, str]:
    """The environment of every timed run: bytecode caches written and read (see above)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and exit status of one run (its output discarded)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def run(rounds: int) -> dict[str, list[float]]:
    """Time every row ``rounds`` times, interleaved; the no-op build must change nothing."""
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        shutil.copytree(ROOT / "corpus", Path(tmp) / "corpus")
        shutil.copy2(ROOT / "glossary.yaml", Path(tmp) / "glossary.yaml")
        rows = commands(Path(tmp) / "corpus")
        for command in rows.values():  # writes the bytecode caches; the first build
            timed(command, env)
        before = snapshot(Path(tmp) / "corpus")
        times: dict[str, list[float]] = {label: [] for label in rows}
        for _ in range(rounds):
            for label, command in rows.items():
                seconds, status = timed(command, env)
                if status not in (0, 3):  # 3: documents wait for a model (none here)
                    raise SystemExit(f"{label}: exit status {status}")
                times[label].append(seconds)
        if snapshot(Path(tmp) / "corpus") != before:
            raise SystemExit("the no-op build changed a file: not a no-op")
    return times


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root`` (what a no-op must keep)."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


def table(times: dict[str, list[float]]) -> str:
    """The Markdown table of BENCHMARKS.md's "No-op rebuild" section."""
    lines = [
        f"| run ({len(next(iter(times.values())))} interleaved rounds) | wall s | median |",
        "|---|---:|---:|",
    ]
    for label, values in times.items():
        low, high, median = min(values), max(values), statistics.median(values)
        lines.append(f"| {label} | {low:.2f}–{high:.2f} | **{median:.2f}** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    times = run(args.rounds)
    print(table(times))
    print(f"\nload average {load:.2f} before, {os.getloadavg()[0]:.2f} after; bytecode cached")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
