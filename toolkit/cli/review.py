"""``toolkit review``: a document's aligned pairs in the terminal, as HTML, or in the workbench.

Registered on the main group by :mod:`toolkit.cli.app`. Like the other commands, a user error
prints one line ``toolkit: error: ...`` on stderr and exits 1 (:mod:`toolkit.cli.options`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, NamedTuple

import click

from toolkit.cli import options as opt
from toolkit.cli.corpus_access import corpus_given, find_glossary, require_corpus
from toolkit.plural import plural

MAX_WIDTH = 1000
"""The widest terminal review: wider than any screen, bounded so that a wild ``$COLUMNS``
cannot turn a short article into gigabytes of padding."""


class BuildWith(NamedTuple):
    """What you build with, as review is told it (``--packages-dir``, ``--glossary``,
    ``--no-glossary``, ``--max-bytes``, ``--encoding``): the options ``build`` and ``status``
    take, meaning the same here: whether each document is current, ``--serve``'s rebuilds."""

    packages_dir: Path | None
    glossary_path: Path | None
    no_glossary: bool
    max_bytes: int | None
    encoding: str | None

    def config(self) -> Any:
        """The build's settings with ``--max-bytes`` and ``--encoding``."""
        from toolkit.pipeline.run import build_config

        return build_config(self.max_bytes, self.encoding)


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


# -- review ------------------------------------------------------------------------------------


@opt.command()
@click.argument("docs", nargs=-1)
@opt.corpus_option()
@opt.file_option(
    "--html",
    "html_out",
    help="Write one static HTML page for DOCS (all built documents if none) to this file.",
)
@click.option("--only-flagged", is_flag=True, help="Terminal: show only rows with QA flags.")
@opt.choice_option(
    "--sort",
    ["document", "confidence"],
    "document",
    "Row order; confidence: least sure machine translations first.",
)
@opt.choice_option(
    "--color",
    ["auto", "always", "never"],
    "auto",
    "Terminal: ANSI highlighting (auto: when stdout is a terminal and $NO_COLOR is unset).",
)
@click.option(
    "--width",
    type=click.IntRange(40, MAX_WIDTH),
    default=None,
    help="Terminal: columns to use (default: $COLUMNS, the terminal's width, or 80 when piped; "
    f"at most {MAX_WIDTH}).",
)
@opt.glossary_option(
    "The glossary you build with (default: CORPUS/glossary.yaml, else glossary.yaml beside "
    "CORPUS): whether each document is current, as `toolkit status` asks it; term kinds in "
    "the HTML; --serve's rebuilds."
)
@click.option(
    "--serve",
    is_flag=True,
    help="Start the review workbench, a local web app to edit, accept and dismiss rows: "
    "`toolkit review --serve [CORPUS]`. Prints its URL with a session token; Ctrl-C stops it.",
)
@click.option(
    "--host",
    default=None,
    help="--serve: address to listen on (default 127.0.0.1, this machine only). Any other "
    "address is used only when given here, with a warning: anyone with the URL can edit.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="--serve: port to listen on; 0 picks a free one.",
)
@opt.packages_option(
    "The Argos packages you build with (default: $ARGOS_PACKAGES_DIR or argostranslate's): "
    "whether each document is current; --serve's rebuild after each edit."
)
@opt.language_option(
    "--src", help="--serve PAIRS_FILE: language code of the source column (e.g. de)."
)
@opt.language_option(
    "--tgt", default="en", help="--serve PAIRS_FILE: language code of the target column."
)
@click.option(
    "--by",
    "author",
    default=None,
    help="--serve: who reviews, recorded with every action (default: $TOOLKIT_AUTHOR or "
    "login name).",
)
@opt.no_glossary_option("Use no glossary, even if one is found (as `toolkit build --no-glossary`).")
@opt.max_bytes_option
@opt.encoding_option()
@opt.wait_read_option()
def review(
    docs: tuple[str, ...],
    corpus_dir: Path,
    html_out: Path | None,
    only_flagged: bool,
    sort: str,
    color: str,
    width: int | None,
    glossary_path: Path | None,
    serve: bool,
    host: str | None,
    port: int,
    packages_dir: Path | None,
    src: str | None,
    tgt: str,
    author: str | None,
    no_glossary: bool,
    max_bytes: int | None,
    encoding: str | None,
    wait: bool,
) -> None:
    """Show the aligned pairs of DOC side by side (or --html OUT.html for a browser page,
    or --serve for the review workbench).

    DOC: a document id (000_de546ec99307b48e), an original's file name, or a path to its
    .meta.json/.aligned.tsv (of the corpus holding it). Glossary terms highlighted, QA flags
    under each row. A document a build would now write differently is marked NOT CURRENT
    (status's reason): give the models, glossary, --max-bytes, --encoding you build with.

    \b
    --serve [CORPUS] starts the review workbench on CORPUS (default --corpus) at
    http://127.0.0.1:PORT/?token=...: overview with progress, each document source |
    English with glossary terms, QA messages and origin; sort, filters and search.
    Every edit, acceptance and dismissal (with a reason) is appended, with author and
    time, to CORPUS/corrections/DOC.corrections.tsv under the corpus lock, and the
    document is rebuilt; two tabs saving one row get a conflict, never an overwrite.
    Keys: j/k next/previous row, n/p next/previous flagged, e edit, Ctrl-Enter save,
    Esc cancel, a accept, d dismiss a flag, u undo, / search, ? keys.

    \b
    --serve PAIRS_FILE --src de [--tgt en] reviews any bilingual TSV or TMX file the
    same way (--src may be left out where every row names its language: a TMX, the
    toolkit's exports); actions go to PAIRS_FILE.corrections.tsv next to it (the file
    itself is never written) and `toolkit export --pairs PAIRS_FILE --src de` writes
    the corrected pairs. Checked as qa checks it, beside --corpus (glossary, settings).
    """
    build_with = BuildWith(packages_dir, glossary_path, no_glossary, max_bytes, encoding)
    if serve:
        _serve(docs, corpus_dir, host, port, build_with, author, (src, tgt))
        return
    if html_out is None and not docs:
        opt.fail("give a DOC to review (a document id), or --html OUT.html for all documents", 2)
    corpus_dir, records, left_out = _load(corpus_dir, docs, wait)
    glossary, used, states = _stale(corpus_dir, docs, records, build_with, html_out is None)
    if html_out is not None:
        read = [glossary_path] if glossary_path is not None else []
        shown = (records, left_out)
        _write_html(html_out, shown, corpus_dir, sort, (glossary, used), states, read)
        return
    _show(records, width, _use_color(color), only_flagged, sort, states)


def _load(
    corpus_dir: Path, docs: tuple[str, ...], wait: bool
) -> tuple[Path, list[Any], list[str]]:
    """The corpus the documents belong to (a path's own, for staleness and the glossary), the
    records to show (:func:`toolkit.review.documents.load_documents`) and one line per
    document left out (changed since the build, never built or failed), each also on stderr."""
    from toolkit.review.documents import document_corpus, load_documents

    corpus_dir = document_corpus(docs, corpus_dir, corpus_given=corpus_given(), copies=True)
    left_out: list[str] = []
    records = load_documents(corpus_dir, list(docs), wait=wait, on_wait=opt.say, left_out=left_out)
    for line in left_out:
        click.echo(opt.shown(f"left out: {line}"), err=True)
    from toolkit.qa.summary import with_corpus_flags  # inconsistent: across those shown

    return corpus_dir, with_corpus_flags(records), left_out


def _stale(
    corpus_dir: Path,
    docs: tuple[str, ...],
    records: list[Any],
    build_with: BuildWith,
    terminal: bool,
) -> tuple[Any, str, dict[str, tuple[str, str]]]:
    """The glossary (by the one rule), the line naming it, and each shown document's state
    and line as ``toolkit status`` says them (:func:`~toolkit.review.stale.review_states`);
    why a build would now write one differently (those it would), one warning line each on
    stderr, before anything is shown. The terminal names the glossary first (what "glossary
    changed" was judged against; ``--html`` names it anyway)."""
    from toolkit.review.stale import corpus_documents, not_current, review_states, stale_lines

    glossary, used = find_glossary(build_with.glossary_path, corpus_dir, build_with.no_glossary)
    mine = corpus_documents(corpus_dir, docs, records)
    config = build_with.config()
    states = review_states(corpus_dir, mine, build_with.packages_dir, glossary, config)
    lines = stale_lines(not_current(states))
    if lines and terminal:
        opt.say(used)
    for line in lines:
        opt.warn(line)
    return glossary, used, states


def _show(
    records: list[Any],
    width: int | None,
    color: bool,
    only_flagged: bool,
    sort: str,
    states: dict[str, tuple[str, str]],
) -> None:
    """The rows in the terminal (``states``: :func:`_stale`'s): through the pager when stdout
    is one."""
    from toolkit.review.stale import not_current
    from toolkit.review.terminal import TerminalStyle, render_terminal

    # $COLUMNS, else the terminal's width, else (piped) 80.
    # $COLUMNS is untrusted: COLUMNS=99999999 would pad every line to 100 MB.
    columns = width or min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
    style = TerminalStyle(
        width=columns,
        color=color,
        only_flagged=only_flagged,
        sort=sort,  # type: ignore[arg-type]
    )
    stale = not_current(states)
    text = "\n".join(
        render_terminal(r, style, stale.get(r.document, ""), states.get(r.document))
        for r in records
    )
    if _stdout_is_terminal():
        _page(text)  # a long document would scroll away
    else:
        click.echo(text, nl=False, color=style.color)


def _write_html(
    html_out: Path,
    shown: tuple[list[Any], list[str]],
    corpus_dir: Path,
    sort: str,
    glossary: tuple[Any, str],
    states: dict[str, tuple[str, str]],
    inputs: list[Path],
) -> None:
    """``review --html OUT``: one static page, glossary terms with their kinds, a banner on
    each document a build would now write differently; ``glossary``: the glossary and the
    line that names it (:func:`toolkit.cli.options.find_glossary`); ``shown``: the records
    and the lines naming what was left out (in a notice on the page too); ``states``:
    :func:`_stale`'s."""
    from toolkit.review.html import write_html
    from toolkit.review.rows import glossary_kinds
    from toolkit.review.stale import not_current

    records, left_out = shown
    kinds = glossary_kinds(glossary[0].entries)  # term -> kind, for hover text
    write_html(
        html_out, records, kinds, corpus_root=corpus_dir, sort=sort,  # type: ignore[arg-type]
        stale=not_current(states), inputs=inputs, left_out=left_out, states=states,
    )
    opt.say(glossary[1])
    rows = sum(len(r.segments) for r in records)
    click.echo(
        f"wrote {html_out}: {plural(len(records), 'document')}, {plural(rows, 'row')}", err=True
    )


def _stdout_is_terminal() -> bool:
    """Whether review output goes to a terminal (and so through the pager)."""
    return sys.stdout.isatty()


def _serve(
    docs: tuple[str, ...],
    corpus_dir: Path,
    host: str | None,
    port: int,
    build_with: BuildWith,
    author: str | None,
    languages: tuple[str | None, str],
) -> None:
    """``review --serve``: the workbench on CORPUS (the one argument) or --corpus, or on a
    bilingual file (a file, or --src given; ``languages``: --src, --tgt). Without --src the
    file must name each row's language (a TMX, the toolkit's exports), as for export."""
    from toolkit.corpus.corrections import clean_value, default_author
    from toolkit.corpus.paths import CorpusPaths, nothing_built
    from toolkit.review.workbench.launch import run_workbench

    if len(docs) > 1:
        opt.fail("--serve takes one CORPUS directory (or --corpus), not document ids", 2)
    root = Path(docs[0]) if docs else corpus_dir
    pairs = root.is_file() or languages[0] is not None
    # Beside a pairs file --corpus is the corpus it is checked beside, as for qa and export.
    if not pairs and docs and corpus_given() and root.resolve() != corpus_dir.resolve():
        opt.fail(f"{root}: --serve on it, or on --corpus {corpus_dir}? give one of them", 2)
    if pairs and not root.is_file():
        opt.fail(f"{root}: no such file; --src/--tgt review one bilingual TSV or TMX file", 2)
    if not pairs:  # the syntax README and --help show: --serve [CORPUS]
        give = "as toolkit review --serve CORPUS (or --corpus CORPUS)"
        require_corpus(root, give, usage=True)  # as click says of a path that is not there
    english = CorpusPaths(root).english
    if not pairs and not english.is_dir():
        opt.fail(nothing_built(root))
    run_workbench(
        root,
        host=host or "127.0.0.1",
        port=port,
        packages_dir=build_with.packages_dir,
        glossary_path=build_with.glossary_path,
        no_glossary=build_with.no_glossary,
        config=build_with.config(),
        author=clean_value(author) if author else default_author(),
        echo=lambda line: click.echo(opt.shown(line), err=line.startswith("toolkit:")),
        languages=languages if pairs else None,
        corpus=corpus_dir,
        corpus_given=corpus_given(),
    )


def _page(text: str) -> None:
    """Show ``text`` through ``$PAGER`` (default ``less -R``, which keeps the colours).

    The pager command comes from the user's own environment and runs through the shell,
    as git and man run it. If it cannot be started, the text is printed instead.
    """
    import subprocess

    command = os.environ.get("PAGER") or "less -R"
    # A plain `less` from $PAGER would show the colour codes raw; git sets LESS the same way.
    env = {**os.environ, "LESS": os.environ.get("LESS", "-R")}
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        click.echo(text, nl=False, color=True)
        return
    try:
        pager.communicate(text.encode("utf-8"))
    except (BrokenPipeError, KeyboardInterrupt):  # the reader quit the pager early
        pager.wait()
    if pager.returncode == 127:  # the shell found no such pager
        click.echo(text, nl=False, color=True)


COMMANDS = (review,)
"""Registered by :mod:`toolkit.cli.app`."""
