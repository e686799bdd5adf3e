"""A table of figures read as a language outside the toolkit's is not sent to a model.

Session 8's attacker: a DAX closing-price list (``Adidas 100,00 Euro -0,0%`` x 23, headed
"Schlusskurse im Dax am Freitag") reads as Volapük (``vo``) at 0.60, above both confidence
floors, so build and translate said "needs model vo→en: install it with toolkit models
install vo en" (a model that does not exist) and exited 3 for ever. Long tables read as vo
at 0.7-0.99: no confidence floor stops them; the share of their characters that are words
(``document_min_words``) does (benchmarks/language_floor.py, BENCHMARKS.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.config.build import BuildConfig
from toolkit.config.prepare import LanguageIdConfig
from toolkit.pipeline.fingerprint import encoded_settings
from toolkit.prepare.document import prepare_document, unsure, word_share

SHARES = ["Adidas", "Allianz", "BASF", "Bayer", "BMW", "Commerzbank", "Continental",
          "Daimler Truck", "Deutsche Bank", "Deutsche Börse", "Deutsche Post",
          "Deutsche Telekom", "E.ON", "Henkel", "Infineon", "Merck", "Munich Re", "Porsche",
          "RWE", "SAP", "Siemens", "Volkswagen", "Zalando"]  # fmt: skip
DAX = "Schlusskurse im Dax am Freitag\n\n" + "".join(
    f"{name} {f'{100 + 7.03 * i:.2f}'.replace('.', ',')} Euro {'-+'[i % 2]}{i % 5},{i % 9}%\n"
    for i, name in enumerate(SHARES)
)


def test_the_dax_list_reads_as_vo_above_both_floors_and_is_stopped() -> None:
    record = prepare_document(DAX.encode(), "original/dax.txt")
    assert record.language.language == "vo" and record.language.confidence >= 0.5
    why = unsure(record, LanguageIdConfig())
    assert why is not None and why.words and why.confidence < 0.6
    assert unsure(record, LanguageIdConfig(document_min_words=0.0)) is None  # as before


def test_prose_is_mostly_words_and_a_table_is_not() -> None:
    assert word_share(["Der Gemeinderat hat am Montag den Haushalt beschlossen."]) > 0.85
    assert word_share(["Adidas 100,00 Euro -0,0%"]) < 0.5
    assert word_share([]) == 0.0 and word_share(["E.ON 12 +1%"]) == 0.0


def test_build_and_translate_ask_for_the_language_not_a_model(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "dax.txt").write_text(DAX, encoding="utf-8")
    packages = str(tmp_path / "no-packages")
    args = ["build", str(corpus), "--no-glossary", "--packages-dir", packages]
    built = CliRunner().invoke(cli, args)
    assert built.exit_code == 1, built.output  # 3: waiting for a vo→en model for ever
    assert (
        "original/dax.txt: language unclear: reads as Volapük (vo) at confidence 0.60, but only "
        "52% of it is words (under 60%: figures, a table?); not translated blindly: state it in "
        "the corpus's settings.yaml (languages: {dax.txt: zxx} if it is figures or a table, vo "
        "if it is Volapük (vo) text) and rerun"
        in built.output
    )
    assert "models install" not in built.output  # it advised installing a Volapük model
    (corpus / "settings.yaml").write_text("languages: {dax.txt: zxx}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 0
    dax = str(corpus / "original" / "dax.txt")
    translated = CliRunner().invoke(
        cli, ["translate", "--no-glossary", "--packages-dir", packages, dax]
    )
    assert translated.exit_code == 1
    assert (
        "give its language with --from (--from zxx if it is figures or a table, vo if it is "
        "Volapük (vo) text)"
    ) in translated.output  # and --from takes it:
    stated = CliRunner().invoke(
        cli, ["translate", "--no-glossary", "--from", "ZXX", "--format", "json", dax]
    )  # it said "--from 'zxx': unknown language code"
    assert stated.exit_code == 0, stated.output
    assert json.loads(stated.stdout)[0]["language"] == "zxx"


def test_the_setting_at_its_default_changes_no_fingerprint() -> None:
    """Builds before it recorded none: hashed only when set, so adding it rebuilt nothing."""
    assert "document_min_words" not in encoded_settings(BuildConfig())
    changed = BuildConfig().model_copy(
        update={"prepare": BuildConfig().prepare.model_copy(
            update={"language_id": LanguageIdConfig(document_min_words=0.5)})}
    )  # fmt: skip
    assert "document_min_words" in encoded_settings(changed)
