"""Start-up: a no-op rebuild of the shipped corpus, ``toolkit status`` of it, ``toolkit --help``,
``import toolkit``, bare Python: whole processes, interleaved (issue 19's "instant start").

Run from the project root::

    .venv/bin/python benchmarks/startup.py              # 7 interleaved rounds
    .venv/bin/python benchmarks/startup.py --rounds 15
    .venv/bin/python benchmarks/startup.py --against 3e22e97   # also an older toolkit's no-op
    .venv/bin/python benchmarks/startup.py --against f2df46d 72465c6   # several, one run

``--against REV [REV ...]`` adds a row for the no-op build by this tree's toolkit and one for
each ``git archive REV toolkit`` (unpacked in the temporary folder), all started the same way
(``python -c`` with ``PYTHONPATH`` at the tree), interleaved with the others: the ratio
between them is the change's effect, whatever the machine's load did to all of them.

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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


RUN_CLI = "import sys; from toolkit.cli.app import main; sys.argv[0] = 'toolkit'; main()"


def commands(corpus: Path, against: dict[str, Path] | None = None) -> dict[str, Row]:
    """The timed rows: label -> (command line, ``PYTHONPATH`` or None for the installed one).
    ``against``: revision -> its unpacked toolkit tree."""
    rows: dict[str, Row] = {
        label: (command, None) for label, command in _installed(corpus).items()
    }
    if against:
        noop = [sys.executable, "-c", RUN_CLI, "build", str(corpus), "-q"]
        rows[THIS_TREE] = (noop, ROOT)
    for rev, tree in (against or {}).items():
        # Its own copy of the corpus, built by that toolkit: across a version change each
        # toolkit finds the other's build stale, so on one copy neither run is a no-op.
        theirs = [*noop[:-2], str(corpus.with_name(f"{corpus.name}-at-{rev}")), "-q"]
        rows[f"no-op build, toolkit at {rev} (`python -c`, PYTHONPATH)"] = (theirs, tree)
    return rows


THIS_TREE = "no-op build, this tree's toolkit (`python -c`, PYTHONPATH)"


def _installed(corpus: Path) -> dict[str, list[str]]:
    """The rows run as a user runs them: the installed ``toolkit`` and this Python."""
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


Row = tuple[list[str], Path | None]


def child_env(pythonpath: Path | None = None) -> dict[str, str]:
    """The environment of every timed run: bytecode caches written and read (see above)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def timed(row: Row, cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit status of one run (its output
    discarded). CPU time moves less than wall time when other processes share the cores.

    ``cwd`` must not hold a ``toolkit`` folder: ``python -c`` puts the working directory
    first on ``sys.path``, before ``PYTHONPATH``, so run from the project root both
    ``--against`` rows would import the project's toolkit."""
    command, pythonpath = row
    env = child_env(pythonpath)
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu, done.returncode


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _imports_toolkit_from(tree: Path, cwd: Path) -> None:
    """Fail unless ``python -c`` with ``PYTHONPATH=tree``, run in ``cwd``, imports the
    toolkit of ``tree`` (see :func:`timed`)."""
    found = subprocess.run(
        [sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
        env=child_env(tree), cwd=cwd, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if Path(found).resolve().parent.parent != tree.resolve():
        raise SystemExit(f"PYTHONPATH={tree} imported {found}: not the tree to time")


def unpack_toolkit(rev: str, into: Path) -> Path:
    """``git archive REV toolkit`` unpacked under ``into``: the tree to put on PYTHONPATH."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "toolkit"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


Times = dict[str, list[tuple[float, float]]]


def run(rounds: int, against: list[str] | None = None) -> Times:
    """Time every row ``rounds`` times, interleaved; the no-op build must change nothing."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        corpora = [Path(tmp) / "corpus", *(Path(tmp) / f"corpus-at-{rev}" for rev in against or [])]
        for corpus in corpora:  # each --against row has its own
            shutil.copytree(ROOT / "corpus", corpus)
        shutil.copy2(ROOT / "glossary.yaml", Path(tmp) / "glossary.yaml")
        other = {rev: unpack_toolkit(rev, Path(tmp) / f"at-{rev}") for rev in against or []}
        for _, (_, pythonpath) in commands(Path(tmp), other).items():
            if pythonpath is not None:  # each A/B row imports the toolkit it names
                _imports_toolkit_from(pythonpath, Path(tmp))
        rows = commands(Path(tmp) / "corpus", other)
        for row in rows.values():  # writes the bytecode caches; the first build
            timed(row, Path(tmp))
        before = [snapshot(corpus) for corpus in corpora]
        times: Times = {label: [] for label in rows}
        for _ in range(rounds):
            for label, row in rows.items():
                seconds, cpu, status = timed(row, Path(tmp))
                if status not in (0, 3):  # 3: documents wait for a model (none here)
                    raise SystemExit(f"{label}: exit status {status}")
                times[label].append((seconds, cpu))
        if [snapshot(corpus) for corpus in corpora] != before:
            raise SystemExit("the no-op build changed a file: not a no-op")
    return times


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root`` (what a no-op must keep)."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


def table(times: Times) -> str:
    """The Markdown table of BENCHMARKS.md's "No-op rebuild" section; with ``--against``, a
    last line per other toolkit: this tree's no-op medians over its (wall and CPU)."""
    lines = [
        f"| run ({len(next(iter(times.values())))} interleaved rounds) | wall s | median "
        "| CPU s, median |",
        "|---|---:|---:|---:|",
    ]
    medians = {}
    for label, values in times.items():
        wall = [w for w, _ in values]
        medians[label] = (statistics.median(wall), statistics.median(c for _, c in values))
        lines.append(
            f"| {label} | {min(wall):.2f}–{max(wall):.2f} | **{medians[label][0]:.2f}** "
            f"| {medians[label][1]:.2f} |"
        )
    others = [label for label in times if label.startswith("no-op build, toolkit at ")]
    for n, label in enumerate(others):
        (wall_new, cpu_new), (wall_old, cpu_old) = medians[THIS_TREE], medians[label]
        rev = label.removeprefix("no-op build, toolkit at ").split(" ")[0]
        lines.append(
            f"{'' if n else chr(10)}this tree / toolkit at {rev}, no-op medians: "
            f"wall {wall_new / wall_old:.2f}, CPU {cpu_new / cpu_old:.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument(
        "--against",
        metavar="REV",
        nargs="+",
        help="also time the no-op build of the toolkit at each REV",
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    times = run(args.rounds, args.against)
    print(table(times))
    print(f"\nload average {load:.2f} before, {os.getloadavg()[0]:.2f} after; bytecode cached")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
