"""Installing, listing, finding and validating Argos packages (real tiny packages, no network)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.faults import with_faults

from toolkit.config.translation import InstallLimits
from toolkit.translation.install import install_from_file, install_from_index
from toolkit.translation.installed import find_package, list_installed
from toolkit.translation.packages import (
    IndexUnreachableError,
    ModelMissingError,
    PackageError,
    packages_dir,
)


def rewrite_zip(
    source: Path,
    target: Path,
    *,
    drop: str | None = None,
    replace: dict[str, bytes] | None = None,
    top: str | None = None,
) -> Path:
    """Copy an .argosmodel: leave out members containing ``drop``, replace members by name
    suffix, and optionally rename the top directory to ``top``."""
    replace = replace or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if drop is not None and drop in info.filename:
                continue
            data = src.read(info)
            for suffix, new in replace.items():
                if info.filename.endswith(suffix):
                    data = new
            if top is not None:
                info.filename = top + info.filename[info.filename.index("/") :]
            dst.writestr(info, data)
    return target


def test_install_list_find(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    assert (info.from_code, info.to_code, info.package_version) == ("de", "en", "1.0")
    assert info.path.parent == tmp_path
    assert info.model_path.joinpath("model.bin").is_file()
    assert info.sp_model_path.is_file()
    assert list_installed(tmp_path) == [info]
    assert find_package("de", "en", tmp_path) == info


def test_installed_in_the_layout_argostranslate_reads(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    import argostranslate.package as argos_package
    from argostranslate import settings

    translate_loaded = "argostranslate.translate" in sys.modules
    saved_dir = settings.package_data_dir

    install_from_file(tiny_package_file, tmp_path)

    assert settings.package_data_dir == saved_dir  # Argos's global settings untouched
    assert ("argostranslate.translate" in sys.modules) == translate_loaded
    seen = argos_package.get_installed_packages([tmp_path])
    assert [(p.from_code, p.to_code) for p in seen] == [("de", "en")]


def test_list_installed_reads_env(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_from_file(tiny_package_file, tmp_path / "env")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env"))
    assert packages_dir() == tmp_path / "env"
    assert [p.from_code for p in list_installed()] == ["de"]
    assert packages_dir(tmp_path / "explicit") == tmp_path / "explicit"  # explicit wins
    assert list_installed(tmp_path / "explicit") == []


def test_two_pairs_and_newest_version_wins(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    install_from_file(tiny_package_file, tmp_path)
    install_from_file(tiny_nl_package_file, tmp_path)
    metadata = {"from_code": "de", "to_code": "en", "package_version": "1.10"}
    newer = rewrite_zip(
        tiny_package_file,
        tmp_path / "newer.argosmodel",
        replace={"metadata.json": json.dumps(metadata).encode()},
        top="translate-de_en-1_10",
    )
    install_from_file(newer, tmp_path)
    assert {(p.from_code, p.package_version) for p in list_installed(tmp_path)} == {
        ("de", "1.0"),
        ("de", "1.10"),
        ("nl", "1.0"),
    }
    assert find_package("de", "en", tmp_path).package_version == "1.10"
    assert find_package("nl", "en", tmp_path).from_code == "nl"


def test_missing_model_message_has_install_command(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as err:
        find_package("de", "en", tmp_path)
    message = str(err.value)
    assert "\n" not in message
    assert "`toolkit models install de en`" in message
    assert "`toolkit models install --file PATH.argosmodel`" in message


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("bad_zip", "not a zip"),
        ("no_model", "model/model.bin"),
        ("no_sentencepiece", "sentencepiece.model"),
        ("no_metadata", "metadata.json"),
        ("metadata_not_json", "metadata.json"),
        ("metadata_without_codes", "from_code"),
        ("truncated", ""),
    ],
)
def test_corrupt_package_files_rejected_before_install(
    tiny_package_file: Path, tmp_path: Path, case: str, expected: str
) -> None:
    bad = tmp_path / f"{case}.argosmodel"
    if case == "bad_zip":
        bad.write_bytes(b"this is not a zip archive")
    elif case == "no_model":
        rewrite_zip(tiny_package_file, bad, drop="/model/")
    elif case == "no_sentencepiece":
        rewrite_zip(tiny_package_file, bad, drop="sentencepiece.model")
    elif case == "no_metadata":
        rewrite_zip(tiny_package_file, bad, drop="metadata.json")
    elif case == "metadata_not_json":
        rewrite_zip(tiny_package_file, bad, replace={"metadata.json": b"{not json"})
    elif case == "metadata_without_codes":
        rewrite_zip(tiny_package_file, bad, replace={"metadata.json": b'{"to_code": "en"}'})
    elif case == "truncated":
        data = tiny_package_file.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    target = tmp_path / "packages"
    with pytest.raises(PackageError) as err:
        install_from_file(bad, target)
    message = str(err.value)
    assert str(bad) in message
    assert expected in message
    assert "\n" not in message
    assert not target.exists() or not any(target.iterdir())


def test_corrupt_installed_package_named(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    (info.model_path / "model.bin").unlink()
    with pytest.raises(PackageError, match=re.escape(str(info.path))):
        list_installed(tmp_path)
    (info.path / "metadata.json").write_text("[1, 2]")
    with pytest.raises(PackageError, match=r"metadata\.json"):
        find_package("de", "en", tmp_path)


def test_model_sha256_tracks_file_changes(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    model_bin = info.model_path / "model.bin"
    assert info.model_sha256 == hashlib.sha256(model_bin.read_bytes()).hexdigest()
    with open(model_bin, "ab") as handle:
        handle.write(b"\0")
    os.utime(model_bin, ns=(1, 1))  # a different mtime even on coarse filesystems
    assert info.model_sha256 == hashlib.sha256(model_bin.read_bytes()).hexdigest()


def test_install_from_index_offline_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argostranslate import settings

    # A closed local port: fails at once, with or without a network.
    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    with pytest.raises(IndexUnreachableError) as err:
        install_from_index("de", "en", tmp_path / "packages")
    message = str(err.value)
    assert "\n" not in message
    assert "toolkit models install --file" in message


# -- all-or-nothing installs (issue 14) --------------------------------------------------------

UD_ENGLISH = Path(__file__).resolve().parents[2] / "shared/data/ud-dev/en_ewt.dev.sentences.txt"


def add_members(source: Path, target: Path, extra: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    """Copy an .argosmodel and append crafted members (name, attributes and bytes as given)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for info, data in extra:
            dst.writestr(info, data)
    return target


def member(name: str, mode: int = 0o100644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.external_attr = mode << 16
    return info


def top_of(package: Path) -> str:
    with zipfile.ZipFile(package) as zf:
        return zf.namelist()[0].split("/")[0]


def installed_state(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too, the install lock aside) -> its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".install.lock"
    }


def crafted(kind: str, package: Path, out: Path) -> Path:
    """A package that passes main's old checks (or used to), crafted to break the install."""
    top = top_of(package)
    if kind == "file-and-folder":  # "model/config.json" is also a file's parent
        return add_members(package, out, [(member(f"{top}/model/config.json/x"), b"x")])
    if kind == "listed-twice":
        return add_members(package, out, [(member(f"{top}/README.md"), b"other text")])
    if kind == "symlink":
        return add_members(package, out, [(member(f"{top}/link", 0o120777), b"/etc/passwd")])
    if kind == "backslash":
        return add_members(package, out, [(member(f"{top}/..\\..\\evil.txt"), b"x")])
    if kind == "escape-in-name":
        return add_members(package, out, [(member(f"{top}/\x1b]0;pwned\x07"), b"x")])
    if kind == "empty-component":
        return add_members(package, out, [(member(f"{top}//etc/x"), b"x")])
    raise AssertionError(kind)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("file-and-folder", "is a file in one entry and a folder in another"),
        ("listed-twice", "twice"),
        ("symlink", "is a symlink"),
        ("backslash", "unsafe member path"),
        ("escape-in-name", "unsafe member path"),
        ("empty-component", "unsafe member path"),
    ],
)
def test_crafted_members_are_refused_before_anything_changes(
    tiny_package_file: Path, tmp_path: Path, kind: str, expected: str
) -> None:
    root = tmp_path / "packages"
    install_from_file(tiny_package_file, root)
    before = installed_state(root)
    bad = crafted(kind, tiny_package_file, tmp_path / "crafted.argosmodel")
    with pytest.raises(PackageError) as err:
        install_from_file(bad, root)
    message = str(err.value)
    assert expected in message and str(bad) in message
    assert "\n" not in message and "\x1b" not in message
    assert installed_state(root) == before  # the installed version is untouched
    assert not (tmp_path / "evil.txt").exists()


def zip_bomb(package: Path, out: Path, size: int) -> Path:
    """The package plus one member of ``size`` zero bytes, deflated (a few hundred KB)."""
    shutil.copyfile(package, out)
    info = member(f"{top_of(package)}/padding.bin")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "a") as zf, zf.open(info, "w", force_zip64=True) as handle:
        block = bytes(1 << 20)
        for _ in range(size >> 20):
            handle.write(block)
    return out


def test_zip_bomb_is_refused_by_the_default_ratio_before_extraction(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    bomb = zip_bomb(tiny_package_file, tmp_path / "bomb.argosmodel", 400 << 20)
    assert bomb.stat().st_size < 3_000_000  # 400 MB of zeros in under 3 MB
    root = tmp_path / "packages"
    with pytest.raises(PackageError) as err:
        install_from_file(bomb, root)
    message = str(err.value)
    assert "ratio" in message and "--max-ratio" in message and "\n" not in message
    assert not root.exists()  # refused from the zip's directory: nothing was written


def test_size_member_count_and_ratio_limits_are_configurable(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    root = tmp_path / "packages"
    size = tiny_package_file.stat().st_size
    for limits, expected in [
        (InstallLimits(max_unpacked_bytes=size // 2), "--max-unpacked-mb"),
        (InstallLimits(max_members=3), "--max-members"),
        (InstallLimits(max_ratio=0.5), "--max-ratio"),
    ]:
        with pytest.raises(PackageError, match=re.escape(expected)):
            install_from_file(tiny_package_file, root, limits)
    assert list_installed(root) == []
    assert install_from_file(tiny_package_file, root, InstallLimits(max_members=10)).path.is_dir()


def test_cli_limit_options_reach_the_installer(tiny_package_file: Path, tmp_path: Path) -> None:
    result = run_cli(
        "models", "install", "--file", str(tiny_package_file), "--max-members", "3",
        "--packages-dir", str(tmp_path / "p"),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "has 7 members" in result.stderr


def test_vocabulary_that_does_not_match_the_model_is_refused(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(tiny_package_file) as zf:
        name = next(n for n in zf.namelist() if n.endswith("shared_vocabulary.json"))
        vocabulary = json.loads(zf.read(name))
    short = json.dumps(vocabulary[:100]).encode()
    bad = rewrite_zip(
        tiny_package_file, tmp_path / "short.argosmodel", replace={"shared_vocabulary.json": short}
    )
    root = tmp_path / "packages"
    with pytest.raises(PackageError) as err:
        install_from_file(bad, root)
    assert f"scores {len(vocabulary)} tokens but its vocabulary lists 100" in str(err.value)
    assert list_installed(root) == [] and installed_state(root) == {}


def test_tokenizer_of_another_model_is_refused(tiny_package_file: Path, tmp_path: Path) -> None:
    from support.argos_package import train_sentencepiece

    english = train_sentencepiece([UD_ENGLISH.read_text(encoding="utf-8")], 500)
    bad = rewrite_zip(
        tiny_package_file, tmp_path / "foreign.argosmodel", replace={"sentencepiece.model": english}
    )
    root = tmp_path / "packages"
    with pytest.raises(PackageError, match="belongs to another model"):
        install_from_file(bad, root)
    assert list_installed(root) == []


def test_a_broken_package_directory_with_escapes_in_its_name_is_named_escaped(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A folder in the packages directory named with terminal escapes (no metadata.json)
    is named in the one-line error with the escapes spelled out, never raw."""
    root = tmp_path / "packages"
    assert (
        run_cli(
            "models", "install", "--file", str(tiny_package_file), "--packages-dir", str(root)
        ).returncode
        == 0
    )
    (root / "translate-e\x1b]0;pwned\x07\x1b[2J").mkdir()  # claims to be a package
    listed = run_cli("models", "list", "--packages-dir", str(root))
    # Listed as broken (the de→en package still serves), named escaped, never raw.
    assert listed.returncode == 0 and "has no metadata.json" in listed.stdout
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "translate-e\\x1b]0;pwned" in listed.stdout


def test_escape_sequences_in_metadata_are_never_printed_raw(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    metadata = {
        "from_code": "de",
        "to_code": "en",
        "package_version": "1.0\x1b]0;pwned\x07\x1b[2J",
        "code": "translate\x1b[31m-de_en",
    }
    bad = rewrite_zip(
        tiny_package_file,
        tmp_path / "escapes.argosmodel",
        replace={"metadata.json": json.dumps(metadata).encode()},
    )
    root = tmp_path / "packages"
    installed = run_cli("models", "install", "--file", str(bad), "--packages-dir", str(root))
    listed = run_cli("models", "list", "--packages-dir", str(root))
    assert installed.returncode == 0 and listed.returncode == 0
    for output in (installed.stdout, installed.stderr, listed.stdout, listed.stderr):
        assert "\x1b" not in output and "\x07" not in output
    assert "1.0\\x1b]0;pwned\\x07\\x1b[2J" in listed.stdout  # shown, escaped
    metadata["from_code"] = "de\x1b[2J"
    worse = rewrite_zip(
        tiny_package_file,
        tmp_path / "code.argosmodel",
        replace={"metadata.json": json.dumps(metadata).encode()},
    )
    refused = run_cli("models", "install", "--file", str(worse), "--packages-dir", str(root))
    assert refused.returncode == 1 and "is not a language code" in refused.stderr
    assert "\x1b" not in refused.stderr
    # escaped once (repr of the escaped text doubled every backslash)
    assert "'from_code' 'de\\x1b[2J' is not a language code" in refused.stderr


REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    root = REPO
    environment = {**os.environ, "PYTHONPATH": str(root), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=root,
        check=False,
    )


@pytest.mark.parametrize("crash_at", ["install.member:2", "install.checked", "install.swap"])
def test_killed_upgrade_leaves_the_previous_version_usable(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path, crash_at: str
) -> None:
    """An upgrade under the same directory name, SIGKILLed while extracting, after checking,
    and between the two renames of the swap: the old version stays listed and translates,
    and the next install completes and leaves nothing behind."""
    from toolkit.translation.translator import Translator

    root = tmp_path / "packages"
    old = install_from_file(tiny_package_file, root)
    before = installed_state(root / old.path.name)
    # The new version: other weights, tokenizer and metadata, under the same top directory.
    with zipfile.ZipFile(tiny_nl_package_file) as zf:
        parts = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    metadata = {"from_code": "de", "to_code": "en", "package_version": "2.0"}
    parts["metadata.json"] = json.dumps(metadata).encode()
    new = rewrite_zip(tiny_package_file, tmp_path / "new.argosmodel", replace=parts)

    args = ("models", "install", "--file", str(new), "--packages-dir", str(root))
    killed = run_cli(*args, env=with_faults({"PYTHONPATH": str(REPO)}, TOOLKIT_CRASH_AT=crash_at))
    assert killed.returncode == -signal.SIGKILL

    listed = run_cli("models", "list", "--packages-dir", str(root))
    assert listed.returncode == 0
    assert [line.split("\t")[2] for line in listed.stdout.splitlines()[1:]] == ["1.0"]
    package = find_package("de", "en", root)
    assert installed_state(package.path) == before  # old metadata, tokenizer and model
    assert len(Translator(package).translate(["Guten Morgen."])) == 1

    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert [p.package_version for p in list_installed(root)] == ["2.0"]
    assert sorted(p.name for p in root.iterdir()) == [".install.lock", old.path.name]


def test_unwritable_packages_directory_is_one_line(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, "Read-only file system")

    root = tmp_path / "packages"
    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    with pytest.raises(PackageError) as err:
        install_from_file(tiny_package_file, root)
    assert str(err.value) == (
        f"cannot install into {root} (Read-only file system); the installed packages are "
        f"unchanged"
    )
    assert list_installed(root) == []


def test_tests_never_see_the_developers_installed_models() -> None:
    # conftest points every test (and every toolkit a test starts) at an empty packages
    # folder: a developer's real models made fake-translated documents "stale" in review.
    from toolkit.translation.packages import packages_dir

    folder = packages_dir()
    assert folder.name.startswith("toolkit-tests-argos-packages-")
    assert list(folder.iterdir()) == []
