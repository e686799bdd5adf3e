"""Export the aligned corpus for other tools: TMX, Moses, JSONL, TSV.

:mod:`toolkit.export.units` selects what is exported (and counts what is left out),
:mod:`toolkit.export.formats` renders each format, :mod:`toolkit.export.writer` writes
the files (:func:`toolkit.export.writer.export_corpus` does all three).

Every format holds the same *units*: one per aligned sentence pair of a built document,
in document then segment order. What is left out, and why (each counted in
:class:`ExportStats` and reported by ``toolkit export`` on stderr):

* segments without English (documents waiting for a model) -- nothing to export;
* flagged segments, unless ``include_flagged`` -- a QA flag means a reviewer has not
  accepted the pair; translation memories and training data want only clean pairs;
* pairs whose source is already in the target language (English documents, an English
  quote inside a German article), unless ``include_same_language`` -- they are copies, not
  translations, and would teach a model to copy.

Formats (``PATH`` is the ``-o`` argument):

* ``tmx`` -- TMX 1.4b in ``PATH``: header ``srclang="*all*"`` (documents differ in source
  language), one ``<tu>`` per unit with ``srclang``, ``tuid`` ``document:segment`` (the
  row id every reader gives it, :func:`toolkit.qa.bilingual.row_id`), a ``<tuv xml:lang>``
  per side, and ``<prop type="x-...">`` for provenance (document, segment, origin, flags, package,
  input sha256). Human corrections carry ``changeid``/``changedate`` on the English tuv.
* ``moses`` -- line-aligned plain text, one pair of files per language pair, named the
  OPUS way: ``PATH.de-en.de`` + ``PATH.de-en.en``, ``PATH.nl-en.nl`` + ``PATH.nl-en.en``.
  Line breaks inside a sentence become spaces, so line *n* of one file is the
  translation of line *n* of the other. A unit holding a line separator (NEL, U+2028,
  U+2029: :data:`toolkit.corpus.formats.LINE_SEPARATORS`, a line break to many readers; a
  NEL in a pairs file most often Windows-1252's ``…`` read as Latin-1, flagged ``mojibake``)
  is left out and counted: raw it misaligns the files, as a space it is changed with no
  word (the other formats keep it). Other C1 characters are written raw
  (plain text has no escape, and no line reader breaks at them). A pair of one language
  (``en-en``, with ``include_same_language``) is named by role: ``PATH.en-en.source.en`` +
  ``PATH.en-en.target.en``.
* ``jsonl`` -- ``PATH``, one JSON object per unit: document, segment, languages, source,
  target, origin, flags, and a provenance reference (input path and sha256, meta.json path,
  package).
* ``tsv`` -- ``PATH``, a header row then one row per unit; values escaped like the aligned
  TSV (``\\t``, ``\\n``, ``\\r``, ``\\\\``, C1 controls as ``\\x80``-``\\x9f`` and U+2028/U+2029
  as ``\\u2028``/``\\u2029``: raw, a NEL or a line separator breaks the line for other readers
  (``str.splitlines``) and U+009B starts a terminal escape; a pairs file's mojibake keeps its
  C1 character).

Bidi controls, C1 characters and line separators are escaped where the format can say the
same text another way: JSONL ``\\u202e``, ``\\u0085``, ``\\u2028``; TMX ``&#x202e;``, ``&#x85;``,
``&#x2028;`` (parsed back, the same text; raw, XML 1.1 reads NEL and U+2028 as a line end); TSV
``\\x85``, ``\\u2028`` (bidi controls raw); Moses keeps them (but not the line separators).

``PATH`` ``-`` writes a one-file format to standard output. All files are written
atomically. Output is deterministic: no timestamps beyond those of human corrections.
"""
