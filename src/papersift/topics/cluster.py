"""Spherical k-means over unit paper vectors (pure numpy, deterministic for a seed).

Measured (STACK.md, bench/topics.py): k-means on the 384-d MiniLM vectors recovers known topics
well (ARI 0.85 at 10k); UMAP+HDBSCAN is better on that figure but needs ~50 s of numba compile
per process and ~5 s per 10k points, so the default is this.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MIN_THREAD = 3  # smaller clusters are folded into their next-best thread


def default_threads(n: int) -> int:
    """How many threads for ``n`` papers: about sqrt(n / 2) (8 for 136, 32 for 2,000, 173 for
    60,000) - threads of a few hundred papers at corpus scale, a handful on small stores."""
    if n <= 0:
        return 0
    return max(1, min(n, round(math.sqrt(n / 2))))


def _plus_plus(x: Any, k: int, rng: np.random.Generator, sample: int = 20_000) -> Any:
    """k-means++ seeding (cosine distance) on at most ``sample`` points."""
    pool = x if len(x) <= sample else x[rng.choice(len(x), sample, replace=False)]
    centers = np.empty((k, x.shape[1]), dtype=np.float32)
    centers[0] = pool[rng.integers(len(pool))]
    closest = 1.0 - pool @ centers[0]
    for j in range(1, k):
        weights = np.clip(closest, 0.0, None) ** 2
        total = float(weights.sum())
        if total > 0:
            pick = int(rng.choice(len(pool), p=weights / total))
        else:
            pick = int(rng.integers(len(pool)))
        centers[j] = pool[pick]
        np.minimum(closest, 1.0 - pool @ centers[j], out=closest)
    return centers


def _normalize(v: Any) -> Any:
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


def assign(x: Any, centroids: Any, chunk: int = 16_384) -> tuple[Any, Any]:
    """Each row's nearest centroid by cosine, and that cosine."""
    labels = np.empty(len(x), dtype=np.int64)
    best = np.empty(len(x), dtype=np.float32)
    for start in range(0, len(x), chunk):
        sims = x[start : start + chunk] @ centroids.T
        labels[start : start + chunk] = sims.argmax(axis=1)
        best[start : start + chunk] = sims.max(axis=1)
    return labels, best


def kmeans(x: Any, k: int, *, seed: int = 0, iterations: int = 30) -> tuple[Any, Any]:
    """``(centroids, labels)`` of spherical k-means on unit rows ``x`` (k x dim unit centroids).
    Clusters smaller than :data:`MIN_THREAD` are dissolved into their members' next-best
    centroid, so fewer than ``k`` may come back (renumbered 0..)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    k = max(1, min(k, len(x)))
    rng = np.random.default_rng(seed)
    centroids = _plus_plus(x, k, rng)
    labels = np.full(len(x), -1, dtype=np.int64)
    for _ in range(iterations):
        new, sims = assign(x, centroids)
        if np.array_equal(new, labels):
            break
        labels = new
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, x)
        counts = np.bincount(labels, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if len(empty):  # reseed empty clusters with the points worst served
            worst = np.argsort(sims)[: len(empty)]
            sums[empty] = x[worst]
        centroids = _normalize(sums).astype(np.float32)
    return _dissolve_small(x, centroids)


def _dissolve_small(x: Any, centroids: Any) -> tuple[Any, Any]:
    labels, _ = assign(x, centroids)
    if len(x) < MIN_THREAD * 4:
        keep = np.unique(labels)
    else:
        counts = np.bincount(labels, minlength=len(centroids))
        keep = np.flatnonzero(counts >= MIN_THREAD)
        if len(keep) == 0:
            keep = np.array([int(counts.argmax())])
    centroids = centroids[keep]
    labels, _ = assign(x, centroids)
    sums = np.zeros_like(centroids)
    np.add.at(sums, labels, x)
    centroids = _normalize(sums).astype(np.float32)
    labels, _ = assign(x, centroids)
    used, labels = np.unique(labels, return_inverse=True)  # none left empty, numbered 0..
    return centroids[used], labels.astype(np.int64)
