"""What every command shares: its class (with the one error handler), the options declared
once, and the few ways a command talks to the user (``toolkit: ...`` lines on stderr).

A command module imports from here, never from another command module or :mod:`.app`,
so the CLI has no import cycle. Only click and light toolkit modules are imported at
module level: ``toolkit --help`` must not load pydantic, ftfy or a model.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from toolkit.cli.exits import EXIT_FAILED, EXIT_USAGE, epilog, usage_line
from toolkit.errors import ToolkitError

F = TypeVar("F", bound=Callable[..., Any])


class CommandLineError(ToolkitError):
    """Options that do not fit together (or a value click cannot check): exit 2."""

    exit_code = EXIT_USAGE


def fail(message: str | ToolkitError, code: int | None = None) -> NoReturn:
    """Print ``toolkit: error: <message>`` on stderr and exit: the one way a command fails.

    The exit status is ``code``, else the error's ``exit_code`` (2 for a
    :class:`CommandLineError`), else 1.
    """
    if code is None:
        code = getattr(message, "exit_code", EXIT_FAILED)
    say(f"error: {message}")
    sys.exit(code)


def emit(text: str, summary: bool = False) -> None:
    """``text`` and a newline on stdout: the way a command prints its result (a table row, a
    JSON object, the English), through :mod:`toolkit.stdout`, the one owner of stdout.

    A reader that quits early (``| head``) or a full disk is one ``toolkit: error:`` line
    and exit 141 or 1 (:func:`toolkit.stdout.stdout_error`). With ``summary`` (a build's
    summary: its result is the corpus, already written) the line is a warning and the
    command's own exit status stands.
    """
    from toolkit.stdout import StdoutFailed

    try:
        click.echo(text)
    except StdoutFailed as exc:
        if not summary:
            raise
        warn(f"{exc}")


def emit_result(text: str) -> None:
    """A command's whole result, exactly ``text`` (no newline added), on stdout: a failure
    names how much of it got through ("closed after 65536 of 315114 bytes")."""
    from toolkit.stdout import write_text

    write_text(text)


def shown(text: str) -> str:
    """``text`` safe for a terminal: :func:`toolkit.corpus.paths.shown_name`, the one escaping
    function. Every ``toolkit:`` line goes through it (a message may quote a file name, a
    row id or package metadata), and so does each untrusted cell a command prints."""
    from toolkit.corpus.paths import shown_name

    return shown_name(text)


def say(message: str) -> None:
    """One ``toolkit: <message>`` line on stderr (the glossary used, waiting for a lock),
    its unprintable characters escaped (:func:`shown`).

    A terminal that is gone (the window closed: EIO) or a closed pipe does not turn the
    line into a traceback and exit 1: the exit status still says what happened.
    """
    with suppress(OSError):
        click.echo(f"toolkit: {shown(message)}", err=True)


class _Reporting:
    """The one error handler, shared by every command and group.

    A :class:`ToolkitError` that reaches it is the user's to fix: one line and its exit
    status, never a traceback; so is click's usage error (an unknown option, a missing or
    bad argument: :func:`toolkit.cli.exits.usage_line`, exit 2). Ctrl-C anywhere outside a
    build's safe points (waiting for the corpus lock, ``translate``, ``add``'s copying) is
    one line and exit 130 like an
    interrupted build, instead of click's ``Aborted!`` and exit 1; SIGTERM and SIGHUP the
    same line and 143 or 129 (128 + the signal).
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)  # type: ignore[misc]
        except ToolkitError as exc:  # raised while parsing (an option callback) or running
            fail(exc)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc, no-any-return]
        except click.UsageError as exc:  # parsing: click's 4-line block, made one line
            parent = kwargs.get("parent", args[2] if len(args) > 2 else None)
            exc.ctx = exc.ctx or click.Context(self, parent=parent, info_name=args[0])  # type: ignore[arg-type]
            fail(usage_line(exc), EXIT_USAGE)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except ToolkitError as exc:
            fail(exc)
        except click.UsageError as exc:  # a group's unknown command, a subcommand's parsing
            fail(usage_line(exc), EXIT_USAGE)
        except KeyboardInterrupt as stop:  # SIGTERM and SIGHUP too (toolkit.interrupts)
            from toolkit.interrupts import exit_status

            say("interrupted")
            sys.exit(exit_status(stop))


class Command(_Reporting, click.Command):
    """A toolkit command: click's, with the one error handler; pydantic is loaded before
    its body runs (:mod:`toolkit.config.preload`: at a shallow depth)."""

    def invoke(self, ctx: click.Context) -> Any:
        from toolkit.config.preload import preload

        preload(self.name)
        return super().invoke(ctx)


class Group(_Reporting, click.Group):
    """A toolkit group: its commands and subgroups get the same error handler."""

    command_class = Command
    group_class = type


CONTEXT = {"help_option_names": ["-h", "--help"]}


def command(
    name: str | None = None, exits: dict[int, str] | None = None, stdout: bool = False
) -> Callable[[F], Command]:
    """``@command()``: a :class:`Command`, registered by :mod:`toolkit.cli.app`. With
    ``exits`` (status: meaning) its --help ends with every status it exits with
    (:func:`toolkit.cli.exits.epilog`; ``stdout``: it prints its result there)."""
    text = None if exits is None else epilog(exits, stdout)
    return click.command(name, cls=Command, epilog=text)  # type: ignore[return-value]


# -- options declared once ---------------------------------------------------------------------


def _resolvable_corpus(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """The corpus directory as given, once it resolves and can be looked at: a symlink loop
    raised RuntimeError, a name over NAME_MAX/PATH_MAX ENAMETOOLONG, an unreadable parent
    EACCES (each a traceback) wherever the corpus was first resolved or read. A corpus not
    there yet is fine (init and build create it)."""
    try:
        value.resolve()
        value.stat()
    except FileNotFoundError:
        pass
    except (RuntimeError, OSError) as exc:
        name = "--corpus" if param.param_type_name == "option" else "CORPUS_DIR"
        fail(f"{name} {value}: cannot be resolved ({exc}); give the corpus directory itself")
    return value


def corpus_option(
    help: str = "The corpus directory.", show_default: bool = True
) -> Callable[[F], F]:
    """``--corpus DIR`` (default ./corpus)."""
    return click.option(
        "--corpus",
        "corpus_dir",
        default="corpus",
        show_default=show_default,
        type=click.Path(file_okay=False, path_type=Path),
        callback=_resolvable_corpus,
        help=help,
    )


corpus_argument = click.argument(
    "corpus_dir",
    default="corpus",
    type=click.Path(file_okay=False, path_type=Path),
    callback=_resolvable_corpus,
)


def packages_option(
    help: str = "Argos packages directory (default: $ARGOS_PACKAGES_DIR or argostranslate's).",
) -> Callable[[F], F]:
    """``--packages-dir DIR``: where the Argos models are."""
    path = click.Path(file_okay=False, path_type=Path)
    return click.option("--packages-dir", type=path, default=None, help=help)


def glossary_option(
    help: str = "Glossary file (default: CORPUS/glossary.yaml, else glossary.yaml beside CORPUS).",
) -> Callable[[F], F]:
    """``--glossary FILE``: the glossary instead of the one found by the one rule."""
    path = click.Path(dir_okay=False, path_type=Path)
    return click.option("--glossary", "glossary_path", type=path, default=None, help=help)


def no_glossary_option(
    help: str = "Use no glossary, even if one is found.",
) -> Callable[[F], F]:
    """``--no-glossary``."""
    return click.option("--no-glossary", is_flag=True, help=help)


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Translate every sentence, ignoring the cache."
)
wait_option = click.option(
    "--wait",
    is_flag=True,
    help="If another toolkit command is writing the corpus, wait for it to finish "
    "(default: exit 1 at once with 'CORPUS: locked by PID ...').",
)
"""``--wait`` of the commands that write the corpus (they take its lock)."""


def wait_read_option(
    help: str = "If a build is writing the corpus, wait for it and read the finished build "
    "(default: read now; documents the build is changing are reported, not shown).",
) -> Callable[[F], F]:
    """``--wait`` of the commands that only read the corpus (they read the last build)."""
    return click.option("--wait", is_flag=True, help=help)


def choice_option(
    name: str, choices: list[str], default: str, help: str, dest: str | None = None
) -> Callable[[F], F]:
    """An option taking one of ``choices`` (its default shown in ``--help``)."""
    names = (name, dest) if dest else (name,)
    choice = click.Choice(choices)
    return click.option(*names, type=choice, default=default, show_default=True, help=help)


def format_option(choices: list[str], help: str, default: str = "text") -> Callable[[F], F]:
    """``--format``, read into ``fmt``."""
    return choice_option("--format", choices, default, help, dest="fmt")


def file_option(*names: str, help: str) -> Callable[[F], F]:
    """An option naming a file (not a directory); default none."""
    path = click.Path(dir_okay=False, path_type=Path)
    return click.option(*names, type=path, default=None, help=help)


# DecodeConfig.max_bytes's default, written out: importing pydantic would slow --help.
# tests/test_newcomer.py checks the two agree.
DEFAULT_MAX_BYTES = 8_000_000

max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help=f"Largest article accepted, in bytes (default: {DEFAULT_MAX_BYTES}).",
)


plain_text_option = click.option(
    "--plain-text",
    is_flag=True,
    help="Read the files as plain text even where they look like HTML or an e-mail (an "
    "article that quotes markup); in a corpus, list them under plain_text: in settings.yaml.",
)


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--encoding``: a known text codec, normalised (``Windows-1252`` -> ``cp1252``)."""
    if value is None:
        return None
    from toolkit.config.prepare import codec_name

    try:
        return codec_name(value)
    except ValueError as exc:
        raise CommandLineError(f"--encoding: {exc}") from None


def encoding_option(
    help: str = "Decode the articles with this codec (e.g. cp1252, cp1250, latin-1) instead of "
    "detecting it; a byte it cannot decode is an error naming the offset.",
) -> Callable[[F], F]:
    """``--encoding CODEC``, checked and normalised while parsing."""
    return click.option("--encoding", default=None, callback=_check_encoding, help=help)


def _installed_pairs(packages_dir: Path | None) -> list[tuple[str, str]]:
    """(from, to) of every pair installed packages serve; none when the dir is unreadable."""
    from toolkit.translation.installed import usable_pairs

    return usable_pairs(packages_dir)


def check_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for every language option: ``DE``, ``de-DE``, ``de_DE`` -> ``de``.

    An unknown code exits 2 with one line naming the known codes and the installed pairs
    (an installed package's code is not known for that: builds never ask for it). ``--from``
    also takes ``zxx`` (no language content: a table of figures), which the advice for a
    text whose language is unclear names; it said ``unknown language code``.
    """
    from toolkit.languages import NO_LANGUAGE, UnknownLanguage, normalize_language

    if value is None:
        return None
    option = param.opts[0] if param.opts else str(param.name)
    if option == "--from" and value.strip().lower() == NO_LANGUAGE:
        return NO_LANGUAGE  # no language content: kept as its own English (the advice says so)
    try:
        return normalize_language(value, option=option)
    except UnknownLanguage:
        pass
    packages_dir = ctx.params.get("packages_dir")  # set if --packages-dir came first
    try:
        return normalize_language(value, _installed_pairs(packages_dir), option=option)
    except UnknownLanguage as exc:
        raise CommandLineError(str(exc)) from None


def language_option(*names: str, help: str, default: str | None = None) -> Callable[[F], F]:
    """A language option (``--src``, ``--to`` ...), normalised by :func:`check_language`."""
    return click.option(
        *names, default=default, show_default=default is not None, callback=check_language,
        help=help,
    )  # fmt: skip


# -- talking -----------------------------------------------------------------------------------


def warn(message: str) -> None:
    """One ``toolkit: warning: ...`` line on stderr."""
    click.echo(f"toolkit: warning: {shown(message)}", err=True)


def warn_about(record: Any, language_option: str | None = None) -> None:
    """The warnings a prepared article earns: an unclear encoding guess; with
    ``language_option`` (``--from``, ``--lang``), a given language that contradicts
    language id."""
    if record.input.encoding_candidates:
        from toolkit.pipeline.summary import encoding_warning

        warn(encoding_warning(record.input.path, record.input.encoding_candidates, False))
    if language_option is None:
        return
    from toolkit.prepare.document import language_conflict

    conflict = language_conflict(record)
    if conflict:
        warn(
            f"{record.input.path}: {conflict}; every segment is flagged source-language "
            f"(leave out {language_option} to use the detected language)"
        )
