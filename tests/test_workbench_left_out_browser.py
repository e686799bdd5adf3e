"""The workbench's overview in headless Chromium says which originals have no English at all
(never built, or failed), above the documents, in the line ``review --html`` puts on its page:
a reviewer never takes the list for the whole corpus. Likewise the correction rows that match
no row of their document, in the line ``toolkit build`` prints.

Skipped like tests/test_workbench_browser.py when Chromium or playwright is missing; saves
``test-artifacts/workbench-left-out.png``.
"""

from __future__ import annotations

from pathlib import Path

from test_review_stale_browser import GERMAN, ROOT, _page, server  # noqa: F401
from test_workbench_browser import browser  # noqa: F401  (the fixture; skips without Chromium)

from toolkit.corpus.corrections import Correction, corrections_path, render_corrections
from toolkit.pipeline.provenance import sha256_text
from toolkit.pipeline.summary import orphan_line
from toolkit.pipeline.unbuilt import unbuilt_line


def test_the_overview_names_the_originals_with_no_english(
    server: str,  # noqa: F811
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(server, wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    assert page.locator("#left-out").is_hidden()  # the whole corpus is built: no notice

    original = tmp_path / "corpus" / "original"
    (original / "zz_new.txt").write_text("Ein neuer Artikel.\n", encoding="utf-8")
    (original / "empty.txt").write_text("", encoding="utf-8")  # a build fails it
    page.reload(wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    notice = page.locator("#left-out")
    assert notice.is_visible()
    assert notice.bounding_box()["y"] < page.locator("#docs").bounding_box()["y"]
    assert "Not in this review" in notice.inner_text()
    assert unbuilt_line({"empty.txt", "zz_new.txt"}, "shown") in notice.inner_text()
    assert page.locator("#docs tbody tr").count() == 4  # the built documents, as before
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / "workbench-left-out.png"))
    assert problems == []


def test_an_unreadable_record_shows_its_reason_across_the_row(
    server: str,  # noqa: F811
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Its rows, flagged and reviewed columns were blank (an empty document, to the eye): the
    row now says why it cannot be read, across the columns it has no value for."""
    problems: list[str] = []
    page = _page(browser, problems)
    english = tmp_path / "corpus" / "english"
    meta = sorted(english.glob("*.meta.json"))[0]
    meta.write_text("not json", encoding="utf-8")
    page.goto(server, wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    row = page.locator(f"#docs tbody tr[data-doc='{meta.name.removesuffix('.meta.json')}']")
    cells = row.locator("td")
    assert cells.count() == 2
    reason = cells.nth(1)
    assert reason.get_attribute("colspan") == "6"
    assert reason.inner_text().startswith(f"cannot be read: corpus/english/{meta.name}: ")
    assert "not a document record" in reason.inner_text()
    assert problems == []


def test_correction_rows_that_match_no_row_are_shown_as_the_build_says_them(
    server: str,  # noqa: F811
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A row of a document's corrections file whose sentence is in no row of it was shown
    nowhere (the build named it): the overview and the document's view list it."""
    gone = "Dieser Satz steht in keinem Artikel."
    path = corrections_path(tmp_path / "corpus", GERMAN)
    path.parent.mkdir(exist_ok=True)
    row = Correction(sha256_text(gone), gone, "Gone.", "anna", "2026-12-01T10:00:00Z")
    path.write_text(render_corrections([row]), encoding="utf-8")
    problems: list[str] = []
    page = _page(browser, problems)
    for url, notice, rows in ((server, "#orphans", "#docs"),
                              (f"{server}#doc={GERMAN}", "#doc-orphans", "#rows")):
        page.goto(url, wait_until="load")
        page.wait_for_selector(f"{rows} tbody tr")
        shown = page.locator(notice)
        assert shown.is_visible() and orphan_line(GERMAN, row.describe()) in shown.inner_text()
    assert problems == []
