"""What the build makes of an original now: prepared, or the build's one-line refusal.

The one place ``toolkit status`` (and through it export and qa, which ask
:func:`toolkit.pipeline.status.stale_documents`) prepares an original the way
:mod:`toolkit.pipeline.plan` does: an unbuilt one, to show its language and segments, and a
built one the plan would rebuild, because a rule added since its last build (an HTML
fragment, a language too unclear to translate) makes the build refuse it, and the manifest
keeps the last build's entry: without this the row said ``stale: versions changed``, not
the line the build printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from toolkit.config.build import BuildConfig
    from toolkit.corpus.staged import RecordsBeside
    from toolkit.schema import DocumentRecord, ManifestEntry
    from toolkit.translation.provider import TranslatorProvider


def served_by(provider: TranslatorProvider, target: str) -> Callable[[str], bool]:
    """Whether ``provider`` has a model from a language into ``target``
    (:func:`toolkit.prepare.document.unsure`'s ``served``): its package found, not hashed
    (``package``), else its ``identity`` (test fakes); a code that is no language has none."""
    from toolkit.languages import UnknownLanguage

    find = getattr(provider, "package", None) or provider.identity

    def served(code: str) -> bool:
        try:
            return find(code, target) is not None
        except UnknownLanguage:
            return False

    return served


def served_in(packages_dir: Path | None, target: str) -> Callable[[str], bool]:
    """:func:`served_by` the models in ``packages_dir`` (None: the default folder)."""
    from toolkit.translation.provider import ArgosProvider

    return served_by(ArgosProvider(packages_dir=packages_dir), target)


def served_or_built(
    served: Callable[[str], bool], beside: RecordsBeside | None, entry: ManifestEntry | None
) -> Callable[[str], bool]:
    """``served``, or the language the last build of ``entry``'s document read (its record
    beside the English, :meth:`~toolkit.corpus.staged.RecordsBeside.record`: translated
    from it, or waiting for its model; not one stated in settings.yaml, a choice the user
    may take back).

    A built document of a language a model served when it was built is no figures table
    because that model went away since: its changed original waits for the model ("needs
    model", its old English removed as :mod:`toolkit.pipeline.kept` says), not "language
    unclear" (which kept the English the plan had said the build removes), and goes on
    waiting when it changes again. Only the figures rule asks ``served``; the confidence
    floor is the same with or without a model. The build and status both ask here."""
    record = None
    if beside is not None and entry is not None:
        record = beside.record(entry.document, entry)
    read = None
    if record is not None and record.language_detected is None and record.status != "error":
        read = record.language.language

    def served_here(code: str) -> bool:
        return code == read or served(code)

    return served_here


def prepare_original(
    original: Path,
    shown: str,
    config: BuildConfig,
    served: Callable[[str], bool] | None = None,
) -> DocumentRecord:
    """``original`` prepared as the build prepares it, with its language settled (settings
    for its file name, read only up to the article limit, never the whole file); raises the
    build's :class:`InputError` (naming ``shown``) when the build refuses it, and OSError
    when it cannot be read. ``served``: the models installed (:func:`served_by`), as the
    build judges with its provider's; None: none."""
    from toolkit.pipeline.fingerprint import config_for_file
    from toolkit.pipeline.plan import read_original
    from toolkit.prepare.document import prepare_document, settle_original_language

    prepare = config_for_file(config, original.name).prepare
    data = read_original(original, prepare.decode.max_bytes)
    record = prepare_document(data, shown, prepare)
    target = config.target_language
    settled = settle_original_language(
        record, shown, prepare.language_id, target, served or (lambda code: False)
    )
    if isinstance(settled, InputError):
        raise settled
    return record
