"""System cards on SQLite (mixed into :class:`~papersift.store.sqlite.SqliteStore`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from papersift.errors import StoreError
from papersift.model import Links, SystemCard
from papersift.store import codec
from papersift.store.cards import CardTodo


class CardsSQLite:
    _db: sqlite3.Connection

    def card_todo(self, extractor: str, limit: int, *, after: str = "") -> list[CardTodo]:
        rows = self._db.execute(
            "SELECT p.id, p.title_raw, p.abstract_raw, p.links, c.content_hash, c.extractor "
            "FROM papers p LEFT JOIN cards c ON c.paper_id = p.id "
            "WHERE p.id > ? AND (c.paper_id IS NULL OR c.stale OR c.extractor != ?) "
            "ORDER BY p.id LIMIT ?",
            (after, extractor, limit),
        )
        return [
            CardTodo(pid, title, abstract, Links(**codec.loads(links)), digest, made_by)
            for pid, title, abstract, links, digest, made_by in rows
        ]

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

    def get_card(self, paper_id: str) -> SystemCard | None:
        row = self._db.execute("SELECT card FROM cards WHERE paper_id = ?", (paper_id,)).fetchone()
        return SystemCard.from_dict(codec.loads(row[0])) if row else None

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

    def card_counts(self, extractor: str) -> tuple[int, int]:
        (papers,) = self._db.execute("SELECT count(*) FROM papers").fetchone()
        (current,) = self._db.execute(
            "SELECT count(*) FROM cards WHERE extractor = ? AND NOT stale", (extractor,)
        ).fetchone()
        return int(current), int(papers) - int(current)
