"""Legacy-encoding benchmark: does ``toolkit.prepare.decode`` give back the exact text?

Real German, Dutch and English text (which nobody on this project wrote) is re-encoded in
cp1252, Latin-1, ISO-8859-15, cp1250, cp1254, the DOS code pages cp850 and cp437, Mac Roman and
UTF-16/32 with a byte-order mark, in three code pages the decoder does not guess (ISO-8859-2,
cp852, cp1257) and as a file whose first half is cp1252 and second half cp850 (no code page is
right for it: it must be refused or reported), decoded with
:func:`toolkit.prepare.decode.decode_bytes`, and compared with the UTF-8 original. A document counts
only if the decoded text is identical, character for character. Documents a code page cannot
represent (an ``è`` in cp1250, a ``€`` in Latin-1) are skipped and counted.

Data
----
* UD treebanks German-GSD, Dutch-Alpino, Dutch-LassySmall, English-EWT: the ``# text =``
  lines, every ``GROUP`` (20) consecutive sentences one document. The *train* split is used
  when the treebank has one on disk; the snapshots this was measured on lack the train files
  (they are over 4 MiB), so the dev and test splits are used instead.
  The sentences are not committed; extract them once into ``benchmarks/data/`` (git-ignored)::

      git clone --depth 1 https://github.com/UniversalDependencies/UD_German-GSD ...   # etc.
      .venv/bin/python benchmarks/legacy_encodings.py extract UD_German-GSD UD_Dutch-Alpino \\
          UD_Dutch-LassySmall UD_English-EWT

  (each argument is a checkout or a bare git directory of one treebank).
* ``../shared/data/10kGNAD-test.csv``: 1,028 Austrian news articles, one document each; they
  carry Czech, Polish, Croatian, Turkish and Hungarian names.
* ``NAMES``: accented names and loan words, each one short document (the hardest case: a
  few bytes of evidence).

Run from the project root::

    .venv/bin/python benchmarks/legacy_encodings.py             # the table in BENCHMARKS.md
    .venv/bin/python benchmarks/legacy_encodings.py --baseline  # and the charset-normalizer rule

Speed against an older commit, interleaved document by document (``--against``)::

    .venv/bin/python benchmarks/legacy_encodings.py --against 8f5e698

Held-out text (sentences no rule was tuned on), measured alone with ``--data``::

    .venv/bin/python benchmarks/legacy_encodings.py extract --into benchmarks/data/heldout \
        UD_German-PUD UD_German-LIT UD_English-PUD UD_English-GUM
    .venv/bin/python benchmarks/legacy_encodings.py --data benchmarks/data/heldout

For each encoding the table gives: documents, of which skipped (not representable), of the
rest how many contain a byte >= 0x80 (pure ASCII decodes trivially), how many decoded
byte-identical, how many were refused (``InputError``: "re-save it as UTF-8, or name its
encoding"), and of the other wrong ones how many were reported as ambiguous (``candidates``
non-empty) and how many were wrong silently — plus how many right ones were needlessly
reported ambiguous.
"""

from __future__ import annotations

import argparse
import atexit
import codecs
import contextlib
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from toolkit.config.prepare import DecodeConfig
from toolkit.errors import InputError
from toolkit.prepare.decode import Decoded, decode_bytes

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "data" / "encodings"
SHARED = ROOT / ".." / "shared" / "data"
GROUP = 20

NAMES = [
    "Hélène",
    "Zoë",
    "Søren",
    "Crème brûlée",
    "carrière",
    "première",
    "Ångström",
    "Øresund",
    "façade",
    "naïve",
    "Björn Borg",
    "Gérard Depardieu",
    "Müller-Lüdenscheidt",
    "Straße",
    "Curaçao",
    "piñata",
    "Ærø",
    "Málaga",
    "São Paulo",
    "Françoise Hardy",
    "Noël",
    "coördinatie",
    "reünie",
    "België",
    "één",
    "café crème",
    "à la carte",
    "Île-de-France",
    "Lech Wałęsa",
    "Antonín Dvořák",
    "Łódź",
    "Miloš Forman",
    "Václav Havel",
    "Škoda",
    "Dražen Petrović",
    "Orbán Viktor",
    "Erdoğan",
    "Kraków",
    "Brontë",
    "Citroën",
    "Peñarol",
    "Jürgen Klopp",
    "Zürich",
    "Ølstykke",
    "smørrebrød",
    "Hôtel de Ville",
    "Saint-Étienne",
    "Ça va",
    "déjà vu",
    "5 € pro Stück",
    "Œuvre",
    "Šimon",
    "Žilina",
    "Niño",
    "Ñandú",
    "Ústí nad Labem",
]

ENCODINGS: list[tuple[str, Callable[[str], bytes]]] = [
    ("cp1252", lambda t: t.encode("cp1252")),
    ("latin-1", lambda t: t.encode("latin-1")),
    ("iso-8859-15", lambda t: t.encode("iso8859-15")),
    ("cp1250", lambda t: t.encode("cp1250")),
    ("cp1254", lambda t: t.encode("cp1254")),
    ("cp850 (DOS)", lambda t: t.encode("cp850")),
    ("cp858 (DOS, €)", lambda t: t.encode("cp858")),
    ("cp437 (DOS)", lambda t: t.encode("cp437")),
    ("mac-roman", lambda t: t.encode("mac_roman")),
    # Not candidates of the decoder: how often is such a file silently wrong?
    ("iso-8859-2 (not a candidate)", lambda t: t.encode("iso8859-2")),
    ("cp852 (not a candidate)", lambda t: t.encode("cp852")),
    ("cp1257 (not a candidate)", lambda t: t.encode("cp1257")),
    # No code page is right for such a file: it must be refused or reported.
    ("half cp1252, half cp850", lambda t: _halves(t, "cp1252", "cp850")),
    ("utf-16 (BOM)", lambda t: t.encode("utf-16")),
    ("utf-32 (BOM)", lambda t: t.encode("utf-32")),
]


def _halves(text: str, first: str, second: str) -> bytes:
    """The first half of ``text`` in one code page, the rest in another (a file pasted together)."""
    half = len(text) // 2
    return text[:half].encode(first) + text[half:].encode(second)


# -- data -------------------------------------------------------------------------------------


def _conllu_texts(source: Path) -> Iterator[tuple[str, list[str]]]:
    """(file name, sentences) of a treebank's train split, else its dev and test splits."""
    git_dir = source if (source / "HEAD").is_file() and (source / "objects").is_dir() else None

    def listing() -> list[str]:
        if git_dir is None:
            return sorted(p.name for p in source.glob("*.conllu"))
        out = subprocess.run(
            ["git", f"--git-dir={git_dir}", "ls-tree", "--name-only", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return sorted(n for n in out.stdout.split("\n") if n.endswith(".conllu"))

    def read(name: str) -> str | None:
        if git_dir is None:
            return (source / name).read_text(encoding="utf-8")
        out = subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"HEAD:{name}"], capture_output=True
        )
        return out.stdout.decode("utf-8") if out.returncode == 0 else None  # absent blob

    names = listing()
    train = [n for n in names if "-train" in n]
    texts = {n: read(n) for n in train}
    if not train or any(t is None for t in texts.values()):
        print(f"{source}: no train split on disk; using dev and test", file=sys.stderr)
        texts = {n: read(n) for n in names if "-dev" in n or "-test" in n}
    for name, text in texts.items():
        if text is None:
            continue
        yield (
            name,
            [
                line[len("# text = ") :].strip()
                for line in text.split("\n")
                if line.startswith("# text = ")
            ],
        )


def extract(sources: list[Path], into: Path = CACHE) -> None:
    """Write each treebank's sentences to ``<into>/<file>.sentences.txt``."""
    into.mkdir(parents=True, exist_ok=True)
    for source in sources:
        for name, sentences in _conllu_texts(source):
            target = into / name.replace(".conllu", ".sentences.txt")
            target.write_text("\n".join(sentences) + "\n", encoding="utf-8")
            print(f"{target}: {len(sentences)} sentences")


# The half the session-6 rules were tuned on, and the half they were then measured on.
PARTS = {"tune": ("-dev", slice(0, 514)), "held-out": ("-test", slice(514, None))}


def documents(
    data: Path = CACHE, gnad: bool = True, part: str | None = None
) -> list[tuple[str, str]]:
    """(source, text) of every benchmark document: the sentences in ``data``, then (``gnad``)
    the 10kGNAD articles and ``NAMES``; only one of ``PARTS`` if ``part`` names it (UD dev
    splits, 10kGNAD articles 0-513 and the names; or UD test splits and articles 514-1027)."""
    docs: list[tuple[str, str]] = []
    files = sorted(data.glob("*.sentences.txt"))
    if not files:
        sys.exit(f"no sentences in {data}; run `benchmarks/legacy_encodings.py extract ...` first")
    split, articles_part = PARTS[part] if part else ("", slice(None))
    for path in (f for f in files if split in f.name):
        sentences = [s for s in path.read_text(encoding="utf-8").split("\n") if s]
        source = path.name.split("-ud-")[0]
        for i in range(0, len(sentences), GROUP):
            docs.append((source, " ".join(sentences[i : i + GROUP])))
    if not gnad:
        return docs
    articles = SHARED / "10kGNAD-test.csv"
    if articles.is_file():
        with articles.open(encoding="utf-8", newline="") as fh:
            rows = [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]
        docs += [("10kGNAD", text) for text in rows[articles_part]]
    if part != "held-out":
        docs += [("names", name) for name in NAMES]
    return docs


# -- the previous rule, for comparison ---------------------------------------------------------


def charset_normalizer_rule(data: bytes) -> Decoded:
    """The decoder before this benchmark: BOM, UTF-8, else charset-normalizer's best guess
    among the same code pages, ties broken in favour of cp1252."""
    from charset_normalizer import from_bytes

    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return Decoded(text=data.decode(codec), encoding=codec)
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    order = ["cp1252", "latin_1", "iso8859_15", "cp1250", "mac_roman"]
    results = from_bytes(data, cp_isolation=order, preemptive_behaviour=False, explain=False)
    best = results.best()
    if best is None:
        return Decoded(text="", encoding="none")
    tied = {
        codecs.lookup(e).name
        for r in results
        if str(r) == str(best)
        for e in r.could_be_from_charset
    }
    preferred = [codecs.lookup(e).name for e in order]
    encoding = next((e for e in preferred if e in tied), codecs.lookup(best.encoding).name)
    return Decoded(text=data.decode(encoding), encoding=encoding)


# -- measuring --------------------------------------------------------------------------------


def measure(
    decoder: Callable[[bytes], Decoded], label: str, docs: list[tuple[str, str]]
) -> list[str]:
    rows = [
        f"**{label}** — {len(docs)} documents "
        f"({', '.join(f'{s}: {sum(1 for d in docs if d[0] == s)}' for s in _sources(docs))})",
        "",
        "| encoding | representable | skipped | with bytes ≥ 0x80 | byte-identical | % "
        "| refused | wrong, reported ambiguous | of which no candidate gives the text "
        "| wrong, not reported | right, reported ambiguous | MB/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, encode in ENCODINGS:
        skipped = high = same = refused = wrong_flagged = wrong_silent = right_flagged = 0
        unnamed = 0  # wrong and reported, but no code page the report names gives the text
        size, seconds = 0, 0.0
        wrong_examples: list[str] = []
        for _source, text in docs:
            try:
                data = encode(text)
            except UnicodeEncodeError:
                skipped += 1
                continue
            high += any(b >= 0x80 for b in data) and "utf" not in name
            start = time.perf_counter()
            try:
                decoded: Decoded | None = decoder(data)
            except InputError:  # refused: "re-save it as UTF-8, or name its encoding"
                decoded = None
            seconds += time.perf_counter() - start
            size += len(data)
            if decoded is None:
                refused += 1
            elif decoded.text == text:
                same += 1
                right_flagged += bool(decoded.candidates)
                if decoded.candidates and len(wrong_examples) < 20:
                    wrong_examples.append("flagged " + str(decoded.candidates) + _context(text))
            elif decoded.candidates:
                wrong_flagged += 1
                unnamed += all(data.decode(c, "replace") != text for c in decoded.candidates)
            else:
                wrong_silent += 1
                if len(wrong_examples) < 20:
                    wrong_examples.append(_first_difference(text, decoded))
        done = len(docs) - skipped
        rows.append(
            f"| {name} | {done} | {skipped} | {high if 'utf' not in name else done} | {same} "
            f"| {100 * same / max(done, 1):.1f} | {refused} | {wrong_flagged} "
            f"| {unnamed} | {wrong_silent} "
            f"| {right_flagged} | {size / 1e6 / max(seconds, 1e-9):.1f} |"
        )
        for example in wrong_examples:
            print(f"  {label} {name}: {example}", file=sys.stderr)
    return rows


def _context(text: str) -> str:
    return " ".join({w for w in text.split() if any(ord(c) > 127 for c in w)})[:200]


def _sources(docs: list[tuple[str, str]]) -> list[str]:
    return list(dict.fromkeys(s for s, _ in docs))


def _first_difference(text: str, decoded: Decoded) -> str:
    i = next((i for i, (a, b) in enumerate(zip(text, decoded.text, strict=False)) if a != b), 0)
    return (
        f"{decoded.encoding}: {text[max(0, i - 15) : i + 15]!r} -> "
        f"{decoded.text[max(0, i - 15) : i + 15]!r}"
    )


def load_decoder(root: Path) -> Callable[[bytes], Decoded]:
    """``decode_bytes`` of the toolkit checked out at ``root`` (another commit), loaded next to
    this one: its modules are imported under the same names, then set aside."""
    mine = {k: m for k, m in sys.modules.items() if k == "toolkit" or k.startswith("toolkit.")}
    for name in mine:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        from toolkit.prepare.decode import decode_bytes as theirs
    finally:
        sys.path.remove(str(root))
        for name in [k for k in sys.modules if k == "toolkit" or k.startswith("toolkit.")]:
            del sys.modules[name]
        sys.modules.update(mine)
    return theirs


def _checkout(where: str) -> Path:
    """``where`` if it is a folder, else the toolkit of git revision ``where``, unpacked in a
    temporary folder."""
    if Path(where).is_dir():
        return Path(where)
    target = Path(tempfile.mkdtemp(prefix=f"toolkit-{where}-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    archive = subprocess.run(
        ["git", "archive", where, "toolkit"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def compare_speed(other: Path, docs: list[tuple[str, str]], passes: int = 3) -> list[str]:
    """MB/s of this decoder and ``other``'s, document by document in turn (their order
    alternating each pass), so that load on a shared machine falls on both alike."""
    theirs = load_decoder(other)
    rows = [
        f"**Speed against {other}** ({passes} passes, interleaved)",
        "",
        "| encoding | this MB/s | other MB/s | this / other |",
        "|---|---:|---:|---:|",
    ]
    for name, encode in ENCODINGS:
        if "utf" in name:
            continue
        blobs = []
        for _source, text in docs:
            try:
                blobs.append(encode(text))
            except UnicodeEncodeError:
                continue
        seconds = [0.0, 0.0]
        for turn in range(passes):
            for data in blobs:
                for which in (0, 1) if turn % 2 == 0 else (1, 0):
                    start = time.perf_counter()
                    # a refusal; each checkout raises its own InputError class
                    with contextlib.suppress(Exception):
                        (decode_bytes, theirs)[which](data)
                    seconds[which] += time.perf_counter() - start
        size = passes * sum(map(len, blobs)) / 1e6
        rows.append(
            f"| {name} | {size / seconds[0]:.1f} | {size / seconds[1]:.1f} "
            f"| {seconds[1] / seconds[0]:.2f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    ex = sub.add_parser("extract", help="read UD treebanks into benchmarks/data/encodings/")
    ex.add_argument("sources", nargs="+", type=Path, help="treebank checkouts or git dirs")
    ex.add_argument("--into", type=Path, default=CACHE, help="where the sentences go")
    parser.add_argument(
        "--data",
        type=Path,
        help="measure only the sentences in this folder (a held-out set written by "
        "`extract --into`), without 10kGNAD and the names",
    )
    parser.add_argument(
        "--candidates",
        action="append",
        default=[],
        metavar="CODEC=PRIOR,...",
        help="also measure with these code pages added to DecodeConfig.legacy_encodings "
        "(repeatable), e.g. iso8859_2=1.0,cp1257=1.0",
    )
    parser.add_argument(
        "--part",
        choices=sorted(PARTS),
        help="only the documents the rules were tuned on (UD dev, 10kGNAD 0-513, the names) "
        "or only the held-out ones (UD test, 10kGNAD 514-1027)",
    )
    parser.add_argument(
        "--against",
        help="also time this decoder against another: a git revision (e.g. 8f5e698) or a "
        "folder holding a toolkit/ checkout; interleaved",
    )
    parser.add_argument("--baseline", action="store_true", help="also the charset-normalizer rule")
    parser.add_argument(
        "--margin",
        type=float,
        action="append",
        default=[],
        help="also measure with this DecodeConfig.ambiguity_margin (repeatable)",
    )
    args = parser.parse_args()
    if args.command == "extract":
        extract(args.sources, args.into)
        return
    docs = documents(args.data, gnad=False) if args.data else documents(part=args.part)
    default = DecodeConfig().ambiguity_margin
    label = f"toolkit.prepare.decode (ambiguity_margin {default})"
    print("\n".join(measure(decode_bytes, label, docs)))
    for margin in args.margin:
        config = DecodeConfig(ambiguity_margin=margin)
        print()
        rows = measure(lambda b, c=config: decode_bytes(b, c), f"ambiguity_margin {margin}", docs)
        print("\n".join(rows))
    for added in args.candidates:
        extra = {k: float(v) for k, v in (kv.split("=") for kv in added.split(","))}
        config = DecodeConfig(legacy_encodings={**DecodeConfig().legacy_encodings, **extra})
        print()
        rows = measure(lambda b, c=config: decode_bytes(b, c), f"candidates + {added}", docs)
        print("\n".join(rows))
    if args.against:
        print()
        print("\n".join(compare_speed(_checkout(args.against), docs)))
    if args.baseline:
        print()
        label = "previous rule (charset-normalizer)"
        print("\n".join(measure(charset_normalizer_rule, label, docs)))


if __name__ == "__main__":
    main()
