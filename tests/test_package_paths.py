"""A refused or vanished package's line is built without this machine's paths: the build
records it in manifest.jsonl and meta.json. It named folders by path and a regex took the
packages directory out afterwards, which a backslash, quote or newline in that path
defeated (the path landed in the manifest); and the tie line escaped folder names twice."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.translation.install import install_from_file
from toolkit.translation.installed import find_package
from toolkit.translation.packages import PackageError

ODD = 'my models \\ "new"\nset'  # a backslash, a quote, a newline, spaces
BACKUP = "translate-de_en-1_0 \\ copy"
GERMAN_TEXT = "Der Rat tagte am Montag. Er sprach über die neue Brücke am Fluss.\n"


def _escaped(path: str) -> str:
    """``path`` as package messages spell it: each backslash doubled, a line break as ``\\n``."""
    return path.replace("\\", "\\\\").replace("\n", "\\n")


@pytest.mark.parametrize("refusal", ["twice", "no metadata"])
def test_a_refused_pairs_recorded_line_names_no_machine_path(
    tiny_package_file: Path, tmp_path: Path, refusal: str
) -> None:
    root = tmp_path / ODD / "packages"
    german = install_from_file(tiny_package_file, root)
    if refusal == "twice":
        shutil.copytree(german.path, root / BACKUP)
    else:
        (root / "translate-de_en-2_0").mkdir()
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "de.txt").write_text(GERMAN_TEXT, encoding="utf-8")
    built = CliRunner().invoke(cli, ["build", str(corpus), "--packages-dir", str(root)])
    assert built.exit_code == 3, built.output
    manifest = (corpus / "manifest.jsonl").read_text(encoding="utf-8")
    (message,) = [json.loads(line)["message"] for line in manifest.splitlines()]
    assert "my models" not in message and "packages/" not in message, message
    if refusal == "twice":
        assert (f"'{german.path.name}' and 'translate-de_en-1_0 \\\\ copy'; toolkit does not "
                "pick one by folder name") in message  # fmt: skip
    else:
        assert message.startswith("needs model de→en: package translate-de_en-2_0 has no "
                                  "metadata.json; remove this folder and reinstall")


def test_the_terminal_still_gets_the_folders_path_escaped_once(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    root = tmp_path / ODD / "packages"
    german = install_from_file(tiny_package_file, root)
    shutil.copytree(german.path, root / BACKUP)
    with pytest.raises(PackageError) as refused:
        find_package("de", "en", root)
    shown = _escaped(str(root / BACKUP))
    assert f"'{shown}'" in str(refused.value), str(refused.value)
    assert "\n" not in str(refused.value)


def test_an_install_keeps_its_lock_file_and_no_read_lists_it(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """``.install.lock`` stays in the packages folder, as ``corpus/.lock`` does (removing a
    flock file lets two installers run at once); README says so, and no read lists it."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    assert (root / ".install.lock").is_file()
    listed = CliRunner().invoke(cli, ["models", "list", "--packages-dir", str(root)])
    assert listed.exit_code == 0 and ".install.lock" not in listed.output
    assert [line.split("\t")[-1] for line in listed.stdout.splitlines()[1:]] == [str(german.path)]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`.install.lock` (`toolkit models install`) stay after the command ends" in readme


def test_a_packages_folder_whose_path_is_not_utf8_installs_and_builds(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """SentencePiece's and CTranslate2's bindings take a str path only as valid UTF-8: a
    packages folder whose path holds other bytes (surrogate-escaped by Python) made install
    and build a TypeError traceback. They get the path's bytes (PackageInfo.native_paths)."""
    from toolkit.translation.translator import Translator

    root = tmp_path / os.fsdecode(b"x\n\xff") / "packages"
    german = install_from_file(tiny_package_file, root)
    assert Translator(german).translate(["Der Rat tagte."]) != [""]
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "de.txt").write_text(GERMAN_TEXT, encoding="utf-8")
    built = CliRunner().invoke(cli, ["build", str(corpus), "--packages-dir", str(root)])
    assert built.exit_code == 0, built.output


def test_a_package_that_does_not_load_is_named_by_folder_reference(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """The translator's load errors printed the package's path raw (a newline in it broke
    the line) and recorded it: now the folder reference, as every package message."""
    from toolkit.translation.translator import Translator

    german = install_from_file(tiny_package_file, tmp_path / ODD / "packages")
    (german.path / "sentencepiece.model").write_bytes(b"not a model")
    with pytest.raises(PackageError) as refused:
        Translator(german)
    assert str(refused.value).startswith(f"{_escaped(str(german.path))}: sentencepiece.model")
    assert refused.value.recorded.startswith(f"{german.path.name}: sentencepiece.model does not")
    assert "\n" not in str(refused.value) and "my models" not in refused.value.recorded


def test_a_typed_backslash_n_and_a_line_break_read_apart_and_a_quote_stays_quoted(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A real backslash was not doubled in package messages: folders named ``a\\nb`` (typed)
    and ``a<line break>b`` printed the same, and a ``'`` in a name ended the '...' quoting.
    One quoting owner (paths.quoted_name) spells them apart."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    for name in ("a\\nb", "a\nb", "it's"):
        shutil.copytree(german.path, root / name)
    with pytest.raises(PackageError) as refused:
        find_package("de", "en", root)
    message = str(refused.value)
    for shown in ("a\\\\nb", "a\\nb", "it\\'s"):
        assert f"'{root}/{shown}'" in message, message
    warned = CliRunner().invoke(cli, ["models", "list", "--packages-dir", str(root)]).stderr
    assert "its folder 'it\\'s' is not named as Argos names packages" in warned, warned
