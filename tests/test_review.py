"""Side-by-side review: terminal columns and the static HTML page (without a browser)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import INJECTION_ARTICLE, build_shipped_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli.review import review
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.unbuilt import NO_ORIGINAL
from toolkit.review.documents import ReviewError, load_documents
from toolkit.review.html import render_html
from toolkit.review.rows import term_spans
from toolkit.review.terminal import TerminalStyle, cell_width, render_terminal, wrap_offsets
from toolkit.schema import GlossaryHit

GERMAN = "000_de546ec99307b48e"
ENGLISH = "001_cb2e6261cd7f216a"
INJECT = "004_inject"
GLOSSARY = Path(__file__).resolve().parents[1] / "glossary.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review") / "corpus"
    return build_shipped_corpus(root, {f"{INJECT}.txt": INJECTION_ARTICLE})


def _record(corpus: Path, doc: str):
    return read_meta(corpus / "english" / f"{doc}.meta.json")


# -- terminal ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab cdé\t\n"), max_size=200), width=st.integers(1, 30))
def test_wrap_keeps_every_word_in_order_within_width(text: str, width: int) -> None:
    lines = [text[a:b] for a, b in wrap_offsets(text, width)]
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("a 東京é\u0301 "), max_size=120),
    width=st.integers(2, 30),
)
def test_wrap_counts_terminal_columns_not_characters(text: str, width: int) -> None:
    # A CJK character takes two columns: wrapping by characters let Japanese rows run past
    # the width and broke the table's columns (attack finding).
    lines = [text[a:b] for a, b in wrap_offsets(text, width)]
    assert all(cell_width(line) <= width for line in lines)
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())


def test_a_cjk_row_keeps_the_table_aligned(corpus: Path) -> None:
    record = _record(corpus, GERMAN).model_copy(deep=True)
    record.segments = record.segments[:1]
    record.segments[0].source = "東京都の知事は月曜日に新しい計画を発表した。" * 3
    out = render_terminal(record, TerminalStyle(width=80, color=False))
    rows = [line for line in out.splitlines() if " │ " in line]
    assert len({cell_width(line.split(" │ ")[1]) for line in rows[1:]}) == 1
    assert all(cell_width(line) <= 80 for line in out.splitlines())
    assert "1 segment, " in out


def test_term_spans_prefer_the_longest_word_bounded_spelling() -> None:
    hits = [GlossaryHit(term=t, matched=t) for t in ("Kim", "Kim Kardashian")]
    text = "Kim Kardashian met Kimberly and Kim."
    spans = term_spans(text, hits, "english")
    assert [text[s.start : s.end] for s in spans] == ["Kim Kardashian", "Kim"]
    assert spans[1].start == text.rindex("Kim")


@pytest.mark.parametrize("width", [60, 100, 157])
def test_terminal_lines_fit_the_width_and_show_every_segment(corpus: Path, width: int) -> None:
    record = _record(corpus, GERMAN)
    out = render_terminal(record, TerminalStyle(width=width, color=False))
    assert "\x1b" not in out
    assert all(len(line) <= width for line in out.splitlines())
    starts = [line.split(" │ ")[0].strip() for line in out.splitlines() if " │ " in line]
    assert [s for s in starts if s] == [s.id for s in record.segments]
    rules = [line for line in out.splitlines() if line.startswith("── ¶")]
    assert len(rules) == len({s.paragraph for s in record.segments})
    assert out.count("⚑ untranslated") == sum("untranslated" in s.flags for s in record.segments)


def test_terminal_colour_highlights_glossary_terms_only_when_asked(corpus: Path) -> None:
    record = _record(corpus, ENGLISH)
    coloured = render_terminal(record, TerminalStyle(width=200, color=True))
    terms = re.findall(r"\x1b\[1;36m(.*?)\x1b\[0m", coloured)
    expected = sum(
        len(term_spans(s.source, s.glossary, "source"))
        + len(term_spans(s.english or "", s.glossary, "english"))
        for s in record.segments
    )
    assert expected > 0 and len(terms) == expected
    assert set(terms) <= {h.term for s in record.segments for h in s.glossary} | {
        h.matched for s in record.segments for h in s.glossary
    }
    plain = render_terminal(record, TerminalStyle(width=200, color=False))
    assert ANSI.sub("", coloured) == plain


def test_only_flagged_shows_just_flagged_rows(corpus: Path) -> None:
    record = _record(corpus, GERMAN)
    for seg in record.segments[::2]:  # unflag every other row
        seg.flags, seg.qa = [], []
    out = render_terminal(record, TerminalStyle(width=120, only_flagged=True))
    shown = {line.split(" │ ")[0].strip() for line in out.splitlines() if " │ " in line} - {""}
    assert shown == {s.id for s in record.segments if s.flags}


def test_review_command_prints_document_and_respects_color_option(corpus: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(review, [GERMAN, "--corpus", str(corpus), "--width", "90"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output  # not a terminal
    assert all(s.id in result.output for s in _record(corpus, GERMAN).segments)
    coloured = runner.invoke(review, [GERMAN, "--corpus", str(corpus), "--color", "always"])
    assert "\x1b[1;36m" in coloured.output


def test_review_accepts_a_meta_json_path_and_an_original_name(corpus: Path) -> None:
    meta = corpus / "english" / f"{ENGLISH}.meta.json"
    by_path = CliRunner().invoke(review, [str(meta)])  # its corpus is the one holding it
    by_name = CliRunner().invoke(review, [f"{ENGLISH}.txt", "--corpus", str(corpus)])
    assert by_path.exit_code == by_name.exit_code == 0
    assert by_path.output == by_name.output and ENGLISH in by_path.output
    # A --corpus naming another corpus than the path's is refused, never half-used.
    other = CliRunner().invoke(review, [str(meta), "--corpus", str(corpus / "nowhere")])
    assert other.exit_code == 1 and "is not --corpus" in other.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope"], "nope: no built document"),
        (["nope", "--corpus", "/nonexistent/corpus"], "no such corpus directory"),
        ([], "give a DOC"),
    ],
)
def test_review_bad_input_is_one_line(corpus: Path, args: list[str], needle: str) -> None:
    if "--corpus" not in args:
        args = [*args, "--corpus", str(corpus)]
    result = CliRunner().invoke(review, args)
    assert result.exit_code != 0
    assert result.output.startswith("toolkit: error: ") and needle in result.output
    assert result.output.count("\n") == 1


def test_corrupt_meta_json_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(corpus, root)
    (root / "english" / f"{INJECT}.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"changed since build.*\.meta\.json differs"):
        load_documents(root, [INJECT])
    loose = tmp_path / "x.meta.json"  # a meta.json named by path is read as it is
    loose.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"x\.meta\.json: not a document record"):
        load_documents(root, [str(loose)])


# -- HTML --------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects what the tests look at: tags with attributes, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.tags
            if t == tag and (cls is None or cls in (a.get("class") or "").split())
        ]


@pytest.fixture(scope="module")
def page(corpus: Path) -> tuple[str, _Page]:
    out = corpus.parent / "review.html"
    args = ["--html", str(out), "--corpus", str(corpus), "--glossary", str(GLOSSARY)]
    result = CliRunner().invoke(review, args)
    assert result.exit_code == 0, result.output
    html_text = out.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html_text)
    return html_text, parsed


def test_html_has_one_row_per_segment_and_a_toc_entry_per_document(corpus: Path, page) -> None:
    _, parsed = page
    records = load_documents(corpus, [])
    rows = parsed.having("tr", "segment")
    assert len(rows) == sum(len(r.segments) for r in records)
    flagged = [r for r in rows if "flagged" in (r["class"] or "")]
    assert len(flagged) == sum(1 for r in records for s in r.segments if s.flags)
    assert 0 < len(flagged) < len(rows)
    sections = parsed.having("section", "document")
    assert [s["data-document"] for s in sections] == [r.document for r in records]
    toc_links = [a["href"] for a in parsed.having("a")]
    assert toc_links == [f"#{s['id']}" for s in sections]
    breaks = parsed.having("tr", "paragraph-break")
    assert len(breaks) == sum(len({s.paragraph for s in r.segments}) for r in records)


def test_html_escapes_article_text(page) -> None:
    html_text, parsed = page
    assert html_text.count("<script") == 1  # the page's own
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    assert not parsed.having("b")
    assert any('<script>alert("x")</script>' in t for t in parsed.text)


def test_html_is_self_contained(page) -> None:
    html_text, parsed = page
    assert not parsed.having("link") and not parsed.having("img") and not parsed.having("iframe")
    assert all(not a.get("src") for _, a in parsed.tags)
    assert all((a.get("href") or "#").startswith("#") for _, a in parsed.tags)
    (csp,) = [a for a in parsed.having("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in (csp["content"] or "")
    assert "url(" not in html_text.split("</style>")[0]


def test_html_glossary_marks_name_their_entry(corpus: Path, page) -> None:
    _, parsed = page
    marks = parsed.having("mark", "term")
    assert marks
    kim = [m for m in marks if m["data-term"] == "Kim Kardashian"]
    assert kim and all("Kim Kardashian (person)" in (m["title"] or "") for m in kim)


def test_html_shows_flags_and_provenance(corpus: Path, page) -> None:
    html_text, parsed = page
    badges = parsed.having("span", "badge")
    assert {b["data-flag"] for b in badges} >= {"untranslated"}
    record = _record(corpus, GERMAN)
    for value in (record.input.path, record.input.encoding, "fake-de", record.input.sha256[:16]):
        assert value in html_text
    assert len(parsed.having("dl", "provenance")) == len(parsed.having("section", "document"))
    assert {"type": "checkbox", "id": "only-flagged"} in parsed.having("input")


def test_html_is_deterministic_and_written_atomically(corpus: Path, page, tmp_path: Path) -> None:
    html_text, _ = page
    records = load_documents(corpus, [])
    assert render_html(records) == render_html(records)
    out = tmp_path / "again.html"
    args = ["--html", str(out), "--corpus", str(corpus), "--glossary", str(GLOSSARY)]
    result = CliRunner().invoke(review, args)
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == html_text
    assert [p.name for p in tmp_path.iterdir()] == ["again.html"]


def test_html_for_selected_documents(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "two.html"
    args = ["--html", str(out), ENGLISH, GERMAN, "--corpus", str(corpus)]
    assert CliRunner().invoke(review, args).exit_code == 0
    parsed = _Page()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert [s["data-document"] for s in parsed.having("section", "document")] == [ENGLISH, GERMAN]


def test_html_without_built_documents_fails_clearly(tmp_path: Path) -> None:
    shutil.copytree(GLOSSARY.parent / "corpus" / "original", tmp_path / "c" / "original")
    args = ["--html", str(tmp_path / "x.html"), "--corpus", str(tmp_path / "c")]
    result = CliRunner().invoke(review, args)
    assert result.exit_code == 1 and "build" in result.output
    assert not (tmp_path / "x.html").exists()


# -- bidi controls and combining marks (issue 14) ------------------------------------------


def _with_english(corpus: Path, english: str):
    """The English document with its first segment's English replaced (as a correction or a
    model could leave it: cleaning only sees articles)."""
    record = _record(corpus, ENGLISH)
    first = record.segments[0].model_copy(update={"english": english})
    return record.model_copy(update={"segments": [first, *record.segments[1:]]})


def test_bidi_controls_that_remain_are_shown_as_visible_marks(corpus: Path) -> None:
    record = _with_english(corpus, "The price is \u202e0051\u202c euros.")
    for color in (False, True):
        shown = render_terminal(record, TerminalStyle(width=120, color=color))
        assert "⟨RLO⟩0051⟨PDF⟩" in ANSI.sub("", shown)
        assert "\u202e" not in shown and "\u202c" not in shown
    page = render_html([record])
    assert '<span class="bidi" title="bidi control U+202E">⟨RLO⟩</span>0051' in page
    assert "\u202e" not in page and "\u202c" not in page


def test_html_cells_clip_what_overflows_them() -> None:
    css = re.search(r"<style>(.*?)</style>", render_html([]), re.S)
    assert css is not None
    rule = re.search(r"table\.pairs td \{([^}]*)\}", css.group(1))
    assert rule is not None and "overflow: hidden" in rule.group(1)


# -- removed paragraphs (boilerplate) --------------------------------------------------------


def test_removed_paragraphs_stand_where_they_were(corpus: Path) -> None:
    """Kept and removed rows, in document order, give back the article's paragraphs in order:
    the seeds' credits, repeated headline and footer each where the reader would see them."""
    from toolkit.prepare.clean import clean_text
    from toolkit.prepare.segment import split_paragraphs
    from toolkit.review.rows import with_removed
    from toolkit.schema import BoilerplateHit

    for doc in (GERMAN, "003_c4a4f06c737cf0af"):
        record = _record(corpus, doc)
        original = (corpus / "original" / f"{doc}.txt").read_text(encoding="utf-8")
        paragraphs = split_paragraphs(clean_text(original).text)
        shown: list[str] = []
        for row in with_removed(record, record.segments, "document"):
            if isinstance(row, BoilerplateHit):
                shown.append(row.text)
            elif row.id.endswith(".s1"):
                shown.append(row.source)
        assert len(shown) == len(paragraphs) and record.cleaning.boilerplate
        assert all(p.startswith(s) for p, s in zip(paragraphs, shown, strict=True))


def test_terminal_review_shows_removed_paragraphs_marked_as_removed(corpus: Path) -> None:
    record = _record(corpus, GERMAN)
    text = render_terminal(record, TerminalStyle(width=200, only_flagged=True))
    assert "3 paragraphs removed" in text.splitlines()[0]
    lines = text.splitlines()
    for hit in record.cleaning.boilerplate:
        rule = lines.index(next(line for line in lines if hit.text[:40] in line)) - 1
        assert lines[rule].startswith("── removed (photo-credit), not translated ──")


def test_html_review_shows_removed_paragraphs_marked_as_removed(corpus: Path, page) -> None:
    _, parsed = page
    removed = parsed.having("tr", "removed")
    hits = [h for r in load_documents(corpus, []) for h in r.cleaning.boilerplate]
    assert len(removed) == len(hits) >= 6
    assert "removed (repeated-headline), not translated" in parsed.text
    assert "removed (related-post), not translated" in parsed.text


def test_review_of_a_document_whose_original_was_deleted_says_so(corpus: Path) -> None:
    """It was shown as built; the next build deletes its English."""
    root = corpus.parent / "gone" / "corpus"
    shutil.copytree(corpus, root)
    (root / "original" / f"{GERMAN}.txt").unlink()
    args = [GERMAN, "--corpus", str(root), "--color", "never", "--width", "300"]
    result = CliRunner().invoke(review, args)
    assert result.exit_code == 0, result.output
    note = NO_ORIGINAL
    assert note.startswith("no original (deleted?); the next build removes its English")
    assert f"toolkit: warning: {GERMAN}: {note}; shown as last built" in result.stderr
    assert result.stdout.splitlines()[0].startswith(f"== {GERMAN}  NOT CURRENT, ")
    assert result.stdout.splitlines()[1].startswith(note)
