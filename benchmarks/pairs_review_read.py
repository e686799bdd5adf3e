"""CPU time of one read of a pairs file by the review workbench (``pairs_record``: read,
corrections applied, QA), the cost each request pays.

Run from the project root (``PYTHONPATH=/tmp/before:.`` times an older tree's toolkit)::

    .venv/bin/python benchmarks/pairs_review_read.py

The file: the 300 PUD pairs seven times over (2,100 rows, ids ``p0`` ...), no sidecar, no
glossary. Language id is loaded by a first read that is not timed; the mean of two reads is
printed, with the number of rows flagged. What it does not show: wall time of a request
(JSON, the browser), glossaries, other files' mix of languages.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from toolkit.corpus.corrections import load_review_file
from toolkit.glossary.model import Glossary
from toolkit.review.workbench.pairs import pairs_record

PUD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"


def main() -> None:
    rows = list(csv.reader(PUD.open(encoding="utf-8"), delimiter="\t"))[1:]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.tsv"
        lines = ["id\tsource\ttarget", *(f"p{i}\t{r[1]}\t{r[2]}" for i, r in enumerate(rows * 7))]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        state = load_review_file(Path(tmp) / "pairs.tsv.corrections.tsv")
        pairs_record(path, "de", "en", Glossary.empty(), state)  # loads language id
        start = time.process_time()
        for _ in range(2):
            record = pairs_record(path, "de", "en", Glossary.empty(), state)
        took = (time.process_time() - start) / 2
    flagged = sum(bool(s.flags) for s in record.segments)
    print(f"{len(record.segments)} rows: {took:.3f} s CPU per read, {flagged} flagged")


if __name__ == "__main__":
    main()
