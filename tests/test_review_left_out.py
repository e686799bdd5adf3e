"""``toolkit review --html``: a page that does not show the whole corpus says so on the page,
not only on stderr: the documents changed since the build (with why) and the originals with
no English at all (never built or failed), in the words ``toolkit export`` uses.

The browser test is skipped like tests/test_review_browser.py when Chromium or playwright is
missing; it saves ``test-artifacts/review-left-out.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import ROOT, build_shipped_corpus

from toolkit.cli.review import review
from toolkit.pipeline.unbuilt import unbuilt_line

ENGLISH = "001_cb2e6261cd7f216a"
UNBUILT = unbuilt_line({"empty.txt", "zz_new.txt"}, "shown")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The page of a corpus with one English file edited by hand, an empty original (a build
    fails it) and an original added since the build."""
    root = build_shipped_corpus(tmp_path_factory.mktemp("left-out") / "corpus")
    (root / "original" / "empty.txt").write_text("", encoding="utf-8")
    (root / "original" / "zz_new.txt").write_text("Ein neuer Artikel.\n", encoding="utf-8")
    with (root / "english" / f"{ENGLISH}.en.txt").open("a", encoding="utf-8") as fh:
        fh.write("edited by hand\n")
    out = root.parent / "review.html"
    result = CliRunner().invoke(review, ["--corpus", str(root), "--html", str(out)])
    assert result.exit_code == 0, result.output
    return out, out.read_text(encoding="utf-8"), result.stderr


def test_export_and_review_say_the_unbuilt_originals_alike() -> None:
    assert UNBUILT == (
        "2 originals in original/ not shown, never built or failed to build "
        "(empty.txt, zz_new.txt); `toolkit status` says why"
    )
    assert unbuilt_line(["a", "b", "c", "d", "e", "f", "g"], "exported").endswith(
        "(a, b, c, d, e and 2 more); `toolkit status` says why"
    )


def test_the_page_names_what_it_leaves_out_and_why(page: tuple[Path, str, str]) -> None:
    _, html_text, stderr = page
    notice = html_text.split('<section class="left-out"', 1)[1].split("</section>", 1)[0]
    assert f"{ENGLISH}: changed since build" in notice
    assert UNBUILT.replace("`", "&#x60;") in notice or UNBUILT in notice
    assert f'data-document="{ENGLISH}"' not in html_text  # left out, not shown
    # stderr says the same lines
    assert f"left out: {ENGLISH}: changed since build" in stderr
    assert f"left out: {UNBUILT}" in stderr


def test_a_complete_page_has_no_notice(tmp_path: Path) -> None:
    root = build_shipped_corpus(tmp_path / "corpus")
    out = tmp_path / "review.html"
    result = CliRunner().invoke(review, ["--corpus", str(root), "--html", str(out)])
    assert result.exit_code == 0 and "left out" not in result.stderr
    assert 'class="left-out"' not in out.read_text(encoding="utf-8")


def test_the_notice_is_visible_in_chromium(page: tuple[Path, str, str]) -> None:
    from test_review_browser import ARGS, CHROMIUM, sync_api  # skips without Chromium

    path = page[0]
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        try:
            view = chromium.new_page(viewport={"width": 1200, "height": 800})
            view.goto(path.as_uri(), wait_until="load")
            notice = view.locator("#left-out")
            assert notice.is_visible()
            assert notice.bounding_box()["y"] < 800  # on the first screen, above the contents
            assert "Not in this review" in notice.inner_text()
            assert UNBUILT in notice.inner_text()
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            view.screenshot(path=str(ROOT / "test-artifacts" / "review-left-out.png"))
        finally:
            chromium.close()
