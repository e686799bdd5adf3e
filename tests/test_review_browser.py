"""The HTML review page in a real headless Chromium: loads cleanly, one row per segment, the
"only flagged rows" filter works, article text never runs as code, nothing is fetched.

Needs Debian's chromium (``apt-get install -y chromium``) and the playwright Python package
(``pip install playwright``); playwright's own browser download is never used. Skipped with
the reason when either is missing. Set ``TOOLKIT_CHROMIUM`` to use another Chromium binary.
A screenshot is saved to ``test-artifacts/review.png`` at the project root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fakes import INJECTION_ARTICLE, ROOT, FakeProvider, build_shipped_corpus

from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.glossary.load import load_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.review.documents import load_documents
from toolkit.review.html import write_html
from toolkit.review.rows import glossary_kinds

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set TOOLKIT_CHROMIUM)",
        allow_module_level=True,
    )

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
INJECT = "004_inject"


@pytest.fixture(scope="module")
def review_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    root = build_shipped_corpus(
        tmp_path_factory.mktemp("browser") / "corpus", {f"{INJECT}.txt": INJECTION_ARTICLE}
    )
    # One human correction, so the page shows that badge too.
    german = read_meta(root / "english" / "000_de546ec99307b48e.meta.json")
    record_correction(root, german, german.segments[0].id, "Kim spoke openly.", author="t")
    glossary = load_glossary(ROOT / "glossary.yaml")
    build_corpus(root, provider=FakeProvider(), glossary=glossary)
    records = load_documents(root, [])
    out = root.parent / "review.html"
    write_html(out, records, glossary_kinds(glossary.entries))
    return out, records


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        except Exception as exc:  # a broken install should skip, not fail, like a missing one
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


def test_review_page_in_chromium(review_page: tuple[Path, list], browser) -> None:
    path, records = review_page
    total = sum(len(r.segments) for r in records)
    flagged = sum(1 for r in records for s in r.segments if s.flags)
    assert 0 < flagged < total

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")

    rows = page.locator("tr.segment")
    assert rows.count() == total
    assert page.locator("tr.segment:visible").count() == total
    assert page.inner_text("#shown-count") == f"{total} of {total} rows shown"

    # Article text that looks like HTML is shown as text and never runs.
    injected = page.locator(f'section[data-document="{INJECT}"] tr.segment td.source').first
    assert '<script>alert("x")</script>' in injected.inner_text()
    assert page.locator("td b").count() == 0

    marks = page.locator('mark.term[data-term="Kim Kardashian"]')
    assert marks.count() > 0 and "(person)" in (marks.first.get_attribute("title") or "")
    assert page.locator(".badge.human").count() == 1

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"))

    page.check("#only-flagged")
    assert page.locator("tr.segment:visible").count() == flagged
    assert page.locator("tr.segment:not(.flagged):visible").count() == 0
    assert page.inner_text("#shown-count") == f"{flagged} of {total} rows shown"
    page.uncheck("#only-flagged")
    assert page.locator("tr.segment:visible").count() == total

    assert problems == []
    assert requests and all(url.startswith("file://") for url in requests)
    assert (ARTIFACTS / "review.png").stat().st_size > 10_000
    page.close()


def test_ten_thousand_combining_marks_stay_inside_their_cell(
    review_page: tuple[Path, list], browser, tmp_path: Path
) -> None:
    """Marks stacked on one letter of a row's English (corrections and model output are not
    cleaned) must not paint over the row above: its pixels are the same as with plain text."""
    _, records = review_page
    record = next(r for r in records if r.document == "001_cb2e6261cd7f216a")

    def row_above(english: str) -> bytes:
        second = record.segments[1].model_copy(update={"english": english})
        changed = record.model_copy(
            update={"segments": [record.segments[0], second, *record.segments[2:]]}
        )
        path = tmp_path / "zalgo.html"
        write_html(path, [changed])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(path.as_uri(), wait_until="load")
        shot = page.locator("tr.segment").first.screenshot()
        page.close()
        return shot

    plain = row_above("a.")
    assert row_above("a" + "\u0301\u030b" * 5_000 + ".") == plain


def test_review_page_filters_and_explanations(review_page: tuple[Path, list], browser) -> None:
    """Issue 16: filter by check, document and origin, search, explanations without hovering,
    and documents with nothing flagged collapse under "only flagged rows"."""
    path, records = review_page
    total = sum(len(r.segments) for r in records)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")

    def shown() -> int:
        return page.locator("tr.segment:visible").count()

    # Every QA message is readable on the page without hovering.
    messages = [q.message for r in records for s in r.segments for q in s.qa]
    assert messages and page.locator("ul.explain li:visible").count() == len(messages)

    untranslated = sum(1 for r in records for s in r.segments if "untranslated" in s.flags)
    page.select_option("#filter-check", "untranslated")
    assert 0 < shown() == untranslated < total
    assert page.inner_text("#shown-count") == f"{untranslated} of {total} rows shown"
    page.select_option("#filter-check", "")

    german = next(r for r in records if r.document.startswith("000_"))
    page.select_option("#filter-document", german.document)
    assert shown() == len(german.segments)
    assert page.locator("section.document:visible").count() == 1
    page.select_option("#filter-document", "")

    from_source = sum(1 for r in records for s in r.segments if s.origin == "source")
    page.select_option("#filter-origin", "source")
    assert 0 < shown() == from_source
    page.select_option("#filter-origin", "")

    page.fill("#search", "kanye")
    visible = page.locator("tr.segment:visible")
    assert 0 < visible.count() < total
    assert all("kanye" in t.lower() for t in visible.all_inner_texts())
    page.fill("#search", "")
    assert shown() == total

    page.check("#only-flagged")
    quiet = [r.document for r in records if not any(s.flags for s in r.segments)]
    assert quiet, "the shipped corpus has a document with nothing flagged"
    for doc in quiet:
        section = page.locator(f'section[data-document="{doc}"]')
        assert "collapsed" in (section.get_attribute("class") or "")
        assert section.locator("table.pairs").is_hidden()
    assert problems == []
    page.close()
