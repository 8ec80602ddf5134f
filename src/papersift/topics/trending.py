"""Thread size over time, and trending threads: growth against each thread's own history.

The formula (one, documented here and in the README):

    recent   r = papers of the thread published in the WINDOW days ending on the reference day
    baseline b = mean papers per WINDOW-day window over the HISTORY windows before it
                 (only windows that start on or after the store's first publication day count:
                 a young store is not a history of zeros)
    trend      = log2((r + ALPHA) / (b + ALPHA))

ALPHA (= 2 papers) damps small counts: 0 -> 4 papers is +1.6, not infinite; 100 -> 200 is +1.0.
A thread trends when trend > 0 and r >= MIN_RECENT. The reference day is, by default, the newest
publication day in the store (a store fed daily: today; a historical corpus: its last day).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW = 28
HISTORY = 6
ALPHA = 2.0
MIN_RECENT = 3


@dataclass(frozen=True, slots=True)
class Growth:
    topic: int
    recent: int
    baseline: float
    windows: int  # history windows the baseline averages
    score: float


def trend_score(recent: int, baseline: float, alpha: float = ALPHA) -> float:
    """log2((recent + alpha) / (baseline + alpha))."""
    return math.log2((recent + alpha) / (baseline + alpha))


def growth(
    day_counts: Iterable[tuple[int, str, int]],
    *,
    today: date | None = None,
    window: int = WINDOW,
    history: int = HISTORY,
) -> list[Growth]:
    """Every thread's growth, highest score first (threads with no history windows left out).
    ``day_counts`` are ``(topic, YYYY-MM-DD, papers)``."""
    per_topic: dict[int, dict[date, int]] = {}
    days_seen: set[date] = set()
    for topic, day, count in day_counts:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            continue
        per_topic.setdefault(topic, {})[when] = per_topic.get(topic, {}).get(when, 0) + count
        days_seen.add(when)
    if not days_seen:
        return []
    end = today or max(days_seen)
    first = min(days_seen)
    # window 0 is (end - window, end]; window i is the i-th before it
    starts = [end - timedelta(days=window * (i + 1) - 1) for i in range(history + 1)]
    valid = [i for i in range(1, history + 1) if starts[i] >= first]  # whole windows only
    if not valid:
        return []
    out = []
    for topic, days in per_topic.items():
        buckets = [0] * (history + 1)
        for when, count in days.items():
            offset = (end - when).days
            if 0 <= offset < window * (history + 1):
                buckets[offset // window] += count
        baseline = sum(buckets[i] for i in valid) / len(valid)
        score = trend_score(buckets[0], baseline)
        out.append(Growth(topic, buckets[0], baseline, len(valid), score))
    out.sort(key=lambda g: (-g.score, -g.recent, g.topic))
    return out


def trending(growths: Iterable[Growth], *, min_recent: int = MIN_RECENT) -> list[Growth]:
    """The threads that grow: trend above 0 with at least ``min_recent`` recent papers."""
    return [g for g in growths if g.score > 0 and g.recent >= min_recent]


def by_month(days: Mapping[str, int]) -> list[tuple[str, int]]:
    """Papers per month (YYYY-MM), months without papers between the first and last included."""
    months: dict[str, int] = {}
    for day, count in days.items():
        months[day[:7]] = months.get(day[:7], 0) + count
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append((key, months.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
