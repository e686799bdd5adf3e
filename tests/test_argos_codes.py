"""Argos's language codes, one table (``toolkit.config.languages.IDENTIFIED_AS``).

Session 9: language id (py3langid) names Norwegian ``no``, Argos's packages ``nb``; each caller
of language id mapped ``nb`` -> ``no`` itself (prepare_document, check_untranslated), and a
third one asking for ``nb`` got ``ValueError: Unknown language code(s)``. Language id now takes
Argos's codes and answers in them; a document read as ``no`` is translated by an installed
``nb→en`` package; and a text read as Latin is no more told to install a ``la→en`` model that
Argos does not have.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.argos_package import build_argos_package

from toolkit.config.languages import ARGOS_INDEX, IDENTIFIED_AS
from toolkit.config.prepare import LanguageIdConfig
from toolkit.config.qa import QaConfig
from toolkit.languages import identifiable, language_code, package_pairs
from toolkit.prepare.document import prepare_document
from toolkit.prepare.langid import detect_language, name_sentence, sentence_languages
from toolkit.qa.checks import check_untranslated
from toolkit.schema import LanguageGuess
from toolkit.translation.packages import ModelMissingError

TEXTS = {
    "nb": "Regjeringen la fram statsbudsjettet for neste år på mandag. Finansministeren sa at "
    "budsjettet er stramt, men at det gir rom for flere lærere i skolen.",
    "pb": "O governo apresentou na segunda-feira o orçamento do próximo ano. O ministro da "
    "Fazenda disse que o orçamento é apertado, mas que permite contratar mais professores.",
    "zt": "政府週一公布了明年的預算。財政部長表示，預算雖然緊縮，但仍可以在學校增聘更多教師。",
}
GERMAN = (
    "Die Regierung hat am Montag den Haushalt für das nächste Jahr vorgestellt. Der "
    "Finanzminister sagte, der Haushalt sei knapp."
)


def test_the_table_holds_every_argos_code_language_id_names_otherwise() -> None:
    """Every code of Argos's index that language id lacks is in the table, read as one it
    knows; the table's codes are what ``--from`` takes."""
    assert sorted(ARGOS_INDEX - identifiable()) == sorted(IDENTIFIED_AS) == ["nb", "pb", "zt"]
    assert set(IDENTIFIED_AS.values()) <= identifiable()
    assert all(language_code(code) == code for code in IDENTIFIED_AS)


def _swapped(guess: LanguageGuess | None, model: str, argos: str) -> LanguageGuess | None:
    if guess is None or guess.language != model:
        return guess
    return guess.model_copy(update={"language": argos})


@pytest.mark.parametrize(("argos", "model"), sorted(IDENTIFIED_AS.items()))
def test_every_caller_of_language_id_takes_the_argos_code(argos: str, model: str) -> None:
    """Asked in Argos's code, every entry of language id (and each caller: the document's
    sentences, QA's untranslated check) answers as asked in language id's, in the caller's
    code; before, each raised ``ValueError`` (no caller but two mapped the code)."""
    text = TEXTS[argos]
    assert detect_language(text).language == model  # no candidates: the model's own code
    assert detect_language(text, (argos, "en")) == _swapped(
        detect_language(text, (model, "en")), model, argos
    )
    assert detect_language(text, (argos, "en")).language == argos
    config, own = LanguageIdConfig(candidates=("de", "en", argos)), LanguageIdConfig()
    assert name_sentence(text, config, "de") == _swapped(
        name_sentence(text, LanguageIdConfig(candidates=("de", "en", model)), "de"), model, argos
    )
    found = sentence_languages([GERMAN, text], "de", config)
    assert found[1] is not None and found[1].language == argos, found
    assert sentence_languages([text, GERMAN], argos, own) == sentence_languages(
        [text, GERMAN], model, own
    )
    # A document stated in Argos's code: no contradiction, no sentence flagged as model's
    data = f"{text}\n\n{text}\n".encode()
    stated = prepare_document(data, "original/x.txt", language=argos)
    as_model = prepare_document(data, "original/x.txt", language=model)
    assert stated.language.language == argos
    assert [s.flags for s in stated.segments] == [s.flags for s in as_model.segments]
    assert all(s.flags == [] and not s.qa for s in stated.segments)
    target = text[: len(text) // 2] + " The budget."
    flags = check_untranslated(text, target, argos, "en", QaConfig())
    expected = check_untranslated(text, target, model, "en", QaConfig())
    assert [f.check for f in flags] == [f.check for f in expected]


def test_a_language_asked_by_both_codes_is_answered_by_argos() -> None:
    """``no`` among the default candidates and ``nb`` stated: one language, answered ``nb``."""
    assert detect_language(TEXTS["nb"], ("en", "no", "nb")).language == "nb"
    assert detect_language(TEXTS["nb"], ("nb", "no", "en")).language == "nb"


def test_a_document_read_as_no_uses_the_nb_package_and_names_it(
    tmp_path: Path,
) -> None:
    """A Norwegian text read as ``no`` waited for a ``no→en`` model no index has, the user
    had to state ``nb``; now an installed ``nb→en`` package translates it, and its record
    names that package (``translate-nb_en``, ``nb→en``) while its language stays ``no``."""
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    texts = [TEXTS["nb"]] * 4
    package = build_argos_package(tmp_path / "translate-nb_en.argosmodel", "nb", "en", texts)
    install_from_file(package, tmp_path / "packages")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "norsk.txt").write_text(f"{TEXTS['nb']}\n", encoding="utf-8")
    provider = ArgosProvider(packages_dir=tmp_path / "packages")
    stages: set[str] = set()
    summary = build_corpus(corpus, provider=provider, progress=lambda s, *_: stages.add(s))
    assert "translate no→en (translate-nb_en, nb→en)" in stages, stages
    assert summary.built == ["norsk"], summary.lines()
    meta = json.loads((corpus / "english" / "norsk.meta.json").read_text(encoding="utf-8"))
    assert meta["language"]["language"] == "no"
    assert meta["translation"]["package"] == "translate-nb_en"
    assert (meta["translation"]["from_code"], meta["translation"]["to_code"]) == ("nb", "en")
    again = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "packages"))
    assert again.built == [] and again.exit_code == 0, again.lines()
    # Its model gone: the English of the nb→en build is this document's, kept (pipeline.kept)
    gone = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "none"))
    assert gone.needs_model["norsk"] == (
        "needs model no→en: install it with `toolkit models install nb en` (offline: "
        "`toolkit models install --file PATH.argosmodel`); Argos names this pair nb→en: "
        "installed, it translates no; the English of its last build is kept"
    ), gone.lines()
    assert (corpus / "english" / "norsk.en.txt").is_file()


def test_package_pairs_try_the_pair_then_argos_codes() -> None:
    assert package_pairs("no", "en") == [("no", "en"), ("nb", "en")]
    assert package_pairs("pt", "en") == [("pt", "en"), ("pb", "en")]
    assert package_pairs("de", "en") == [("de", "en")]
    assert package_pairs("nb", "en") == [("nb", "en")]
    assert package_pairs("la", "en") == [("la", "en")]


def test_package_pairs_widen_a_stated_target_only_where_it_is_no_argos_code() -> None:
    """The target is a code the user stated: into ``zh`` an ``x→zt`` package wrote
    Traditional Chinese labelled ``zh``, into ``pt`` an ``x→pb`` one Brazilian labelled
    ``pt``. Only a target Argos has no package code for (``no``) widens (to ``nb``)."""
    assert package_pairs("de", "zh") == [("de", "zh")]
    assert package_pairs("de", "pt") == [("de", "pt")]
    assert package_pairs("de", "no") == [("de", "no"), ("de", "nb")]
    assert package_pairs("pt", "zh") == [("pt", "zh"), ("pb", "zh")]


def test_a_zt_or_pb_package_does_not_serve_a_zh_or_pt_target(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only ``de→zt`` installed: a build into ``zh`` used it; ``models install --if-missing
    de pt`` said installed with only ``de→pb`` there; the index's ``de→pb`` was fetched
    for ``de pt``. Each now finds no package for the stated target."""
    import argostranslate.package as argos_package
    from argostranslate import settings

    from toolkit.translation.install import install_from_file, install_from_index
    from toolkit.translation.installed import find_package, installed_or_refused

    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    for target in ("zt", "pb"):
        copy = shutil.copytree(german.path, root / f"translate-de_{target}-1_0")
        meta = json.loads((copy / "metadata.json").read_bytes())
        meta.update(to_code=target, code=f"translate-de_{target}")
        (copy / "metadata.json").write_text(json.dumps(meta))
    assert find_package("de", "zt", root).to_code == "zt"
    with pytest.raises(ModelMissingError):
        find_package("de", "zh", root)
    assert installed_or_refused("de", "pb", root) is not None
    assert installed_or_refused("de", "pt", root) is None

    class Offered:
        from_code, to_code, package_version = "de", "pb", "1.0"

        def download(self) -> str:
            raise AssertionError("de→pb fetched for de pt")

    index = tmp_path / "index.json"
    monkeypatch.setattr(settings, "local_package_index", index)
    monkeypatch.setattr(argos_package, "update_package_index", lambda: index.write_text("[]"))
    monkeypatch.setattr(argos_package, "get_available_packages", lambda: [Offered()])
    with pytest.raises(ModelMissingError, match="has no de→pt package"):
        install_from_index("de", "pt", tmp_path / "other")


def test_the_needs_model_line_advises_only_what_argos_has() -> None:
    """A text read as ``no`` was told ``toolkit models install no en`` (no index has it);
    one read as Latin ``toolkit models install la en`` (Argos has no Latin model)."""
    norwegian = str(ModelMissingError.for_pair("no", "en"))
    assert norwegian.startswith("needs model no→en: install it with `toolkit models install nb en`")
    assert "Argos names this pair nb→en: installed, it translates no" in norwegian
    latin = str(ModelMissingError.for_pair("la", "en"))
    assert "models install la" not in latin
    assert latin == (
        "needs model la→en: Argos Translate's package index (2025-06-21) has no Latin (la) "
        "model; if the text is in another language, state it in the corpus's settings.yaml "
        "(languages: {FILE: CODE}; translate: --from CODE); a la→en package of your own "
        "installs with `toolkit models install --file PATH.argosmodel`"
    )
    german = str(ModelMissingError.for_pair("de", "en"))
    assert german == (
        "needs model de→en: install it with `toolkit models install de en` "
        "(offline: `toolkit models install --file PATH.argosmodel`)"
    )


def test_a_target_argos_has_no_package_for_is_not_told_to_restate_the_file() -> None:
    """A build into ``nn`` (no Argos package translates into it) told every document "if
    the text is in another language, state it in settings.yaml": restating the file's
    language cannot fix a missing target. The line names the target and its fixes."""
    line = ModelMissingError.for_pair("de", "nn").for_file("bericht.txt")
    assert line == (
        "needs model de→nn: no package of Argos Translate's index (2025-06-21) translates into "
        "Norwegian Nynorsk (nn); change the target language (BuildConfig.target_language; "
        "translate: --to CODE) or install a de→nn package of your own with "
        "`toolkit models install --file PATH.argosmodel`"
    )
    both = ModelMissingError.for_pair("la", "nn").for_file("caesar.txt")
    assert "translates into Norwegian Nynorsk (nn) (nor any Latin (la) model)" in both
    assert "settings.yaml" not in both and "install it with" not in both


def test_a_text_read_as_latin_is_told_to_state_its_file_s_language(tmp_path: Path) -> None:
    """The build's line for a document read as Latin names its file in the settings line
    to write (YAML-quoted where a name needs it), and asks to install nothing."""
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.provider import ArgosProvider

    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    latin = (
        "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam "
        "Aquitani, tertiam qui ipsorum lingua Celtae, nostra Galli appellantur.\n"
    )
    (corpus / "original" / "#caesar.txt").write_text(latin, encoding="utf-8")
    summary = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "none"))
    line = summary.needs_model["#caesar"]
    assert "state it in the corpus's settings.yaml (languages: {'#caesar.txt': CODE}; " in line
    assert "install it with" not in line and "models install la" not in line, line


def test_installing_no_en_from_the_index_installs_nb_en(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``toolkit models install no en`` (the pair a build reading Norwegian asks for) looked
    for a ``no→en`` package no index has; it installs Argos's ``nb→en`` now."""
    import argostranslate.package as argos_package
    from argostranslate import settings

    from toolkit.translation.install import install_from_index

    built = build_argos_package(tmp_path / "nb.argosmodel", "nb", "en", [TEXTS["nb"]] * 4)

    class Offered:
        def __init__(self, from_code: str) -> None:
            self.from_code, self.to_code, self.package_version = from_code, "en", "1.0"

        def download(self) -> str:
            copy = tmp_path / f"{self.from_code}-download.argosmodel"
            shutil.copy(built, copy)
            return str(copy)

    index = tmp_path / "index.json"
    monkeypatch.setattr(settings, "local_package_index", index)
    monkeypatch.setattr(argos_package, "update_package_index", lambda: index.write_text("[]"))
    monkeypatch.setattr(argos_package, "get_available_packages", lambda: [Offered("nb")])
    installed = install_from_index("no", "en", tmp_path / "packages")
    assert installed is not None and (installed.from_code, installed.to_code) == ("nb", "en")


def test_a_text_read_as_no_built_into_nb_is_its_own_text(tmp_path: Path) -> None:
    """Target ``nb`` (Argos's code): a text read as ``no`` is in it, copied as its own text;
    it waited for a model ``no→nb``, advising ``toolkit models install nb nb``."""
    from toolkit.config.build import BuildConfig
    from toolkit.languages import needs_no_model
    from toolkit.pipeline.build import build_corpus
    from toolkit.review.html import _model_line
    from toolkit.translation.provider import ArgosProvider

    assert needs_no_model("no", "nb") and needs_no_model("nb", "no")
    assert not needs_no_model("zh", "zt") and not needs_no_model("pt", "pb")  # two Argos targets
    assert not needs_no_model("de", "nb") and not needs_no_model("nb", "en")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "norsk.txt").write_text(f"{TEXTS['nb']}\n", encoding="utf-8")
    config = BuildConfig(target_language="nb")
    summary = build_corpus(corpus, provider=ArgosProvider(tmp_path / "none"), config=config)
    assert summary.built == ["norsk"] and summary.exit_code == 0, summary.lines()
    english = (corpus / "english" / "norsk.en.txt").read_text(encoding="utf-8")
    assert english.split() == TEXTS["nb"].split()
    meta = json.loads((corpus / "english" / "norsk.meta.json").read_text(encoding="utf-8"))
    from toolkit.schema import DocumentRecord

    record = DocumentRecord.model_validate(meta)
    assert _model_line(record) == "none (the source is in the target language)"


def test_the_needs_model_lines_say_true_things_of_the_index() -> None:
    """Attack 10e: "(its packages translate to and from English)" was untrue of es↔pt, which
    the index holds; the index date was written three times beside config/languages.py's
    2025-06-21; ``en→no`` ended "installed, it translates en", silent on the renamed target."""
    from toolkit.config.languages import ARGOS_INDEX_DATE
    from toolkit.translation.model_advice import needs_model_line

    german_dutch = needs_model_line("de", "nl")
    assert "(its packages translate to and from English, and between Spanish (es) and " \
        "Portuguese (pt))" in german_dutch  # fmt: skip
    for line in (german_dutch, needs_model_line("la", "en"), needs_model_line("de", "nn")):
        assert f"index ({ARGOS_INDEX_DATE})" in line, line
    assert needs_model_line("en", "no").endswith(
        "; Argos names this pair en→nb: installed, it translates en into no"
    )
    assert needs_model_line("no", "en").endswith("installed, it translates no")
    assert "Argos names" not in needs_model_line("es", "pt")
