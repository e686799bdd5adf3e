"""Translation QA on real human translations: false positives on clean pairs, recall on errors.

Run from the project root::

    .venv/bin/python benchmarks/qa_pud.py

Data: ``../shared/data/pud-dev/de_en.dev.tsv`` -- 300 professional German -> English pairs
(UD German-PUD). Each clean pair is checked as is (any flag is a false positive); then
copies of the pairs each get ONE injected error (``tests/qa_inject.py``, seeded, only
where the error applies -- a number error needs a number) and the share flagged is the
recall for that error kind. translate-toolkit's pofilter default checker
(``StandardChecker`` + ``StandardUnitChecker`` via ``TeeChecker``, as ``pofilter`` runs
it) is measured on the same pairs as the reference.

A row per toolkit check shows what it flags on its own: its false-positive share on the
clean pairs and the share of each error kind it catches. The "any check" row is what a
reviewer sees. Targets: false positives <= 2 %, recall >= 95 % for every kind.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from toolkit.config.qa import PAIR_CHECKS, QaConfig
from toolkit.qa.calibrate import calibrate_length_band
from toolkit.qa.checks import check_pair
from toolkit.qa.pairs import read_bilingual

ROOT = Path(__file__).resolve().parents[1]
PUD = ROOT / ".." / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"
FP_TARGET = 0.02
RECALL_TARGET = 0.95

Triple = tuple[str, str, str]
Checker = Callable[[str, str], set[str]]
"""(source, target) -> names of the checks that fired."""


def load_injector() -> ModuleType:
    """tests/qa_inject.py, loaded by path ('tests' may be shadowed by an installed package)."""
    path = ROOT / "tests" / "qa_inject.py"
    spec = importlib.util.spec_from_file_location("qa_inject", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("qa_inject", module)
    spec.loader.exec_module(module)
    return module


def load_pud(path: Path = PUD) -> list[Triple]:
    return [(p.id, p.source, p.target or "")
            for p in read_bilingual(path, "de", "en")]


def toolkit_checker(config: QaConfig = QaConfig()) -> Checker:  # noqa: B008 -- frozen
    def run(source: str, target: str) -> set[str]:
        return {f.check for f in check_pair(source, target, "de", "en", config)}

    return run


def pofilter_checker() -> Checker:
    """pofilter's default check set, as its command line builds it."""
    from translate.filters import checks
    from translate.storage.pypo import pounit

    checker = checks.TeeChecker(
        checkerconfig=checks.CheckerConfig(targetlanguage="en"),
        checkerclasses=[checks.StandardChecker, checks.StandardUnitChecker],
        languagecode="en",
    )

    def run(source: str, target: str) -> set[str]:
        unit = pounit(source)
        unit.target = target
        return set(checker.run_filters(unit))

    return run


@dataclass
class Result:
    """Per checker: which checks fired on each clean pair and on each injected pair."""

    clean: list[set[str]]
    injected: dict[str, list[set[str]]] = field(default_factory=dict)

    def fp(self, check: str | None = None) -> float:
        return _share(self.clean, check)

    def recall(self, kind: str, check: str | None = None) -> float:
        return _share(self.injected[kind], check)


def _share(fired: Sequence[set[str]], check: str | None) -> float:
    if not fired:
        return float("nan")
    hits = sum(1 for f in fired if (check in f if check else bool(f)))
    return hits / len(fired)


def measure(checker: Checker, pairs: Sequence[Triple], seed: int = 0) -> Result:
    """Run ``checker`` on the clean pairs and on one injected copy per error kind."""
    inj = load_injector()
    result = Result(clean=[checker(s, t) for _, s, t in pairs])
    for kind in inj.ERROR_KINDS:
        result.injected[kind] = [checker(p[1], new) for p, new in inj.injected(kind, pairs, seed)]
    return result


def render_table(rows: Sequence[tuple[str, Result, str | None]], kinds: Sequence[str]) -> str:
    first = rows[0][1]
    head = ["checker", f"FP on clean (n={len(first.clean)})"]
    head += [f"{k} (n={len(first.injected[k])})" for k in kinds]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, result, check in rows:
        cells = [name, _pct(result.fp(check))] + [_pct(result.recall(k, check)) for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f}%"


def throughput(pairs: Sequence[Triple], min_seconds: float = 1.0) -> float:
    """check_pair calls per second on the clean pairs, after warm-up (language model loaded)."""
    run = toolkit_checker()
    run(pairs[0][1], pairs[0][2])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        for _, s, t in pairs:
            run(s, t)
        done += len(pairs)
    return done / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not PUD.is_file():
        print(f"missing {PUD}; see ../shared/data/README.md", file=sys.stderr)
        return 2
    pairs = load_pud()
    kinds = load_injector().ERROR_KINDS
    ours = measure(toolkit_checker(), pairs, args.seed)
    ref = measure(pofilter_checker(), pairs, args.seed)
    rows: list[tuple[str, Result, str | None]] = [
        (f"toolkit.qa.checks `{c}` alone", ours, c) for c in PAIR_CHECKS if c != "glossary"
    ]
    rows += [("**toolkit.qa.checks, any check**", ours, None),
             ("pofilter `numbers` alone", ref, "numbers"),
             ("pofilter `unchanged` alone", ref, "unchanged"),
             ("**pofilter default set, any check**", ref, None)]
    print(render_table(rows, kinds))
    print()
    # Length band honesty check: calibrate on half the pairs, count length flags on the other.
    ratios = [len(t.strip()) / len(s.strip()) for _, s, t in pairs]
    even = ratios[0::2]
    print(f"length band from all pairs: {calibrate_length_band(ratios)}; "
          f"from even rows: {calibrate_length_band(even)}")
    low, high = calibrate_length_band(even)
    held = QaConfig(length_bands=(), length_default_band=(low, high))
    held_fp = _share([toolkit_checker(held)(s, t) for _, s, t in pairs[1::2]], "length")
    print(f"held-out length FP (band from even rows, checked on odd rows): {_pct(held_fp)}")
    print(f"check_pair throughput: {throughput(pairs):,.0f} pairs/s (one core)")
    ok = ours.fp() <= FP_TARGET and all(ours.recall(k) >= RECALL_TARGET for k in kinds)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
