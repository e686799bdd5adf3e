"""What one review row shows, in the terminal and in HTML alike: bidi controls made visible,
glossary terms located, QA flags spelled out, rows waiting for a model, the row order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from toolkit.pipeline.states import NEEDS_MODEL
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.schema import BoilerplateHit, DocumentRecord, GlossaryHit, Segment

ReviewOrder = Literal["document", "confidence"]
"""Row order of a review: the document's, or least sure machine translations first."""

# -- bidi controls -----------------------------------------------------------------------------

BIDI = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def visible_bidi(text: str) -> str:
    """``text`` with each bidi control shown as a visible mark, e.g. ``⟨RLO⟩``.

    Cleaning removes them from articles, but corrections and model output can still hold
    them; shown raw, ``beträgt \u202e0051\u202c Euro`` reads "1500 Euro" while the TSV and
    the model have 0051. Made visible, a reviewer sees the order the data really has.
    """
    return BIDI.sub(lambda m: f"⟨{BIDI_CONTROLS[m.group()]}⟩", text)


# -- glossary highlighting ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermSpan:
    """``text[start:end]`` is a glossary term (or the source spelling that matched one)."""

    start: int
    end: int
    hit: GlossaryHit


def term_spans(text: str, hits: Iterable[GlossaryHit], side: str) -> list[TermSpan]:
    """Where the segment's glossary hits occur in ``text``, left to right, not overlapping.

    ``side`` is ``"source"`` (look for what matched) or ``"english"`` (look for the
    canonical term). Matches are word-bounded and the longest spelling wins, like the
    glossary's own matcher, so "Kim" inside "Kim Kardashian" is one span, not two.
    """
    by_text: dict[str, GlossaryHit] = {}
    for hit in hits:
        by_text.setdefault(hit.matched if side == "source" else hit.term, hit)
    if not by_text:
        return []
    alternatives = "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return [TermSpan(m.start(), m.end(), by_text[m.group()]) for m in pattern.finditer(text)]


def hit_title(hit: GlossaryHit, kinds: Mapping[str, str]) -> str:
    """Hover text of a highlighted term, e.g. ``glossary: Kim (person) · placeholder, restored``."""
    kind = kinds.get(hit.term)
    entry = f"{hit.term} ({kind})" if kind else hit.term
    plain = hit.strategy == "none" and hit.outcome == "kept"
    how = "" if plain else f" · {hit.strategy}, {hit.outcome}"
    matched = f" · matched {hit.matched!r}" if hit.matched != hit.term else ""
    return f"glossary: {entry}{matched}{how}"


def glossary_kinds(entries: Iterable[object]) -> dict[str, str]:
    """term -> kind for glossary entries (anything with ``term`` and ``kind`` attributes)."""
    return {str(e.term): str(e.kind) for e in entries if hasattr(e, "term") and hasattr(e, "kind")}


def flag_details(seg: Segment) -> list[tuple[str, str, str]]:
    """(flag, severity, message) for every QA message of ``seg``, flag by flag.

    A check can fire more than once (four numbers missing are four ``number`` messages);
    each message is listed. Flags without a QA entry (``language:fr``) are warnings.
    """
    out = []
    for flag in seg.flags:
        matching = [q for q in seg.qa if q.check == flag]
        live = [q for q in matching if q.dismissed is None]  # dismissed ones are shown apart
        if live:
            out += [(flag, q.severity, q.message) for q in live]
        elif not matching:
            out.append((flag, "warning", flag))
    # Info entries (``repaired:<strategy>``) are shown but are not flags: nothing to fix.
    out += [(q.check, q.severity, q.message) for q in seg.qa if q.severity == "info"]
    return out


def flag_text(flag: str, message: str) -> str:
    """``flag: message``, without repeating a flag the message already starts with."""
    return message if message.startswith(flag) else f"{flag}: {message}"


def waits_for_model(record: DocumentRecord) -> bool:
    """True for a document the build could not translate for lack of a model."""
    return record.status == "needs-model"


def model_pair(record: DocumentRecord) -> str:
    """``needs model de→en``: what a document waiting for a model shows."""
    return f"{NEEDS_MODEL} {record.language.language}→{record.target_language}"


def by_confidence(segments: Sequence[Segment]) -> list[Segment]:
    """Least sure first: machine segments by ascending confidence, then every segment without
    one (source, human, unscored) in document order. Stable, so ties keep document order."""
    scored = [s for s in segments if s.origin == "machine" and s.confidence is not None]
    rest = [s for s in segments if not (s.origin == "machine" and s.confidence is not None)]
    return sorted(scored, key=lambda s: s.confidence or 0.0) + rest


def ordered(segments: Sequence[Segment], sort: ReviewOrder) -> list[Segment]:
    return by_confidence(segments) if sort == "confidence" else list(segments)


REMOVED = "removed"
"""How review marks a paragraph the build removed as boilerplate (never translated)."""


def removed_label(hit: BoilerplateHit) -> str:
    """``removed (photo-credit), not translated``: what a removed paragraph's row says."""
    return f"{REMOVED} ({hit.rule}), not translated"


def with_removed(
    record: DocumentRecord, segments: Sequence[Segment], sort: ReviewOrder
) -> list[Segment | BoilerplateHit]:
    """The rows a review shows: ``segments`` and the paragraphs the build removed as
    boilerplate (a credit, a repeated headline), so no removal is silent. In document order
    each removed paragraph stands where it was, before the kept paragraph that followed it;
    sorted by confidence they come last. ``segments`` must be in the order shown."""
    hits = list(record.cleaning.boilerplate)
    if sort != "document" or not hits:
        return [*segments, *hits]
    before: dict[int, list[BoilerplateHit]] = {}  # kept paragraph number -> removed before it
    removed, kept = {h.paragraph: h for h in hits}, 0
    for index in range(1, max(removed) + 1):  # hit.paragraph counts every paragraph
        if index in removed:
            before.setdefault(kept + 1, []).append(removed[index])
        else:
            kept += 1
    rows: list[Segment | BoilerplateHit] = []
    for seg in segments:
        for number in [n for n in before if n <= seg.paragraph]:
            rows += before.pop(number)
        rows.append(seg)
    return rows + [h for n in sorted(before) for h in before[n]]


def removed_before(record: DocumentRecord) -> list[tuple[BoilerplateHit, str | None]]:
    """Each paragraph the build removed, with the id of the segment it stands before in
    document order (``None``: after the last): where :func:`with_removed` puts it, for a
    reader that lays out its rows itself (the workbench)."""
    placed: list[tuple[BoilerplateHit, str | None]] = []
    pending: list[BoilerplateHit] = []
    for row in with_removed(record, record.segments, "document"):
        if isinstance(row, BoilerplateHit):
            pending.append(row)
        else:
            placed += [(hit, row.id) for hit in pending]
            pending = []
    return placed + [(hit, None) for hit in pending]


__all__ = [
    "BIDI",
    "NEEDS_MODEL",
    "REMOVED",
    "ReviewOrder",
    "TermSpan",
    "by_confidence",
    "flag_details",
    "flag_text",
    "glossary_kinds",
    "hit_title",
    "model_pair",
    "ordered",
    "removed_before",
    "removed_label",
    "term_spans",
    "visible_bidi",
    "waits_for_model",
    "with_removed",
]
