"""The speed-ups are exact: fast paths give the answers of the slow ones; the benchmark runs.

No test here measures time. They check that the ftfy no-op check never skips a line ftfy
would change, that the windowed mojibake search answers exactly like ftfy's own, and
that ``benchmarks/speed.py`` still runs end to end on a tiny model.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import ftfy
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.config.prepare import CleanConfig
from toolkit.prepare.clean import clean_text

clean_module = importlib.import_module("toolkit.prepare.clean")
noop = importlib.import_module("toolkit.prepare.ftfy_noop")
ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT / ".." / "shared" / "data" / "10kGNAD-test.csv"

# Every character ftfy's mojibake heuristic knows, plus the usual suspects and plain text.
_MOJIBAKE = "".join(sorted(set("".join(MOJIBAKE_CATEGORIES.values()))))
_ALPHABET = (
    _MOJIBAKE
    + "ÃÂŒœ°ØÙВГРСΒΓΞΟвЂβ€ā√≈‚Ä×²àäöüÄÖÜß„“”’–…"
    + "abcXYZ 019.,;:!?'\"\n\t&<>#\x1b\r\x0b\x0c\x85\u2028\ufb01\uff21\u00a0\u200b\u0301e"
)
texts = st.text(alphabet=_ALPHABET, max_size=24)


def _slow_clean(text: str, config: CleanConfig | None = None):  # type: ignore[no-untyped-def]
    saved = noop.is_identity
    noop.is_identity = lambda text, config: False
    try:
        return clean_text(text, config)
    finally:
        noop.is_identity = saved


def test_the_mojibake_pattern_lemma_holds_for_the_installed_ftfy() -> None:
    witness = noop.badness_witness()
    assert 2 <= witness.width <= 16


def test_importing_clean_leaves_ftfys_pattern_unparsed() -> None:
    code = (
        "import toolkit.prepare.clean, toolkit.prepare.ftfy_noop as n; "
        "print(n.badness_witness.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"


def test_an_ftfy_pattern_that_breaks_the_lemma_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No silent fallback: a changed ftfy pattern is an error that names ftfy and the fix."""
    import re

    import ftfy.badness

    monkeypatch.setattr(ftfy.badness, "BADNESS_RE", re.compile("(?=Ã)Ã.|Ã©"))
    noop.badness_witness.cache_clear()
    try:
        with pytest.raises(noop.UnsupportedFtfy, match=r"ftfy .*pyproject"):
            clean_text("Caf\u00e9 \u00fcber alles")
    finally:
        noop.badness_witness.cache_clear()


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_windowed_badness_search_equals_ftfy_is_bad(text: str) -> None:
    assert noop.is_bad_fast(text) == is_bad(text)


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_ftfy_is_skipped_only_where_it_changes_nothing(text: str) -> None:
    config = CleanConfig()
    for line in text.splitlines(keepends=True) or [text]:
        if noop.is_identity(line, config):
            fixed = ftfy.fix_and_explain(line, clean_module.ftfy_config(config))
            assert (fixed.text, fixed.explanation) == (line, [])


_ENTITY_PIECES = ["&", "&amp;", "&amp;amp;", "&lt;", "&#39;", "&#x41;", "&#xZZ;", "&EACUTE;"]
_ENTITY_PIECES += ["&nTILDE;", "&foo;", "&amp", "<", ">", ";", "#", "a", " ", "ü", "Ã", "\u00a9"]
_ENTITY_CONFIGS = [CleanConfig(), CleanConfig(unescape_html=True), CleanConfig(unescape_html=False)]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_ENTITY_PIECES), max_size=8), st.sampled_from(_ENTITY_CONFIGS))
def test_a_line_with_an_ampersand_is_skipped_only_where_ftfy_changes_nothing(
    pieces: list[str], config: CleanConfig
) -> None:
    line = "".join(pieces)
    if noop.is_identity(line, config):
        fixed = ftfy.fix_and_explain(line, clean_module.ftfy_config(config))
        assert (fixed.text, fixed.explanation) == (line, [])


def test_an_ampersand_without_an_entity_does_not_send_the_line_to_ftfy() -> None:
    """28 of the 1,028 10kGNAD articles ("Bild & Ton") went through all of ftfy for an "&"."""
    assert noop.is_identity("Rock & Roll in Graz, sagt „Müller & Söhne“.", CleanConfig())
    assert noop.is_identity("a &lt; b <", CleanConfig())  # "auto": no unescaping beside "<"
    assert not noop.is_identity("a &lt; b <", CleanConfig(unescape_html=True))
    assert not noop.is_identity("P&eacute;rez & Co", CleanConfig())
    assert noop.is_identity("P&eacute;rez & Co", CleanConfig(unescape_html=False))


def test_an_ftfy_whose_unescaping_changed_sends_every_ampersand_to_ftfy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import html

    try:
        with monkeypatch.context() as patch:
            patch.setitem(ftfy.FIXERS, "unescape_html", html.unescape)
            noop.entity_pattern.cache_clear()
            assert not noop.is_identity("Rock & Roll", CleanConfig())
    finally:
        noop.entity_pattern.cache_clear()
    assert noop.is_identity("Rock & Roll", CleanConfig())


@settings(max_examples=500, deadline=None)
@given(
    texts,
    st.sampled_from(
        [
            CleanConfig(),
            CleanConfig(uncurl_quotes=True),
            CleanConfig(normalization="NFKC", unescape_html=True),
        ]
    ),
)
def test_clean_text_is_unchanged_by_the_fast_path(text: str, config: CleanConfig) -> None:
    assert clean_text(text, config) == _slow_clean(text, config)


def test_clean_text_is_unchanged_on_real_news() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    lines = GNAD.read_text(encoding="utf-8").split("\n")[:150]
    seeds = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "original").glob("*"))
    ]
    for text in lines + seeds:
        assert clean_text(text) == _slow_clean(text)


def test_the_translation_benchmark_runs_end_to_end_on_a_tiny_model(tmp_path: Path) -> None:
    """``benchmarks/translation.py`` runs; the toolkit's outputs (whole process and in-process)
    equal raw CTranslate2's with every sentence translated alone, and with equal-length
    batches: batch composition does not change a translation."""
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    rows = ["toolkit-cli", "toolkit-inproc", "raw-equal-length-2048t", "raw-alone"]
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "translation.py"), "--cache", str(tmp_path),
         "--articles", "2", "--model", "tiny", "--repeat", "1", "--out", str(tmp_path / "t.md"),
         "--only", *rows, "--against", "HEAD"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    table = {
        line.split("|")[1].strip(): line.split("|")
        for line in out.stdout.splitlines()
        if line.startswith("| toolkit-") or line.startswith("| raw-")
    }
    assert sorted(table) == sorted([*rows, "toolkit-cli@HEAD"])
    total = int(out.stdout.split(" distinct sentences")[0].rsplit(" ", 1)[1])
    assert total > 0
    # Raw equal-length batches give every sentence its translation alone; the toolkit gives
    # the same, except where it sends a sentence with a protected span as placeholders.
    assert table["raw-equal-length-2048t"][-2].strip() == str(total)
    assert table["toolkit-inproc"][-3].strip() == str(total)  # same as toolkit-cli
    assert table["toolkit-cli@HEAD"][-3].strip() == str(total)  # --against: the committed tree
    for name in ("toolkit-cli", "toolkit-inproc"):
        line = next(x for x in out.stdout.splitlines() if x.startswith(f"{name} differs"))
        differ, with_span = (int(w) for w in line.split() if w.isdigit())
        assert differ == with_span, line
    assert (tmp_path / "t.md").read_text(encoding="utf-8").startswith("Command:")


def test_the_startup_benchmark_times_a_real_no_op_with_bytecode_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``benchmarks/startup.py`` runs every row (it exits non-zero if the no-op build changed
    a file) and times the children with bytecode caches on, whatever the caller's shell says."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import startup
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert "PYTHONDONTWRITEBYTECODE" not in startup.child_env()
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--rounds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    rows = [line for line in lines if line.startswith("| ") and "wall s" not in line]
    assert len(rows) == 6 and rows[0].startswith("| no-op `toolkit build`")
    assert any(row.startswith("| `toolkit status`") for row in rows), rows

    # --against REV [REV ...]: more rows, the same no-op command at this tree and at each
    # REV's tree, each on its own copy of the corpus (across a version change each toolkit
    # finds the other's build stale, so on one copy neither would be a no-op)
    revs = {"abc1234": Path("/tmp/at-abc1234"), "def5678": Path("/tmp/at-def5678")}
    rows_against = startup.commands(ROOT / "corpus", revs)
    assert len(rows_against) == 9
    (this_command, this_path), *theirs = list(rows_against.values())[-3:]
    assert this_path == ROOT and this_command[-2:] == [str(ROOT / "corpus"), "-q"]
    for (rev, tree), (rev_command, rev_path) in zip(revs.items(), theirs, strict=True):
        assert rev_path == tree
        assert rev_command == [*this_command[:-2], str(ROOT / f"corpus-at-{rev}"), "-q"]
    medians = {label: [(0.5, 0.4)] for label in rows_against}
    medians[startup.THIS_TREE] = [(0.25, 0.2)]
    assert startup.table(medians).splitlines()[-2:] == [
        "this tree / toolkit at abc1234, no-op medians: wall 0.50, CPU 0.50",
        "this tree / toolkit at def5678, no-op medians: wall 0.50, CPU 0.50",
    ]


# -- the normalization table's cheap pre-checks ------------------------------------------------

_EDGES = _ALPHABET + "  ,\n\n\u0301\u0308\u0327\u200e\u202e\u2066\ufeff\u00ad\u3000\x00\x7f"
edgy_texts = st.text(alphabet=_EDGES, max_size=24)


def _steps(config: CleanConfig):  # type: ignore[no-untyped-def]
    steps = list(clean_module._STEPS)
    if config.space_before_comma:
        steps.append(clean_module._SPACE_BEFORE_COMMA)
    combining = clean_module._combining_run(config.max_combining_marks)
    return [*steps, ("combining-marks", combining, r"\1", clean_module._MARK_PAIR.search)]


def _normalize_every_step(text: str, config: CleanConfig) -> tuple[str, list[str]]:
    """The normalization table applied without any pre-check (what ``normalize`` was)."""
    changes = []
    for name, pattern, repl, _ in _steps(config):
        text, n = pattern.subn(repl, text)
        if n:
            changes.append(f"{name} (x{n})")
    stripped = text.strip()
    return stripped, changes + (["strip"] if stripped != text else [])


@settings(max_examples=3000, deadline=None)
@given(edgy_texts, st.sampled_from([CleanConfig(), CleanConfig(max_combining_marks=1)]))
def test_a_step_is_skipped_only_where_its_pattern_finds_nothing(
    text: str, config: CleanConfig
) -> None:
    for _, pattern, _, may_match in _steps(config):
        if pattern.search(text):
            assert may_match(text)
    assert clean_module.normalize(text, config) == _normalize_every_step(text, config)


def test_the_character_pre_check_knows_every_character_of_the_character_steps() -> None:
    """All code points, through both regex engines: ``re``'s class holds what ``regex``'s do."""
    every = "".join(map(chr, range(0x110000)))
    seen = set(clean_module._CHARACTER_STEPS.__self__.pattern.findall(every))  # type: ignore[attr-defined]
    for name, pattern, _, may_match in clean_module._STEPS:
        if may_match is clean_module._CHARACTER_STEPS:
            found = set(pattern.findall(every))
            assert found and {m[0] for m in found} <= seen, name


def test_normalize_is_unchanged_by_the_pre_checks_on_real_news() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    for text in GNAD.read_text(encoding="utf-8").split("\n")[:300]:
        for config in (CleanConfig(), CleanConfig(space_before_comma=False)):
            assert clean_module.normalize(text, config) == _normalize_every_step(text, config)


def _benchmark(script: str, *args: str) -> str:
    """The standard output of ``benchmarks/<script> args``, run from the project root."""
    command = [sys.executable, f"benchmarks/{script}", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_the_preparation_benchmark_runs_with_its_whole_process_rows() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    out = _benchmark("speed.py", "prepare", "--passes", "1", "--articles", "3", "--workers", "2")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "MB/s" not in line]
    assert len(rows) == 7 and sum("whole process" in row for row in rows) == 3
    assert "whole process, 2 processes / ftfy" in out


def test_the_before_and_after_preparation_benchmark_runs_both_trees() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    args = ["--against", "HEAD", "--passes", "1", "--articles", "3", "--repeat", "1"]
    out = _benchmark("prepare_ab.py", *args)
    assert "| HEAD |" in out and "| working tree |" in out
    assert "preparation, HEAD / working tree:" in out


def test_the_step_by_step_preparation_benchmark_runs() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    out = _benchmark("prepare_steps.py", "--articles", "3", "--rounds", "1")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "off / on" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| `clean_text`, entity check",
        "| sentence screen, remembered heads",
        "| `prepare_document`, both",
    ]


def test_the_parts_benchmark_runs_a_revision_beside_the_working_tree() -> None:
    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    out = _benchmark("prepare_parts.py", "--against", "HEAD", "--articles", "3", "--rounds", "1")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "before" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| `clean_text`",
        "| `split_sentences`",
        "| `scan_document`",
        "| sentence screen",
        "| `prepare_document`",
    ]


def test_the_before_and_after_check_compares_records_and_ud_sentences() -> None:
    """``prepare_ab.py --check``: both trees' outputs, untimed; HEAD against itself agrees."""
    if not GNAD.is_file() or not (GNAD.parent / "ud-dev").is_dir():
        pytest.skip(f"reference data missing: {GNAD.parent}")
    out = _benchmark(
        "prepare_ab.py", "--against", "HEAD", "--check", "--articles", "3", "--groups", "1"
    )
    assert out.splitlines() == [
        "10kGNAD article records identical: 3/3",
        "UD sentence groups identical: 3/3",
    ]


def test_the_before_and_after_check_names_what_differs() -> None:
    spec = importlib.util.spec_from_file_location(
        "prepare_ab", ROOT / "benchmarks" / "prepare_ab.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    old = {"records": ["a", "b", "c"], "ud": ["x"]}
    lines, status = module.compare_digests(old, {"records": ["a", "B", "c"], "ud": ["x"]})
    assert status == 1
    assert lines == [
        "10kGNAD article records identical: 2/3",
        "  differing: records #1",
        "UD sentence groups identical: 1/1",
    ]
    assert module.compare_digests(old, old)[1] == 0


_SENTENCE_FIELDS = {"id", "paragraph", "sentence", "source", "source_sha256", "language"}


@pytest.mark.parametrize("language", [None, "en"])  # "en": every segment flagged source-language
def test_segments_validated_with_their_record_equal_segments_built_one_by_one(
    language: str | None,
) -> None:
    """prepare_document hands its segments' fields to DocumentRecord (one validation call)
    instead of calling Segment(...) per sentence: the same records, flags included."""
    from toolkit.prepare.document import prepare_document
    from toolkit.schema import DocumentRecord, Segment

    if not GNAD.is_file():
        pytest.skip(f"reference data missing: {GNAD}")
    lines = GNAD.read_text(encoding="utf-8").split("\n")[:20]
    for i, line in enumerate(lines):
        data = line.partition(";")[2].strip("'").encode("utf-8")
        record = prepare_document(data, f"original/{i}.txt", language=language)
        one_by_one = []
        for seg in record.segments:
            fields = seg.model_dump(include=_SENTENCE_FIELDS)
            flags = [f"language:{seg.language.language}"] if seg.language else []
            built = Segment(**fields, flags=flags)
            for flag in seg.qa:
                built.add_flag(flag.model_copy())
            one_by_one.append(built)
        assert record.segments == one_by_one
        assert language is None or all(s.flags[-1] == "source-language" for s in one_by_one)
        copy = DocumentRecord(**{**dict(record), "segments": one_by_one})
        assert copy.model_dump_json() == record.model_dump_json()


def test_the_mark_pair_scan_runs_only_where_two_neighbours_are_u0300_or_above(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``regex``'s \\p{M} scan is skipped on a text without two neighbours at U+0300 or above
    (every pair of marks is such a pair: the installed regex has no mark below U+0300)."""
    assert clean_module._marks_start_at_0300()
    scanned: list[str] = []
    real = clean_module._MARK_PAIR

    class Counting:
        def search(self, text: str) -> object:
            scanned.append(text)
            return real.search(text)

    monkeypatch.setattr(clean_module, "_MARK_PAIR", Counting())
    config = CleanConfig(max_combining_marks=1)
    plain = ("Grüße aus Köln – „gut“ … ok. " * 20).strip()
    assert clean_module.normalize(plain, config) == (plain, []) and not scanned
    marked = plain + "e\u0301\u0301 x"
    assert clean_module.normalize(marked, config)[0].endswith("e\u0301 x") and scanned
