"""Which installed package serves a pair when the packages directory holds more than clean
installs: a hand backup of the same version, a broken folder, a folder with an uppercase
code (toolkit.translation.installed.serving, the one rule)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from toolkit.cli.app import cli
from toolkit.translation.install import install_from_file
from toolkit.translation.installed import find_package
from toolkit.translation.packages import PackageError


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def copy_package(source: Path, name: str, **metadata: str) -> Path:
    """A hand copy of the installed package ``source`` as ``name``, its metadata edited."""
    target = shutil.copytree(source, source.parent / name)
    meta = json.loads((target / "metadata.json").read_bytes())
    (target / "metadata.json").write_text(json.dumps({**meta, **metadata}))
    return target


def listed_rows(root: Path) -> dict[str, dict[str, object]]:
    result = invoke("models", "list", "--packages-dir", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    return {Path(str(row["path"])).name: row for row in json.loads(result.stdout)}


@pytest.mark.parametrize("backup", ["translate-de_en-1_0~", "translate-de_en-1_0.bak"])
def test_two_packages_of_one_pair_and_version_are_refused_not_picked_by_name(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path, backup: str
) -> None:
    """A hand backup `translate-de_en-1_0~` (other weights) beside `translate-de_en-1_0` was
    "used: yes" and translate used it: the later folder name won. Now the pair is refused in
    one line naming both; other pairs still translate, and a higher version serves."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    dutch = install_from_file(tiny_nl_package_file, root)
    copy_package(dutch.path, backup, from_code="de", code="translate-de_en")
    with pytest.raises(PackageError) as refused:
        find_package("de", "en", root)
    message = str(refused.value)
    assert "de→en 1.0 is installed 2 times" in message and "\n" not in message
    assert german.path.name in message and backup in message
    assert find_package("nl", "en", root).path == dutch.path
    rows = listed_rows(root)
    assert not rows[german.path.name]["used"] and not rows[backup]["used"]
    assert "installed 2 times" in str(rows[backup]["unused_because"])
    translated = invoke(
        "translate", "--packages-dir", str(root), "--from", "de", "-", stdin="Der Rat."
    )
    assert translated.exit_code != 0 and "installed 2 times" in translated.stderr
    newer = copy_package(german.path, "translate-de_en-2_0", package_version="2.0")
    assert find_package("de", "en", root).path == newer


def test_a_broken_package_fails_only_the_pair_it_would_serve(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """An unused deu→en folder without model.bin made `models list` and every translate
    fail. A broken folder is now listed as broken and refuses only its own pair, and only
    where it would serve it (its version is the highest)."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    dutch = install_from_file(tiny_nl_package_file, root)
    unused = copy_package(german.path, "translate-deu_en-1_0", from_code="deu")
    (unused / "model" / "model.bin").unlink()
    older = copy_package(dutch.path, "translate-nl_en-0_5", package_version="0.5")
    (older / "model" / "model.bin").unlink()
    assert find_package("de", "en", root).path == german.path
    assert find_package("nl", "en", root).path == dutch.path
    rows = listed_rows(root)
    assert str(rows[unused.name]["unused_because"]).startswith("broken: package ")
    assert "has no model/model.bin" in str(rows[unused.name]["unused_because"])
    assert rows[older.name]["from_code"] == "nl" and rows[older.name]["package_version"] == "0.5"
    assert rows[german.path.name]["used"] and rows[dutch.path.name]["used"]
    translated = invoke(
        "translate", "--packages-dir", str(root), "--from", "de", "-", stdin="Der Rat."
    )
    assert translated.exit_code == 0, translated.output
    # A broken folder of the highest version (or of none readable) is what nl→en would use.
    newer = copy_package(dutch.path, "translate-nl_en-2_0", package_version="2.0")
    (newer / "sentencepiece.model").unlink()
    (root / "translate-de_en-9_9").mkdir()  # no metadata.json: its folder names the pair
    for pair, needle in ((("nl", "en"), "has no sentencepiece.model"), (("de", "en"), "9_9")):
        with pytest.raises(PackageError, match=needle):
            find_package(*pair, root)


def test_the_pairs_an_unknown_code_error_lists_ignore_a_broken_folder(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """With an uppercase `translate-DE_en-1_0` folder beside the de→en package, the
    `--from deu` error said "installed model pairs: none"; the pairs commands use are
    listed whatever else the directory holds."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    copy_package(german.path, "translate-DE_en-1_0", from_code="DE")
    result = invoke(
        "translate", "--packages-dir", str(root), "--from", "deu", "-", stdin="Der Rat."
    )
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("installed model pairs: de→en")
    assert find_package("de", "en", root).path == german.path


GERMAN_TEXT = "Der Rat tagte am Montag. Er sprach über die neue Brücke am Fluss.\n"
DUTCH_TEXT = "De gemeenteraad vergaderde maandag. Hij sprak over de nieuwe brug over de rivier.\n"


@pytest.mark.parametrize("refusal", ["twice", "no metadata"])
def test_build_and_status_wait_on_a_refused_pair_and_do_the_others(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path, refusal: str
) -> None:
    """With de→en refused (a copy `translate-de_en-1_0~`, or a `translate-de_en-2_0` folder
    without metadata.json) `build` and `status` exited 1 with only that line: no table, the
    nl document not built. Now the de document waits for its model with the line naming the
    problem and the fix (exit 3, as needs-model); nl is built and status shows its table."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    install_from_file(tiny_nl_package_file, root)
    if refusal == "twice":
        shutil.copytree(german.path, root / "translate-de_en-1_0~")
    else:
        (root / "translate-de_en-2_0").mkdir()
    problem = "installed 2 times" if refusal == "twice" else "has no metadata.json"
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "de.txt").write_text(GERMAN_TEXT, encoding="utf-8")
    (corpus / "original" / "nl.txt").write_text(DUTCH_TEXT, encoding="utf-8")
    built = invoke("build", str(corpus), "--packages-dir", str(root))
    assert built.exit_code == 3, built.output
    waiting = [line for line in built.output.splitlines() if line.startswith("de: ")]
    assert waiting and "needs model de→en" in waiting[0] and problem in waiting[0]
    assert (corpus / "english" / "nl.en.txt").is_file()
    assert not (corpus / "english" / "de.en.txt").exists()
    # The line is recorded, without this machine's paths (it named /tmp/.../packages/...).
    recorded = [corpus / "manifest.jsonl", *sorted((corpus / "english").glob("*.meta.json"))]
    written = "".join(path.read_text(encoding="utf-8") for path in recorded)
    assert "needs model de→en" in written and problem in written
    assert str(tmp_path) not in written and "translate-de_en-" in written
    status = invoke("status", str(corpus), "--packages-dir", str(root), "--format", "json")
    assert status.exit_code == 0, status.output
    rows = {row["document"]: row for row in json.loads(status.stdout)["documents"]}
    assert rows["nl"]["state"] == "built" and rows["de"]["state"] == "needs model"
    assert problem in str(rows["de"]["message"])

    # Its de→en folders gone, the reason is today's, in build and status (both kept the
    # first build's refusal: "move the one not meant to be used out").
    for folder in root.glob("translate-de_en-*"):
        shutil.rmtree(folder)
    again = invoke("build", str(corpus), "--packages-dir", str(root))
    waiting = [line for line in again.output.splitlines() if line.startswith("de: ")]
    assert again.exit_code == 3 and len(waiting) == 1, again.output
    assert problem not in waiting[0] and "toolkit models install de en" in waiting[0]
    status = invoke("status", str(corpus), "--packages-dir", str(root), "--format", "json")
    rows = {row["document"]: row for row in json.loads(status.stdout)["documents"]}
    assert rows["de"]["message"] == waiting[0].removeprefix("de: ")


def test_a_folder_that_is_no_package_is_listed_as_ignored_not_broken(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A `notes/` folder in the packages directory was listed as `broken: ... reinstall the
    package`. It says what it is (not a package, ignored) unless its name claims a package."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("x")
    (root / "translate-fr_en-1_0").mkdir()  # named as a package: a broken one
    rows = listed_rows(root)
    assert rows["notes"]["unused_because"] == "not a package: no metadata.json; ignored"
    assert rows["notes"]["from_code"] is None
    claimed = str(rows["translate-fr_en-1_0"]["unused_because"])
    assert claimed.startswith("broken: ") and "reinstall the package" in claimed
    assert rows[german.path.name]["used"]


def test_a_folder_named_for_another_version_or_not_as_argos_names_it_is_a_warning(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """A de→en 2.0 package whose folder is `translate-de_en-1_0` installed and was listed
    without a word (the folder reads as 1.0), and a folder named `my-model` was never held
    against its metadata. The metadata ranks (2.0 is used); install and `models list` say
    what the name claims and what the metadata says, once, on stderr."""
    from test_model_swap import same_top_upgrade

    root = tmp_path / "packages"
    upgrade = same_top_upgrade(tiny_package_file, tiny_nl_package_file, tmp_path / "v2.argosmodel")
    installed = invoke("models", "install", "--file", str(upgrade), "--packages-dir", str(root))
    assert installed.exit_code == 0, installed.output
    version = (
        "its folder 'translate-de_en-1_0' names version 1_0; its metadata.json says de→en 2.0, "
        "the version toolkit uses and ranks (Argos would name it 'translate-de_en-2_0')"
    )
    assert installed.stderr == f"toolkit: warning: {root}: {version}\n"  # the folder once
    copy_package(root / "translate-de_en-1_0", "my-model", package_version="1.0")
    rows = listed_rows(root)
    assert rows["translate-de_en-1_0"]["folder_warning"] == version
    assert rows["translate-de_en-1_0"]["used"]
    assert rows["translate-de_en-1_0"]["package_version"] == "2.0"
    form = (
        "its folder 'my-model' is not named as Argos names packages ('translate-de_en-1_0'); "
        "its metadata.json says de→en 1.0, which is what toolkit uses"
    )
    assert rows["my-model"]["folder_warning"] == form
    listed = invoke("models", "list", "--packages-dir", str(root))
    assert listed.exit_code == 0
    assert listed.stderr.splitlines() == [
        f"toolkit: warning: {root}: {form}",
        f"toolkit: warning: {root}: {version}",
    ]
    clean = tmp_path / "clean"
    assert invoke("models", "install", "--file", str(tiny_package_file),
                  "--packages-dir", str(clean)).stderr == ""  # fmt: skip
    assert listed_rows(clean)["translate-de_en-1_0"]["folder_warning"] is None
    assert invoke("models", "list", "--packages-dir", str(clean)).stderr == ""


@pytest.mark.parametrize(
    ("folder", "version"),
    [
        ("translate-de_en-1.0", "1.0"),
        ("translate-de_en-1_0_0", "1.0"),
        ("translate-de_en-01_0", "1.0"),
        ("translate-de_en-1_0 ", "1.0"),
    ],
)
def test_a_folder_spelling_its_version_otherwise_than_argos_is_a_warning(
    folder: str, version: str
) -> None:
    """`translate-de_en-1.0`, `-1_0_0`, `-01_0`, `-1_0 ` parse as 1.0 and were not warned
    about; the name is now held against the one Argos gives 1.0, exactly."""
    from toolkit.translation.packages import folder_mismatch

    found = folder_mismatch(folder, "de", "en", version)
    assert found is not None and found[0] == "form"
    assert found[1].startswith(f"its folder '{folder}' spells version 1.0 otherwise than")
    assert "('translate-de_en-1_0')" in found[1]
    assert folder_mismatch("translate-de_en-1_0~", "de", "en", "1.0~") is None  # Argos's name


def test_a_folder_warning_escapes_once_and_suggests_no_unsafe_name() -> None:
    """`'my\\\\tfolder\\\\u202e'` (escaped, then repr'd) and, for version `../../evil`,
    'Argos would name it translate-de_en-__/__/evil' (no folder can be named that)."""
    from toolkit.translation.packages import folder_mismatch

    odd = folder_mismatch("my\tfolder\u202e", "de", "en", "1.0")
    assert odd is not None and odd[1].startswith("its folder 'my\\tfolder\\u202e' is not named")
    pair = folder_mismatch("translate-fr_en\t", "de", "en")
    assert pair is not None and pair[1].startswith("its folder 'translate-fr_en\\t' names")
    evil = folder_mismatch("translate-de_en-9_9", "de", "en", "../../evil")
    assert evil is not None and "__/__" not in evil[1]
    assert evil[1].endswith("(no folder name of Argos's form carries that version)")
