"""Search: keyword (BM25), semantic (embeddings) and both fused by reciprocal rank.

Exact hits come first: a query that is an arXiv id (any spelling), a DOI, a paper id or a
paper's exact title pins that paper at the top. Filters (dates, categories, sources) restrict
every part. Pages are cut from one deterministic ranking, so ``offset`` walks it.

Keyword ranking: papers with every word first (BM25 order), then, in keyword mode, papers with
all words but one, then with any of them (stop words left out). A pasted text (more than 40
words) is a query by example: any of its words, best BM25 first. Semantic ranking: the cosine
of the query's embedding and each paper's. Hybrid: reciprocal rank fusion, ``weight / (k +
rank)`` summed over the keyword list (every word) and the semantic list. A query written with
operators, fields or exclusions is precise: there, semantic ranking only reorders the keyword
matches instead of adding papers the words did not match.

Search by meaning comes from an object the facade passes in (:class:`Semantic`), so this module
imports no model and runs (keyword only) without one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from papersift.model import Paper, QueryNode, SearchFilters, SearchHit, SearchResult
from papersift.search.query import Query, matched_terms, parse, relaxations, relaxed
from papersift.sources import ids

if TYPE_CHECKING:
    from papersift.store import Store

MODES = ("hybrid", "keyword", "semantic")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+", re.IGNORECASE)
MAX_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Fusion:
    """How the two lists are fused. The textbook k=60 with equal weights: on CSFCube the best
    of a sweep over k (10-100) and the semantic weight (0.5-3) gains under 0.003 NDCG@20 - noise
    over 40 queries - so it was not worth leaving the known baseline
    (``bench/relevance.py --sweep``)."""

    k: int = 60
    keyword_weight: float = 1.0
    semantic_weight: float = 1.0
    depth: int = 300  # how far down each list is read (RRF adds < 1/360 below that)


DEFAULT_FUSION = Fusion()


class Semantic(Protocol):
    """Search by meaning, as the facade provides it."""

    def status(self) -> tuple[int, int]:
        """``(embedded, pending)`` papers for the current model."""
        ...

    def encode_query(self, text: str) -> Any:
        """The query's unit vector."""
        ...

    def encode_paper(self, title: str, abstract: str) -> Any:
        """A paper's unit vector, computed now (for a paper not embedded yet)."""
        ...

    def vector_of(self, paper_id: str) -> Any | None: ...

    def search(
        self, vector: Any, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest papers (among ``allowed``), with their cosine, nearest first."""
        ...


# --- ranking pieces -------------------------------------------------------------------------------


def keyword_ranking(
    store: Store, root: QueryNode | None, filters: SearchFilters, depth: int, *, relax: bool
) -> list[tuple[str, float]]:
    """Papers matching every word first; with ``relax``, while fewer than ``depth``, papers
    matching all words but one, then any word (:func:`~papersift.search.query.relaxations`:
    each looser query costs more, so it only runs when the stricter one fell short)."""
    ranked = store.fulltext_search(root, filters=filters, limit=depth)
    for looser in relaxations(root) if relax else ():
        if len(ranked) >= depth:
            break
        seen = {pid for pid, _ in ranked}
        for pid, score in store.fulltext_search(looser, filters=filters, limit=depth):
            if pid not in seen:
                ranked.append((pid, score))
        del ranked[depth:]
    return ranked


def semantic_ranking(
    store: Store, semantic: Semantic, vector: Any, depth: int, filters: SearchFilters
) -> list[tuple[str, float]]:
    """The ``depth`` papers nearest ``vector`` among those passing ``filters``.

    (Tried and dropped: reading the nearest papers unfiltered in growing batches and checking
    only them against the filters. At 60k it was 3x faster for broad filters but 7x slower for
    narrow ones - the store checks an id list at ~10 us an id - so the filters list their papers
    and the vector index keeps those.)"""
    if not filters.active:
        return semantic.search(vector, depth)
    allowed = store.filter_ids(filters)
    return semantic.search(vector, depth, allowed) if allowed else []


def fuse(lists: Sequence[tuple[Sequence[str], float]], k: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, each with its weight; ties by id."""
    scores: dict[str, float] = {}
    for ranked, weight in lists:
        for rank, pid in enumerate(ranked, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def pins(store: Store, text: str) -> list[tuple[str, str]]:
    """``(paper id, how)`` for papers the query names exactly: by arXiv id, DOI, paper id, or
    exact title (case, accents and punctuation aside)."""
    value = text.strip()
    if not value or len(value) > 2000:
        return []
    found: list[tuple[str, str]] = []
    arxiv = ids.normalize_arxiv_id(value)
    if arxiv:
        pid = store.resolve(arxiv)
        if pid:
            found.append((pid, "arxiv id"))
    doi = ids.normalize_doi(value) if _DOI.fullmatch(value) else None
    if doi:
        pid = store.resolve(doi)
        if pid:
            found.append((pid, "doi"))
    if not found and " " not in value:
        pid = store.resolve(value)
        if pid:
            found.append((pid, "id"))
    key = ids.text_key(value)
    if not found and key and len(key) >= 12:
        holders = store.lookup([("title", ids.digest(key))])
        for holder in sorted({h.id for hs in holders.values() for h in hs}):
            found.append((holder, "exact title"))
    return list({pid: (pid, how) for pid, how in found}.values())


# --- search ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    mode: str
    notes: list[str]
    partial: bool = False
    pending: int = 0


def _plan(mode: str, query: Query, semantic: Semantic | None) -> _Plan:
    plan = _Plan(mode, list(query.notes))
    if mode == "keyword":
        return plan
    if semantic is None:
        plan.notes.append("search by meaning is not available here: keyword search only")
        plan.mode = "keyword"
        return plan
    embedded, pending = semantic.status()
    if embedded == 0:
        plan.notes.append("no paper is embedded yet (run `papersift index`): keyword search only")
        plan.mode = "keyword"
        return plan
    if not query.semantic_text:
        if query.root is not None or mode == "semantic":
            plan.notes.append("nothing to search by meaning in this query: keyword search only")
        plan.mode = "keyword"
        return plan
    if pending:
        plan.partial = True
        plan.pending = pending
        plan.notes.append(
            f"{pending:,} paper{'s are' if pending != 1 else ' is'} not embedded yet "
            "(run `papersift index`): they were searched by keyword only"
        )
    return plan


def search(
    store: Store,
    text: str,
    *,
    mode: str = "hybrid",
    filters: SearchFilters | None = None,
    limit: int = 10,
    offset: int = 0,
    semantic: Semantic | None = None,
    fusion: Fusion = DEFAULT_FUSION,
) -> SearchResult:
    """One page of results for ``text``, any string. Never raises for a query string."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    query = parse(text)
    flt = query.filters(filters)
    plan = _plan(mode, query, semantic)
    if query.root is None and not flt.active:
        # nothing to find: an empty query, or only punctuation, operators, exclusions
        return SearchResult(text, plan.mode, (), offset, limit, 0, notes=tuple(plan.notes))
    depth = max(fusion.depth, offset + limit) if plan.mode != "keyword" else offset + limit

    keyword: list[tuple[str, float]] = []
    cosine: list[tuple[str, float]] = []
    total: int | None = None
    if plan.mode in ("keyword", "hybrid"):
        # hybrid: only papers with every word; papers with some of them are the semantic
        # list's to find (the looser keyword queries cost more than the whole rest)
        keyword = keyword_ranking(store, query.root, flt, depth, relax=plan.mode == "keyword")
    if plan.mode in ("semantic", "hybrid"):
        assert semantic is not None
        vector = semantic.encode_query(query.semantic_text)
        if plan.mode == "hybrid" and not query.plain:  # reorder the keyword matches only
            allowed = [pid for pid, _ in keyword]
            cosine = semantic.search(vector, depth, allowed) if allowed else []
        else:
            cosine = semantic_ranking(store, semantic, vector, depth, flt)
        if plan.mode == "semantic":
            cosine = _without_excluded(store, query, cosine)
            total = store.fulltext_count(None, filters=flt) if flt.active else None
            total = semantic.status()[0] if total is None else total

    if plan.mode == "keyword":
        ranked = keyword
        loose = relaxed(query.root)
        total = store.fulltext_count(loose or query.root, filters=flt)
    elif plan.mode == "semantic":
        ranked = cosine
    else:
        ranked = fuse(
            [
                ([pid for pid, _ in keyword], fusion.keyword_weight),
                ([pid for pid, _ in cosine], fusion.semantic_weight),
            ],
            fusion.k,
        )

    pinned = pins(store, text)
    if pinned and flt.active:
        passing = store.filter_ids(flt, among=[pid for pid, _ in pinned])
        pinned = [p for p in pinned if p[0] in passing]
    order = [pid for pid, _ in pinned]
    order += [pid for pid, _ in ranked if pid not in set(order)]
    if total is not None:
        total = max(total, len(order))
    page = order[offset : offset + limit]
    hits = _hits(
        store,
        page,
        mode=plan.mode,
        scores=dict(ranked),
        keyword=keyword,
        cosine=cosine,
        pinned=dict(pinned),
        explain=relaxed(query.root) or query.root,
    )
    return SearchResult(
        query=text,
        mode=plan.mode,
        hits=tuple(hits),
        offset=offset,
        limit=limit,
        total=total,
        partial=plan.partial,
        pending=plan.pending,
        notes=tuple(plan.notes),
    )


def _without_excluded(
    store: Store, query: Query, ranked: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """``ranked`` without the papers the query's exclusions (``-word``) match."""
    from papersift.model import QueryAnd, QueryNot, QueryOr

    root = query.root
    excluded: list[QueryNode] = []
    if isinstance(root, QueryNot):
        excluded = [root.child]
    elif isinstance(root, QueryAnd):
        excluded = [c.child for c in root.children if isinstance(c, QueryNot)]
    if not excluded or not ranked:
        return ranked
    node = excluded[0] if len(excluded) == 1 else QueryOr(tuple(excluded))
    matched = store.fulltext_terms(node, [pid for pid, _ in ranked])
    return [(pid, s) for pid, s in ranked if pid not in matched]


def _hits(
    store: Store,
    page: Sequence[str],
    *,
    mode: str,
    scores: dict[str, float],
    keyword: list[tuple[str, float]],
    cosine: list[tuple[str, float]],
    pinned: dict[str, str],
    explain: QueryNode | None,
) -> list[SearchHit]:
    papers = {p.id: p for p in store.get_many(list(page))}
    keyword_at = {pid: (rank, s) for rank, (pid, s) in enumerate(keyword, start=1)}
    cosine_at = {pid: (rank, s) for rank, (pid, s) in enumerate(cosine, start=1)}
    hits = []
    for pid in page:
        paper = papers.get(pid)
        if paper is None:  # deleted (folded) since it was indexed
            continue
        k_rank, k_score = keyword_at.get(pid, (None, None))
        s_rank, s_score = cosine_at.get(pid, (None, None))
        hits.append(
            hit(
                paper,
                score=scores.get(pid, 0.0),
                mode="pinned" if pid in pinned else mode,
                matched_terms=matched_terms(
                    explain,
                    {
                        "title": paper.title,
                        "authors": " ".join(paper.authors),
                        "abstract": paper.abstract,
                    },
                ),
                keyword_score=k_score,
                keyword_rank=k_rank,
                semantic_score=s_score,
                semantic_rank=s_rank,
                pinned=pinned.get(pid),
            )
        )
    return hits


def hit(paper: Paper, **facts: Any) -> SearchHit:
    """A :class:`SearchHit` for ``paper`` with the given scores and explanation."""
    return SearchHit(
        id=paper.id,
        title=paper.title,
        display_name=paper.display_name,
        arxiv_id=paper.arxiv_id,
        published=paper.published,
        categories=paper.categories,
        authors=paper.authors,
        **facts,
    )
