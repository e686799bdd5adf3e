"""Every QA check is listed where checks are listed, from one owner (``qa.flags.SEVERITY``).

``inconsistent`` was a check of ``toolkit qa`` that README never named, that status's flag
counts left out and that the review page's "all checks" filter did not offer (the newcomer
tester, session 8): it is computed over the whole corpus, never stored in a build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import ROOT, FakeProvider

from toolkit.cli.app import cli
from toolkit.qa.flags import SEVERITY

SHARED = "Der Rat tagte am Montag. "
ARTICLES = {
    "a.txt": SHARED + "Die Stadt plant eine neue Brücke über den Fluss. Die Arbeiten sollen im "
    "nächsten Jahr beginnen und zwei Jahre dauern. Der Bürgermeister sprach von einem "
    "wichtigen Tag für die Stadt.\n",
    "b.txt": SHARED + "Die Polizei sperrte am Abend mehrere Straßen in der Innenstadt. Viele "
    "Anwohner beschwerten sich über den Lärm der Baustelle.\n",
}


def test_readme_lists_every_check_with_its_severity_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### QA checks", 1)[1].split("\n\n", 3)[2]
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", table, re.M)
    assert rows == list(SEVERITY.items())


@pytest.fixture
def inconsistent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two built documents sharing a sentence, corrected in one of them only: the two
    translations of that sentence differ, so each is flagged ``inconsistent``."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("toolkit.translation.provider.ArgosProvider", lambda **_: FakeProvider())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (tmp_path / "corpus" / "original" / name).write_text(text, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "corpus"]).exit_code == 0
    corrected = CliRunner().invoke(cli, ["correct", "a", "p1.s1", "The council met on Monday."])
    assert corrected.exit_code == 0
    return tmp_path / "corpus"


def test_status_counts_the_flags_toolkit_qa_counts(inconsistent: Path) -> None:
    qa = CliRunner().invoke(cli, ["qa", "--corpus", str(inconsistent)]).stdout.splitlines()
    header, *rows = [line.split("\t") for line in qa]
    assert "inconsistent" in header
    per_check = {row[0]: sum(map(int, row[1:-1])) for row in rows if row[0] != "total"}
    status = CliRunner().invoke(cli, ["status", str(inconsistent)]).stdout.splitlines()[1:]
    flags = {row.split("\t")[0]: int(row.split("\t")[5]) for row in status}
    assert flags == per_check == {"a": 5, "b": 4}  # b: 3 untranslated + 1 inconsistent


def test_review_shows_the_inconsistent_flag_and_its_filter_offers_it(inconsistent: Path) -> None:
    # Across the documents shown (a single DOC: within it; kept cheap for a large corpus).
    terminal = CliRunner().invoke(cli, ["review", "--corpus", str(inconsistent), "a", "b"])
    assert "inconsistent: same source as a:p1.s1, translated 2 different ways" in terminal.stdout
    out = inconsistent.parent / "review.html"
    assert CliRunner().invoke(cli, ["review", "--corpus", str(inconsistent), "--html", str(out)])
    page = out.read_text(encoding="utf-8")
    options = re.search(r'id="filter-check".*?</select>', page, re.S)
    assert options is not None and ">inconsistent<" in options.group(0)
