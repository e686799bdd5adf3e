"""The e-mail rule's long forwarder's note (:mod:`toolkit.prepare.sniff_mail`) on real article
text: each 10kGNAD article built into the shapes an article quoting a signed reply, or a
letter, above a forwarded message takes; none of them may be refused. markup_sniff.py's sets
hold no signed note above a forwarded block, so their zeros say nothing about this rule.

Run from the project root::

    .venv/bin/python benchmarks/markup_sniff.py ...   # the real sets, unchanged
    .venv/bin/python benchmarks/mail_notes.py --against main

What it does not show: real forwarded e-mails (none in the data), or how many real forwards
the rule misses (a note opening without a greeting is built as text).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from revision import module_at  # noqa: E402  (benchmarks/ is not a package)
from speed import load_gnad  # noqa: E402

REPLY = (
    "Sehr geehrter Herr Mayer,\n\nwir bedauern, Ihnen mitteilen zu m\u00fcssen, dass eine "
    "Stellungnahme derzeit nicht m\u00f6glich ist.\n\n"
    "Mit freundlichen Gr\u00fc\u00dfen\nMaria Huber\nPressesprecherin\n\n"
)
BLOCK = (
    "-----Urspr\u00fcngliche Nachricht-----\nVon: Stefan Mayer\n"
    "Gesendet: Montag, 30. November 2026 09:12\nAn: Presse BMAS\nBetreff: Anfrage\n\n"
)
SHAPES: dict[str, Callable[[str], str]] = {
    "its first 700 characters, `Die Antwort im Wortlaut:`, a signed reply, a forwarded block,"
    " the article": lambda a: f"{a[:700]}\n\nDie Antwort im Wortlaut:\n\n{REPLY}{BLOCK}{a}",
    "the same with its first 300 characters":
        lambda a: f"{a[:300]}\n\nDie Antwort im Wortlaut:\n\n{REPLY}{BLOCK}{a}",
    "its first 1,200 characters a sentence a line, `Mit freundlichen Gr\u00fc\u00dfen` / a"
    " name, a block": lambda a: a[:1200].replace(". ", ".\n")
    + f"\n\nMit freundlichen Gr\u00fc\u00dfen\nMaria Huber\n\n{BLOCK}{a}",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="main", help="git revision (default: main)")
    args = parser.parse_args(argv)
    from toolkit.prepare import sniff_mail

    then = module_at("toolkit/prepare/sniff_mail.py", args.against).mail_kind
    articles = load_gnad()
    print(f"| {len(articles):,} 10kGNAD articles, each as | refused now | {args.against} |")
    print("|---|---|---|")
    for label, make in SHAPES.items():
        texts = [make(article)[:16384] for article in articles]  # markup_kind's head
        now = sum(sniff_mail.mail_kind(text) is not None for text in texts)
        before = sum(then(text) is not None for text in texts)
        print(f"| {label} | {now:,} | {before:,} |")
    greeted = sum(map(sniff_mail._greeted, articles))  # the long note's first condition
    print(f"\narticles whose first line is a greeting: {greeted} of {len(articles):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
