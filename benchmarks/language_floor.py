"""The document language-id floors: what real articles, UD documents, lists of names and
tables of figures score, so the floors stop texts too unsure to pick a model by (``Ok.``
read as ``lg`` at 0.03, a list of names read as ``no`` at 0.24) and no real article.

Run from the project root (~2-4 minutes a split on 2 cores)::

    .venv/bin/python benchmarks/language_floor.py --split dev    # tuning
    .venv/bin/python benchmarks/language_floor.py --split test   # held out
    .venv/bin/python benchmarks/language_floor.py --split dev --floor 0.4 --pool 0.7

Each text is prepared and settled as a build does (:func:`prepare_document`, then
:func:`settle_original_language` with target ``en``; ``--floor`` replaces
``document_floor``). Sets: the 1,028 10kGNAD test articles (German); UD documents of k
consecutive sentences of German-GSD, Dutch-Alpino and English-EWT (the ``# text`` of the
split's .conllu in ``/work/.mirror``; dev holds the sentences of ``shared/data/ud-dev``);
documents alternating German or Dutch and English sentences (2 + 2); lists of names (runs of
PROPN tokens of the three treebanks, shuffled) and tables of figures (those names with
index-like figures), which have no language. Printed per set: texts; how many read as
another language than English (not ``zxx``: only those can be stopped); the lowest
confidence among those of 200 letters or more; how many are stopped, how many of those
read right, and how many of 200 letters or more (the any-length floor's); how many read as
a wrong language are still translated (a negative has no right language); how many of the
stopped are stopped as mostly figures (``document_min_words``, ``--words W``; 0 turns it
off) and the set's lowest and highest word share (``word_share``). ``--pool P``
also counts the short documents stopped that the pool (``name_sentence``) agreeing with
py3langid at P or more would let through (right / wrong): the rule measured and not kept.
It does not show what a real corpus of short items or of lists scores; these stand in.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from toolkit.config.prepare import LanguageIdConfig, PrepareConfig
from toolkit.errors import InputError
from toolkit.prepare.document import (
    letter_count,
    prepare_document,
    settle_original_language,
    unsure,
    word_share,
)
from toolkit.prepare.langid import name_sentence

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT / ".." / "shared" / "data" / "10kGNAD-test.csv"
UD = Path("/work/.mirror")
TREEBANKS = {"de": ("German-GSD", "de_gsd"), "nl": ("Dutch-Alpino", "nl_alpino"),
             "en": ("English-EWT", "en_ewt")}  # fmt: skip
NEGATIVE = ""
"""The true language of a text that has none (a list of names, a table)."""


def conllu(lang: str, split: str) -> list[str]:
    """The lines of the UD treebank's ``split`` file for ``lang``."""
    folder, stem = TREEBANKS[lang]
    git = ["git", f"--git-dir={UD}/UniversalDependencies+UD_{folder}/repo", "show"]
    shown = subprocess.run([*git, f"HEAD:{stem}-ud-{split}.conllu"], capture_output=True,
                           text=True, check=True)  # fmt: skip
    return shown.stdout.splitlines()


def names(lines: list[str]) -> list[str]:
    """The distinct runs of PROPN tokens (``Angela Merkel``) of a treebank, 3 letters or more."""
    found, run = [], []
    for line in [*lines, ""]:
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit() and cols[3] == "PROPN":
            run.append(cols[1])
        elif not (len(cols) == 10 and "-" in cols[0]):  # a multiword token line: skip
            if run:
                found.append(" ".join(run))
            run = []
    return list(dict.fromkeys(n for n in found if len(n) > 2))


def sets(split: str) -> dict[str, tuple[str, list[str]]]:
    """Set name -> (true language, or NEGATIVE; texts)."""
    with GNAD.open(encoding="utf-8", newline="") as fh:
        rows = [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]
    out = {"10kGNAD articles": ("de", rows)}
    sentences, people = {}, []
    for lang in TREEBANKS:
        lines = conllu(lang, split)
        sentences[lang] = [x.removeprefix("# text = ") for x in lines if x.startswith("# text = ")]
        people += names(lines)
        for k in (1, 2, 3, 5):
            s = sentences[lang]
            docs = [" ".join(s[i : i + k]) for i in range(0, len(s) - k + 1, k)]
            out[f"UD {lang}, {k} sentence(s)"] = (lang, docs)
    for lang in ("de", "nl"):
        pairs = zip(sentences[lang][:400], sentences["en"][:400], strict=False)
        mixed = [" ".join(pair) for pair in pairs]
        out[f"UD {lang}+en alternating"] = (
            lang,
            [" ".join(mixed[i : i + 2]) for i in range(0, 400, 2)],
        )
    rng = random.Random(0)
    rng.shuffle(people)
    for k in (4, 16, 40):
        out[f"names, {k} a list"] = (
            NEGATIVE,
            ["\n".join(people[i : i + k]) for i in range(0, min(len(people), 60 * k) - k + 1, k)],
        )
    for k in (11, 22, 40):
        out[f"tables, {k} lines"] = (
            NEGATIVE,
            [_table(rng.sample(people, k), rng) for _ in range(30)],
        )
    return out


def _table(rows: list[str], rng: random.Random) -> str:
    """Index-like figures after each name (``DAX 15.234,12 +0,4%``)."""

    def figure() -> str:
        return f"{rng.randint(1, 99)}.{rng.randint(100, 999)},{rng.randint(10, 99)}"

    return "".join(
        f"{n} {figure()} {rng.choice('+-')}{rng.randint(0, 9)},{rng.randint(0, 99)}%\n"
        for n in rows
    )


class Judged(NamedTuple):
    """What a build makes of one text (:func:`judge`)."""

    language: str
    confidence: float
    letters: int
    outcome: str
    share: float
    """:func:`word_share` of its segments (``document_min_words`` judges it)."""


def judge(text: str, prepare: PrepareConfig, pool: float | None) -> Judged:
    """What a build makes of ``text``: the language read, its confidence, its letters, and
    ``stopped`` (language unclear), ``figures`` (stopped as mostly figures:
    ``document_min_words``), ``pooled`` (stopped, but the pool at ``pool`` agrees),
    ``refused`` (another refusal: all boilerplate) or ``kept``; and its word share."""
    try:
        record = prepare_document(text.encode(), "original/x.txt", prepare)
    except InputError:
        return Judged("", 0.0, 0, "refused", 0.0)
    found, letters = record.language, letter_count(s.source for s in record.segments)
    share = word_share(s.source for s in record.segments)

    def judged(outcome: str) -> Judged:
        return Judged(found.language, found.confidence, letters, outcome, share)

    settled = settle_original_language(record, "original/x.txt", prepare.language_id, "en")
    if not isinstance(settled, InputError):
        return judged("kept")
    if unsure(record, prepare.language_id).words:  # type: ignore[union-attr]
        return judged("figures")
    if pool is not None and found.language in prepare.language_id.candidates:
        text = " ".join(s.source for s in record.segments)
        named = name_sentence(text, prepare.language_id, found.language)
        if named.language == found.language and named.confidence >= pool:
            return judged("pooled")
    return judged("stopped")


def row(name: str, lang: str, judged: list[Judged]) -> str:
    """One line of the table for a set of texts."""
    other = [j for j in judged if j[0] not in ("", "en", "zxx")]
    long = [j.confidence for j in other if j.letters >= 200]
    stopped = [j for j in other if j[3] in ("stopped", "pooled", "figures")]
    figures = Counter(j[0] for j in other if j[3] == "figures")
    as_figures = [str(figures.total()), *(f"{k}:{v}" for k, v in figures.most_common(3))]
    shares = [j.share for j in judged if j.language] or [0.0]
    right = sum(1 for j in stopped if j[0] == lang)
    by_floor = sum(1 for j in stopped if j[2] >= 200)
    sent = Counter(j[0] for j in other if j[3] == "kept" and j[0] != lang)
    pooled = [j[0] == lang for j in stopped if j[3] == "pooled"]
    cells = [name, len(judged), len(other), f"{min(long):.3f}" if long else "-",
             f"{len(stopped)} ({right}) [{by_floor}]", sum(sent.values()),
             " ".join(f"{k}:{v}" for k, v in sent.most_common(3)),
             f"{sum(pooled)}/{len(pooled) - sum(pooled)}",
             " ".join(as_figures), f"{min(shares):.2f}-{max(shares):.2f}"]  # fmt: skip
    return " | ".join(map(str, cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--floor", type=float, default=None, help="document_floor")
    parser.add_argument("--pool", type=float, default=None, help="measure the pool rule")
    parser.add_argument("--words", type=float, default=None, help="document_min_words")
    args = parser.parse_args()
    given = {"document_floor": args.floor, "document_min_words": args.words}
    language_id = LanguageIdConfig(**{k: v for k, v in given.items() if v is not None})
    prepare = PrepareConfig(language_id=language_id)
    print(f"split {args.split}, document_floor {language_id.document_floor}, "
          f"document_min_words {language_id.document_min_words}, "
          f"document_min_confidence {language_id.document_min_confidence} under "
          f"{language_id.document_short_chars} letters, pool {args.pool}")  # fmt: skip
    print("set | texts | read as another language than en | lowest of those >= 200 letters "
          "| stopped (read right) [>= 200 letters] | wrong language translated | as "
          "| pool would pass right/wrong | stopped as figures (document_min_words) "
          "| word share lowest-highest")  # fmt: skip
    for name, (lang, texts) in sets(args.split).items():
        print(row(name, lang, [judge(t, prepare, args.pool) for t in texts]), flush=True)


if __name__ == "__main__":
    main()
