"""PostgreSQL side of :class:`~papersift.store.listings.ListingStore` (table paper_days,
migration 0005_listings)."""

from __future__ import annotations

from papersift.store.listings import DayEntry
from papersift.store.postgres_base import PostgresBase


class ListingsPostgres(PostgresBase):
    def listed_between(self, start: str, end: str) -> list[DayEntry]:
        rows = self._all(
            "SELECT paper_id, max(day), max(upvotes), max(published) FROM paper_days "
            "WHERE day BETWEEN %s AND %s GROUP BY paper_id ORDER BY paper_id",
            (start, end),
        )
        return [DayEntry(*row) for row in rows]

    def listing_neighbours(self, start: str, end: str) -> tuple[str | None, str | None]:
        before, after = self._one(
            "SELECT (SELECT max(day) FROM paper_days WHERE day < %s), "
            "(SELECT min(day) FROM paper_days WHERE day > %s)",
            (start, end),
        )
        return before, after

    def listing_last_day(self, *, until: str | None = None) -> str | None:
        if until is None:
            row = self._one("SELECT max(day) FROM paper_days")
        else:
            row = self._one("SELECT max(day) FROM paper_days WHERE day <= %s", (until,))
        return row[0] if row else None

    def change_mark(self) -> tuple[int, int]:
        changes, vectors = self._one(
            "SELECT (SELECT max(seq) FROM changes), (SELECT max(seq) FROM embeddings)"
        )
        return int(changes or 0), int(vectors or 0)
