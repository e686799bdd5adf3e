"""Speed benchmarks: preparation throughput, incremental rebuilds, local vs Ray builds.

Run from the project root::

    .venv/bin/python benchmarks/speed.py prepare                # preparation vs ftfy, MB/s
    .venv/bin/python benchmarks/speed.py incremental            # no-op rebuild, add one article
    .venv/bin/python benchmarks/speed.py ray                    # the same build locally and on Ray
    .venv/bin/python benchmarks/speed.py package --model real   # build the benchmark package

The translation benchmark (Argos, the toolkit, raw CTranslate2) is ``benchmarks/translation.py``;
it uses this module's benchmark package.

Data: ``../shared/data/10kGNAD-test.csv`` (1,028 German news articles, see its README).

The benchmark model is built at run time with ``build_argos_package`` (tests/support/),
shaped like a real Argos package (Transformer 6+6 layers, d_model 512, 8 heads, FFN 2048,
SentencePiece ~32k trained on the 10kGNAD articles, int8 weights, outputs of ~30 tokens).
It is cached under ``.benchmarks/packages/<key>/`` (git-ignored), ``key`` hashing the build
parameters and the training data, so reruns do not rebuild it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test support: tiny real Argos packages
DATA = ROOT / ".." / "shared" / "data"
GNAD = DATA / "10kGNAD-test.csv"
CACHE = ROOT / ".benchmarks"


@dataclass(frozen=True)
class ModelShape:
    """Build parameters of a benchmark package (the cache key hashes all of them)."""

    num_layers: int
    d_model: int
    num_heads: int
    ffn_dim: int
    vocab_size: int
    output_length: int
    quantization: str | None
    training_articles: int | None  # None: all of them


MODELS = {
    "real": ModelShape(6, 512, 8, 2048, 32000, 30, "int8", None),
    "tiny": ModelShape(2, 64, 2, 128, 500, 8, None, 50),
}


def load_gnad(path: Path = GNAD) -> list[str]:
    """Article texts of the 10kGNAD CSV (``label;'text'`` a line), in file order."""
    texts = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        _, sep, quoted = line.partition(";")
        if sep and quoted.strip("'"):
            texts.append(quoted.strip("'"))
    return texts


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the benchmark package ---------------------------------------------------------------------


def package_key(shape: ModelShape, texts: list[str]) -> str:
    blob = json.dumps(shape.__dict__, sort_keys=True) + "\0" + "\n".join(texts)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def benchmark_packages_dir(model: str, cache: Path = CACHE, log: Any = print) -> Path:
    """An ARGOS_PACKAGES_DIR holding the ``model`` de->en package; built once, then cached."""
    shape = MODELS[model]
    texts = load_gnad()[: shape.training_articles]
    target = Path(cache) / "packages" / f"{model}-{package_key(shape, texts)}"
    if (target / "done").is_file():
        return target
    from support.argos_package import build_argos_package

    from toolkit.translation.install import install_from_file

    log(f"building the {model} benchmark package into {target} (once) ...")
    start = time.perf_counter()
    shutil.rmtree(target, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="bench-pkg-") as tmp:
        zipped = build_argos_package(
            Path(tmp) / "translate-de_en.argosmodel",
            "de",
            "en",
            texts,
            num_layers=shape.num_layers,
            d_model=shape.d_model,
            num_heads=shape.num_heads,
            ffn_dim=shape.ffn_dim,
            vocab_size=shape.vocab_size,
            output_length=shape.output_length,
        )
        info = install_from_file(zipped, target)
    if shape.quantization:
        _quantize_in_place(info.model_path, shape)
    (target / "done").write_text(json.dumps(shape.__dict__) + "\n", encoding="utf-8")
    log(f"  built in {time.perf_counter() - start:.0f} s")
    return target


def _quantize_in_place(model_dir: Path, shape: ModelShape) -> None:
    """Store the weights quantized, as real Argos packages do (converted with int8).

    ``build_argos_package`` saves float32; the spec is rebuilt from the saved vocabulary
    with the same (deterministic) parameters and saved again with quantized weights.
    """
    from support.argos_package import build_transformer_spec

    vocabulary = json.loads((model_dir / "shared_vocabulary.json").read_text(encoding="utf-8"))
    spec = build_transformer_spec(
        vocabulary,
        num_layers=shape.num_layers,
        d_model=shape.d_model,
        num_heads=shape.num_heads,
        ffn_dim=shape.ffn_dim,
        seed=0,
        output_length=shape.output_length,
    )
    spec._quantize(shape.quantization)  # type: ignore[attr-defined]  # after optimize(None)
    spec.save(str(model_dir))  # type: ignore[attr-defined]


def _subprocess(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"benchmark subprocess {' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


# --- preparation throughput ----------------------------------------------------------------------


def _interleaved(rows: dict[str, Any], passes: int) -> dict[str, list[float]]:
    """Seconds of each of ``passes`` runs per row, the rows taking turns within each pass.

    Taking turns means a burst of load from other processes hits every row alike, so the
    ratio of two rows from one run holds where their MB/s do not.
    """
    times: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(passes):
        for name, run in rows.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def prepare(args: argparse.Namespace) -> int:
    """Preparation vs ``ftfy.fix_text`` on the whole 10kGNAD file, from one interleaved run.

    Two groups of rows, each with its own reference: in-process stages (models loaded before
    timing) and whole processes (interpreter start, imports, language-id model load, reading
    the CSV and the work, timed from outside), the latter with ``--workers`` processes too.
    """
    import ftfy

    from toolkit.prepare.clean import clean_text
    from toolkit.prepare.document import prepare_document
    from toolkit.prepare.segment import split_paragraphs, split_sentences

    texts = load_gnad()[: args.articles]
    data = [t.encode("utf-8") for t in texts]
    mb = sum(len(d) for d in data) / 1e6
    prepare_document(data[0], "original/warm-up.txt")  # load the language-id model

    def clean_and_segment() -> None:
        for text in texts:
            for paragraph in split_paragraphs(clean_text(text).text):
                split_sentences(paragraph, "de")

    def whole(*stage: str) -> Any:
        return lambda: _subprocess(["_prepare_all", *stage, "--articles", str(len(texts))])

    reference = "`ftfy.fix_text` alone (reference)"
    document = "`prepare_document` (decode, clean, boilerplate, language id, segment, record)"
    rows: dict[str, Any] = {
        reference: lambda: [ftfy.fix_text(t) for t in texts],
        "`clean_text`": lambda: [clean_text(t) for t in texts],
        "clean + paragraphs + sentences": clean_and_segment,
        document: lambda: [
            prepare_document(d, f"original/{i:04d}.txt") for i, d in enumerate(data)
        ],
        WHOLE_FTFY: whole("ftfy"),
        WHOLE_PREPARE + "1 process": whole("prepare", "--workers", "1"),
    }
    if args.workers > 1:
        rows[WHOLE_PREPARE + f"{args.workers} processes"] = whole(
            "prepare", "--workers", str(args.workers)
        )
    times = _interleaved(rows, args.passes)
    print(f"10kGNAD: {len(texts)} articles, {mb:.2f} MB UTF-8; {args.passes} interleaved passes")
    print()
    print("| stage | MB/s (best pass) | x ftfy (same run) |")
    print("|---|---:|---:|")
    for name, seconds in times.items():
        ref = min(times[WHOLE_FTFY if name.startswith("whole process") else reference])
        print(f"| {name} | {mb / min(seconds):.2f} | {ref / min(seconds):.2f} |")
    print()
    pairs = {"prepare_document / ftfy.fix_text": (document, reference)}
    for row in times:
        if row.startswith(WHOLE_PREPARE):
            pairs[f"whole process, {row.removeprefix(WHOLE_PREPARE)} / ftfy"] = (row, WHOLE_FTFY)
    for label, (row, ref) in pairs.items():
        ratios = sorted(r / w for r, w in zip(times[ref], times[row], strict=True))
        print(
            f"{label}: {ratios[len(ratios) // 2]:.2f}x (median of the {len(ratios)} passes; "
            f"range {ratios[0]:.2f}-{ratios[-1]:.2f})"
        )
    return 0


WHOLE_FTFY = "whole process: start Python, import ftfy, `ftfy.fix_text` (reference)"
WHOLE_PREPARE = "whole process: start, imports, language-id model, `prepare_document`, "


def prepare_all(args: argparse.Namespace) -> int:
    """Entry point of one whole-process row: every 10kGNAD article through ``args.stage``.

    ``prepare`` goes through the build's own executor (:class:`LocalExecutor`, a process
    pool when ``--workers`` > 1, the language-id model loaded before forking).
    """
    texts = load_gnad()[: args.articles]
    if args.stage == "ftfy":
        import ftfy

        done = len([ftfy.fix_text(t) for t in texts])
    else:
        from toolkit.config.prepare import PrepareConfig
        from toolkit.pipeline.executor import LocalExecutor

        items = [(f"original/{i:04d}.txt", t.encode("utf-8")) for i, t in enumerate(texts)]
        done = len(LocalExecutor(processes=args.workers).prepare_many(items, PrepareConfig()))
    json.dump({"articles": done}, sys.stdout)
    return 0


# --- incremental builds --------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    """Entry point of one build's subprocess: build_corpus time, summary and peak memory."""
    from toolkit.glossary.load import load_glossary
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.provider import ArgosProvider

    root = Path(args.root)
    glossary = load_glossary(ROOT / "glossary.yaml")
    if args.executor == "ray":
        from toolkit.pipeline.ray_executor import RayExecutor

        start = time.perf_counter()
        with RayExecutor(workers=args.workers) as ray:
            provider = ray.provider(packages_dir=Path(args.packages), cache_dir=root / ".cache")
            summary = build_corpus(root, provider=provider, glossary=glossary, executor=ray)
            seconds = time.perf_counter() - start
    else:
        provider = ArgosProvider(packages_dir=Path(args.packages), cache_dir=root / ".cache")
        start = time.perf_counter()
        summary = build_corpus(root, provider=provider, glossary=glossary)
        seconds = time.perf_counter() - start
        provider.close()
    json.dump(
        {"seconds": seconds, "lines": summary.lines()[:2], "peak_rss_mb": peak_rss_mb()},
        sys.stdout,
    )
    return 0


def incremental(args: argparse.Namespace) -> int:
    """Full build of the 1,028 articles (tiny model), a no-op rebuild, then one added article."""
    packages = benchmark_packages_dir("tiny", args.cache, _log)
    texts = load_gnad()[: args.articles]
    rows: list[tuple[str, float, float | None, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-incr-") as tmp:
        root = Path(tmp) / "corpus"
        (root / "original").mkdir(parents=True)
        for i, text in enumerate(texts):
            (root / "original" / f"{i:04d}.txt").write_text(text, encoding="utf-8")
        build = ["_build", "--root", str(root), "--packages", str(packages)]

        def timed(label: str) -> None:
            start = time.perf_counter()
            r = _subprocess(build)
            wall = time.perf_counter() - start
            rows.append((label, r["seconds"], wall, r["lines"][0]))
            if label.startswith("full"):
                rows.append(("  peak RSS of the full build, MB", r["peak_rss_mb"], None, ""))

        timed(f"full build, {len(texts)} articles (cache empty)")
        timed("no-op rebuild")
        cli = [str(ROOT / ".venv" / "bin" / "toolkit"), "build", str(root), "-q"]
        cli += ["--packages-dir", str(packages), "--glossary", str(ROOT / "glossary.yaml")]
        start = time.perf_counter()
        out = subprocess.run(cli, capture_output=True, text=True, check=False)
        rows.append(
            (
                "no-op rebuild, `toolkit build` CLI",
                time.perf_counter() - start,
                None,
                out.stdout.splitlines()[0] if out.stdout else out.stderr.strip(),
            )
        )
        seed = ROOT / "corpus" / "original"
        new = sorted(seed.glob("000_*.txt"))[0]
        shutil.copy(new, root / "original" / "new-article.txt")
        timed("add one article (German seed 000)")
    print(f"{len(texts)} 10kGNAD articles, tiny model ({MODELS['tiny']}), shipped glossary")
    print()
    print("| step | build_corpus s | subprocess wall s | summary |")
    print("|---|---:|---:|---|")
    for label, seconds, wall, line in rows:
        wall_s = f"{wall:.2f}" if wall is not None else ""
        print(f"| {label} | {seconds:.2f} | {wall_s} | {line} |")
    return 0


def ray_vs_local(args: argparse.Namespace) -> int:
    """The same fresh build of N 10kGNAD articles (tiny model), locally and on a local Ray."""
    packages = benchmark_packages_dir("tiny", args.cache, _log)
    texts = load_gnad()[: args.articles]
    rows = []
    outputs: dict[str, dict[str, bytes]] = {}
    for executor in ("local", "ray"):
        with tempfile.TemporaryDirectory(prefix=f"bench-{executor}-") as tmp:
            root = Path(tmp) / "corpus"
            (root / "original").mkdir(parents=True)
            for i, text in enumerate(texts):
                (root / "original" / f"{i:04d}.txt").write_text(text, encoding="utf-8")
            build = ["_build", "--root", str(root), "--packages", str(packages)]
            build += ["--executor", executor, "--workers", str(args.workers)]
            start = time.perf_counter()
            r = _subprocess(build)
            rows.append((executor, r["seconds"], time.perf_counter() - start, r["peak_rss_mb"]))
            outputs[executor] = {p.name: p.read_bytes() for p in (root / "english").iterdir()}
    same = outputs["local"] == outputs["ray"]
    print(f"{len(texts)} 10kGNAD articles, tiny model, fresh build (empty cache), shipped glossary")
    print()
    print("| executor | build s (incl. Ray start) | subprocess wall s | driver peak RSS MB |")
    print("|---|---:|---:|---:|")
    for executor, seconds, wall, rss in rows:
        print(f"| {executor} | {seconds:.1f} | {wall:.1f} | {rss:.0f} |")
    print()
    print(f"outputs byte-identical: {same}; ray/local time: {rows[1][1] / rows[0][1]:.2f}x")
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="benchmark package cache")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("package", help="build (or find) the benchmark package, print its dir")
    p.add_argument("--model", choices=sorted(MODELS), default="real")
    p = sub.add_parser("prepare", help="preparation vs ftfy.fix_text, MB/s and ratio")
    p.add_argument("--passes", type=int, default=5)
    p.add_argument("--workers", type=int, default=1, help="also time a process pool if > 1")
    p.add_argument("--articles", type=int, default=1028, help="the first N articles (smoke)")
    p = sub.add_parser("_prepare_all", help=argparse.SUPPRESS)
    p.add_argument("stage", choices=["ftfy", "prepare"])
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--articles", type=int, default=1028)
    p = sub.add_parser("incremental", help="full build, no-op rebuild, one added article")
    p.add_argument("--articles", type=int, default=1028)
    p = sub.add_parser("ray", help="the same build locally and on a local Ray")
    p.add_argument("--articles", type=int, default=1028)
    p.add_argument("--workers", type=int, default=2)
    p = sub.add_parser("_build", help=argparse.SUPPRESS)
    p.add_argument("--root", required=True)
    p.add_argument("--packages", required=True)
    p.add_argument("--executor", choices=["local", "ray"], default="local")
    p.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.command == "package":
        print(benchmark_packages_dir(args.model, args.cache, _log))
        return 0
    if args.command == "_build":
        return run_build(args)
    commands = {
        "prepare": prepare,
        "_prepare_all": prepare_all,
        "incremental": incremental,
        "ray": ray_vs_local,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Child processes use bytecode caches, as on any installed machine (benchmarks/startup.py).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
