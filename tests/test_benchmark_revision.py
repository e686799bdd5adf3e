"""``benchmarks/revision.module_at``: a module at a git revision runs that revision's code,
the ``toolkit`` modules it imports included. ``markup_sniff.py --against REV`` ran the current
e-mail rule on both sides (sniff.py at REV imported this checkout's sniff_mail.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAIL = "From: a@example.org\nTo: b@example.org\nSubject: Hi\n\nText.\n"


@pytest.fixture
def benchmarks():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import markup_sniff
        import revision

        yield markup_sniff, revision
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def _repo(tmp_path: Path, mail_rule: str) -> Path:
    """A git repository whose one commit holds this checkout's sniff.py and ``mail_rule`` as
    its sniff_mail.py."""
    prepare = tmp_path / "toolkit" / "prepare"
    prepare.mkdir(parents=True)
    (tmp_path / "toolkit" / "__init__.py").write_text("")
    (prepare / "__init__.py").write_text("")
    (prepare / "sniff.py").write_text((ROOT / "toolkit/prepare/sniff.py").read_text("utf-8"))
    (prepare / "sniff_mail.py").write_text(mail_rule)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(tmp_path)]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "old rule"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    return tmp_path


def test_the_revisions_own_e_mail_rule_is_asked(tmp_path: Path, benchmarks) -> None:
    """The same sniff.py with another sniff_mail.py at the revision answers by that rule."""
    _, revision = benchmarks
    from toolkit.prepare import sniff

    root = _repo(tmp_path, "def mail_kind(head):\n    return None\n")
    old = revision.module_at("toolkit/prepare/sniff.py", "HEAD", root=root)
    assert sniff.markup_kind(MAIL) == "an e-mail message with its headers"
    assert old.markup_kind(MAIL) is None
    # this checkout's modules are back where they were, and still answer as before
    assert sys.modules["toolkit.prepare.sniff"] is sniff
    assert sys.modules["toolkit.prepare.sniff_mail"].mail_kind(MAIL) is not None


def test_against_head_runs_other_code_than_the_checkout(benchmarks) -> None:
    """``--against HEAD``: equal source, but the revision's sniff_mail module, not this one's."""
    markup_sniff, _ = benchmarks
    from toolkit.prepare import sniff_mail

    now, then = markup_sniff.sniff_at(None), markup_sniff.sniff_at("HEAD")
    asked = then.__globals__["mail_kind"]
    assert asked is not sniff_mail.mail_kind
    assert asked.__code__.co_filename == "HEAD:toolkit/prepare/sniff_mail.py"
    assert now.__globals__["mail_kind"] is sniff_mail.mail_kind
    assert then(MAIL) == now(MAIL)


def test_an_import_inside_a_function_gets_the_revisions_module(tmp_path: Path, benchmarks) -> None:
    """A function of the revision that imports when called (f2df46d's ``language_field``
    did) gets the revision's module then too, not this checkout's: module_at put this
    checkout's modules back when it returned, and the import ran after."""
    _, revision = benchmarks
    root = tmp_path
    (root / "toolkit").mkdir()
    (root / "toolkit" / "__init__.py").write_text("")
    (root / "toolkit" / "languages.py").write_text("WHERE = 'revision'\n")
    (root / "toolkit" / "lazy.py").write_text(
        "def where():\n"
        "    from toolkit.languages import WHERE\n"
        "    return WHERE\n\n\n"
        "def package():\n"
        "    import toolkit.languages\n"
        "    return toolkit.languages.WHERE\n\n\n"
        "def relative():\n"
        "    from . import languages\n"
        "    return languages.WHERE\n"
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root)]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "lazy"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    import toolkit.languages

    before = dict(sys.modules)
    lazy = revision.module_at("toolkit/lazy.py", "HEAD", root=root)
    assert (lazy.where(), lazy.package(), lazy.relative()) == ("revision",) * 3
    assert lazy.where() == "revision"  # asked again: the loaded module, no reload
    assert sys.modules["toolkit.languages"] is toolkit.languages
    assert "toolkit.lazy" not in sys.modules
    assert {name: sys.modules[name] for name in before} == before
