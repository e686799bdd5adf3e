"""Every code language id can answer is shown by its name: the contradiction line said
"language given as zxx (zxx), but the text reads as pl (pl)" and "tr (tr)", since
``language_name`` knew the toolkit's six languages only (session 8's "Noticed and left
alone")."""

from __future__ import annotations

import pytest

from toolkit.config.languages import LANGUAGE_NAMES, NAMES
from toolkit.languages import identifiable, language_name


def test_every_code_language_id_answers_has_a_name() -> None:
    codes = identifiable() | {"zxx", "und"}
    unnamed = sorted(code for code in codes if code not in NAMES)
    assert unnamed == []
    for code in codes:
        assert language_name(code) == f"{NAMES[code]} ({code})" != f"{code} ({code})"


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("de", "German (de)"),
        ("tr", "Turkish (tr)"),
        ("pl", "Polish (pl)"),
        ("vo", "Volapük (vo)"),
        ("zxx", "no linguistic content (zxx)"),
        ("und", "undetermined (und)"),
        ("xx", "xx"),  # no code of anybody's: itself, once
    ],
)
def test_a_code_is_shown_by_its_name_never_as_itself_twice(code: str, shown: str) -> None:
    assert language_name(code) == shown


def test_the_tuned_languages_keep_their_names() -> None:
    assert LANGUAGE_NAMES == {
        "de": "German", "nl": "Dutch", "en": "English",
        "fr": "French", "es": "Spanish", "it": "Italian",
    }  # fmt: skip


@pytest.mark.parametrize("given", ["nb", "NB", "nb-NO", "no", "nb_NO"])
def test_norwegian_is_taken_as_argos_and_language_id_name_it(given: str, tmp_path) -> None:
    """Argos's Norwegian packages are ``nb`` (translate-nb_en), language id says ``no``: ``nb``
    has a name, yet ``--from nb`` and ``languages: {x.txt: nb}`` were refused as an unknown
    language code while ``no`` was taken. Both are taken now, each kept as given."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.languages import normalize_language

    code = normalize_language(given)
    assert code == given[:2].lower()
    settings = f"languages: {{x.txt: '{given}'}}\n"  # quoted: YAML reads a bare no as false
    (tmp_path / "settings.yaml").write_text(settings, encoding="utf-8")
    assert load_corpus_settings(tmp_path).languages == {"x.txt": code}
    article = tmp_path / "x.txt"
    article.write_text("Regjeringen la fram budsjettet mandag.\n", encoding="utf-8")
    args = ["translate", "--from", given, "--packages-dir", str(tmp_path / "none"), str(article)]
    result = CliRunner().invoke(cli, args)
    assert "unknown language code" not in result.output
    assert f"{code}→en" in result.output, result.output


def test_a_norwegian_text_stated_nb_is_no_contradiction() -> None:
    """Language id reads Bokmål as ``no``: a text stated ``nb`` is judged as ``no``, so neither
    the document (``source-language``) nor its sentences (``language:no``) are flagged."""
    from toolkit.prepare.document import prepare_document

    text = (
        "Regjeringen la fram statsbudsjettet for neste år på mandag. Finansministeren sa at "
        "budsjettet er stramt, men at det gir rom for flere lærere i skolen.\n\n"
        "Opposisjonen mener at kuttene i sykehusene går for langt. Forhandlingene i Stortinget "
        "begynner neste uke.\n"
    )
    detected = prepare_document(text.encode(), "original/x.txt").language.language
    assert detected == "no"
    record = prepare_document(text.encode(), "original/x.txt", language="nb")
    assert record.language.language == "nb"
    assert all(seg.flags == [] for seg in record.segments), [s.flags for s in record.segments]


def test_a_text_read_as_no_is_told_the_argos_code() -> None:
    """Language id reads Norwegian as ``no``; Argos's packages are ``nb``: the needs-model line
    told to install a ``no`` model no index holds, and nothing about ``nb``. It advises
    ``nb en`` now, which a build uses for ``no`` once installed (tests/test_argos_codes.py)."""
    from toolkit.translation.packages import ModelMissingError

    line = str(ModelMissingError.for_pair("no", "en"))
    assert line.startswith("needs model no→en: install it with `toolkit models install nb en`")
    assert line.endswith("; Argos names this pair nb→en: installed, it translates no")
    assert "Argos names" not in str(ModelMissingError.for_pair("de", "en"))


def test_a_target_left_in_norwegian_stated_nb_is_flagged_untranslated() -> None:
    """QA asks language id by the code it knows (``nb`` is read as ``no``): asked for ``nb``,
    language id refused the candidates and the check returned nothing, so a target left in
    Norwegian passed the build, repair and ``qa PAIRS`` unflagged."""
    from toolkit.config.qa import QaConfig
    from toolkit.qa.checks import check_untranslated

    source = "Regjeringen la fram statsbudsjettet for neste år på mandag i Stortinget."
    target = "Regjeringen la fram budsjettet for neste år på mandag, sa finansministeren."
    flags = check_untranslated(source, target, "nb", "en", QaConfig())
    assert [(f.check, f.message) for f in flags] == [
        ("untranslated",
         "untranslated: target reads as Norwegian Bokmål (nb), not English (en)")], flags
    english = "The government presented next year's budget to parliament on Monday."
    assert check_untranslated(source, english, "nb", "en", QaConfig()) == []
