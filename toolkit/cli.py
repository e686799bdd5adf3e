"""``toolkit``: a thin command line over the library.

Every command maps to one library call; errors a user can cause print one
line on stderr (``toolkit: error: <file>: <what> ; <fix>``) and exit non-zero.
Progress bars go to stderr and only when it is a terminal (``--quiet`` turns
them off everywhere).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from toolkit import __version__
from toolkit.errors import InputError, ToolkitError

EXIT_FAILED = 1
EXIT_NEEDS_MODEL = 3


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"toolkit: error: {message}", err=True)
    sys.exit(code)


def _read_input(name: str) -> tuple[bytes, str]:
    """Bytes of FILE, or of stdin for ``-``; the label names it in messages."""
    if name == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(name)
    try:
        return path.read_bytes(), name
    except FileNotFoundError:
        _fail(f"{name}: no such file")
    except IsADirectoryError:
        _fail(f"{name}: is a directory; give a file")
    except OSError as exc:
        _fail(f"{name}: cannot be read ({exc.strerror})")
    raise AssertionError("unreachable")


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing tqdm bars on stderr."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            unit = "doc" if stage == "prepare" else "sent"
            bar = bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False)
        if stage == "prepare":
            bar.n = done
            bar.refresh()
        else:
            bar.update(done)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Glossary file (default: glossary.yaml next to the corpus directory, if present).",
)


def _load_glossary(path: Path | None, corpus: Path | None = None) -> Any:
    from toolkit.glossary import Glossary, load_glossary

    if path is None:
        candidates = [corpus.resolve().parent / "glossary.yaml"] if corpus else []
        candidates.append(Path("glossary.yaml"))
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            return Glossary.empty()
    return load_glossary(path)


# -- build ------------------------------------------------------------------------------------


@cli.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(file_okay=False, path_type=Path))
@packages_option
@glossary_option
@click.option("--no-cache", is_flag=True, help="Translate every sentence, ignoring the cache.")
@click.option("--max-bytes", type=int, default=None, help="Largest article accepted, in bytes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_cache: bool,
    max_bytes: int | None,
    quiet: bool,
) -> None:
    """Build CORPUS_DIR/english from CORPUS_DIR/original (default ./corpus).

    Exit status: 0 all built; 3 some documents need a translation model
    (the others were built); 1 some documents failed (the others were built).
    """
    _run_build(corpus_dir, packages_dir, glossary_path, no_cache, max_bytes, quiet, only=None)


def _build_config(max_bytes: int | None) -> Any:
    from toolkit.build import BuildConfig
    from toolkit.decode import DecodeConfig
    from toolkit.prepare import PrepareConfig

    if max_bytes is None:
        return BuildConfig()
    return BuildConfig(prepare=PrepareConfig(decode=DecodeConfig(max_bytes=max_bytes)))


def _run_build(
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_cache: bool,
    max_bytes: int | None,
    quiet: bool,
    only: list[str] | None,
) -> None:
    from toolkit.build import build_corpus
    from toolkit.engine import ArgosProvider

    try:
        config = _build_config(max_bytes)
        glossary = _load_glossary(glossary_path, corpus_dir)
        provider = ArgosProvider(
            packages_dir=packages_dir,
            settings=config.translation,
            cache_dir=None if no_cache else corpus_dir / ".cache",
        )
        with _progress(not quiet) as progress:
            summary = build_corpus(
                corpus_dir, provider=provider, glossary=glossary, config=config, only=only, progress=progress
            )
    except ToolkitError as exc:
        _fail(str(exc))
        return
    for line in summary.lines():
        click.echo(line, err=line.startswith("error:"))
    sys.exit(summary.exit_code)


# -- single-file stages -----------------------------------------------------------------------


@cli.command()
@click.argument("file", default="-")
def clean(file: str) -> None:
    """Decode and clean FILE (or - for stdin); print the text, boilerplate removed."""
    from toolkit.prepare import prepare_document

    data, label = _read_input(file)
    try:
        record = prepare_document(data, label)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    paragraphs: dict[int, list[str]] = {}
    for seg in record.segments:
        paragraphs.setdefault(seg.paragraph, []).append(seg.source)
    click.echo("\n\n".join(" ".join(p) for p in paragraphs.values()))
    for hit in record.cleaning.boilerplate:
        click.echo(f"removed [{hit.rule}]: {hit.text}", err=True)


@cli.command()
@click.argument("file", default="-")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def detect(file: str, fmt: str) -> None:
    """Identify the language of FILE (or -): prints 'LANG CONFIDENCE'."""
    from toolkit.prepare import prepare_document

    data, label = _read_input(file)
    try:
        record = prepare_document(data, label)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    others = [s for s in record.segments if s.language]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "file": label,
                    "language": record.language.language,
                    "confidence": record.language.confidence,
                    "encoding": record.input.encoding,
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
@click.option("--lang", default=None, help="Language code (default: detected).")
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text")
def segment(file: str, lang: str | None, fmt: str) -> None:
    """Split FILE (or -) into paragraphs and sentences: one sentence per line, blank line per paragraph."""
    from toolkit.prepare import prepare_document

    data, label = _read_input(file)
    try:
        record = prepare_document(data, label, language=lang)
    except InputError as exc:
        _fail(str(exc.for_file(label)))
        return
    if fmt == "json":
        click.echo(json.dumps([s.model_dump(include={"id", "paragraph", "sentence", "source"}) for s in record.segments], ensure_ascii=False, indent=1))
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="toolkit")


if __name__ == "__main__":
    main()
