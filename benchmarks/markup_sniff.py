"""What :func:`toolkit.prepare.sniff.markup_kind` refuses as HTML: in real text (none may be
refused) and in real pages cut into the shapes a user saves as ``.txt``.

Run from the project root::

    .venv/bin/python benchmarks/markup_sniff.py --sentences DIR [--docs LIST] [--pages LIST]
        [--against REV] [--show N]

Text: the 1,028 10kGNAD articles (``../shared/data/10kGNAD-test.csv``), the seeds
(``../shared/seeds``), the shipped ``corpus/original``, and with ``--sentences DIR`` each
``DIR/*.txt`` (the ``# text =`` lines of the UD dev and test splits: ``git --git-dir=<UD repo>
show HEAD:<split>.conllu | sed -n 's/^# text = //p' > DIR/<split>.txt``) once as one text and
once a sentence at a time. ``--docs LIST``: a file naming Markdown/reStructuredText files, one a
line (prose that names tags, code blocks, READMEs opening with an HTML block): the hardest real
text, not news. ``--pages LIST``: a file naming HTML pages, one a line; each is offered as it
is, without what precedes ``<html>``'s end (doctype and ``<html>`` gone), from ``<body`` on,
and after the ``<body>`` tag (the inner fragment). ``--mails LIST``: e-mail messages as
saved with their headers (Python's ``test/test_email/data/msg_*.txt``).

``--against REV`` counts with ``toolkit/prepare/sniff.py`` at git revision REV too, in one run,
and with the modules it imports at REV (``sniff_mail.py``): :func:`revision.module_at`.
What this does not show: pages in tags the rule does not know, or text in formats other than
these; the page shapes are cut from real pages, not saved by users.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT / ".." / "shared"

Kind = Callable[[str], "str | None"]


def sniff_at(rev: str | None) -> Kind:
    """``markup_kind`` of this checkout, or of git revision ``rev`` (its e-mail rule too)."""
    if rev is None:
        from toolkit.prepare.sniff import markup_kind

        return markup_kind
    from revision import module_at  # the one loader of a module at a revision

    return module_at("toolkit/prepare/sniff.py", rev).markup_kind  # type: ignore[no-any-return]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _listed(list_file: Path) -> list[Path]:
    return [p for p in map(Path, list_file.read_text().splitlines()) if p.is_file()]


def texts(sentences: Path | None, docs: Path | None) -> Iterator[tuple[str, str, str, bool]]:
    """(set, name, text, False) of real text, none of it a page."""
    with (SHARED / "data" / "10kGNAD-test.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'")):
            yield "10kGNAD articles", str(n), row[1], False
    for folder, label in ((SHARED / "seeds", "seeds"), (ROOT / "corpus" / "original", "corpus")):
        for path in sorted(folder.glob("*.txt")):
            yield label, path.name, _read(path), False
    for path in sorted(sentences.glob("*.txt")) if sentences else ():
        text = _read(path)
        yield "UD dev/test files", path.name, text, False
        for n, line in enumerate(text.splitlines(), start=1):
            yield "UD sentences", f"{path.name}:{n}", line, False
    for path in _listed(docs) if docs else ():
        yield "Markdown/rST docs", str(path), _read(path), False


def page_shapes(pages: Path) -> Iterator[tuple[str, str, str, bool]]:
    """(shape, name, text, True) of each page as it is and cut as a user may save it."""
    for path in _listed(pages):
        page = _read(path)
        low = page.lower()
        html, body = low.find("<html"), low.find("<body")
        shapes = {"page as is": page}
        if html >= 0:
            shapes["no doctype/<html>"] = page[low.find(">", html) + 1 :]
        if body >= 0:
            shapes["from <body"] = page[body:]
            shapes["inside <body>"] = page[low.find(">", body) + 1 :]
        for shape, text in shapes.items():
            if text.strip():
                yield shape, str(path), text, True


def count(rows: Iterator[tuple[str, str, str, bool]], kinds: dict[str, Kind],
          show: int) -> dict[str, dict[str, int]]:
    """Per set: how many texts, and how many each rule refuses as HTML; names up to ``show``
    texts per set that the current rule gets wrong (refused text, a page let through)."""
    table: dict[str, dict[str, int]] = {}
    for label, name, text, is_markup in rows:
        counts = table.setdefault(label, {"texts": 0, "shown": 0} | dict.fromkeys(kinds, 0))
        counts["texts"] += 1
        for rule, kind in kinds.items():
            found = kind(text)
            refused = found is not None
            counts[rule] += refused
            if rule == "now" and refused != is_markup and counts["shown"] < show:
                counts["shown"] += 1
                print(f"  {label}: {name}: {found}: {text.strip()[:70]!r}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=Path, help="folder of UD sentence files")
    parser.add_argument("--docs", type=Path, help="file listing Markdown/rST files")
    parser.add_argument("--pages", type=Path, help="file listing HTML pages")
    parser.add_argument("--mails", type=Path, help="file listing e-mail messages (.eml)")
    parser.add_argument("--against", metavar="REV", help="also count with sniff.py at REV")
    parser.add_argument("--show", type=int, default=5, help="name up to N refused texts per set")
    args = parser.parse_args()
    kinds = {"now": sniff_at(None)} | ({args.against: sniff_at(args.against)}
                                       if args.against else {})
    rows = texts(args.sentences, args.docs)
    if args.pages:
        rows = (r for it in (rows, page_shapes(args.pages)) for r in it)
    if args.mails:
        mails = (("e-mail messages", str(p), _read(p), True) for p in _listed(args.mails))
        rows = (r for it in (rows, mails) for r in it)
    table = count(rows, kinds, args.show)
    print("| set | texts | " + " | ".join(f"refused as markup ({k})" for k in kinds) + " |")
    print("|---|---|" + "---|" * len(kinds))
    for label, counts in table.items():
        print(f"| {label} | {counts['texts']:,} | "
              + " | ".join(f"{counts[k]:,}" for k in kinds) + " |")


if __name__ == "__main__":
    main()
