"""``build_corpus`` as a library call: a wrong argument is one line naming it, advice is
accepted when followed, and a caller's own callback failing is said to be the callback's."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_library_api import _two_originals

from toolkit import build_corpus
from toolkit.corpus.originals import UnknownOriginal
from toolkit.pipeline.summary import ProgressCallbackError


class Walkway:
    """An ``os.PathLike`` whose ``__fspath__`` gives bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> bytes:
        return bytes(self.path)


@pytest.mark.parametrize("wrap", [bytes, Walkway, lambda _p: 5])
def test_a_root_that_is_no_str_path_is_one_line_naming_the_argument(
    tmp_path: Path, wrap: object
) -> None:
    """``build_corpus(b"corpus")`` raised pathlib's "argument should be a str or an
    os.PathLike object ...", which names no argument of build_corpus."""
    root = _two_originals(tmp_path / "corpus")
    with pytest.raises(TypeError) as caught:
        build_corpus(wrap(root))  # type: ignore[operator]
    message = str(caught.value)
    assert message.startswith("build_corpus(): root must be a str or os.PathLike path, not ")
    assert "\n" not in message
    if wrap is bytes:
        assert message.endswith("not bytes; decode it first (path.decode())")
    assert not (root / "english").exists()


def test_only_an_empty_list_is_refused_not_a_silent_build_of_nothing(tmp_path: Path) -> None:
    """``only=[]`` built nothing, wrote an empty manifest and returned exit 0."""
    root = _two_originals(tmp_path / "corpus")
    with pytest.raises(UnknownOriginal, match=r"only=\[\] names no original") as caught:
        build_corpus(root, only=[])
    assert "None to build every original" in str(caught.value)
    assert not (root / "english").exists()
    assert build_corpus(root, only=None).built == ["bridge", "road"]


@pytest.mark.parametrize(
    ("only", "said"),
    [((), "only=() names"), (iter([]), "only (an empty list_iterator) names")],
)
def test_only_empty_says_what_was_given(tmp_path: Path, only: object, said: str) -> None:
    """``only=()`` and ``only=iter([])`` were refused as ``only=[]``, not what was given."""
    root = _two_originals(tmp_path / "corpus")
    with pytest.raises(UnknownOriginal) as caught:
        build_corpus(root, only=only)  # type: ignore[arg-type]
    assert str(caught.value).startswith(said), caught.value


def test_only_a_blank_name_is_quoted(tmp_path: Path) -> None:
    """``only=['']`` read "only : no original of that name"."""
    root = _two_originals(tmp_path / "corpus")
    with pytest.raises(UnknownOriginal, match=r"^only '': no original of that name"):
        build_corpus(root, only=[""])


def test_only_given_bytes_advises_a_form_that_is_accepted(tmp_path: Path) -> None:
    """``only=b'road'`` advised ``only=[b'road']``, which was refused in turn (bytes)."""
    root = _two_originals(tmp_path / "corpus")
    with pytest.raises(TypeError, match=r"not a bytes; use only=\['road'\]$"):
        build_corpus(root, only=b"road")  # type: ignore[arg-type]
    assert build_corpus(root, only=["road"]).built == ["road"]


def _outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "english").iterdir())}


@pytest.mark.parametrize("stage", ["prepare", "qa"])
def test_a_progress_callback_that_raises_says_so_and_writes_nothing(
    tmp_path: Path, stage: str
) -> None:
    """A ``KeyError`` of the caller's callback came out of build_corpus as it was, read as
    the build's own failure. It is now one line saying the callback raised (the KeyError its
    cause), and the corpus is as it was: nothing new, nothing half-written."""
    root = _two_originals(tmp_path / "corpus")
    assert build_corpus(root, only=["bridge"]).built == ["bridge"]
    before = _outputs(root)
    (root / "original" / "bridge.txt").write_text("The council met on Tuesday. It left.")

    def progress(at: str, done: int, total: int) -> None:
        if at == stage:
            raise KeyError("documents")

    with pytest.raises(ProgressCallbackError) as caught:
        build_corpus(root, progress=progress)
    message = str(caught.value)
    assert message.startswith(f"the progress callback raised KeyError: 'documents' (at {stage} ")
    assert message.endswith("the build stopped and the corpus is unchanged")
    assert isinstance(caught.value.__cause__, KeyError)
    assert _outputs(root) == before
    assert not [p for p in (root / "english").iterdir() if p.name.startswith(".")]


def test_a_progress_callback_interrupt_passes_as_it_is(tmp_path: Path) -> None:
    """The command line stops a build by raising KeyboardInterrupt from its callback: that
    is a stop, not the callback failing, and is not wrapped."""
    root = _two_originals(tmp_path / "corpus")

    def progress(at: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_corpus(root, progress=progress)
    assert not (root / "english" / "bridge.en.txt").exists()


@pytest.mark.parametrize("argument", ["packages_dir", "cache_dir"])
def test_the_providers_folders_that_are_no_str_paths_are_one_line_naming_them(
    tmp_path: Path, argument: str
) -> None:
    """``ArgosProvider(cache_dir=b"...")`` raised pathlib's message, naming no argument."""
    from toolkit.translation.provider import ArgosProvider

    with pytest.raises(TypeError) as caught:
        ArgosProvider(**{argument: bytes(tmp_path)})  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"ArgosProvider(): {argument} must be a str or os.PathLike path, not bytes; "
        "decode it first (path.decode())"
    )
