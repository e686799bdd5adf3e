"""Pin proper nouns and protected spans through machine translation, verified, never dropped.

:func:`pin_translate` — for German/Dutch sentences: replace every glossary match and protected
span with a placeholder the model copies through, translate the whole batch once, put the
canonical term back, and *verify*. Sentences whose placeholders came back lost, doubled or
mangled are translated again piece by piece around the terms ("splice"); whatever still fails
is flagged :data:`LOST_FLAG`. A term is never dropped silently.

Example::

    glossary = load_glossary(Path("glossary.yaml"))
    pinned = pin_translate(["Kim traf Kanye West in Malibu."], "de", glossary, translate)
    pinned[0].english, pinned[0].lost
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

import regex

from toolkit.arguments import GLOSSARY_FIX, require_type, sentence_list
from toolkit.config.glossary import LOST_FLAG, GlossaryConfig
from toolkit.errors import ToolkitError
from toolkit.glossary.match import find_matches, shared_hit, verify_terms
from toolkit.glossary.model import DEFAULT_CONFIG, WORD, Glossary, Match
from toolkit.glossary.spans import Span, find_spans, merge, missing_spans
from toolkit.glossary.splice import Splice, cut, has_words, join, model_inputs
from toolkit.languages import language_code
from toolkit.schema import GlossaryHit, SpanHit

if TYPE_CHECKING:
    from toolkit.translation.feed import More


class TranslatorContractError(ToolkitError):
    """The ``translate`` callable broke its contract (one output string per input string)."""


# --------------------------------------------------------------------------- pinning
#
# Placeholder form: PREFIX + occurrence number, e.g. "ZXQ1", "ZXQ2" (prefix configurable).
# * Plain ASCII capitals and digits are pieces of every SentencePiece vocabulary, so the token
#   never becomes <unk> (brackets like "⟦0⟧" or private-use characters usually do, and <unk>
#   decodes to " ⁇ "); XML-like "<x1>" is split into punctuation pieces models like to drop.
# * A capitalised letters+digits token looks like a code or acronym ("A380", "G7"): models
#   copy those verbatim and rarely inflect them, and it sits where the name sat, so the
#   grammar around it stays that of a proper noun.
# * Numbered per occurrence, in source order, so reordering by the model is harmless and a
#   lost, doubled or merged placeholder is detectable. The protected string depends only on
#   the sentence, the spans matched in it and the prefix: it is a stable translation-cache
#   key, and a glossary edit that does not touch a sentence does not change its key. (A new
#   canonical spelling for a matched entry keeps the key too: terms are restored after.)


@dataclass(frozen=True, slots=True)
class Protected:
    """A sentence prepared for the model.

    ``text`` is the model input: the sentence with each match replaced by its placeholder,
    or the sentence itself when nothing matched. ``usable`` is False when the sentence
    already contains placeholder-like text; such sentences are spliced instead.
    """

    source: str
    matches: tuple[Match | Span, ...]
    """Glossary matches and protected spans (toolkit.glossary.spans), in text order."""
    text: str
    prefix: str
    usable: bool

    @property
    def placeholders(self) -> tuple[str, ...]:
        """``PREFIX1``, ``PREFIX2``, ... one per match (made on demand: they are in ``text``)."""
        return tuple(f"{self.prefix}{n}" for n in range(1, len(self.matches) + 1))


@dataclass(frozen=True, slots=True)
class Pinned:
    """The English for one sentence, with one hit per glossary match in source order."""

    english: str
    hits: list[GlossaryHit] = field(default_factory=list)
    spans: list[SpanHit] = field(default_factory=list)
    """One per protected span (URL, handle, ...) in source order."""
    lost: bool = False
    problem: str | None = None
    """Why the sentence is flagged lost, in words; None when it is not."""
    model_inputs: tuple[str, ...] = ()
    """Every string sent to ``translate`` for this sentence (what a cache is keyed on)."""
    pieces: int = 0
    """How many of the last ``model_inputs`` are splice pieces (0: not spliced)."""

    @property
    def english_inputs(self) -> tuple[str, ...]:
        """The model inputs whose translations make up :attr:`english`: the spliced pieces,
        or the one (protected) sentence; not a first attempt that was thrown away."""
        return self.model_inputs[-self.pieces :] if self.pieces else self.model_inputs

    @property
    def flags(self) -> list[str]:
        """The segment flags this result sets: :data:`LOST_FLAG` when lost."""
        return [LOST_FLAG] if self.lost else []


@functools.lru_cache(maxsize=8)
def _residue(prefix: str) -> regex.Pattern[str]:
    """Anything that looks like a placeholder, in any case or glued to anything."""
    return regex.compile(regex.escape(prefix), regex.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _placeholder_token(prefix: str) -> regex.Pattern[str]:
    """An intact placeholder: the prefix, its number, word boundaries on both sides."""
    return regex.compile(f"(?<!{WORD}){regex.escape(prefix)}([0-9]+)(?!{WORD})")


def protect(
    sentence: str, lang: str, glossary: Glossary, config: GlossaryConfig = DEFAULT_CONFIG
) -> Protected:
    """Replace each glossary match and protected span in ``sentence`` with a numbered
    placeholder.

    Example: "Kim traf Kanye West." -> "ZXQ1 traf ZXQ2." (with entries Kim, Kanye West);
    "Kim auf @kimkardashian" -> "ZXQ1 auf ZXQ2" (a handle is protected as itself).
    """
    prefix = config.placeholder_prefix
    matches = tuple(
        merge(find_matches(sentence, lang, glossary), find_spans(sentence, config.spans))
    )
    if not matches:
        return Protected(sentence, (), sentence, prefix, True)
    out = io.StringIO()  # no list of pieces: one growing buffer
    position = 0
    for number, match in enumerate(matches, start=1):
        out.write(sentence[position : match.start])
        out.write(f"{prefix}{number}")
        position = match.end
    out.write(sentence[position:])
    usable = _residue(prefix).search(sentence) is None
    return Protected(sentence, matches, out.getvalue(), prefix, usable)


def restore(
    output: str, protected: Protected, config: GlossaryConfig = DEFAULT_CONFIG
) -> str | None:
    """Put canonical terms back for placeholders; None unless each came back exactly once.

    Anything else — a placeholder missing, doubled, re-cased, inflected ("ZXQ1s"), split
    ("ZXQ 1"), glued to a word, or an unknown number — returns None, so the caller splices.
    """
    if not protected.matches:
        return output
    token = _placeholder_token(config.placeholder_prefix)
    count = len(protected.matches)
    seen = bytearray(count + 1)  # one byte per placeholder, not three lists of numbers
    out = io.StringIO()
    position = 0
    for found in token.finditer(output):
        digits = found.group(1)
        # int() of a 5,000-digit "number" would raise; nothing that long can be in range.
        number = int(digits) if len(digits.lstrip("0")) <= len(str(count)) else 0
        if not 1 <= number <= count or seen[number]:
            return None
        seen[number] = 1
        out.write(output[position : found.start()])
        out.write(protected.matches[number - 1].term)
        position = found.end()
    if seen.count(1) != count:
        return None
    out.write(output[position:])
    restored = out.getvalue()
    if _residue(config.placeholder_prefix).search(restored):
        return None
    return restored


def _call(translate: Callable[[list[str]], list[str]], inputs: list[str]) -> list[str]:
    """``translate(inputs)``, checked: one string per input (no call for no inputs)."""
    if not inputs:
        return []
    outputs = list(out) if isinstance(out := translate(inputs), list | tuple) else []
    if len(outputs) != len(inputs) or not all(isinstance(o, str) for o in outputs):
        raise TranslatorContractError(
            f"translate returned {len(outputs)} results for {len(inputs)} inputs; "
            "it must return one string per input, in order"
        )
    return outputs


def _hits(
    protected: Protected, strategy: Literal["placeholder", "splice"], lost: Sequence[str] = ()
) -> list[GlossaryHit]:
    """One hit per glossary match in source order; those whose term is in ``lost`` are lost."""
    missing = set(lost)
    return [
        shared_hit(
            match.term, match.matched, strategy, "lost" if match.term in missing else "restored"
        )
        for match in protected.matches
        if isinstance(match, Match)
    ]


def _span_hits(
    protected: Protected, strategy: Literal["placeholder", "splice"], lost: Sequence[str] = ()
) -> list[SpanHit]:
    """One hit per protected span in source order; those in ``lost`` are lost."""
    return [
        SpanHit(
            kind=span.kind,
            text=span.matched,
            strategy=strategy,
            outcome="lost" if span.matched in lost else "restored",
        )
        for span in protected.matches
        if isinstance(span, Span)
    ]


class FedTranslate(Protocol):
    """A ``translate`` that also takes sentences added while it runs
    (:meth:`toolkit.pipeline.recorder.OriginRecorder.translate_fed`)."""

    def __call__(self, batch: list[str]) -> list[str]: ...

    def translate_fed(
        self, batch: list[str], more: More, first: Iterable[str] = ()
    ) -> tuple[list[str], list[str]]: ...


def pin_translate(
    sentences: Iterable[str],
    lang: str,
    glossary: Glossary,
    translate: Callable[[list[str]], list[str]] | FedTranslate,
    config: GlossaryConfig = DEFAULT_CONFIG,
) -> list[Pinned]:
    """Translate ``sentences`` with every glossary term pinned to its canonical form.

    1. Protect every sentence; call ``translate`` once with all model inputs (sentences
       without matches go as they are).
    2. Restore terms where every placeholder came back exactly once and
       :func:`verify_terms` agrees.
    3. Other sentences are spliced: the text pieces between terms of all of them go to
       ``translate`` in one second call, and pieces and canonical terms are joined in
       source order (word order may suffer; the names cannot).
    4. A spliced sentence is ``lost`` if a term is still missing (a piece's translation
       fused with a neighbouring term) or a piece with words came back empty; its English
       is the best effort, its missing terms' hits say 'lost'.

    A ``translate`` with a ``translate_fed`` method (the build's) gets the pieces while its
    first call still runs, each sentence's as soon as its translation is back, and the
    sentences with terms first; the results are the same (a sentence is translated as if
    alone). Sentences made only of terms and punctuation never reach the model.
    ``sentences`` is any iterable of ``str``, read once; a bare ``str`` is refused, as by
    every translate entry point (:func:`toolkit.arguments.sentence_list`).
    """
    sentences = sentence_list(sentences, "pin_translate")
    lang = language_code(lang, "pin_translate(): lang")
    require_type(glossary, Glossary, "pin_translate(): glossary", GLOSSARY_FIX)
    protected = [protect(sentence, lang, glossary, config) for sentence in sentences]
    splicer = _Splicer(protected, lang, glossary, config)
    inputs = [protected[i].text for i in splicer.first]
    fed = getattr(translate, "translate_fed", None)
    if fed is None:
        outputs = _call(translate, inputs)
        for index, output in zip(splicer.first, outputs, strict=True):
            splicer.settle(index, output)
        return splicer.joined(iter(_call(translate, splicer.pieces())))
    # The pieces of sentences that cannot use placeholders are known now: they go along.
    batch = [*inputs, *splicer.pieces()]
    with_terms = [protected[i].text for i in splicer.first if protected[i].matches]
    outputs, added = fed(batch, splicer.more, with_terms)
    if len(outputs) != len(batch) + len(added):
        raise TranslatorContractError(
            f"translate returned {len(outputs)} results for {len(batch) + len(added)} inputs"
        )
    found = dict(zip([*batch, *added], outputs, strict=True))
    # Sentences no batch reported (blank ones: the translator skips them) are settled now.
    late = splicer.more(list(splicer.waiting), [found[text] for text in splicer.waiting])
    found.update(zip(late, _call(translate, late), strict=True))
    return splicer.joined(iter([found[piece] for piece in splicer.pieces()]))


class _Splicer:
    """The sentences of one :func:`pin_translate` call, settled as their translations come
    back: restored, or cut into pieces to splice (``pieces``, in sentence order)."""

    def __init__(
        self, protected: list[Protected], lang: str, glossary: Glossary, config: GlossaryConfig
    ) -> None:
        self.protected = protected
        self.args = (lang, glossary, config)
        self.first = [i for i, p in enumerate(protected) if p.usable and has_words(p)]
        self.results: dict[int, Pinned] = {}
        self.spliced: dict[int, tuple[Splice, list[str]]] = {}
        self.shared: dict[str, str] = {}
        self.waiting: dict[str, list[int]] = {}
        for index in self.first:
            self.waiting.setdefault(protected[index].text, []).append(index)
        for index in sorted(set(range(len(protected))) - set(self.first)):
            assert protected[index].matches  # sentences without matches go to the model
            self.splice(index)

    def settle(self, index: int, output: str) -> list[str]:
        """Sentence ``index`` translated as ``output``: restored, or spliced (its pieces)."""
        pinned = _restored(self.protected[index], output, *self.args)
        if pinned is None:
            return self.splice(index)
        self.results[index] = pinned
        return []

    def splice(self, index: int) -> list[str]:
        """Cut sentence ``index`` into pieces; what the model gets for them."""
        splice = cut(self.protected[index])
        self.spliced[index] = splice, model_inputs(splice, self.shared)
        return self.spliced[index][1]

    def more(self, sources: list[str], outputs: list[str]) -> list[str]:
        """A finished batch (a :class:`~toolkit.translation.feed.Feed`'s ``more``): the
        pieces of its sentences that must be spliced."""
        new: list[str] = []
        for source, output in zip(sources, outputs, strict=True):
            for index in self.waiting.pop(source, ()):
                new += self.settle(index, output)
        return new

    def pieces(self) -> list[str]:
        """The model inputs of every spliced sentence, in sentence order."""
        return [piece for index in sorted(self.spliced) for piece in self.spliced[index][1]]

    def joined(self, translated: Iterator[str]) -> list[Pinned]:
        """Every sentence's result, the spliced ones joined from ``translated`` (one per
        :meth:`pieces`, in that order)."""
        first = set(self.first)
        for index in sorted(self.spliced):
            splice, cores = self.spliced[index]
            item = self.protected[index]
            first_try = (item.text,) if index in first else ()
            self.results[index] = _spliced(
                item, splice, (*first_try, *cores), translated, *self.args
            )
        return [self.results[index] for index in range(len(self.protected))]


def _restored(
    item: Protected, output: str, lang: str, glossary: Glossary, config: GlossaryConfig
) -> Pinned | None:
    """The sentence from its whole-sentence translation ``output``, if every placeholder came
    back exactly once and no term or span is missing; None: it must be spliced."""
    if not item.matches:
        return Pinned(english=output, model_inputs=(item.text,))
    english = restore(output, item, config)
    if (
        english is None
        or verify_terms(item.source, english, lang, glossary)
        or missing_spans(item.source, english, config.spans)
    ):
        return None
    return Pinned(
        english=english,
        hits=_hits(item, "placeholder"),
        spans=_span_hits(item, "placeholder"),
        model_inputs=(item.text,),
    )


def _spliced(
    item: Protected,
    splice: Splice,
    inputs: tuple[str, ...],
    translated: Iterator[str],
    lang: str,
    glossary: Glossary,
    config: GlossaryConfig,
) -> Pinned:
    """The sentence joined from its translated pieces (taken from ``translated``) and terms;
    lost if a term or span is still missing or a piece came back empty. ``inputs``: every
    model input for the sentence, a thrown-away first try first, then its pieces."""
    english, problem = join(splice, item, translated)
    missing = verify_terms(item.source, english, lang, glossary)
    lost_spans = missing_spans(item.source, english, config.spans)
    if missing or lost_spans:
        problem = f"missing after splicing: {', '.join([*missing, *lost_spans])}"
    return Pinned(
        english=english,
        hits=_hits(item, "splice", missing),
        spans=_span_hits(item, "splice", lost_spans),
        lost=problem is not None,
        problem=problem,
        model_inputs=inputs,
        pieces=sum(splice.translate),
    )
