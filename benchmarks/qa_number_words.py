"""Number QA on faithful pseudo-translations of real German number words (10kGNAD).

Run from the project root::

    .venv/bin/python benchmarks/qa_number_words.py          # -v lists the flagged pairs

Every sentence of ``../shared/data/10kGNAD-test.csv`` (1,028 derStandard articles) with a
spelled-out German number is paired with a copy in which that number is written in digits
(German conventions, target language ``de``): "dreihundertfünfzig" -> "350", "eineinhalb"
-> "1,5", "einer Million" -> "1 Million", "eine halbe Stunde" -> "30 Minuten". The copy
says exactly what the source says, so any number flag on it is a false positive.

The digits come from a converter written here, apart from ``toolkit.qa.number_words``
(its own grammar of German cardinals), so the check is not asked to agree with itself;
it was written by the same developer, so blind spots they share stay hidden. What this
does not show: how real translators or models render numbers in English ("dozens",
"tens of billions", an added year), nor recall on invented numbers (PUD
``number-added`` in ``benchmarks/qa_pud.py`` and ``tests/test_qa_invented_numbers.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from toolkit.config.qa import QaConfig
from toolkit.qa import checks
from toolkit.qa.checks import check_pair
from toolkit.qa.numbers import check_numbers
from toolkit.qa.pairs import read_bilingual

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT / ".." / "shared" / "data" / "10kGNAD-test.csv"
PUD = ROOT / ".." / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"

_UNITS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
          "neun": 9}
_TEENS = {"zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
          "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19}
_TENS = {"zwanzig": 20, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
         "siebzig": 70, "achtzig": 80, "neunzig": 90}


def _alt(words: dict[str, int] | list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT_ONE = rf"(?:{_alt(_UNITS)}|ein)"
_BELOW_100 = rf"(?:(?:{_UNIT_ONE}und)?(?:{_alt(_TENS)})|{_alt(_TEENS)}|{_alt(_UNITS)})"
_BELOW_1000 = rf"(?:(?:{_UNIT_ONE})?hundert(?:{_BELOW_100})?|{_BELOW_100})"
_CARDINAL = re.compile(rf"(?:(?:{_BELOW_1000}|ein)?tausend(?:{_BELOW_1000})?|{_BELOW_1000})")
_WORD = re.compile(r"\b[^\W\d_]+\b")


def _below_1000(word: str) -> int:
    if "hundert" in word:
        head, _, tail = word.partition("hundert")
        return _below_1000(head or "ein") * 100 + (_below_1000(tail) if tail else 0)
    if "und" in word:
        unit, _, tens = word.partition("und")
        return _below_1000(unit) + _TENS[tens]
    return {"ein": 1, **_UNITS, **_TEENS, **_TENS}[word]


def cardinal(word: str) -> int | None:
    """The value of a German cardinal 2-999,999 written as one word, else None."""
    folded = word.casefold()
    if not _CARDINAL.fullmatch(folded):
        return None
    if "tausend" in folded:
        head, _, tail = folded.partition("tausend")
        value = (_below_1000(head) if head else 1) * 1000 + (_below_1000(tail) if tail else 0)
    else:
        value = _below_1000(folded)
    return value if value >= 2 else None


def _fraction(m: re.Match[str]) -> str | None:
    if m.group(1) or m.group(2).casefold() == "ein":  # anderthalb, eineinhalb
        return "1,5"
    value = cardinal(m.group(2))
    return None if value is None else f"{value},5"


def _scaled(m: re.Match[str]) -> str | None:
    word = m.group(1)
    value = 1 if word.casefold().startswith("ein") else cardinal(word)
    return None if value is None else f"{value} {m.group(2)}"


# (kind, pattern, digits for a match or None to leave it). Order matters: the longer first.
_RULES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    ("scale word", re.compile(r"\b([^\W\d_]+)\s+(Million(?:en)?|Milliarden?)\b"), _scaled),
    ("and a half", re.compile(r"\b(?:(anderthalb)|([^\W\d_]*?)einhalb)\b", re.I), _fraction),
    ("half/quarter hour", re.compile(r"\b(?:eine[rnm]?\s+)?halben?\s+Stunde\b"),
     lambda m: "30 Minuten"),
    ("half/quarter hour", re.compile(r"\b(?:eine[rnm]?\s+)?(Dreiv|V)iertelstunde\b"),
     lambda m: "45 Minuten" if m.group(1) == "Dreiv" else "15 Minuten"),
]


def faithful_digits(sentence: str) -> tuple[str, list[str]]:
    """The sentence with its spelled-out numbers in digits, and the kind of each one."""
    kinds: list[str] = []
    for kind, pattern, digits in _RULES:
        def swap(m: re.Match[str], kind: str = kind, digits=digits) -> str:
            new = digits(m)
            if new is not None:
                kinds.append(kind)
            return m.group() if new is None else new
        sentence = pattern.sub(swap, sentence)

    def word(m: re.Match[str]) -> str:
        value = cardinal(m.group())
        if value is None or (m.group()[0].isupper() and m.start() > 0):
            return m.group()  # capitalised mid-sentence: a noun ("die Elf", "eine Acht")
        kinds.append("compound (>= 100)" if value >= 100 else "one word (2-99)")
        return str(value)
    return _WORD.sub(word, sentence), kinds


def sentences() -> list[str]:
    out = []
    for line in GNAD.read_text(encoding="utf-8").splitlines():
        text = line.partition(";")[2].strip().strip("'")
        out += re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])", text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="print each flagged pair")
    parser.add_argument("--time", action="store_true", help="also time check_pair (CPU)")
    parser.add_argument("--before", type=Path, help="with --time: another revision's "
                        "toolkit/qa/numbers.py, timed in turns with this one")
    parser.add_argument("--rounds", type=int, default=1, help="with --time: rounds")
    args = parser.parse_args()
    config = QaConfig()
    pairs = seen = flagged = 0
    by_kind: Counter[str] = Counter()
    flagged_kind: Counter[str] = Counter()
    for sentence in sentences():
        target, kinds = faithful_digits(sentence)
        if not kinds:
            continue
        pairs += 1
        seen += len(kinds)
        by_kind.update(set(kinds))
        flags = check_numbers(sentence, target, "de", "de", config)
        if flags:
            flagged += 1
            flagged_kind.update(set(kinds))
            if args.v:
                print([f.message for f in flags], "|", sentence, "|", target)
    print(f"{pairs} sentences with {seen} spelled-out numbers; flagged: {flagged}")
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind}: {flagged_kind[kind]} of {n} sentences flagged")
    if args.time:
        _time_check_pair(args.before, args.rounds)


def _time_check_pair(before: Path | None, rounds: int) -> None:
    """check_pair's CPU time per pair: the digit copies (de->de, every pair has numbers) and
    the PUD pairs (de->en). CPU time, not wall time: the machine is often shared. With
    ``before`` (another revision's ``toolkit/qa/numbers.py``), its check_numbers and this
    one's take turns in the same process, round after round (interleaved)."""
    copies = [(s, t) for s in sentences() if (t := faithful_digits(s)[0]) != s]
    pud = [(r.source, r.target) for r in read_bilingual(PUD, "de", "en")]
    check_pair(*pud[0], "de", "en")  # language id's first call loads its model
    versions = {"this": checks.check_numbers}
    if before is not None:
        spec = importlib.util.spec_from_file_location("numbers_before", before)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        versions["before"] = module.check_numbers
    rates: dict[tuple[str, str], list[float]] = {}
    data_sets = (("PUD de->en", pud, "en"), ("10kGNAD digit copies", copies, "de"))
    for round_ in range(rounds):
        order = list(versions.items())
        for version, check in order[::-1] if round_ % 2 else order:  # who goes first alternates
            checks.check_numbers = check  # what check_pair calls
            for name, data, tgt in data_sets:
                start = time.process_time()
                for source, target in data:
                    check_pair(source, target, "de", tgt)
                rates.setdefault((name, version), []).append(
                    len(data) / (time.process_time() - start))
    for (name, version), values in sorted(rates.items()):
        print(f"  check_pair, {name}, {version}: " + ", ".join(f"{v:.0f}" for v in values)
              + " pairs/s")
    for name, _, _ in data_sets if before is not None else ():
        ratios = [a / b for a, b in zip(rates[name, "this"], rates[name, "before"], strict=True)]
        print(f"  {name}, this/before per round: " + ", ".join(f"{r:.2f}" for r in ratios))


if __name__ == "__main__":
    main()
