"""A user's recommendations: gather the library, the preferences and the candidates, rank.

Positives: papers saved (or rated 👍), most recently saved first (with a tag: only those
tagged so); the user's cold-start seeds and topics (short texts, embedded) join them.
Negatives: papers rated 👎 or dismissed. Candidates: every embedded paper the user has not
saved, rated, read or dismissed, passing the date and category filters and no exclude keyword.
Include keywords lift a paper and are named in its reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from papersift.model import Preferences, Recommendation, Recommendations, SearchFilters, User
from papersift.recommend.model import sample_background
from papersift.recommend.rank import Example, rank

if TYPE_CHECKING:
    from papersift.store import Store

BACKGROUND = 200  # random papers standing for "everything else" (bench/recommend.py)


class VectorSource(Protocol):
    """Embeddings, as the facade provides them."""

    def matrix(self) -> tuple[Sequence[str], Any]:
        """Ids and unit vectors (rows) of every embedded paper."""
        ...

    def encode(self, texts: Sequence[str]) -> Any: ...

    def topics(self, names: Sequence[str]) -> list[tuple[str, Any]]:
        """``(title, unit vector)`` of each followed topic: a topic thread's id stands for the
        thread (its label; the mean of its most central papers), words for their meaning."""
        ...

    def matching(self, keyword: str) -> set[str]:
        """Ids of the papers whose title, authors or abstract contain ``keyword``."""
        ...

    def pending(self) -> int:
        """Papers not embedded yet."""
        ...


def _text(title: str, abstract: str) -> str:
    return f"{title}. {abstract}" if title and abstract else title or abstract


def recommend(
    store: Store,
    vectors: VectorSource,
    user: User,
    *,
    prefs: Preferences,
    since: date | str | None = None,
    limit: int = 10,
    exclude: Collection[str] = (),
    seeds: Sequence[str] = (),
    tag: str | None = None,
) -> Recommendations:
    entries = store.library_entries(user.id)
    hidden = {e.paper_id for e in entries if e.hidden} | set(exclude)
    liked = [e for e in entries if (e.saved or e.rating > 0) and e.rating >= 0 and not e.dismissed]
    if tag is not None:  # papers like those tagged so (the tag's own recommendations)
        liked = [e for e in liked if tag.casefold() in e.tags]
    liked.sort(key=lambda e: (e.saved_at or e.updated_at, e.paper_id), reverse=True)
    positive_ids = list(dict.fromkeys([e.paper_id for e in liked] + list(seeds)))
    negative_ids = [e.paper_id for e in entries if e.rating < 0 or e.dismissed]
    ids, matrix = vectors.matrix()
    row = {pid: i for i, pid in enumerate(ids)}
    notes: list[str] = []

    def examples(paper_ids: Sequence[str]) -> list[Example]:
        papers = {p.id: p for p in store.get_many(list(paper_ids))}
        missing = [pid for pid in paper_ids if pid not in row and pid in papers]
        encoded = (
            vectors.encode([_text(papers[p].title, papers[p].abstract) for p in missing])
            if missing
            else []
        )
        extra = dict(zip(missing, encoded, strict=True))
        out = []
        for pid in paper_ids:
            if pid not in papers:
                continue
            vector = matrix[row[pid]] if pid in row else extra[pid]
            out.append(Example(pid, papers[pid].display_name, np.asarray(vector, np.float32)))
        return out

    positives = examples(positive_ids)
    if prefs.topics and tag is None:
        positives += [
            Example(f"topic:{title}", title, np.asarray(v, np.float32))
            for title, v in vectors.topics(list(prefs.topics))
        ]
    if not positives:
        notes.append(
            "nothing to go on yet: save papers, rate them, or choose topics "
            "(papersift prefs --topic) to get recommendations"
        )
        return Recommendations(user.name, (), 0, tuple(notes))
    negatives = [e.vector for e in examples(negative_ids)]

    allowed: set[str] | None = None
    filters = SearchFilters(
        since=str(since) if since else None,
        categories=prefs.categories,
        exclude_categories=prefs.exclude_categories,
    )
    if filters.active:
        allowed = store.filter_ids(filters)
    banned = set(hidden) | set(positive_ids)
    for keyword in prefs.exclude_keywords:
        banned |= vectors.matching(keyword)
    keep = np.fromiter(
        (pid not in banned and (allowed is None or pid in allowed) for pid in ids),
        dtype=bool,
        count=len(ids),
    )
    keywords: dict[str, tuple[str, ...]] = {}
    for keyword in prefs.include_keywords:
        for pid in vectors.matching(keyword):
            keywords[pid] = (*keywords.get(pid, ()), keyword)
    background_rows = sample_background(len(ids), BACKGROUND, seed=user.id)
    background = (
        np.asarray(matrix[list(background_rows)], np.float32)
        if len(ids)
        else np.zeros((0, 384), np.float32)
    )
    picks = rank(
        positives=positives,
        negatives=negatives,
        background=background,
        candidate_ids=ids,
        candidates=np.asarray(matrix, np.float32),  # a view: the mask leaves rows out
        keywords=keywords,
        limit=limit,
        allowed=keep,
    )
    pending = vectors.pending()
    if pending:
        notes.append(
            f"{pending:,} paper{' is' if pending == 1 else 's are'} not embedded yet and "
            "not ranked (run papersift index)"
        )
    papers = {p.id: p for p in store.get_many([p.id for p in picks])}
    out = tuple(
        Recommendation(
            id=pick.id,
            title=papers[pick.id].display_name,
            score=pick.score,
            reason=pick.reason(),
            near=tuple(e.id for e in pick.near),
            near_titles=tuple(e.title for e in pick.near),
            keywords=pick.keywords,
            published=papers[pick.id].published,
            authors=papers[pick.id].authors,
            categories=papers[pick.id].categories,
        )
        for pick in picks
        if pick.id in papers
    )
    return Recommendations(user.name, out, int(keep.sum()), tuple(notes))
