"""The document language-id confidence floor: what real articles and one-sentence documents
score, so the floor stops only texts too short to tell (``Ok.`` read as ``lg`` at 0.03).

A document is judged only when its text has fewer than ``document_short_chars`` (200)
letters: language id's confidence also falls on a long text of few distinct words.

Run from the project root::

    .venv/bin/python benchmarks/language_floor.py [--floor 0.5]

Each text goes through the build's own path to the document guess (decode, clean,
boilerplate, :func:`toolkit.prepare.langid.scan_document`): the 1,028 10kGNAD test articles
(German), and every UD dev sentence (German-GSD, Dutch-Alpino, English-EWT) as a document of
its own. Printed per set: texts, lowest confidence, how many the floor stops (read as
another language than English, not ``zxx``, under the floor: each needs its language stated),
how many of those were read right (the cost: a right guess stopped), and how many read as a
wrong non-English language still pass the floor (sent to a wrong model, as before). It does
not show what a real corpus of short items scores, only these two kinds of text.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from toolkit.config.build import BuildConfig
from toolkit.config.prepare import PrepareConfig
from toolkit.prepare.boilerplate import strip_boilerplate
from toolkit.prepare.clean import clean_text
from toolkit.prepare.document import letter_count
from toolkit.prepare.langid import scan_document
from toolkit.prepare.segment import split_paragraphs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
UD = {"de": "de_gsd.dev.sentences.txt", "nl": "nl_alpino.dev.sentences.txt",
      "en": "en_ewt.dev.sentences.txt"}  # fmt: skip


def guess(text: str, config: PrepareConfig) -> tuple[str, float, int]:
    """The document guess prepare_document makes of ``text`` (already decoded), and the
    letters of the text it judged (``document_short_chars`` compares them)."""
    kept, _, _ = strip_boilerplate(split_paragraphs(clean_text(text, config.clean).text))
    found = scan_document("\n\n".join(kept)).guess
    return found.language, found.confidence, letter_count(kept)


def sets() -> dict[str, tuple[str, list[str]]]:
    """Set name -> (true language, texts)."""
    with (DATA / "10kGNAD-test.csv").open(encoding="utf-8", newline="") as fh:
        rows = [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]
    out = {"10kGNAD articles": ("de", rows)}
    for lang, name in UD.items():
        lines = (DATA / "ud-dev" / name).read_text(encoding="utf-8").splitlines()
        out[f"UD {lang} sentences"] = (lang, [line for line in lines if line.strip()])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--floor", type=float, default=None, help="default: the config's")
    args = parser.parse_args()
    config = BuildConfig().prepare
    floor = config.language_id.document_min_confidence if args.floor is None else args.floor
    print(f"floor {floor}")
    print("set\ttexts\tlowest\tstopped\tof those read right\tread wrong, translated")
    for name, (lang, texts) in sets().items():
        found = [guess(t, config) for t in texts]
        # What settle_language stops: read as another language than the target (en), not
        # zxx (no language: kept as its own English), under the floor, a short text.
        short = config.language_id.document_short_chars
        unsure = [(g, c < floor and n < short) for g, c, n in found if g not in ("en", "zxx")]
        stopped = [g for g, under in unsure if under]
        sent = sum(1 for g, under in unsure if not under and g != lang)
        lowest = min(c for _, c, _ in found)
        right = sum(1 for g in stopped if g == lang)
        print(f"{name}\t{len(texts)}\t{lowest:.4f}\t{len(stopped)}\t{right}\t{sent}")

if __name__ == "__main__":
    main()
