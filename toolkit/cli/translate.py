"""``toolkit translate``: translate loose files (or stdin) and print the English.

The work is :func:`toolkit.pipeline.translate_files.translate_files`; this module parses the
options and prints.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import click

from toolkit.cli import options as opt
from toolkit.cli.corpus_access import find_glossary
from toolkit.cli.progress import progress_bar


@opt.command(
    exits={
        0: "every file translated",
        1: "some files failed, each named on stderr (the others were translated)",
        3: "some files wait for a translation model, none failed (the others were translated)",
    },
    stdout=True,
)
@click.argument("files", nargs=-1)
@opt.language_option(
    "--from",
    "from_code",
    help="Source language, e.g. de, or zxx for a text with no language content (kept as it "
    "is) (default: detected; a contradiction is reported).",
)
@opt.language_option("--to", "to_code", default="en", help="Target language.")
@opt.format_option(
    ["text", "tsv", "json"],
    "text: one line per paragraph; tsv: one row per sentence; json: one object per file.",
)
@opt.file_option(
    "-o", "--output", help="Write to this file, atomically (default: standard output)."
)
@opt.packages_option()
@opt.glossary_option()
@opt.no_glossary_option()
@opt.corpus_option(
    "Use this corpus's glossary (default ./corpus: ./corpus/glossary.yaml, else ./glossary.yaml).",
    show_default=False,
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Reuse and fill the translation cache in this directory "
    "(default: corpus/.cache next to a corpus, else $XDG_CACHE_HOME/toolkit).",
)
@opt.no_cache_option
@opt.max_bytes_option
@opt.quiet_option
@opt.encoding_option()
@opt.plain_text_option
def translate(
    files: tuple[str, ...],
    from_code: str | None,
    to_code: str,
    fmt: str,
    output: Path | None,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    corpus_dir: Path,
    cache_dir: Path | None,
    no_cache: bool,
    max_bytes: int | None,
    quiet: bool,
    encoding: str | None,
    plain_text: bool,
) -> None:
    """Clean, identify and translate FILES (- or none: stdin); print the English.

    text: one line per paragraph, a blank line between files; tsv: one row per
    sentence; json: one object per file with its aligned segments. A file that
    cannot be read or translated is reported on stderr and the others are still
    translated. A paragraph removed as boilerplate (a photo credit) is not translated: stderr
    names it (json: the file's "removed" list).
    """
    from toolkit.pipeline.run import build_config
    from toolkit.pipeline.translate_files import cache_dir_for, render_translations, translate_files

    files = files or ("-",)  # as clean, detect and segment: no file reads stdin
    _refuse_a_stream_named_twice(files)
    inputs = _inputs_not_to_overwrite(files, glossary_path, output)

    config = build_config(max_bytes, encoding, plain_text, target_language=to_code)
    glossary, used = find_glossary(glossary_path, corpus_dir, no_glossary)
    with progress_bar(not quiet) as progress:
        done = translate_files(
            files, config=config, glossary=glossary,
            from_code=from_code, packages_dir=packages_dir, progress=progress,
            cache_dir=None if no_cache else cache_dir_for(cache_dir),
            prepared=lambda record: opt.warn_about(record, "--from"),
        )  # fmt: skip
    if done.records:
        _write(render_translations(done.records, fmt), output, inputs)
    opt.say(used)
    for message in done.failed + done.waiting:
        opt.say(f"error: {message}")
    for line in done.removed_lines():
        opt.say(line)
    if not quiet:
        click.echo(opt.shown(done.summary_line()), err=True)
    sys.exit(done.exit_code)


def _refuse_a_stream_named_twice(files: tuple[str, ...]) -> None:
    """A usage error if standard input or another pipe is named twice (``- -``,
    ``- /dev/stdin``): the second read would find it empty. ``-`` reads descriptor 0, which
    can be read once whatever it is; a path is reopened, so only a pipe, terminal or socket
    named twice is refused (a regular file or a directory is read, or reported, each time)."""
    seen: set[tuple[int, int]] = set()
    for name in files:
        try:
            info = os.fstat(0) if name == "-" else os.stat(name)
        except OSError:
            continue  # reported per file when it is read
        stream = stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)
        if not (stream or stat.S_ISSOCK(info.st_mode) or name == "-"):
            continue
        key = (-1, -1) if name == "-" and not stream else (info.st_dev, info.st_ino)
        if key in seen:
            raise click.UsageError(
                "standard input (or another pipe) is given more than once ('-', /dev/stdin, "
                "/dev/fd/0); it can be read once"
            )
        seen.add(key)


def _inputs_not_to_overwrite(
    files: tuple[str, ...], glossary_path: Path | None, output: Path | None
) -> list[str | Path]:
    """What the command reads (FILES, stdin, ``--glossary``), which ``-o`` may not be: checked
    here, before the (long) translation, and again when the output is written."""
    from toolkit.corpus.outputs import refuse_overwriting_inputs

    inputs: list[str | Path] = [*files, *([glossary_path] if glossary_path is not None else [])]
    if output is not None:
        refuse_overwriting_inputs([output], inputs)
    return inputs


def _write(text: str, output: Path | None, inputs: list[str | Path]) -> None:
    """``text`` to stdout, or atomically to ``output`` (never into a corpus, never over a
    symlink, a device or one of ``inputs``; ``-`` is stdout)."""
    if output is None:
        opt.emit_result(text)
        return
    from toolkit.corpus.writes import write_output

    write_output(output, text.encode("utf-8"), inputs=inputs)


COMMANDS = (translate,)
