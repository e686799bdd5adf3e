"""``toolkit``: a thin command line over the library.

Every command maps to one library call; errors a user can cause print one
line on stderr (``toolkit: error: <file>: <what> ; <fix>``) and exit non-zero.
Progress bars go to stderr and only when it is a terminal (``--quiet`` turns
them off everywhere).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit._version import __version__
from toolkit.errors import InputError, ToolkitError

if TYPE_CHECKING:
    from toolkit.qa.report import Rendered

EXIT_FAILED = 1
EXIT_NEEDS_MODEL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"toolkit: error: {message}", err=True)
    sys.exit(code)


def _read_input(name: str, max_bytes: int | None = None) -> tuple[bytes, str]:
    """Bytes of FILE, or of stdin for ``-``; the label names it in messages."""
    result = _try_read_input(name, max_bytes)
    if isinstance(result, str):
        _fail(result)
        raise AssertionError("unreachable")
    return result


def _refuse_cache_inside_a_corpus(cache_dir: Path) -> None:
    """``--cache-dir corpus/original`` would put ``translations.sqlite`` among the articles
    (every later build fails on it) or into ``english/``: refused like an ``-o`` there.
    A corpus's own ``.cache/`` is where its cache belongs, so that one is allowed."""
    from toolkit.corpus.writes import _protected_part

    part = _protected_part(cache_dir / "translations.sqlite", ())
    if part is not None and part != ".cache/":
        _fail(
            f"--cache-dir {cache_dir}: inside a corpus ({part}), which only toolkit build "
            "writes; give a folder outside it (or the corpus's .cache/)",
            2,
        )


def _try_read_input(name: str, max_bytes: int | None = None) -> tuple[bytes, str] | str:
    """Like :func:`_read_input`, but a file that cannot be read gives its one-line error.

    At most the article limit (``--max-bytes``, else the default) is read, from a file as
    from stdin: a 2 GB file (or ``/dev/zero``) is refused from its size, never read into
    memory (:func:`toolkit.pipeline.plan.read_original`).
    """
    from toolkit.config.prepare import DecodeConfig
    from toolkit.corpus.paths import shown_name

    limit = DecodeConfig().max_bytes if max_bytes is None else max_bytes
    label = shown_name(name)  # a file name is untrusted: never print its escapes raw
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
            if len(data) > limit:
                raise InputError(
                    f"is over the {limit / 1e6:.1f} MB article limit; split it into articles "
                    "or raise the limit with --max-bytes"
                )
            return data, "<stdin>"
        with open(name, "rb") as fh:  # the size from fstat, the read bounded at the limit
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(limit + 1) if size <= limit else b""
        size = max(size, len(data))
        if size > limit:
            raise InputError(
                f"is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB article limit; "
                "split it into articles or raise the limit with --max-bytes"
            )
        return data, name
    except InputError as exc:
        return f"{'<stdin>' if name == '-' else label}: {exc}"
    except FileNotFoundError:
        return f"{label}: no such file"
    except IsADirectoryError:
        return f"{label}: is a directory; give a file"
    except OSError as exc:
        return f"{label}: cannot be read ({exc.strerror})"


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing tqdm bars on stderr."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from tqdm import tqdm

    current: dict[str, Any] = {}  # the one bar on screen: {"stage": ..., "bar": ...}

    def update(stage: str, done: int, total: int) -> None:
        if current.get("stage") != stage:
            # One bar at a time: a finished stage's bar is cleared before the next one starts.
            if "bar" in current:
                current["bar"].close()
            unit = "sent" if stage.startswith("translate") else "doc"
            current["stage"] = stage
            current["bar"] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False)
        bar = current["bar"]
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if "bar" in current:
            current["bar"].close()


class _ToolkitGroup(click.Group):
    """click's group, but Ctrl-C anywhere outside a build's safe points (waiting for the
    corpus lock, ``translate``, ``add``'s copying) is one line and exit 130 like an
    interrupted build, instead of click's ``Aborted!`` and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("toolkit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
def cli() -> None:
    """Offline translation and normalization for multilingual news corpora."""


packages_option = click.option(
    "--packages-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Argos packages directory (default: $ARGOS_PACKAGES_DIR or argostranslate's).",
)
glossary_option = click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Glossary file (default: CORPUS/glossary.yaml, else glossary.yaml beside CORPUS).",
)
no_glossary_option = click.option(
    "--no-glossary", is_flag=True, help="Use no glossary, even if one is found."
)


def _installed_pairs(packages_dir: Path | None) -> list[tuple[str, str]]:
    """(from, to) of every installed Argos package; none when the directory is unreadable."""
    from toolkit.translation.packages import PackageError, list_installed

    try:
        return [(p.from_code, p.to_code) for p in list_installed(packages_dir)]
    except (PackageError, OSError):
        return []


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for every language option: ``DE``, ``de-DE``, ``de_DE`` -> ``de``.

    An unknown code exits 2 with one line naming the known codes and the installed pairs
    (an installed package's code counts as known).
    """
    from toolkit.languages import UnknownLanguage, normalize_language

    if value is None:
        return None
    option = param.opts[0] if param.opts else str(param.name)
    try:
        return normalize_language(value, option=option)
    except UnknownLanguage:
        pass
    packages_dir = ctx.params.get("packages_dir")  # set if --packages-dir came first
    try:
        return normalize_language(value, _installed_pairs(packages_dir), option=option)
    except UnknownLanguage as exc:
        _fail(str(exc), 2)
    raise AssertionError("unreachable")


def _warn_language(record: Any, option: str) -> None:
    """One stderr line when a given language (--from, --lang) contradicts language id."""
    from toolkit.prepare.document import language_conflict

    conflict = language_conflict(record)
    if conflict:
        click.echo(
            f"toolkit: warning: {record.input.path}: {conflict}; every segment is flagged "
            f"source-language (leave out {option} to use the detected language)",
            err=True,
        )


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--encoding``: a known text codec, normalised (``Windows-1252`` -> ``cp1252``)."""
    if value is None:
        return None
    from toolkit.config.prepare import codec_name

    try:
        return codec_name(value)
    except ValueError as exc:
        _fail(f"--encoding: {exc}", 2)
    raise AssertionError("unreachable")


encoding_option = click.option(
    "--encoding",
    default=None,
    callback=_check_encoding,
    help="Decode the articles with this codec (e.g. cp1252, cp1250, latin-1) instead of "
    "detecting it; a byte it cannot decode is an error naming the offset.",
)


def _warn_encoding(record: Any) -> None:
    """One stderr line when the document's encoding guess was not clear."""
    if record.input.encoding_candidates:
        from toolkit.pipeline.summary import encoding_warning

        warning = encoding_warning(record.input.path, record.input.encoding_candidates, False)
        click.echo(f"toolkit: warning: {warning}", err=True)


def _prepare_config(encoding: str | None) -> Any:
    from toolkit.config.prepare import DecodeConfig, PrepareConfig

    return PrepareConfig(decode=DecodeConfig(encoding=encoding))


# DecodeConfig.max_bytes's default, written out: importing pydantic would slow --help.
# tests/test_newcomer.py checks the two agree.
DEFAULT_MAX_BYTES = 8_000_000

max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help=f"Largest article accepted, in bytes (default: {DEFAULT_MAX_BYTES}).",
)

wait_option = click.option(
    "--wait",
    is_flag=True,
    help="If another toolkit command is writing the corpus, wait for it to finish "
    "(default: exit 1 at once with 'corpus is locked by PID ...').",
)


@contextmanager
def corpus_locked(corpus_dir: Path, command: str, wait: bool) -> Iterator[None]:
    """Hold the corpus lock (:mod:`toolkit.corpus.lock`) for a whole command, or fail with one line.

    Exits 1 with ``corpus is locked by PID ...`` if another process holds it, unless
    ``wait``: then one ``waiting for corpus lock held by PID ...`` line goes to stderr.
    """
    from toolkit.corpus.lock import CorpusLock

    lock = CorpusLock(
        corpus_dir,
        command,
        wait=wait,
        on_wait=lambda message: click.echo(f"toolkit: {message}", err=True),
    )
    try:
        lock.acquire()
    except ToolkitError as exc:
        _fail(str(exc))
    try:
        yield
    finally:
        lock.release()


def _find_glossary(path: Path | None, corpus: Path, disabled: bool = False) -> tuple[Any, str]:
    """The glossary by the one rule (:func:`toolkit.glossary.discover.discover_glossary`), and the
    line that names it (path, entries, sha256 prefix, or ``no glossary``).

    Commands print the line with :func:`_announce` once they succeed, so that a failing
    command still prints exactly one line.
    """
    from toolkit.glossary.discover import discover_glossary

    source = discover_glossary(corpus, explicit=path, disabled=disabled)
    glossary = source.load()
    return glossary, source.describe(glossary)


def _load_glossary(path: Path | None, corpus: Path = Path("corpus"), disabled: bool = False) -> Any:
    """The glossary alone, by the same rule (for callers that do not announce it)."""
    return _find_glossary(path, corpus, disabled)[0]


def _announce(glossary_used: str) -> None:
    click.echo(f"toolkit: {glossary_used}", err=True)


# -- build ------------------------------------------------------------------------------------


@cli.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(file_okay=False, path_type=Path))
@packages_option
@glossary_option
@no_glossary_option
@click.option("--no-cache", is_flag=True, help="Translate every sentence, ignoring the cache.")
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
@max_bytes_option
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@wait_option
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where preparation and translation run: this machine, or a Ray cluster.",
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
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    no_cache: bool,
    force: bool,
    only_docs: tuple[str, ...],
    max_bytes: int | None,
    encoding: str | None,
    quiet: bool,
    wait: bool,
    executor: str,
    ray_address: str | None,
    workers: int | None,
) -> None:
    """Build CORPUS_DIR/english from CORPUS_DIR/original (default ./corpus).

    Unchanged documents are skipped (`nothing changed`); --force rebuilds them,
    --only DOC builds one document.

    Exit status: 0 all built; 3 some documents need a translation model
    (the others were built); 1 some documents failed (the others were built),
    or the corpus could not be written (then nothing was changed), or another
    command holds the corpus lock (see --wait); 130 interrupted by Ctrl-C or
    SIGTERM (the corpus is as it was; translations finished so far are cached).
    """
    only = _originals_named(corpus_dir, only_docs) if only_docs else None
    with corpus_locked(corpus_dir, "toolkit build", wait):
        _run_build(
            corpus_dir,
            packages_dir,
            glossary_path,
            no_cache,
            max_bytes,
            quiet,
            only=only,
            executor=executor,
            ray_address=ray_address,
            workers=workers,
            encoding=encoding,
            no_glossary=no_glossary,
            force=force,
        )


def _originals_named(corpus_dir: Path, docs: tuple[str, ...]) -> list[str]:
    """The original file names meant by ``--only`` (file names or document ids)."""
    from toolkit.corpus.paths import (
        CorpusPaths,
        UnsafeDocumentId,
        document_id,
        list_originals,
        shown_name,
    )

    def safe_id(path: Path) -> str | None:
        # A name that gives no safe id matches by file name only; the build reports it.
        try:
            return document_id(path)
        except UnsafeDocumentId:
            return None

    try:
        originals = list_originals(CorpusPaths(corpus_dir))
    except ToolkitError as exc:
        _fail(str(exc))

    names = []
    for doc in docs:
        found = [p.name for p in originals if doc in (p.name, safe_id(p))]
        if not found:
            example = originals[0].name if originals else "article.txt"
            _fail(
                f"--only {shown_name(doc)}: no original of that name in {corpus_dir}/original; "
                f"give a file name or document id such as {example}",
                2,
            )
        names += found
    return names


def _build_config(max_bytes: int | None, encoding: str | None = None) -> Any:
    from toolkit.config.build import BuildConfig
    from toolkit.config.prepare import DecodeConfig, PrepareConfig

    if max_bytes is None and encoding is None:
        return BuildConfig()
    decode = DecodeConfig(encoding=encoding)
    if max_bytes is not None:
        decode = decode.model_copy(update={"max_bytes": max_bytes})
    return BuildConfig(prepare=PrepareConfig(decode=decode))


def _run_build(
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_cache: bool,
    max_bytes: int | None,
    quiet: bool,
    only: list[str] | None,
    executor: str = "local",
    ray_address: str | None = None,
    workers: int | None = None,
    encoding: str | None = None,
    no_glossary: bool = False,
    force: bool = False,
) -> None:
    from toolkit.interrupts import stop_at_safe_points
    from toolkit.pipeline.build import build_corpus
    from toolkit.pipeline.executor import LocalExecutor
    from toolkit.translation.provider import ArgosProvider

    provider: Any = None
    try:
        config = _build_config(max_bytes, encoding)
        glossary, used = _find_glossary(glossary_path, corpus_dir, no_glossary)
        cache_dir = None if no_cache else corpus_dir / ".cache"
        with stop_at_safe_points() as check_interrupt, ExitStack() as stack:
            if executor == "ray":
                from toolkit.pipeline.ray_executor import RayExecutor

                ray = stack.enter_context(RayExecutor(ray_address, workers or 2))
                provider = ray.provider(
                    packages_dir=packages_dir, settings=config.translation, cache_dir=cache_dir
                )
                runner: Any = ray
            else:
                provider = ArgosProvider(
                    packages_dir=packages_dir, settings=config.translation, cache_dir=cache_dir
                )
                runner = LocalExecutor(processes=workers)
            if hasattr(provider, "close"):  # test doubles may have none
                stack.callback(provider.close)
            bar = stack.enter_context(_progress(not quiet))

            def progress(stage: str, done: int, total: int) -> None:
                check_interrupt()  # a safe point: Ctrl-C and SIGTERM stop the build here
                bar(stage, done, total)

            summary = build_corpus(
                corpus_dir,
                provider=provider,
                glossary=glossary,
                config=config,
                only=only,
                progress=progress,
                executor=runner,
                force=force,
            )
    except ToolkitError as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM, acted on at a safe point (toolkit.interrupts): the exception
        # unwound the build (staged files discarded, lock released, cache closed); every
        # stored translation batch is kept.
        stored = getattr(provider, "sentences_stored", None)
        kept = stored() if stored is not None else 0
        click.echo(
            f"toolkit: interrupted: {kept} sentences kept; run toolkit build again to continue",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    _announce(used)
    for line in summary.lines():
        if line.startswith("error: "):  # per-file errors get the documented prefix
            click.echo(f"toolkit: {line}", err=True)
        else:
            click.echo(line)
    sys.exit(summary.exit_code)


# -- single-file stages -----------------------------------------------------------------------


@cli.command()
@click.argument("file", default="-")
@max_bytes_option
@encoding_option
def clean(file: str, max_bytes: int | None, encoding: str | None) -> None:
    """Decode and clean FILE (or - for stdin); print the text, boilerplate removed."""
    from toolkit.prepare.document import prepare_document

    data, label = _read_input(file, max_bytes)
    try:
        record = prepare_document(data, label, _build_config(max_bytes, encoding).prepare)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    _warn_encoding(record)
    paragraphs: dict[int, list[str]] = {}
    for seg in record.segments:
        paragraphs.setdefault(seg.paragraph, []).append(seg.source)
    click.echo("\n\n".join(" ".join(p) for p in paragraphs.values()))
    for hit in record.cleaning.boilerplate:
        click.echo(f"removed [{hit.rule}]: {hit.text}", err=True)


@cli.command()
@click.argument("file", default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: 'LANG CONFIDENCE'; json: one object with encoding and other-language sentences.",
)
@max_bytes_option
@encoding_option
def detect(file: str, fmt: str, max_bytes: int | None, encoding: str | None) -> None:
    """Identify the language of FILE (or -): prints 'LANG CONFIDENCE'."""
    from toolkit.prepare.document import prepare_document

    data, label = _read_input(file, max_bytes)
    try:
        record = prepare_document(data, label, _build_config(max_bytes, encoding).prepare)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    _warn_encoding(record)
    others = [s for s in record.segments if s.language]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "file": label,
                    "language": record.language.language,
                    "confidence": record.language.confidence,
                    "encoding": record.input.encoding,
                    "encoding_candidates": record.input.encoding_candidates,
                    "other_language_sentences": [
                        {"id": s.id, "language": s.language.language, "text": s.source}
                        for s in others
                        if s.language
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"{record.language.language} {record.language.confidence:.4f}")
    for s in others:
        if s.language:
            click.echo(f"{s.id}: {s.language.language}: {s.source}", err=True)


@cli.command()
@click.argument("file", default="-")
@click.option("--lang", default=None, callback=_language, help="Language code (default: detected).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "tsv", "json"]),
    default="text",
    show_default=True,
    help="text: one sentence a line; tsv: id, paragraph, sentence, source; json: a list.",
)
@max_bytes_option
@encoding_option
def segment(
    file: str, lang: str | None, fmt: str, max_bytes: int | None, encoding: str | None
) -> None:
    """Split FILE (or -) into sentences: one per line, a blank line between paragraphs."""
    from toolkit.prepare.document import prepare_document

    data, label = _read_input(file, max_bytes)
    try:
        config = _build_config(max_bytes, encoding)
        record = prepare_document(data, label, config.prepare, language=lang)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    _warn_encoding(record)
    _warn_language(record, "--lang")
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    s.model_dump(include={"id", "paragraph", "sentence", "source"})
                    for s in record.segments
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if fmt == "tsv":
        click.echo("segment_id\tparagraph\tsentence\tsource")
        for s in record.segments:
            click.echo(f"{s.id}\t{s.paragraph}\t{s.sentence}\t{s.source}")
        return
    last = None
    for s in record.segments:
        if last is not None and s.paragraph != last:
            click.echo("")
        click.echo(s.source)
        last = s.paragraph


# -- translate / add --------------------------------------------------------------------------


def _default_translate_cache() -> Path:
    """Where ``toolkit translate`` caches translations unless told otherwise: the corpus
    cache when run next to a corpus (so articles already built are not translated
    again), else the user's cache directory."""
    import os

    if Path("corpus/original").is_dir():
        return Path("corpus/.cache")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "toolkit"


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--from",
    "from_code",
    default=None,
    callback=_language,
    help="Source language, e.g. de (default: detected; a contradiction is reported).",
)
@click.option(
    "--to", "to_code", default="en", show_default=True, callback=_language, help="Target language."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "tsv", "json"]),
    default="text",
    show_default=True,
    help="text: one line per paragraph; tsv: one row per sentence; json: one object per file.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file, atomically (default: standard output).",
)
@packages_option
@glossary_option
@no_glossary_option
@click.option(
    "--corpus",
    "corpus_dir",
    default="corpus",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use this corpus's glossary (default ./corpus: ./corpus/glossary.yaml, else "
    "./glossary.yaml).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Reuse and fill the translation cache in this directory "
    "(default: corpus/.cache next to a corpus, else $XDG_CACHE_HOME/toolkit).",
)
@click.option("--no-cache", is_flag=True, help="Translate every sentence, ignoring the cache.")
@max_bytes_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@encoding_option
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
) -> None:
    """Clean, identify and translate FILES (or - for stdin); print the English.

    text: one line per paragraph, a blank line between files; tsv: one row per
    sentence; json: one object per file with its aligned segments. A file that
    cannot be read or translated is reported on stderr and the others are still
    translated; exit status as for `toolkit build` (1 some files failed, 3 some
    need a model).
    """
    from toolkit.pipeline.qa_step import run_qa
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.pipeline.translate_step import translate_records
    from toolkit.prepare.document import prepare_document
    from toolkit.translation.provider import ArgosProvider

    base = _build_config(max_bytes, encoding)
    config = base.model_copy(
        update={"prepare": base.prepare.model_copy(update={"target_language": to_code})}
    )
    failed: list[str] = []
    waiting: list[str] = []
    try:
        glossary, used = _find_glossary(glossary_path, corpus_dir, no_glossary)
        records = []
        for name in files:
            read = _try_read_input(name, max_bytes)
            if isinstance(read, str):
                failed.append(read)
                continue
            data, label = read
            try:
                records.append(prepare_document(data, label, config.prepare, language=from_code))
            except InputError as exc:
                failed.append(str(exc.for_file(label)))
                continue
            _warn_encoding(records[-1])
            _warn_language(records[-1], "--from")
        if no_cache:
            cache_dir = None
        elif cache_dir is None:
            cache_dir = _default_translate_cache()
        else:
            _refuse_cache_inside_a_corpus(cache_dir)
        provider = ArgosProvider(
            packages_dir=packages_dir, settings=config.translation, cache_dir=cache_dir
        )
        summary = BuildSummary()
        with _progress(not quiet) as progress:
            translate_records(records, provider, glossary, config, summary, progress)
        for record in records:
            if record.status == "needs-model":
                waiting.append(f"{record.input.path}: {record.message}")
            else:
                run_qa(record, glossary, config)
    except ToolkitError as exc:
        _fail(str(exc))
        return
    done = [r for r in records if r.status != "needs-model"]
    if done:
        text = _render_translations(done, fmt)
        if output is None:
            click.echo(text, nl=False)
        else:
            from toolkit.corpus.writes import write_output

            try:  # never into a corpus, never over a symlink or a device; "-" is stdout
                write_output(output, text.encode("utf-8"))
            except ToolkitError as exc:
                _fail(str(exc))
    _announce(used)
    for message in failed + waiting:
        click.echo(f"toolkit: error: {message}", err=True)
    if not quiet:
        from toolkit.plural import plural

        click.echo(
            f"{plural(len(done), 'file')} translated: {summary.sentences_translated} sentences "
            f"translated, {summary.sentences_cached} cached, "
            f"{summary.sentences_reused} repeats reused",
            err=True,
        )
    if failed:
        sys.exit(EXIT_FAILED)
    if waiting:
        sys.exit(EXIT_NEEDS_MODEL)


def _render_translations(records: list[Any], fmt: str) -> str:
    from toolkit.corpus.formats import render_english_text, tsv_escape

    if fmt == "json":
        docs = [
            {
                "file": r.input.path,
                "language": r.language.language,
                "segments": [
                    s.model_dump(include={"id", "source", "english", "flags", "origin"})
                    for s in r.segments
                ],
            }
            for r in records
        ]
        return json.dumps(docs, ensure_ascii=False, indent=1) + "\n"
    if fmt == "tsv":
        rows = ["file\tsegment_id\tsource\tenglish\tflags"]
        for r in records:
            rows += [
                "\t".join(
                    tsv_escape(v)
                    for v in (r.input.path, s.id, s.source, s.english or "", ",".join(s.flags))
                )
                for s in r.segments
            ]
        return "\n".join(rows) + "\n"
    # text: render_english_text separates paragraphs by blank lines; print one line each.
    blocks = [render_english_text(r.segments).strip().replace("\n\n", "\n") for r in records]
    return "\n\n".join(blocks) + "\n"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--corpus",
    "corpus_dir",
    default="corpus",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus directory to add to.",
)
@packages_option
@glossary_option
@click.option(
    "--encoding",
    default=None,
    callback=_check_encoding,
    help="Decode the added files with this codec (e.g. cp1250) instead of detecting it; "
    "recorded for each file under encodings: in CORPUS/settings.yaml, so rebuilds keep it.",
)
@no_glossary_option
@max_bytes_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@wait_option
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

    paths = CorpusPaths(corpus_dir)
    if not paths.original.is_dir():
        _fail(f"{paths.original}: no such directory; is {corpus_dir} a corpus?")
    with corpus_locked(corpus_dir, "toolkit add", wait):
        _add_files(
            paths,
            files,
            packages_dir,
            glossary_path,
            quiet,
            encoding,
            no_glossary=no_glossary,
            max_bytes=max_bytes,
        )


def _add_files(
    paths: Any,
    files: tuple[Path, ...],
    packages_dir: Path | None,
    glossary_path: Path | None,
    quiet: bool,
    encoding: str | None = None,
    no_glossary: bool = False,
    max_bytes: int | None = None,
) -> None:
    """``toolkit add`` under the corpus lock: check every file, copy each into original/,
    build them. A file the build would refuse is refused here, before anything is copied."""
    from toolkit.corpus.paths import document_id
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.corpus.writes import atomic_write
    from toolkit.pipeline.plan import config_for_file, with_corpus_settings
    from toolkit.prepare.document import prepare_document

    # Checked as the build will decode it: with --encoding, else with settings.yaml's entry.
    try:
        config = with_corpus_settings(
            _build_config(max_bytes, encoding), load_corpus_settings(paths.root)
        )
    except ToolkitError as exc:
        _fail(str(exc))
    checked: list[tuple[str, bytes, str]] = []
    for src in files:
        data, label = _read_input(str(src), max_bytes)
        name = src.name  # the base name only: "../../etc/x" and "/abs/x" both add "x"
        if not name or name.startswith(".") or name == "-":
            _fail(f"{label}: empty, hidden or stdin file names are not added; give a named file")
        try:
            document_id(Path(name))  # the id becomes file names in english/: must be safe
        except InputError as exc:
            _fail(f"{label}: {exc}")
        file_config = (
            _build_config(max_bytes, encoding) if encoding else config_for_file(config, name)
        )
        try:
            prepare_document(data, f"original/{name}", file_config.prepare)
        except InputError as exc:
            # "remove it from original/" is the build's advice; here it never got there.
            reason = str(exc.for_file(label)).removesuffix("; remove it from original/")
            _fail(f"{reason}; nothing was added")
        checked.append((name, data, label))
    names = []
    for name, data, label in checked:
        dest = paths.original / name
        if dest.exists() or dest.is_symlink():
            if dest.is_symlink() or not dest.is_file() or dest.read_bytes() != data:
                _fail(
                    f"{label}: original/{name} already exists with different content; "
                    "rename the new file"
                )
            click.echo(f"{name}: already in the corpus, unchanged", err=True)
        else:
            try:
                atomic_write(dest, data)
            except ToolkitError as exc:
                _fail(str(exc))
            click.echo(f"{name}: added", err=True)
        names.append(name)
        if encoding is not None:
            from toolkit.corpus.settings import set_file_encoding

            try:  # kept in corpus/settings.yaml, so every later build decodes it the same way
                set_file_encoding(paths.root, name, encoding)
            except ToolkitError as exc:
                _fail(str(exc))
            click.echo(f"{name}: encoding {encoding} recorded in settings.yaml", err=True)
    _run_build(
        paths.root,
        packages_dir,
        glossary_path,
        False,
        max_bytes,
        quiet,
        only=names,
        no_glossary=no_glossary,
    )


# -- models -----------------------------------------------------------------------------------


@cli.group()
def models() -> None:
    """List and install Argos Translate model packages."""


@models.command("list")
@packages_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a tab-separated table; json: a list of objects.",
)
def models_list(packages_dir: Path | None, fmt: str) -> None:
    """Installed packages: from, to, version, path."""
    from toolkit.translation.packages import PackageError, list_installed, printable
    from toolkit.translation.packages import packages_dir as resolve_dir

    try:
        installed = list_installed(packages_dir)
    except PackageError as exc:
        _fail(str(exc))
        return
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    p.model_dump(
                        mode="json",
                        include={"name", "from_code", "to_code", "package_version", "path"},
                    )
                    for p in installed
                ],
                indent=1,
            )
        )
        return
    if not installed:
        click.echo(f"no packages installed in {resolve_dir(packages_dir)}", err=True)
        return
    click.echo("from\tto\tversion\tpath")
    for p in installed:
        click.echo(f"{p.from_code}\t{p.to_code}\t{p.package_version}\t{printable(str(p.path))}")


@models.command("install")
@click.argument("codes", nargs=-1)
@click.option(
    "--file",
    "file_",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Install from a local .argosmodel file instead of the index.",
)
@click.option("--if-missing", is_flag=True, help="Do nothing if the pair is already installed.")
@click.option(
    "--max-unpacked-mb", type=click.IntRange(min=1), default=None,
    help="Refuse packages that unpack to more than this (default 4000 MB).",
)
@click.option(
    "--max-members", type=click.IntRange(min=1), default=None,
    help="Refuse packages with more entries than this (default 1000).",
)
@click.option(
    "--max-ratio", type=click.FloatRange(min=1), default=None,
    help="Refuse packages that unpack to more than this many times their size (default 100).",
)
@packages_option
def models_install(
    codes: tuple[str, ...],
    file_: Path | None,
    if_missing: bool,
    max_unpacked_mb: int | None,
    max_members: int | None,
    max_ratio: float | None,
    packages_dir: Path | None,
) -> None:
    """Install FROM TO [FROM TO ...] from the Argos index, or --file PATH.argosmodel.

    Example: ``toolkit models install --if-missing de en nl en``. Offline, the index
    cannot be reached: one line says so and how to install from a file (exit 1).
    """
    from toolkit.config.translation import InstallLimits
    from toolkit.translation.packages import (
        PackageError,
        find_package,
        install_from_file,
        install_from_index,
    )

    given = {
        "max_unpacked_bytes": max_unpacked_mb * 1_000_000 if max_unpacked_mb else None,
        "max_members": max_members,
        "max_ratio": max_ratio,
    }
    limits = InstallLimits(**{k: v for k, v in given.items() if v is not None})
    if file_ is not None and codes:
        _fail("give either FROM TO pairs or --file, not both", 2)
    if file_ is None and (not codes or len(codes) % 2):
        _fail("usage: toolkit models install FROM TO [FROM TO ...]  (or --file PATH.argosmodel)", 2)
    try:
        if file_ is not None:
            installed = [install_from_file(file_, packages_dir, limits)]
        else:
            pairs = list(zip(codes[::2], codes[1::2], strict=True))
            if if_missing:
                missing = []
                for from_code, to_code in pairs:
                    try:
                        info = find_package(from_code, to_code, packages_dir)
                        click.echo(
                            f"{from_code}→{to_code}: already installed "
                            f"({info.name} {info.package_version})"
                        )
                    except PackageError:
                        missing.append((from_code, to_code))
                pairs = missing
            installed = [install_from_index(f, t, packages_dir, limits) for f, t in pairs]
    except PackageError as exc:
        _fail(str(exc))
        return
    for info in installed:
        click.echo(
            f"installed {info.name} {info.package_version} "
            f"({info.from_code}→{info.to_code}) in {info.path}"
        )


# -- glossary ---------------------------------------------------------------------------------


@cli.group("glossary")
def glossary_group() -> None:
    """Validate the glossary and see how its terms fared in the corpus."""


@glossary_group.command("check")
@glossary_option
@no_glossary_option
@click.option(
    "--corpus",
    "corpus_dir",
    default="corpus",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus whose documents are checked against the glossary.",
)
def glossary_check(glossary_path: Path | None, no_glossary: bool, corpus_dir: Path) -> None:
    """Validate the glossary; per document, terms found and how many were pinned/restored/lost.

    Built documents are read from their provenance; documents not yet built
    are scanned for terms (shown as found, not pinned). Exits 1 if any term was lost.
    """
    from toolkit.config.prepare import DecodeConfig, PrepareConfig
    from toolkit.corpus.formats import read_meta
    from toolkit.corpus.paths import CorpusPaths, document_id, list_originals
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.glossary.match import find_matches
    from toolkit.glossary.report import TermReport
    from toolkit.pipeline.plan import read_original
    from toolkit.prepare.document import prepare_document

    try:
        glossary, used = _find_glossary(glossary_path, corpus_dir, no_glossary)
        paths = CorpusPaths(corpus_dir)
        originals = list_originals(paths)
        encodings = load_corpus_settings(paths.root).encodings  # decode as the build does
        prepare_config = PrepareConfig(decode=DecodeConfig(encodings=encodings))
    except ToolkitError as exc:
        _fail(str(exc))
        return
    _announce(used)
    click.echo(
        f"{glossary.path or '(no glossary)'}: valid, {len(glossary.entries)} entries, "
        f"sha256 {glossary.sha256[:12]}"
    )
    total = TermReport()
    for original in originals:
        try:
            doc = document_id(original)
        except InputError as exc:  # an unsafe name: reported, never used as a path
            click.echo(f"error: {exc}")
            continue
        meta_path = paths.english / f"{doc}.meta.json"
        report = TermReport()
        record = read_meta(meta_path) if meta_path.is_file() else None
        if record is not None and record.status == "built":
            note = ""
            if record.glossary and record.glossary.get("sha256") != glossary.sha256:
                note = " (built with another glossary version: run toolkit build)"
            for seg in record.segments:
                report.add_hits(seg.glossary)
        else:
            if record is None:
                try:
                    data = read_original(original, prepare_config.decode.max_bytes)  # size first
                    record = prepare_document(data, f"original/{original.name}", prepare_config)
                except InputError as exc:
                    click.echo(f"{doc}: {exc}")
                    continue
            note = " (not translated yet: terms found, nothing pinned)"
            for seg in record.segments:
                report.add_matches(find_matches(seg.source, record.language.language, glossary))
        total.terms.update(report.terms)
        total.outcomes.update(report.outcomes)
        click.echo(f"{doc} ({record.language.language}): {report.summary()}{note}")
        if report.terms:
            click.echo("  " + ", ".join(f"{t} x{n}" for t, n in sorted(report.terms.items())))
    click.echo(f"total: {total.summary()}")
    if total.outcomes["lost"]:
        sys.exit(EXIT_FAILED)


# -- qa ---------------------------------------------------------------------------------------


@cli.command()
@click.argument("pairs_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--corpus",
    "corpus_dir",
    default="corpus",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus to summarise (when no PAIRS_FILE is given).",
)
@click.option(
    "--src",
    default=None,
    callback=_language,
    help="Source language of PAIRS_FILE (de, nl, en, ...); "
    "default: the file's own source_language column, if it has one.",
)
@click.option(
    "--tgt",
    default="en",
    show_default=True,
    callback=_language,
    help="Target language of PAIRS_FILE.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: a table (corpus) or one line per flag (PAIRS_FILE); json/jsonl: machine-readable.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any error-severity flag is present or a document waits for a model.",
)
@click.option(
    "--calibrate-confidence",
    is_flag=True,
    help="Propose a low-confidence threshold from the corpus's human corrections.",
)
@glossary_option
@no_glossary_option
@click.option(
    "--wait",
    is_flag=True,
    help="If a build is writing the corpus, wait for it and read the finished build.",
)
def qa(
    pairs_file: Path | None,
    corpus_dir: Path,
    src: str | None,
    tgt: str,
    fmt: str,
    strict: bool,
    calibrate_confidence: bool,
    glossary_path: Path | None,
    no_glossary: bool,
    wait: bool,
) -> None:
    """Translation QA: a summary of flags per check and per document of the corpus,
    or the flags of every row of PAIRS_FILE: any file the toolkit writes (aligned TSV,
    export TSV/JSONL/TMX, translate --format tsv/json), a TSV with id/source/target
    columns, or plain source<TAB>target lines.
    """
    if calibrate_confidence:
        _qa_calibrate(corpus_dir)
    elif pairs_file is not None:
        _qa_pairs(pairs_file, src, tgt, fmt, strict, glossary_path, corpus_dir, no_glossary)
    else:
        _qa_corpus(corpus_dir, fmt, strict, wait)


def _qa_pairs(
    path: Path,
    src: str | None,
    tgt: str,
    fmt: str,
    strict: bool,
    glossary_path: Path | None,
    corpus_dir: Path = Path("corpus"),
    no_glossary: bool = False,
) -> None:
    from toolkit.qa.pairs import read_bilingual
    from toolkit.qa.report import check_pairs, needs_source_language

    try:
        pairs = read_bilingual(path, src, tgt)
        glossary, used = _find_glossary(glossary_path, corpus_dir, no_glossary)
    except ToolkitError as exc:
        _fail(str(exc))
        return
    if needs_source_language(pairs, src):
        _fail("--src is required with PAIRS_FILE (the language of the source column)", 2)
        return
    _announce(used)
    report = check_pairs(pairs, src, tgt, glossary)
    _echo_report(report.render(fmt))
    if strict and report.has_errors:
        sys.exit(EXIT_FAILED)


def _echo_report(rendered: Rendered) -> None:
    """A report's lines: the data on stdout, the counts on stderr."""
    for line in rendered.out:
        click.echo(line)
    for line in rendered.err:
        click.echo(line, err=True)


def _qa_corpus(corpus_dir: Path, fmt: str, strict: bool, wait: bool = False) -> None:
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.qa.report import corpus_report

    paths = CorpusPaths(corpus_dir)
    try:  # the last complete build only: documents changed since are reported, not counted
        snapshot = read_snapshot(
            corpus_dir, wait=wait, on_wait=lambda m: click.echo(f"toolkit: {m}", err=True)
        )
    except ToolkitError as exc:
        _fail(str(exc))
        return
    for line in snapshot.lines():
        click.echo(f"left out: {line}", err=True)
    if not snapshot.records:
        _fail(f"{paths.english}: no built documents; run toolkit build {corpus_dir} first")
    # Documents waiting for a model have no English to check: they are reported, not
    # passed, and --strict fails on them.
    report = corpus_report(list(snapshot.records))
    _echo_report(report.render(fmt))
    if strict and report.failed:
        sys.exit(EXIT_FAILED)


def _qa_calibrate(corpus_dir: Path) -> None:
    """``toolkit qa --calibrate-confidence``: a threshold table from human corrections."""
    from toolkit.corpus.formats import read_meta
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.qa.calibrate import calibrate_confidence
    from toolkit.qa.report import calibration_lines

    paths = CorpusPaths(corpus_dir)
    metas = sorted(paths.english.glob("*.meta.json")) if paths.english.is_dir() else []
    if not metas:
        _fail(f"{paths.english}: no built documents; run toolkit build {corpus_dir} first")
    rows, proposed, scored, corrected = calibrate_confidence([read_meta(m) for m in metas])
    if not corrected or proposed is None:
        _fail(
            f"{paths.english}: no human correction of a scored machine translation "
            f"({scored} scored segments); correct some with `toolkit correct`, then rerun"
        )
        return
    for line in calibration_lines(rows, proposed, scored, corrected):
        click.echo(line)


def _register_review_commands() -> None:
    # Review, corrections and export live in their own module; they reuse _run_build above.
    from toolkit.cli.review import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)
    from toolkit.cli.corpus import COMMANDS as CORPUS_COMMANDS  # init, status

    for command in CORPUS_COMMANDS:
        cli.add_command(command)


_register_review_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="toolkit")


if __name__ == "__main__":
    main()
