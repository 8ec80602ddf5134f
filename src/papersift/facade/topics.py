"""The facade's topic threads, trending topics and the map."""

from __future__ import annotations

from papersift.errors import UsageError
from papersift.facade.cards import CardsFacade
from papersift.facade.search import SearchFacade
from papersift.model import MapPoints, Topic, TopicsReport, TopicThread, TrendingTopic


class TopicsFacade(CardsFacade, SearchFacade):
    """Topic threads (need embeddings) and the 2-D map."""

    def build_topics(self, full: bool = False, *, threads: int | None = None) -> TopicsReport:
        """Bring the topic threads up to date: new (and re-embedded) papers join the thread
        with the nearest centroid; ``full`` reclusters everything (also done when no threads
        exist yet, or they came from another embedding model). ``threads`` fixes how many
        (default: about sqrt(papers / 2)). Needs embeddings (``index``)."""
        from papersift.topics.build import build_topics

        if threads is not None and threads < 1:
            raise UsageError("threads must be at least 1")
        model = self.embeddings().model_id
        return build_topics(self.store, model, full=full, threads=threads)

    def topics(self) -> list[Topic]:
        """Every topic thread, largest first (empty before the first ``build_topics``)."""
        from papersift.topics.views import topics

        return topics(self.store)

    def topic(self, topic_id: int, *, limit: int | None = 200, cards: bool = False) -> TopicThread:
        """One thread: label, papers (most central first, ``limit`` of them), size by month;
        with ``cards``, each listed paper's system card (made now where missing), so the
        thread's claims can be compared side by side. Raises TopicNotFoundError."""
        from dataclasses import replace

        from papersift.topics.views import thread

        if limit is not None and limit < 0:
            raise UsageError("limit must not be negative")
        found = thread(self.store, topic_id, limit=limit)
        if not cards:
            return found
        made = self.cards_for([item.paper for item in found.papers])
        papers = tuple(replace(item, card=made.get(item.paper.id)) for item in found.papers)
        return replace(found, papers=papers)

    def trending_topics(
        self, *, limit: int = 10, today: str | None = None, window: int = 28
    ) -> list[TrendingTopic]:
        """Threads growing against their own history: papers in the last ``window`` days vs.
        their mean per window before, log2((recent + 2) / (baseline + 2)); ``today`` defaults
        to the newest publication day in the store."""
        from papersift.topics.views import trending

        return trending(self.store, limit=limit, today=today, window=window)

    def paper_topic(self, identifier: str) -> Topic | None:
        """The thread of the paper ``identifier`` names (None if it is in none yet)."""
        from papersift.topics.views import paper_topic

        return paper_topic(self.store, self.get(identifier).id)

    def map_points(self) -> MapPoints:
        """Every paper placed on the 2-D map (columns: ids, x, y, topic, day, title)."""
        from papersift.topics.views import map_points

        return map_points(self.store)
