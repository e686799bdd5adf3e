"""The ``mojibake`` check of pairs files: false flags on clean real text, and recall.

Run from the project root::

    .venv/bin/python benchmarks/qa_mojibake.py        # -v lists every flagged clean text

False positives: clean human text that :func:`toolkit.qa.mojibake.mojibake_in` calls
mojibake -- the 300 German-English PUD pairs read as a pairs file and
checked end to end by :func:`toolkit.qa.report.check_pairs` (both sides: the ``mojibake``
flags it gives), every sentence of ``../shared/data/ud-dev`` and, where the bare mirrors are
there, of eight UD treebanks (``/work/.mirror``, all splits), and the 1,028 10kGNAD articles
whole (long texts: more chances of a false match). Recall: each of those texts that holds a
non-ASCII character, its UTF-8 bytes read as Windows-1252 (bytes it leaves undefined as
Latin-1, as a browser does) and as Latin-1 -- the share flagged.

Second table: the 8-bit colour rule of :func:`toolkit.qa.bilingual._terminal_colours`, which
removes ``\x9b31m...\x9b0m`` whole. Windows-1252 read as Latin-1 spells ``›`` ``‹`` as
``\x9b`` ``\x8b``: each text's Windows-1252 bytes (unmappable characters as ``?``) read as
Latin-1, as written; with its double quotes made ``›...‹`` (German single guillemets); and
with every quote made ``›`` (no ``‹``: the worst case for the rule). It counts the texts that
then hold a ``\x9b`` and those the rule would take anything from (0 is the claim).

What it does not show: mojibake of other code pages, twice-encoded text, or real files' mix
of clean and broken rows; and no language but English, German and Dutch (the sets above):
``benchmarks/mojibake_rule.py`` measures those (25 languages, split into tune and test).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pairs_quoting import TREEBANKS, _treebank_sentences

from toolkit.glossary.model import Glossary
from toolkit.qa.bilingual import _terminal_colours
from toolkit.qa.mojibake import mojibake_in
from toolkit.qa.pairs import read_bilingual
from toolkit.qa.report import check_pairs

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
PUD = DATA / "pud-dev" / "de_en.dev.tsv"


def _as_cp1252(text: str) -> str:
    """``text``'s UTF-8 bytes read as Windows-1252, its five undefined bytes as Latin-1."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                   for b in text.encode("utf-8"))


def _sets() -> dict[str, list[str]]:
    """Clean texts by set name."""
    sets = {}
    for path in sorted((DATA / "ud-dev").glob("*.txt")):
        sets[f"shared ud-dev {path.stem}"] = [
            line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name in TREEBANKS:
        if texts := _treebank_sentences(name):
            sets[f"UD {name} (all splits)"] = texts
    gnad = (DATA / "10kGNAD-test.csv").read_text(encoding="utf-8").splitlines()
    sets["10kGNAD articles, whole"] = [line.split(";", 1)[1].strip("'") for line in gnad]
    return sets


def _pud_row(verbose: bool) -> None:
    pairs = read_bilingual(PUD, "de")
    report = check_pairs(pairs, "de", "en", Glossary.empty())
    flagged = [(p, f) for p, flags in report for f in flags if f.check == "mojibake"]
    texts = [t for p in pairs for t in (p.source, p.target or "")]
    hits = [t for t in texts if not t.isascii()]
    recall = [sum(mojibake_in(how(t)) is not None for t in hits)
              for how in (_as_cp1252, lambda t: t.encode("utf-8").decode("latin-1"))]
    print(f"| PUD de-en pairs via check_pairs (both sides) | {len(texts)} | {len(flagged)} | "
          f"{len(hits)} | {recall[0]} | {recall[1]} |")
    if verbose:
        for pair, flag in flagged:
            print(f"    {pair.id}: {flag.message}", file=sys.stderr)


_QUOTES = "\"\u201e\u201c\u201d\u00ab\u00bb"


def _guillemets(text: str, closing: str) -> str:
    """``text`` with its double quotes alternately ``›`` and ``closing``."""
    out, opening = [], True
    for c in text:
        if c in _QUOTES:
            c, opening = ("\u203a" if opening else closing), not opening
        out.append(c)
    return "".join(out)


def _colour_rows(sets: dict[str, list[str]]) -> None:
    print("\n| texts as Windows-1252 read as Latin-1 | texts | holding \\x9b | colour rule "
          "takes text |")
    print("|---|---|---|---|")
    texts = [t for group in sets.values() for t in group]
    for name, how in (("as written", lambda t: t),
                      ("double quotes as \u203a...\u2039", lambda t: _guillemets(t, "\u2039")),
                      ("every quote as \u203a", lambda t: _guillemets(t, "\u203a"))):
        read = [how(t).encode("cp1252", "replace").decode("latin-1") for t in texts]
        holding = sum("\x9b" in t for t in read)
        taken = [t for t in read if _terminal_colours(t)[1]]
        print(f"| {name} | {len(read)} | {holding} | {len(taken)} |")
        for text in taken:
            print(f"    {text!r}", file=sys.stderr)


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    print("| clean set | texts | flagged mojibake (FP) | non-ASCII texts | recall as "
          "Windows-1252 | recall as Latin-1 |")
    print("|---|---|---|---|---|---|")
    _pud_row(verbose)
    sets = _sets()
    for name, texts in sets.items():
        flagged = [t for t in texts if mojibake_in(t) is not None]
        hits = [t for t in texts if not t.isascii()]
        cp1252 = sum(mojibake_in(_as_cp1252(t)) is not None for t in hits)
        latin1 = sum(mojibake_in(t.encode("utf-8").decode("latin-1")) is not None for t in hits)
        print(f"| {name} | {len(texts)} | {len(flagged)} | {len(hits)} | {cp1252} | {latin1} |")
        if verbose:
            for text in flagged:
                print(f"    {name}: {mojibake_in(text)}", file=sys.stderr)
    _colour_rows(sets)


if __name__ == "__main__":
    main()
