"""Corpus I/O: atomic writes, the aligned TSV format and the manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.corpus.formats import (
    ALIGNED_COLUMNS,
    parse_aligned_tsv,
    read_manifest,
    read_tsv_table,
    render_aligned_tsv,
    render_english_text,
    render_tsv_table,
    tsv_unescape,
)
from toolkit.corpus.writes import StagedWrites, atomic_write
from toolkit.errors import CorpusError
from toolkit.schema import Segment


def _seg(
    p: int, s: int, source: str, english: str | None, flags: list[str] | None = None
) -> Segment:
    return Segment(
        id=f"p{p}.s{s}",
        paragraph=p,
        sentence=s,
        source=source,
        english=english,
        source_sha256="0" * 64,
        flags=flags or [],
    )


def test_write_if_changed_leaves_identical_files_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"

    def write_if_changed(path: Path, data: bytes) -> bool:
        with StagedWrites() as writes:
            written = writes.write_if_changed(path, data)
            writes.commit()
        return written

    assert write_if_changed(target, b"hello") is True
    os.utime(target, (1, 1))
    assert write_if_changed(target, b"hello") is False
    assert target.stat().st_mtime == 1
    assert write_if_changed(target, b"world") is True
    assert target.read_bytes() == b"world"


def test_atomic_write_leaves_no_temp_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_english_text_keeps_paragraphs() -> None:
    segs = [_seg(1, 1, "A.", "A."), _seg(1, 2, "B.", "B."), _seg(2, 1, "C.", "C.")]
    assert render_english_text(segs) == "A. B.\n\nC.\n"


def test_aligned_tsv_has_header_and_one_row_per_segment() -> None:
    segs = [_seg(1, 1, "Quelle.", "Source.", ["number", "length"]), _seg(1, 2, "Zwei.", None)]
    text = render_aligned_tsv(segs)
    lines = text.splitlines()
    assert lines[0] == (
        "segment_id\tparagraph\tsentence\tsource\tenglish\tflags\torigin\tconfidence"
    )
    assert lines[1] == "p1.s1\t1\t1\tQuelle.\tSource.\tnumber,length\tnone\t"
    assert len(lines) == 3


def test_aligned_tsv_carries_machine_confidence_and_reads_old_files() -> None:
    machine = _seg(1, 1, "Quelle.", "Source.").model_copy(
        update={"origin": "machine", "confidence": -0.41237}
    )
    human = machine.model_copy(update={"origin": "human", "sentence": 2, "id": "p1.s2"})
    text = render_aligned_tsv([machine, human])
    assert text.splitlines()[1].endswith("\tmachine\t-0.4124")
    assert text.splitlines()[2].endswith("\thuman\t")  # a human's English has no model score
    rows = parse_aligned_tsv(text)
    assert [r.confidence for r in rows] == [-0.4124, None]
    # A file written before the column existed is still read; its rows have no confidence.
    old = "\n".join("\t".join(line.split("\t")[:7]) for line in text.splitlines()) + "\n"
    assert [(r.english, r.confidence) for r in parse_aligned_tsv(old)] == [
        ("Source.", None),
        ("Source.", None),
    ]
    with pytest.raises(CorpusError, match="confidence 'sure' is not a number"):
        parse_aligned_tsv(text.replace("-0.4124", "sure"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\tmachine\t", "\tmartian\t", "origin 'martian' is not one of source, machine"),
        ("-0.4124", "nan", "confidence 'nan' is not a number"),
        ("-0.4124", "-inf", "confidence '-inf' is not a number"),
        ("-0.4124", "-\u0661\u0662", "is not a number of at most 0"),  # float() reads it
        ("-0.4124", "-1_0", "is not a number of at most 0"),
        ("-0.4124", "5", "is not a number of at most 0"),
        ("-0.4124", " -0.5", "is not a number of at most 0"),
    ],
)
def test_aligned_tsv_refuses_an_unknown_origin_or_a_confidence_that_is_no_number(
    old: str, new: str, message: str
) -> None:
    """An edited aligned TSV with ``origin=martian`` or confidence ``nan`` was read as if
    valid: QA counted the row under no origin, calibration sorted ``nan`` anywhere."""
    machine = _seg(1, 1, "Quelle.", "Source.").model_copy(
        update={"origin": "machine", "confidence": -0.41237}
    )
    text = render_aligned_tsv([machine])
    with pytest.raises(CorpusError, match=message):
        parse_aligned_tsv(text.replace(old, new), "x.aligned.tsv")


def test_aligned_tsv_rejects_wrong_header() -> None:
    with pytest.raises(CorpusError, match="header"):
        parse_aligned_tsv("id\tsource\n", "x.tsv")


_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _cell,
            st.one_of(st.none(), _cell),
            st.lists(
                st.sampled_from(["number", "glossary-lost", "language:en"]), max_size=3, unique=True
            ),
        ),
        max_size=8,
    )
)
def test_aligned_tsv_round_trips(rows: list[tuple[str, str | None, list[str]]]) -> None:
    segs = [_seg(1, i + 1, src, eng, flags) for i, (src, eng, flags) in enumerate(rows)]
    parsed = parse_aligned_tsv(render_aligned_tsv(segs))
    assert [(r.source, r.english, list(r.flags), r.origin) for r in parsed] == [
        (s.source, s.english or "", s.flags, s.origin) for s in segs
    ]


def test_corrupt_manifest_line_is_reported_with_its_number(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text('{"document": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest.jsonl:1:"):
        read_manifest(manifest)


def test_importing_the_writer_leaves_the_umask_alone() -> None:
    """Reading the umask means setting it: that happens at the first write, never at import
    (an import that flips process state races with every thread writing files)."""
    import subprocess
    import sys

    probe = (
        "import os\n"
        "calls = []\n"
        "real = os.umask\n"
        "os.umask = lambda mask: (calls.append(mask), real(mask))[1]\n"
        "import toolkit.corpus.writes\n"
        "assert calls == [], calls\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_written_files_get_the_mode_open_would_give(tmp_path: Path) -> None:
    mask = os.umask(0o022)  # the only way to read it
    os.umask(mask)
    atomic_write(tmp_path / "out.txt", b"x")
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~mask


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
def test_tsv_table_round_trips_any_cell(rows: list[list[str]]) -> None:
    """The one TSV writer and reader: tabs, line breaks (also U+2028, U+0085) and
    backslashes stay inside their cell, and every row comes back."""
    text = render_tsv_table(("a", "b"), rows)
    table = read_tsv_table(text)
    assert table[0] == (1, ["a", "b"])
    assert [[tsv_unescape(c) for c in cells] for _, cells in table[1:]] == rows


def test_tsv_table_skips_bom_crlf_blanks_and_comments_only_in_hand_edited_files() -> None:
    text = "\ufeffa\tb\r\n# note\n  \n1\t2\n"
    assert read_tsv_table(text, hand_edited=True) == [(1, ["a", "b"]), (4, ["1", "2"])]
    assert read_tsv_table(text) == [
        (1, ["\ufeffa", "b\r"]),
        (2, ["# note"]),
        (3, ["  "]),
        (4, ["1", "2"]),
    ]


def test_aligned_tsv_with_a_paragraph_that_is_no_number_is_one_line_naming_it() -> None:
    text = "\t".join(ALIGNED_COLUMNS) + "\np1.s1\tx\t1\tHallo.\tHello.\t\tmachine\t\n"
    with pytest.raises(CorpusError, match=r"^bad.tsv:2: paragraph and sentence must be numbers"):
        parse_aligned_tsv(text, "bad.tsv")
