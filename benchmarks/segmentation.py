"""Sentence segmentation benchmark: accuracy and speed of candidate segmenters.

Run from the project root (the other candidates are optional: ``pip install pysbd sentencex
syntok``; a candidate that is not installed gets a "not installed" row)::

    .venv/bin/python benchmarks/segmentation.py            # all candidates
    .venv/bin/python benchmarks/segmentation.py --only toolkit-regex --only spacy-sentencizer

Data (``../shared/data``, see its README):

* UD dev sets ``ud-dev/{de_gsd,nl_alpino,en_ewt}.dev.sentences.txt``, one gold sentence a line.
  en_ewt: a blank line marks a paragraph/document break, so each blank-line block is one
  paragraph. de_gsd and nl_alpino have no breaks: each run of ``CHUNK`` (10) consecutive
  sentences is one paragraph.
* Held out (never looked at while writing the rules): UD German-PUD sentence pairs
  ``pud-dev/de_en.dev.tsv``; the German and the English side, sentences grouped by document id
  (``n01001`` of ``n01001011``) into paragraphs, in file order.

Speed on realistic news: the article texts of ``10kGNAD-test.csv`` (German, 2.7 MB), one
article a paragraph, no gold.

Each gold paragraph is joined with single spaces, segmented, and scored with
:func:`toolkit.prepare.segment.boundary_scores` (boundaries inside paragraphs, in non-whitespace
character offsets). Throughput is UTF-8 megabytes of joined paragraphs per second on one core,
best of at least ``MIN_PASSES`` passes and ``MIN_SECONDS`` of work (one pass for
pysbd, which is very slow).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

from toolkit.prepare.segment import SEGMENTER_NAME, boundary_scores, split_sentences

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CHUNK = 10
MIN_SECONDS = 1.0
MIN_PASSES = 5

Segmenter = Callable[[str], list[str]]
Factory = Callable[[str], Segmenter | None]
Dataset = tuple[str, str, list[list[str]]]  # name, language, gold paragraphs


def load_ud(path: Path, chunk: int = CHUNK) -> list[list[str]]:
    """Gold paragraphs of a UD sentence file (blank-line blocks, else chunks of ``chunk``)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if any(not line.strip() for line in lines[:-1]):
        paragraphs: list[list[str]] = [[]]
        for line in lines:
            if line.strip():
                paragraphs[-1].append(line.strip())
            elif paragraphs[-1]:
                paragraphs.append([])
        return [p for p in paragraphs if p]
    sentences = [line.strip() for line in lines if line.strip()]
    return [sentences[i : i + chunk] for i in range(0, len(sentences), chunk)]


def load_pud(path: Path, column: str) -> list[list[str]]:
    """Gold paragraphs from the PUD pairs: one column, grouped by document id."""
    paragraphs: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            paragraphs.setdefault(row["id"][:6], []).append(row[column].strip())
    return list(paragraphs.values())


def load_gnad(path: Path) -> list[str]:
    """Article texts of the 10kGNAD CSV (``label;'text'`` a line)."""
    texts = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        _, sep, quoted = line.partition(";")
        if sep and quoted.strip("'"):
            texts.append(quoted.strip("'"))
    return texts


def datasets(data: Path = DATA) -> list[Dataset]:
    """The benchmark sets that exist under ``data``."""
    found: list[Dataset] = []
    for name, lang in (("de_gsd", "de"), ("nl_alpino", "nl"), ("en_ewt", "en")):
        path = data / "ud-dev" / f"{name}.dev.sentences.txt"
        if path.is_file():
            found.append((f"UD {name}", lang, load_ud(path)))
    pud = data / "pud-dev" / "de_en.dev.tsv"
    if pud.is_file():
        found.append(("PUD de (held out)", "de", load_pud(pud, "de")))
        found.append(("PUD en (held out)", "en", load_pud(pud, "en")))
    return found


# --- candidates ------------------------------------------------------------------------------


def _own(lang: str) -> Segmenter:
    return lambda text: split_sentences(text, lang)


def _pysbd(lang: str) -> Segmenter | None:
    import pysbd

    try:
        segmenter = pysbd.Segmenter(language=lang, clean=False)
    except ValueError:
        return None
    return segmenter.segment


def _sentencex(lang: str) -> Segmenter:
    from sentencex import segment

    return lambda text: list(segment(lang, text))


def _syntok(lang: str) -> Segmenter:
    # syntok has English, German and Spanish abbreviation rules; on Dutch it runs its generic
    # rules (reported, marked in the table).
    from syntok import segmenter

    def run(text: str) -> list[str]:
        sentences = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                start = sentence[0].offset
                end = sentence[-1].offset + len(sentence[-1].value)
                sentences.append(text[start:end])
        return sentences

    return run


def _spacy(lang: str) -> Segmenter:
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return lambda text: [s.text for s in nlp(text).sents]


CANDIDATES: dict[str, Factory] = {
    SEGMENTER_NAME: _own,
    "pysbd": _pysbd,
    "sentencex": _sentencex,
    "syntok": _syntok,
    "spacy-sentencizer": _spacy,
}
SLOW = {"pysbd"}
MODULES = {
    "pysbd": "pysbd",
    "sentencex": "sentencex",
    "syntok": "syntok",
    "spacy-sentencizer": "spacy",
}
"""The optional package each candidate needs (not project dependencies)."""


def _installed(name: str) -> bool:
    module = MODULES.get(name)
    return module is None or importlib.util.find_spec(module) is not None


def measure(segmenter: Segmenter, gold: list[list[str]], repeat: bool) -> tuple[float, list]:
    """Best-of-passes MB/s over the joined gold paragraphs, and the first pass's predictions.

    The fastest pass is reported because other processes share the machine: noise only ever
    slows a pass down.
    """
    texts = [" ".join(p) for p in gold]
    size = sum(len(t.encode("utf-8")) for t in texts)
    predicted = [segmenter(t) for t in texts]  # warm-up and the scored pass
    best, total, passes = float("inf"), 0.0, 0
    while passes < (MIN_PASSES if repeat else 1) or (repeat and total < MIN_SECONDS):
        started = time.perf_counter()
        for text in texts:
            segmenter(text)
        elapsed = time.perf_counter() - started
        best, total, passes = min(best, elapsed), total + elapsed, passes + 1
    return size / best / 1e6, predicted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", action="append", choices=sorted(CANDIDATES))
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    sets = datasets(args.data)
    if not sets:
        print(f"no benchmark data under {args.data}; see ../shared/data/README.md", file=sys.stderr)
        return 1
    names = args.only or list(CANDIDATES)
    print("| segmenter | data | lang | P | R | F1 | MB/s |")
    print("|---|---|---|---:|---:|---:|---:|")
    missing = [name for name in names if not _installed(name)]
    for name in missing:  # optional candidates: `pip install pysbd sentencex syntok`
        print(f"| {name} | not installed | | | | | |")
    names = [name for name in names if name not in missing]
    for name in names:
        for label, lang, gold in sets:
            segmenter = CANDIDATES[name](lang)
            if segmenter is None:
                print(f"| {name} | {label} | {lang} | n/a | n/a | n/a | n/a |")
                continue
            speed, predicted = measure(segmenter, gold, repeat=name not in SLOW)
            p, r, f1 = boundary_scores(gold, predicted)
            print(f"| {name} | {label} | {lang} | {p:.3f} | {r:.3f} | {f1:.3f} | {speed:.2f} |")
            sys.stdout.flush()
    gnad = args.data / "10kGNAD-test.csv"
    if gnad.is_file():
        articles = [[text] for text in load_gnad(gnad)]
        print("\n| segmenter | 10kGNAD (de, 2.7 MB) MB/s |\n|---|---:|")
        for name in names:
            segmenter = CANDIDATES[name]("de")
            assert segmenter is not None
            speed, _ = measure(segmenter, articles, repeat=name not in SLOW)
            print(f"| {name} | {speed:.2f} |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
