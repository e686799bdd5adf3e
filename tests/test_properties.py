"""Property-based tests of the reliability machinery.

The four core properties of the text pipeline live next to their modules and are not
repeated here:

* cleaning is idempotent: ``tests/test_clean.py::test_clean_is_idempotent``;
* segmentation loses no characters and keeps order:
  ``tests/test_segment.py::test_sentences_lose_no_characters`` and
  ``test_paragraphs_lose_no_characters_and_are_clean``;
* glossary protect -> identity translation -> restore gives the sentence back:
  ``tests/test_glossary.py::test_property_protect_identity_restore_roundtrip``;
* the aligned TSV round-trips: ``tests/test_corpus.py::test_aligned_tsv_round_trips``.

Here: staged (all-or-nothing) writes against a model of the directory, with and without a
failure injected at any point of the commit, and the manifest round trip.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.corpus.formats import read_manifest, render_manifest
from toolkit.corpus.paths import OUTPUT_SUFFIXES, id_problem
from toolkit.corpus.writes import CorpusWriteError, StagedWrites
from toolkit.schema import ManifestEntry

TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
NAMES = st.sampled_from(["a.en.txt", "a.meta.json", "b.aligned.tsv", "manifest.jsonl"])
CONTENT = st.binary(max_size=40)
OPERATION = st.tuples(NAMES, st.none() | CONTENT)  # None: remove the file
STATE = st.dictionaries(NAMES, CONTENT, max_size=4)


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def apply(directory: Path, ops: list[tuple[str, bytes | None]], fail_at: int | None) -> None:
    """Stage ``ops`` and commit, with ``os.replace``/``os.unlink`` failing at call ``fail_at``."""
    real_replace, real_unlink = os.replace, os.unlink
    calls = [0]

    def maybe_fail(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == fail_at:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return real(*args, **kwargs)

        return call

    with StagedWrites() as writes:
        for name, data in ops:
            if data is None:
                writes.remove(directory / name)
            else:
                writes.write_if_changed(directory / name, data)
        os.replace, os.unlink = maybe_fail(real_replace), maybe_fail(real_unlink)
        try:
            writes.commit()
        finally:
            os.replace, os.unlink = real_replace, real_unlink


@settings(max_examples=150, deadline=None)
@given(before=STATE, ops=st.lists(OPERATION, max_size=8), fail_at=st.none() | st.integers(1, 10))
def test_staged_writes_are_all_or_nothing(
    before: dict[str, bytes], ops: list[tuple[str, bytes | None]], fail_at: int | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, data in before.items():
            (directory / name).write_bytes(data)
        expected = dict(before)
        for name, data in ops:
            if data is None:
                expected.pop(name, None)
            else:
                expected[name] = data
        try:
            apply(directory, ops, fail_at)
        except CorpusWriteError as exc:
            assert str(exc).startswith(str(directory)) and "Read-only file system" in str(exc)
            assert listing(directory) == dict(sorted(before.items()))  # nothing changed
        else:
            after = listing(directory)
            # A failure after the last rename can only hit deleting a backup: harmless
            # garbage with a temp name, which the next build removes (remove_temp_files).
            leftovers = {n for n in after if TEMP.match(n)}
            assert {n: after[n] for n in sorted(after) if n not in leftovers} == dict(
                sorted(expected.items())
            )
            assert not leftovers or (fail_at is not None and fail_at <= 10)


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_SHA = st.text("0123456789abcdef", min_size=64, max_size=64)


@st.composite
def _entries(draw: st.DrawFn) -> ManifestEntry:
    """Manifest entries with any document text; about half name only their own outputs."""
    document = draw(_text.filter(bool))
    own = st.dictionaries(st.sampled_from([document + s for s in OUTPUT_SUFFIXES]), _SHA)
    return ManifestEntry(
        document=document,
        input=draw(_text),
        input_sha256=draw(_SHA),
        fingerprint=draw(_SHA),
        status=draw(st.sampled_from(["built", "needs-model", "error"])),
        message=draw(st.none() | _text),
        language=draw(st.sampled_from(["de", "nl", "en"])),
        segments=draw(st.integers(0, 10_000)),
        outputs=draw(own | st.dictionaries(_text, _SHA)),
    )


ENTRY = _entries()


@settings(max_examples=150, deadline=None)
@given(st.lists(ENTRY, max_size=6, unique_by=lambda e: e.document))
def test_manifest_round_trips_and_is_sorted(entries: list[ManifestEntry]) -> None:
    text = render_manifest(entries)
    assert text.count("\n") == len(entries)  # one line per entry, whatever the text holds
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.jsonl"
        path.write_text(text, encoding="utf-8")
        dropped: list[str] = []
        parsed = read_manifest(path, dropped)
    # Entries whose id is not a safe file name, or that list another document's outputs,
    # are dropped (never followed) and reported; every other entry round-trips exactly.
    kept = [
        e
        for e in entries
        if id_problem(e.document) is None
        and set(e.outputs) <= {e.document + s for s in OUTPUT_SUFFIXES}
    ]
    assert len(dropped) == len(entries) - len(kept)
    assert list(parsed) == sorted(e.document for e in kept)
    assert parsed == {e.document: e for e in kept}
    assert render_manifest(parsed.values()) == render_manifest(kept)  # byte-stable


def test_commit_failure_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example behind the property: the failing file is named, the first one restored."""
    (tmp_path / "a.en.txt").write_bytes(b"old a")
    with pytest.raises(CorpusWriteError, match=r"b\.aligned\.tsv: cannot write \(Read-only"):
        apply(tmp_path, [("a.en.txt", b"new a"), ("b.aligned.tsv", b"new b")], fail_at=2)
    assert listing(tmp_path) == {"a.en.txt": b"old a"}
