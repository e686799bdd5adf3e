"""Hostile input: the toolkit refuses or survives it, never follows it, never hangs on it.

Covered elsewhere (not repeated here):

* YAML anchor/alias bombs, ``!!python/object`` and custom tags, deep nesting, oversize
  glossaries: ``tests/test_glossary.py`` (``test_anchor_bomb_is_refused_quickly``,
  ``test_plain_alias_is_refused``, ``test_python_tag_is_refused_and_never_constructed``,
  ``test_custom_tag_is_refused``, ``test_deep_nesting_is_refused``,
  ``test_oversize_file_is_refused_before_parsing``); here only that ``toolkit build`` with
  such a glossary stops before touching the corpus.
* ``<script>`` in an article is escaped in the HTML review:
  ``tests/test_review.py::test_html_escapes_article_text`` (and in a real browser,
  ``tests/test_review_browser.py``).
* Pathological paragraphs for the segmenter: ``tests/test_segment.py``
  (``test_pathological_paragraphs_lose_nothing``, ``test_many_tiny_paragraphs``); how long
  they take: ``benchmarks/pathological.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest, read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status
from toolkit.pipeline.unbuilt import NO_ORIGINAL
from toolkit.prepare.clean import clean_text
from toolkit.prepare.document import prepare_document

ENGLISH = "The council met on Monday to discuss the new bridge over the river.\n"
SECRET = "TOP-SECRET-LINE-7f3a"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty corpus; the CLI finds no translation models (English needs none)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    return root


def all_output_bytes(root: Path) -> bytes:
    files = [*sorted((root / "english").iterdir()), root / "manifest.jsonl"]
    return b"".join(p.read_bytes() for p in files)


# -- toolkit add: file names ----------------------------------------------------------------------


def test_add_uses_only_the_base_name_of_relative_and_absolute_paths(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rel.txt").write_text(ENGLISH, encoding="utf-8")
    (outside / "abs.txt").write_text(ENGLISH.replace("Monday", "Friday"), encoding="utf-8")
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(
        cli,
        ["add", "--corpus", str(corpus), "../../outside/rel.txt", str(outside / "abs.txt")],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (corpus / "original").iterdir()) == ["abs.txt", "rel.txt"]
    assert sorted(read_manifest(corpus / "manifest.jsonl")) == ["abs", "rel"]
    # Nothing landed next to the corpus or in the working directory.
    assert sorted(p.name for p in corpus.parent.iterdir()) == ["corpus", "outside", "work"]
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("name", [".bashrc", ".hidden.txt"])
def test_add_refuses_hidden_names(corpus: Path, tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_text(ENGLISH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(source)])
    assert result.exit_code == 1
    assert "empty, hidden or stdin file names are not added" in result.output
    assert list((corpus / "original").iterdir()) == []


def test_add_refuses_stdin_and_directories(corpus: Path, tmp_path: Path) -> None:
    piped = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), "-"], input=ENGLISH)
    assert piped.exit_code == 1 and "stdin" in piped.output
    for directory in ("..", str(tmp_path), "/"):
        result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), directory])
        assert result.exit_code != 0, directory
    assert list((corpus / "original").iterdir()) == []


def test_add_never_writes_through_a_symlink(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("precious\n", encoding="utf-8")
    (corpus / "original" / "note.txt").symlink_to(target)
    new = tmp_path / "incoming" / "note.txt"
    new.parent.mkdir()
    new.write_text(ENGLISH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "precious\n"


# -- original/: symlinks, duplicate ids -----------------------------------------------------------


def test_symlinks_in_original_are_not_followed_and_are_reported(
    corpus: Path, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(f"{SECRET} is what the article says.\n", encoding="utf-8")
    secret_dir = tmp_path / "secret-dir"
    secret_dir.mkdir()
    (secret_dir / "inner.txt").write_text(f"{SECRET} again.\n", encoding="utf-8")
    (corpus / "original" / "real.txt").write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "link.txt").symlink_to(secret_file)
    (corpus / "original" / "linkdir").symlink_to(secret_dir)
    (corpus / "original" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["real"] and summary.exit_code == 0
    assert summary.skipped == ["dangling.txt", "link.txt", "linkdir"]
    skipped = "skipped (a symlink, never followed: it may point anywhere; replace it with the file"
    assert f"{skipped} itself): original/link.txt" in summary.lines()
    assert sorted(p.name for p in (corpus / "english").iterdir()) == [
        "real.aligned.tsv",
        "real.en.txt",
        "real.meta.json",
    ]
    assert SECRET.encode() not in all_output_bytes(corpus)


def test_two_originals_with_one_document_id_are_not_merged(corpus: Path) -> None:
    (corpus / "original" / "a.md").write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "a.txt").write_text("A different article altogether.\n", "utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["a"] and summary.exit_code == 1
    (message,) = summary.errors.values()
    assert message.startswith("original/a.txt: same document id 'a' as original/a.md")
    assert read_meta(corpus / "english" / "a.meta.json").input.path == "original/a.md"
    # Stable: the next build does not flip to the other file.
    again = build_corpus(corpus, provider=FakeProvider())
    assert again.up_to_date == ["a"] and again.files_written == 0
    # ``toolkit add`` of the clashing name (building only it) cannot overwrite either.
    added = build_corpus(corpus, provider=FakeProvider(), only=["a.txt"])
    assert added.files_written == 0 and added.exit_code == 1


def test_originals_whose_ids_differ_only_in_case_are_not_both_built(corpus: Path) -> None:
    """``Case.txt`` and ``case.txt`` would write ``Case.en.txt`` and ``case.en.txt``: one
    file on a case-insensitive file system (macOS, Windows, a synced copy), so one would
    silently replace the other's English. Like ``a.md``/``a.txt``: the first by name is
    built, the other reported."""
    (corpus / "original" / "Case.txt").write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "case.txt").write_text("A different article altogether.\n", "utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert "Case" in summary.built and "case" not in summary.built
    assert summary.exit_code == 1
    (message,) = summary.errors.values()
    assert message.startswith("original/case.txt: same document id 'case' as original/Case.txt")
    assert not (corpus / "english" / "case.en.txt").exists()


@pytest.mark.parametrize("name", ["line\u2028separator.txt", "new\nline.txt", "nel\x85.txt"])
def test_file_names_with_line_breaks_keep_the_manifest_readable(corpus: Path, name: str) -> None:
    # Such a name gives no safe document id: reported (spelled out, one line) and skipped.
    (corpus / "original" / name).write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["ok"] and summary.exit_code == 1
    (message,) = summary.errors.values()
    assert "\n" not in message and "\u2028" not in message and "\x85" not in message
    assert "rename the file" in message
    assert list(read_manifest(corpus / "manifest.jsonl")) == ["ok"]
    again = build_corpus(corpus, provider=FakeProvider())
    assert again.up_to_date == ["ok"] and again.files_written == 0


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (" .txt", "starts or ends with a space"),
        (" lead.txt", "starts or ends with a space"),
        ("trail .txt", "starts or ends with a space"),
        ("a\u00a0b.txt", "contains the space U+00A0 (NO-BREAK SPACE), not a plain space"),
        ("a\u2009b.txt", "contains the space U+2009 (THIN SPACE), not a plain space"),
        ("a\u3000b.txt", "contains the space U+3000 (IDEOGRAPHIC SPACE), not a plain space"),
        ("a\u200bb.txt", "contains the invisible or control character U+200B"),
    ],
)
def test_names_with_odd_spaces_are_refused_and_a_plain_space_is_kept(
    corpus: Path, name: str, problem: str
) -> None:
    """``" .txt"`` gave the id ``" "``; ``a b.txt`` and ``a<NBSP>b.txt`` were two documents
    that look identical in every listing. Refused with one line; ``a b.txt`` still builds."""
    (corpus / "original" / name).write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "a b.txt").write_text(ENGLISH, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["a b"] and summary.exit_code == 1
    (message,) = summary.errors.values()
    assert message.startswith("original/") and f" {problem}; rename the file" in message
    assert list(read_manifest(corpus / "manifest.jsonl")) == ["a b"]


def test_hidden_originals_are_reported_not_silently_skipped(corpus: Path) -> None:
    for name in ("..txt", ".x.txt", ".DS_Store", "ok.txt"):
        (corpus / "original" / name).write_text(ENGLISH, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["ok"]
    hidden = "skipped (hidden: the name starts with a dot; rename it to build it)"
    assert [line for line in summary.lines() if line.startswith("skipped")] == [
        f"{hidden}: original/..txt",
        f"{hidden}: original/.x.txt",
    ]


# The attacker's c5/original/bp.txt, with a credit line that must go.
AGENCY_ARTICLE = (
    "Die Regierung hat am Montag neue Zahlen zur Arbeitslosigkeit vorgelegt.\n\n"
    "Reuters zitierte den Minister mit den Worten:\n\n"
    "„Wir sind sehr zufrieden mit der Entwicklung am Arbeitsmarkt.“\n\n"
    "Foto: APA/dpa\n\n"
    "dpa-Analyse: Warum die Reform scheitern könnte\n\n"
    "Die Opposition sieht das anders und fordert weitere Maßnahmen.\n"
)


def test_build_says_what_it_removed_boilerplate_and_the_english_of_gone_originals(
    corpus: Path,
) -> None:
    (corpus / "original" / "bp.txt").write_text(AGENCY_ARTICLE, encoding="utf-8")
    (corpus / "original" / "art29.txt").write_text(ENGLISH, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert "boilerplate: 1 paragraph removed in 1 document (bp), not translated; toolkit " \
        "review DOC shows them" in summary.lines()  # fmt: skip
    (hit,) = read_meta(corpus / "english" / "bp.meta.json").cleaning.boilerplate
    assert (hit.rule, hit.text) == ("photo-credit", "Foto: APA/dpa")
    (corpus / "original" / "art29.txt").unlink()
    # Until the next build, status lists it (it did not: it vanished while its English stayed).
    rows, _stray = corpus_status(corpus)
    (gone,) = [r for r in rows if r.document == "art29"]
    assert (gone.state, gone.message) == ("no original", NO_ORIGINAL)
    assert NO_ORIGINAL.startswith("no original (deleted?); the next build removes its English")
    again = build_corpus(corpus, provider=FakeProvider())
    assert "removed the English of 1 document whose original is gone: art29" in again.lines()
    assert not (corpus / "english" / "art29.en.txt").exists()


# -- bytes and sizes ------------------------------------------------------------------------------


def test_nul_bytes_near_the_start_refuse_that_file_only(corpus: Path) -> None:
    (corpus / "original" / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    (corpus / "original" / "nul.txt").write_bytes(ENGLISH.encode() + b"\x00hidden\x00" + b"x" * 50)
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["ok"] and summary.exit_code == 1
    assert summary.errors["nul"] == (
        "original/nul.txt: looks like binary data (NUL bytes), not text; remove it, or give "
        "the article as a plain text file"
    )


def test_nul_bytes_deep_inside_a_text_are_cleaned_and_recorded(corpus: Path) -> None:
    # Past the 8 kB the binary sniffer reads: the text decodes, cleaning drops the NULs.
    body = ENGLISH * 200 + "The last\x00 line has a NUL.\n"
    (corpus / "original" / "late.txt").write_text(body, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["late"]
    assert b"\x00" not in all_output_bytes(corpus)
    meta = read_meta(corpus / "english" / "late.meta.json")
    assert any("control" in change for change in meta.cleaning.changes)
    assert meta.segments[-1].source == "The last line has a NUL."


def test_terminal_escapes_in_an_article_never_reach_the_terminal(corpus: Path) -> None:
    evil = "The mayor\x1b[2J\x1b]0;pwned\x07 resigned on Tuesday after a long debate.\n"
    (corpus / "original" / "esc.txt").write_text(evil, encoding="utf-8")
    build_corpus(corpus, provider=FakeProvider())
    assert b"\x1b" not in all_output_bytes(corpus) and b"\x07" not in all_output_bytes(corpus)
    shown = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), "esc", "--color", "never"])
    assert shown.exit_code == 0 and "resigned" in shown.output and "\x1b" not in shown.output


def test_bidi_controls_in_an_article_are_removed_recorded_and_never_displayed(
    corpus: Path,
) -> None:
    """Trojan Source: ``\u202e0051\u202c`` displays as "1500" while the data says 0051."""
    evil = "Der Preis beträgt \u202e0051\u202c Euro, sagte der Händler am Dienstag.\n"
    (corpus / "original" / "bidi.txt").write_text(evil, encoding="utf-8")
    build_corpus(corpus, provider=FakeProvider())
    outputs = all_output_bytes(corpus)
    for control in ("\u202e", "\u202c"):
        assert control.encode() not in outputs
    meta = read_meta(corpus / "english" / "bidi.meta.json")
    assert "bidi-controls (x2)" in meta.cleaning.changes
    assert meta.segments[0].source.startswith("Der Preis beträgt 0051 Euro")
    shown = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), "bidi", "--color", "never"])
    assert shown.exit_code == 0 and "0051 Euro" in shown.output and "\u202e" not in shown.output


def test_ten_thousand_combining_marks_are_capped_and_recorded(corpus: Path) -> None:
    zalgo = "Der Bürgermeister a" + "\u0301" * 10_000 + " trat am Dienstag zurück.\n"
    (corpus / "original" / "zalgo.txt").write_text(zalgo, encoding="utf-8")
    build_corpus(corpus, provider=FakeProvider())
    meta = read_meta(corpus / "english" / "zalgo.meta.json")
    assert "combining-marks (x1)" in meta.cleaning.changes
    (seg,) = meta.segments
    assert seg.source == "Der Bürgermeister \u00e1" + "\u0301" * 8 + " trat am Dienstag zurück."


def test_five_megabyte_single_line_through_the_real_package(
    tmp_path: Path, tiny_package_file: Path
) -> None:
    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    packages = tmp_path / "packages"
    install_from_file(tiny_package_file, packages)
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    line = "Der Hund schläft im Garten und die Katze spielt mit dem Ball " * 80_000
    (root / "original" / "long.txt").write_text(line, encoding="utf-8")
    assert len(line.encode()) > 4_900_000 and "\n" not in line
    summary = build_corpus(root, provider=ArgosProvider(packages_dir=packages))
    assert summary.built == ["long"], summary.lines()
    (seg,) = read_meta(root / "english" / "long.meta.json").segments
    assert seg.source == line.strip() and seg.english
    assert "length" in seg.flags  # the model's input is capped; QA says the output is short


def test_five_megabyte_line_of_sentences_is_split_without_loss() -> None:
    line = "Der Rat tagte am Montag. Dr. Meier sprach über die 3. Brücke! " * 80_000
    record = prepare_document(line.encode(), "original/line.txt")
    assert len(record.segments) == 160_000
    assert " ".join(s.source for s in record.segments) == line.strip()


def test_hundred_thousand_tiny_paragraphs_are_all_kept() -> None:
    text = "Der Hund schläft. Die Katze spielt.\n\n" * 100_000
    record = prepare_document(text.encode(), "original/tiny.txt")
    assert len({s.paragraph for s in record.segments}) >= 99_990  # boilerplate may drop a few


# -- HTML entities --------------------------------------------------------------------------------


def test_ten_thousand_nested_entities_resolve_and_terminate() -> None:
    text = "&" + "amp;" * 10_000 + "x"
    cleaned = clean_text(text).text
    assert cleaned == "&x"
    assert clean_text(cleaned).text == cleaned


def test_nested_entities_reach_ftfy_collapsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """ftfy unescapes one level per round, so n nested levels would cost O(n^2); the cleaner
    collapses the run first (one round), with the same result as ftfy's own loop."""
    import ftfy

    seen: list[str] = []
    real = ftfy.fix_and_explain

    def spy(text: str, config: object = None) -> object:
        seen.append(text)
        return real(text, config)

    monkeypatch.setattr(ftfy, "fix_and_explain", spy)
    deep = "&" + "amp;" * 20_000 + "quot;x"
    assert clean_text(deep).text == '"x'
    assert seen and all("&amp;amp;" not in text for text in seen)
    for depth in range(1, 6):  # same answer as ftfy alone, level by level
        text = "a &" + "amp;" * depth + "lt; b"
        assert clean_text(text).text == real(text).text
    # With a "<" on the line ftfy's "auto" mode leaves entities alone; so does the collapse.
    assert clean_text("<b> &amp;amp; </b>").text == real("<b> &amp;amp; </b>").text


# -- glossary -------------------------------------------------------------------------------------


def test_build_with_a_hostile_glossary_stops_before_touching_the_corpus(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "original" / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    marker = tmp_path / "pwned"
    bombs = {
        "bomb.yaml": 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nentries: []\n',
        "tag.yaml": f"entries: !!python/object/apply:os.system ['touch {marker}']\n",
    }
    for name, text in bombs.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["build", str(corpus), "--glossary", str(path)])
        assert result.exit_code == 1
        assert result.output.startswith(f"toolkit: error: {path}:1:")
        assert len(result.output.strip().splitlines()) == 1
    assert not marker.exists()
    assert sorted(p.name for p in corpus.iterdir()) == [".lock", "original"]


ORIGINALS = Path(__file__).resolve().parents[1] / "corpus" / "original"


def test_an_empty_original_folder_never_deletes_all_the_english(tmp_path: Path) -> None:
    # An emptied original/ (a sync that has not run, a wrong mount) made the next build
    # delete every document's English, exit 0 (attack finding). Deleting some originals
    # still removes their English, as before.
    import shutil

    from toolkit.errors import CorpusError

    root = tmp_path / "corpus"
    shutil.copytree(ORIGINALS, root / "original")
    build_corpus(root, provider=FakeProvider())
    before = sorted(p.name for p in (root / "english").iterdir())
    originals = sorted((root / "original").iterdir())
    for path in originals:
        path.unlink()
    refused = r"holds the original of none of the corpus's 4 built documents; nothing was"
    with pytest.raises(CorpusError, match=refused):
        build_corpus(root, provider=FakeProvider())
    # A stray file that is no article does not count (attack finding: one empty .txt or a
    # Thumbs.db let the build delete everything).
    (root / "original" / "empty.txt").write_bytes(b"")
    (root / "original" / "Thumbs.db").write_bytes(b"\x00\x01" * 100)
    with pytest.raises(CorpusError, match=refused):
        build_corpus(root, provider=FakeProvider())
    assert sorted(p.name for p in (root / "english").iterdir()) == before
    assert len(read_manifest(root / "manifest.jsonl")) == 4
    # Nor does a new article that only waits for a model (third attack: a French README).
    (root / "original" / "LISEZMOI.txt").write_text(
        "Lisez-moi: ce dossier contient les articles de la semaine prochaine.\n", "utf-8"
    )
    with pytest.raises(CorpusError, match=refused):
        build_corpus(root, provider=FakeProvider())
    assert sorted(p.name for p in (root / "english").iterdir()) == before
    # One original back: removing the other three is still refused (more than half of the
    # built documents at once: an emptied original/ given one article by `toolkit add`);
    # --allow-removal removes them, as any deleted original's English is removed.
    shutil.copy(ORIGINALS / originals[0].name, root / "original")
    with pytest.raises(CorpusError, match="holds the original of only 1 of the corpus's 4"):
        build_corpus(root, provider=FakeProvider())
    assert len(build_corpus(root, provider=FakeProvider(), allow_removal=True).gone) == 3


def test_status_says_what_is_true_of_a_gone_original_waiting_for_a_model(corpus: Path) -> None:
    """A document waiting for a model has no English: its deleted original's line said "the
    next build removes its English" all the same. Now: it has none, the build forgets it."""
    from toolkit.pipeline.unbuilt import no_original_line

    german = "000_de546ec99307b48e"
    seeds = Path(__file__).parents[1] / "corpus" / "original"
    shutil.copy(seeds / f"{german}.txt", corpus / "original")
    (corpus / "original" / "art29.txt").write_text(ENGLISH, encoding="utf-8")
    build_corpus(corpus, provider=FakeProvider(pairs=()))
    (corpus / "original" / f"{german}.txt").unlink()
    rows, _stray = corpus_status(corpus)
    (gone,) = [r for r in rows if r.document == german]
    assert gone.state == "no original" and gone.message == no_original_line("needs-model")
    assert gone.message == (
        "no original (deleted?); it waits for a model and has no English; the next build forgets it"
    )
    assert "removes its English" not in gone.message
    again = build_corpus(corpus, provider=FakeProvider(pairs=()))
    assert german not in {r.document for r in corpus_status(corpus)[0]}
    assert again.exit_code == 0
    # The summary counted it as English removed; it had none: it was forgotten.
    assert again.gone == [] and again.forgotten == {german: "needs-model"}
    assert not any(line.startswith("removed the English") for line in again.lines())
    assert (
        f"forgot 1 document waiting for a model (no English to remove) whose original is "
        f"gone: {german}"
    ) in again.lines()
