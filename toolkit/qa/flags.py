"""The QA checks' severities, and the one way a check makes a flag.

The per-pair checks' names and order are :data:`toolkit.config.qa.PAIR_CHECKS` (a setting).

Every check module builds its flags with :func:`qa_flag`, so a flag's severity is always
the check's fixed one and its message always starts with the check's name.
"""

from __future__ import annotations

from typing import Literal

from toolkit.schema import QaFlag

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    "empty": "error",
    "untranslated": "error",
    "language": "warning",
    "number": "error",
    "glossary": "error",
    "protected": "error",
    "length": "warning",
    "repetition": "error",
    "truncated": "error",
    "inconsistent": "warning",
    "source-language": "warning",
    "bidi": "error",
    "mojibake": "error",
    "low-confidence": "warning",
}
"""Every QA check and its fixed severity (errors are very likely wrong, warnings need a
look): the one list of checks that README's QA table, the review page's filter and the
status counts follow."""

PAIRS_FILE_CHECKS = ("mojibake",)
"""Checks of a pairs file's text as read, which is never repaired: ``toolkit qa PAIRS``, the
workbench and ``export --pairs`` run them (:func:`toolkit.qa.report.check_pairs`), a build
does not (cleaning repairs its text first), so they are no ``qa.checks`` setting."""

CORPUS_CHECKS = ("inconsistent",)
"""Checks over the whole corpus, never stored in a document's build: ``toolkit qa``,
``status``, ``review`` and the workbench compute them (:func:`toolkit.qa.summary.corpus_flags`)."""

def qa_flag(check: str, detail: str) -> QaFlag:
    """A flag of ``check`` with its fixed severity and the message ``"<check>: <detail>"``."""
    return QaFlag(check=check, severity=SEVERITY[check], message=f"{check}: {detail}")
