"""The workbench's overview in headless Chromium shows an English document (its rows' English
is their own source text) as "nothing to review", never as fully reviewed: nobody looked at
it (it showed 16/16 reviewed and a full progress bar). A translated document's bar counts only
the rows a reviewer corrected or accepted, out of those that were translated.

Skipped like tests/test_workbench_browser.py when Chromium or playwright is missing; saves
``test-artifacts/workbench-own-english.png``.
"""

from __future__ import annotations

from test_review_stale_browser import ENGLISH, GERMAN, ROOT, _page, server  # noqa: F401
from test_workbench_browser import browser  # noqa: F401  (the fixture; skips without Chromium)


def test_an_english_document_has_nothing_to_review(
    server: str,  # noqa: F811
    browser,  # noqa: F811
) -> None:
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(server, wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    english = page.locator(f'#docs tr[data-doc="{ENGLISH}"] td')
    assert english.nth(5).inner_text() == "–"  # the reviewed column: no count of 16
    assert english.nth(6).inner_text() == "nothing to review (its own English)"
    assert page.locator(f'#docs tr[data-doc="{ENGLISH}"] progress').count() == 0
    german = page.locator(f'#docs tr[data-doc="{GERMAN}"]')
    bar = german.locator("progress")
    assert bar.get_attribute("value") == "0" and german.locator("td").nth(5).inner_text() == "0"
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / "workbench-own-english.png"))
    page.goto(f"{server}#doc={ENGLISH}")
    page.wait_for_selector('#rows tr.row[data-id="p1.s1"]')
    shown = page.locator("#shown").inner_text()
    assert "· 0 reviewed · 16 its own English (nothing to review)" in shown, shown
    assert problems == []
