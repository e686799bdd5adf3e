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
    "low-confidence": "warning",
}
"""Each check's fixed severity: errors are very likely wrong, warnings need a look."""

def qa_flag(check: str, detail: str) -> QaFlag:
    """A flag of ``check`` with its fixed severity and the message ``"<check>: <detail>"``."""
    return QaFlag(check=check, severity=SEVERITY[check], message=f"{check}: {detail}")
