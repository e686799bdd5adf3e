"""Which corpus a document given as a path belongs to: the corpus holding its ``english/``
file (never silently ./corpus), and ``read_meta``'s one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.corrections import correct
from toolkit.cli.review import review
from toolkit.corpus.corrections import corrections_path
from toolkit.corpus.formats import MetaError, read_meta
from toolkit.errors import ToolkitError

GERMAN = "000_de546ec99307b48e"


@pytest.fixture
def two(built_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """./corpus (the default) and ./other, both built from the same originals."""
    here, other = tmp_path / "corpus", tmp_path / "other"
    shutil.copytree(built_template, here)
    shutil.copytree(built_template, other)
    monkeypatch.chdir(tmp_path)
    return here, other


def _correct(*args: str):
    return CliRunner().invoke(correct, [*args, "--no-build"])


@pytest.mark.parametrize("suffix", [".meta.json", ".aligned.tsv"])
def test_correct_writes_into_the_corpus_holding_the_path(two, suffix: str) -> None:
    here, other = two
    result = _correct(f"other/english/{GERMAN}{suffix}", "p1.s1", "Fixed.")
    assert result.exit_code == 0, result.output
    assert corrections_path(other, GERMAN).is_file()
    assert not corrections_path(here, GERMAN).exists()  # was written here, silently


def test_correct_refuses_a_path_of_another_corpus_than_corpus_given(two) -> None:
    here, other = two
    result = _correct(f"other/english/{GERMAN}.meta.json", "p1.s1", "x", "--corpus", "corpus")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "is not --corpus corpus" in result.output
    assert not corrections_path(here, GERMAN).exists()
    assert not corrections_path(other, GERMAN).exists()
    same = _correct(f"other/english/{GERMAN}.meta.json", "p1.s1", "x", "--corpus", "./other/")
    assert same.exit_code == 0, same.output


def test_correct_refuses_a_copy_in_no_corpus(two, tmp_path: Path) -> None:
    here, _ = two
    shutil.copy(here / "english" / f"{GERMAN}.meta.json", tmp_path / "copy.meta.json")
    result = _correct("copy.meta.json", "p1.s1", "x")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "is in no corpus's english/ folder" in result.output
    assert not corrections_path(here, GERMAN).exists()


def test_a_missing_path_is_never_looked_up_as_an_id_in_corpus(two) -> None:
    here, other = two
    (other / "english" / f"{GERMAN}.meta.json").unlink()
    result = _correct(f"other/english/{GERMAN}.meta.json", "p1.s1", "x")
    assert result.exit_code == 1 and "no such file" in result.output
    assert not corrections_path(here, GERMAN).exists()


def test_review_refuses_a_path_of_another_corpus_than_corpus_given(two) -> None:
    path = f"other/english/{GERMAN}.meta.json"
    refused = CliRunner().invoke(review, [path, "--corpus", "corpus", "--color", "never"])
    assert refused.exit_code == 1 and "is not --corpus corpus" in refused.output
    shown = CliRunner().invoke(review, [path, "--color", "never"])
    assert shown.exit_code == 0 and f"== {GERMAN}" in shown.output


def test_serve_refuses_a_corpus_argument_and_another_corpus_given(
    two, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[Path] = []
    monkeypatch.setattr(
        "toolkit.review.workbench.launch.run_workbench", lambda root, **_: served.append(root)
    )
    result = CliRunner().invoke(review, ["--serve", "other", "--corpus", "corpus"])
    assert served == []
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "give one of them" in result.output  # it served other, ignoring --corpus


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "no such file"),
        (lambda p: p.write_text("not json", encoding="utf-8"), "not a document record"),
        (lambda p: p.write_text('{"document": 5}', encoding="utf-8"), "not a document record"),
        (lambda p: p.write_bytes(b"\xff\xfe{"), "not a document record"),
    ],
)
def test_read_meta_fails_in_one_line_naming_the_file(tmp_path: Path, make, needle: str) -> None:
    path = tmp_path / "x.meta.json"
    make(path)
    with pytest.raises(MetaError) as caught:
        read_meta(path)
    message = str(caught.value)
    assert isinstance(caught.value, ToolkitError) and isinstance(caught.value, ValueError)
    assert message.startswith(f"{path}: ") and needle in message and "\n" not in message
    assert "toolkit build" in message or "give" in message


# -- an original's path names its document (toolkit.corpus.originals.original_document) ---------


def test_review_and_correct_find_a_document_by_its_originals_path(two) -> None:
    """``review other/original/x.txt`` showed x, then was refused as "not a document's file";
    it is x of the corpus holding that original/, for review and correct alike."""
    here, other = two
    path = f"other/original/{GERMAN}.txt"
    shown = CliRunner().invoke(review, [path, "--color", "never"])
    assert shown.exit_code == 0, shown.output
    assert f"== {GERMAN}" in shown.output
    refused = CliRunner().invoke(review, [path, "--corpus", "corpus", "--color", "never"])
    assert refused.exit_code == 1 and "is not --corpus corpus" in refused.output
    result = _correct(path, "p1.s1", "Fixed.")
    assert result.exit_code == 0, result.output
    assert corrections_path(other, GERMAN).is_file()
    assert not corrections_path(here, GERMAN).exists()


def test_an_originals_path_reads_the_last_build_not_a_file(two) -> None:
    """Looked up as its id in the corpus's last build: an original changed since the build
    is named as changed, as for the id (never read as if it were an output file)."""
    _, other = two
    (other / "original" / f"{GERMAN}.txt").write_text("Neu geschrieben.\n", encoding="utf-8")
    by_path = CliRunner().invoke(review, [f"other/original/{GERMAN}.txt", "--color", "never"])
    by_id = CliRunner().invoke(review, [GERMAN, "--corpus", "other", "--color", "never"])
    assert by_path.exit_code == by_id.exit_code
    assert by_path.output == by_id.output


# -- a bare id with a path of another corpus; what to do with a corpus never built ---------------


def test_review_refuses_a_bare_id_with_a_path_of_another_corpus(two, tmp_path: Path) -> None:
    """``review ID other/english/y.meta.json`` looked ID up in other without saying so, while
    ID alone means the ID of ./corpus: refused in one line naming both corpora."""
    args = [GERMAN, f"other/english/{GERMAN}.meta.json", "--color", "never"]
    refused = CliRunner().invoke(review, args)
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert refused.output.startswith(f"toolkit: error: {GERMAN}: a document id given with")
    assert "corpus other" in refused.output and "--corpus is corpus" in refused.output
    told = CliRunner().invoke(review, [*args, "--corpus", "other"])
    assert told.exit_code == 0 and told.output.count(f"== {GERMAN}") == 2
    shutil.rmtree(tmp_path / "corpus")  # no ./corpus: the id can only mean other's
    assert CliRunner().invoke(review, args).exit_code == 0


def test_correct_in_a_corpus_never_built_says_what_is_true(tmp_path: Path, monkeypatch) -> None:
    """``correct q/original/x.txt`` advised ``toolkit build q`` for a folder with no original/
    (no corpus, a build fails) and for an original that is not there (a build makes no x)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain").mkdir()
    plain = _correct("plain/original/x.txt", "p1.s1", "x")
    assert plain.exit_code == 1 and plain.output.count("\n") == 1
    assert "plain is not a corpus: it has no original/ folder (nor english/)" in plain.output
    (tmp_path / "q" / "original").mkdir(parents=True)
    (tmp_path / "q" / "original" / "brief.txt").write_text("Kurz.\n", encoding="utf-8")
    missing = _correct("q/original/x.txt", "p1.s1", "x")
    assert missing.exit_code == 1 and "toolkit build" not in missing.output
    assert "q/original/x.txt: no such original, and q has no built documents" in missing.output
    unbuilt = _correct("q/original/brief.txt", "p1.s1", "x")
    assert unbuilt.exit_code == 1 and "build the corpus first: run toolkit build q" in (
        unbuilt.output
    )
    no_corpus = CliRunner().invoke(review, ["x", "--corpus", "plain"])
    assert no_corpus.exit_code == 1 and "toolkit build" not in no_corpus.output


def test_corpus_of_is_the_one_rule_for_original_and_english_paths(tmp_path: Path) -> None:
    """original_document (original/) and corpus_holding (english/) share corpus_of."""
    from toolkit.corpus.originals import original_document
    from toolkit.corpus.paths import ENGLISH, ORIGINAL, corpus_of
    from toolkit.review.documents import corpus_holding

    (tmp_path / "c" / "original").mkdir(parents=True)
    (tmp_path / "c" / "english").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "c" / "english")
    assert corpus_of(tmp_path / "c" / "original" / "x.txt", ORIGINAL) == tmp_path / "c"
    assert corpus_of(tmp_path / "link" / "x.meta.json", ENGLISH) == tmp_path / "c"
    assert corpus_of(tmp_path / "c" / "english" / "x.txt", ORIGINAL) is None
    assert corpus_of(tmp_path / "d" / "original" / "x.txt", ORIGINAL) is None
    assert original_document(tmp_path / "c" / "original" / "x.txt") == (tmp_path / "c", "x")
    assert corpus_holding(tmp_path / "link" / "x.meta.json") == tmp_path / "c"


def test_load_documents_refuses_a_path_of_another_corpus_as_the_command_line_does(two) -> None:
    """`load_documents(corpus, ["other/english/x.meta.json"])` read the other corpus's file
    as it was (and `other/original/x.txt` looked `x` up in `corpus`): only the command line
    asked which corpus a path belongs to. load_documents asks it too, by the one rule."""
    from toolkit.review.documents import ReviewError, load_documents, resolve_document

    here, other = two
    for doc in (f"other/english/{GERMAN}.meta.json", f"other/original/{GERMAN}.txt"):
        with pytest.raises(ReviewError, match="the document's corpus is not corpus_root corpus"):
            load_documents(Path("corpus"), [doc])
        with pytest.raises(ReviewError, match="the document's corpus is not corpus_root corpus"):
            resolve_document(Path("corpus"), doc)  # what `correct` writes the correction for
    ours = load_documents(Path("corpus"), [f"corpus/english/{GERMAN}.meta.json"])
    assert [record.document for record in ours] == [GERMAN]
    copy = Path(shutil.copy(here / "english" / f"{GERMAN}.meta.json", "copy.meta.json"))
    assert [r.document for r in load_documents(Path("corpus"), [f"./{copy}"])] == [GERMAN]
    assert [r.document for r in load_documents(other, [f"other/english/{GERMAN}.meta.json"])]
