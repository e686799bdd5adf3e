"""Configuration: every model is frozen, rejects a misspelt field, and loads nothing heavy."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

import toolkit.config
from toolkit.config.base import ConfigModel
from toolkit.config.build import BuildConfig
from toolkit.config.prepare import PrepareConfig
from toolkit.config.qa import LengthBand

EXPECTED = {
    "DecodeConfig", "CleanConfig", "LanguageIdConfig", "SegmentConfig", "PrepareConfig",
    "GlossaryConfig", "SpanConfig", "TranslationSettings", "DecodeOptions", "RepairPolicy",
    "QaConfig", "LengthBand", "InstallLimits", "BuildConfig", "CorpusSettings",
}  # fmt: skip


def _models() -> list[type[ConfigModel]]:
    """Every configuration model defined in toolkit/config/."""
    found = []
    for info in pkgutil.iter_modules(toolkit.config.__path__):
        module = importlib.import_module(f"toolkit.config.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ConfigModel)
                and value is not ConfigModel
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return sorted(found, key=lambda cls: cls.__name__)


# Fields a model cannot do without (every other field has a default).
REQUIRED = {LengthBand: {"pair": "de-en", "low": 0.5, "high": 1.5}}


def test_every_config_model_lives_in_toolkit_config() -> None:
    assert {cls.__name__ for cls in _models()} == EXPECTED


@pytest.mark.parametrize("model", _models(), ids=lambda cls: cls.__name__)
def test_a_misspelt_field_is_refused(model: type[ConfigModel]) -> None:
    required = REQUIRED.get(model, {})
    model(**required)  # the defaults are valid
    first = next(iter(model.model_fields))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model(**required, **{first + "_tpyo": 1})


@pytest.mark.parametrize("model", _models(), ids=lambda cls: cls.__name__)
def test_a_config_cannot_be_changed_after_it_is_built(model: type[ConfigModel]) -> None:
    config = model(**REQUIRED.get(model, {}))
    with pytest.raises(ValidationError, match="frozen"):
        setattr(config, next(iter(model.model_fields)), None)


def test_the_reported_typo_from_the_issue_is_refused() -> None:
    from toolkit.config.qa import QaConfig

    with pytest.raises(ValidationError, match="lenght_slack_chars"):
        QaConfig(lenght_slack_chars=3)  # type: ignore[call-arg]


def test_the_build_owns_the_target_language() -> None:
    with pytest.raises(ValidationError):
        PrepareConfig(target_language="fr")  # type: ignore[call-arg]
    assert BuildConfig(target_language="fr").target_language == "fr"


def test_the_recorded_layout_is_unchanged_and_reads_back() -> None:
    """Provenance and fingerprints record ``target_language`` under ``prepare`` (meta.json
    schema 1), so moving its owner changed no recorded byte; the dump validates back."""
    config = BuildConfig(target_language="fr")
    dumped = config.model_dump(mode="json")
    assert list(dumped) == ["prepare", "translation", "glossary", "qa"]
    assert list(dumped["prepare"])[-1] == "target_language"
    assert dumped["prepare"]["target_language"] == "fr"
    assert BuildConfig.model_validate(json.loads(json.dumps(dumped))) == config


def test_reading_a_config_loads_no_heavy_module() -> None:
    code = (
        "import json, sys\n"
        "import toolkit.config.build, toolkit.config.corpus\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert loaded & {"ftfy", "regex", "numpy", "yaml", "py3langid", "ctranslate2"} == set()
    toolkit_modules = {name for name in json.loads(out) if name.startswith("toolkit.")}
    allowed = {"toolkit.config", "toolkit._version"}
    assert {m for m in toolkit_modules if not m.startswith("toolkit.config.")} <= allowed


def test_translate_to_another_language_asks_for_that_pair(tmp_path: Path) -> None:
    """``toolkit translate --to fr`` sets ``BuildConfig.target_language``, which reaches the
    records (a copy into ``PrepareConfig`` was silently ignored and asked for de→en)."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    article = tmp_path / "a.txt"
    article.write_text(
        "Der Bundestag hat am Montag ein neues Gesetz beschlossen. "
        "Die Opposition kritisierte den Entwurf scharf.\n",
        encoding="utf-8",
    )
    args = ["translate", "--to", "fr", "--no-glossary", "--packages-dir", str(tmp_path / "none")]
    result = CliRunner().invoke(cli, [*args, str(article)])
    assert result.exit_code == 3
    assert "needs model de→fr" in result.stderr
