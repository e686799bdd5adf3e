"""Translation benchmark (issue 19): argostranslate, the toolkit and raw CTranslate2, one run.

Run from the project root (``make bench`` runs the first line)::

    .venv/bin/python benchmarks/translation.py                        # 20 articles, full grid
    .venv/bin/python benchmarks/translation.py --articles 3 --grid quick --repeat 1  # smoke

Every configuration runs in its own child process, so its peak memory (``ru_maxrss`` of that
child, from ``os.wait4``) is its own. Repetitions are interleaved (round 1 runs every
configuration once, then round 2 ...) and each configuration's best time counts: on a shared
machine noise only ever slows a run down, and interleaving spreads load over all of them, so
the *ratios* of one run are what to read. The table goes to stdout and to ``--out``.

What runs (beam 4, length penalty 0.2, max_decoding_length 256, int8, same sentences: the
toolkit's segmentation of the articles, in document order):

- ``argos-default``: ``argostranslate.translate.apply_packaged_translation`` per paragraph,
  argostranslate's own threads and batch size (compute type pinned to int8 like the rest).
  ``argostranslate.translate`` imports stanza, torch and spaCy, so it only ever runs in its
  child; stanza's sentence models cannot be downloaded here, so Argos gets the toolkit's
  splitter as its sentencizer (the same sentences every other path translates).
- ``argos-threads``: the same with the toolkit's threads (inter x intra).
- ``toolkit-cli``: the whole process ``toolkit build --no-cache --no-glossary --no-repair``
  on a fresh corpus of the articles (start-up, preparation, QA and writing included).
- ``toolkit-inproc``: ``build_corpus`` in-process with the same settings, imports excluded.
- ``raw-*``: CTranslate2 alone on the pre-tokenized sentences, warm model, decoding only
  (tokenizing and model load excluded): one ``translate_batch`` (``sync``), length-sorted or
  unsorted chunks submitted with ``asynchronous=True`` (``async``), ``translate_iterable``,
  batches of one token length (``equal-length``: the toolkit's composition-independent
  batching, the cost of determinism is its time against the best padded configuration) and
  every sentence in a batch of its own (``alone``: the reference "as if alone").

Repair is off (``--no-repair``) in the toolkit rows: the benchmark model has random weights,
so QA flags nearly every output as cut off and repair would re-decode most sentences up to six
times more (measured separately by ``benchmarks/repair.py``). Span protection and the rest of
the build stay as shipped; a sentence holding a URL or handle reaches the model with a
placeholder, so it can differ from the raw rows (counted in the table's notes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import CACHE, MODELS, ROOT, benchmark_packages_dir, load_gnad
from startup import unpack_toolkit

# Decoding of every row: what the toolkit's TranslationSettings and Argos use.
BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
MAX_DECODING_LENGTH = 256

# Argos reads its settings from the environment at import time. Its default compute type
# ("auto") is pinned to the toolkit's int8 so that every row computes with the same weights.
ARGOS_ENV = {"ARGOS_COMPUTE_TYPE": "int8", "ARGOS_DEVICE_TYPE": "cpu"}
INTER, INTRA = 2, 1  # the toolkit's defaults (TranslationSettings)


@dataclass(frozen=True)
class Config:
    """One benchmarked configuration: ``kind`` picks the runner, ``params`` its options."""

    name: str
    kind: str  # argos | cli | inproc | raw
    params: dict[str, Any] = field(default_factory=dict)
    quick: bool = False  # part of --grid quick


def _raw(mode: str, size: int = 0, batch_type: str = "tokens", quick: bool = False) -> Config:
    suffix = f"-{size}{'t' if batch_type == 'tokens' else 'ex'}" if size else ""
    return Config(f"raw-{mode}{suffix}", "raw", {"mode": mode, "size": size, "type": batch_type},
                  quick)  # fmt: skip


CONFIGS = [
    Config("argos-default", "argos", {"threads": False}, True),
    Config("argos-threads", "argos", {"threads": True}, True),
    Config("toolkit-cli", "cli", {}, True),
    Config("toolkit-inproc", "inproc", {}, True),
    *[_raw("sync", n, quick=n == 1024) for n in (256, 512, 1024, 2048)],
    _raw("sync", 32, "examples"),
    *[_raw("async-sorted", n, quick=n == 1024) for n in (256, 512, 1024, 2048)],
    _raw("async-unsorted", 1024),
    *[_raw("iterable", n, quick=n == 1024) for n in (1024, 2048)],
    _raw("equal-length", 2048, quick=True),
    _raw("alone", quick=True),
]
BY_NAME = {c.name: c for c in CONFIGS}


# --- inputs ---------------------------------------------------------------------------------


def write_corpus(root: Path, articles: int) -> None:
    """A fresh corpus of the first ``articles`` 10kGNAD articles (``original/NNNN.txt``)."""
    (root / "original").mkdir(parents=True)
    for i, text in enumerate(load_gnad()[:articles]):
        (root / "original" / f"{i:04d}.txt").write_text(text, encoding="utf-8")


def read_built(root: Path) -> tuple[list[str], list[str]]:
    """Sources and English of the machine-translated rows of a built corpus, in order."""
    from toolkit.corpus.formats import parse_aligned_tsv

    sources, english = [], []
    for tsv in sorted((root / "english").glob("*.aligned.tsv")):
        for row in parse_aligned_tsv(tsv.read_text(encoding="utf-8")):
            if row.origin == "machine":
                sources.append(row.source)
                english.append(row.english)
    return sources, english


def _package(packages: Path) -> Path:
    (pkg_dir,) = [p for p in packages.iterdir() if p.is_dir()]
    return pkg_dir


def _detokenize(sp: Any, pieces: list[str]) -> str:
    """What ``toolkit.translation.translator.Translator`` makes of one hypothesis."""
    text = sp.decode_pieces(pieces).replace("▁", " ")
    return text[1:] if text.startswith(" ") else text


# --- runners (each in its own child process) --------------------------------------------------


def run_argos(packages: Path, sentences: list[str], paragraphs: list[str]) -> dict[str, Any]:
    """``apply_packaged_translation`` per paragraph, the toolkit's splitter as sentencizer; a
    wrapper records each sentence's hypothesis so outputs compare sentence by sentence."""
    import argostranslate.translate as argos_translate
    from argostranslate import settings
    from argostranslate.package import Package

    from toolkit.prepare.segment import split_sentences

    pkg = Package(_package(packages))

    class Sentencizer:
        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text, pkg.from_code)

    class Recording:
        def __init__(self, inner: Any) -> None:
            self.inner, self.results = inner, []

        def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
            out = self.inner.translate_batch(*args, **kwargs)
            self.results.extend(out)
            return out

    model = Recording(argos_translate.ctranslate2.Translator(
        str(pkg.package_path / "model"), device=settings.device,
        inter_threads=settings.inter_threads, intra_threads=settings.intra_threads,
        compute_type=settings.compute_type,
    ))  # fmt: skip
    start = time.perf_counter()
    for paragraph in paragraphs:
        argos_translate.apply_packaged_translation(
            pkg, paragraph, model, Sentencizer(), num_hypotheses=1
        )
    seconds = time.perf_counter() - start
    sp = pkg.tokenizer.lazy_processor()
    by_source = {}
    for source, result in zip(_argos_sentences(paragraphs, pkg.from_code), model.results,
                              strict=True):  # fmt: skip
        by_source.setdefault(source, _detokenize(sp, result.hypotheses[0]))
    return {
        "outputs": [by_source.get(s, "") for s in sentences],
        "seconds": seconds,
        "threads": f"{settings.inter_threads}×{settings.intra_threads}",
        "batch": f"{settings.batch_size} examples",
    }


def _argos_sentences(paragraphs: list[str], lang: str) -> list[str]:
    from toolkit.prepare.segment import split_sentences

    return [s for p in paragraphs for s in split_sentences(p, lang)]


def run_inproc(packages: Path, articles: int) -> dict[str, Any]:
    """``build_corpus`` on a fresh corpus, no cache, no glossary, repair off."""
    from toolkit.config.build import BuildConfig
    from toolkit.config.translation import RepairPolicy, TranslationSettings
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.provider import ArgosProvider

    with tempfile.TemporaryDirectory(prefix="bench-inproc-") as tmp:
        root = Path(tmp) / "corpus"
        write_corpus(root, articles)
        config = BuildConfig(translation=TranslationSettings(repair=RepairPolicy(enabled=False)))
        start = time.perf_counter()
        provider = ArgosProvider(packages_dir=packages, cache_dir=None)
        build_corpus(root, provider=provider, glossary=Glossary.empty(), config=config)
        seconds = time.perf_counter() - start
        sources, english = read_built(root)
    s = provider.settings
    return {
        "sources": sources, "outputs": english, "seconds": seconds,
        "threads": f"{s.inter_threads}×{s.intra_threads}",
        "batch": f"one token length, ≤ {s.max_batch_size} tokens",
    }  # fmt: skip


def run_raw(packages: Path, sentences: list[str], params: dict[str, Any]) -> dict[str, Any]:
    """CTranslate2 alone on the pre-tokenized sentences; the time is decoding only."""
    import ctranslate2
    import sentencepiece as spm

    pkg_dir = _package(packages)
    sp = spm.SentencePieceProcessor(model_file=str(pkg_dir / "sentencepiece.model"))
    tokens: list[list[str]] = sp.encode(sentences, out_type=str)
    model = ctranslate2.Translator(str(pkg_dir / "model"), device="cpu", compute_type="int8",
                                   inter_threads=INTER, intra_threads=INTRA)  # fmt: skip
    options = {"beam_size": BEAM_SIZE, "length_penalty": LENGTH_PENALTY,
               "replace_unknowns": True, "max_decoding_length": MAX_DECODING_LENGTH}  # fmt: skip
    mode, size, batch_type = params["mode"], params["size"], params["type"]
    start = time.perf_counter()
    if mode == "sync":
        results = model.translate_batch(tokens, max_batch_size=size, batch_type=batch_type,
                                        **options)  # fmt: skip
    elif mode == "iterable":
        results = list(model.translate_iterable(tokens, max_batch_size=size,
                                                batch_type=batch_type, **options))  # fmt: skip
    else:
        batches = _batches(tokens, mode, size)
        futures = [model.translate_batch([tokens[i] for i in b], asynchronous=True, **options)
                   for b in batches]  # fmt: skip
        results = [None] * len(tokens)
        for batch, batch_futures in zip(batches, futures, strict=True):
            for i, f in zip(batch, batch_futures, strict=True):
                results[i] = f.result()
    seconds = time.perf_counter() - start
    batch = f"{size} {batch_type}" if size else "1 sentence"
    return {
        "outputs": [_detokenize(sp, r.hypotheses[0]) for r in results],
        "seconds": seconds, "threads": f"{INTER}×{INTRA}", "batch": batch,
    }  # fmt: skip


def _batches(tokens: list[list[str]], mode: str, size: int) -> list[list[int]]:
    """Index batches for the async modes: each padded batch (longest × count) ≤ ``size``
    tokens; ``equal-length`` batches hold one token length only; ``alone`` one sentence."""
    order = list(range(len(tokens)))
    if mode == "alone":
        return [[i] for i in order]
    if mode != "async-unsorted":
        order.sort(key=lambda i: len(tokens[i]))
    batches: list[list[int]] = []
    longest = 0  # of the last batch
    for i in order:
        n = len(tokens[i])
        fits = bool(batches) and max(n, longest) * (len(batches[-1]) + 1) <= size
        if mode == "equal-length":
            fits = fits and n == longest
        if fits:
            batches[-1].append(i)
            longest = max(longest, n)
        else:
            batches.append([i])
            longest = n
    return batches


# --- the parent: inputs, interleaved rounds, the table ------------------------------------------


def prepare_inputs(articles: int) -> dict[str, list[str]]:
    """The toolkit's segmentation of the articles: the distinct sentences the build sends to
    the model (not those already in English), and every paragraph (what Argos gets)."""
    from toolkit.prepare.document import prepare_document

    sentences: list[str] = []
    paragraphs: list[str] = []
    for i, text in enumerate(load_gnad()[:articles]):
        record = prepare_document(text.encode("utf-8"), f"original/{i:04d}.txt")
        by_paragraph: dict[int, list[str]] = {}
        for seg in record.segments:
            by_paragraph.setdefault(seg.paragraph, []).append(seg.source)
            language = seg.language.language if seg.language else None
            if language != record.target_language:
                sentences.append(seg.source)
        paragraphs += [" ".join(p) for p in by_paragraph.values()]
    return {"sentences": list(dict.fromkeys(sentences)), "paragraphs": paragraphs}


def run_child(args: argparse.Namespace) -> int:
    """Entry point of one configuration's child: its result as JSON in ``args.result``."""
    config = BY_NAME[args.config]
    packages = Path(args.packages)
    inputs = json.loads(Path(args.inputs).read_text(encoding="utf-8"))
    if config.kind == "argos":
        result = run_argos(packages, inputs["sentences"], inputs["paragraphs"])
    elif config.kind == "inproc":
        result = run_inproc(packages, args.articles)
    else:
        result = run_raw(packages, inputs["sentences"], config.params)
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


def _wait(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float]:
    """Run ``command``; its wall seconds, peak RSS in MB (``ru_maxrss`` from wait4) and CPU
    seconds (user + system, all its threads: moves less than wall time under load)."""
    start = time.perf_counter()
    with log.open("w") as err:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=err, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{log.read_text()}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def run_config(config: Config, args: argparse.Namespace, packages: Path, tmp: Path) -> dict:
    """One child process of ``config``: its result, with ``peak_rss_mb``."""
    env = dict(os.environ)
    if config.kind == "argos":
        env.update(ARGOS_ENV)
        if config.params["threads"]:
            env.update({"ARGOS_INTER_THREADS": str(INTER), "ARGOS_INTRA_THREADS": str(INTRA)})
    if config.kind == "cli":
        root = Path(tempfile.mkdtemp(prefix="corpus-", dir=tmp)) / "corpus"
        write_corpus(root, args.articles)
        toolkit = Path(sys.executable).parent / "toolkit"
        command = [str(toolkit), "build", str(root), "--no-cache", "--no-glossary",
                   "--no-repair", "-q", "--packages-dir", str(packages)]  # fmt: skip
        if "pythonpath" in config.params:  # --against: the toolkit of another revision
            env["PYTHONPATH"] = config.params["pythonpath"]
        seconds, rss, cpu = _wait(command, env, tmp / "cli.log")
        sources, english = read_built(root)
        return {"sources": sources, "outputs": english, "seconds": seconds, "peak_rss_mb": rss,
                "cpu": cpu, "threads": f"{INTER}×{INTRA}", "batch": "one token length"}  # fmt: skip
    result_file = tmp / f"{config.name}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "_child", config.name,
               "--packages", str(packages), "--articles", str(args.articles),
               "--inputs", str(tmp / "inputs.json"), "--result", str(result_file)]  # fmt: skip
    _, rss, cpu = _wait(command, env, tmp / f"{config.name}.log")
    result = json.loads(result_file.read_text(encoding="utf-8"))
    result["peak_rss_mb"] = rss
    result["cpu"] = cpu  # the whole child: model load and tokenizing included
    return result


def _aligned(result: dict[str, Any], sentences: list[str]) -> list[str]:
    """A build's outputs in the order of ``sentences`` (builds list every occurrence)."""
    if "sources" not in result:
        return result["outputs"]
    by_source = dict(zip(result["sources"], result["outputs"], strict=True))
    return [by_source.get(s, "\0missing") for s in sentences]


def table(args: argparse.Namespace, sentences: list[str], n_tokens: int,
          results: dict[str, dict[str, Any]]) -> str:  # fmt: skip
    """The Markdown report of one run."""
    outputs = {name: _aligned(r, sentences) for name, r in results.items()}

    def same(name: str, ref: str) -> str:
        if ref not in outputs:
            return "—"
        return f"{sum(a == b for a, b in zip(outputs[name], outputs[ref], strict=True))}"

    raw = {n: r["seconds"] for n, r in results.items() if n.startswith("raw-")}
    padded = {n: s for n, s in raw.items() if n not in ("raw-equal-length-2048t", "raw-alone")}
    best = min(padded, key=padded.__getitem__) if padded else None
    n = len(sentences)
    lines = [
        f"{args.articles} 10kGNAD articles: {n} distinct sentences to translate, {n_tokens} "
        f"source tokens; model `{args.model}`; beam {BEAM_SIZE}, length penalty "
        f"{LENGTH_PENALTY}, max_decoding_length {MAX_DECODING_LENGTH}, int8; best of "
        f"{args.repeat} interleaved rounds.",
        "",
        "| configuration | threads | batch | best s | its CPU s | sentences/s | best raw ÷ this "
        f"| peak RSS MB | same as toolkit-cli (of {n}) | same as raw-alone (of {n}) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        share = f"{padded[best] / r['seconds']:.2f}" if best else "—"
        lines.append(
            f"| {name} | {r['threads']} | {r['batch']} | {r['seconds']:.2f} | {r['cpu']:.2f} "
            f"| {n / r['seconds']:.1f} | {share} | {r['peak_rss_mb']:.0f} "
            f"| {same(name, 'toolkit-cli')} | {same(name, 'raw-alone')} |"
        )
    lines.append("")
    if best:
        lines.append(f"Best raw (padded) configuration: **{best}**, {padded[best]:.2f} s.")
    for tk in ("toolkit-cli", "toolkit-inproc", *(n for n in results if "@" in n)):
        if best and tk in results:
            lines.append(
                f"b/c ({tk}, best raw ÷ {tk}): **{padded[best] / results[tk]['seconds']:.2f}**"
            )
        for argos in ("argos-default", "argos-threads"):
            if tk in results and argos in results:
                ratio = results[argos]["seconds"] / results[tk]["seconds"]
                lines.append(f"{tk} vs {argos}: **{ratio:.2f}×** faster")
    lines += _span_notes(sentences, outputs)
    if best and "raw-equal-length-2048t" in raw:
        cost = raw["raw-equal-length-2048t"] / padded[best]
        lines.append(f"Cost of determinism (raw equal-length ÷ best raw padded): **{cost:.2f}×**")
    return "\n".join(lines)


def _span_notes(sentences: list[str], outputs: dict[str, list[str]]) -> list[str]:
    """Where the toolkit rows differ from ``raw-alone``, and how many of those sentences hold
    a protected span (the build sends those with placeholders, or spliced)."""
    from toolkit.config.glossary import SpanConfig
    from toolkit.glossary.spans import find_spans

    with_span = {i for i, s in enumerate(sentences) if find_spans(s, SpanConfig())}
    lines = [f"Sentences holding a protected span (URL, e-mail, handle ...): {len(with_span)}."]
    for name in ("toolkit-cli", "toolkit-inproc"):
        if name in outputs and "raw-alone" in outputs:
            pairs = zip(outputs[name], outputs["raw-alone"], strict=True)
            differ = [i for i, (a, b) in enumerate(pairs) if a != b]
            spans = sum(i in with_span for i in differ)
            lines.append(f"{name} differs from raw-alone in {len(differ)} sentences, "
                         f"{spans} of them with a protected span.")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="benchmark package cache")
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("_child", help=argparse.SUPPRESS)
    child.add_argument("config", choices=sorted(BY_NAME))
    for flag in ("--packages", "--inputs", "--result"):
        child.add_argument(flag, required=True)
    child.add_argument("--articles", type=int, required=True)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="interleaved rounds; best counts")
    parser.add_argument("--grid", choices=["quick", "full"], default="full")
    parser.add_argument("--model", choices=sorted(MODELS), default="real", help="tiny: smoke")
    parser.add_argument("--only", nargs="+", choices=sorted(BY_NAME), help="these configurations")
    parser.add_argument("--out", type=Path, default=CACHE / "translation.md")
    parser.add_argument(
        "--against", metavar="REV", help="also run toolkit-cli with the toolkit of revision REV"
    )
    args = parser.parse_args(argv)
    if args.command == "_child":
        return run_child(args)
    packages = benchmark_packages_dir(args.model, args.cache, lambda m: print(m, file=sys.stderr))
    configs = [c for c in CONFIGS if args.grid == "full" or c.quick]
    if args.only:
        configs = [BY_NAME[name] for name in args.only]
    inputs = prepare_inputs(args.articles)
    with tempfile.TemporaryDirectory(prefix="bench-against-") as against:
        if args.against:
            tree = unpack_toolkit(args.against, Path(against) / "tree")
            configs.append(Config(f"toolkit-cli@{args.against}", "cli", {"pythonpath": str(tree)}))
        return _run(args, configs, packages, inputs, argv)


def _run(args: argparse.Namespace, configs: list[Config], packages: Path,
         inputs: dict[str, list[str]], argv: list[str] | None) -> int:  # fmt: skip
    """The interleaved rounds of ``configs``; the report to stdout and ``args.out``."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(_package(packages) / "sentencepiece.model"))
    n_tokens = sum(len(t) for t in sp.encode(inputs["sentences"]))
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-translation-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "inputs.json").write_text(json.dumps(inputs), encoding="utf-8")
        for round_ in range(args.repeat):
            for config in configs:
                r = run_config(config, args, packages, tmp)
                print(f"round {round_ + 1} {config.name}: {r['seconds']:.2f} s, "
                      f"CPU {r['cpu']:.2f} s", file=sys.stderr)  # fmt: skip
                if config.name not in results or r["seconds"] < results[config.name]["seconds"]:
                    results[config.name] = r
    report = table(args, inputs["sentences"], n_tokens, results)
    command = "benchmarks/translation.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report = f"Command: `.venv/bin/python {command.strip()}`\n\n{report}\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
