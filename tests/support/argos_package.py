"""Build tiny but *real* Argos Translate packages for tests and benchmarks.

A package made here is a genuine ``.argosmodel`` zip: a SentencePiece model trained on the
given texts and a CTranslate2 Transformer whose weights are small deterministic random
numbers. Its translations are gibberish, but every byte goes through the same loading,
tokenization and decoding path as a downloaded Argos model, without torch and without
network. Example::

    from support.argos_package import build_argos_package
    pkg = build_argos_package(tmp / "de_en.argosmodel", "de", "en", ["Ein Satz.", "Noch einer."])

Everything is a pure function of the arguments: the same arguments give byte-identical
``model.bin``, ``sentencepiece.model`` and zip files (fixed zip timestamps, sorted entries).

Output length is controlled, because random weights alone decode until
``max_decoding_length``: the output projection gets a bias that favours ``</s>``
(``eos_bias``), so most outputs stop after a handful of tokens. Special tokens that must
never be generated (``<s>``, ``<blank>``, padding entries) get a large negative bias.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from toolkit.config.languages import LANGUAGE_NAMES

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_SPECIAL = ("<unk>", "<s>", "</s>")
_PAD_PREFIX = "<extra_"


def _training_lines(texts: Iterable[str]) -> list[str]:
    """Non-empty lines of the texts, each at most 4000 bytes (SentencePiece skips longer)."""
    lines: list[str] = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            while line:
                head = line.encode("utf-8")[:4000].decode("utf-8", "ignore")
                lines.append(head)
                line = line[len(head) :].strip()
    if not lines:
        raise ValueError("build_argos_package needs at least one non-empty training text")
    return lines


def train_sentencepiece(texts: Iterable[str], vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model on ``texts``; return the serialized model.

    ``hard_vocab_limit=False`` lets a small corpus yield fewer pieces than asked for;
    one thread and no shuffling keep the result deterministic.
    """
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_training_lines(texts)),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _vocabulary(sp_model: bytes, vocab_size: int) -> list[str]:
    """The model vocabulary: SentencePiece pieces in id order, padded to ``vocab_size``.

    Padding keeps the embedding and output-projection sizes what the caller asked for (so a
    benchmark model costs what a real 32k-vocabulary model costs) even when the training
    text only supports a few hundred pieces.
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if tuple(pieces[:3]) != _SPECIAL:
        raise ValueError(f"unexpected SentencePiece special pieces: {pieces[:3]}")
    pieces.append("<blank>")
    pieces += [f"{_PAD_PREFIX}{i}>" for i in range(max(0, vocab_size - len(pieces)))]
    return pieces


class _WeightFactory:
    """Deterministic small random weights, drawn in a fixed order from one seeded generator.

    Layers that write into the residual stream are scaled by 1/sqrt(2 * num_layers), so the
    stream's magnitude, and with it the length clock's effect, does not depend on depth.
    """

    def __init__(self, seed: int, num_layers: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._residual_scale = (2 * num_layers) ** -0.5

    def normal(self, *shape: int, scale: float) -> np.ndarray:
        return (self._rng.standard_normal(shape, dtype=np.float32) * np.float32(scale)).astype(
            np.float32
        )

    def linear(self, spec: object, out_dim: int, in_dim: int, *, residual: bool = False) -> None:
        scale = in_dim**-0.5 * (self._residual_scale if residual else 1.0)
        spec.weight = self.normal(out_dim, in_dim, scale=scale)  # type: ignore[attr-defined]
        spec.bias = np.zeros(out_dim, dtype=np.float32)  # type: ignore[attr-defined]


def _layer_norm(spec: object, d_model: int) -> None:
    spec.gamma = np.ones(d_model, dtype=np.float32)  # type: ignore[attr-defined]
    spec.beta = np.zeros(d_model, dtype=np.float32)  # type: ignore[attr-defined]


def _fill_attention(spec: object, w: _WeightFactory, d_model: int, *, self_attention: bool) -> None:
    _layer_norm(spec.layer_norm, d_model)  # type: ignore[attr-defined]
    linears = spec.linear  # type: ignore[attr-defined]
    if self_attention:  # fused QKV, then output
        w.linear(linears[0], 3 * d_model, d_model)
        w.linear(linears[1], d_model, d_model, residual=True)
    else:  # query, fused KV, output
        w.linear(linears[0], d_model, d_model)
        w.linear(linears[1], 2 * d_model, d_model)
        w.linear(linears[2], d_model, d_model, residual=True)


def _fill_ffn(spec: object, w: _WeightFactory, d_model: int, ffn_dim: int) -> None:
    _layer_norm(spec.layer_norm, d_model)  # type: ignore[attr-defined]
    w.linear(spec.linear_0, ffn_dim, d_model)  # type: ignore[attr-defined]
    w.linear(spec.linear_1, d_model, ffn_dim, residual=True)  # type: ignore[attr-defined]


_CLOCK = 0  # model dimension that carries the decoder's "clock"
_CLOCK_GAIN = 3.0
_EOS_BIAS = -5.0
_MAX_POSITIONS = 1024


def _install_length_clock(spec: object, eos_id: int, d_model: int, output_length: int) -> None:
    """Make ``</s>`` likely after about ``output_length`` decoding steps.

    Random weights never stop on their own. The decoder gets a learned position table whose
    only non-zero column is a clock rising linearly with the step; only the ``</s>`` row of
    the output projection reads that column, so the ``</s>`` logit climbs from well below
    the others to well above them around step ``output_length``.
    """
    steps = np.arange(_MAX_POSITIONS, dtype=np.float32)
    table = np.zeros((_MAX_POSITIONS, d_model), dtype=np.float32)
    table[:, _CLOCK] = steps * np.float32(3.0 / max(1, output_length))
    spec.decoder.position_encodings.encodings = table  # type: ignore[attr-defined]
    projection = spec.decoder.projection.weight  # type: ignore[attr-defined]
    projection[:, _CLOCK] = 0.0
    projection[eos_id, :] = 0.0
    projection[eos_id, _CLOCK] = _CLOCK_GAIN


def build_transformer_spec(
    vocabulary: list[str],
    *,
    num_layers: int,
    d_model: int,
    num_heads: int,
    ffn_dim: int,
    seed: int,
    output_length: int,
) -> object:
    """A validated ``ctranslate2.specs.TransformerSpec`` with shared vocabulary and weights.

    Pre-norm Transformer like the OpenNMT-py models Argos ships: sinusoidal positions,
    shared source/target embeddings tied to the output projection.
    """
    from ctranslate2.specs import transformer_spec

    if d_model % num_heads:
        raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
    spec = transformer_spec.TransformerSpec.from_config(num_layers, num_heads)
    w = _WeightFactory(seed, num_layers)
    embeddings = w.normal(len(vocabulary), d_model, scale=d_model**-0.5)
    embeddings[:, _CLOCK] = 0.0  # the clock dimension carries only the decoding step

    encoder = spec.encoder
    encoder.embeddings[0].weight = embeddings
    _layer_norm(encoder.layer_norm, d_model)
    for layer in encoder.layer:
        _fill_attention(layer.self_attention, w, d_model, self_attention=True)
        _fill_ffn(layer.ffn, w, d_model, ffn_dim)

    decoder = spec.decoder
    decoder.embeddings.weight = embeddings
    _layer_norm(decoder.layer_norm, d_model)
    for layer in decoder.layer:
        _fill_attention(layer.self_attention, w, d_model, self_attention=True)
        _fill_attention(layer.attention, w, d_model, self_attention=False)
        _fill_ffn(layer.ffn, w, d_model, ffn_dim)
    # An untied projection: tied to the embeddings, random models just repeat the input token.
    decoder.projection.weight = w.normal(len(vocabulary), d_model, scale=d_model**-0.5)
    _install_length_clock(spec, vocabulary.index("</s>"), d_model, output_length)
    bias = np.zeros(len(vocabulary), dtype=np.float32)
    bias[vocabulary.index("</s>")] = _EOS_BIAS
    for token in ("<s>", "<blank>"):
        bias[vocabulary.index(token)] = -1e4
    bias[[i for i, tok in enumerate(vocabulary) if tok.startswith(_PAD_PREFIX)]] = -1e4
    decoder.projection.bias = bias

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)  # aliases the tied embeddings, like the converters do
    return spec


def package_metadata(
    from_code: str, to_code: str, package_version: str, target_prefix: str | None
) -> dict[str, object]:
    """The ``metadata.json`` content of a built package."""
    metadata: dict[str, object] = {
        "package_version": package_version,
        "argos_version": "1.9",
        "type": "translate",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
    }
    if target_prefix is not None:
        metadata["target_prefix"] = target_prefix
    return metadata


def _zip_dir(source: Path, out_path: Path, top: str) -> None:
    """Zip ``source`` under directory ``top`` with fixed timestamps and sorted entries."""
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in source.rglob("*")):
            rel = path.relative_to(source).as_posix()
            info = zipfile.ZipInfo(f"{top}/{rel}" + ("/" if path.is_dir() else ""), _ZIP_DATE)
            if path.is_dir():
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                # Random weights do not compress; storing them keeps big builds fast.
                info.compress_type = (
                    zipfile.ZIP_STORED if path.suffix == ".bin" else zipfile.ZIP_DEFLATED
                )
                zf.writestr(info, path.read_bytes())


def build_argos_package(
    out_path: Path,
    from_code: str,
    to_code: str,
    texts: list[str],
    *,
    num_layers: int = 2,
    d_model: int = 64,
    num_heads: int = 2,
    ffn_dim: int = 128,
    vocab_size: int = 500,
    seed: int = 0,
    target_prefix: str | None = None,
    package_version: str = "1.0",
    output_length: int = 8,
) -> Path:
    """Write a real, tiny Argos package to ``out_path`` (``.argosmodel`` zip) and return it.

    ``texts`` train the shared SentencePiece model (lines are training sentences). The
    defaults build in well under a second; ``num_layers=6, d_model=512, num_heads=8,
    ffn_dim=2048, vocab_size=32000`` gives a model the size of a real Argos package.
    ``target_prefix`` is written to ``metadata.json`` and added to the vocabulary so the
    decoder can be forced to start with it, as in multilingual Argos models.
    """
    out_path = Path(out_path)
    sp_model = train_sentencepiece(texts, vocab_size)
    vocabulary = _vocabulary(sp_model, vocab_size)
    if target_prefix is not None and target_prefix not in vocabulary:
        vocabulary.append(target_prefix)
    spec = build_transformer_spec(
        vocabulary,
        num_layers=num_layers,
        d_model=d_model,
        num_heads=num_heads,
        ffn_dim=ffn_dim,
        seed=seed,
        output_length=output_length,
    )
    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(prefix="argos-build-") as tmp:
        root = Path(tmp) / top
        (root / "model").mkdir(parents=True)
        spec.save(str(root / "model"))  # type: ignore[attr-defined]
        (root / "sentencepiece.model").write_bytes(sp_model)
        metadata = package_metadata(from_code, to_code, package_version, target_prefix)
        (root / "metadata.json").write_text(
            json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (root / "README.md").write_text(
            f"Synthetic {from_code}->{to_code} test package built by the toolkit's test support; "
            "its translations are meaningless.\n",
            encoding="utf-8",
        )
        out_path.parent.mkdir(parents=True, exist_ok=True)
        partial = out_path.with_name(out_path.name + ".part")
        _zip_dir(root, partial, top)
        shutil.move(partial, out_path)
    return out_path
