"""The trending formula, on the Hugging Face daily dumps of ../shared/data."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from papersift.deliver.trending import HALF_LIFE_DAYS, rank, span, trending_score
from papersift.radar import Radar
from papersift.store.listings import DayEntry
from tests.conftest import ingest

WEEK = ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"]  # (03-07 is held out)


def _day_items(data: Path, day: str) -> list[dict[str, object]]:
    with gzip.open(data / "hf-daily-papers" / "daily" / f"{day}.json.gz", "rt") as stream:
        doc = json.load(stream)
    return doc["data"] if isinstance(doc, dict) else doc  # type: ignore[no-any-return]


def test_the_formula() -> None:
    assert trending_score(0, 0) == 1.0
    assert trending_score(9, 0) == 10.0
    assert trending_score(9, HALF_LIFE_DAYS) == pytest.approx(5.0)
    assert trending_score(9, 0, saves=1) == 12.0  # a save weighs two upvotes
    assert trending_score(None, 0) == trending_score(0, 0)
    assert trending_score(5, -3) == trending_score(5, 0)  # never a bonus for the future
    assert trending_score(100, 6) < trending_score(30, 0)  # Monday's 100 < Sunday's 30


def test_periods() -> None:
    assert span("week", date(2026, 6, 24)).start == date(2026, 6, 22)
    assert span("week", date(2026, 6, 24)).label == "2026-W26"
    assert span("month", date(2024, 2, 10)).end == date(2024, 2, 29)
    assert span("month", date(2026, 12, 31)).end == date(2026, 12, 31)
    with pytest.raises(ValueError, match="period"):
        span("year", date(2026, 1, 1))


def test_a_day_ranks_as_its_upvotes(radar: Radar, data: Path) -> None:
    day = WEEK[1]
    ingest(radar, data / "hf-daily-papers" / "daily" / f"{day}.json.gz")
    items = _day_items(data, day)
    listing = radar.listing("day", day, limit=100)
    assert listing.total == len({i["paper"]["id"] for i in items})  # type: ignore[index]
    votes = [item.paper.upvotes or 0 for item in listing.items]
    assert votes == sorted(votes, reverse=True)
    best = max(items, key=lambda i: i["paper"]["upvotes"])["paper"]  # type: ignore[index]
    assert listing.items[0].paper.arxiv_id == best["id"]  # type: ignore[index]


def test_a_week_decays_older_days(radar: Radar, data: Path) -> None:
    reports = ingest(radar, *(data / "hf-daily-papers" / "daily" / f"{d}.json.gz" for d in WEEK))
    assert all(r.ok and r.new for r in reports)
    listing = radar.listing("week", WEEK[2], limit=100)
    assert (listing.start, listing.end) == ("2025-03-03", "2025-03-09")
    scores = [i.score for i in listing.items]
    assert scores == sorted(scores, reverse=True)
    # the latest day's papers are not aged; Monday's lost 3 days' worth
    latest = [i for i in listing.items if i.day == WEEK[-1]]
    monday = [i for i in listing.items if i.day == WEEK[0]]
    assert latest and monday
    for item in latest:
        assert item.score == pytest.approx((item.paper.upvotes or 0) + 1)
    for item in monday:
        expected = ((item.paper.upvotes or 0) + 1) * 0.5 ** (3 / HALF_LIFE_DAYS)
        assert item.score == pytest.approx(expected)
    # so the week is not just sorted by votes: a fresher paper passes an older, more voted one
    votes = [i.paper.upvotes or 0 for i in listing.items]
    assert votes != sorted(votes, reverse=True)
    newest = radar.listing("week", WEEK[2], sort="newest", limit=100)
    published = [i.paper.published or "" for i in newest.items]
    assert published == sorted(published, reverse=True)
    assert {i.paper.id for i in newest.items} == {i.paper.id for i in listing.items}


def test_saves_lift_a_paper() -> None:
    entries = [
        DayEntry("a", "2026-06-01", 10, "2026-06-01"),
        DayEntry("b", "2026-06-01", 5, "2026-06-01"),
    ]
    plain = rank(entries, sort="trending", until=date(2026, 6, 1))
    assert [r.paper_id for r in plain] == ["a", "b"]
    saved = rank(entries, sort="trending", until=date(2026, 6, 1), saves={"b": 3})
    assert [r.paper_id for r in saved] == ["b", "a"] and saved[0].saves == 3


def test_ties_break_on_newer_then_id() -> None:
    entries = [
        DayEntry("b", "2026-06-01", None, "2026-05-30"),
        DayEntry("a", "2026-06-01", None, "2026-05-30"),
        DayEntry("c", "2026-06-01", None, "2026-05-31"),
    ]
    assert [r.paper_id for r in rank(entries, sort="trending", until=date(2026, 6, 1))] == [
        "c",
        "a",
        "b",
    ]


def test_listing_follows_updates_and_folds(radar: Radar, data: Path) -> None:
    """paper_days is kept by triggers: a paper's new listing day and new votes show at once."""
    ingest(radar, data / "hf-daily-papers" / "daily" / f"{WEEK[0]}.json.gz")
    before = radar.listing("day", WEEK[0], limit=100)
    ingest(radar, data / "hf-daily-papers" / "daily" / f"{WEEK[1]}.json.gz")
    after = radar.listing("day", WEEK[0], limit=100)
    assert after.total == before.total
    assert after.next == WEEK[1] and radar.listing("day", WEEK[1]).previous == WEEK[0]
