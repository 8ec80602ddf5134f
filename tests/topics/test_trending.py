"""The trending-thread formula and thread size over time (pure), and through the facade."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from papersift.errors import UsageError
from papersift.radar import Radar
from papersift.topics.trending import ALPHA, by_month, growth, trend_score, trending

END = date(2026, 6, 30)


def _days(topic: int, counts_per_window: list[int], window: int = 28) -> list[tuple[int, str, int]]:
    """``counts_per_window[0]`` papers in the newest window, [1] in the one before, ... each
    put on the middle day of its window."""
    return [
        (topic, (END - timedelta(days=window * i + window // 2)).isoformat(), n)
        for i, n in enumerate(counts_per_window)
        if n
    ]


def test_score_is_the_damped_log_ratio() -> None:
    assert trend_score(10, 4.0) == pytest.approx(math.log2(12 / 6))
    assert trend_score(0, 0.0) == 0.0
    assert trend_score(4, 0.0) == pytest.approx(math.log2(3))  # new thread: finite
    assert trend_score(200, 100.0) == pytest.approx(math.log2(202 / 102))
    assert ALPHA == 2.0


def test_growth_against_each_threads_own_history() -> None:
    counts = [
        *_days(1, [20, 5, 5, 5, 5, 5, 5]),  # quadrupled
        *_days(2, [50, 50, 50, 50, 50, 50, 50]),  # big but flat
        *_days(3, [2, 10, 10, 10, 10, 10, 10]),  # shrinking
        *_days(4, [3, 0, 0, 0, 0, 0, 0]),  # brand new, small
        (5, "2025-01-01", 9),  # only long ago: nothing recent
        (9, "2026-06-30", 1),  # the newest day is the reference by default
    ]
    result = {g.topic: g for g in growth(counts)}
    assert result[1].recent == 20 and result[1].baseline == 5 and result[1].windows == 6
    assert result[1].score == pytest.approx(math.log2(22 / 7))
    assert result[2].score == pytest.approx(0.0)
    assert result[3].score < 0
    assert result[4].score == pytest.approx(math.log2(5 / 2))
    hot = trending(growth(counts))
    assert [g.topic for g in hot] == [1, 4]  # 9 grows too, but with one recent paper


def test_young_store_counts_only_windows_it_has() -> None:
    # a store whose first paper is 60 days old has one whole 28-day window of history
    counts = [
        (1, (END - timedelta(days=60)).isoformat(), 7),  # in a window only partly covered
        (1, (END - timedelta(days=40)).isoformat(), 4),
        (1, END.isoformat(), 12),
    ]
    (only,) = growth(counts)
    assert only.windows == 1 and only.baseline == 4 and only.recent == 12
    assert growth([(1, END.isoformat(), 5)]) == []  # no history at all: no trend


def test_reference_day_and_window_are_parameters() -> None:
    counts = _days(1, [0, 8, 2, 2, 2, 2, 2, 2], window=7)
    (g,) = growth(counts, today=END - timedelta(days=7), window=7)
    assert g.recent == 8 and g.baseline == 2


def test_size_by_month_fills_gaps() -> None:
    months = by_month({"2025-11-03": 2, "2025-11-20": 1, "2026-02-01": 4})
    assert months == [("2025-11", 3), ("2025-12", 0), ("2026-01", 0), ("2026-02", 4)]
    assert by_month({}) == []


def test_trending_threads_through_the_facade(radar: Radar) -> None:
    """On the bundled sample (real arXiv and Hugging Face papers of June-July 2026, with their
    vectors): a week against the weeks before it."""
    radar.load_sample()
    radar.build_topics()
    counts = radar.store.topic_day_counts()
    assert sum(n for _, _, n in counts) > 300
    newest = max(day for _, day, _ in counts)
    hot = radar.trending_topics(window=7, limit=50)
    expected = trending(growth(counts, window=7))
    assert expected, "the sample has threads growing this week"
    assert [t.topic.id for t in hot] == [g.topic for g in expected]
    for t in hot:
        assert t.until == newest and t.score > 0 and t.recent >= 3
        assert t.as_dict()["label"] == t.topic.label
    # the recent count, straight from the thread's papers
    top = hot[0]
    start = date.fromisoformat(newest) - timedelta(days=6)
    days = [p.paper.published[:10] for p in radar.topic(top.topic.id, limit=None).papers]
    assert top.recent == sum(1 for d in days if d and start.isoformat() <= d <= newest)
    with pytest.raises(UsageError):
        radar.trending_topics(today="yesterday")
    with pytest.raises(UsageError):
        radar.trending_topics(window=0)


def test_facade_trending_empty_without_threads(radar: Radar) -> None:
    assert radar.trending_topics() == []
