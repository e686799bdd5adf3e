"""The crash hook: a no-op in the installed package, SIGKILL or pause only with the test driver."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from support.faults import with_faults

ROOT = Path(__file__).resolve().parents[1]
# Reaches each checkpoint twice, then says it survived.
PROGRAM = (
    "from toolkit._faults import checkpoint\n"
    "for _ in range(2):\n"
    "    checkpoint('write.staged')\n"
    "print('survived', flush=True)\n"
)


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=False
    )


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT_")}
    return {**env, "PYTHONPATH": str(ROOT)}


def test_the_package_alone_never_crashes_at_a_checkpoint() -> None:
    """The variables a user might set do nothing without the tests' driver."""
    proc = run({**base_env(), "TOOLKIT_CRASH_AT": "write.staged", "TOOLKIT_PAUSE_AT": "x"})
    assert (proc.returncode, proc.stdout) == (0, "survived\n")


def test_the_test_driver_kills_at_the_named_hit() -> None:
    proc = run(with_faults(base_env(), TOOLKIT_CRASH_AT="write.staged:2"))
    assert proc.returncode == -signal.SIGKILL and proc.stdout == ""


def test_the_driver_installs_nothing_for_another_point() -> None:
    proc = run(with_faults(base_env(), TOOLKIT_CRASH_AT="build.before-manifest"))
    assert (proc.returncode, proc.stdout) == (0, "survived\n")


def test_test_support_is_not_part_of_the_package() -> None:
    assert not (ROOT / "toolkit" / "testing.py").exists()
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, toolkit._faults; print(sorted(sys.modules))"],
        env=base_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'signal'" not in imported  # nothing in the package can send the kill
