"""Count how a document's glossary terms fared (``toolkit glossary check``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.glossary.model import Match
from toolkit.schema import GlossaryHit


@dataclass
class TermReport:
    """How a document's glossary terms fared: what ``toolkit glossary check`` prints."""

    terms: Counter[str] = field(default_factory=Counter)
    """Canonical term -> occurrences in the source."""
    outcomes: Counter[str] = field(default_factory=Counter)
    """``found``, ``pinned`` and each :class:`GlossaryHit` outcome -> count."""

    def add_hits(self, hits: Iterable[GlossaryHit]) -> None:
        """Count the hits a build recorded for one segment."""
        for hit in hits:
            self.terms[hit.term] += 1
            self.outcomes["found"] += 1
            self.outcomes["pinned"] += hit.strategy in ("placeholder", "splice")
            self.outcomes[hit.outcome] += 1

    def add_matches(self, matches: Iterable[Match]) -> None:
        """Count terms found in a source that has not been built (nothing pinned yet)."""
        for match in matches:
            self.terms[match.term] += 1
            self.outcomes["found"] += 1

    def summary(self) -> str:
        """``3 found, 3 pinned, 2 restored, 0 rewritten, 1 lost``."""
        o = self.outcomes
        return (
            f"{o['found']} found, {o['pinned']} pinned, {o['restored']} restored, "
            f"{o['rewritten']} rewritten, {o['lost']} lost"
        )
