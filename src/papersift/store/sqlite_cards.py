"""System cards on SQLite (mixed into :class:`~papersift.store.sqlite.SqliteStore`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from papersift.errors import StoreError
from papersift.model import SystemCard
from papersift.store import codec
from papersift.store.cards_sql import CardsSQL
from papersift.store.dialect import SQLiteSQL


class CardsSQLite(SQLiteSQL, CardsSQL):
    def put_cards(self, cards: Sequence[SystemCard]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self._put(cards, now)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot store system cards: {exc}") from exc

    def _put(self, cards: Sequence[SystemCard], now: str) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO cards (paper_id, extractor, content_hash, card, stale, "
            "created_at) SELECT ?, ?, ?, ?, 0, ? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)",
            [
                (
                    c.paper_id,
                    c.extractor,
                    c.content_hash,
                    codec.dumps(c.as_dict()),
                    now,
                    c.paper_id,
                )
                for c in cards
            ],
        )

    def keep_cards(self, paper_ids: Sequence[str]) -> None:
        self._db.executemany(
            "UPDATE cards SET stale = 0 WHERE paper_id = ? AND stale", [(p,) for p in paper_ids]
        )

    def get_cards(self, paper_ids: Sequence[str]) -> dict[str, SystemCard]:
        found: dict[str, SystemCard] = {}
        ids = list(dict.fromkeys(paper_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for pid, card in self._db.execute(
                f"SELECT paper_id, card FROM cards WHERE paper_id IN ({marks})", chunk
            ):
                found[pid] = SystemCard.from_dict(codec.loads(card))
        return found
