"""``corpus/settings.yaml``: settings that belong to one corpus and survive every rebuild.

Today it holds one thing, the encoding of originals whose guess was wrong or unclear::

    encodings:
      prague-report.txt: cp1250
      old-newsletter.txt: latin-1

Keys are file names in ``original/``; values are Python codec names. The file is read
strictly: malformed YAML, unknown keys, unknown codecs and names that are not a file in
``original/`` are refused with one line naming the file (``corpus/settings.yaml:3:3: ...``),
before anything is built. The map goes into :attr:`toolkit.decode.DecodeConfig.encodings` — the
one owner of decoding settings — so each document's entry is recorded in its provenance and
fingerprint, and changing one entry rebuilds exactly that document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from toolkit.decode import codec_name
from toolkit.errors import CorpusError

SETTINGS_FILE = "settings.yaml"
MAX_SETTINGS_BYTES = 1_000_000


class CorpusSettings(BaseModel):
    """The contents of ``corpus/settings.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    encodings: dict[str, str] = Field(
        default_factory=dict, description="original file name -> codec used to decode it"
    )

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.encodings.items())))


def _error(label: str, mark: yaml.Mark | None, message: str) -> CorpusError:
    where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    return CorpusError(f"{label}{where}: {message}; fix or remove it")


def load_corpus_settings(root: Path) -> CorpusSettings:
    """Read and validate ``root/settings.yaml``; defaults when there is none.

    Raises :class:`CorpusError` with one line naming the file (and line:column) otherwise.
    """
    from toolkit.glossary import _Refused, _StrictLoader, _walk  # the hardened YAML reader

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
    if len(data) > MAX_SETTINGS_BYTES:
        raise _error(label, None, f"is {len(data)} bytes, over the {MAX_SETTINGS_BYTES}-byte limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(label, None, f"is not UTF-8 (byte offset {exc.start})") from None
    loader = _StrictLoader(text)
    marks: dict[Any, yaml.Mark] = {}
    try:
        root_node = loader.get_single_node()
        if root_node is None:
            return CorpusSettings()
        _walk(root_node, (), marks)
        value = loader.construct_document(root_node)
    except _Refused as err:
        raise _error(label, err.mark, err.message) from None
    except yaml.MarkedYAMLError as err:
        problem = " ".join((err.problem or err.context or "invalid YAML").split())
        raise _error(
            label, err.problem_mark or err.context_mark, f"invalid YAML: {problem}"
        ) from None
    except yaml.YAMLError as err:
        raise _error(label, None, f"invalid YAML: {' '.join(str(err).split())}") from None
    finally:
        loader.dispose()
    if not isinstance(value, dict):
        raise _error(
            label, root_node.start_mark, "the top level must be a mapping such as 'encodings:'"
        )
    for key in value:
        if key != "encodings":
            raise _error(
                label, marks.get((key,)), f"unknown key {key!r}; the known key is 'encodings'"
            )
    encodings = value.get("encodings") or {}
    if not isinstance(encodings, dict):
        raise _error(label, marks.get(("encodings",)), "'encodings' must map file names to codecs")
    originals = root / "original"
    checked: dict[str, str] = {}
    for name, codec in encodings.items():
        mark = marks.get(("encodings", name))
        if not isinstance(name, str) or not isinstance(codec, str):
            raise _error(label, mark, f"encodings: {name!r}: give a file name and a codec name")
        target = originals / name
        if (
            name in ("", ".", "..")
            or "/" in name
            or "\\" in name
            or not target.is_file()
            or target.is_symlink()
        ):
            raise _error(label, mark, f"encodings: {name!r} is not a file in original/")
        try:
            checked[name] = codec_name(codec)
        except ValueError as exc:
            raise _error(label, mark, f"encodings: {name}: {exc}") from None
    return CorpusSettings(encodings=checked)


def set_file_encoding(root: Path, file_name: str, codec: str) -> None:
    """Record ``file_name: codec`` under ``encodings:`` in ``root/settings.yaml`` (atomically).

    Used by ``toolkit add --encoding`` so the choice survives every later rebuild. The file is
    validated first and rewritten from its parsed content (comments are not kept).
    """
    from toolkit.corpus import atomic_write

    current = load_corpus_settings(root)
    encodings = {**current.encodings, file_name: codec_name(codec)}
    if encodings == current.encodings:
        return
    text = "# Per-corpus settings (see README, 'Bad input'); written by toolkit add --encoding.\n"
    text += yaml.safe_dump({"encodings": encodings}, allow_unicode=True, sort_keys=True)
    atomic_write(root / SETTINGS_FILE, text.encode("utf-8"))
