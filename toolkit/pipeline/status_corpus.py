"""What ``toolkit status`` (and the readers' :func:`~toolkit.pipeline.status.stale_documents`)
read every original against: the manifest, the snapshot of the last build, the corrections
files, and the build's own plan (:func:`~toolkit.pipeline.plan.plan_build`, with the same
settings, glossary and models), so status never says what a build would not do.

Read only, but for the model-hash memo, a cache (:func:`_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.pipeline.refusal import served_in

if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.config.build import BuildConfig
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.snapshot import Snapshot
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.plan import BuildPlan
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.schema import ManifestEntry


@dataclass
class StatusCorpus:
    """What every original's status is read against."""

    root: Path
    config: BuildConfig
    manifest: dict[str, ManifestEntry]
    snapshot: Snapshot | None
    with_corrections: set[str]
    plan: BuildPlan
    summary: BuildSummary
    """What planning a build found (``summary.needs_model``: English kept without a model)."""
    stale: set[str]
    """Documents the plan would rebuild (or keeps, stale, without their model)."""
    served: Callable[[str], bool]  # the models here, as the build judges figures with them


def read_corpus(
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary: Glossary | None,
    config: BuildConfig | None = None,
    only: set[str] | None = None,
) -> tuple[StatusCorpus, list[Path]]:
    """What every original's status is read against, and the originals (the plan and the
    snapshot look only at the originals named in ``only``, when given, and their documents:
    the others' rows mean nothing)."""
    from toolkit.config.build import BuildConfig
    from toolkit.corpus.corrections import documents_with_corrections
    from toolkit.corpus.formats import read_manifest
    from toolkit.corpus.originals import articles
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.pipeline.fingerprint import with_corpus_settings

    paths = CorpusPaths(corpus_dir)
    manifest = read_manifest(paths.manifest)
    # Unbuilt originals are decoded as the build would: with settings.yaml's encodings.
    config = with_corpus_settings(config or BuildConfig(), load_corpus_settings(paths.root))
    plan, summary = _plan(paths, config, packages_dir, glossary, only)
    corpus = StatusCorpus(
        root=corpus_dir,
        config=config,
        manifest=manifest,
        # Built documents are read as every reader reads them: only files whose sha256 the
        # manifest lists count, so a corrupt or hand-edited meta.json is never "built".
        snapshot=read_snapshot(paths.root, documents=_ids(only)) if manifest else None,
        with_corrections=set(documents_with_corrections(corpus_dir)),
        plan=plan,
        summary=summary,
        stale={plan.document(rel) for rel, _data in plan.pending} | set(plan.kept_stale),
        served=served_in(packages_dir, config.target_language),
    )
    held = {e.path for e in plan.held.values()}  # a built original renamed to NFD: unread
    return corpus, [path for path in articles(plan.entries) if path not in held]


def _ids(originals: set[str] | None) -> set[str] | None:
    """The document ids of these originals' names (all safe ones), or None for all."""
    from toolkit.corpus.paths import document_id

    return None if originals is None else {document_id(Path(name)) for name in originals}


def _plan(
    paths: CorpusPaths,
    config: BuildConfig,
    packages_dir: Path | None,
    glossary: Glossary | None,
    only: set[str] | None = None,
) -> tuple[BuildPlan, BuildSummary]:
    """What ``toolkit build`` would decide, decided by its own plan, writing nothing of the
    corpus. The model digests come from the corpus's hash memo (``.cache/file-hashes.json``,
    :mod:`toolkit.translation.hashes`); a model file hashed anew (installed or replaced since
    the last build) is remembered there, as a build remembers it: otherwise every status,
    export and review until the next build read ~100 MB of weights per model again.

    The memo is a cache, not the corpus (no reader trusts it for an output; deleting it
    costs one hash), so this is the one write of a command that reads the corpus: atomic,
    only when a digest is new, only into an ``.cache/`` a build already made (never a new
    folder in a corpus), and best-effort: a read-only corpus is read as before.
    """
    from toolkit.glossary.discover import discover_glossary
    from toolkit.pipeline.plan import plan_build, use_settings
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.translation.hashes import HashMemo
    from toolkit.translation.provider import ArgosProvider

    if glossary is None:  # the corpus's, by the one rule the build uses
        glossary = discover_glossary(paths.root).load()
    memo = HashMemo(paths.cache_dir)
    memo.load()
    provider = ArgosProvider(packages_dir=packages_dir)  # no cache_dir: no translation cache
    use_settings(provider, config)  # before identity(), as the build does
    summary = BuildSummary()
    plan = plan_build(paths, config, provider, glossary, summary, only)
    if memo.path.parent.is_dir():
        memo.save()  # ignores an OSError (a read-only corpus)
    return plan, summary
