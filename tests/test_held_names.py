"""A built original renamed into a name the build does not read as that document -- hidden
(``.x.txt``) or in other letter case (``X.txt``) -- is held like a link or an NFD name: its
English is kept and every command says one line naming the way back; ``add`` and ``build
--only`` say what such a name is (attack findings, session 7's "Noticed and left alone")."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_removal
from click.testing import CliRunner
from test_removal import TOPICS, _article, _build, _english

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.originals import KEPT_DROP
from toolkit.pipeline.status import corpus_status, stale_documents

corpus = test_removal.corpus  # six built English articles

HIDDEN = (
    "skipped (hidden: the name starts with a dot; rename it to bridge.txt to build it): "
    "original/.bridge.txt; the English of its last build is kept"
    " (to drop the document instead, delete it or move it out of original/, then build)"
)
CASE = (
    "skipped (its name differs only in letter case from bridge.txt, which its document was "
    "built from, and document ids are case-sensitive; rename it back to bridge.txt): "
    "original/Bridge.txt; the English of its last build is kept"
    " (to drop the document instead, delete it or move it out of original/, then build)"
)


@pytest.mark.parametrize(("renamed", "line"), [(".bridge.txt", HIDDEN), ("Bridge.txt", CASE)])
def test_a_built_original_renamed_hidden_or_in_other_case_keeps_its_english(
    corpus: Path, tmp_path: Path, renamed: str, line: str
) -> None:
    """``bridge.txt`` renamed ``.bridge.txt`` counted as deleted (its English removed by the
    next build); renamed ``Bridge.txt`` it was a new document ``Bridge`` while ``bridge``'s
    English and corrections went (on a case-insensitive disk the two share their files)."""
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus

    before = _english(corpus)
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / renamed)
    summary = _build(corpus)
    assert summary.gone == [] and summary.built == [] and summary.errors == {}
    assert [x for x in summary.lines() if "ridge" in x] == [line]
    assert _english(corpus) == before
    assert sorted(read_manifest(corpus / "manifest.jsonl")) == sorted(TOPICS)
    rows, _stray = corpus_status(corpus)
    assert [(r.document, r.state, r.message) for r in rows if r.state != "built"] == [
        ("bridge", "skipped", line)
    ]
    assert stale_documents(corpus, set(TOPICS)) == {"bridge": line}
    everything = ExportOptions(include_flagged=True, include_same_language=True)
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", everything)
    assert stats.documents == 6
    assert not any("never built" in x for x in stats.lines())
    (corpus / "original" / renamed).rename(corpus / "original" / "bridge.txt")  # the fix named
    assert "bridge" in _build(corpus).up_to_date


def test_a_hidden_or_other_case_name_beside_its_original_holds_nothing(corpus: Path) -> None:
    """Only a renamed original holds: ``.bridge.txt`` beside ``bridge.txt`` is a hidden file
    like any other, and ``Bridge.txt`` beside it the id clash it always was."""
    (corpus / "original" / ".bridge.txt").write_text(_article("draft"), encoding="utf-8")
    summary = _build(corpus)
    assert "bridge" in summary.up_to_date
    assert not any(x.endswith(f"is kept{KEPT_DROP}") for x in summary.lines())


def test_add_of_a_file_with_the_id_of_a_held_document_adds_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """``bridge.txt`` a symlink (its English held) and ``bridge.md`` added: the build let the
    new file take the document over. Refused now; the name it was built from gives it back."""
    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / "bridge.txt").symlink_to(tmp_path / "nowhere.txt")
    new = tmp_path / "bridge.md"
    new.write_text(_article("zoo"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"toolkit: error: {new}: the English of document 'bridge' is held by "
        "original/bridge.txt (a symlink, never followed: it may point anywhere; replace it with "
        "the file itself); the new file would take it over: rename the new file "
        "(nothing was added)\n"
    )
    assert not (corpus / "original" / "bridge.md").exists()
    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / ".bridge.txt").write_text(_article("bridge"), encoding="utf-8")
    again = tmp_path / "again" / "bridge.txt"  # hidden: its own name back is the fix
    again.parent.mkdir()
    again.write_text(_article("bridge"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(again)])
    assert result.exit_code == 0, result.output
    assert "bridge" in _build(corpus).up_to_date


def test_build_only_a_symlink_says_what_it_is(corpus: Path, tmp_path: Path) -> None:
    """``toolkit build --only new.txt`` with ``new.txt`` a symlink said "no original of that
    name" while ``ls`` shows it: it says what the name is, and the fix."""
    (corpus / "original" / "new.txt").symlink_to(tmp_path / "nowhere.txt")
    for given in ("new.txt", "new"):
        result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
        assert result.exit_code == 2
        assert result.output.endswith(
            f"--only {given}: original/new.txt is never built: a symlink, never followed: it "
            "may point anywhere; replace it with the file itself\n"
        ), result.output


def test_an_original_in_other_case_beside_a_built_one_never_takes_its_id(corpus: Path) -> None:
    """``Bridge.txt`` put beside a built ``bridge.txt`` sorted first and took the id over:
    ``bridge.txt`` was refused and ``Bridge`` built, whose outputs are ``bridge``'s files on a
    case-insensitive disk. The built one keeps the id; the new one is refused."""
    before = _english(corpus)
    (corpus / "original" / "Bridge.txt").write_text(_article("zoo"), encoding="utf-8")
    summary = _build(corpus)
    assert "bridge" in summary.up_to_date and summary.built == []
    assert summary.errors == {
        "original/Bridge.txt": "original/Bridge.txt: same document id 'Bridge' as "
        "original/bridge.txt ('bridge': the ids differ only in letter case), whose outputs it "
        "would overwrite; rename one of them"
    }
    assert _english(corpus) == before


def test_add_of_the_built_name_with_other_text_over_a_held_original_adds_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """``bridge.txt`` hidden as ``.bridge.txt`` and another article added as ``bridge.txt``:
    it said "added" and ``bridge``'s English became the other article's. Only the bytes the
    document was built from give it back under that name (the NFD hold the same)."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / ".bridge.txt")
    new = tmp_path / "bridge.txt"
    new.write_text(_article("zoo"), encoding="utf-8")
    before = _english(corpus)
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"toolkit: error: {new}: the English of document 'bridge' is held by "
        "original/.bridge.txt (hidden: the name starts with a dot; rename it to bridge.txt"
    )
    assert result.output.endswith("rename the new file (nothing was added)\n")
    assert not (original / "bridge.txt").exists() and _english(corpus) == before
    (original / ".bridge.txt").rename(original / "Bridge.txt")  # other case: held the same
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert result.exit_code == 1 and "is held by original/Bridge.txt" in result.output
    assert not (original / "bridge.txt").exists() and _english(corpus) == before


def test_an_nfd_original_holds_against_an_added_nfc_name(corpus: Path, tmp_path: Path) -> None:
    import unicodedata

    nfc = "café.txt"
    (corpus / "original" / nfc).write_text(_article("coffee"), encoding="utf-8")
    assert "café" in _build(corpus).built
    (corpus / "original" / nfc).rename(corpus / "original" / unicodedata.normalize("NFD", nfc))
    new = tmp_path / nfc
    new.write_text(_article("zoo"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert result.exit_code == 1 and "the English of document 'café' is held" in result.output
    assert not (corpus / "original" / nfc).exists()


@pytest.mark.parametrize("renamed", [".Bridge.txt", ".BRIDGE.TXT", "nfd-case"])
def test_a_rename_in_more_than_one_way_keeps_the_english(corpus: Path, renamed: str) -> None:
    """Hidden and in other case (``.Bridge.txt``), or NFD and in other case (``Café.txt``
    for a built ``café.txt``): the build said the English of a document "whose original is
    gone" was removed. One rule now: NFC, case-folded, one leading dot stripped."""
    import unicodedata

    original, old = corpus / "original", "bridge.txt"
    if renamed == "nfd-case":
        old, renamed = "café.txt", unicodedata.normalize("NFD", "Café.txt")
        (original / old).write_text(_article("coffee"), encoding="utf-8")
        assert _build(corpus).built == ["café"]
    before = _english(corpus)
    (original / old).rename(original / renamed)
    summary = _build(corpus)
    assert summary.gone == [] and summary.built == [], summary.lines()
    held = [x for x in summary.lines() if x.endswith(f"is kept{KEPT_DROP}")]
    assert any(f"rename it to {old}" in x for x in held)
    assert _english(corpus) == before


def test_a_case_variant_beside_a_hidden_original_is_refused(corpus: Path) -> None:
    """``bridge.txt`` hidden as ``.bridge.txt`` reserves its id: a new ``Bridge.txt`` was
    built beside it (``Bridge.*`` and ``bridge.*`` in english/, one set of files on macOS)."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / ".bridge.txt")
    (original / "Bridge.txt").write_text(_article("zoo"), encoding="utf-8")
    before = _english(corpus)
    summary = _build(corpus)
    assert summary.built == [] and list(summary.errors) == ["original/Bridge.txt"]
    assert summary.errors["original/Bridge.txt"].startswith(
        "original/Bridge.txt: its document id 'Bridge' differs only in letter case from "
        "'bridge', whose English original/.bridge.txt holds"
    )
    assert _english(corpus) == before


@pytest.mark.parametrize(
    ("settings", "renamed"),
    [
        ("plain_text: [bridge.txt]\n", "Bridge.txt"),
        ("languages: {bridge.txt: en}\n", "Bridge.txt"),
        ("encodings: {bridge.txt: utf-8}\n", ".bridge.txt"),
    ],
)
def test_a_settings_entry_naming_a_held_documents_name_is_no_near_miss(
    corpus: Path, settings: str, renamed: str
) -> None:
    """``plain_text: [bridge.txt]`` and ``bridge.txt`` renamed ``Bridge.txt``: the whole
    build was refused as a near miss ("but 'Bridge.txt' is"), and following the held line
    (rename it back) made it one again; an ``encodings:`` entry with a hidden rename refused
    the build and the held line was never shown. The entry names the held document."""
    (corpus / "settings.yaml").write_text(settings, encoding="utf-8")
    _build(corpus)
    before = _english(corpus)
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / renamed)
    summary = _build(corpus)
    assert summary.errors == {} and summary.gone == []
    assert any(x.endswith(f"is kept{KEPT_DROP}") and renamed in x for x in summary.lines())
    assert _english(corpus) == before
    (corpus / "original" / renamed).rename(corpus / "original" / "bridge.txt")
    assert "bridge" in _build(corpus).up_to_date


def test_build_only_a_held_name_names_the_document_it_holds(corpus: Path) -> None:
    """``--only .bridge.txt`` said "is never built" of a name that holds built ``bridge``."""
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / ".bridge.txt")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", ".bridge.txt"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "--only .bridge.txt: original/.bridge.txt holds the built document 'bridge', not built "
        "while it has this name: hidden: the name starts with a dot; rename it to bridge.txt to "
        "build it\n"
    ), result.output


def test_an_appledouble_file_is_no_name_at_all(corpus: Path) -> None:
    """macOS writes ``._bridge.txt`` beside ``bridge.txt`` on a disk without resource forks:
    it was told to "rename it to build it", as if an article were hidden."""
    (corpus / "original" / "._bridge.txt").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    summary = _build(corpus)
    assert summary.hidden == [] and summary.errors == {}
    assert not any("._bridge" in x for x in summary.lines())


def test_a_built_underscore_name_hidden_is_held_not_dropped_as_appledouble(
    corpus: Path,
) -> None:
    """A built ``_x.txt`` renamed ``._x.txt`` is a hidden rename (held, its English kept),
    though its name looks like macOS's AppleDouble file: it counted as deleted."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / "_bridge.txt")
    assert "_bridge" in _build(corpus).built
    before = _english(corpus)
    (original / "_bridge.txt").rename(original / "._bridge.txt")
    summary = _build(corpus)
    assert summary.gone == [] and summary.errors == {}, summary.lines()
    assert any("original/._bridge.txt; the English of its last build is kept" in x
               for x in summary.lines()), summary.lines()  # fmt: skip
    assert _english(corpus) == before
    rows, _stray = corpus_status(corpus)
    assert {r.document: r.state for r in rows}["_bridge"] == "skipped"



@pytest.mark.parametrize("left", ["appledouble", "fifo", "symlink"])
def test_a_real_appledouble_file_left_after_its_built_underscore_name_is_deleted(
    corpus: Path, left: str
) -> None:
    """Attack 10d: ``_bridge.txt`` built, then deleted, and macOS's ``._bridge.txt`` (its
    AppleDouble file, starting 00 05 16 07) left: held as a hidden rename ("rename it to
    _bridge.txt"), the deleted document's English kept. Read by content, it is AppleDouble
    and ``_bridge`` is gone; a FIFO or a symlink by that name is never read (nor waited on)
    and stays a hidden rename."""
    import os

    original = corpus / "original"
    (original / "bridge.txt").rename(original / "_bridge.txt")
    assert "_bridge" in _build(corpus).built
    (original / "_bridge.txt").unlink()
    left_file = original / "._bridge.txt"
    if left == "appledouble":
        left_file.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    elif left == "fifo":
        os.mkfifo(left_file)
    else:
        left_file.symlink_to(original / "market.txt")
    summary = _build(corpus)
    held = any("original/._bridge.txt" in x for x in summary.lines())
    assert held == (left != "appledouble"), summary.lines()
    assert ("_bridge" in summary.gone) == (left == "appledouble"), summary.lines()
    assert ("_bridge.meta.json" in _english(corpus)) == (left != "appledouble")

@pytest.mark.parametrize("given", ["Bridge.txt", "Bridge", "bridge", "bridge.txt"])
def test_build_only_of_a_case_renamed_original_holds_it_as_the_full_build_does(
    corpus: Path, given: str
) -> None:
    """``bridge.txt`` renamed ``Bridge.txt``: ``--only bridge`` (the held document's id) and
    ``--only bridge.txt`` (the name it was built from) said "no original of that name"; each
    name now holds what the full build holds, with the full build's line."""
    before = _english(corpus)
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / "Bridge.txt")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
    assert result.exit_code == 0, result.output
    assert "0 built, 0 up to date" in result.output
    assert result.output.endswith(CASE + "\n"), result.output
    assert _english(corpus) == before


def test_build_only_says_only_the_lines_of_the_names_it_was_given(corpus: Path) -> None:
    """Attack 10c: ``--only bridge`` (``Bridge.txt`` holding it) said the skipped lines of
    every other held name too (``.budget.txt``, a folder): lines of documents it was not
    asked to build, the named one's among them."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / "Bridge.txt")
    (original / "budget.txt").rename(original / ".budget.txt")
    (original / "market.txt").unlink()
    (original / "market.txt").mkdir()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", "bridge"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "original/" in line]
    assert said == [CASE], result.output


def test_build_only_a_hidden_original_by_its_document_names_the_holder(corpus: Path) -> None:
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / ".bridge.txt")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", "bridge"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "--only bridge: original/.bridge.txt holds the built document 'bridge', not built "
        "while it has this name: hidden: the name starts with a dot; rename it to bridge.txt to "
        "build it\n"
    ), result.output


@pytest.mark.parametrize(("name", "why"), [
    ("._café.txt", "macOS's AppleDouble file (the resource fork of café.txt on a disk without "
                   "them), not an article"),
    (".DS_Store", "a file systems and tools leave in any folder, not an article"),
])
def test_build_only_an_ignored_file_says_it_is_ignored_and_why(
    corpus: Path, name: str, why: str
) -> None:
    """``--only ._café.txt`` said "no original of that name" of a file ``ls`` shows."""
    (corpus / "original" / name).write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", name])
    assert result.exit_code == 2
    assert result.output == f"toolkit: error: --only {name}: original/{name} is ignored: {why}\n"


@pytest.mark.parametrize("given", ["._bridge.txt", "_bridge", "_bridge.txt"])
def test_build_only_a_hidden_underscore_original_names_the_document_it_holds(
    corpus: Path, given: str
) -> None:
    """A built ``_bridge.txt`` renamed ``._bridge.txt`` is held, not macOS's AppleDouble
    file: ``--only`` of it (or of its document) said it is ignored, or "no original"."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / "_bridge.txt")
    assert "_bridge" in _build(corpus).built
    (original / "_bridge.txt").rename(original / "._bridge.txt")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
    assert result.exit_code == 2
    assert result.output.endswith(
        f"--only {given}: original/._bridge.txt holds the built document '_bridge', not built "
        "while it has this name: hidden: the name starts with a dot; rename it to _bridge.txt "
        "to build it\n"
    ), result.output


def test_an_appledouble_file_beside_its_built_underscore_original_is_ignored(
    corpus: Path,
) -> None:
    """``._bridge.txt`` beside a built, present ``_bridge.txt`` is macOS's AppleDouble file:
    ``--only`` of it advised "rename it to build it" (renaming it would overwrite the article)."""
    original = corpus / "original"
    (original / "bridge.txt").rename(original / "_bridge.txt")
    assert "_bridge" in _build(corpus).built
    (original / "._bridge.txt").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", "._bridge.txt"])
    assert result.exit_code == 2
    assert result.output == (
        "toolkit: error: --only ._bridge.txt: original/._bridge.txt is ignored: macOS's "
        "AppleDouble file (the resource fork of bridge.txt on a disk without them), not an "
        "article\n"
    )
    summary = _build(corpus)
    assert summary.errors == {} and not any("._bridge" in x for x in summary.lines())
    rows, _stray = corpus_status(corpus)
    assert {r.document: r.state for r in rows}["_bridge"] == "built"


@pytest.mark.parametrize("given", ["._notes.txt", "._notes"])
def test_a_dot_underscore_name_without_appledouble_bytes_is_a_hidden_name(
    corpus: Path, given: str
) -> None:
    """Attack 10e: a ``._notes.txt`` of text (no AppleDouble magic bytes) was called "macOS's
    AppleDouble file" by ``--only ._notes.txt``, "no original of that name" by ``--only
    ._notes``, and nothing by a full build, where ``.notes.txt`` is "skipped (hidden...)".
    Told by its content now: a hidden name like any other."""
    (corpus / "original" / "._notes.txt").write_text(_article("notes"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
    assert result.exit_code == 2, result.output
    assert result.output.endswith(
        f"--only {given}: original/._notes.txt is never built: hidden: the name starts with a "
        "dot; rename it to build it\n"
    ), result.output
    summary = _build(corpus)
    assert summary.errors == {}
    assert "skipped (hidden: the name starts with a dot; rename it to build it): " \
        "original/._notes.txt" in summary.lines(), summary.lines()  # fmt: skip


@pytest.mark.parametrize("given", ["bridge.txt/x", "a\x00b", "._a/b", "._a\x00"])
def test_build_only_a_path_or_nul_name_is_no_original_not_a_traceback(
    corpus: Path, given: str
) -> None:
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
    assert result.exit_code == 2, result.exception
    assert ": no original of that name in " in result.output


def test_build_only_of_an_nfd_name_selects_it_and_only_its_line(corpus: Path) -> None:
    """An original named in NFD (as macOS writes ``brücke.txt``), never built: ``--only`` of
    its name typed in NFC or its id said "no original of that name ... such as" a file that
    looks the same; ``--only`` of another document printed the NFD one's error line. Now
    the name in either Unicode form selects it (its line says to rename it to NFC), and
    another document's build says nothing of it."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "brücke.txt")
    (corpus / "original" / nfd).write_text(_article("new bridge"), encoding="utf-8")
    for given in (nfd, "brücke.txt", "brücke", nfd.removesuffix(".txt")):
        result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
        assert "no original of that name" not in result.output, (given, result.output)
        assert "is not in Unicode normal form NFC; rename the file" in result.output, given
    other = CliRunner().invoke(cli, ["build", str(corpus), "--only", "bridge.txt"])
    assert other.exit_code == 0, other.output
    assert "NFC" not in other.output and "1 up to date" in other.output, other.output


def test_build_only_of_an_nfd_name_beside_its_nfc_twin_selects_only_that_file(
    corpus: Path,
) -> None:
    """``café.txt`` in NFC and its NFD twin both in ``original/``: ``--only`` of the NFD name
    built the NFC document too (1 built, 1 failed). A name that is there as typed selects that
    file only; the other Unicode form is tried only when no name matches as typed."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "café.txt")
    (corpus / "original" / "café.txt").write_text(_article("new cafe"), encoding="utf-8")
    (corpus / "original" / nfd).write_text(_article("new cafe"), encoding="utf-8")
    for given in (nfd, nfd.removesuffix(".txt")):
        result = CliRunner().invoke(cli, ["build", str(corpus), "--only", given])
        assert "is not in Unicode normal form NFC; rename the file" in result.output, given
        assert "0 built" in result.output, (given, result.output)
        assert not [p for p in (corpus / "english").iterdir() if p.name.startswith("caf")], given


def test_an_original_refused_for_a_held_ids_letter_case_is_not_gone(corpus: Path) -> None:
    """``bridge`` held (``.bridge.txt``) and ``Bridge.txt`` refused beside it (one set of files
    on macOS and Windows): the readers (:func:`~toolkit.corpus.gone.present_documents`) saw
    a built ``Bridge``'s original there, the build took it for gone and removed its English
    (there, ``bridge``'s files). One answer: present, an error, its English kept."""
    import json

    from toolkit.corpus.gone import present_documents
    from toolkit.corpus.originals import scan_originals
    from toolkit.corpus.paths import CorpusPaths

    manifest = corpus / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    entry = json.loads(next(x for x in lines if json.loads(x)["document"] == "bridge"))
    entry.update(document="Bridge", input="original/Bridge.txt")  # an older build's, say
    moved = json.dumps(entry).replace('"bridge.', '"Bridge.')  # its outputs
    manifest.write_text("\n".join([*lines, moved]) + "\n", encoding="utf-8")
    for path in sorted((corpus / "english").glob("bridge.*")):
        (corpus / "english" / path.name.replace("bridge", "Bridge", 1)).write_bytes(
            path.read_bytes()
        )
    (corpus / "original" / "bridge.txt").rename(corpus / "original" / ".bridge.txt")
    (corpus / "original" / "Bridge.txt").write_text(_article("zoo"), encoding="utf-8")
    built = [(doc, e.input) for doc, e in read_manifest(manifest).items()]
    entries = scan_originals(CorpusPaths(corpus))
    assert {"Bridge", "bridge"} <= present_documents(entries, built)  # the readers' answer
    before = _english(corpus)
    summary = _build(corpus)
    assert "Bridge" not in summary.gone and "original/Bridge.txt" in summary.errors
    assert _english(corpus) == before


def test_present_ids_is_the_one_rule_of_the_build_status_and_the_readers() -> None:
    """An article's id or a held document is there; anything else built is gone, asked of
    one function by the build (removal), status and the readers (present_documents)."""
    from toolkit.corpus import gone
    from toolkit.pipeline import removal, status

    assert gone.present_ids(["a", "Bridge"], {"bridge": None}) == {"a", "Bridge", "bridge"}
    assert removal.present_ids is gone.present_ids is status.present_ids
