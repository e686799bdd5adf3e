"""``toolkit status`` says what is wrong with a corrections file that is none.

A FIFO or an invalid file (not UTF-8) in ``corrections/`` was listed as an "orphan
correction" (its error message shown as if it were a correction that lost its sentence),
while the build fails that document with one line. Status now gives that line, as the
state of the document (``error``), naming the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from test_status_stale import ENGLISH, english  # noqa: F401  (the fixture)

from toolkit.cli.app import cli
from toolkit.corpus.corrections import corrections_path, render_corrections
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"source_sha256\tsource\n\xff\xfe\n")


@pytest.mark.parametrize(
    ("make", "problem"),
    [(_fifo, "is a FIFO or device, not a corrections file"), (_not_utf8, "not UTF-8")],
)
def test_a_corrections_file_that_is_none_is_the_documents_error(
    english: Path,  # noqa: F811
    make: object,
    problem: str,
) -> None:
    path = corrections_path(english, ENGLISH)
    path.parent.mkdir()
    make(path)  # type: ignore[operator]
    rows, _ = corpus_status(english)
    (row,) = rows
    assert row.state == "error" and problem in row.message, row.message
    assert f"corrections/{ENGLISH}.corrections.tsv" in row.message  # where
    assert row.orphan_corrections == []
    # The line the build gives.
    assert build_corpus(english, provider=FakeProvider()).errors == {ENGLISH: row.message}
    result = CliRunner().invoke(cli, ["status", str(english)])
    assert result.exit_code == 0 and "orphan" not in result.stderr
    assert f"{ENGLISH}\ten\terror\t" in result.stdout and problem in result.stderr


def test_a_stray_corrections_fifo_is_named_for_what_it_is(english: Path) -> None:  # noqa: F811
    folder = english / "corrections"
    folder.mkdir()
    _fifo(folder / "gone.corrections.tsv")
    result = CliRunner().invoke(cli, ["status", str(english), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["orphan_correction_files"] == ["corrections/gone.corrections.tsv"]  # a path
    line = report["orphan_correction_file_problems"]["gone"]  # keyed by id, as before
    assert "corrections/gone.corrections.tsv: is a FIFO or device" in line
    assert "no original has that name" in line


def test_files_that_look_like_corrections_files_are_named_not_ignored(
    english: Path,  # noqa: F811
) -> None:
    """A file saved under another case, an editor's backup, or named after the original's
    file name: build and status never apply it, and each says so in one line (it was
    silent, or gave no hint), with the name to rename it to."""
    folder = english / "corrections"
    folder.mkdir()
    text = render_corrections([])
    for name in (f"{ENGLISH}.Corrections.TSV", f"{ENGLISH}.corrections.tsv.bak",
                 f"{ENGLISH}.txt.corrections.tsv", "notes.txt"):  # fmt: skip
        (folder / name).write_text(text, encoding="utf-8")
    target = f"rename it to {ENGLISH}.corrections.tsv to apply it"
    case = f"corrections/{ENGLISH}.Corrections.TSV: never read: only <document id>"
    backup = f"corrections/{ENGLISH}.corrections.tsv.bak: never read (a backup or copy?)"
    suffix = f"(did you mean {ENGLISH}? a corrections file is named by the document id"
    built = "\n".join(build_corpus(english, provider=FakeProvider()).lines())
    status = CliRunner().invoke(cli, ["status", str(english)])
    for said in (built, status.stderr):
        assert said.count(case) == 1 and said.count(backup) == 1 and said.count(suffix) == 1
        assert f"{case}.corrections.tsv is, and names are case-sensitive; {target}" in said
        assert "notes.txt" not in said
    assert f"warning: {case}" in built and f"warning: {backup}" in built
    as_json = CliRunner().invoke(cli, ["status", str(english), "--format", "json"])
    report = json.loads(as_json.stdout)
    assert report["orphan_correction_files"] == sorted(
        f"corrections/{ENGLISH}{rest}"
        for rest in (".Corrections.TSV", ".corrections.tsv.bak", ".txt.corrections.tsv")
    )
    problems = report["orphan_correction_file_problems"]
    assert sorted(problems) == sorted(
        [f"{ENGLISH}.txt", f"corrections/{ENGLISH}.Corrections.TSV",
         f"corrections/{ENGLISH}.corrections.tsv.bak"]
    )  # fmt: skip
