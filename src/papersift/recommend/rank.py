"""Rank candidate papers for one user, each pick with its reason. Pure: vectors and ids in.

The facade gathers what this needs (the user's library with its vectors, the candidates'
vectors, keyword matches) and turns the picks into :class:`~papersift.model.Recommendation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from papersift.recommend.model import Profile, fit, score

if TYPE_CHECKING:
    import numpy.typing as npt

    from papersift.recommend.model import Matrix

KEYWORD_BOOST = 1.0  # added to the score of a paper matching an include keyword (z units)
NAMED_SIMILARITY = 0.25  # a library paper is named in a reason only when at least this close


@dataclass(frozen=True, slots=True)
class Example:
    """A paper (or a topic) the user told us about."""

    id: str  # paper id, or "topic:<text>"
    title: str
    vector: Matrix


@dataclass(frozen=True, slots=True)
class Pick:
    id: str
    score: float
    near: tuple[Example, ...]  # the library papers (or topics) it is closest to
    keywords: tuple[str, ...]  # include keywords it matched

    def reason(self) -> str:
        parts: list[str] = []
        papers = [e for e in self.near if not e.id.startswith("topic:")]
        topics = [e for e in self.near if e.id.startswith("topic:")]
        if papers:
            named = " and ".join(f"“{_short(e.title)}”" for e in papers[:2])
            parts.append(f"close to {named} in your library")
        if topics:
            parts.append("close to your topic " + " and ".join(f"“{t.title}”" for t in topics[:2]))
        if self.keywords:
            parts.append("matches " + ", ".join(self.keywords))
        return "; ".join(parts) or "like your library overall"


def _short(title: str, width: int = 70) -> str:
    title = " ".join(title.split())
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def rank(
    *,
    positives: Sequence[Example],
    negatives: Sequence[Matrix],
    background: Matrix,
    candidate_ids: Sequence[str],
    candidates: Matrix,
    keywords: Mapping[str, tuple[str, ...]],
    limit: int,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> list[Pick]:
    """The ``limit`` best candidates, best first. ``positives`` come most recent first (their
    order weights them); ``keywords`` maps a candidate to the include keywords it matches;
    ``allowed`` (a mask over the rows) leaves the others out without copying the matrix."""
    if not len(candidate_ids) or not positives or limit <= 0:
        return []
    if allowed is not None and not allowed.any():
        return []
    dim = candidates.shape[1]
    profile = Profile(
        positives=np.stack([p.vector for p in positives]).astype(np.float32),
        negatives=np.stack(negatives).astype(np.float32)
        if negatives
        else np.zeros((0, dim), dtype=np.float32),
        background=background,
        positive_ids=tuple(p.id for p in positives),
    )
    ranked = score(profile, fit(profile), candidates)
    scores = ranked.scores.copy()
    if keywords:
        boost = np.array([KEYWORD_BOOST if keywords.get(c) else 0.0 for c in candidate_ids])
        scores = scores + boost
    if allowed is not None:
        scores[~allowed] = -np.inf
    k = min(limit, len(scores) if allowed is None else int(allowed.sum()))
    best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    best = best[np.lexsort((best, -scores[best]))]  # by score, ties by position
    picks = []
    for row in best:
        near = tuple(
            positives[int(j)]
            for j, s in zip(ranked.near[row], ranked.near_similarity[row], strict=True)
            if s >= NAMED_SIMILARITY
        )
        cid = candidate_ids[int(row)]
        picks.append(Pick(cid, float(scores[row]), near, keywords.get(cid, ())))
    return picks
