"""What the boilerplate rules remove from real article text, and which credit lines they miss.

Run from the project root::

    .venv/bin/python benchmarks/boilerplate.py [--part tune|held-out] [--against REV] [--show N]

The 1,028 10kGNAD articles (``../shared/data/10kGNAD-test.csv``) are one line each: no
paragraph breaks survive in the data set. So every *sentence* of an article (the toolkit's
German segmenter) is offered to the rules as a paragraph of its own: the hardest case for a
rule that looks at short paragraphs (a headline, a subhead or a lead-in sentence that starts
with an agency name), and every paragraph a rule removes from real prose is a loss. The rules
were tuned on articles 0-513 (``--part tune``); articles 514-1027 (``--part held-out``) were
not looked at. ``CREDITS`` are credit lines that must go (the seeds' own, the formats of
derStandard, APA, dpa, Reuters, Getty): removed / not removed is printed for each.

``--sentences DIR`` offers each line of ``DIR/*.txt`` instead (the ``# text =`` lines of
the UD German, Dutch and English dev and test splits: ``git --git-dir=<UD repo> show
HEAD:<split>.conllu | grep '^# text = '``): real sentences of three languages, none tuned on.

``--against REV`` runs the same count with the rules of ``toolkit/prepare/boilerplate.py`` at
git revision REV (e.g. ``main~5``), in one run.

What this does not show: real paragraph structure (the data set has none), captions that
are not credits, or languages other than German (the rules have no language of their own).
"""

from __future__ import annotations

import argparse
import csv
import sys
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GNAD = ROOT / ".." / "shared" / "data" / "10kGNAD-test.csv"
PARTS = {"tune": slice(0, 514), "held-out": slice(514, None), "all": slice(None)}

# Credit lines that must be removed (the shipped seeds' and the common agency formats).
CREDITS = (
    "Getty Images Kim Kardashian und Kanye West im Februar 2020 in Beverly Hills",
    "Instagram / kimkardashian Kanye West und Kim Kardashian mit ihren Kindern, 2019",
    "Courtesy of Hulu; Inset: Shutterstock",
    "Foto: APA/dpa",
    "Foto: dpa",
    "Foto: Reuters/Leonhard Foeger",
    "Fotos: APA/HANS KLAUS TECHT",
    "Bild: AFP",
    "Quelle: Statistik Austria",
    "Reuters",
    "AFP",
    "dpa",
    "AFP/Getty Images",
    "AFP via Getty Images",
    "Getty Images for Netflix",
    "AP Photo/Evan Vucci",
    "Reuters/Kai Pfaffenbach",
    "dpa/Michael Kappeler",
    "imago images/Sven Simon",
    "IMAGO / Future Image",
    "(APA, 3.2.2016)",
    "(APA/dpa, 23.8.2015)",
    "(APA)",
    "(red, 12.1.2016)",
    "(Reuters)",
)


# Real paragraphs that start like a credit and must be kept (the attacker's c5/original/bp.txt,
# a 10kGNAD headline, a UD English sentence without its final period).
PROSE = (
    "Reuters zitierte den Minister mit den Worten:",
    "dpa-Analyse: Warum die Reform scheitern könnte",
    "AFP: Arbeiter einer Zementfabrik seit Montag nicht mehr aufgetaucht",
    "Reuters reported that Sunni clerics in the town issued a declaration",
    "Instagram hat am Montag neue Regeln für Jugendliche angekündigt.",
)


def articles(part: str) -> list[str]:
    with GNAD.open(encoding="utf-8", newline="") as fh:
        rows = [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]
    return rows[PARTS[part]]


def rules_at(rev: str | None) -> types.ModuleType:
    """The boilerplate module of this checkout, or of git revision ``rev``."""
    if rev is None:
        from toolkit.prepare import boilerplate

        return boilerplate
    from revision import module_at  # the one loader of a module at a revision

    return module_at("toolkit/prepare/boilerplate.py", rev)


def paragraphs(text: str, headlines: bool) -> list[str]:
    """The article's sentences as paragraphs; ``headlines``: each without its final period,
    ! or ? (as a headline or subhead is printed), where a rule for unpunctuated lines bites."""
    from toolkit.prepare.segment import split_sentences

    sentences = split_sentences(text, "de")
    return [s.rstrip(".!?") or s for s in sentences] if headlines else sentences


def ud_sentences(folder: Path) -> list[str]:
    """Every line of the ``*.txt`` files in ``folder`` (UD ``# text =`` lines, one a line)."""
    files = sorted(folder.glob("*.txt"))
    return [line for f in files for line in f.read_text("utf-8").split("\n") if line.strip()]


def removed(module: types.ModuleType, texts: list[str], headlines: bool) -> list[tuple[str, str]]:
    """(rule, paragraph) for every sentence-paragraph the rules remove."""
    found = []
    for text in texts:
        # A one-sentence text (a UD line) is offered with a paragraph before it: the rules
        # for the first paragraph (metadata line) are not what is measured here.
        offered = paragraphs(text, headlines)
        _kept, hits, _meta = module.strip_boilerplate(["Anfang.", *offered, "Ende."])
        found += [(h.rule, h.text) for h in hits]
    return found


def report(label: str, module: types.ModuleType, texts: list[str], show: int) -> None:
    for headlines in (False, True):
        hits = removed(module, texts, headlines)
        by_rule = dict(Counter(rule for rule, _ in hits))
        how = "sentences as headlines (no final . ! ?)" if headlines else "sentences as they are"
        print(f"## {label}, {how}: {len(hits)} removed from {len(texts)} texts {by_rule}")
        for rule, text in hits[:show]:
            print(f"  {rule}: {text[:110]!r}")
    missed = [c for c in CREDITS if not module.strip_boilerplate(["Text.", c, "Text."])[1]]
    print(f"credit lines removed: {len(CREDITS) - len(missed)}/{len(CREDITS)}; missed: {missed}")
    lost = [p for p in PROSE if module.strip_boilerplate(["Text.", p, "Text."])[1]]
    print(f"prose paragraphs removed: {len(lost)}/{len(PROSE)}: {lost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=PARTS, default="held-out")
    parser.add_argument("--against", metavar="REV", help="also count with the rules at REV")
    parser.add_argument("--show", type=int, default=40, help="removed paragraphs to print")
    parser.add_argument(
        "--sentences", type=Path, metavar="DIR",
        help="instead of 10kGNAD: each line of DIR/*.txt (e.g. UD dev and test sentences)",
    )  # fmt: skip
    args = parser.parse_args()
    texts = ud_sentences(args.sentences) if args.sentences else articles(args.part)
    part = f"lines of {args.sentences}/*.txt" if args.sentences else f"10kGNAD {args.part}"
    if args.against:
        report(f"rules at {args.against}, {part}", rules_at(args.against), texts, args.show)
    report(f"rules of this checkout, {part}", rules_at(None), texts, args.show)


if __name__ == "__main__":
    main()
