"""Reading bilingual files: ONE reader, :func:`read_bilingual`, for every format.

``toolkit qa PAIRS``, the review workbench and the QA benchmarks read pairs through it, so a
file that one of them accepts the others accept too, with the same one-line errors.
The aligned TSV is parsed by its one owner, :func:`toolkit.corpus.formats.parse_aligned_tsv`;
every other TSV is split into rows by the one TSV reader,
:func:`~toolkit.corpus.formats.read_tsv_table`.
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.errors import CorpusError
from toolkit.plural import plural
from toolkit.qa.bilingual import (
    Pair,
    QaInputError,
    row_id,
    row_language,
    row_origin,
    without_controls,
)
from toolkit.qa.quoting import cell_break_fix, read_spreadsheet_table
from toolkit.qa.tmx import read_tmx

_ID_COLUMNS = ("id", "segment_id")
_PREFIX_COLUMNS = ("document", "file")  # the toolkit's multi-document files
_TARGET_COLUMNS = ("target", "english")
_NAMED = frozenset({*_ID_COLUMNS, *_PREFIX_COLUMNS, "source", *_TARGET_COLUMNS})
# German tools' names for the source and target columns (a memory from a German CAT tool).
_GERMAN_COLUMNS = {"quelle": "source", "quelltext": "source", "ausgangstext": "source",
                   "ziel": "target", "zieltext": "target", "übersetzung": "target"}
_XML_START = re.compile(r"<(?:\?xml|!|tmx\b)")

_Located = list[tuple[str, Pair]]
"""Pairs with where each was read ("line 3"), for the message about a repeated id."""


def read_bilingual(path: Path, src: str | None = None, tgt: str = "en") -> list[Pair]:
    """Pairs from any bilingual file the toolkit writes, or a plain one.

    Recognised: TMX (``.tmx``, or any file that starts as XML); JSONL, one object a line
    with ``source`` and ``target`` (or ``english``), ids from ``document``/``segment`` or
    ``id`` (``toolkit export --format jsonl``); a JSON list of documents with ``segments``
    (``toolkit translate --format json``); the aligned TSV (``corpus/english/*.aligned.tsv``);
    TSV with a header naming an id column (``id`` or ``segment_id``, prefixed by
    ``document``/``file`` when present), a source column (``source`` or the ``src`` code) and
    a target column (``target``, ``english`` or the ``tgt`` code) -- ``toolkit export
    --format tsv``, ``toolkit translate --format tsv``, the PUD files (``id``, ``de``,
    ``en``); and plain ``source<TAB>target`` lines without a header (ids are line numbers).
    Rows that record their own source language (``source_language``; ``origin`` ``source``
    in the aligned TSV; a TMX unit's ``srclang``) carry it in :attr:`Pair.source_language`,
    and where the toolkit recorded a row's ``origin`` it is kept (:attr:`Pair.origin`). A TMX
    unit's source and target are picked by ``xml:lang`` (:mod:`toolkit.qa.tmx`). Ids of rows
    from several documents are spelled by :func:`~toolkit.qa.bilingual.row_id` in every
    format. Ids must be unique, a TMX ``tuid`` too (TMX allows a repeated one, but the
    workbench acted on the first row of an id and ``export --pairs`` wrote every row of it
    under one document). Control characters in a source or
    target are removed, counted per pair (:func:`~toolkit.qa.bilingual.without_controls`).
    Any problem raises :class:`QaInputError` with one line naming the file and the fix.

    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "plain.tsv"
    >>> _ = f.write_text("Vier Äpfel.\\tFour apples.\\n", encoding="utf-8")
    >>> read_bilingual(f, "de")[0].target
    'Four apples.'
    """
    path = Path(path)
    return [without_controls(pair) for pair in _read_any(path, src, tgt)]


def _read_any(path: Path, src: str | None, tgt: str) -> list[Pair]:
    """The pairs of ``path`` as its format gives them (:func:`read_bilingual`)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QaInputError(f"{path}: cannot read ({err.strerror}); check the path") from err
    if path.suffix.lower() == ".tmx":
        return _unique(path, read_tmx(path, data, src, tgt))
    from toolkit.prepare.decode import BOMS

    # Excel's "Unicode text" is UTF-16 with a byte-order mark: read as what the mark says
    # (the decoder's table: UTF-32's mark first, it starts with UTF-16's).
    codec = next((c for bom, c in BOMS if data.startswith(bom)), "utf-8-sig")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise QaInputError(
            f"{path}: not {codec.removesuffix('-sig').upper()} (bad byte at offset "
            f"{err.start}); re-save it as UTF-8"
        ) from err
    start = text.lstrip()
    if _XML_START.match(start):
        return _unique(path, read_tmx(path, data, src, tgt))
    if start[:1] == "[":
        return _unique(path, _read_json_documents(path, text))
    if start[:1] == "{" or path.suffix.lower() in (".jsonl", ".ndjson"):
        return _unique(path, _read_jsonl(path, text))
    return _read_tsv(path, text, src, tgt)


def _unique(path: Path, located: _Located) -> list[Pair]:
    """The pairs, each id once; a repeated id is one line naming both rows. A row of the
    file itself (no document: another tool's id, kept as it is) and a document's row can
    spell one id (``a:b``: document ``a``, segment ``b``) -- :func:`row_id` cannot tell
    them apart and keep other tools' ids as they are -- and that line says so."""
    seen: dict[str, tuple[str, Pair]] = {}
    for where, pair in located:
        if pair.id in seen:
            first_where, first = seen[pair.id]
            if (first.document is None) != (pair.document is None):
                (bare, _), (named, row) = sorted(
                    [(first_where, first), (where, pair)], key=lambda r: r[1].document is not None
                )
                raise QaInputError(
                    f"{path}: {bare} (a row of no document, id {pair.id!r}) and {named} (a row "
                    f"of document {row.document!r}) spell the same row id; rename the id of {bare}"
                )
            raise QaInputError(f"{path}: {where} repeats id {pair.id!r} of {first_where}; ids "
                               "must be unique (a review action names its row by it): rename one")
        seen[pair.id] = (where, pair)
    return [pair for _, pair in located]


def _json_pair(path: Path, where: str, obj: object, fallback_id: str, own: bool = False) -> Pair:
    """One JSON record as a pair; ``own``: a record the toolkit wrote (``translate --format
    json``; a JSONL line with ``document`` and ``segment`` is one too), whose ``origin`` says
    where the target came from -- elsewhere the field may mean anything (a news agency)."""
    if not isinstance(obj, dict):
        raise QaInputError(f"{path}: {where}: not a JSON object; each record must be "
                           "an object with source and target")
    source = obj.get("source")
    target = obj.get("target", obj.get("english"))
    if not isinstance(source, str) or not (target is None or isinstance(target, str)):
        raise QaInputError(f"{path}: {where}: needs a string 'source' and a string "
                           "'target' (or 'english'); found keys "
                           f"{', '.join(sorted(map(str, obj))) or 'none'}")
    if "document" in obj and ("segment" in obj or "id" in obj):
        # "" or null: a row of the file itself (null read as the document "None")
        document = None if obj["document"] is None else str(obj["document"]) or None
        pid = row_id(document or "", _given(obj, ("segment", "id"), fallback_id))
    else:
        document = None
        pid = str(_given(obj, ("id", "segment"), fallback_id))
    lang = row_language(path, where, obj.get("source_language"))
    own = own or ("document" in obj and "segment" in obj)
    origin = row_origin(path, where, obj.get("origin")) if own else None
    fix = obj.get("correction") if isinstance(obj.get("correction"), dict) else {}
    by, at = (v if isinstance(v, str) else None for v in (fix.get("author"), fix.get("time")))
    return Pair(id=pid, source=source, target=target, source_language=lang, origin=origin,
                corrected_by=by, corrected_at=at, document=document)


def _given(obj: dict[str, object], keys: tuple[str, str], fallback: str) -> object:
    """The first of ``keys`` ``obj`` gives a value (null is none: it was the id ``5:None``),
    else ``fallback`` (the line's number)."""
    return next((obj[k] for k in keys if obj.get(k) is not None), fallback)


def _read_jsonl(path: Path, text: str) -> _Located:
    import json

    located = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:  # "[[[[…" nested deeper than Python's stack: not a record
            raise QaInputError(f"{path}: line {lineno}: JSON nested too deeply; JSONL needs "
                               "one flat object per line") from None
        except ValueError as err:
            raise QaInputError(f"{path}: line {lineno}: not valid JSON ({err.args[0][:60]}); "
                               "JSONL needs one object per line") from None
        located.append((f"line {lineno}", _json_pair(path, f"line {lineno}", obj, str(lineno))))
    return located


def _read_json_documents(path: Path, text: str) -> _Located:
    import json

    try:
        docs = json.loads(text)
    except RecursionError:
        raise QaInputError(f"{path}: JSON nested too deeply; expected the output of toolkit "
                           "translate --format json") from None
    except ValueError as err:
        raise QaInputError(f"{path}: not valid JSON ({err.args[0][:60]}); fix the file") from None
    located = []
    for n, doc in enumerate(docs, start=1):
        segments = doc.get("segments") if isinstance(doc, dict) else None
        if not isinstance(segments, list):
            raise QaInputError(f"{path}: document {n} has no 'segments' list; expected the "
                               "output of toolkit translate --format json")
        name = str(doc.get("file", n))
        for i, seg in enumerate(segments, start=1):
            where = f"document {n} segment {i}"
            pair = _json_pair(path, where, seg, str(i), own=True)
            named = {"id": row_id(name, pair.id), "document": name or None}
            located.append((where, pair.model_copy(update=named)))
    return located


_Rows = list[tuple[int, list[str]]]
"""(line number, cells) of TSV rows, as :func:`toolkit.corpus.formats.read_tsv_table` reads them."""


def _read_tsv(path: Path, text: str, src: str | None, tgt: str) -> list[Pair]:
    from toolkit.corpus.formats import (
        ALIGNED_COLUMNS,
        OLD_ALIGNED_COLUMNS,
        read_tsv_table,
        tsv_text,
    )

    raw, text = text, tsv_text(text)  # Windows line ends; a lone \r inside a cell stays text
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise QaInputError(f"{path}: is empty; expected a header line 'id<TAB>source<TAB>target' "
                           "or lines 'source<TAB>target'")
    if tuple(first_line.split("\t")) in (ALIGNED_COLUMNS, OLD_ALIGNED_COLUMNS):
        return _read_aligned(path, text, read_tsv_table(text)[1:], tgt)
    table = read_spreadsheet_table(path, raw)  # a quoted cell keeps its \r\n
    header = [_column(cell) for cell in table[0][1]]
    if not set(header) & _NAMED and not _names_the_languages(header, src, tgt):
        return _read_plain(path, table)  # plain "source<TAB>target" lines, no header
    if len(header) == 2 and not set(header) & set(_ID_COLUMNS) and (
            header[0] == header[1]
            or not all(c in _NAMED or _is_language(c, src, tgt) for c in header)):
        # Two cells are a header only when they name two columns; else a pair, a word and
        # its translation ("Quelle<TAB>Source", "Ziel<TAB>Goal"), not a header lacking one.
        # An id column is never a word to translate: "id<TAB>foo" is a header, refused.
        return _read_plain(path, table)
    if len(table) == 1 and not set(header) & _NAMED:
        raise QaInputError(f"{path}: its one line ({', '.join(table[0][1])}) reads as a header "
                           "naming languages, and no rows follow; if it is a pair, put a "
                           "header line 'source<TAB>target' above it")
    if header == ["source", "target"]:
        return _read_plain(path, table[1:])
    return _unique(path, _read_columns(path, header, table[1:], src, tgt))


def _read_columns(path: Path, header: list[str], rows: _Rows, src: str | None,
                  tgt: str) -> _Located:
    """Rows of a TSV whose header names an id, a source and a target column."""
    from toolkit.corpus.formats import toolkit_header, tsv_unescape

    id_col = next((c for c in _ID_COLUMNS if c in header), None)  # None: line numbers
    src_col = "source" if "source" in header else _language_column(header, src)
    tgt_col = next((c for c in _TARGET_COLUMNS if c in header), _language_column(header, tgt))
    missing = [name for name, col in (("source", src_col), ("target", tgt_col)) if col is None]
    if missing:
        hint = "; give --src naming the source column" if src_col is None and src is None else ""
        raise QaInputError(f"{path}: header lacks column(s) {', '.join(missing)}; "
                           f"found {', '.join(header)} (columns are tab-separated){hint}")
    assert src_col and tgt_col
    prefix = next((c for c in _PREFIX_COLUMNS if c in header), None)
    # The toolkit's own TSVs (those with segment_id) escape tabs and newlines in cells; C1
    # and line separators only a file with a header the toolkit writes (toolkit_header).
    own, separators = id_col == "segment_id", toolkit_header(header)
    unescape = (lambda v: tsv_unescape(v, separators)) if own else (lambda v: v)
    located: _Located = []
    for lineno, cells in rows:
        if len(cells) != len(header):
            fields = plural(len(cells), "field")
            raise QaInputError(f"{path}: line {lineno} has {fields}, the header has "
                               f"{len(header)}; {cell_break_fix(own)}")
        row = dict(zip(header, (unescape(c) for c in cells), strict=True))
        pid = row[id_col] if id_col else str(lineno)
        pid = row_id(row[prefix], pid) if prefix else pid
        lang = row_language(path, f"line {lineno}", row.get("source_language"))
        # Only the toolkit's own TSVs say where a target came from; elsewhere an "origin"
        # column may mean anything (a news agency).
        origin = row_origin(path, f"line {lineno}", row.get("origin")) if own else None
        pair = Pair(id=pid, source=row[src_col], target=row[tgt_col], source_language=lang,
                    origin=origin, document=row[prefix] or None if prefix else None)
        located.append((f"line {lineno}", pair))
    return located


def _language_column(header: list[str], code: str | None) -> str | None:
    """The column a language code names: ``de``, or a tag with a region (``de-DE``, a CAT
    tool's export), as :func:`toolkit.languages.primary_language` compares tags; None if none."""
    from toolkit.languages import primary_language

    return next((c for c in header if code and c not in _NAMED and primary_language(c) == code),
                None)


def _column(cell: str) -> str:
    """A header cell as the reader names it: ``ID``, ``Source`` are ``id``, ``source``, a
    German tool's ``Quelle``/``Quelltext``/``Ausgangstext`` ``source`` and
    ``Ziel``/``Zieltext``/``Übersetzung`` ``target``; another cell as written (``DE``:
    languages compare by :func:`_language_column`)."""
    name = cell.strip().lower()
    name = _GERMAN_COLUMNS.get(name, name)
    return name if name in _NAMED else cell


def _names_the_languages(header: list[str], src: str | None, tgt: str) -> bool:
    """Whether a first row without column names is a header of language columns: every
    cell names a language (``DE``, ``en-US``, in any case) and among them are the target and
    the ``--src`` given. ``DE<TAB>EN`` is a header; ``Es<TAB>It`` and ``Ja<TAB>Ja`` (es, it,
    ja: not de to en) are a pair; a one-word pair ``DE``/``EN`` needs a header line above it."""
    named = (tgt, *((src,) if src else ()))
    return (all(_is_language(c, src, tgt) for c in header)
            and all(_language_column(header, code) is not None for code in named))


def _is_language(cell: str, src: str | None, tgt: str) -> bool:
    """Whether a cell names a language: a code the toolkit knows, or ``--src``/``--tgt``'s."""
    from toolkit.languages import UnknownLanguage, normalize_language, primary_language

    base = primary_language(cell)
    if base is None or base in (src, tgt):
        return base is not None
    try:
        return normalize_language(cell) == base
    except UnknownLanguage:
        return False


def _read_aligned(path: Path, text: str, rows: _Rows, tgt: str) -> list[Pair]:
    """Pairs of an aligned TSV, parsed by its one reader; ``origin source`` rows were
    already in the target language."""
    from toolkit.corpus.formats import parse_aligned_tsv

    try:
        aligned = parse_aligned_tsv(text, str(path))
    except CorpusError as err:
        raise QaInputError(str(err)) from None
    return _unique(path, [
        (f"line {lineno}", Pair(id=row.segment_id, source=row.source, target=row.english,
                                source_language=tgt if row.origin == "source" else None,
                                origin=row.origin))
        for (lineno, _), row in zip(rows, aligned, strict=True)
    ])


def _read_plain(path: Path, rows: _Rows) -> list[Pair]:
    pairs = []
    for lineno, cells in rows:
        if len(cells) != 2:
            fields = plural(len(cells), "field")
            raise QaInputError(f"{path}: line {lineno} has {fields}; without a header "
                               "each line must be source<TAB>target (or add a header "
                               f"'id<TAB>source<TAB>target'); {cell_break_fix()}")
        pairs.append(Pair(id=str(lineno), source=cells[0], target=cells[1]))
    return pairs


__all__ = ["Pair", "QaInputError", "read_bilingual"]
