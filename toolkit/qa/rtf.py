r"""RTF inside a TMX inline code, read for the characters it spells.

A CAT tool that imported a Word or RTF document writes the document's own RTF into the
codes of a unit (``<ph>{\b </ph>``, ``<ph>\'e4</ph>``, ``<ph>\u8364?</ph>``). Most of it is
formatting; some of it is the document's text, escaped. :func:`read_rtf` says which, by
RTF's rules (the 1.9.1 specification), and never fails on what a hostile file holds:

* ``\uN`` is the character N (a signed 16-bit value: ``\u-3913`` is U+F0B7), followed by
  ``\ucN`` fallback characters for older readers (one by default; ``\uc0``: none), which
  are skipped (never a ``\uN``: a code cut out of a document that set ``\uc0`` earlier
  reads ``\u-10179\u-8704``). A UTF-16 surrogate pair (``\u-10179?\u-8704?``, an emoji)
  is one character; a lone surrogate, a value outside -32768..65535 (``\u`` and 5000
  digits) and a noncharacter (``\u-1``, U+FFFF: written back as U+FFFD by XML) are no
  text and dropped, counted;
* ``\'hh`` is a byte of code page 1252 (RTF's default), ``\~`` a no-break space, ``\-`` a
  soft hyphen, ``\_`` a no-break hyphen, ``\{`` a brace;
* a group that is no text of the document is skipped whole: an ignorable destination
  ``{\* ...}`` (read as a literal ``*``: ``Stern*Text``) and the destinations RTF defines
  for tables, pictures and field instructions (``{\fonttbl ...}``, ``{\fldinst ...}``);
* other control words and braces are formatting. The text between them is the document's
  where the code spells characters by RTF's escapes (``\uc0\u8364 5`` is ``€5``); where it
  does not, the code is formatting, its text too (``{0}``, ``%s\n``, ``{\b x}``: a
  program's placeholders are no text of the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A control word with its parameter and the one space that ends it, a hex byte, a control
# symbol, a brace, or a run of text (a backslash RTF gives no meaning, ``C:\Users``, too).
_TOKEN = re.compile(r"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z0-9'])|([{}])"
                    r"|(\\|[^\\{}]+)", re.DOTALL)
_SYMBOLS = {"~": "\u00a0", "-": "\u00ad", "_": "\u2011"}
_SCRIPT = frozenset({"sub", "super", "up", "dn"})
# Destinations that hold no text of the document (RTF 1.9.1): skipped with their group.
_NOT_TEXT = frozenset({
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "objdata", "fldinst",
    "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "filetbl",
    "revtbl", "themedata", "colorschememapping", "datastore", "latentstyles", "bkmkstart",
    "bkmkend", "datafield", "xe", "tc", "txe", "private"})
_MAX_DIGITS = 6  # -32768..65535; a longer parameter is no character (and no int() of it)


@dataclass(frozen=True)
class Rtf:
    """What :func:`read_rtf` read: ``text`` the code without RTF's control words and braces,
    its characters as the document shows them; ``spelled`` whether RTF's escapes spell
    characters in it (``\\'e4``, ``\\u8364``, ``\\~``: then its text is the document's);
    ``script`` whether a control word makes a sub- or superscript (``\\sub``, ``\\super``,
    ``\\up``, ``\\dn``); ``dropped`` how many ``\\uN`` were no character."""

    text: str
    spelled: bool
    script: bool
    dropped: int


def read_rtf(raw: str) -> Rtf:
    """``raw`` (a code's content) read as RTF; see the module's docstring. Text that holds
    no RTF at all (an HTML code) comes back as it is, ``spelled`` False."""
    reader = _Reader()
    tokens = list(_TOKEN.finditer(raw))
    i = 0
    while i < len(tokens):
        word, param, byte, symbol, brace, text = tokens[i].groups()
        if brace == "{" and i + 1 < len(tokens) and _not_text(tokens[i + 1]):
            i = _group_end(tokens, i)
            continue
        if brace is not None:
            reader.brace(brace)
        elif word is not None:
            reader.word(word, param)
        elif text is not None:
            reader.text(text)
        else:
            reader.char(bytes([int(byte, 16)]).decode("cp1252", "replace") if byte
                        else _SYMBOLS.get(symbol, symbol), escape=True)
        i += 1
    reader.flush()
    return Rtf("".join(reader.out), reader.escaped, reader.script, reader.dropped)


def _not_text(token: re.Match[str]) -> bool:
    """Whether ``token``, the first after a ``{``, makes its group no text of the document."""
    word, _, _, symbol, _, _ = token.groups()
    return symbol == "*" or word in _NOT_TEXT


def _group_end(tokens: list[re.Match[str]], start: int) -> int:
    """The index after the ``}`` that closes the group opened at ``start`` (the end when
    the code holds no such brace: the group goes on in a later code)."""
    depth = 0
    for i in range(start, len(tokens)):
        brace = tokens[i].group(5)
        depth += (brace == "{") - (brace == "}")
        if depth == 0:
            return i + 1
    return len(tokens)


class _Reader:
    """The state of one code's RTF: output, ``\\ucN`` per group, fallback characters still
    to skip, a high surrogate waiting for its low one."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.uc = [1]
        self.skip = 0
        self.high: int | None = None
        self.escaped = self.script = False
        self.dropped = 0

    def brace(self, brace: str) -> None:
        self.skip = 0  # a group's end ends the fallback too
        if brace == "{":
            self.uc.append(self.uc[-1])
        elif len(self.uc) > 1:
            self.uc.pop()

    def word(self, word: str, param: str | None) -> None:
        self.script = self.script or word in _SCRIPT
        if word == "u":  # never a fallback: the \ucN set before the code may have been 0
            self.skip = 0
            self.unicode(param)
        elif self.skip:  # another control word in the fallback counts as one character
            self.skip -= 1
        elif word == "uc" and param and len(param) <= _MAX_DIGITS:
            self.uc[-1] = max(int(param), 0)

    def unicode(self, param: str | None) -> None:
        value = int(param) if param and len(param) <= _MAX_DIGITS else None
        if value is not None and -32768 <= value < 0:
            value += 65536
        if value is None or not 0 <= value <= 0xFFFF or _noncharacter(value):
            self.flush()
            self.dropped += 1
        elif 0xDC00 <= value <= 0xDFFF and self.high is not None:
            high, self.high = self.high, None
            self.char(chr(0x10000 + (high - 0xD800) * 0x400 + value - 0xDC00), escape=True)
        elif 0xD800 <= value <= 0xDBFF:
            self.flush()
            self.high = value
        elif 0xDC00 <= value <= 0xDFFF:
            self.dropped += 1
        else:
            self.char(chr(value), escape=True)
        self.skip = self.uc[-1]  # then the fallback characters for older readers

    def text(self, text: str) -> None:
        skipped = min(self.skip, len(text))
        self.skip -= skipped
        if text[skipped:]:
            self.char(text[skipped:], escape=False)

    def char(self, chars: str, escape: bool) -> None:
        if escape and self.skip:
            self.skip -= 1
            return
        self.flush()
        self.escaped = self.escaped or escape
        self.out.append(chars)

    def flush(self) -> None:
        """A high surrogate that no low one followed: dropped, counted."""
        if self.high is not None:
            self.high = None
            self.dropped += 1


def _noncharacter(value: int) -> bool:
    """U+FDD0..U+FDEF and U+xFFFE/U+xFFFF: Unicode's noncharacters, no text."""
    return 0xFDD0 <= value <= 0xFDEF or value & 0xFFFE == 0xFFFE


__all__ = ["Rtf", "read_rtf"]
