"""``toolkit build`` and ``toolkit add``: write the corpus, under its lock.

The build itself is :func:`toolkit.pipeline.run.run_build`; :func:`build_and_report` (also
used by ``toolkit correct``) prints its summary and exits with its status.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

import click

from toolkit.cli import options as opt
from toolkit.cli.corpus_access import corpus_locked, find_glossary
from toolkit.cli.progress import progress_bar
from toolkit.plural import plural

BUILD_EXITS = {
    0: "every document built or up to date",
    1: "some documents failed, each named on stderr (the others were built), or were held "
    "because their English was edited by hand (named with the two ways out), or a write "
    "failed (nothing was changed), or another command holds the corpus lock (see --wait)",
    3: "some documents wait for a translation model, each named with the install command "
    "(the others were built)",
}
"""What a build's exit status means, for every command that ends with a build."""


def build_and_report(
    corpus_dir: Path,
    *,
    packages_dir: Path | None = None,
    glossary_path: Path | None = None,
    no_glossary: bool = False,
    no_cache: bool = False,
    max_bytes: int | None = None,
    encoding: str | None = None,
    quiet: bool = False,
    only: list[str] | None = None,
    force: bool = False,
    executor: Literal["local", "ray"] = "local",
    ray_address: str | None = None,
    workers: int | None = None,
    no_repair: bool = False,
    allow_removal: bool = False,
    discard_edits: bool = False,
) -> None:
    """Build (:func:`toolkit.pipeline.run.run_build`), print the summary, exit with its status.

    The caller holds the corpus lock (:func:`corpus_locked`): the build does not take it again.

    Exit 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP) with the number of translations
    kept when a signal stopped it, as every command exits for one.
    """
    from toolkit.config.translation import RepairPolicy
    from toolkit.pipeline.run import BuildInterrupted, build_config, run_build

    config = build_config(max_bytes, encoding)
    if no_repair:
        off = config.translation.model_copy(update={"repair": RepairPolicy(enabled=False)})
        config = config.model_copy(update={"translation": off})
    glossary, used = find_glossary(glossary_path, corpus_dir, no_glossary)
    try:
        with progress_bar(not quiet) as progress:
            summary = run_build(
                corpus_dir, glossary=glossary, config=config, packages_dir=packages_dir,
                cache=not no_cache, only=only, force=force, executor=executor,
                ray_address=ray_address, workers=workers, progress=progress, locked=True,
                allow_removal=allow_removal, discard_edits=discard_edits, on_discard=opt.say,
            )  # fmt: skip
    except BuildInterrupted as stop:
        kept = plural(stop.kept, "translation")
        opt.say(
            f"interrupted: {kept} kept in the cache (repair attempts included); "
            "run toolkit build again to continue"
        )
        from toolkit.interrupts import exit_status

        sys.exit(exit_status(stop))
    opt.say(used)
    for line in summary.lines():
        if line.startswith("error: "):  # per-file errors get the documented prefix
            opt.say(line)
        else:
            opt.emit(line, summary=True)
    sys.exit(summary.exit_code)


@opt.command(exits=BUILD_EXITS)
@opt.corpus_argument
@opt.packages_option()
@opt.glossary_option()
@opt.no_glossary_option()
@opt.no_cache_option
@click.option(
    "--no-repair",
    is_flag=True,
    help="Keep the first translation of every segment: no re-decoding of flagged ones.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild every document (or those of --only) even if nothing changed.",
)
@click.option(
    "--only",
    "only_docs",
    multiple=True,
    metavar="DOC",
    help="Build only this document (an original's file name or a document id); repeatable.",
)
@click.option(
    "--allow-removal",
    is_flag=True,
    help="Remove the English of documents whose original is gone even when they are more "
    "than half of the built ones (refused without it: an emptied original/ is a mistake).",
)
@click.option(
    "--discard-edits",
    is_flag=True,
    help="Rebuild every document whose English outputs were edited by hand (each the build "
    "writes or removes; with --only DOC that document's only), discarding the edits there "
    "when the build starts (an edit typed during the build is held; without it such a "
    "document is held: record an edit with toolkit correct to keep it).",
)
@opt.max_bytes_option
@opt.encoding_option()
@opt.quiet_option
@opt.wait_option
@opt.choice_option(
    "--executor",
    ["local", "ray"],
    "local",
    "Where preparation and translation run: this machine, or a Ray cluster.",
)
@click.option(
    "--ray-address",
    default=None,
    help="Ray cluster to join (e.g. auto, ray://head:10001); default: start a local Ray.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes (local) or translation actors (ray); default: the CPUs here, 2 on Ray.",
)
def build(
    corpus_dir: Path,
    only_docs: tuple[str, ...],
    wait: bool,
    **options: Any,
) -> None:
    """Build CORPUS_DIR/english from CORPUS_DIR/original (default ./corpus).

    Unchanged documents are skipped (`nothing changed`); --force rebuilds them,
    --only DOC builds one document.
    """
    only = list(only_docs) if only_docs else None
    if only is not None:
        from toolkit.corpus.gone import only_named

        only_named(corpus_dir, only, "--only")  # a name that is nothing: refused before the lock
    with corpus_locked(corpus_dir, "toolkit build", wait):
        build_and_report(corpus_dir, only=only, **options)


@opt.command(
    exits={
        **BUILD_EXITS,
        1: "a file refused, named on stderr with the fix (nothing was added), or as for "
        "build: some documents failed, a write failed, or the corpus is locked",
    }
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@opt.corpus_option("The corpus directory to add to.")
@opt.packages_option()
@opt.glossary_option()
@opt.encoding_option(
    "Decode the added files with this codec (e.g. cp1250) instead of detecting it; "
    "recorded for each file under encodings: in CORPUS/settings.yaml, so rebuilds keep it."
)
@opt.no_glossary_option()
@opt.max_bytes_option
@opt.quiet_option
@opt.wait_option
def add(
    files: tuple[Path, ...],
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary_path: Path | None,
    encoding: str | None,
    no_glossary: bool,
    max_bytes: int | None,
    quiet: bool,
    wait: bool,
) -> None:
    """Copy new articles into CORPUS/original/ and build them.

    Only a file's base name is used (``../x/a.txt`` becomes ``original/a.txt``);
    empty and hidden names are refused. A file of the same name with different
    content is refused (rename the new one); adding an identical file again
    changes nothing. Every file is checked first (decoding, binary, size,
    language id): if one would fail to build, nothing is added.
    """
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.pipeline.add import add_articles

    paths = CorpusPaths(corpus_dir)
    if not paths.original.is_dir():
        opt.fail(f"{paths.original}: no such directory; is {corpus_dir} a corpus?")
    echo = lambda line: click.echo(opt.shown(line), err=True)  # noqa: E731
    with corpus_locked(corpus_dir, "toolkit add", wait):
        names = add_articles(
            paths, files, max_bytes=max_bytes, encoding=encoding, echo=echo,
            packages_dir=packages_dir,
        )  # fmt: skip
        build_and_report(
            paths.root, packages_dir=packages_dir, glossary_path=glossary_path,
            no_glossary=no_glossary, max_bytes=max_bytes, quiet=quiet, only=names,
        )  # fmt: skip


COMMANDS = (build, add)
