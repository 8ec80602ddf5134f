"""Vector search: exact (numpy) against the HNSW graph (faiss), by corpus size.

    .venv/bin/python bench/vectors.py [--sizes 60000,100000,200000,1000000] [--ann 100000,1000000]

Vectors are real-like (bench/synthetic.py): each is a randomly weighted mix of three real paper
embeddings plus noise, so neighbourhoods have the shape of a real corpus; queries are held-out
real embeddings, perturbed. Everything runs through
:class:`papersift.search.vectors.VectorIndex` (exact search, ``allowed`` filters, the graph
``save_ann`` builds). Prints, per size: exact p50/p95 (unfiltered and with 10% / 50% of
papers allowed) and, where asked, the graph's build time, file size, p50/p95 and recall@10
against exact at several efSearch values.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from papersift.config import Settings
from papersift.radar import Radar
from papersift.search import vectors
from papersift.search.vectors import VectorIndex
from synthetic import QUERIES, real_like


def percentiles(times: list[float]) -> str:
    return f"{np.percentile(times, 50) * 1000:7.2f} {np.percentile(times, 95) * 1000:7.2f}"


def timed(call: object, queries: np.ndarray) -> tuple[list[float], list[list[tuple[str, float]]]]:
    times, found = [], []
    for q in queries:
        started = time.perf_counter()
        hits = call(q)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
        found.append(hits)
    return times, found


def recalls(found: list[list[tuple[str, float]]], truth: list[list[tuple[str, float]]]) -> str:
    """recall@10 against exact, and the share of hits within 0.001 of the exact 10th cosine
    (near-ties: a miss there is a neighbour as near as the one it replaced)."""
    exact = np.mean(
        [len({p for p, _ in f} & {p for p, _ in t}) / 10 for f, t in zip(found, truth, strict=True)]
    )
    near = np.mean(
        [sum(s >= t[-1][1] - 1e-3 for _, s in f) / 10 for f, t in zip(found, truth, strict=True)]
    )
    return f"recall@10 {exact:.4f} (within 0.001 of exact: {near:.4f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20000,60000,100000,200000,1000000")
    parser.add_argument("--ann", default="60000", help="sizes to build the HNSW graph at")
    parser.add_argument("--ef", default="64,128,256,512", help="efSearch values to try")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ann_sizes = {int(s) for s in args.ann.split(",") if s}
    efs = [int(s) for s in args.ef.split(",")]
    rng = np.random.default_rng(7)
    default_ef = vectors.ANN_EF_SEARCH
    print(f"load average {os.getloadavg()[0]:.2f}; {QUERIES} queries; k=10; times in ms (p50 p95)")
    print(f"{'vectors':>9} {'exact':>15} {'10% allowed':>15} {'50% allowed':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with Radar.open(Settings(home=home, db=str(home / "v.sqlite3"))) as radar:
            for n in sizes:
                matrix, queries = real_like(n, rng)
                ids = [f"p{i:07d}" for i in range(n)]
                index = VectorIndex(radar.store, "bench", matrix.shape[1], folder=home / "graph")
                index._upsert(ids, list(range(1, n + 1)), matrix)
                exact_times, truth = timed(lambda q, ix=index: ix.search(q, 10), queries)
                cells = [percentiles(exact_times)]
                for share in (0.1, 0.5):
                    allowed = set(ids[:: int(1 / share)])
                    t, _ = timed(lambda q, ix=index, a=allowed: ix.search(q, 10, a), queries[:50])
                    cells.append(percentiles(t))
                print(f"{n:>9,} " + " ".join(f"{c:>15}" for c in cells), flush=True)
                if n not in ann_sizes:
                    continue
                saved_min = vectors.ANN_MIN
                vectors.ANN_MIN = min(n, saved_min)
                started = time.perf_counter()
                index.save_ann()
                build = time.perf_counter() - started
                vectors.ANN_MIN = saved_min
                size = sum(f.stat().st_size for f in (home / "graph").glob("hnsw-*.faiss"))
                print(
                    f"{'':>9}   HNSW M={vectors.ANN_M} efConstruction="
                    f"{vectors.ANN_EF_CONSTRUCTION}: build {build:.0f} s, {size / 2**20:.0f} MB"
                )
                for ef in efs:
                    vectors.ANN_EF_SEARCH = ef
                    t, found = timed(lambda q, ix=index: ix.search(q, 10), queries)
                    print(
                        f"{'':>9}   efSearch {ef:>3}: {percentiles(t)}  {recalls(found, truth)}",
                        flush=True,
                    )
                vectors.ANN_EF_SEARCH = default_ef
                del index


if __name__ == "__main__":
    main()
