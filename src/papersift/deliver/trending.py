"""Trending and day listings: pure functions over what the store says was listed when.

The trending score (one formula, used by the Today page, the daily-list API and anything else
that ranks "what is hot"):

    score = (upvotes + SAVE_WEIGHT * saves + 1) * 0.5 ** (age_days / HALF_LIFE_DAYS)

- ``upvotes``: the votes a source counted (Hugging Face daily papers); 0 where it has none.
- ``saves``: how many local readers saved the paper to their library (the accounts feature
  passes it; 0 until then). A save is a stronger signal than a click-upvote: it weighs double.
- ``+ 1``: every paper starts with one "vote", so papers without votes still rank by recency,
  and a fresh paper is not buried under an old one with a single vote.
- ``age_days``: days from the paper's (latest) listing day in the period to the period's last
  day, never negative: the ranking of a past week is the one it had at the end of that week,
  and a day's list (all of age 0) is simply ordered by votes.
- ``HALF_LIFE_DAYS``: a listing loses half its weight every 3 days, so in a week view a paper
  with 100 votes on Monday (x0.25 by Sunday) ranks below one with 30 on Sunday.

Ties break on the newer published date, then on the paper id, so the order is total and stable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from papersift.store.listings import DayEntry

HALF_LIFE_DAYS = 3.0
SAVE_WEIGHT = 2.0
PERIODS = ("day", "week", "month")
SORTS = ("trending", "newest")


def trending_score(upvotes: int | None, age_days: float, saves: int = 0) -> float:
    """The trending score of one listing (see the module docstring for the formula)."""
    votes = max(upvotes or 0, 0) + SAVE_WEIGHT * max(saves, 0) + 1
    return votes * math.pow(0.5, max(age_days, 0.0) / HALF_LIFE_DAYS)


@dataclass(frozen=True, slots=True)
class Span:
    """The days of one period: a day, an ISO week (Monday to Sunday) or a calendar month."""

    period: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.period == "day":
            return self.start.isoformat()
        if self.period == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")


def span(period: str, day: date) -> Span:
    """The ``period`` (day, week or month) that holds ``day``."""
    if period == "day":
        return Span(period, day, day)
    if period == "week":
        start = _shift(day, -day.weekday())
        return Span(period, start, _shift(start, 6))
    if period == "month":
        start = day.replace(day=1)
        following = _shift(start, 32).replace(day=1)
        end = date.max if following <= start else following - timedelta(days=1)
        return Span(period, start, end)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def _shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at the first or last day there is."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


@dataclass(frozen=True, slots=True)
class Ranked:
    """One paper of a listing, with the score it was ranked by."""

    paper_id: str
    day: str
    upvotes: int | None
    published: str | None
    score: float
    saves: int = 0


def rank(
    entries: Sequence[DayEntry],
    *,
    sort: str,
    until: date,
    saves: Mapping[str, int] | None = None,
) -> list[Ranked]:
    """Order a period's entries: ``trending`` (the score above, ages counted to ``until``) or
    ``newest`` (published date, newest first; the score is still given)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    saves = saves or {}
    decay: dict[str, float] = {}  # a period has few distinct days: one power per day
    for entry in entries:
        if entry.day not in decay:
            try:
                age = (until - date.fromisoformat(entry.day)).days
            except ValueError:
                age = 0
            decay[entry.day] = math.pow(0.5, max(age, 0) / HALF_LIFE_DAYS)
    ranked = [
        Ranked(
            e.paper_id,
            e.day,
            e.upvotes,
            e.published,
            (max(e.upvotes or 0, 0) + SAVE_WEIGHT * max(n, 0) + 1) * decay[e.day],
            n,
        )
        for e in entries
        for n in (saves.get(e.paper_id, 0),)
    ]
    # ties: newer published first, then id (sorted twice: the stable second sort keeps it)
    ranked.sort(key=lambda r: r.paper_id)
    if sort == "trending":
        ranked.sort(key=lambda r: (r.score, r.published or ""), reverse=True)
    else:
        ranked.sort(key=lambda r: r.published or "", reverse=True)
    return ranked
