"""Day listings in the store: which paper appeared on which day (migration 0005_listings)."""

from __future__ import annotations

from typing import NamedTuple, Protocol


class DayEntry(NamedTuple):
    """A paper listed in a span of days: the last day of the span it was listed on, its
    upvotes (``None`` when no source counts them) and its published date (ISO 8601)."""

    paper_id: str
    day: str
    upvotes: int | None
    published: str | None


class ListingStore(Protocol):
    """What the Today page and the daily-list API read."""

    def listed_between(self, start: str, end: str) -> list[DayEntry]:
        """Every paper listed on a day from ``start`` to ``end`` (YYYY-MM-DD, inclusive), once,
        with the latest of its days in that span."""
        ...

    def listing_neighbours(self, start: str, end: str) -> tuple[str | None, str | None]:
        """The last day before ``start`` and the first day after ``end`` that have papers."""
        ...

    def listing_last_day(self, *, until: str | None = None) -> str | None:
        """The latest day with papers (on or before ``until``, when given)."""
        ...

    def change_mark(self) -> tuple[int, int]:
        """Cheaply: the last change-log seq and the last embedding seq. One of them grows
        whenever a paper is added, changed or removed or a vector is written (by any process),
        so what was read or searched at one mark holds while the mark stays."""
        ...
