"""The QA step of a build: flag what a reviewer must see, human English included.

Runs after translation and human corrections; the checks themselves are
:func:`toolkit.qa.checks.pair_flags`' (``check_pair``'s with the glossary's and the
protected spans'), the per-pair rule a pairs file's QA uses too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.config.glossary import LOST_FLAG
from toolkit.glossary.model import Glossary
from toolkit.languages import NO_LANGUAGE, language_name
from toolkit.prepare.document import SOURCE_LANGUAGE
from toolkit.qa.checks import checked_language, pair_flags
from toolkit.qa.flags import qa_flag
from toolkit.schema import DocumentRecord, QaFlag, Segment

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig

EARLIER_CHECKS = (SOURCE_LANGUAGE, LOST_FLAG)
"""Flags raised before QA (a given language that contradicts language id, a term the
glossary could not pin): QA keeps them."""


def run_qa(record: DocumentRecord, glossary: Glossary, config: BuildConfig) -> None:
    """Check every translated pair; flags go to the segment's ``flags`` and ``qa`` fields."""
    tgt = record.target_language
    for seg in record.segments:
        if seg.english is None:
            continue
        pair_src = checked_language(record.language_of(seg), tgt)  # zxx: checked as English
        translated = pair_src != tgt
        found = pair_flags(
            seg.source,
            seg.english,
            pair_src,
            tgt,
            glossary,
            config.qa,
            spans=config.glossary.spans,
            confidence=seg.confidence if seg.origin == "machine" else None,
        )
        if translated and seg.origin == "source":  # another language, in a document copied
            found = [f for f in found if f.check != "untranslated"]
            found.append(_copied(record, seg, pair_src))
        seg.qa = [f for f in seg.qa if f.check in EARLIER_CHECKS]
        for flag in found:
            seg.add_flag(flag)
        _note_repair(seg)


def _copied(record: DocumentRecord, seg: Segment, language: str) -> QaFlag:
    """The flag of a sentence language id reads as ``language`` in a document no model
    translates (:func:`~toolkit.languages.needs_no_model`: one of no language, ``zxx``, a
    table stated or read so, or one in the target language), copied as its English like the
    rest: a table's German heading was shipped as English with only ``language:de`` (a
    title-case line has no word :func:`~toolkit.qa.checks.check_untranslated` counts). The
    way out it names: for a zxx document, its language stated as ``language`` (whose model
    then translates it all, figures and names passing through); in one in the target
    language, the row accepted as it is (a name: a correction equal to the source is still
    flagged a copy of it) or English recorded by hand."""
    found = f"reads as {language_name(language)}, copied as it is: its document"
    document = record.language.language
    if document == NO_LANGUAGE:
        return qa_flag(
            "untranslated",
            f"{found} has no linguistic content (zxx), which no model translates; if the "
            f"document is {language_name(language)} text, state its language as {language} "
            "(languages: in the corpus's settings.yaml, or --from) and rerun",
        )
    return qa_flag(
        "untranslated",
        f"{found} is in {language_name(document)}, copied as its own English; if it is right "
        "as it is (a name, a quotation), accept its row in toolkit review --serve (accepting "
        "dismisses its flags); where it needs English, record it with toolkit correct "
        f"{record.document} {seg.id} ENGLISH",
    )


def _note_repair(seg: Segment) -> None:
    """An ``info`` entry saying a machine segment was repaired, and how (not a flag: the
    repaired English passed QA)."""
    if seg.origin == "machine" and seg.repair is not None and seg.repair.winner:
        strategy = seg.repair.winner.split(":")[0]
        seg.qa.append(
            QaFlag(
                check=f"repaired:{strategy}",
                severity="info",
                message=f"repaired:{strategy}: the first output was flagged "
                f"{', '.join(seg.repair.kinds)}; {seg.repair.winner} passed QA",
            )
        )
