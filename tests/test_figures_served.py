"""The figures rule (``document_min_words``) never stops a language a model here serves.

Session 8's attacker: Polish and Turkish economic news (tests/data/figures_pl.txt, 56% of
its characters words; figures_tr.txt, 53%) read as pl/tr at 1.00 were stopped as "figures,
a table" even with the pl→en model installed (exit 1), where the build before the rule
translated them. Where the rule still fires (no model), its line names both ways out: ``zxx``
for figures, or the language it reads as, stated (then the build asks for its model).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.argos_package import build_argos_package

from toolkit.cli.app import cli
from toolkit.config.prepare import LanguageIdConfig
from toolkit.pipeline.build import build_corpus
from toolkit.prepare.document import prepare_document, unsure
from toolkit.translation.install import install_from_file

DATA = Path(__file__).parent / "data"
POLISH, TURKISH = DATA / "figures_pl.txt", DATA / "figures_tr.txt"


@pytest.fixture(scope="module")
def pl_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A packages folder holding a tiny real pl→en model (and nothing else)."""
    work = tmp_path_factory.mktemp("pl-model")
    texts = [POLISH.read_text(encoding="utf-8")] * 4
    package = build_argos_package(work / "translate-pl_en.argosmodel", "pl", "en", texts)
    install_from_file(package, work / "packages")
    return work / "packages"


def test_a_served_language_is_not_stopped_as_figures() -> None:
    record = prepare_document(POLISH.read_bytes(), "original/pl.txt")
    assert record.language.language == "pl"
    why = unsure(record, LanguageIdConfig())
    assert why is not None and why.words  # without a model: stopped, as before
    assert unsure(record, LanguageIdConfig(), served=lambda code: code == "pl") is None
    assert unsure(record, LanguageIdConfig(), served=lambda code: code == "de") is not None


def test_the_build_translates_a_served_one_and_names_both_ways_out_for_the_other(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    for path in (POLISH, TURKISH):
        shutil.copy(path, corpus / "original" / path.name)
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("pl",)))
    assert "figures_pl" not in summary.errors  # it was stopped: exit 1
    assert (corpus / "english" / "figures_pl.en.txt").is_file()
    line = summary.errors["figures_tr"]
    assert "reads as Turkish (tr) at confidence 1.00, but only 53% of it is words" in line
    assert (
        "not translated blindly: state it in the corpus's settings.yaml (languages: "
        "{figures_tr.txt: zxx} if it is figures or a table, tr if it is Turkish (tr) text) "
        "and rerun"
    ) in line


def test_translate_status_and_add_judge_with_the_installed_models(
    tmp_path: Path, pl_packages: Path
) -> None:
    packages = ["--packages-dir", str(pl_packages)]
    translated = CliRunner().invoke(
        cli, ["translate", "-q", "--no-glossary", *packages, str(POLISH)]
    )
    assert translated.exit_code == 0, translated.output  # 1: "language unclear"
    unserved = CliRunner().invoke(cli, ["translate", "-q", "--no-glossary", str(POLISH)])
    assert unserved.exit_code == 1
    assert (
        "give its language with --from (--from zxx if it is figures or a table, pl if it is "
        "Polish (pl) text)"
    ) in unserved.output
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    added = CliRunner().invoke(
        cli, ["add", "--corpus", str(corpus), "--no-glossary", *packages, str(POLISH)]
    )
    assert added.exit_code == 0, added.output  # "nothing was added"
    status = CliRunner().invoke(cli, ["status", str(corpus), *packages])
    assert "figures_pl" in status.output and "language unclear" not in status.output


def test_from_zxx_on_a_text_with_a_language_is_a_contradiction_a_table_is_not(
    tmp_path: Path,
) -> None:
    """``--help``: "a contradiction is reported"; --from de on the Polish text was, --from zxx
    copied it as its own English without a word (one owner: ``_given_language``)."""
    from test_figures_floor import DAX

    args = ["translate", "--no-glossary", "--format", "json", "--from", "zxx"]
    polish = CliRunner().invoke(cli, [*args, str(POLISH)])
    assert polish.exit_code == 0, polish.output
    assert (
        "language given as no linguistic content (zxx), but the text reads as Polish (pl)"
    ) in polish.stderr
    assert all("source-language" in s["flags"] for s in json.loads(polish.stdout)[0]["segments"])
    dax = tmp_path / "dax.txt"
    dax.write_text(DAX, encoding="utf-8")
    table = CliRunner().invoke(cli, [*args, str(dax)])
    assert table.exit_code == 0 and "language given as" not in table.stderr
    assert not any("source-language" in s["flags"] for s in json.loads(table.stdout)[0]["segments"])


def test_installing_or_removing_the_model_re_decides_the_document_on_the_next_build(
    tmp_path: Path, pl_packages: Path
) -> None:
    """The figures rule asks which models are installed; the next build follows them both
    ways with no fingerprint of its own: a stopped document has no manifest entry (prepared
    again by every build), and a built one's fingerprint holds its language's model."""
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    shutil.copy(POLISH, corpus / "original" / POLISH.name)
    english = corpus / "english" / "figures_pl.en.txt"
    none = tmp_path / "no-packages"

    def build(packages: Path) -> tuple[int, str]:
        args = ["build", str(corpus), "--no-glossary", "--packages-dir", str(packages)]
        result = CliRunner().invoke(cli, args)
        return result.exit_code, result.output

    code, output = build(none)
    assert code == 1 and "language unclear" in output and not english.exists()
    code, output = build(pl_packages)  # installed: translated
    assert code == 0 and "1 built" in output and english.is_file(), output
    built = english.read_bytes()
    code, output = build(none)  # removed: waits for it, its English kept
    assert code == 3 and "needs model pl→en" in output and english.read_bytes() == built
    code, output = build(pl_packages)  # back: current, nothing rebuilt
    assert code == 0 and "1 up to date" in output and english.read_bytes() == built


def test_a_built_document_whose_model_went_away_waits_for_it_when_its_original_changes(
    tmp_path: Path, pl_packages: Path
) -> None:
    """Session 8's attacker: built with the pl→en model, the model moved away, one digit
    changed: the plan warned "a build removes that build's English", and the build then
    stopped it as "language unclear" (exit 1), its English left there, status still saying
    the build removes it. Now it waits for its model (exit 3) as any changed original does
    (:mod:`toolkit.pipeline.kept`): its old English removed, as said; and it goes on
    waiting, in build and status, when it changes again or its settings do; not a language
    it was built in only because the user stated it."""
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    original = corpus / "original" / POLISH.name
    shutil.copy(POLISH, original)
    english = corpus / "english" / "figures_pl.en.txt"
    none = str(tmp_path / "no-packages")

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, [*args, "--packages-dir", none])
        return result.exit_code, result.output

    def change_a_digit() -> None:
        text = original.read_text(encoding="utf-8")
        at = next(i for i, c in enumerate(text) if c.isdigit())
        original.write_text(f"{text[:at]}{(int(text[at]) + 1) % 10}{text[at + 1 :]}", "utf-8")

    built = CliRunner().invoke(
        cli, ["build", str(corpus), "--no-glossary", "--packages-dir", str(pl_packages)]
    )
    assert built.exit_code == 0 and english.is_file(), built.output
    change_a_digit()
    code, output = invoke("status", str(corpus))
    assert "out of date" in output and "a build removes that build's English" in output
    code, output = invoke("build", str(corpus), "--no-glossary")
    assert code == 3 and "needs model pl→en" in output, output  # 1: "language unclear"
    assert "language unclear" not in output and "a build removes that build's English" in output
    assert not english.exists()  # removed, as the warning said
    code, output = invoke("status", str(corpus))
    assert "needs model" in output and "removes" not in output, output
    change_a_digit()  # again: still waiting for the model, not "language unclear"
    code, output = invoke("build", str(corpus), "--no-glossary")
    assert code == 3 and "language unclear" not in output, output
    (corpus / "settings.yaml").write_text("plain_text: [figures_pl.txt]\n", encoding="utf-8")
    code, output = invoke("status", str(corpus))  # stale: status prepares it as the build
    assert "language unclear" not in output and "figures_pl\tpl\tstale" in output, output
    code, output = invoke("build", str(corpus), "--no-glossary")
    assert code == 3 and "needs model pl→en" in output, output
    # A language stated in settings.yaml is a choice the user may take back: then the rule
    # judges the text as read (stated pl, then the line removed: stopped, as never built).
    (corpus / "settings.yaml").write_text("languages: {figures_pl.txt: pl}\n", encoding="utf-8")
    code, output = invoke("build", str(corpus), "--no-glossary")
    assert code == 3 and "needs model pl→en" in output, output
    (corpus / "settings.yaml").unlink()
    code, output = invoke("build", str(corpus), "--no-glossary")
    assert code == 1 and "language unclear" in output, output
