"""Papers like a given one: nearest neighbours of its embedding, optionally diversified (MMR).

The paper itself and its duplicates are never among them: other ids of the same paper (its
aliases resolve to it and are not stored as papers) and papers with the very same title (copies
a source could not tie to it). Without embeddings, the paper's own words are the query (BM25),
and the hits say so (mode ``keyword``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from papersift.model import Paper, SearchHit
from papersift.search.hybrid import Semantic, hit
from papersift.search.query import matched_terms, words_query
from papersift.sources import ids

if TYPE_CHECKING:
    from papersift.store import Store


def similar(
    store: Store,
    paper: Paper,
    *,
    semantic: Semantic | None,
    limit: int = 10,
    diversify: float | None = None,
) -> list[SearchHit]:
    """Up to ``limit`` papers most like ``paper``, most similar first. ``diversify`` (0..1) is
    the MMR trade-off: 1 is plain similarity, lower values favour variety among the hits."""
    if limit <= 0:
        return []
    vector = _vector(paper, semantic)
    if vector is None or semantic is None:
        return _by_words(store, paper, limit)
    pool = limit * 3 + 20 if diversify is None else max(limit * 5, 50)
    while True:
        found = semantic.search(vector, pool + 1)
        want = limit if diversify is None else None  # MMR chooses from the whole pool
        papers = _others(store, paper, [pid for pid, _ in found], want)
        if len(papers) >= limit or len(found) < pool + 1:
            break
        pool *= 4
    cosine = dict(found)
    chosen = [p.id for p in papers]
    if diversify is not None and len(chosen) > 1:
        chosen = mmr(vector, chosen, semantic, limit, max(0.0, min(1.0, diversify)))
    by_id = {p.id: p for p in papers}
    return [
        hit(
            by_id[pid],
            score=cosine[pid],
            mode="semantic",
            semantic_score=cosine[pid],
            semantic_rank=rank,
        )
        for rank, pid in enumerate(chosen[:limit], start=1)
    ]


def _vector(paper: Paper, semantic: Semantic | None) -> Any | None:
    if semantic is None or semantic.status()[0] == 0:
        return None
    vector = semantic.vector_of(paper.id)
    if vector is None and (paper.title or paper.abstract):
        vector = semantic.encode_paper(paper.title, paper.abstract)
    return vector


def _others(
    store: Store, paper: Paper, candidates: list[str], want: int | None = None
) -> list[Paper]:
    """The stored papers among ``candidates`` that are not ``paper`` or a copy of it, in order;
    with ``want``, read in small batches and only until that many are found (reading whole
    papers was 70% of a "similar" at 60k when all 50 candidates were read)."""
    own_title = ids.text_key(paper.title)
    rest = [pid for pid in candidates if pid != paper.id]
    step = len(rest) if want is None else want + 5
    kept: list[Paper] = []
    for start in range(0, len(rest), max(step, 1)):
        for other in store.get_many(rest[start : start + step]):
            if paper.arxiv_id and other.arxiv_id == paper.arxiv_id:
                continue
            if own_title and len(own_title) >= 12 and ids.text_key(other.title) == own_title:
                continue
            kept.append(other)
        if want is not None and len(kept) >= want:
            break
    return kept


def mmr(query: Any, candidates: list[str], semantic: Semantic, limit: int, lam: float) -> list[str]:
    """Maximal marginal relevance: repeatedly take the candidate maximizing
    ``lam * sim(query, c) - (1 - lam) * max sim(c, taken)``."""
    import numpy as np

    rows = [(pid, semantic.vector_of(pid)) for pid in candidates]
    rows = [(pid, v) for pid, v in rows if v is not None]
    if not rows:
        return candidates[:limit]
    names = [pid for pid, _ in rows]
    vectors = np.stack([np.asarray(v, dtype=np.float32) for _, v in rows])
    relevance = vectors @ np.asarray(query, dtype=np.float32)
    pairwise = vectors @ vectors.T
    taken: list[int] = []
    closest = np.full(len(names), -np.inf, dtype=np.float32)
    left = np.ones(len(names), dtype=bool)
    for _ in range(min(limit, len(names))):
        redundancy = np.where(np.isfinite(closest), closest, 0.0)
        value = np.where(left, lam * relevance - (1.0 - lam) * redundancy, -np.inf)
        best = int(np.argmax(value))
        taken.append(best)
        left[best] = False
        closest = np.maximum(closest, pairwise[best])
    return [names[i] for i in taken]


def _by_words(store: Store, paper: Paper, limit: int) -> list[SearchHit]:
    """Without embeddings: BM25 with the paper's title and abstract as the query."""
    node = words_query(f"{paper.title} {paper.abstract}")
    if node is None:
        return []
    found = store.fulltext_search(node, limit=limit * 3 + 20)
    papers = _others(store, paper, [pid for pid, _ in found], limit)
    score = dict(found)
    return [
        hit(
            p,
            score=score[p.id],
            mode="keyword",
            keyword_score=score[p.id],
            keyword_rank=rank,
            matched_terms=matched_terms(
                node, {"title": p.title, "authors": " ".join(p.authors), "abstract": p.abstract}
            ),
        )
        for rank, p in enumerate(papers[:limit], start=1)
    ]
