"""Reading topic threads out of a store: listings, one thread, trending, the map."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from papersift.errors import TopicNotFoundError, UsageError
from papersift.model import MapPoints, Topic, TopicPaper, TopicThread, TrendingTopic
from papersift.store.topics import TopicRow
from papersift.topics import trending as trend

if TYPE_CHECKING:
    from papersift.store import Store


def _topic(row: TopicRow) -> Topic:
    return Topic(row.id, row.label, row.phrases, row.size, row.x, row.y)


def topics(store: Store) -> list[Topic]:
    """Every thread, largest first."""
    return sorted((_topic(r) for r in store.topic_rows()), key=lambda t: (-t.size, t.id))


def _by_id(store: Store) -> dict[int, Topic]:
    return {r.id: _topic(r) for r in store.topic_rows()}


def thread(store: Store, topic_id: int, *, limit: int | None = None) -> TopicThread:
    """One thread: its papers, most central first (``limit`` of them), and its size by month."""
    found = _by_id(store).get(topic_id)
    if found is None:
        raise TopicNotFoundError(str(topic_id))
    members = store.topic_members(topic_id, limit=limit)
    papers = {p.id: p for p in store.get_many([m.paper_id for m in members])}
    listed = tuple(
        TopicPaper(papers[m.paper_id], m.similarity, m.joined)
        for m in members
        if m.paper_id in papers
    )
    days = {day: n for _, day, n in store.topic_day_counts(topic_id)}
    return TopicThread(found, listed, tuple(trend.by_month(days)))


def paper_topic(store: Store, paper_id: str) -> Topic | None:
    membership = store.paper_membership(paper_id)
    if membership is None:
        return None
    return _by_id(store).get(membership.topic)


def trending(
    store: Store,
    *,
    limit: int = 10,
    today: str | None = None,
    window: int = trend.WINDOW,
    history: int = trend.HISTORY,
) -> list[TrendingTopic]:
    """The threads growing fastest against their own history (see papersift.topics.trending)."""
    if window < 1 or history < 1 or limit < 0:
        raise UsageError("window and history must be at least 1, limit not negative")
    try:
        reference = date.fromisoformat(today) if today else None
    except ValueError:
        raise UsageError(f"today must be a date YYYY-MM-DD, not {today!r}") from None
    counts = store.topic_day_counts()
    growths = trend.growth(counts, today=reference, window=window, history=history)
    if not growths:
        return []
    until = reference or max(date.fromisoformat(day) for _, day, _ in counts)
    by_id = _by_id(store)
    return [
        TrendingTopic(
            by_id[g.topic], g.recent, g.baseline, g.windows, g.score, window, until.isoformat()
        )
        for g in trend.trending(growths)[:limit]
        if g.topic in by_id
    ]


def map_points(store: Store) -> MapPoints:
    rows = store.topic_map_rows()
    return MapPoints(
        ids=tuple(r[0] for r in rows),
        x=tuple(r[2] for r in rows),
        y=tuple(r[3] for r in rows),
        topic=tuple(r[1] for r in rows),
        day=tuple(r[4] for r in rows),
        title=tuple(r[5] for r in rows),
        topics=tuple(topics(store)),
    )
