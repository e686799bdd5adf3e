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
from toolkit.pipeline.refusal import served_in

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig


def add_articles(
    paths: CorpusPaths,
    files: Sequence[Path],
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    echo: Callable[[str], None] = lambda line: None,
    packages_dir: Path | None = None,
) -> list[str]:
    """Copy ``files`` into ``paths.original`` (under their base names); return those names.

    Every file is read and prepared first (decoding, binary, size, language id) with
    ``encoding``, else with settings.yaml's entry for its name: if one would fail to
    build, nothing is added (:class:`ToolkitError`). A name already present with other
    content is refused; with the same content it is left as it is. ``encoding`` is
    recorded for each file in settings.yaml, so every later build decodes it the same way.
    ``echo`` gets one line per file; ``packages_dir``: the build's models."""
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.corpus.writes import atomic_write
    from toolkit.pipeline.fingerprint import config_for_file, with_corpus_settings
    from toolkit.pipeline.run import build_config

    # Checked as the build will decode it: with --encoding, else with settings.yaml's entry.
    given = build_config(max_bytes, encoding)
    corpus_config = with_corpus_settings(given, load_corpus_settings(paths.root))

    def config_for(name: str) -> BuildConfig:
        # settings.yaml's entries for the name (languages:, plain_text:), with --encoding as
        # the encodings: entry add records for it: the configuration the build will use.
        config = config_for_file(corpus_config, name)
        if encoding is None:
            return config
        decode = config.prepare.decode
        codec = {name: given.prepare.decode.encoding or encoding}
        decode = decode.model_copy(update={"encodings": {**decode.encodings, **codec}})
        return config.model_copy(
            update={"prepare": config.prepare.model_copy(update={"decode": decode})}
        )

    served = served_in(packages_dir, corpus_config.target_language)  # as the build judges
    checked = _all_checked(paths, files, lambda src: _checked(src, max_bytes, config_for, served))
    # Every name is checked against original/ (and the others given) before the first is
    # copied: all are added or none.
    _no_two_with_one_name(checked)
    _no_other_with_its_id(paths, checked)
    present = [_present(paths, name, data, label) for name, data, label in checked]
    names = []
    for (name, data, _label), there in zip(checked, present, strict=True):
        if there:
            echo(f"{name}: already in the corpus, unchanged")
        else:
            atomic_write(paths.original / name, data)
            echo(f"{name}: added")
        names.append(name)
        if encoding is not None:
            from toolkit.corpus.settings import set_file_encoding

            set_file_encoding(paths.root, name, encoding)
            echo(f"{name}: encoding {encoding} recorded in settings.yaml")
    return names


def _all_checked(
    paths: CorpusPaths, files: Sequence[Path], check: Callable[[Path], tuple[str, bytes, str]]
) -> list[tuple[str, bytes, str]]:
    """``check`` of each file; a markup refusal's way out names this corpus's settings file
    (it said ``corpus/settings.yaml`` of a corpus in another folder)."""
    from toolkit.corpus.paths import SETTINGS_FILE
    from toolkit.prepare.decode import plain_text_way_in

    try:
        return [check(Path(src)) for src in files]
    except InputError as exc:
        raise InputError(plain_text_way_in(str(exc), paths.root / SETTINGS_FILE)) from None


def _checked(
    src: Path,
    max_bytes: int | None,
    config_for: Callable[[str], BuildConfig],
    served: Callable[[str], bool],
) -> tuple[str, bytes, str]:
    """(base name, bytes, label) of ``src``, prepared as the build will prepare it."""
    from toolkit.corpus.paths import document_id
    from toolkit.prepare.document import prepare_document, settle_original_language
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
    config = config_for(name)
    try:  # also a language too unclear to translate, as build and status judge it
        record = prepare_document(data, f"original/{name}", config.prepare)
        settled = settle_original_language(
            record,
            f"original/{name}",
            config.prepare.language_id,
            config.target_language,
            served,
        )
        if isinstance(settled, InputError):
            raise settled
    except InputError as exc:
        from toolkit.prepare.decode import NOT_TEXT_FIX

        # The fix "remove it" means original/; here the file never got there.
        reason = str(exc.for_file(label)).removesuffix(f"; {NOT_TEXT_FIX}")
        raise InputError(f"{reason}; nothing was added") from None
    return name, data, label


def _no_two_with_one_name(checked: list[tuple[str, bytes, str]]) -> None:
    """:class:`ToolkitError` when two files given share a base name but not their bytes
    (``a/x.txt`` and ``b/x.txt``: the second would replace the first), or give one document
    id by two names (``a/x.txt`` and ``b/x.md`` or ``b/X.txt``: the build refuses the
    second, whose outputs would overwrite the first's)."""
    from toolkit.corpus.originals import case_note
    from toolkit.corpus.paths import document_stem

    first: dict[str, tuple[str, bytes, str]] = {}
    for name, data, label in checked:
        name_before, data_before, label_before = first.setdefault(
            document_stem(name).casefold(),
            (name, data, label),  # as the build compares
        )
        if name_before != name:
            stem, cased = (
                document_stem(name),
                case_note(document_stem(name), document_stem(name_before)),
            )
            raise ToolkitError(
                f"{label}: same document id {stem!r} as {label_before} (original/{name_before})"
                f"{cased}; the build would refuse one of them: rename one (nothing was added)"
            )
        if data_before != data:
            raise ToolkitError(
                f"{label}: same name as {label_before} with other content; both would be "
                f"original/{name}: rename one (nothing was added)"
            )


def _no_other_with_its_id(paths: CorpusPaths, checked: list[tuple[str, bytes, str]]) -> None:
    """:class:`ToolkitError` when an article already in ``original/`` gives a file's document
    id by another name (``n1.txt`` there, ``n1.md`` added): the build would refuse one of the
    two, and which one by name order -- the new file could take over the document. So too
    when a built document's original is held (``n1.txt`` now a symlink, ``.n1.txt``:
    :func:`~toolkit.corpus.originals.held_documents`): ``n1.md`` would take its English over;
    only its own name with the very bytes it was built from gives it back (``n1.txt`` with
    other text took the document over)."""
    from toolkit.corpus.originals import case_note, read_originals, scan_originals
    from toolkit.corpus.paths import document_stem
    from toolkit.pipeline.provenance import sha256_bytes

    there = {document_stem(e.name).casefold(): e.name for e in scan_originals(paths)
             if e.kind == "article"}  # fmt: skip
    held = {doc.casefold(): (doc, e) for doc, e in read_originals(paths.root)[1].items()}
    given_back = _built_inputs(paths)
    for name, data, label in checked:
        doc, entry = held.get(document_stem(name).casefold(), (None, None))
        if entry is not None and given_back.get(name) != sha256_bytes(data):
            raise ToolkitError(
                f"{label}: the English of document {doc!r} is held by original/{entry.shown} "
                f"({entry.why}); the new file would take it over"
                f"{case_note(document_stem(name), doc)}: rename the new file (nothing was added)"
            )
        other = there.get((stem := document_stem(name)).casefold(), name)
        if other != name:
            raise ToolkitError(
                f"{label}: same document id {stem!r} as original/{other}"
                f"{case_note(stem, document_stem(other))}; "
                "the build would refuse one of them: rename the new file, or replace "
                f"original/{other} (nothing was added)"
            )


def _built_inputs(paths: CorpusPaths) -> dict[str, str]:
    """Original's file name -> the sha256 of the bytes its document was last built from."""
    from toolkit.corpus.formats import read_manifest

    manifest = read_manifest(paths.manifest)
    return {entry.input.rsplit("/", 1)[-1]: entry.input_sha256 for entry in manifest.values()}


def _present(paths: CorpusPaths, name: str, data: bytes, label: str) -> bool:
    """Whether ``original/name`` already holds exactly ``data``; :class:`ToolkitError` when
    something else has that name (other content, or a name the build never reads)."""
    from toolkit.corpus.originals import original_named
    from toolkit.corpus.paths import read_regular_file

    entry = original_named(paths, name)
    if entry is None:
        return False
    if entry.kind != "article":  # a symlink is never read, nor written through
        raise ToolkitError(
            f"{label}: original/{name} already exists as {entry.what}, which the build never "
            "reads; remove it, then add the file again (nothing was added)"
        )
    try:  # never more than the new file's size, never through a link swapped in since
        same = read_regular_file(entry.path, len(data)) == data
    except OSError:
        same = False
    if not same:
        raise ToolkitError(
            f"{label}: original/{name} already exists with different content; "
            "rename the new file (nothing was added)"
        )
    return True
