"""How a 20-article build decodes: CTranslate2 batches, single-sentence batches, the
translation step's wall and CPU seconds, and a digest of the English it writes.

Issue 19 (session 9): the glossary's splice pieces join the running call instead of a second
call after it; the batch counts show it without depending on the machine's load. Run it with
each tree on ``PYTHONPATH`` (interleave the runs) and compare::

    PYTHONPATH=. .venv/bin/python benchmarks/translation_batches.py
    git archive 25ce99c toolkit | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/translation_batches.py

One JSON line: ``build_s``/``cpu`` (the whole in-process build), ``pin_s``/``pin_cpu``
(``pin_translate``: decoding and splicing), ``batches``, ``single``, ``english_sha``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import CACHE, benchmark_packages_dir
from translation import write_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--cache", type=Path, default=CACHE, help="benchmark package cache")
    args = parser.parse_args()
    packages = benchmark_packages_dir("real", args.cache, lambda m: print(m, file=sys.stderr))
    import toolkit
    import toolkit.pipeline.translate_step as step
    import toolkit.translation.translator as translator

    sizes: list[int] = []
    submit = translator.Translator._submit

    def counting(self: Any, batch: list[list[str]], *rest: Any, **kwargs: Any) -> Any:
        sizes.append(len(batch))
        return submit(self, batch, *rest, **kwargs)

    translator.Translator._submit = counting  # type: ignore[method-assign]
    pin, spent = step.pin_translate, {}

    def timed(*rest: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return pin(*rest, **kwargs)
        finally:
            spent["pin_s"] = round(time.perf_counter() - wall, 2)
            spent["pin_cpu"] = round(time.process_time() - cpu, 2)

    step.pin_translate = timed  # type: ignore[assignment]
    from toolkit.cli.app import main as cli

    with tempfile.TemporaryDirectory(prefix="bench-batches-") as tmp:
        root = Path(tmp) / "corpus"
        write_corpus(root, args.articles)
        sys.argv = ["toolkit", "build", str(root), "--no-cache", "--no-glossary", "--no-repair",
                    "-q", "--packages-dir", str(packages)]  # fmt: skip
        start = time.perf_counter()
        try:
            cli()
        except SystemExit as exc:
            if exc.code:
                raise
        digest = hashlib.sha256()
        for path in sorted((root / "english").glob("*")):
            if path.suffix in (".txt", ".tsv"):
                digest.update(path.name.encode() + path.read_bytes())
        result = {"toolkit": str(Path(toolkit.__file__).parent),
                  "build_s": round(time.perf_counter() - start, 2),
                  "cpu": round(time.process_time(), 2), **spent, "batches": len(sizes),
                  "single": sizes.count(1), "english_sha": digest.hexdigest()[:16]}  # fmt: skip
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
