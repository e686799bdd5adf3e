"""The write step of a build: a document's files and manifest entry, staged atomically.

Files are written only where their bytes change (:class:`~toolkit.corpus.writes.StagedWrites`),
outputs a document no longer has are removed, and the manifest is staged last, so it is
renamed last.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.edits import recorded_edits
from toolkit.corpus.formats import (
    render_aligned_tsv,
    render_english_text,
    render_manifest,
    render_meta_json,
)
from toolkit.corpus.paths import OUTPUT_SUFFIXES, CorpusPaths
from toolkit.corpus.writes import StagedWrites
from toolkit.interrupts import deferred_interrupts
from toolkit.pipeline.held import held_for_edits
from toolkit.pipeline.provenance import sha256_bytes
from toolkit.schema import DocumentRecord, ManifestEntry

if TYPE_CHECKING:
    from toolkit.pipeline.build import BuildRun
    from toolkit.pipeline.plan import BuildPlan
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


def restore_records(
    paths: CorpusPaths, plan: BuildPlan, run: BuildRun, summary: BuildSummary
) -> None:
    """Write again the English outputs of documents kept without their model from their
    build's record (``plan.restore``: :mod:`toolkit.pipeline.kept`); one whose outputs hold a
    hand edit the record's English would lose is held (``summary.held``), unless discarded on
    purpose (:mod:`toolkit.pipeline.held`). Their manifest entries list the outputs written."""
    manifest, beside = plan.manifest, plan.beside
    for doc, record in sorted(plan.restore.items()):
        outputs, entry = outputs_of(record), manifest[doc]
        if not run.discard_edits and recorded_edits(paths, doc, entry, beside):
            continue  # recorded as corrections: kept as typed until a build with the model
        if held := held_for_edits(paths, plan, entry, outputs, run, summary):
            summary.held[doc] = held
            continue
        summary.files_written += sum(
            stage(run.writes, paths.english / name, data) for name, data in outputs.items()
        )
        hashes = {name: sha256_bytes(data) for name, data in outputs.items()}
        run.staged.add(hashes[f"{doc}.meta.json"])  # noted, as every write's: a killed
        # commit's outputs are what it renders (toolkit.corpus.staged.commit_noting_staged)
        manifest[doc] = entry.model_copy(update={"outputs": hashes})
