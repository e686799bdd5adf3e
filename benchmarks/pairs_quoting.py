"""Spreadsheet quoting in pairs TSVs: is every pair read as it was written?

Run from the project root::

    .venv/bin/python benchmarks/pairs_quoting.py

The 300 UD German-PUD pairs (``../shared/data/pud-dev/de_en.dev.tsv``; 19 English sides
hold a straight quote) are written the ways a user's file arrives -- as distributed (no
quoting), by Python's ``csv`` module (``QUOTE_MINIMAL``, ``QUOTE_ALL``, the ``excel-tab``
dialect with CRLF) and by the toolkit itself (``toolkit export --pairs ... --format tsv``) --
and read back by :func:`toolkit.qa.pairs.read_bilingual`. A row counts as right when its
source and target are exactly the original text. "read literally" is what the reader did
before spreadsheet quoting was decoded (cells as they stand). The toolkit's own TSVs of the
project's corpus (``export --format tsv`` with everything included, ``translate --format
tsv``) are read both ways too: decoding must change none of their rows. Held out (the rule
was written before they were read): every sentence of eight UD treebanks (English, German,
Dutch; ``/work/.mirror``) as a plain ``source<TAB>target`` file, unquoted and csv-quoted.

What it does not show: files quoted by other spreadsheet programs' settings (only the ``csv``
module's writers are run), nor how often a real file mixes quoted and literal cells (those
are refused, see ``toolkit.qa.quoting``).
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

from toolkit.corpus.formats import read_tsv_table, tsv_unescape
from toolkit.export.units import ExportOptions
from toolkit.qa.pairs import QaInputError, read_bilingual

ROOT = Path(__file__).resolve().parents[1]
PUD = ROOT / ".." / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"
UD = Path("/work/.mirror")
TREEBANKS = ("English-EWT", "English-GUM", "English-PUD", "German-GSD", "German-LIT",
             "German-PUD", "Dutch-Alpino", "Dutch-LassySmall")
ALL = ExportOptions(include_flagged=True, include_same_language=True)


def _csv(rows: list[list[str]], **kwargs: object) -> str:
    out = io.StringIO()
    options = {"delimiter": "\t", "lineterminator": "\n", **kwargs}
    csv.writer(out, **options).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue()


def _literal(path: Path, columns: tuple[str, str] | None) -> list[tuple[str, str]]:
    """Source and target of each row as the cells stand (what the reader did before);
    ``columns`` None: a file without a header."""
    table = read_tsv_table(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
    if columns is None:
        return [(c[0], c[1] if len(c) > 1 else "") for _, c in table]
    header = [cell.strip('"') for cell in table[0][1]]
    i, j = header.index(columns[0]), header.index(columns[1])
    own = "segment_id" in header
    unescape = tsv_unescape if own else (lambda v: v)
    # A cell holding a line break splits its row: the pieces have fewer cells.
    return [(unescape(c[i]) if i < len(c) else "", unescape(c[j]) if j < len(c) else "")
            for _, c in table[1:]]


def _row(
    name: str, path: Path, truth: list[tuple[str, str]], columns: tuple[str, str] | None
) -> None:
    # Read literally, a cell holding a line break splits its row: rows no longer line up.
    literal = sum(a == b for a, b in zip(_literal(path, columns), truth, strict=False))
    try:
        pairs = read_bilingual(path, "de")
        read = [(p.source, p.target) for p in pairs]
        right = f"{sum(a == b for a, b in zip(read, truth, strict=True))}"
    except QaInputError as err:
        right = f"refused: {str(err).split(': ', 1)[1]}"
    quoted = sum('"' in a or '"' in b for a, b in truth)
    print(f"| {name} | {len(truth)} | {quoted} | {literal} | {right} |")


def _pud(tmp: Path) -> None:
    rows = [line.split("\t") for line in PUD.read_text(encoding="utf-8").splitlines()]
    truth = [(r[1], r[2]) for r in rows[1:]]
    files = {
        "as distributed (no quoting)": PUD.read_text(encoding="utf-8"),
        "csv module, QUOTE_MINIMAL": _csv(rows),
        "csv module, QUOTE_ALL": _csv(rows, quoting=csv.QUOTE_ALL),
        "csv module, excel-tab dialect (CRLF)": _csv(rows, dialect="excel-tab",
                                                     lineterminator="\r\n"),
        # Rows added in a text editor to a file a spreadsheet saved: which is which?
        "first half csv-quoted, second half not": _csv(rows[:151]) + "".join(
            "\t".join(r) + "\n" for r in rows[151:]),
    }
    for name, text in files.items():
        path = tmp / f"{len(name)}.tsv"
        path.write_text(text, encoding="utf-8")
        _row(f"PUD, {name}", path, truth, ("de", "en"))
    # Cells holding a line break: two sentences a cell (a paragraph), as a spreadsheet saves it.
    joined = [rows[0], *([a[0], f"{a[1]}\n{b[1]}", f"{a[2]}\n{b[2]}"]
                         for a, b in zip(rows[1::2], rows[2::2], strict=True))]
    for name, text in (("QUOTE_MINIMAL", _csv(joined)),
                       ("excel-tab dialect (CRLF)", _csv(joined, dialect="excel-tab",
                                                         lineterminator="\r\n"))):
        path = tmp / f"joined.{len(name)}.tsv"
        path.write_text(text, encoding="utf-8")
        _row(f"PUD, two sentences a cell (line break), csv {name}", path,
             [(r[1], r[2]) for r in joined[1:]], ("de", "en"))
    from toolkit.review.workbench.pairs import export_pairs

    own = tmp / "pud.export.tsv"
    export_pairs(PUD, "de", "en", "tsv", own, ALL)
    _row("PUD, toolkit export --pairs --format tsv", own, truth, ("source", "target"))


def _corpus(tmp: Path) -> None:
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.export.units import select_units
    from toolkit.export.writer import write_units
    from toolkit.pipeline.translate_files import render_translations

    records = list(read_snapshot(ROOT / "corpus").records)
    units, _ = select_units(records, ALL)
    export = tmp / "corpus.export.tsv"
    write_units(units, "tsv", export)
    _row("corpus, toolkit export --format tsv", export,
         [(u.source, u.target) for u in units], ("source", "target"))
    translated = tmp / "corpus.translate.tsv"
    translated.write_text(render_translations(records, "tsv"), encoding="utf-8")
    truth = [(s.source, s.english or "") for r in records for s in r.segments]
    header = read_tsv_table(translated.read_text(encoding="utf-8"))[0][1]
    _row("corpus, toolkit translate --format tsv", translated, truth,
         ("source", next(c for c in ("target", "english") if c in header)))


def _treebank_sentences(name: str) -> list[str]:
    """Every ``# text`` of a UD treebank's bare mirror (all splits), or [] when absent."""
    import subprocess

    git = ["git", "--git-dir", str(UD / f"UniversalDependencies+UD_{name}" / "repo")]
    listing = subprocess.run([*git, "ls-tree", "--name-only", "HEAD"], capture_output=True,
                             text=True)
    texts = []
    for name_ in listing.stdout.split():
        if name_.endswith(".conllu"):
            data = subprocess.run([*git, "show", f"HEAD:{name_}"], capture_output=True,
                                  text=True).stdout
            texts += [line[9:] for line in data.splitlines() if line.startswith("# text = ")]
    return texts


def _treebanks(tmp: Path) -> None:
    """Held out: real sentences (both columns) in plain ``source<TAB>target`` files."""
    for name in TREEBANKS:
        texts = [t for t in _treebank_sentences(name) if "\t" not in t]
        if not texts:
            continue
        truth = [(t, t) for t in texts]
        paragraphs = [f"{a}\n{b}" for a, b in zip(texts[::2], texts[1::2], strict=False)]
        for how, text, rows in (
            ("no quoting", "".join(f"{t}\t{t}\n" for t in texts), truth),
            ("csv QUOTE_MINIMAL", _csv([[t, t] for t in texts]), truth),
            ("two sentences a cell (line break), csv QUOTE_MINIMAL",
             _csv([[t, t] for t in paragraphs]), [(t, t) for t in paragraphs]),
        ):
            path = tmp / f"{name}.{len(how)}.tsv"
            path.write_text(text, encoding="utf-8")
            _row(f"UD {name}, {how}", path, rows, None)


def main() -> int:
    if not PUD.exists():
        print(f"{PUD}: missing (../shared/data/pud-dev)", file=sys.stderr)
        return 1
    print("| file | rows | rows with a straight quote | right, read literally (before) "
          "| right, read now |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        _pud(Path(tmp))
        _corpus(Path(tmp))
        _treebanks(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
