"""Writing an export: each file through :func:`toolkit.corpus.writes.write_output` (atomic,
never into a corpus, never over a symlink or a device; ``-`` is standard output)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.outputs import refuse_overwriting_inputs
from toolkit.corpus.writes import write_output
from toolkit.export.formats import (
    moses_units,
    render_jsonl,
    render_moses,
    render_tmx,
    render_tsv,
)
from toolkit.export.units import (
    FORMATS,
    ExportError,
    ExportOptions,
    ExportStats,
    Format,
    Unit,
    read_corpus,
    select_units,
)
from toolkit.pipeline.unbuilt import no_original_line, unbuilt_lines, with_originals

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.schema import DocumentRecord


def moses_paths(output: Path, pair: str) -> tuple[Path, Path]:
    """``PATH.de-en.de`` and ``PATH.de-en.en`` for pair ``de-en``.

    A pair of one language (``en-en``, exported with ``--include-english``) would name
    both sides alike, so its sides are told apart by role instead:

    >>> [p.name for p in moses_paths(Path("all"), "en-en")]
    ['all.en-en.source.en', 'all.en-en.target.en']
    """
    src, tgt = pair.split("-", 1)
    stem = f"{output.name}.{pair}"
    if src == tgt:
        return output.with_name(f"{stem}.source.{src}"), output.with_name(f"{stem}.target.{tgt}")
    return output.with_name(f"{stem}.{src}"), output.with_name(f"{stem}.{tgt}")


_RENDERERS: dict[str, Callable[[Sequence[Unit]], str]] = {
    "tmx": render_tmx,
    "jsonl": render_jsonl,
    "tsv": render_tsv,
}
"""The one-file formats (Moses writes two files per language pair)."""



def write_units(
    units: Sequence[Unit],
    fmt: Format,
    output: Path,
    corpus_root: Path | None = None,
    inputs: Sequence[Path] = (),
) -> list[Path]:
    """Write ``units`` in ``fmt`` to ``output`` (a prefix for moses); return the files written.

    Each file goes through :func:`toolkit.corpus.writes.write_output`: never into the corpus
    (``corpus_root``, or any corpus above the target), never over a symlink or a device;
    ``-`` is standard output (not for moses, which writes two files per language pair);
    none of the files may be one of ``inputs`` (checked for all before any is written).
    """
    output = Path(output)
    roots = [corpus_root] if corpus_root is not None else []
    if fmt == "moses" and str(output) == "-":
        raise ExportError("-: moses writes two files per language pair; give a path prefix")
    if output.is_dir():
        raise ExportError(f"{output}: is a directory; give a file name (for moses: a prefix)")
    renderers = _RENDERERS
    if fmt == "moses":
        files = {
            path: text
            for pair, texts in render_moses(units).items()
            for path, text in zip(moses_paths(output, pair), texts, strict=True)
        }
        refuse_overwriting_inputs(files, inputs)
        for path, text in files.items():
            write_output(path, text.encode("utf-8"), roots)
        return list(files)
    if fmt not in renderers:
        raise ExportError(f"{fmt}: unknown export format; use one of {', '.join(FORMATS)}")
    write_output(output, renderers[fmt](units).encode("utf-8"), roots, inputs)
    return [output]


def write_export(
    units: Sequence[Unit],
    fmt: Format,
    output: Path,
    stats: ExportStats,
    corpus_root: Path | None = None,
    inputs: Sequence[Path] = (),
) -> Sequence[Unit]:
    """:func:`write_units`, with what the format leaves out counted in ``stats`` (a Moses
    export, the units that hold a line separator: :func:`~toolkit.export.formats.moses_units`),
    the files written, the documents exported (those of the units written) and the earlier
    export's Moses files named: the one end of a corpus export and of ``export --pairs``.
    Returns the units written (what a caller says of the exported documents is of these)."""
    emptied: set[str] = set()
    if fmt == "moses":
        units, left_out = moses_units(units)
        stats.exported, stats.line_breaks = len(units), len(left_out)
        emptied = {u.pair for u in left_out} - {u.pair for u in units}
    stats.documents = len({u.document for u in units})
    stats.files = write_units(units, fmt, output, corpus_root, inputs)
    stats.warnings += leftover_moses_lines(fmt, output, stats.files, emptied)
    return units


_MOSES_SIDE = re.compile(r"\.[^./]+-[^./]+\.(?:(?:source|target)\.)?[^./]+")


def leftover_moses_lines(
    fmt: str, output: Path, written: Sequence[Path], emptied: Collection[str] = ()
) -> list[str]:
    """A warning naming the Moses files under prefix ``output`` that this export did not
    write: an earlier export's pairs (``all.nl-en.nl`` when no Dutch is exported now) sat
    beside the new files as if they were part of them. ``emptied``: the language pairs
    whose every unit this export left out (each held a line separator), said apart: such
    a pair is there, its rows were not written."""
    if fmt != "moses":
        return []
    output, mine = Path(output), {Path(p).name for p in written}
    prefix = output.name + "."
    try:
        names = sorted(
            p.name for p in output.parent.iterdir()
            if p.name.startswith(prefix) and p.name not in mine
            and _MOSES_SIDE.fullmatch(p.name[len(output.name):])
        )  # fmt: skip
    except OSError:
        return []
    held = [n for n in names if n[len(prefix):].split(".", 1)[0] in emptied]
    why = {
        "no such language pair now": [n for n in names if n not in held],
        "every row of its language pair held a line separator and was left out": held,
    }
    return [
        f"{', '.join(files)}: from an earlier export, not written by this one ({reason}); "
        "remove them so they are not taken for part of it"
        for reason, files in why.items() if files
    ]


def export_corpus(
    corpus_root: Path,
    fmt: Format,
    output: Path,
    options: ExportOptions | None = None,
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    packages_dir: Path | None = None,
    glossary: Glossary | None = None,
    config: BuildConfig | None = None,
    inputs: Sequence[Path] = (),
) -> ExportStats:
    """Read the built corpus, select units, write them; return what was done.
    ``output`` may not be one of ``inputs`` (a glossary file named on the command line).

    ``packages_dir``, ``glossary`` (default: the corpus's, by the one rule) and ``config``
    (default: the defaults) are those the corpus is built with: exported documents a build
    with them would write differently are named in ``stats.warnings``
    (:func:`toolkit.pipeline.status.stale_documents`).

    Example::

        stats = export_corpus(Path("corpus"), "tmx", Path("corpus.tmx"))
        print("\\n".join(stats.lines()))
    """
    snapshot = read_corpus(corpus_root, wait=wait, on_wait=on_wait)
    records, gone, unbuilt = _with_originals(Path(corpus_root), snapshot.records, snapshot.changed)
    units, stats = select_units(records, options or ExportOptions())
    stats.documents_changed = [f"{d}: {why}" for d, why in sorted(snapshot.changed.items())]
    stats.documents_changed += gone
    stats.warnings = list(snapshot.dropped)
    stats.warnings += unbuilt_lines(Path(corpus_root), unbuilt, "exported")
    at = len(stats.warnings)  # the stale lines go here, before the written files' lines
    written = write_export(units, fmt, output, stats, Path(corpus_root), inputs)
    exported = {u.document for u in written}  # a Moses export leaves rows out
    build_with = (packages_dir, glossary, config)
    stats.warnings[at:at] = _stale_lines(Path(corpus_root), exported, build_with)
    return stats


def _with_originals(
    corpus_root: Path, records: Sequence[DocumentRecord], changed: Iterable[str] = ()
) -> tuple[list[DocumentRecord], list[str], set[str]]:
    """:func:`~toolkit.pipeline.unbuilt.with_originals`, with one line for each document
    left out because its original was deleted: not published, since the next build removes
    its English (it came back with no word, "from 36 documents"); restoring the original
    exports it again, unchanged."""
    kept, gone, unbuilt = with_originals(corpus_root, records, changed)
    lines = [
        f"{r.document}: {no_original_line(r.status)}; restore {r.input.path} to export it"
        for r in gone
    ]
    return kept, lines, unbuilt


def _stale_lines(
    corpus_root: Path,
    exported: set[str],
    build_with: tuple[Path | None, Glossary | None, BuildConfig | None],
) -> list[str]:
    """One warning per reason for the exported documents a ``toolkit build`` with these
    models, glossary and settings (``build_with``) would now write differently or refuse
    (they are exported as last built), naming up to five of them."""
    from toolkit.pipeline.status import stale_documents

    packages_dir, glossary, config = build_with
    by_reason: dict[str, list[str]] = {}
    found = stale_documents(corpus_root, exported, packages_dir, glossary, config=config)
    for doc, why in found.items():
        by_reason.setdefault(why, []).append(doc)
    lines = []
    for why, docs in by_reason.items():
        if docs == [""]:  # the plan itself could not be made
            lines.append(why)
            continue
        shown = ", ".join(docs[:5]) + (f" and {len(docs) - 5} more" if len(docs) > 5 else "")
        lines.append(
            f"{shown}: {why}; exported as last built (as `toolkit build` with the same "
            "--glossary, --packages-dir, --max-bytes and --encoding sees it; `toolkit status` "
            "lists them)"
        )
    return lines


__all__ = [
    "export_corpus", "leftover_moses_lines", "moses_paths", "write_export", "write_units",
]
