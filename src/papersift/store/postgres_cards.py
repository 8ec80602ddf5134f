"""System cards on PostgreSQL (:class:`~papersift.store.cards.CardStore`, migration 0008)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from papersift.model import SystemCard
from papersift.store import codec
from papersift.store.cards_sql import CardsSQL
from papersift.store.dialect import PostgresSQL


class CardsPostgres(PostgresSQL, CardsSQL):
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

    def get_cards(self, paper_ids: Sequence[str]) -> dict[str, SystemCard]:
        if not paper_ids:
            return {}
        rows = self._all(
            "SELECT paper_id, card FROM cards WHERE paper_id = ANY(%s)",
            (list(dict.fromkeys(paper_ids)),),
        )
        return {pid: SystemCard.from_dict(codec.loads(card)) for pid, card in rows}
