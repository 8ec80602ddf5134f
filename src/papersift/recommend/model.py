"""A per-user linear model on paper embeddings, and the ranking it makes. Pure numpy.

The user's positives (papers in their library, 👍) and negatives (👎, "not interested") are
examples of a weighted, L2-regularised logistic regression over the 384-d embeddings, with a
random background sample of other papers as soft negatives. Positives are weighted by how
recently they were added (the zotero-arxiv-daily weights ``1 / (1 + log10(rank + 1))``, most
recent first), so a library that drifts pulls the model along. The logistic regression is fit by
Newton's method, each step's 385 x 385 system solved by
conjugate gradients (milliseconds).

A candidate's score adds to the model's margin the similarity to its nearest library papers
(``NEAR`` of them, recency-weighted): the margin knows what separates the library from the rest,
the neighbours keep a small side interest from being outvoted by the main one. The same
neighbours are the pick's reason: "close to X and Y in your library".

Measured on reviewer-paper-expertise (bench/recommend.py, bench/RESULTS.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
    Floats = npt.NDArray[np.float64]

NEAR = 3  # library papers a candidate is compared with (and named in its reason)
NEAR_WEIGHT = 2.0  # weight of neighbour similarity against the model's margin (both z-scored)
REGULARISATION = 1.0  # L2 on the weights (not the bias)
BACKGROUND_WEIGHT = 1.0  # total weight of the background, relative to the positives' total
NEGATIVE_WEIGHT = 1.0  # each explicit negative counts like this many average positives
NEWTON_STEPS = 12
NEIGHBOURS = 256  # most recent positives a candidate is compared with
BLOCK = 8192  # candidates compared with the library at a time (bounds memory)


def recency_weights(n: int) -> Floats:
    """zotero-arxiv-daily: ``1 / (1 + log10(i + 1))`` for the i-th most recent (i from 0),
    normalised to sum 1."""
    raw = np.array([1.0 / (1.0 + math.log10(i + 1)) for i in range(n)], dtype=np.float64)
    total = raw.sum()
    return raw / total if total else raw


@dataclass(frozen=True, slots=True)
class Profile:
    """What the model learns from. Rows of ``positives`` are most recent first."""

    positives: Matrix  # (p, d) unit vectors
    negatives: Matrix  # (n, d)
    background: Matrix  # (b, d) random other papers
    positive_ids: tuple[str, ...] = ()
    positive_weights: Floats | None = field(default=None)  # default: recency_weights(p)


@dataclass(frozen=True, slots=True)
class LinearModel:
    weights: Floats  # (d,)
    bias: float

    def margin(self, matrix: Matrix) -> Floats:
        weights = self.weights.astype(np.float32)  # float32 product: no copy of the matrix
        result: Floats = (np.asarray(matrix, np.float32) @ weights).astype(np.float64)
        return result + self.bias


def fit(profile: Profile) -> LinearModel | None:
    """The user's logistic regression; ``None`` with no positives (nothing to learn)."""
    pos, neg, bg = profile.positives, profile.negatives, profile.background
    p = len(pos)
    if p == 0:
        return None
    pw = profile.positive_weights if profile.positive_weights is not None else recency_weights(p)
    pw = pw / pw.sum() * p  # mean weight 1 per positive
    nw = np.full(len(neg), NEGATIVE_WEIGHT, dtype=np.float64)
    bw = np.full(len(bg), BACKGROUND_WEIGHT * p / max(len(bg), 1), dtype=np.float64)
    x: Floats = np.vstack([pos, neg, bg]).astype(np.float64)
    y = np.concatenate([np.ones(p), np.zeros(len(neg) + len(bg))])
    sw = np.concatenate([pw, nw, bw])
    if not (y == 0).any():
        return None
    xb = np.hstack([x, np.ones((len(x), 1))])
    d = xb.shape[1]
    reg = np.full(d, REGULARISATION)
    reg[-1] = 0.0
    theta = np.zeros(d)
    for _ in range(NEWTON_STEPS):
        z = np.clip(xb @ theta, -30, 30)
        prob = 1.0 / (1.0 + np.exp(-z))
        grad = xb.T @ (sw * (prob - y)) + reg * theta
        curvature = sw * prob * (1 - prob) + 1e-12

        def hessian_times(v: Floats, c: Floats = curvature) -> Floats:
            result: Floats = xb.T @ (c * (xb @ v)) + reg * v + 1e-9 * v
            return result

        step = _conjugate_gradient(hessian_times, grad)
        theta -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return LinearModel(theta[:-1], float(theta[-1]))


def _conjugate_gradient(
    apply: Callable[[Floats], Floats], rhs: Floats, *, steps: int = 100, tol: float = 1e-8
) -> Floats:
    """Solve ``A x = rhs`` for the symmetric positive definite ``A`` that ``apply`` multiplies
    by. Matrix-vector products only: a LAPACK solve of the 385 x 385 Hessian is ~100x slower on
    a busy machine, where OpenBLAS's threads fight for the cores (measured, bench/RESULTS.md)."""
    x = np.zeros_like(rhs)
    r = rhs.copy()
    p = r.copy()
    rr = float(r @ r)
    stop = tol * tol * max(rr, 1e-300)
    for _ in range(steps):
        if rr <= stop:
            break
        ap = apply(p)
        alpha = rr / float(p @ ap)
        x += alpha * p
        r -= alpha * ap
        new = float(r @ r)
        p = r + (new / rr) * p
        rr = new
    return x


def _z(values: Floats) -> Floats:
    spread = float(values.std())
    result: Floats = (values - values.mean()) / spread if spread > 1e-12 else values * 0.0
    return result


@dataclass(frozen=True, slots=True)
class Ranked:
    """Scores of candidates, and for each its nearest positives (row numbers into them)."""

    scores: Floats
    near: npt.NDArray[np.int64]  # (c, NEAR) indices into profile.positives, nearest first
    near_similarity: Floats  # (c, NEAR)


def score(profile: Profile, model: LinearModel | None, candidates: Matrix) -> Ranked:
    """Score every candidate (rows of ``candidates``): the z-scored margin plus ``NEAR_WEIGHT``
    times the z-scored recency-weighted similarity to its nearest positives."""
    c = len(candidates)
    pos = profile.positives
    if c == 0 or len(pos) == 0:
        empty = np.zeros((c, 0), dtype=np.int64)
        return Ranked(np.zeros(c), empty, np.zeros((c, 0)))
    pos = pos[:NEIGHBOURS]  # the most recent: bounds the cost for a large library
    k = min(NEAR, len(pos))
    candidates = np.asarray(candidates, np.float32)
    pos32 = np.asarray(pos, np.float32)
    pw = (
        profile.positive_weights
        if profile.positive_weights is not None
        else recency_weights(len(profile.positives))
    )[: len(pos)]
    # recency only nudges: a paper added long ago still counts as a neighbour
    nudge = 0.05 * (pw / pw.max()).astype(np.float32)[None, :]
    near = np.zeros((c, k), dtype=np.int64)
    near_sim = np.zeros((c, k), dtype=np.float64)
    for start in range(0, c, BLOCK):  # blocks: (block x library) similarities at a time
        sims = candidates[start : start + BLOCK] @ pos32.T
        nudged = sims + nudge
        if k < nudged.shape[1]:  # the k nearest, then in order
            rows = np.argpartition(-nudged, k - 1, axis=1)[:, :k]
            order = np.argsort(-np.take_along_axis(nudged, rows, axis=1), axis=1, kind="stable")
            rows = np.take_along_axis(rows, order, axis=1)
        else:
            rows = np.argsort(-nudged, axis=1, kind="stable")[:, :k]
        near[start : start + BLOCK] = rows
        near_sim[start : start + BLOCK] = np.take_along_axis(sims, rows, axis=1)
    closeness = near_sim.mean(axis=1)
    total = NEAR_WEIGHT * _z(closeness)
    if model is not None:
        total = total + _z(model.margin(candidates))
    if len(profile.negatives):
        worst = (candidates @ np.asarray(profile.negatives, np.float32).T).max(1)
        total = total - np.maximum(worst.astype(np.float64) - 0.8, 0.0) * 10.0  # near-duplicates
    return Ranked(total, near, near_sim)


def sample_background(rows: int, size: int, seed: int) -> Sequence[int]:
    """``size`` distinct row numbers out of ``rows``, the same for the same seed."""
    rng = np.random.default_rng(seed)
    if rows <= size:
        return list(range(rows))
    return sorted(int(i) for i in rng.choice(rows, size=size, replace=False))
