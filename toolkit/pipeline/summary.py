"""What a build did, and how it reports as it goes.

:class:`BuildSummary` is filled by every step of :func:`toolkit.pipeline.build.build_corpus`;
``toolkit build`` prints :meth:`BuildSummary.lines` and exits with
:attr:`BuildSummary.exit_code`: 0 everything built; 3 some documents wait for a translation
model (the others are built); 1 some documents could not be read, or were held because
rebuilding them would lose English edited by hand (the others are built).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.errors import ToolkitError
from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.corpus.corrections import Correction


@dataclass
class BuildSummary:
    """What a build did; ``toolkit build`` prints it and exits with :attr:`exit_code`."""

    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    needs_model: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)
    """Documents not rebuilt because that would lose English edited by hand in their outputs
    (:func:`toolkit.corpus.edits.held_line` says why and the two ways out)."""
    announced: set[str] = field(default_factory=set)
    """Documents ``--discard-edits`` said ``discarding:`` of before writing (one it did not
    discard after all, e.g. it failed, gets a ``kept:`` line)."""
    discarded: dict[str, str] = field(default_factory=dict)
    """Documents whose English edited by hand before this build was discarded on purpose
    (``--discard-edits``): the files, in one line (:mod:`toolkit.pipeline.held`)."""
    skipped: list[str] = field(default_factory=list)
    """Names in ``original/`` that are no regular file (a symlink, a folder): not built."""
    hidden: list[str] = field(default_factory=list)
    """Names in ``original/`` that start with a dot: not built (reported)."""
    unread: list[str] = field(default_factory=list)
    """One line for each of those names (:meth:`toolkit.corpus.originals.OriginalName.line`)."""
    orphan_corrections: dict[str, list[str]] = field(default_factory=dict)
    """Document -> corrections whose source sentence is no longer in it (reported, kept)."""
    ambiguous_encodings: dict[str, list[str]] = field(default_factory=dict)
    """Original (``original/x.txt``) -> plausible codecs, best (the one used) first, when the
    encoding guess of a document built by this run was not clear."""
    boilerplate: dict[str, int] = field(default_factory=dict)
    """Document built by this run -> paragraphs removed from it as boilerplate (credits, a
    repeated headline, a footer): counted in one line, ``toolkit review`` shows them."""
    gone: list[str] = field(default_factory=list)
    """Documents whose original is gone: this build removed their English."""
    forgotten: dict[str, str] = field(default_factory=dict)
    """Documents whose original is gone that had no English (their last build's status:
    ``needs-model`` or ``error``): this build forgot them, nothing was removed."""
    warnings: list[str] = field(default_factory=list)
    """Bookkeeping the build ignored (an unsafe id in the manifest or a corrections file name)."""
    files_written: int = 0
    sentences_translated: int = 0
    """Distinct sentences the model decoded in this build (each decoded once; splice pieces
    not included: :attr:`pieces_translated`)."""
    sentences_cached: int = 0
    """Distinct sentences taken from the translation cache (decoded by an earlier build)."""
    sentences_reused: int = 0
    """Further occurrences of a model input already translated or cached in this build
    (repeated sentences, datelines, bylines): reused, not decoded again."""
    pieces_translated: int = 0
    """Distinct splice pieces the model decoded: the text between the names of a sentence
    whose placeholders came back garbled (:func:`toolkit.glossary.pin.pin_translate`), not
    sentences (issue 19: "423 translated" counted 11 of them with 412 sentences)."""
    pieces_cached: int = 0
    """Distinct splice pieces taken from the translation cache."""
    repairs: dict[str, list[int]] = field(default_factory=dict)
    """Flag kind -> [segments flagged and re-decoded, segments repaired]
    (toolkit.translation.repair)."""

    @property
    def exit_code(self) -> int:
        if self.errors or self.held:
            return 1
        if self.needs_model:
            return 3
        return 0

    def note_orphans(self, doc: str, orphans: Sequence[Correction]) -> None:
        """Report ``doc``'s corrections whose source sentence is no longer in it."""
        if orphans:
            self.orphan_corrections[doc] = [c.describe() for c in orphans]

    def lines(self) -> list[str]:
        out = [
            f"{len(self.built)} built, {len(self.up_to_date)} up to date, "
            f"{len(self.needs_model)} need a model, {len(self.errors)} failed"
            f"{f', {len(self.held)} held (edited by hand)' if self.held else ''}; "
            f"{plural(self.files_written, 'file')} written; "
            f"sentences: {self.sentences_translated} translated, {self.sentences_cached} cached, "
            f"{plural(self.sentences_reused, 'repeat')} reused{self.pieces_note()}"
        ]
        if self.files_written == 0 and not self.built and not self.errors and not self.held:
            out.append("nothing changed")
        if not any((self.built, self.up_to_date, self.needs_model, self.errors, self.held,
                    self.unread, self.gone, self.forgotten)):  # fmt: skip
            out.append(
                "original/ holds no articles: copy some into it (or toolkit add FILE), then build"
            )
        if self.repairs:
            out.append(
                "repairs: "
                + ", ".join(
                    f"{kind} {fixed}/{tried} repaired"
                    for kind, (tried, fixed) in sorted(self.repairs.items())
                )
            )
        out += self._removal_lines()
        out += [f"{doc}: {msg}" for doc, msg in sorted(self.needs_model.items())]
        out += [f"error: {msg}" for _doc, msg in sorted(self.errors.items())]
        out += [f"held: {doc}: {msg}" for doc, msg in sorted(self.held.items())]
        out += [f"discarded: {doc}: {msg}" for doc, msg in sorted(self.discarded.items())]
        out += [f"kept: {doc}: {KEPT_EDIT}" for doc in sorted(self.announced - set(self.discarded))]
        out += [f"warning: {msg}" for msg in self.warnings]
        out += self.unread
        out += [
            orphan_line(doc, what)
            for doc, found in sorted(self.orphan_corrections.items())
            for what in found
        ]
        out += [
            encoding_warning(path, candidates)
            for path, candidates in sorted(self.ambiguous_encodings.items())
        ]
        return out

    def pieces_note(self) -> str:
        """``; N splice pieces translated, M cached`` where the glossary spliced sentences
        (their pieces are model inputs, not sentences), else nothing."""
        if not (self.pieces_translated or self.pieces_cached):
            return ""
        pieces = plural(self.pieces_translated, "splice piece")
        return f"; {pieces} translated, {self.pieces_cached} cached"

    def _removal_lines(self) -> list[str]:
        """What this build removed: boilerplate paragraphs, the English of gone originals."""
        out = []
        if self.boilerplate:
            docs = sorted(self.boilerplate)
            shown = ", ".join(docs[:5]) + (", ..." if len(docs) > 5 else "")
            out.append(
                f"boilerplate: {plural(sum(self.boilerplate.values()), 'paragraph')} removed "
                f"in {plural(len(docs), 'document')} ({shown}), not translated; "
                "toolkit review DOC shows them"
            )
        if self.gone:
            out.append(
                f"removed the English of {plural(len(self.gone), 'document')} whose original "
                f"is gone: {', '.join(sorted(self.gone))}"
            )
        for status, what in (("needs-model", "waiting for a model"), ("error", "failed")):
            docs = sorted(d for d, s in self.forgotten.items() if s == status)
            if docs:
                out.append(
                    f"forgot {plural(len(docs), 'document')} {what} (no English to remove) "
                    f"whose original is gone: {', '.join(docs)}"
                )
        return out


def encoding_warning(path: str, candidates: list[str], corpus: bool = True) -> str:
    """``original/x.txt: encoding guessed as cp1252 (cp1250 also possible); pass ...``.

    ``corpus``: the file is an original of a corpus, so it can also be pinned in settings.yaml.
    """
    line = (
        f"{path}: encoding guessed as {candidates[0]} ({', '.join(candidates[1:])} also "
        "possible); pass --encoding to override"
    )
    if corpus:
        line += ", or name it for this file under encodings: in corpus/settings.yaml"
    return line


Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, ``done`` out of ``total`` so far: called as documents are
prepared (stage ``prepare``), sentences translated (stage ``translate de→en``, from 0, after
each batch) and documents checked (stage ``qa``). Every call is a point where the build may
stop: the command line raises KeyboardInterrupt there after Ctrl-C (:mod:`toolkit.interrupts`)."""


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class ProgressCallbackError(ToolkitError):
    """The caller's ``progress`` callback raised: the build stopped there and the corpus is
    as it was (its staged files are discarded); the callback's exception is the cause."""


def guarded_progress(progress: Progress) -> Progress:
    """``progress``, whose exceptions are raised as :class:`ProgressCallbackError` (one line
    saying it came from the callback): passed through unchanged, a caller's ``KeyError``
    read as the build's own failure. A stop (``KeyboardInterrupt``, what the command line's
    callback raises after Ctrl-C) is not an ``Exception`` and passes as it is."""
    if progress is no_progress:
        return progress

    def call(stage: str, done: int, total: int) -> None:
        try:
            progress(stage, done, total)
        except Exception as exc:
            said = " ".join(str(exc).split())
            raise ProgressCallbackError(
                f"the progress callback raised {type(exc).__name__}"
                f"{': ' + said if said else ''} (at {stage} {done}/{total}); the build "
                "stopped and the corpus is unchanged"
            ) from exc

    return call


WHOLE_FILE = "the whole file"
KEPT_EDIT = "its hand edit is kept: this build did not write over it (its other lines say why)"
"""The line of a document ``--discard-edits`` said ``discarding:`` of but did not discard."""
"""How an orphan that is a whole corrections file starts (no built original has its id)."""


def orphan_line(doc: str, what: str) -> str:
    """One line for a correction that found no place: a row, or a whole file (build and
    ``toolkit status`` print the same)."""
    where = f"corrections/{doc}.corrections.tsv"
    if what.startswith(WHOLE_FILE):
        return f"orphan correction: {where}: {what}"
    return (
        f"orphan correction: {doc}: {what} (its source sentence is no longer in the document; "
        f"edit or delete the row in {where})"
    )
