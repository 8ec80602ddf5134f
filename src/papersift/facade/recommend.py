"""The facade's recommendations: per-user ranking with the reason for each pick."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from papersift.errors import UsageError
from papersift.facade.library import LibraryFacade
from papersift.model import Recommendations, User


class RecommendFacade(LibraryFacade):
    """Recommendations from a user's library."""

    def recommend(
        self,
        user: User,
        *,
        since: str | None = None,
        limit: int = 10,
        exclude: Collection[str] = (),
        seeds: Sequence[str] = (),
        tag: str | None = None,
    ) -> Recommendations:
        """The papers most like the user's library (and unlike what they rated 👎 or dismissed),
        best first, each with its reason. Never a paper the user saved, rated, read or
        dismissed, nor one in ``exclude``. ``since`` (YYYY, YYYY-MM, YYYY-MM-DD) keeps papers
        published from then on; without it every paper is ranked. ``seeds`` (paper ids) stand
        in for a library that is still empty (cold start), as do the user's topics. With
        ``tag``, the papers like those the user tagged so."""
        from papersift.recommend.recommend import recommend
        from papersift.search.query import parse_day

        if limit < 0:
            raise UsageError("limit must not be negative")
        try:
            day = parse_day(since) if since else None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return recommend(
            self.store,
            _Vectors(self),
            user,
            prefs=self.preferences(user),
            since=day,
            limit=limit,
            exclude=exclude,
            seeds=[self.get(s).id for s in seeds],
            tag=tag,
        )


class _Vectors:
    """What the recommender needs of search by meaning, without importing it."""

    def __init__(self, radar: RecommendFacade) -> None:
        self.radar = radar

    def matrix(self) -> tuple[Sequence[str], Any]:
        index = self.radar.embeddings().index()
        n = len(index)
        return index._ids[:n], index._matrix[:n]  # read-only views of the live index

    def encode(self, texts: Sequence[str]) -> Any:
        return self.radar.embeddings().encoder.encode(list(texts))

    CENTRAL = 10  # papers of a topic thread that stand for it

    def topics(self, names: Sequence[str]) -> list[tuple[str, Any]]:
        import numpy as np

        from papersift.errors import TopicNotFoundError

        out: list[tuple[str, Any]] = []
        words = [n for n in names if not n.strip().isdigit()]
        encoded = dict(zip(words, self.encode(words), strict=True)) if words else {}
        for name in names:
            if name in encoded:
                out.append((name, encoded[name]))
                continue
            try:
                thread = self.radar.topic(int(name), limit=self.CENTRAL)
            except TopicNotFoundError:
                continue  # a thread gone in a rebuild: nothing to follow
            index = self.radar.embeddings().index()
            found = [index.vector_of(t.paper.id) for t in thread.papers]
            vectors = [v for v in found if v is not None]
            if vectors:
                mean = np.mean(np.stack(vectors), axis=0)
                out.append((thread.topic.label, mean / max(float(np.linalg.norm(mean)), 1e-12)))
        return out

    def matching(self, keyword: str) -> set[str]:
        from papersift.model import TextMatch
        from papersift.search.query import tokens

        words = tokens(keyword)
        if not words:
            return set()
        node = TextMatch(words)
        return {pid for pid, _ in self.radar.store.fulltext_search(node, limit=1_000_000)}

    def pending(self) -> int:
        return self.radar.index_status()[1]
