"""SQLite side of :class:`~papersift.store.listings.ListingStore` (table paper_days)."""

from __future__ import annotations

import sqlite3

from papersift.store.listings import DayEntry


class ListingsSQLite:
    """Mixin of :class:`~papersift.store.sqlite.SqliteStore`: reads ``paper_days``."""

    _db: sqlite3.Connection

    def listed_between(self, start: str, end: str) -> list[DayEntry]:
        rows = self._db.execute(
            "SELECT paper_id, max(day), upvotes, published FROM paper_days "
            "WHERE day BETWEEN ? AND ? GROUP BY paper_id",
            (start, end),
        )
        return [DayEntry(*row) for row in rows]

    def listing_neighbours(self, start: str, end: str) -> tuple[str | None, str | None]:
        before, after = self._db.execute(
            "SELECT (SELECT max(day) FROM paper_days WHERE day < ?), "
            "(SELECT min(day) FROM paper_days WHERE day > ?)",
            (start, end),
        ).fetchone()
        return before, after

    def listing_last_day(self, *, until: str | None = None) -> str | None:
        if until is None:
            row = self._db.execute("SELECT max(day) FROM paper_days").fetchone()
        else:
            row = self._db.execute(
                "SELECT max(day) FROM paper_days WHERE day <= ?", (until,)
            ).fetchone()
        return row[0] if row else None

    def change_mark(self) -> tuple[int, int]:
        changes, vectors = self._db.execute(
            "SELECT (SELECT max(seq) FROM changes), (SELECT max(seq) FROM embeddings)"
        ).fetchone()
        return int(changes or 0), int(vectors or 0)
