"""``corpus/settings.yaml``: settings that belong to one corpus and survive every rebuild.

It holds the encoding of originals whose guess was wrong or unclear, and the originals that
are plain text though they look like markup (an article quoting a page), and the language of
originals too short for language id to tell (``Ok.`` reads as Ganda)::

    encodings:
      prague-report.txt: cp1250
      old-newsletter.txt: latin-1
    plain_text:
      - html-kurs.txt
    languages:
      no-comment.txt: en

Keys are file names in ``original/``; values are Python codec names. The file is read
strictly: malformed YAML, unknown keys, unknown codecs and names that are not a file in
``original/`` are refused with one line naming the file (``corpus/settings.yaml:3:3: ...``),
before anything is built. The map goes into :attr:`toolkit.config.prepare.DecodeConfig.encodings`
— the
one owner of decoding settings — so each document's entry is recorded in its provenance and
fingerprint, and changing one entry rebuilds exactly that document.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from toolkit.config.corpus import CorpusSettings
from toolkit.config.prepare import codec_name
from toolkit.corpus.paths import SETTINGS_FILE, CorpusPaths
from toolkit.errors import CorpusError

MAX_SETTINGS_BYTES = 1_000_000


def _error(label: str, mark: yaml.Mark | None, message: str) -> CorpusError:
    where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    return CorpusError(f"{label}{where}: {message}; fix or remove it")


def load_corpus_settings(root: Path) -> CorpusSettings:
    """Read and validate ``root/settings.yaml``; defaults when there is none.

    Raises :class:`CorpusError` with one line naming the file (and line:column) otherwise.
    """
    path = root / SETTINGS_FILE
    label = str(path)
    if not path.exists() and not path.is_symlink():
        return CorpusSettings()
    if path.is_symlink() or not path.is_file():
        raise _error(label, None, "is not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error(label, None, f"cannot be read ({exc.strerror})") from None
    return _parse_settings(data, label, root)


def _parse_settings(data: bytes, label: str, root: Path) -> CorpusSettings:
    """Validate the bytes of a settings file (see :func:`load_corpus_settings`)."""
    from toolkit.strict_yaml import YamlRefused, read_strict_yaml

    if len(data) > MAX_SETTINGS_BYTES:
        raise _error(label, None, f"is {len(data)} bytes, over the {MAX_SETTINGS_BYTES}-byte limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(label, None, f"is not UTF-8 (byte offset {exc.start})") from None
    try:
        found = read_strict_yaml(text, "the top level must be a mapping such as 'encodings:'")
    except YamlRefused as err:
        raise _error(label, err.mark, err.message) from None
    if found is None:
        return CorpusSettings()
    value, marks = found
    for key in value:
        if key not in _KEYS:
            known = ", ".join(_KEYS)
            raise _error(label, marks.get((key,)), f"unknown key {key!r}; the known keys: {known}")
    encodings = value.get("encodings") or {}
    if not isinstance(encodings, dict):
        raise _error(label, marks.get(("encodings",)), "'encodings' must map file names to codecs")
    originals = CorpusPaths(root).original
    present = _names_in(originals)
    checked: dict[str, str] = {}
    for name, codec in encodings.items():
        mark = marks.get(("encodings", name))
        if not isinstance(name, str) or not isinstance(codec, str):
            raise _error(label, mark, f"encodings: {name!r}: give a file name and a codec name")
        target = originals / name
        if name not in present or not target.is_file() or target.is_symlink():
            if name in _held_names(root):  # applies again once its original is given back
                continue
            near = _near_name(present, name)
            raise _error(label, mark, f"encodings: {name!r} is not a file in original/{near}")
        try:
            checked[name] = codec_name(codec)
        except ValueError as exc:
            raise _error(label, mark, f"encodings: {name}: {exc}") from None
    settings = CorpusSettings(
        encodings=checked,
        plain_text=_plain_text(value, marks, label),
        languages=_languages(value, marks, label),
    )
    _no_near_misses(value, marks, label, present, root)
    return settings


def _names_in(originals: Path) -> list[str]:
    """The names in ``originals``, sorted, exactly as listed: an entry matches an original
    only by its very name, as the build looks it up (a case-insensitive disk, macOS or
    Windows, says ``Page.txt`` is a file when ``page.txt`` is, and the entry would never
    apply); none when the folder cannot be listed."""
    try:
        return sorted(p.name for p in originals.iterdir())
    except OSError:
        return []


def _near_name(present: list[str], name: str) -> str:
    """``"; 'page.txt' is"`` when a name in ``present`` (:func:`_names_in`) is what ``name``
    nearly says (other case, other Unicode form, blanks around it, or its document id:
    ``Page.txt``, ``page.txt`` typed in NFD as copied from Finder, ``"page.txt "``,
    ``page``); "" when none is."""
    from toolkit.corpus.paths import document_stem

    def key(text: str) -> str:
        return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())

    wanted = key(name.strip())
    near = [f for f in present if wanted in (key(f), key(document_stem(f)))]
    if not near:
        return ""
    if unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", near[0]):
        return f", but {near[0]!r} is (the same letters in another Unicode form: retype it)"
    return f", but {near[0]!r} is"


def _held_names(root: Path) -> set[str]:
    """The names held documents were built from (:func:`~toolkit.corpus.originals.held_documents`):
    asked only for an entry that names no file, so a settings file costs no manifest read."""
    from toolkit.corpus.originals import read_originals

    try:
        return {entry.built for entry in read_originals(root)[1].values() if entry.built}
    except (CorpusError, OSError):
        return set()


def _no_near_misses(
    value: dict[str, Any],
    marks: dict[Any, yaml.Mark],
    label: str,
    present: list[str],
    root: Path,
) -> None:
    """Refuse a ``plain_text:`` or ``languages:`` entry that names no original but nearly names
    one (``Page.txt``, ``page``): it would be taken silently and never apply. A name far
    from every file stays allowed: it may be listed before ``toolkit add`` brings the file;
    so does the name a held document was built from (its original renamed ``Page.txt``:
    the build's line says to rename it back, and the entry then applies)."""
    named = [("plain_text", i, n) for i, n in enumerate(value.get("plain_text") or [])]
    named += [("languages", n, n) for n in value.get("languages") or {}]
    for key, where, name in named:
        if name in present:
            continue
        near = _near_name(present, name)
        if near and name not in _held_names(root):
            mark = marks.get((key, where), marks.get((key,)))
            raise _error(label, mark, f"{key}: {name!r} is not a file in original/{near}")


_KEYS = ("encodings", "plain_text", "languages")


def _languages(value: dict[str, Any], marks: dict[Any, yaml.Mark], label: str) -> dict[str, str]:
    """``languages:``, base file name -> the language the user states for it (a text too short
    for language id: ``ok.txt: en``), each code by the one rule (``DE``, ``de-DE`` -> ``de``).
    Like ``plain_text:``, a name need not be in ``original/`` yet."""
    from toolkit.config.codes import stated_language

    stated = value.get("languages") or {}
    if not isinstance(stated, dict):
        raise _error(label, marks.get(("languages",)), "'languages' must map file names to "
                     "language codes (ok.txt: en)")  # fmt: skip
    checked: dict[str, str] = {}
    for name, code in stated.items():
        mark = marks.get(("languages", name), marks.get(("languages",)))
        if (not isinstance(name, str) or not isinstance(code, str)
                or name in ("", ".", "..") or "/" in name or "\\" in name):  # fmt: skip
            raise _error(label, mark, f"languages: {name!r}: give a file name in original/ "
                         f"and a language code (ok.txt: en){_yes_no(name, code)}")  # fmt: skip
        try:
            checked[name] = stated_language(code, f"languages: {name}")
        except ValueError as exc:
            raise _error(label, mark, str(exc)) from None
    return checked


def _yes_no(*values: object) -> str:
    """:func:`toolkit.strict_yaml.yes_no_fix` for a settings entry."""
    from toolkit.strict_yaml import yes_no_fix

    return yes_no_fix(values, "x.txt: 'no'")


def _plain_text(value: dict[str, Any], marks: dict[Any, yaml.Mark], label: str
                ) -> tuple[str, ...]:
    """``plain_text:``, a list of base file names read as text though they look like markup
    (an article that quotes a page). A name need not be in ``original/`` yet: ``toolkit add``
    checks a new file as the build will read it, so the name is listed first."""
    names = value.get("plain_text") or []
    if not isinstance(names, list):
        raise _error(label, marks.get(("plain_text",)), "'plain_text' must list file names")
    for index, name in enumerate(names):
        mark = marks.get(("plain_text", index), marks.get(("plain_text",)))
        if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\\" in name:
            raise _error(label, mark, f"plain_text: {name!r}: give a file name in original/"
                         f"{_yes_no(name)}")  # fmt: skip
        if name == "*":  # ``--plain-text``'s own marker: it would let every web page in
            raise _error(label, mark, "plain_text: '*' is not a file name: list each file")
    return tuple(sorted(set(names)))


def languages_entry(file_name: str, code: str) -> str:
    """``languages: {ok.txt: de}``: the settings.yaml line that states ``file_name``'s
    language, as YAML writes it (``'#1.txt'`` quoted, ``ok.txt`` plain), on one line however
    long the name: what every line advising to state a language shows."""
    mapping = yaml.safe_dump(
        {file_name: code}, default_flow_style=True, allow_unicode=True, width=10**9
    )
    return f"languages: {mapping.strip()}"


def set_file_encoding(root: Path, file_name: str, codec: str) -> None:
    """Record ``file_name: codec`` under ``encodings:`` in ``root/settings.yaml`` (atomically).

    Used by ``toolkit add --encoding`` so the choice survives every later rebuild. The file is
    validated first, then edited in place (one value replaced, one entry added, or an
    ``encodings:`` block appended), so the user's keys, comments, order and layout are kept.
    The edit must read back as the document it was with that one entry changed and every
    comment still there; otherwise nothing is written and :class:`CorpusError` says, in one
    line, which line to add by hand.
    """
    from toolkit.corpus.writes import atomic_write

    current = load_corpus_settings(root)
    codec = codec_name(codec)
    if current.encodings.get(file_name) == codec:
        return
    path = root / SETTINGS_FILE
    # As the bytes say (read_text would make every CRLF an LF); a BOM stays a "\ufeff".
    old = path.read_bytes().decode("utf-8") if path.is_file() else ""
    text = _edited(old, file_name, codec)
    if text is not None and "\r\n" in old and "\n" not in old.replace("\r\n", ""):
        text = re.sub(r"(?<!\r)\n", "\r\n", text)  # a Windows file's added lines end as its own
    expected = _document(old, root)
    if expected is not None:
        encodings = {**(expected.get("encodings") or {}), file_name: codec}
        expected = {**expected, "encodings": encodings}
    if (
        text is None
        or expected is None
        or _document(text, root) != expected
        or not _comments(old) <= _comments(text)  # never drop a comment the user wrote
    ):
        entry = yaml.safe_dump({file_name: codec}, default_flow_style=True, width=10**9).strip()
        raise CorpusError(
            f"{path}: cannot record the encoding of {file_name!r} there without changing what "
            f"else it says; add {entry[1:-1]} under encodings: by hand"
        )
    atomic_write(path, text.encode("utf-8"))


def _document(text: str, root: Path) -> dict[str, Any] | None:
    """The whole document ``text`` holds as plain data ({} when empty), if every build
    accepts it; None if it is refused."""
    from toolkit.strict_yaml import YamlRefused, read_strict_yaml

    try:
        _parse_settings(text.encode("utf-8"), SETTINGS_FILE, root)
        found = read_strict_yaml(text, "")
    except (CorpusError, YamlRefused):
        return None
    return {} if found is None else found[0]


def _comments(text: str) -> Counter[str]:
    """Each ``# ...`` comment of ``text`` (from a ``#`` at a line start or after a blank to
    the line end), counted; a ``#`` inside a quoted value may count too, which only makes
    the check stricter."""
    return Counter(m.group(1) for m in re.finditer(r"(?:^|(?<=\s))(#[^\n]*)", text, re.M))


def _edited(old: str, file_name: str, codec: str) -> str | None:
    """``old`` with ``file_name: codec`` set by a local text edit; None if the layout is unusual."""
    try:
        node = yaml.compose(old, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    entry = yaml.safe_dump({file_name: codec}, allow_unicode=_raw_ok([file_name]), width=10**9)
    block = "encodings:\n" + "".join("  " + ln + "\n" for ln in entry.splitlines())
    sep = "" if not old or old.endswith("\n") else "\n"
    if node is None:  # no file, or only comments
        return old + sep + block
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "encodings":
            return _edited_value(old, key, value, entry, file_name, codec)
    if not node.flow_style:  # no ``encodings:`` yet: one appended
        return old + sep + block
    end = node.end_mark.index - 1  # before the ``}`` of ``{plain_text: [a.txt]}``
    flow = yaml.safe_dump({"encodings": {file_name: codec}}, allow_unicode=_raw_ok([file_name]),
                          default_flow_style=True, width=10**9)  # fmt: skip
    return old[:end] + (", " if node.value else "") + flow.strip()[1:-1] + old[end:]


def _edited_value(
    old: str, key: yaml.Node, value: yaml.Node, entry: str, file_name: str, codec: str
) -> str | None:
    """``old`` with ``file_name: codec`` (``entry``: that mapping as YAML lines) set in the
    ``encodings:`` value ``value``."""
    if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
        for name_node, codec_node in value.value:
            if name_node.value == file_name:  # replace just the value
                start, end = codec_node.start_mark.index, codec_node.end_mark.index
                dumped = yaml.safe_dump(codec, allow_unicode=True).splitlines()[0]
                return old[:start] + dumped + old[end:]
        # Add the entry on its own line(s) before the first entry's line (which may start
        # with ``? `` for a long key), indented like it.
        line_start = old.rfind("\n", 0, value.value[0][0].start_mark.index) + 1
        indent = old[line_start:][: len(old[line_start:]) - len(old[line_start:].lstrip(" "))]
        added = "".join(indent + ln + "\n" for ln in entry.splitlines())
        return old[:line_start] + added + old[line_start:]
    empty = isinstance(value, yaml.ScalarNode) and value.value == ""
    if empty and "\n" in old[key.end_mark.index :]:
        eol = old.index("\n", key.end_mark.index) + 1  # ``encodings:`` with nothing under it
        return old[:eol] + "".join("  " + ln + "\n" for ln in entry.splitlines()) + old[eol:]
    merged = {file_name: codec}
    if isinstance(value, yaml.MappingNode) and value.flow_style:  # ``{a.txt: cp1250}``
        merged = {n.value: c.value for n, c in value.value} | merged
    elif not (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")):
        return None  # ``encodings: ~``, ``encodings: null`` and a bare one at the end: ok
    flow = yaml.safe_dump(merged, allow_unicode=_raw_ok(merged), default_flow_style=True,
                          width=10**9)  # fmt: skip
    start, end = value.start_mark.index, value.end_mark.index
    return old[:start] + (" " if start == end else "") + flow.strip() + old[end:]


def _raw_ok(names: Any) -> bool:
    """Whether ``names`` may be written as raw Unicode: YAML folds NEL, LS and PS (U+0085,
    U+2028, U+2029) inside a quoted scalar into a space, so such names must be escaped."""
    return not any(ch in name for name in names for ch in "\x85\u2028\u2029")
