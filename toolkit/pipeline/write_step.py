"""The write step of a build: a document's files and manifest entry, staged atomically.

Files are written only where their bytes change (:class:`~toolkit.corpus.writes.StagedWrites`),
outputs a document no longer has are removed, and the manifest is staged last, so it is
renamed last.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.edits import (
    EDITABLE_SUFFIXES,
    hand_edits,
    held_line,
    lost_edits,
    read_output,
    rewritten_line,
    unrecorded_edits,
)
from toolkit.corpus.formats import (
    render_aligned_tsv,
    render_english_text,
    render_manifest,
    render_meta_json,
)
from toolkit.corpus.paths import OUTPUT_SUFFIXES, CorpusPaths
from toolkit.corpus.writes import StagedWrites
from toolkit.errors import CorpusError
from toolkit.interrupts import deferred_interrupts
from toolkit.pipeline.provenance import sha256_bytes
from toolkit.schema import DocumentRecord, ManifestEntry

if TYPE_CHECKING:
    from toolkit.pipeline.build import BuildRun
    from toolkit.pipeline.summary import BuildSummary


def outputs_of(record: DocumentRecord) -> dict[str, bytes]:
    """File name -> bytes of every output of ``record`` (only meta.json until it is built)."""
    outputs = {f"{record.document}.meta.json": render_meta_json(record).encode()}
    if record.status == "built":
        outputs[f"{record.document}.en.txt"] = render_english_text(record.segments).encode()
        outputs[f"{record.document}.aligned.tsv"] = render_aligned_tsv(record.segments).encode()
    return outputs


def write_record(
    paths: CorpusPaths,
    record: DocumentRecord,
    fingerprint: str,
    writes: StagedWrites,
    outputs: dict[str, bytes] | None = None,
) -> tuple[ManifestEntry, int]:
    """Stage ``record``'s files (``outputs``: :func:`outputs_of`, when already rendered); its
    manifest entry and the number of files that changed."""
    outputs = outputs_of(record) if outputs is None else outputs
    written = sum(stage(writes, paths.english / name, data) for name, data in outputs.items())
    remove_stale(paths, record.document, outputs, writes)
    entry = ManifestEntry(
        document=record.document,
        input=record.input.path,
        input_sha256=record.input.sha256,
        fingerprint=fingerprint,
        status=record.status,
        message=record.message,
        language=record.language.language,
        segments=len(record.segments),
        outputs={name: sha256_bytes(data) for name, data in outputs.items()},
    )
    return entry, written


def write_manifest(
    paths: CorpusPaths, entries: Iterable[ManifestEntry], writes: StagedWrites
) -> bool:
    """Stage the manifest (after every document's files, so it is renamed last)."""
    return stage(writes, paths.manifest, render_manifest(entries).encode())


def stage(writes: StagedWrites, path: Path, data: bytes) -> bool:
    """``writes.write_if_changed``, not cut short by Ctrl-C: a temp file created but not yet
    recorded would be left behind (what is recorded is discarded when the build stops)."""
    with deferred_interrupts():
        return writes.write_if_changed(path, data)


def remove_stale(
    paths: CorpusPaths, doc: str, keep: dict[str, bytes], writes: StagedWrites
) -> None:
    """Stage the removal of every output of ``doc`` not in ``keep``."""
    for suffix in OUTPUT_SUFFIXES:
        name = f"{doc}{suffix}"
        if name not in keep:
            writes.remove(paths.english / name)


def held_for_edits(
    paths: CorpusPaths,
    entry: ManifestEntry | None,
    outputs: dict[str, bytes],
    seen: dict[Path, str | None],
    warnings: list[str],
) -> str | None:
    """The line that holds ``entry``'s document (its hand-edited English would be lost by
    ``outputs``: :func:`~toolkit.corpus.edits.lost_edits`), or None: write it. Asked at
    write time, so an edit made while this build translated is held too; what the English
    outputs hold now goes into ``seen`` for :func:`check_unedited`, the check at commit.
    Outputs changed by hand in no English are rewritten, said in ``warnings``."""
    if entry is None:
        return None
    lost = lost_edits(paths, entry.document, entry, outputs)
    if lost:
        return held_line(paths, entry, lost)
    if rewritten := rewritten_line(paths, entry.document, entry):
        warnings.append(f"{entry.document}: {rewritten}")
    for suffix in EDITABLE_SUFFIXES:
        path = paths.english / f"{entry.document}{suffix}"
        seen[path] = _digest(path)
    return None


def check_unedited(seen: dict[Path, str | None]) -> None:
    """Refuse to commit (:class:`CorpusError`: nothing is written) when an English output
    this build replaces changed since :func:`held_for_edits` looked at it: edited while the
    build ran; the next build holds that document."""
    for path, digest in sorted(seen.items()):
        if _digest(path) != digest:
            raise CorpusError(
                f"{path}: changed while the build ran (edited by hand?); nothing was written: "
                "run toolkit build again (it keeps the edit)"
            )


def _digest(path: Path) -> str | None:
    data = read_output(path)
    return None if data is None else sha256_bytes(data)


def restore_records(
    paths: CorpusPaths,
    manifest: dict[str, ManifestEntry],
    restore: dict[str, DocumentRecord],
    run: BuildRun,
    summary: BuildSummary,
) -> None:
    """Write again the English outputs of documents kept without their model from their
    build's record (``plan.restore``: :mod:`toolkit.pipeline.kept`); one whose outputs hold a
    hand edit the record's English would lose is held (``summary.held``), unless
    ``run.discard_edits``. Their manifest entries list the outputs written."""
    for doc, record in sorted(restore.items()):
        outputs, entry = outputs_of(record), manifest[doc]
        warnings = summary.warnings
        old = None if run.discard_edits else entry
        if old is not None and hand_edits(paths, doc, old) and not unrecorded_edits(
            paths, doc, old
        ):
            continue  # recorded as corrections: kept as typed until a build with the model
        if held := held_for_edits(paths, old, outputs, run.seen, warnings):
            summary.held[doc] = held
            continue
        summary.files_written += sum(
            stage(run.writes, paths.english / name, data) for name, data in outputs.items()
        )
        hashes = {name: sha256_bytes(data) for name, data in outputs.items()}
        manifest[doc] = entry.model_copy(update={"outputs": hashes})
