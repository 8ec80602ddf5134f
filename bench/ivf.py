"""An inverted-file index (faiss IVF-Flat) as the approximate index at scale: build cost and
recall@10 against exact search, on real-like vectors (bench/synthetic.py).

    .venv/bin/python bench/ivf.py 1000000 2048      # vectors, lists (nlist)

Why: papersift's HNSW graph (M=32, efConstruction=128) takes ~15 minutes of both cores to
build at 1M vectors - more than a shared machine could give in one session - while an IVF
index is trained on a sample (k-means, ``nlist * 40`` vectors) and filled in about a minute of
CPU. Prints the build's CPU and wall seconds, then per ``nprobe`` (lists scanned per query) the
recall@10 against exact search over 200 held-out real queries and the p50 of one search
(one thread). Not wired into papersift: a measured option (bench/RESULTS.md, Search).
"""

from __future__ import annotations

import argparse
import os
import time

import faiss
import numpy as np

from synthetic import real_like


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vectors", type=int)
    parser.add_argument("nlist", type=int)
    parser.add_argument("--nprobe", default="8,16,32,64,128")
    args = parser.parse_args()
    n, nlist = args.vectors, args.nlist
    rng = np.random.default_rng(7)
    matrix, queries = real_like(n, rng)
    print(f"{n:,} real-like vectors, IVF-Flat with {nlist} lists; load {os.getloadavg()[0]:.1f}")
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    cpu, wall = time.process_time(), time.perf_counter()
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, nlist, faiss.METRIC_INNER_PRODUCT)
    index.train(matrix[rng.choice(n, min(n, nlist * 40), replace=False)])
    trained = time.process_time() - cpu, time.perf_counter() - wall
    index.add_with_ids(matrix, np.arange(n, dtype=np.int64))
    built = time.process_time() - cpu, time.perf_counter() - wall
    print(f"train: CPU {trained[0]:.0f} s, wall {trained[1]:.0f} s")
    print(f"train + add: CPU {built[0]:.0f} s, wall {built[1]:.0f} s")
    faiss.omp_set_num_threads(1)
    truth = [set(np.argpartition(-(matrix @ q), 10)[:10].tolist()) for q in queries]
    print(f"{'nprobe':>7} {'recall@10':>10} {'p50 ms':>8}")
    for nprobe in (int(v) for v in args.nprobe.split(",")):
        params = faiss.SearchParametersIVF(nprobe=nprobe)
        taken, found = [], 0
        for query, exact in zip(queries, truth, strict=True):
            start = time.perf_counter()
            _, labels = index.search(query[None, :], 10, params=params)
            taken.append((time.perf_counter() - start) * 1000)
            found += len(exact & set(labels[0].tolist()))
        recall = found / (10 * len(queries))
        print(f"{nprobe:>7} {recall:>10.4f} {np.median(taken):>8.2f}", flush=True)
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
