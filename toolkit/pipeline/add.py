"""Add articles to a corpus (``toolkit add``): check every file as the build will, then copy.

A file the build would refuse is refused here, before anything is copied; the caller holds
the corpus lock and builds the added names afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.paths import CorpusPaths
from toolkit.errors import InputError, ToolkitError

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig


def add_articles(
    paths: CorpusPaths,
    files: Sequence[Path],
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    echo: Callable[[str], None] = lambda line: None,
) -> list[str]:
    """Copy ``files`` into ``paths.original`` (under their base names); return those names.

    Every file is read and prepared first (decoding, binary, size, language id) with
    ``encoding``, else with settings.yaml's entry for its name: if one would fail to
    build, nothing is added (:class:`ToolkitError`). A name already present with other
    content is refused; with the same content it is left as it is. ``encoding`` is
    recorded for each file in settings.yaml, so every later build decodes it the same way.
    ``echo`` gets one line per file.
    """
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.pipeline.fingerprint import config_for_file, with_corpus_settings
    from toolkit.pipeline.run import build_config

    # Checked as the build will decode it: with --encoding, else with settings.yaml's entry.
    given = build_config(max_bytes, encoding)
    corpus_config = with_corpus_settings(given, load_corpus_settings(paths.root))

    def config_for(name: str) -> BuildConfig:
        return given if encoding else config_for_file(corpus_config, name)

    checked = [_checked(Path(src), max_bytes, config_for) for src in files]
    names = []
    for name, data, label in checked:
        _copy(paths, name, data, label, echo)
        names.append(name)
        if encoding is not None:
            from toolkit.corpus.settings import set_file_encoding

            set_file_encoding(paths.root, name, encoding)
            echo(f"{name}: encoding {encoding} recorded in settings.yaml")
    return names


def _checked(
    src: Path, max_bytes: int | None, config_for: Callable[[str], BuildConfig]
) -> tuple[str, bytes, str]:
    """(base name, bytes, label) of ``src``, prepared as the build will prepare it."""
    from toolkit.corpus.paths import document_id
    from toolkit.prepare.document import prepare_document
    from toolkit.prepare.inputs import read_article

    data, label = read_article(str(src), max_bytes)
    name = src.name  # the base name only: "../../etc/x" and "/abs/x" both add "x"
    if not name or name.startswith(".") or name == "-":
        raise InputError(
            f"{label}: empty, hidden or stdin file names are not added; give a named file"
        )
    try:
        document_id(Path(name))  # the id becomes file names in english/: must be safe
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None
    try:
        prepare_document(data, f"original/{name}", config_for(name).prepare)
    except InputError as exc:
        from toolkit.prepare.decode import NOT_TEXT_FIX

        # The fix "remove it" means original/; here the file never got there.
        reason = str(exc.for_file(label)).removesuffix(f"; {NOT_TEXT_FIX}")
        raise InputError(f"{reason}; nothing was added") from None
    return name, data, label


def _copy(
    paths: CorpusPaths, name: str, data: bytes, label: str, echo: Callable[[str], None]
) -> None:
    """Write ``data`` as ``original/name``, unless that file already holds exactly it."""
    from toolkit.corpus.writes import atomic_write

    dest = paths.original / name
    if dest.exists() or dest.is_symlink():
        if dest.is_symlink() or not dest.is_file() or dest.read_bytes() != data:
            raise ToolkitError(
                f"{label}: original/{name} already exists with different content; "
                "rename the new file"
            )
        echo(f"{name}: already in the corpus, unchanged")
    else:
        atomic_write(dest, data)
        echo(f"{name}: added")
