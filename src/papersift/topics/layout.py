"""The 2-D map: threads laid out by exact t-SNE of their centroids, papers around them.

Embedding 60k points with t-SNE or UMAP costs minutes (and numba compiles); the map only needs
threads that are alike to sit near each other and each paper near its threads. So:

1. thread positions: exact t-SNE of the k centroids (k is a few hundred at most: milliseconds),
   scaled so the median distance between neighbouring threads is 1;
2. a paper sits at the softmax-weighted mean of the positions of its 3 nearest threads
   (weights exp(cos / TEMPERATURE)), so papers between two threads lie between them,
3. plus an offset inside its own thread's disc: its vector minus the centroid projected on the
   thread's two main axes (local PCA), squashed into a disc of radius ``spread`` (which grows
   with the square root of the thread's size).

Positions are stored; a paper joining later is placed by the same rule from stored parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

TEMPERATURE = 0.02
NEIGHBOURS = 3
SPREAD = 0.35  # disc radius of a median-size thread, in units of neighbour distance


@dataclass(frozen=True, slots=True)
class ThreadFrame:
    """What places papers of one thread on the map."""

    x: float
    y: float
    spread: float
    basis: Any  # 2 x dim
    scale: float


def tsne(points: Any, *, perplexity: float = 15.0, iterations: int = 600, seed: int = 0) -> Any:
    """Exact t-SNE of a few hundred points (n x 2), initialised from PCA: deterministic."""
    n = len(points)
    if n == 1:
        return np.zeros((1, 2))
    if n <= 3:
        return _pca(points, 2) * 1.0
    perplexity = min(perplexity, (n - 1) / 3)
    d = np.maximum(2.0 - 2.0 * (points @ points.T), 0.0).astype(np.float64)
    p = _affinities(d, perplexity)
    p = (p + p.T) / (2.0 * n)
    p = np.maximum(p, 1e-12)
    y = _pca(points, 2)
    y = y / (np.std(y[:, 0]) or 1.0) * 1e-2
    rng = np.random.default_rng(seed)
    y = y + rng.normal(0, 1e-4, y.shape)
    velocity = np.zeros_like(y)
    gains = np.ones_like(y)
    for it in range(iterations):
        exaggeration = 12.0 if it < 100 else 1.0
        diff = y[:, None, :] - y[None, :, :]
        q_num = 1.0 / (1.0 + (diff**2).sum(-1))
        np.fill_diagonal(q_num, 0.0)
        q = np.maximum(q_num / q_num.sum(), 1e-12)
        grad = 4.0 * (((exaggeration * p - q) * q_num)[:, :, None] * diff).sum(1)
        momentum = 0.5 if it < 250 else 0.8
        same = np.sign(grad) == np.sign(velocity)
        gains = np.where(same, gains * 0.8, gains + 0.2).clip(0.01)
        velocity = momentum * velocity - 200.0 * gains * grad
        y = y + velocity
        y = y - y.mean(0)
    return y


def _affinities(d: Any, perplexity: float) -> Any:
    """Row-wise Gaussian affinities with the given perplexity (binary search on beta)."""
    n = len(d)
    p = np.zeros((n, n))
    target = np.log(perplexity)
    for i in range(n):
        row = np.delete(d[i], i)
        lo, hi, beta = 0.0, np.inf, 1.0
        for _ in range(60):
            w = np.exp(-(row - row.min()) * beta)
            total = w.sum()
            entropy = np.log(total) + beta * (row * w).sum() / total - beta * row.min()
            if abs(entropy - target) < 1e-5:
                break
            if entropy > target:
                lo = beta
                beta = beta * 2 if hi == np.inf else (beta + hi) / 2
            else:
                hi = beta
                beta = (beta + lo) / 2
        p[i, np.arange(n) != i] = w / total
    return p


def _axes(centered: Any, dims: int = 2, rounds: int = 30) -> Any:
    """The top ``dims`` principal axes (dims x d) of centered rows, by subspace iteration on
    the covariance (a few matrix products: LAPACK's SVD is far slower here on a busy machine)."""
    d = centered.shape[1]
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(d, dims))
    rows = centered.astype(np.float64)
    for _ in range(rounds):
        basis, _ = np.linalg.qr(rows.T @ (rows @ basis))
    return basis.T


def _pca(points: Any, dims: int) -> Any:
    centered = points - points.mean(0)
    return centered @ _axes(centered, dims).T


def thread_frames(x: Any, labels: Any, centroids: Any) -> list[ThreadFrame]:
    """Map position, disc radius and local axes of every thread."""
    k = len(centroids)
    pos = tsne(centroids.astype(np.float64))
    if k > 2:  # turn the layout so its long side is horizontal (screens are wide)
        pos = pos - pos.mean(0)
        _, vectors = np.linalg.eigh(pos.T @ pos)
        pos = pos @ vectors[:, ::-1]
    if k > 1:
        gaps = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
        np.fill_diagonal(gaps, np.inf)
        unit = float(np.median(gaps.min(1))) or 1.0
        pos = pos / unit
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    typical = float(np.median(sizes)) or 1.0
    frames = []
    for j in range(k):
        members = x[labels == j] - centroids[j]
        if len(members) >= 3:
            basis = _axes(members).astype(np.float32)
            projected = members @ basis.T
            scale = float(np.sqrt((projected**2).sum(1).mean())) or 1.0
        else:
            basis = np.zeros((2, x.shape[1]), np.float32)
            basis[0, 0] = basis[1, 1] = 1.0
            scale = 1.0
        spread = SPREAD * float(np.clip(np.sqrt(sizes[j] / typical), 0.5, 2.5))
        frames.append(ThreadFrame(float(pos[j, 0]), float(pos[j, 1]), spread, basis, scale))
    return frames


def place(x: Any, labels: Any, centroids: Any, frames: list[ThreadFrame]) -> Any:
    """Map positions (n x 2) of unit vectors ``x`` whose threads are ``labels``."""
    centres = np.array([[f.x, f.y] for f in frames])
    out = np.empty((len(x), 2))
    near = min(NEIGHBOURS, len(centroids))
    for start in range(0, len(x), 8192):
        chunk = x[start : start + 8192]
        sims = chunk @ centroids.T
        top = np.argpartition(-sims, near - 1, axis=1)[:, :near]
        top_sims = np.take_along_axis(sims, top, 1)
        w = np.exp((top_sims - top_sims.max(1, keepdims=True)) / TEMPERATURE)
        w /= w.sum(1, keepdims=True)
        out[start : start + len(chunk)] = (w[:, :, None] * centres[top]).sum(1)
    for j, frame in enumerate(frames):
        rows = np.flatnonzero(labels == j)
        if not len(rows):
            continue
        z = (x[rows] - centroids[j]) @ frame.basis.T / frame.scale
        r = np.sqrt((z**2).sum(1, keepdims=True))
        disc = z * (np.tanh(r / 1.5) / np.where(r > 0, r, 1.0))
        out[rows] += frame.spread * disc
    return out
