"""``make demo``: the shipped corpus built, and what happened, where the English is, what next.

A fresh clone offline printed ``toolkit: error: cannot reach the Argos package index`` and
still exited 0, then ``0 built, 2 up to date ... nothing changed`` (the English articles
ship built), and README said it "builds the two English articles". Now the models are
installed when the index can be reached, their absence is one plain line when it cannot,
the build prints its own summary, and the demo ends with the files to open and the commands
to run next (README, "Quick start", shows exactly what a fresh clone prints).

Run as ``python -m toolkit.demo`` from the repository root (``make demo`` does).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

PAIRS = (("de", "en"), ("nl", "en"))
"""The language pairs of the shipped corpus's German and Dutch articles."""

CORPUS = Path("corpus")


def install_models(say: Callable[[str], None]) -> None:
    """Install each pair of :data:`PAIRS` that ``models install --if-missing`` would
    (:func:`~toolkit.translation.installed.installed_or_refused`, its one rule) from the
    Argos index; one line for what was installed, or for each pair that cannot be: a pair
    installed but refused is not installed again (its refusal names the fix), one pair's
    install error is that pair's, and an unreachable index is every pair's left."""
    from toolkit.translation.install import install_from_index
    from toolkit.translation.installed import installed_or_refused
    from toolkit.translation.packages import IndexUnreachableError, PackageError

    missing = []
    for pair in PAIRS:
        found = installed_or_refused(*pair)
        if isinstance(found, PackageError):
            say(not_installed([pair], found))
        elif found is None:
            missing.append(pair)
    for done, pair in enumerate(missing):
        try:
            info = install_from_index(*pair)
        except IndexUnreachableError as exc:
            say(not_installed(missing[done:], exc))
            return
        except PackageError as exc:
            say(not_installed([pair], exc))
            continue
        say(f"installed {info.label} ({info.from_code}→{info.to_code})")


def not_installed(pairs: list[tuple[str, str]], exc: Exception) -> str:
    """The line for ``pairs`` (the one whose install failed or that is refused; with an
    unreachable index, those left: never one just installed) that ``exc`` left uninstalled.
    Which documents wait for them is the build's to say (its ``needs model`` lines follow),
    not guessed here."""
    from toolkit.translation.packages import IndexUnreachableError

    names = ", ".join(f"{f}→{t}" for f, t in pairs)
    if isinstance(exc, IndexUnreachableError):
        return (
            f"models {names} are not installed and the Argos package index cannot be reached "
            "(offline?): the build below names the documents that wait for them; to install "
            "from a file: toolkit models install --file PATH.argosmodel"
        )
    return f"models {names}: {exc}"  # the index has no such pair, a refused package: its line


def toolkit_command() -> str:
    """How to run ``toolkit`` from here: the virtualenv's, relative when it is below the
    working directory (``.venv/bin/toolkit``), so the printed commands paste as they are."""
    command = Path(sys.executable).parent / "toolkit"
    # As given, then with symlinks resolved (a clone under a linked home directory).
    for here, there in ((Path.cwd(), command), (Path.cwd().resolve(), command.resolve())):
        try:
            return str(there.relative_to(here))
        except ValueError:
            continue
    return "toolkit"


def next_steps(root: Path, toolkit: str) -> list[str]:
    """Where the English is and the commands a newcomer runs next, from what was built."""
    english = sorted(root.glob("english/*.en.txt"))
    if not english:
        return [f"no English yet in {root}/english/; {toolkit} status {root} says why"]
    first = english[0].name.removesuffix(".en.txt")
    return [
        f"the English: {', '.join(str(p) for p in english)} (beside each, .aligned.tsv pairs "
        "every sentence with its source and QA flags)",
        f"next: {toolkit} status {root}   # every document's state",
        f"next: {toolkit} review {first}   # source and English side by side, flags under rows",
        f"next: {toolkit} export --format tmx -o corpus.tmx   # the aligned corpus, one file",
    ]


def main() -> int:
    """Install what can be installed, build ``corpus`` through the command line (its own
    summary), then the next steps. Exit 0 when the build's is 0 or 3 (documents waiting for
    a model are the offline demo's normal state), else the build's."""
    from toolkit.cli.app import cli

    def say(line: str) -> None:
        print(f"demo: {line}", flush=True)

    install_models(say)
    try:
        cli.main(["build", str(CORPUS)], prog_name="toolkit")
        status = 0
    except SystemExit as done:
        status = int(done.code or 0)
    sys.stdout.flush()
    for line in next_steps(CORPUS, toolkit_command()):
        say(line)
    return 0 if status in (0, 3) else status


def run() -> int:
    """``python -m toolkit.demo``: :func:`main` as the ``toolkit`` program runs a command
    (stdout through :mod:`toolkit.stdout`, ending signals interrupt). A reader that quit
    early (``| head -1``), ``>&-`` or ``> /dev/full`` is one ``toolkit: error:`` line and
    exit 141 or 1, as for ``toolkit status``, never a traceback; when the build's summary
    already warned of it, the status alone (no second line)."""
    from toolkit.cli.app import start
    from toolkit.cli.options import fail
    from toolkit.stdout import StdoutFailed, failure

    start()
    try:
        status = main()
    except StdoutFailed as exc:
        fail(exc)
    failed = failure()
    return failed.exit_code if failed is not None else status


if __name__ == "__main__":
    sys.exit(run())
