"""Clustering and map layout as pure functions, on vectors with a known structure."""

from __future__ import annotations

import numpy as np

from papersift.topics.cluster import MIN_THREAD, assign, default_threads, kmeans
from papersift.topics.layout import place, thread_frames, tsne


def _groups(k: int, per: int, dim: int = 64, noise: float = 0.15, seed: int = 1) -> tuple:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    x = np.repeat(centres, per, axis=0) + noise * rng.normal(size=(k * per, dim)) * np.sqrt(dim)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), np.repeat(np.arange(k), per)


def test_default_threads_grows_with_the_square_root() -> None:
    assert [default_threads(n) for n in (0, 1, 136, 2000, 60_000)] == [0, 1, 8, 32, 173]


def test_kmeans_recovers_separate_groups_deterministically() -> None:
    x, truth = _groups(5, 40)
    centroids, labels = kmeans(x, 5, seed=0)
    assert len(centroids) == 5
    for group in range(5):  # every true group is one cluster
        assert len(set(labels[truth == group].tolist())) == 1
    assert np.allclose(np.linalg.norm(centroids, axis=1), 1.0, atol=1e-5)
    again, labels_again = kmeans(x, 5, seed=0)
    assert np.array_equal(labels, labels_again) and np.allclose(centroids, again)
    nearest, sims = assign(x, centroids)
    assert np.array_equal(nearest, labels) and (sims > 0.3).all()


def test_small_clusters_are_dissolved() -> None:
    x, _ = _groups(3, 30)
    stray = x[:2] * 0 + np.eye(x.shape[1], dtype=np.float32)[:2]  # two lone points
    centroids, labels = kmeans(np.vstack([x, stray]), 8, seed=0)
    counts = np.bincount(labels)
    assert counts.min() >= MIN_THREAD and len(counts) == len(centroids)


def test_map_keeps_groups_apart_and_papers_near_their_thread() -> None:
    x, _ = _groups(6, 30)
    centroids, labels = kmeans(x, 6, seed=0)
    frames = thread_frames(x, labels, centroids)
    pos = place(x, labels, centroids, frames)
    assert pos.shape == (len(x), 2) and np.isfinite(pos).all()
    centres = np.array([[f.x, f.y] for f in frames])
    # each paper is nearer its own thread's centre than any other
    dist = np.linalg.norm(pos[:, None, :] - centres[None, :, :], axis=2)
    assert (dist.argmin(1) == labels).mean() > 0.95
    assert all(f.spread > 0 and f.basis.shape == (2, x.shape[1]) for f in frames)


def test_tsne_separates_two_families_of_centroids() -> None:
    x, truth = _groups(2, 10, noise=0.05)
    y = tsne(x.astype(np.float64), perplexity=4)
    within = np.linalg.norm(y[truth == 0].mean(0) - y[truth == 0], axis=1).mean()
    between = np.linalg.norm(y[truth == 0].mean(0) - y[truth == 1].mean(0))
    assert between > 2 * within
