"""The ``mojibake`` rule of pairs files (:func:`toolkit.qa.mojibake.mojibake_in`) against an
earlier revision's, on clean text and on that text made mojibake, split by file.

Run from the project root::

    .venv/bin/python benchmarks/mojibake_rule.py --part tune --against eb8372f
    .venv/bin/python benchmarks/mojibake_rule.py --part test --against eb8372f   # -v: each miss

Clean text: the ``# text`` sentences of every UD treebank mirrored in ``/work/.mirror``
(``UniversalDependencies+UD_*``: 25 languages, Latin, Cyrillic, Greek, Hebrew, CJK, Korean,
Vietnamese scripts). TUNE is each treebank's ``*-dev.conllu``, the files the rule's threshold
(``ENOUGH``) was chosen on; TEST is the held-out ``*-test.conllu`` files, the 1,028 10kGNAD
articles whole (``../shared/data``: long texts, more chances of a false match) and both sides
of the 300 German-English PUD pairs read as a pairs file (``read_bilingual``). Mojibake: each
clean text that holds a non-ASCII character, its UTF-8 bytes read as each page the check
claims (Windows-1252 and Windows-1251 with their undefined bytes as Latin-1, as a browser
does, which leaves a C1 character), as Windows-1252 twice (double-encoded), and with only
its first non-ASCII word read as Windows-1252 (partial mojibake).

A row counts the texts each rule flags. What it does not show: a real file's mojibake, which
may be broken in other ways than one whole word (the rule then asks for two repaired
characters, as many as the clean rest) or have lost bytes (a Windows-1252 ``Ã`` +
non-breaking space saved as a space); other pages (Windows-1250, Mac Cyrillic, cp850);
Arabic and Latvian (their test files hold no ``# text`` here).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from toolkit.qa.mojibake import mojibake_in
from toolkit.qa.pairs import read_bilingual

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
UD = Path("/work/.mirror")
Rule = Callable[[str], object]


def _sloppy(text: str, page: str) -> str:
    """``text``'s UTF-8 bytes read in ``page``, bytes it leaves undefined as Latin-1."""
    return "".join(bytes([b]).decode(page, errors="ignore") or chr(b)
                   for b in text.encode("utf-8"))


READINGS: dict[str, Callable[[str], str]] = {
    "Windows-1252": lambda t: _sloppy(t, "cp1252"),
    "Latin-1": lambda t: t.encode("utf-8").decode("latin-1"),
    "Windows-1251": lambda t: _sloppy(t, "cp1251"),
    "KOI8-R": lambda t: t.encode("utf-8").decode("koi8-r"),
    "cp437": lambda t: t.encode("utf-8").decode("cp437"),
    "Mac Roman": lambda t: t.encode("utf-8").decode("mac_roman"),
    "Windows-1252 twice": lambda t: _sloppy(_sloppy(t, "cp1252"), "cp1252"),
    "Windows-1252, one word": lambda t: _one_word(t),
}


def _one_word(text: str) -> str:
    """``text`` with only its first word that holds a non-ASCII character read as
    Windows-1252 (partial mojibake: a pasted word, a merged file)."""
    words = text.split(" ")
    at = next(i for i, word in enumerate(words) if not word.isascii())
    words[at] = _sloppy(words[at], "cp1252")
    return " ".join(words)


def _sentences(repo: Path, name: str) -> list[str]:
    data = subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{name}"],
                          capture_output=True, text=True).stdout  # absent (LFS): no text
    return [line.split("=", 1)[1].strip() for line in data.splitlines()
            if line.startswith("# text =")]


def clean_texts(part: str) -> dict[str, list[str]]:
    """Clean texts by file: the UD ``-dev`` files (``tune``) or the held-out ones (``test``)."""
    suffix = "-dev.conllu" if part == "tune" else "-test.conllu"
    sets = {}
    for repo in sorted(UD.glob("UniversalDependencies+UD_*/repo")):
        listing = subprocess.run(["git", "--git-dir", str(repo), "ls-tree", "--name-only",
                                  "HEAD"], capture_output=True, text=True).stdout.split()
        for name in listing:
            if name.endswith(suffix) and (texts := _sentences(repo, name)):
                sets[name] = texts
    if part == "test":
        gnad = (DATA / "10kGNAD-test.csv").read_text(encoding="utf-8").splitlines()
        sets["10kGNAD articles"] = [line.split(";", 1)[1].strip("'") for line in gnad]
        pairs = read_bilingual(DATA / "pud-dev" / "de_en.dev.tsv", "de")
        sets["PUD de-en pairs"] = [t for p in pairs for t in (p.source, p.target or "")]
    return sets


def _flagged(rule: Rule, texts: list[str]) -> list[bool]:
    return [rule(text) is not None for text in texts]


def _cost(texts: list[str], rules: dict[str, Rule]) -> None:
    """CPU seconds of each rule over ``texts``, rules interleaved in each of three rounds."""
    import time

    for round_ in range(3):
        for name, rule in rules.items():
            start = time.process_time()
            _flagged(rule, texts)
            print(f"round {round_ + 1}: {name} {time.process_time() - start:.3f} s "
                  f"CPU for {len(texts)} clean texts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("tune", "test"), default="test")
    parser.add_argument("--against", default="eb8372f", help="revision of the rule before")
    parser.add_argument("-v", action="store_true", help="list flagged clean texts and misses")
    parser.add_argument("--cost", action="store_true",
                        help="only CPU seconds of each rule over the clean texts, 3 rounds")
    args = parser.parse_args()
    from revision import module_at  # the one loader of a module at a revision

    before: Rule = module_at("toolkit/qa/mojibake.py", args.against).mojibake_in
    sets = clean_texts(args.part)
    texts = [t for group in sets.values() for t in group]
    if args.cost:
        _cost(texts, {args.against: before, "now": mojibake_in})
        return
    hits = [t for t in texts if not t.isascii()]
    print(f"{args.part}: {len(sets)} files, {len(texts)} clean texts, {len(hits)} non-ASCII\n")
    print(f"| texts ({args.part}) | texts | flagged by {args.against} | flagged now |")
    print("|---|---|---|---|")
    flags = [_flagged(before, texts), _flagged(mojibake_in, texts)]
    print(f"| clean (false flags) | {len(texts)} | {sum(flags[0])} | {sum(flags[1])} |")
    for text, now in zip(texts, flags[1], strict=True):
        if now and args.v:
            print(f"    flagged clean: {text[:120]!r}", file=sys.stderr)
    for name, how in READINGS.items():
        broken = [how(t) for t in hits]
        flags = [_flagged(before, broken), _flagged(mojibake_in, broken)]
        print(f"| UTF-8 read as {name} | {len(broken)} | {sum(flags[0])} | {sum(flags[1])} |")
        missed = [text for text, now in zip(broken, flags[1], strict=True) if not now]
        for text in missed[:20] if args.v else []:
            print(f"    missed ({name}): {text[:120]!r}", file=sys.stderr)

if __name__ == "__main__":
    main()
