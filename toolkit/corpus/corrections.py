"""Human corrections, acceptances and dismissals that survive rebuilds, with their history.

A reviewer's work on one document is stored in ``corpus/corrections/<doc>.corrections.tsv``,
keyed by the sha256 of the *source* sentence (``Segment.source_sha256``), not by segment id.
Ids move when a paragraph is split differently; the model, the glossary and the settings
change; a source sentence's hash changes only when the sentence itself does. So a
correction applies to the same sentence after re-segmentation, a model upgrade or
``rm -rf corpus/english`` and a rebuild, and a row whose sentence is gone is an *orphan*
the build reports (it is never dropped or applied elsewhere).

The file is a log meant to be read and edited by hand; every action appends one row, so
nothing a reviewer did is ever overwritten::

    source_sha256 source english author time action check reason previous   (tab-separated)

* ``action`` is what the row does to its sentence:
  ``correct`` (``english`` is the human English; the default when empty),
  ``accept`` (the machine English, given in ``english``, is reviewed as it is),
  ``revert`` (back to the machine English), ``dismiss`` (the QA flag ``check`` is a false
  alarm, because of ``reason``) and ``restore`` (the flag ``check`` counts again);
* for each sentence the **last** row about its English (correct / accept / revert) and the
  last row about each check (dismiss / restore) are in force; earlier rows are the history:
  who changed what when, and ``previous`` holds the English a row replaced;
* the header row is required; lines starting with ``#`` and blank lines are ignored; a row
  may stop after ``time`` (a hand-added correction); values use the aligned TSV's escapes
  (``\\t``, ``\\n``, ``\\r``, ``\\\\``);
* ``source_sha256`` may be left empty when ``source`` is given: it is then computed from
  ``source`` (so a reviewer can add a row by copying a sentence); when both are given they
  must agree;
* control characters (terminal escapes, BEL, C1) are removed from every value when read and
  when written, and line breaks and tabs in ``english`` become spaces, so no value can reach
  ``en.txt``, the aligned TSV or a terminal as anything but text;
* an acceptance applies only while the machine English is still the text accepted;
* files written before history existed (the five columns up to ``time``) are still read:
  there two rows for the same sentence are an error, as they were.

``toolkit correct DOC SEGMENT_ID "English"`` and the review workbench (``toolkit review
--serve``) append rows with :func:`toolkit.corpus.actions.record_action` and rebuild the
document. A changed file changes the document's build fingerprint, so the next build redoes
that document (see ``toolkit.pipeline.plan.corrections_digests``). Applying and
recording rows: :mod:`toolkit.corpus.actions`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.config.glossary import LOST_FLAG
from toolkit.corpus.formats import render_tsv_table, tsv_unescape
from toolkit.corpus.paths import (
    CORRECTIONS,
    CorpusPaths,
    FileTooLarge,
    NotRegularFile,
    UnsafeDocumentId,
    check_document_id,
    read_regular_file,
    shown_name,
)
from toolkit.errors import ToolkitError
from toolkit.pipeline.provenance import sha256_text
from toolkit.plural import byte_size

MAX_CORRECTIONS_BYTES = 64_000_000
"""A corrections file holds a few rows per sentence of one article (8 MB at most): 64 MB is
far above any real one, and bounds what a stray or hostile file costs (a 16 GB sparse file
was read whole)."""
LEGACY_COLUMNS = ("source_sha256", "source", "english", "author", "time")
"""The header of corrections files written before history was kept (still read)."""
CORRECTION_COLUMNS = (*LEGACY_COLUMNS, "action", "check", "reason", "previous")
CORRECTIONS_SUFFIX = ".corrections.tsv"
HUMAN_ORIGIN = "human"
ACCEPTED_ORIGIN = "accepted"
MACHINE_ONLY_FLAGS = frozenset({LOST_FLAG})
"""Flags about machine output that a human correction replaces (QA re-checks the rest)."""

ENGLISH_ACTIONS = frozenset({"correct", "accept", "revert"})
"""Actions on a sentence's English; the last one in the file is in force."""
FLAG_ACTIONS = frozenset({"dismiss", "restore"})
"""Actions on one QA check of a sentence; the last one per check is in force."""
ACTIONS = ENGLISH_ACTIONS | FLAG_ACTIONS

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 controls besides tab and line feed (ESC, BEL, CSI, ...): never text."""
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029\x0b\x0c\x85]+")
CHECK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""What a QA check's name looks like (``number``, ``glossary-lost``)."""


class CorrectionsError(ToolkitError):
    """A corrections file cannot be read or a correction cannot be recorded."""


class ConflictError(CorrectionsError):
    """The row changed since the reviewer saw it (another tab or reviewer): nothing written."""


def clean_value(text: str) -> str:
    """``text`` without control characters; tabs and line breaks become one space.

    What is removed is what lets a value act on a terminal (``ESC ] 0 ; ... BEL`` sets a
    window title, ``ESC [ 2 J`` clears the screen) or break a TSV row.
    """
    return _CONTROLS.sub("", _BREAKS.sub(" ", text)).strip()


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file: one reviewer action on one source sentence.

    The name is historical: a row is a correction (``action="correct"``, the default) or
    an acceptance, a reversion, a dismissal or a restoration of one QA flag.
    """

    source_sha256: str
    source: str
    english: str
    author: str = ""
    time: str = ""
    action: str = "correct"
    check: str = ""
    reason: str = ""
    previous: str = ""

    def describe(self, width: int = 60) -> str:
        """``<hash prefix> "<source, shortened>"``: how reports name a correction, escapes
        spelled out (:func:`~toolkit.corpus.paths.shown_name`): both are the file's cells."""
        text = self.source if len(self.source) <= width else self.source[: width - 1] + "…"
        sha = shown_name(self.source_sha256[:12])
        return f'{sha} "{shown_name(text)}"' if text else sha

    @property
    def key(self) -> tuple[str, str]:
        """What the row decides: (sentence, "") for its English, (sentence, check) for a flag."""
        return (self.source_sha256, self.check if self.action in FLAG_ACTIONS else "")


@dataclass
class ReviewState:
    """Everything recorded for one document: the rows in file order and what is in force."""

    rows: list[Correction] = field(default_factory=list)

    def current(self) -> dict[tuple[str, str], Correction]:
        """The row in force for each key (the last one), in order of first appearance."""
        found: dict[tuple[str, str], Correction] = {}
        for row in self.rows:
            found[row.key] = row
        return found

    def corrections(self) -> dict[str, Correction]:
        """The human English in force, by source sha256."""
        return {k[0]: r for k, r in self.current().items() if r.action == "correct"}

    def accepted(self) -> dict[str, Correction]:
        """The acceptances in force, by source sha256."""
        return {k[0]: r for k, r in self.current().items() if r.action == "accept"}

    def dismissed(self) -> dict[tuple[str, str], Correction]:
        """The dismissals in force, by (source sha256, check)."""
        return {k: r for k, r in self.current().items() if r.action == "dismiss"}

    def history(self, sha: str) -> list[Correction]:
        """Every row about the sentence ``sha``, oldest first."""
        return [r for r in self.rows if r.source_sha256 == sha]

    def version(self, sha: str) -> int:
        """How many rows the sentence has: what a reviewer saw, for the conflict check."""
        return sum(1 for r in self.rows if r.source_sha256 == sha)


def corrections_path(corpus_root: Path, doc: str) -> Path:
    """Where the corrections of document ``doc`` live.

    ``doc`` usually comes from a meta.json or the command line: it is checked to be one
    safe file name (:func:`toolkit.corpus.paths.check_document_id`) before the path is built.
    """
    check_document_id(doc)
    return CorpusPaths(Path(corpus_root)).corrections / f"{doc}{CORRECTIONS_SUFFIX}"


def utc_now() -> str:
    """The current time as ISO-8601 UTC to the second, e.g. ``2025-01-31T09:15:00Z``."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_author() -> str:
    """Who is correcting: ``$TOOLKIT_AUTHOR``, else the login name, else ``unknown``."""
    name = clean_value(os.environ.get("TOOLKIT_AUTHOR", ""))
    if name:
        return name
    import getpass  # here, not at the top: it loads termios, which a build never needs

    try:
        return clean_value(getpass.getuser()) or "unknown"
    except (KeyError, OSError):  # no $USER and no passwd entry (some containers)
        return "unknown"


def one_line(value: str, what: str) -> str:
    """``value`` stripped; refuses line breaks and tabs, removes other control characters.

    For what a reviewer types (unlike :func:`clean_value`, which repairs what a file holds):
    a line break in a correction is a mistake to report, not to paper over.
    """
    value = value.strip()
    if _BREAKS.search(value):
        raise CorrectionsError(
            f"the {what} contains a line break or tab; give it as one line "
            "(one sentence per correction)"
        )
    return _CONTROLS.sub("", value).strip()


# -- the file ----------------------------------------------------------------------------------


def parse_review_state(text: str, name: str = "corrections.tsv") -> ReviewState:
    """Every row of a corrections file, in file order; errors name ``file:line``. Spreadsheet
    quoting is read as in a pairs file, by its one reader (:mod:`toolkit.qa.quoting`)."""
    from toolkit.qa.quoting import read_spreadsheet_table

    table = read_spreadsheet_table(Path(name), text, hand_edited=True, error=CorrectionsError)
    header = tuple(table[0][1]) if table else ()
    if header not in (CORRECTION_COLUMNS, LEGACY_COLUMNS):
        raise CorrectionsError(
            f"{name}: first row must be the header {' / '.join(CORRECTION_COLUMNS)} "
            "(tab-separated); fix the first line"
        )
    legacy = header == LEGACY_COLUMNS
    state = ReviewState()
    first_line: dict[str, int] = {}
    for number, cells in table[1:]:
        state.rows.append(_parse_row(cells, f"{name}:{number}", len(header)))
        if legacy:  # no history in the old format: a repeated sentence is a mistake
            sha = state.rows[-1].source_sha256
            if sha in first_line:
                raise CorrectionsError(
                    f"{name}:{number}: a second correction for the sentence of line "
                    f"{first_line[sha]}; keep one row"
                )
            first_line[sha] = number
    return state


def _spreadsheet_quoted(source: str, sha: str) -> bool:
    """Whether ``source`` is the sentence of ``sha`` in a spreadsheet's quotes (a re-saved
    sidecar was refused with no word of why)."""
    from toolkit.qa.quoting import unquote_cell

    inner = unquote_cell(source)
    return inner != source and sha256_text(inner) == sha


def _parse_row(cells: list[str], where: str, width: int) -> Correction:
    if not len(LEGACY_COLUMNS) <= len(cells) <= width:
        from toolkit.qa.quoting import cell_break_fix

        span = f"{len(LEGACY_COLUMNS)} to {width}" if width > len(LEGACY_COLUMNS) else f"{width}"
        raise CorrectionsError(
            f"{where}: expected {span} tab-separated columns, got {len(cells)}; "
            + cell_break_fix(escapes=True)
        )
    cells += [""] * (len(CORRECTION_COLUMNS) - len(cells))
    values = [tsv_unescape(c) for c in cells]
    sha, source, english, author, time, action, check, reason, previous = values
    sha = sha.strip().lower()
    action = action.strip() or "correct"
    if not sha and not source:
        raise CorrectionsError(f"{where}: give source_sha256 or source (or both)")
    if sha and not _SHA256.fullmatch(sha):
        raise CorrectionsError(f"{where}: source_sha256 must be 64 hex digits")
    if source and sha and sha256_text(source) != sha:
        raise CorrectionsError(
            f"{where}: source_sha256 does not match the source text; "
            + ("its source cell is the sentence in quotes, which are text where no cell needs "
               "quoting: remove them (or re-save the file with every cell quoted)"
               if _spreadsheet_quoted(source, sha)
               else "fix one of them or leave source_sha256 empty to compute it")
        )
    if action not in ACTIONS:
        raise CorrectionsError(
            f"{where}: unknown action {clean_value(action)[:20]!r}; use one of "
            f"{', '.join(sorted(ACTIONS))}"
        )
    english = clean_value(english)
    if action in ("correct", "accept") and not english:
        raise CorrectionsError(f"{where}: english is empty; delete the row instead")
    if action in FLAG_ACTIONS and not CHECK_NAME.fullmatch(check.strip()):
        raise CorrectionsError(f"{where}: {action} needs the QA check's name in column check")
    return Correction(
        source_sha256=sha or sha256_text(source),
        source=source,
        english=english,
        author=clean_value(author),
        time=clean_value(time),
        action=action,
        check=check.strip() if action in FLAG_ACTIONS else "",
        reason=clean_value(reason),
        previous=clean_value(previous),
    )


def parse_corrections(text: str, name: str = "corrections.tsv") -> dict[str, Correction]:
    """The human English in force by source sha256, in file order; errors name ``file:line``."""
    return parse_review_state(text, name).corrections()


def render_corrections(corrections: Iterable[Correction]) -> str:
    """The file :func:`parse_review_state` reads: header, then one row per item, in order."""
    rows = (tuple(getattr(c, column) for column in CORRECTION_COLUMNS) for c in corrections)
    return render_tsv_table(CORRECTION_COLUMNS, rows)


def read_corrections_file(path: Path) -> str | None:
    """The text of a corrections file; None when there is none; one-line errors otherwise."""
    try:
        data = read_regular_file(path, MAX_CORRECTIONS_BYTES)
    except FileNotFoundError:
        return None
    except FileTooLarge as exc:
        raise CorrectionsError(
            f"{path}: is {byte_size(exc.size)}, over the {byte_size(exc.limit)} limit of a "
            f"corrections file; it is not one ({_move_away(path)})"
        ) from None
    except NotRegularFile as exc:  # a symlink could point anywhere, a FIFO would hang
        raise CorrectionsError(
            f"{path}: is {exc.kind}, not a corrections file; {_move_away(path)}"
        ) from None
    except OSError as exc:
        raise CorrectionsError(
            f"{path}: cannot be read ({exc.strerror}); check its permissions"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorrectionsError(
            f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 text, tab-separated (not a spreadsheet's 'Unicode text': UTF-16)"
        ) from None


def _move_away(path: Path) -> str:
    """A corpus's corrections file is read for lying in corrections/; a sidecar for its name."""
    inside = path.parent.name == CORRECTIONS
    return "move it out of corrections/" if inside else "move or rename it"


def load_review_state(corpus_root: Path, doc: str) -> ReviewState:
    """Every recorded row of ``doc``; empty when it has no file."""
    return load_review_file(corrections_path(corpus_root, doc))


def load_review_file(path: Path) -> ReviewState:
    """Every row of the corrections file ``path`` (a corpus's or a bilingual file's sidecar)."""
    text = read_corrections_file(path)
    return ReviewState() if text is None else parse_review_state(text, str(path))


def load_corrections(corpus_root: Path, doc: str) -> dict[str, Correction]:
    """The corrections in force of ``doc`` by source sha256; empty when it has no file."""
    return load_review_state(corpus_root, doc).corrections()


def documents_with_corrections(corpus_root: Path, warnings: list[str] | None = None) -> list[str]:
    """Ids of the documents that have a corrections file, sorted.

    A file whose name gives no safe document id is never used as one; it is described in
    ``warnings`` (the build reports it).
    """
    folder = CorpusPaths(Path(corpus_root)).corrections
    if not folder.is_dir():
        return []
    ids = []
    for path in sorted(folder.glob(f"*{CORRECTIONS_SUFFIX}")):
        doc = path.name.removesuffix(CORRECTIONS_SUFFIX)
        try:
            ids.append(check_document_id(doc, f"corrections/{shown_name(path.name)}: document id"))
        except UnsafeDocumentId as exc:
            if warnings is not None:
                warnings.append(
                    f"{exc}; ignored, rename the file to <document id>{CORRECTIONS_SUFFIX}"
                )
    return sorted(ids)


__all__ = [
    "ACTIONS", "CHECK_NAME", "CORRECTION_COLUMNS", "LEGACY_COLUMNS", "ConflictError",
    "Correction", "CorrectionsError", "ReviewState", "clean_value", "corrections_path",
    "default_author", "documents_with_corrections", "load_corrections", "load_review_file",
    "load_review_state", "one_line", "parse_corrections", "parse_review_state",
    "read_corrections_file", "render_corrections", "utc_now",
]  # fmt: skip
