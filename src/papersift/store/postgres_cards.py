"""System cards on PostgreSQL (:class:`~papersift.store.cards.CardStore`, migration 0008)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from papersift.model import Links, SystemCard
from papersift.store import codec
from papersift.store.cards import CardTodo
from papersift.store.postgres_base import PostgresBase


class CardsPostgres(PostgresBase):
    def card_todo(self, extractor: str, limit: int, *, after: str = "") -> list[CardTodo]:
        rows = self._all(
            "SELECT p.id, p.title_raw, p.abstract_raw, p.links, c.content_hash, c.extractor "
            "FROM papers p LEFT JOIN cards c ON c.paper_id = p.id "
            "WHERE p.id > %s AND (c.paper_id IS NULL OR c.stale OR c.extractor <> %s) "
            "ORDER BY p.id LIMIT %s",
            (after, extractor, limit),
        )
        return [
            CardTodo(pid, title, abstract, Links(**codec.loads(links)), digest, made_by)
            for pid, title, abstract, links, digest, made_by in rows
        ]

    def put_cards(self, cards: Sequence[SystemCard]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._many(
            "INSERT INTO cards (paper_id, extractor, content_hash, card, stale, created_at) "
            "SELECT %s, %s, %s, %s, false, %s WHERE EXISTS (SELECT 1 FROM papers WHERE id = %s) "
            "ON CONFLICT (paper_id) DO UPDATE SET extractor = excluded.extractor, "
            "content_hash = excluded.content_hash, card = excluded.card, stale = false, "
            "created_at = excluded.created_at",
            [
                (c.paper_id, c.extractor, c.content_hash, codec.dumps(c.as_dict()), now, c.paper_id)
                for c in cards
            ],
        )

    def keep_cards(self, paper_ids: Sequence[str]) -> None:
        if paper_ids:
            self._many(
                "UPDATE cards SET stale = false WHERE paper_id = ANY(%s) AND stale",
                [(list(paper_ids),)],
            )

    def get_card(self, paper_id: str) -> SystemCard | None:
        row = self._one("SELECT card FROM cards WHERE paper_id = %s", (paper_id,))
        return SystemCard.from_dict(codec.loads(row[0])) if row else None

    def get_cards(self, paper_ids: Sequence[str]) -> dict[str, SystemCard]:
        if not paper_ids:
            return {}
        rows = self._all(
            "SELECT paper_id, card FROM cards WHERE paper_id = ANY(%s)",
            (list(dict.fromkeys(paper_ids)),),
        )
        return {pid: SystemCard.from_dict(codec.loads(card)) for pid, card in rows}

    def card_counts(self, extractor: str) -> tuple[int, int]:
        papers, current = self._one(
            "SELECT (SELECT count(*) FROM papers), "
            "(SELECT count(*) FROM cards WHERE extractor = %s AND NOT stale)",
            (extractor,),
        )
        return int(current), int(papers) - int(current)
