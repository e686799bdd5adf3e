"""What a package's metadata.json may say, and what installing it may touch: the folder a
package goes to follows from its metadata, and installing never removes another pair."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import Result
from test_packages import installed_state, rewrite_zip, top_of

from toolkit.translation.install import install_from_file
from toolkit.translation.installed import find_package, list_installed
from toolkit.translation.packages import PackageError


def test_a_package_whose_folder_names_another_pair_is_refused(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """An nl→en file whose folder is `translate-de_en-1_0` replaced the installed de→en
    model ('installed translate-nl_en 1.0 (nl→en) in .../translate-de_en-1_0')."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    before = installed_state(german.path)
    posing = rewrite_zip(
        tiny_nl_package_file, tmp_path / "nl.argosmodel", top=top_of(tiny_package_file)
    )
    with pytest.raises(PackageError, match="names another language pair than its metadata"):
        install_from_file(posing, root)
    assert find_package("de", "en", root).path == german.path
    assert installed_state(german.path) == before


def test_installing_never_removes_a_package_of_another_pair(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """Folder names that are not Argos's own (`my-model`) are kept as they are; an nl→en
    package in the folder of the installed de→en one is refused, not swapped in."""
    root = tmp_path / "packages"
    german = install_from_file(rewrite_zip(tiny_package_file, tmp_path / "a", top="my-model"), root)
    before = installed_state(german.path)
    dutch = rewrite_zip(tiny_nl_package_file, tmp_path / "b", top="my-model")
    with pytest.raises(PackageError) as refused:
        install_from_file(dutch, root)
    assert "would replace the de→en package" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert [(p.from_code, p.to_code) for p in list_installed(root)] == [("de", "en")]
    assert installed_state(german.path) == before
    # The same pair in that folder is an upgrade, as before.
    assert install_from_file(tmp_path / "a", root).path == german.path


HOSTILE_METADATA = {
    "a version of 500,000 digits": b'{"from_code":"de","to_code":"en","package_version":"1.'
    + b"9" * 500_000
    + b'"}',
    "an integer of 500,000 digits": b'{"from_code":"de","to_code":"en","package_version":'
    + b"9" * 500_000
    + b"}",
    "nesting 100,000 deep": b'{"from_code":"de","to_code":"en","x":'
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
    "a version that is a list": b'{"from_code":"de","to_code":"en","package_version":[1]}',
    "a version that is NaN": b'{"from_code":"de","to_code":"en","package_version":NaN}',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_METADATA))
def test_hostile_metadata_is_one_line_at_install_and_at_read(
    tiny_package_file: Path, tmp_path: Path, kind: str
) -> None:
    """A 500,000-digit version installed, then `models list`, `translate` and `status` died
    with ValueError (Python's 4,300-digit limit); metadata nested 100,000 deep was a
    RecursionError traceback at install. Both are one line, at install and for a package
    already installed."""
    data = HOSTILE_METADATA[kind]
    replace = {"metadata.json": data}
    hostile = rewrite_zip(tiny_package_file, tmp_path / "h.argosmodel", replace=replace)
    root = tmp_path / "packages"
    with pytest.raises(PackageError) as refused:
        install_from_file(hostile, root)
    assert "metadata.json" in str(refused.value) and "\n" not in str(refused.value)
    assert list_installed(root) == []
    installed = install_from_file(tiny_package_file, root)
    (installed.path / "metadata.json").write_bytes(data)
    with pytest.raises(PackageError) as unreadable:
        list_installed(root)
    message = str(unreadable.value)
    assert "metadata.json" in message and str(installed.path) in message and "\n" not in message


def models_cli(*args: str) -> Result:
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    return CliRunner().invoke(cli, ["models", *args])


def two_versions(tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path) -> Path:
    """de→en 2.0 (the nl weights, its own folder name) beside the tiny de→en 1.0."""
    with zipfile.ZipFile(tiny_nl_package_file) as zf:
        parts = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    parts["metadata.json"] = json.dumps(
        {"from_code": "de", "to_code": "en", "package_version": "2.0"}
    ).encode()
    return rewrite_zip(
        tiny_package_file, tmp_path / "v2.argosmodel", replace=parts, top="translate-de_en-2_0"
    )


def test_models_list_marks_the_package_that_translates_each_pair(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """Two de→en packages were listed side by side, nothing saying which one translation
    uses; one rule (installed.serving) now decides it for find_package and the list."""
    root = tmp_path / "packages"
    install_from_file(tiny_package_file, root)
    install_from_file(two_versions(tiny_package_file, tiny_nl_package_file, tmp_path), root)
    rows = [
        line.split("\t")
        for line in models_cli("list", "--packages-dir", str(root)).stdout.splitlines()
    ]
    assert rows[0] == ["from", "to", "version", "used", "path"]
    assert [row[2:4] for row in rows[1:]] == [
        ["1.0", "no: translate-de_en 2.0 in translate-de_en-2_0 serves de→en"],
        ["2.0", "yes"],
    ]
    assert find_package("de", "en", root).package_version == "2.0"
    listed = json.loads(models_cli("list", "--format", "json", "--packages-dir", str(root)).stdout)
    assert [row["used"] for row in listed] == [False, True]


def test_if_missing_means_it_for_files_and_for_codes_in_any_case(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """`--if-missing --file v2.argosmodel` installed v2 beside the installed de→en, and
    `--if-missing DE EN` asked the (unreachable) index while `de en` said installed."""
    root = tmp_path / "packages"
    install_from_file(tiny_package_file, root)
    v2 = two_versions(tiny_package_file, tiny_nl_package_file, tmp_path)
    for args in (["--file", str(v2)], ["DE", "EN"], ["de-DE", "en"]):
        result = models_cli("install", "--if-missing", *args, "--packages-dir", str(root))
        assert result.exit_code == 0, result.output
        assert result.stdout == "de→en: already installed (translate-de_en 1.0)\n"
    assert [p.package_version for p in list_installed(root)] == ["1.0"]


def test_packages_no_command_uses_are_refused_or_named_at_install(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A "type": "sbd" package installed and listed as de→en, then translation said "needs
    model de→en"; en→en and deu→en installed without a word that nothing will use them."""
    root = tmp_path / "packages"
    sbd = rewrite_zip(
        tiny_package_file,
        tmp_path / "sbd.argosmodel",
        replace={"metadata.json": b'{"from_code":"de","to_code":"en","type":"sbd"}'},
    )
    with pytest.raises(PackageError, match="is a 'sbd' package, not a translation model"):
        install_from_file(sbd, root)
    for source, why in (
        ("en", "it translates en into itself"),
        ("deu", "builds never ask for deu"),
    ):
        meta = json.dumps({"from_code": source, "to_code": "en", "package_version": "1.0"})
        odd = rewrite_zip(
            tiny_package_file, tmp_path / f"{source}.argosmodel",
            replace={"metadata.json": meta.encode()}, top=f"translate-{source}_en-1_0",
        )  # fmt: skip
        result = models_cli("install", "--file", str(odd), "--packages-dir", str(root))
        assert result.exit_code == 0, result.output
        assert f"toolkit: warning: no command will use translate-{source}_en 1.0: {why}" in (
            result.stderr
        )


def test_a_folder_naming_another_pair_than_its_metadata_is_refused_at_read(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """The folder-name check ran only at install: `from_code` edited to "nl" in an installed
    translate-de_en-1_0/metadata.json (or a folder copied in by hand) was listed as nl→en,
    used, and `translate --from nl` translated with the German model, silently wrong."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    metadata = json.loads((german.path / "metadata.json").read_bytes())
    (german.path / "metadata.json").write_text(json.dumps({**metadata, "from_code": "nl"}))
    for run in (lambda: list_installed(root), lambda: find_package("nl", "en", root)):
        with pytest.raises(PackageError) as refused:
            run()
        message = str(refused.value)
        assert "its folder's name names another language pair than its metadata.json" in message
        assert message.split(";")[0].count("translate-de_en-1_0") == 1, message  # once
        assert str(german.path) in message and "reinstall" in message and "\n" not in message
    listed = models_cli("list", "--packages-dir", str(root))
    assert listed.exit_code == 0 and "\tno: broken: " in listed.stdout
    assert "names another language pair" in listed.stdout
    # Reinstalling repairs it; a copy under another pair's Argos name is refused the same way.
    install_from_file(tiny_package_file, root)
    assert find_package("de", "en", root).path == german.path
    shutil.copytree(german.path, root / "translate-nl_en-1_0")
    with pytest.raises(PackageError, match="nl_en-1_0: its folder's name names another"):
        find_package("de", "en", root)


def test_what_translate_picks_is_what_models_list_calls_used(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """`models list` said deu→en was unused (builds never ask for deu) while
    find_package("deu", "en") served it and `translate --from deu` passed the option (then
    failed deeper with "language 'deu'"); one rule (installed.serving) now decides both."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli
    from toolkit.translation.installed import serving, unused_reason

    root = tmp_path / "packages"
    install_from_file(tiny_package_file, root)
    for source in ("deu", "en"):
        meta = json.dumps({"from_code": source, "to_code": "en", "package_version": "1.0"})
        odd = rewrite_zip(
            tiny_package_file, tmp_path / f"{source}.argosmodel",
            replace={"metadata.json": meta.encode()}, top=f"translate-{source}_en-1_0",
        )  # fmt: skip
        install_from_file(odd, root)
    installed = list_installed(root)
    served = serving(installed)
    for package in installed:
        used = unused_reason(package, served) is None
        try:
            picked = find_package(package.from_code, package.to_code, root).path == package.path
        except PackageError:
            picked = False
        assert used == picked, package
    assert list(served) == [("de", "en")]
    result = CliRunner().invoke(
        cli, ["translate", "--packages-dir", str(root), "--from", "deu", "-"], input="Der Rat."
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("toolkit: error: --from 'deu': unknown language code")
    assert result.stderr.rstrip().endswith("installed model pairs: de→en")


def test_if_missing_does_nothing_for_a_refused_pair_and_says_what_to_do(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """Two de→en 1.0 packages (a hand copy `translate-de_en-1_0~`) refuse the pair; `--if-missing`
    took the refusal for "missing": `--file` installed the package again (still refused, exit
    0) and `de en` asked the index. It now installs nothing, names the refusal and its fix,
    and exits 1."""
    from test_package_serving import copy_package

    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    dutch = install_from_file(tiny_nl_package_file, root)
    copy_package(dutch.path, "translate-de_en-1_0~", from_code="de", code="translate-de_en")
    weights = (german.path / "model" / "model.bin").stat().st_ino
    for args in (["--file", str(tiny_package_file)], ["de", "en"]):
        result = models_cli("install", "--if-missing", *args, "--packages-dir", str(root))
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert "de→en is installed but refused, so --if-missing installs nothing" in result.stderr
        assert "installed 2 times" in result.stderr and "move the one not meant" in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert (german.path / "model" / "model.bin").stat().st_ino == weights
    result = models_cli("install", "--if-missing", "--file", str(tiny_nl_package_file),
                        "--packages-dir", str(root))  # fmt: skip
    assert result.exit_code == 0 and result.stdout.startswith("nl→en: already installed")
    # A pair refused for a broken folder is missing: installing is its repair, as before.
    broken = tmp_path / "broken"
    (install_from_file(tiny_package_file, broken).path / "model" / "model.bin").unlink()
    result = models_cli("install", "--if-missing", "--file", str(tiny_package_file),
                        "--packages-dir", str(broken))  # fmt: skip
    assert result.exit_code == 0 and result.stdout.startswith("installed translate-de_en 1.0")
    assert find_package("de", "en", broken).path.name == "translate-de_en-1_0"
