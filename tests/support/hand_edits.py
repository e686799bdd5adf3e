"""Hand edits as a user makes them, for the tests of what build, status and the readers say."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def edit_cell(corpus: Path, doc: str, english: str, row: int = 1) -> bytes:
    """The English cell of ``doc``'s aligned row ``row`` (the first by default), edited as in
    a spreadsheet; the file's bytes after."""
    path = corpus / "english" / f"{doc}.aligned.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[row].split("\t")
    cells[4] = english
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.read_bytes()


def reseal(root: Path, name: str) -> None:
    """Record ``english/name``'s new hash in the manifest, as if a build had written it:
    readers leave out documents whose files differ from what the manifest lists."""
    manifest = root / "manifest.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    for entry in entries:
        if name in entry["outputs"]:
            data = (root / "english" / name).read_bytes()
            entry["outputs"][name] = hashlib.sha256(data).hexdigest()
    manifest.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
