"""The workbench in headless Chromium on a corpus whose glossary changed since the build: the
overview and the document say NOT CURRENT and why; a save rebuilds the document and the page
shows every rebuilt row (not only the saved one) and drops the banner.

Skipped like tests/test_workbench_browser.py when Chromium or playwright is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import build_shipped_corpus
from test_workbench_browser import browser  # noqa: F401  (the fixture; skips without Chromium)

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = "001_cb2e6261cd7f216a"
GERMAN = "000_de546ec99307b48e"
WHY = "stale: glossary changed; toolkit build rebuilds it"
NEW_TERM = "co-parenting"  # in the English article's p2.s1, in no glossary entry before


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``toolkit review --serve`` on the shipped corpus (built with the fake translator; no
    models installed, so the German and Dutch English is kept as last built)."""
    build_shipped_corpus(tmp_path / "corpus")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "none"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.app", "review", "--serve", "corpus", "--by", "t"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", proc.stdout.readline())
        assert match, proc.stderr.read() if proc.stderr else ""
        yield match.group()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _terms(page, row: str) -> list[str]:
    english = page.locator(f'#rows tr.row[data-id="{row}"] td:nth-child(3)')
    return english.locator("mark.term").all_inner_texts()


def _page(browser, problems: list[str]):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def test_a_stale_document_says_so_and_a_save_shows_the_rebuilt_rows(
    server: str,
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    with (tmp_path / "corpus" / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  - term: {NEW_TERM}\n    kind: other\n")  # while the server runs
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(server, wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    banner = page.locator("#overview-stale")
    assert banner.is_visible() and "4 of 4 documents NOT CURRENT" in banner.inner_text()
    english = page.locator(f'#docs tr[data-doc="{ENGLISH}"]')
    assert "stale" in (english.get_attribute("class") or "")
    assert f"NOT CURRENT: {WHY}" in english.inner_text()

    page.goto(f"{server}#doc={ENGLISH}")
    page.wait_for_selector('#rows tr.row[data-id="p2.s1"]')
    assert WHY in page.locator("#doc-stale").inner_text()
    assert "NOT CURRENT" in page.locator("#doc-title").inner_text()
    assert NEW_TERM not in _terms(page, "p2.s1")  # the last build's glossary hits

    page.locator('#rows tr.row[data-id="p1.s1"]').click()
    page.keyboard.press("e")
    page.locator("textarea.edit").fill("Kim admits she cheers Kanye on.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => document.querySelector('#doc-stale').hidden")
    assert page.locator("#doc-title").inner_text() == f"{ENGLISH} (en, built)"
    assert NEW_TERM in _terms(page, "p2.s1")  # a row the save did not touch, as rebuilt
    page.locator("#back").click()
    page.wait_for_function("() => !document.querySelector('#overview').hidden")
    assert "3 of 4 documents NOT CURRENT" in page.locator("#overview-stale").inner_text()
    assert problems == []


def test_a_save_the_rebuild_does_not_apply_says_so(server: str, browser) -> None:  # noqa: F811
    """The German document is current (its English kept: no model here). A correction makes
    it stale, and the build without the model keeps the old English: the page must not show
    'saved' over the unchanged row as if that were the end of it."""
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(f"{server}#doc={GERMAN}", wait_until="load")
    page.wait_for_selector('#rows tr.row[data-id="p1.s1"]')
    assert page.locator("#doc-stale").is_hidden()
    page.locator('#rows tr.row[data-id="p1.s1"]').click()
    page.keyboard.press("e")
    page.locator("textarea.edit").fill("Kim Kardashian spoke openly.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => !document.querySelector('#doc-stale').hidden")
    assert "corrections changed" in page.locator("#doc-stale").inner_text()
    message = page.locator("#msg")
    assert "p1.s1: saved; the document is still NOT CURRENT" in message.inner_text()
    assert "error" in (message.get_attribute("class") or "")
    assert problems == []
