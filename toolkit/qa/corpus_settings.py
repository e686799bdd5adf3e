"""The settings a pairs file is checked with beside a corpus: the corpus's own.

``toolkit qa PAIRS``, ``review --serve PAIRS`` and ``export --pairs`` check a pairs file with
the glossary of the corpus they are run beside (``--corpus``, default ``./corpus``: the one
rule, :func:`toolkit.glossary.discover.discover_glossary`). They checked it with the default
protected-span kinds and the default QA settings, though: a corpus built with
``GlossaryConfig.spans`` narrowed (handles off, say) had its pairs flagged ``protected`` for
what its builds never protect, and one built with a check switched off or a wider length
band had them flagged ``length`` where its own sentences are not. The one record of a
build's settings is the ``config`` each built document's meta.json holds
(:attr:`toolkit.schema.DocumentRecord.config`); :func:`corpus_settings` reads both there
(``glossary.spans`` and ``qa``), as the last complete build wrote them
(:func:`toolkit.corpus.snapshot.read_snapshot`), one reader and one set of refusals for
both: documents built with different settings, or settings this toolkit cannot read.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.config.glossary import SpanConfig
from toolkit.config.qa import PAIR_CHECKS, QaConfig
from toolkit.corpus.paths import CorpusPaths
from toolkit.qa.bilingual import QaInputError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from toolkit.schema import DocumentRecord


@dataclass(frozen=True)
class CheckSettings:
    """What the per-pair checks of a pairs file run with: the QA settings (thresholds, the
    checks switched on) and the protected-span settings (None: the default kinds)."""

    qa: QaConfig = field(default_factory=QaConfig)
    spans: SpanConfig | None = None
    defaulted: str = ""
    """Why the defaults apply where a corpus's recorded settings were looked for and none
    was read (no such directory, no manifest, nothing built, no built document readable):
    one line, else empty."""


# What a pairs file's checks read of QA settings: a pair has no confidence, so neither the
# low-confidence check nor its threshold; a band's calibration note is no threshold.
_UNREAD_QA = frozenset({"low_confidence_threshold"})


def _qa_value(qa: QaConfig, name: str) -> Hashable:
    """One QA setting as a pairs file's checks read it (the order of ``checks`` and unknown
    names in it mean nothing: :func:`toolkit.qa.checks.check_pair` asks ``in``)."""
    value = getattr(qa, name)
    if name == "checks":
        return tuple(c for c in PAIR_CHECKS if c in value and c != "low-confidence")
    if name == "length_bands":
        return tuple((band.pair, band.low, band.high) for band in value)
    return value  # type: ignore[no-any-return]


def _qa_key(qa: QaConfig) -> Hashable:
    return tuple(_qa_value(qa, n) for n in QaConfig.model_fields if n not in _UNREAD_QA)


def _shown(value: object, sep: str = "/") -> str:
    """A setting's value in a line: a tuple's items joined by ``/`` (a band's by spaces:
    ``de-en 0.5 1.5/nl-en 0.55 1.33``), a string as it is where it is printable ASCII, else
    as Python writes it (a control character escaped)."""
    if isinstance(value, tuple):
        return sep.join(_shown(v, " ") for v in value) or "()"
    plain = isinstance(value, str) and value.isascii() and value.isprintable()
    return (value if plain else repr(value))[:60]  # type: ignore[return-value]


def qa_differences(qa: QaConfig, other: QaConfig) -> str:
    """The QA settings of ``qa`` that a pairs file's checks read and ``other`` (another
    document's, or the defaults) has otherwise, as one short text (``checks off: length,
    length_slack_chars=20``); empty where none differs."""
    parts = []
    for name in (n for n in QaConfig.model_fields if n not in _UNREAD_QA):
        mine, theirs = _qa_value(qa, name), _qa_value(other, name)
        if mine == theirs:
            continue
        if name == "checks":  # which are off or on, not the nine that are the same
            assert isinstance(mine, tuple) and isinstance(theirs, tuple)
            off = [c for c in theirs if c not in mine]
            on = [c for c in mine if c not in theirs]
            parts += [f"checks off: {'/'.join(off)}"] if off else []
            parts += [f"checks on: {'/'.join(on)}"] if on else []
        else:
            parts.append(f"{name}={_shown(mine)}")
    text = ", ".join(parts)
    return text if len(text) <= 240 else text[:239] + "…"


@dataclass(frozen=True)
class _Recorded:
    """One setting a build records and a pairs file is checked by."""

    where: tuple[str, ...]
    """Its keys in a record's ``config``."""
    name: str
    """What a line calls it."""
    model: type[BaseModel]
    key: Callable[[Any], Hashable]
    """What two documents' settings are compared by (what they check)."""
    describe: Callable[[Any, Any], str]
    """Its text in a line, beside another document's."""


_SPANS = _Recorded(("glossary", "spans"), "protected-span settings", SpanConfig,
                   lambda spans: spans.protected, lambda spans, _other: spans.describe())
_QA = _Recorded(("qa",), "QA settings", QaConfig, _qa_key, qa_differences)


def corpus_settings(corpus_dir: Path, given: bool = True) -> CheckSettings:
    """The QA and protected-span settings the built documents of ``corpus_dir`` record; the
    defaults where nothing is built there (no corpus: the defaults apply, as a build's would)
    or no built document records them (``toolkit translate`` output). Documents whose
    settings check differently (:func:`_one`) are one line naming two of them and the fix (a
    pairs file is checked one way: which build's settings would be a guess); so is a
    document whose recorded settings this toolkit cannot read (:func:`_read`).

    ``defaulted`` says why whenever no built document's settings were read (an empty folder
    or a fresh ``toolkit init`` corpus got the defaults silently), but where no manifest is
    there only when the corpus was ``given`` (``--corpus`` on the command line): beside the
    default ``./corpus`` a standalone pairs file is checked with the defaults, no line."""
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.errors import CorpusError

    paths = CorpusPaths(Path(corpus_dir))
    if not paths.manifest.is_file():
        if not given:
            return CheckSettings()
        missing = not paths.root.exists() and not paths.root.is_symlink()
        why = "no such corpus" if missing else "no corpus built there (no manifest)"
        return CheckSettings(defaulted=f"{paths.root}: {why}")
    try:
        snapshot = read_snapshot(paths.root)
    except CorpusError as err:
        raise QaInputError(f"{err} (read for the check settings its builds record)") from None
    built = [record for record in snapshot.records if record.status == "built"]
    qa = _one(paths, built, _QA)
    spans = _one(paths, built, _SPANS)
    changed = {} if built else snapshot.changed  # built, yet none records them: older builds
    unread = "" if qa is not None or spans is not None else _unread(paths, changed)
    return CheckSettings(qa=qa if qa is not None else QaConfig(), spans=spans, defaulted=unread)


def _unread(paths: CorpusPaths, changed: dict[str, str]) -> str:
    """Why no built document's settings were read: none built (or none recording them), or
    each changed since the build (a hand edit of its files, not resealed by a build): their
    settings were silently the defaults."""
    if not changed:
        return f"{paths.root}: no built document records the settings its builds use"
    first = min(changed)
    return (
        f"{paths.root}: none of its built documents could be read for the settings its "
        f"builds record ({len(changed)} changed since the build; {first}: "
        f"{changed[first][:160]})"
    )


def _one(paths: CorpusPaths, records: Sequence[DocumentRecord], setting: _Recorded) -> Any:
    """The one ``setting`` the ``records`` record (None: none records it). Two that check
    differently (``setting.key``: the order of span kinds means nothing) are one line."""
    found: dict[Hashable, tuple[Any, str]] = {}
    for record in records:
        value = _read(paths, record, setting)
        if value is not None:
            found.setdefault(setting.key(value), (value, record.document))
    if len(found) > 1:
        (one, first), (other, second) = list(found.values())[:2]
        raise QaInputError(
            f"{paths.root}: its documents were built with different {setting.name} "
            f"({first}: {setting.describe(one, other)}; {second}: "
            f"{setting.describe(other, one)}); rebuild them with one (toolkit build) so a "
            "pairs file is checked as the corpus is"
        )
    return next((value for value, _ in found.values()), None)


def _read(paths: CorpusPaths, record: DocumentRecord, setting: _Recorded) -> Any:
    """``setting`` of a record's ``config``; None where it records none. Settings this
    toolkit cannot read (an unknown kind, ``"off"``, a key a newer toolkit writes) are one
    line naming the meta.json and the fix: checked with other settings than the build's,
    the pairs file's flags would be a guess."""
    from pydantic import ValidationError

    recorded: Any = record.config
    for key in setting.where:
        recorded = recorded.get(key) if isinstance(recorded, dict) else None
    if recorded is None:
        return None
    try:
        return setting.model.model_validate(recorded)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in (*setting.where, *first["loc"]))
        meta = paths.english / f"{record.document}.meta.json"
        raise QaInputError(
            f"{meta}: records {setting.name} this toolkit cannot read ({where[:80]}: "
            f"{first['msg'][:120]}); rebuild {record.document} (toolkit build), or check the "
            "pairs file beside another corpus (--corpus DIR)"
        ) from None


def settings_for_pairs(
    corpus_dir: Path, echo: Callable[[str], None], given: bool = True
) -> CheckSettings:
    """:func:`corpus_settings` (``given``: --corpus was on the command line), and a line
    through ``echo`` for each that checks otherwise than the defaults, saying the pairs file
    is checked with it (a flag the defaults would raise is not, or the other way round)."""
    settings = corpus_settings(corpus_dir, given)
    spans = settings.spans
    if settings.defaulted:
        echo(f"{settings.defaulted}; pairs checked with the default QA and protected-span "
             "settings (--corpus DIR: a corpus whose builds record them)")
    if spans is not None and spans.protected != SpanConfig().protected:
        echo(f"{corpus_dir}: protected spans checked as its builds record them: "
             f"{spans.describe()}")
    if _qa_key(settings.qa) != _qa_key(QaConfig()):
        echo(f"{corpus_dir}: QA checked with the settings its builds record: "
             f"{qa_differences(settings.qa, QaConfig())}")
    return settings


__all__ = ["CheckSettings", "corpus_settings", "qa_differences", "settings_for_pairs"]
