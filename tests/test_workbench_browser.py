"""The review workbench in a real headless Chromium, on the shipped corpus built through the
tiny real Argos packages: keyboard navigation, edit, accept, dismiss with a reason, undo;
all of it after a reload and after ``rm -rf corpus/english`` and a rebuild; the corrections
file keeps the history; article and correction text that looks like HTML runs nothing.

Needs Debian's chromium and the playwright Python package, like tests/test_review_browser.py
(skipped with the reason when either is missing). Saves a screenshot to
test-artifacts/workbench.png; with TOOLKIT_UPDATE_SCREENSHOT=1 to docs/workbench.png, the
picture README shows (a plain test run never rewrites a tracked file).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="starlette is not installed (pip install starlette)")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set TOOLKIT_CHROMIUM)",
        allow_module_level=True,
    )

from toolkit.corpus.corrections import load_review_state  # noqa: E402
from toolkit.corpus.lock import CorpusLock  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
INJECT = "004_inject"
PAYLOAD_ARTICLE = (
    "Kim Kardashian schrieb <script>window.__pwned = 1</script> in ihrem Beitrag über die "
    'Familie <img src=x onerror="window.__pwned = 2"> und </textarea><b>fett</b>.\n\n'
    "Danach sprach sie mit Kanye West über die gemeinsamen Kinder und die Weihnachtsfeier.\n"
)
EDIT = "Kim spoke openly about the family."
PAYLOAD_EDIT = 'Edited in the browser </textarea><img src=x onerror="window.__pwned = 3">.'


def toolkit(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> tuple[Path, dict[str, str]]:
    """The shipped corpus plus an article with HTML payloads, built with the tiny packages."""
    work = tmp_path_factory.mktemp("workbench")
    shutil.copytree(ROOT / "corpus" / "original", work / "corpus" / "original")
    (work / "corpus" / "original" / f"{INJECT}.txt").write_text(PAYLOAD_ARTICLE, encoding="utf-8")
    shutil.copy(ROOT / "glossary.yaml", work / "glossary.yaml")
    env = {
        **os.environ,
        "ARGOS_PACKAGES_DIR": str(work / "packages"),
        "PYTHONPATH": str(ROOT),
        "TOOLKIT_AUTHOR": "browser-test",
    }
    for package in (tiny_package_file, tiny_nl_package_file):
        assert (
            toolkit("models", "install", "--file", str(package), env=env, cwd=work).returncode == 0
        )
    built = toolkit("build", "corpus", env=env, cwd=work)
    assert built.returncode == 0, built.stderr
    return work, env


@pytest.fixture(scope="module")
def server(project: tuple[Path, dict[str, str]]) -> Iterator[str]:
    """``toolkit review --serve corpus`` in its own process; yields the URL it prints."""
    work, env = project
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.app", "review", "--serve", "corpus"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
        assert match, f"no URL in {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"
        yield match.group()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        except Exception as exc:  # a broken install should skip, not fail, like a missing one
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


def _row(page, row_id: str):
    return page.locator(f'#rows tr.row[data-id="{row_id}"]')

def _fill_editor(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into the row editor once the app has focused it: the app focuses it and
    puts the cursor at the end in a ``setTimeout(0)``; landing between ``fill``'s select-all
    and its typing (a loaded machine), that appended the text to the machine English."""
    page.wait_for_selector("textarea.edit:focus")  # a selector: the page's CSP forbids eval
    page.fill("textarea.edit", text)



def _current(page) -> str:
    return page.locator("#rows tr.row.current").get_attribute("data-id") or ""


def _open(page, url: str, doc: str) -> None:
    page.goto(f"{url}#doc={doc}", wait_until="load")
    # A hash change is a same-page navigation: the previous document's rows are still there
    # until the new one is rendered (its title and rows are set in one task).
    page.wait_for_function(
        "doc => document.querySelector('#doc-title').textContent.startsWith(doc + ' ')"
        " && document.querySelectorAll('#rows tr.row').length > 0",
        arg=doc,
    )


def test_workbench_in_chromium(project: tuple[Path, dict[str, str]], server: str, browser) -> None:
    work, env = project
    corpus = work / "corpus"
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))

    # Overview: one line per document with a progress bar; pick the most flagged German one.
    page.goto(server, wait_until="load")
    page.wait_for_selector("#docs tbody tr")
    assert page.locator("#docs tbody tr").count() == 5
    # English documents have nothing to review: no bar (test_workbench_own_english_browser)
    assert page.locator("#docs progress").count() == 3
    doc = "000_de546ec99307b48e"
    _open(page, server, doc)
    flagged_ids = page.eval_on_selector_all(
        "#rows tr.row.flagged", "rs => rs.map(r => r.dataset.id)"
    )
    machine_ids = page.eval_on_selector_all(
        '#rows tr.row[data-origin="machine"]', "rs => rs.map(r => r.dataset.id)"
    )
    assert flagged_ids, "the tiny model's German output has no QA flag to dismiss"

    # n: the first flagged row; d: dismiss its first flag with a reason.
    page.keyboard.press("n")
    dismissed = _current(page)
    assert dismissed == flagged_ids[0]
    page.keyboard.press("d")
    check = page.locator("select.dismiss-check").input_value()
    page.fill("input.dismiss-reason", "the tiny model, not a real problem")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f'#rows tr.row[data-id="{dismissed}"] li.dismissed')

    # Another row: e, type, Ctrl-Enter; the word diff against the machine English shows.
    edited = min(
        (i for i in machine_ids if i != dismissed),
        key=lambda i: len(_row(page, i).locator("td.english").inner_text()),
    )
    _row(page, edited).locator("td.id").click()
    page.keyboard.press("e")
    _fill_editor(page, EDIT)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f'#rows tr.row[data-id="{edited}"][data-origin="human"]')
    assert _row(page, edited).locator("td.english .diff ins").count() > 0
    assert _row(page, edited).locator("td.english .text").inner_text() == EDIT

    # Accept two more rows by mouse and by key, then undo the last acceptance.
    accepted, undone = [i for i in machine_ids if i not in (dismissed, edited)][:2]
    _row(page, accepted).locator("button.accept-btn").click()
    page.wait_for_selector(f'#rows tr.row[data-id="{accepted}"][data-origin="accepted"]')
    _row(page, undone).locator("td.id").click()
    page.keyboard.press("a")
    page.wait_for_selector(f'#rows tr.row[data-id="{undone}"][data-origin="accepted"]')
    page.keyboard.press("u")
    page.wait_for_selector(f'#rows tr.row[data-id="{undone}"][data-origin="machine"]')

    # j / k move one row; ? shows the keys, Esc hides them; / searches; filters filter.
    page.keyboard.press("j")
    assert _current(page) not in ("", undone)
    page.keyboard.press("k")
    assert _current(page) == undone
    page.keyboard.press("?")
    assert page.locator("#help").is_visible() and "dismiss" in page.inner_text("#help")
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("/")
    page.keyboard.type("Kardashian")
    found = page.locator("#rows tr.row")
    assert 0 < found.count() < len(machine_ids) + len(flagged_ids)
    assert all("Kardashian" in t for t in found.locator("td.source").all_inner_texts())
    page.fill("#search", "")
    page.select_option("#f-state", "flagged")
    assert page.locator("#rows tr.row").count() == page.locator("#rows tr.row.flagged").count()
    page.select_option("#f-origin", "human")
    assert page.locator("#rows tr.row").count() == 0  # the edited row has no flag
    page.select_option("#f-state", "")
    assert page.eval_on_selector_all("#rows tr.row", "rs => rs.map(r => r.dataset.id)") == [edited]
    page.select_option("#f-origin", "")

    def check_all(where: str) -> None:
        _open(page, server, doc)
        assert _row(page, dismissed).locator("li.dismissed .reason").inner_text() == (
            "the tiny model, not a real problem"
        ), where
        assert _row(page, edited).get_attribute("data-origin") == "human", where
        assert _row(page, edited).locator("td.english .text").inner_text() == EDIT, where
        assert _row(page, accepted).get_attribute("data-origin") == "accepted", where
        assert _row(page, undone).get_attribute("data-origin") == "machine", where

    check_all("after a reload")
    _row(page, edited).locator("td.id").click()
    _row(page, edited).scroll_into_view_if_needed()
    shots = ROOT / ("docs" if os.environ.get("TOOLKIT_UPDATE_SCREENSHOT") else "test-artifacts")
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "workbench.png"))

    shutil.rmtree(corpus / "english")
    rebuilt = toolkit("build", "corpus", env=env, cwd=work)
    assert rebuilt.returncode == 0, rebuilt.stderr
    check_all("after rm -rf corpus/english and a rebuild")

    rows = load_review_state(corpus, doc).rows
    assert [(r.action, r.author) for r in rows] == [
        ("dismiss", "browser-test"),
        ("correct", "browser-test"),
        ("accept", "browser-test"),
        ("accept", "browser-test"),
        ("revert", "browser-test"),
    ]
    assert rows[0].check == check and rows[0].reason == "the tiny model, not a real problem"
    assert rows[1].previous and rows[1].english == EDIT

    # Two tabs on one row: the second save is a conflict, shown, and writes nothing.
    other = browser.new_page(viewport={"width": 1200, "height": 800})
    _open(other, server, doc)
    _row(page, undone).locator("button.edit-btn").click()
    _fill_editor(page, "Saved in tab one.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f'#rows tr.row[data-id="{undone}"][data-origin="human"]')
    _row(other, undone).locator("button.edit-btn").click()
    other.fill("textarea.edit", "Saved in tab two.")
    other.keyboard.press("Control+Enter")
    sync_api.expect(other.locator("#msg")).to_contain_text("conflict")
    other.wait_for_selector(f'#rows tr.row[data-id="{undone}"][data-origin="human"]')
    assert _row(other, undone).locator("td.english .text").inner_text() == "Saved in tab one."
    assert [r.english for r in load_review_state(corpus, doc).rows][-1] == "Saved in tab one."
    assert len(load_review_state(corpus, doc).rows) == 6
    other.close()

    # While another process holds the corpus lock, the page says so.
    with CorpusLock(corpus, "toolkit build (test)"):
        banner = sync_api.expect(page.locator("#lock"))
        banner.to_contain_text("toolkit build (test)", timeout=10_000)
        banner.to_be_visible()
    page.wait_for_selector("#lock[hidden]", state="attached", timeout=10_000)

    # The article's payloads, and a correction carrying more, are text; nothing runs.
    _open(page, server, INJECT)
    first = page.locator("#rows tr.row").first
    source = first.locator("td.source").inner_text()
    assert "<script>window.__pwned = 1</script>" in source and "</textarea>" in source
    first.locator("button.edit-btn").click()
    _fill_editor(page, PAYLOAD_EDIT)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector('#rows tr.row[data-origin="human"]')
    page.reload(wait_until="load")
    page.wait_for_selector('#rows tr.row[data-origin="human"]')
    human = page.locator('#rows tr.row[data-origin="human"] td.english .text')
    assert human.inner_text() == PAYLOAD_EDIT
    assert page.locator("#rows img, #rows b, #rows script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"

    assert problems == []
    assert all(url.startswith(server.split("/?")[0]) for url in requests)
    page.close()
