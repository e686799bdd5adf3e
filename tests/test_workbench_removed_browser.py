"""The workbench's document view shows the paragraphs the build removed as boilerplate, where
they were and marked as terminal and HTML review mark them (``removed (rule), not
translated``), whatever the filters: a reviewer never takes the English for the whole article.

Skipped like tests/test_workbench_browser.py when Chromium or playwright is missing; saves
``test-artifacts/workbench-removed.png``.
"""

from __future__ import annotations

from pathlib import Path

from test_review_stale_browser import ENGLISH, GERMAN, ROOT, _page, server  # noqa: F401
from test_workbench_browser import browser  # noqa: F401  (the fixture; skips without Chromium)

from toolkit.corpus.formats import read_meta
from toolkit.review.rows import removed_label, with_removed
from toolkit.schema import BoilerplateHit

ROWS = """() => [...document.querySelectorAll('#rows tbody tr:not(.para)')].map((tr) =>
  tr.classList.contains('removed') ? 'removed:' + tr.children[1].textContent + '|'
    + tr.children[3].textContent : tr.dataset.id)"""


def _expected(tmp_path: Path, doc: str) -> list[str]:
    """The rows in document order as terminal and HTML review lay them out."""
    record = read_meta(tmp_path / "corpus" / "english" / f"{doc}.meta.json")
    return [
        f"removed:{row.text}|{removed_label(row)}" if isinstance(row, BoilerplateHit) else row.id
        for row in with_removed(record, record.segments, "document")
    ]


def test_removed_paragraphs_stand_where_they_were(
    server: str,  # noqa: F811
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    record = read_meta(tmp_path / "corpus" / "english" / f"{GERMAN}.meta.json")
    assert len(record.cleaning.boilerplate) == 3
    expected = _expected(tmp_path, GERMAN)
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(f"{server}#doc={ENGLISH}", wait_until="load")  # removed rows between rows
    page.wait_for_selector('#rows tr.row[data-id="p1.s1"]')
    assert page.evaluate(ROWS) == _expected(tmp_path, ENGLISH)
    page.goto(f"{server}#doc={GERMAN}", wait_until="load")
    title = f"() => document.querySelector('#doc-title').textContent.includes('{GERMAN}')"
    page.wait_for_function(title)
    page.wait_for_selector('#rows tr.row[data-id="p1.s1"]')
    assert page.evaluate(ROWS) == expected
    assert "removed (photo-credit), not translated" in page.locator("#rows").inner_text()
    rows = len(record.segments)
    shown = page.locator("#shown").inner_text()
    assert shown.startswith(f"{rows} of {rows} rows shown")
    assert shown.endswith("· 3 paragraphs removed (boilerplate)")
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / "workbench-removed.png"), full_page=True)

    page.select_option("#f-state", "reviewed")  # no row is reviewed: the removed stay
    assert page.locator("#rows tr.row").count() == 0
    assert page.locator("#rows tr.removed").count() == 3
    assert problems == []
