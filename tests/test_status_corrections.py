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
from toolkit.corpus.corrections import corrections_path
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
    assert report["orphan_correction_files"] == ["gone"]
    line = report["orphan_correction_file_problems"]["gone"]
    assert "corrections/gone.corrections.tsv: is a FIFO or device" in line
    assert "no original has that name" in line
