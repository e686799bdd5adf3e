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
    from pathlib import Path

    from toolkit.config.build import BuildConfig
    from toolkit.schema import DocumentRecord


def prepare_original(original: Path, shown: str, config: BuildConfig) -> DocumentRecord:
    """``original`` prepared as the build prepares it, with its language settled (settings
    for its file name, read only up to the article limit, never the whole file); raises the
    build's :class:`InputError` (naming ``shown``) when the build refuses it, and OSError
    when it cannot be read."""
    from toolkit.pipeline.fingerprint import config_for_file
    from toolkit.pipeline.plan import read_original
    from toolkit.prepare.document import prepare_document, settle_original_language

    prepare = config_for_file(config, original.name).prepare
    data = read_original(original, prepare.decode.max_bytes)
    record = prepare_document(data, shown, prepare)
    settled = settle_original_language(record, shown, prepare.language_id, config.target_language)
    if isinstance(settled, InputError):
        raise settled
    return record
