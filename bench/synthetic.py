"""Real-like embedding vectors for scale benchmarks (bench/vectors.py, bench/search.py).

Embedding the 60k corpus takes ~50 minutes on the project's machine and a million papers do not
exist here, so benches at scale need made-up vectors. Random unit vectors are the wrong stand-in
for an approximate index: in 384 dimensions every point is nearly equidistant from every other,
the hardest case there is (HNSW recall@10 0.83-0.91 at 1M, M=32, efConstruction=128), while
sentence embeddings lie near a low-dimensional surface. Here each vector is a randomly weighted
mix of three real paper embeddings (the bundled sample's, made by papersift's encoder) plus a
little noise: a continuum with the neighbourhood shape of real embeddings, not clusters of
near-copies. It is still a model of real data, not real data: recall measured on it is an
estimate, said so wherever it is reported.
"""

from __future__ import annotations

import numpy as np

from papersift.radar import SAMPLE_DIR

QUERIES = 200


def sample_vectors() -> np.ndarray:
    """The real embeddings shipped with the bundled sample (float32, unit length)."""
    with np.load(SAMPLE_DIR / "embeddings.npz") as saved:
        return np.asarray(saved["vectors"], dtype=np.float32)


def real_like(
    n: int, rng: np.random.Generator, queries: int = QUERIES
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` real-like unit vectors, and ``queries`` query vectors (held-out real embeddings,
    slightly perturbed)."""
    real = sample_vectors()
    base, held = real[:300], real[300:]
    out = np.empty((n, real.shape[1]), np.float32)
    for start in range(0, n, 100_000):
        m = min(n, start + 100_000) - start
        mix = np.zeros((m, real.shape[1]), np.float32)
        for _ in range(3):  # random weights: a continuum, not clusters of near-copies
            weight = rng.uniform(0.2, 1.0, (m, 1)).astype(np.float32)
            mix += weight * base[rng.integers(0, len(base), m)]
        mix += rng.normal(0, 0.02, mix.shape).astype(np.float32)
        out[start : start + m] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    asked = held[rng.integers(0, len(held), queries)]
    asked = asked + rng.normal(0, 0.02, asked.shape).astype(np.float32)
    return out, (asked / np.linalg.norm(asked, axis=1, keepdims=True)).astype(np.float32)
