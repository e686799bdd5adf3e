"""Preparation before and after a change: a git revision's toolkit against the working tree's.

Run from the project root::

    .venv/bin/python benchmarks/prepare_ab.py --against main --passes 5
    .venv/bin/python benchmarks/prepare_ab.py --against main --check   # outputs equal?

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

``--check`` instead proves the two trees' outputs equal, untimed: every article's record
(``model_dump`` minus ``versions``, whose toolkit version may differ) and, on the UD dev
sentences (de, en, nl; ``../shared/data/ud-dev``), each sentence's :func:`detect_language`
and :func:`name_sentence` and :func:`sentence_languages` of groups of 25 sentences read as a
document of each of de, en, nl (with the group's :func:`scan_document`). It names the first
differing article or group and exits 1 if any differ.

What it does not show: whole-process throughput with the build's pool (``speed.py prepare
--workers 2`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import DATA, load_gnad  # noqa: E402  (benchmarks/ is not a package)

UD_FILES = ("de_gsd", "en_ewt", "nl_alpino")
"""UD dev sentence files (``DATA/ud-dev/<name>.dev.sentences.txt``) ``--check`` compares on."""
GROUP = 25
"""Sentences per group read as one document by ``--check``."""


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


def digests(args: argparse.Namespace) -> int:
    """One process of ``--check``: a digest of each output, as JSON on stdout."""
    import hashlib

    from toolkit.errors import InputError
    from toolkit.prepare.document import prepare_document

    def digest(value: object) -> str:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    records = []
    for i, text in enumerate(load_gnad()[: args.articles]):
        try:
            record = prepare_document(text.encode("utf-8"), f"original/{i:04d}.txt")
        except InputError as exc:
            records.append(digest(f"InputError: {exc}"))
            continue
        records.append(digest(record.model_dump(mode="json", exclude={"versions"})))
    json.dump({"records": records, "ud": _ud_digests(digest, args.groups)}, sys.stdout)
    return 0


def _ud_digests(digest: Callable[[object], str], groups: int) -> list[str]:
    """A digest per group of UD sentences: what language id says of each, alone and as a
    document of each of de, en, nl."""
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.prepare.langid import (
        detect_language,
        name_sentence,
        scan_document,
        sentence_languages,
    )

    config, out = LanguageIdConfig(), []
    for name in UD_FILES:
        path = DATA / "ud-dev" / f"{name}.dev.sentences.txt"
        if not path.is_file():
            raise SystemExit(f"--check needs the UD dev sentences: {path} is missing")
        lines = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
        for start in range(0, min(len(lines), (groups or len(lines)) * GROUP), GROUP):
            group = lines[start : start + GROUP]
            scan = scan_document("\n\n".join(group))
            found: list[object] = [scan.guess.model_dump()]
            found += [detect_language(s).model_dump() for s in group]
            found += [name_sentence(s, config, "de").model_dump() for s in group]
            for language in ("de", "en", "nl"):
                others = sentence_languages(group, language, config, scan)
                found += [o.model_dump() if o else None for o in others]
            out.append(digest(found))
    return out


def check(args: argparse.Namespace) -> int:
    """``--check``: both trees' digests, compared; exit 1 if any output differs."""
    with _trees(args) as trees:
        old, new = (_run(tree, args, "_digests") for tree in trees.values())
    lines, status = compare_digests(old, new)
    print("\n".join(lines))
    return status


def compare_digests(old: dict[str, list[str]], new: dict[str, list[str]]) -> tuple[list[str], int]:
    """The report of ``--check`` and its exit status (1 if any digest differs)."""
    lines, status = [], 0
    for kind, what in (("records", "10kGNAD article records"), ("ud", "UD sentence groups")):
        pairs = enumerate(zip(old[kind], new[kind], strict=True))
        differ = [i for i, (a, b) in pairs if a != b]
        lines.append(f"{what} identical: {len(old[kind]) - len(differ)}/{len(old[kind])}")
        if differ:
            lines.append(f"  differing: {kind} #{', #'.join(map(str, differ[:10]))}")
            status = 1
    return lines, status


def _run(tree: Path, args: argparse.Namespace, command_name: str = "_child") -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), command_name]
    command += ["--articles", str(args.articles), "--repeat", str(args.repeat)]
    command += ["--groups", str(args.groups)]
    env = {**os.environ, "PYTHONPATH": str(tree)}  # this tree's toolkit comes first
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{tree}: benchmark process failed:\n{out.stderr}")
    return json.loads(out.stdout)


@contextlib.contextmanager
def _trees(args: argparse.Namespace) -> Iterator[dict[str, Path]]:
    """``args.against``'s toolkit (extracted to a temporary folder) and the working tree's."""
    with tempfile.TemporaryDirectory(prefix="prepare-ab-") as tmp:
        archive = subprocess.run(
            ["git", "archive", args.against, "toolkit"], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield {args.against: Path(tmp), "working tree": ROOT}


def compare(args: argparse.Namespace) -> int:
    with _trees(args) as trees:
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
    children = [sub.add_parser(name, help=argparse.SUPPRESS) for name in ("_child", "_digests")]
    for p in (parser, *children):
        p.add_argument("--articles", type=int, default=1028)
        p.add_argument("--repeat", type=int, default=2, help="timed runs per process (best)")
        p.add_argument("--groups", type=int, default=0, help="--check: UD groups a file (0: all)")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument(
        "--check", action="store_true", help="compare the outputs (untimed) instead of timing"
    )
    args = parser.parse_args(argv)
    if args.command:
        return child(args) if args.command == "_child" else digests(args)
    return check(args) if args.check else compare(args)


if __name__ == "__main__":
    raise SystemExit(main())
