"""What system cards (:class:`~papersift.store.cards.CardStore`, migration 0008) read the same
way on both backends, written once through :mod:`papersift.store.dialect`."""

from __future__ import annotations

from papersift.model import Links, SystemCard
from papersift.store import codec
from papersift.store.cards import CardTodo
from papersift.store.dialect import SQLSeam


class CardsSQL(SQLSeam):
    def card_todo(self, extractor: str, limit: int, *, after: str = "") -> list[CardTodo]:
        rows = self._q_all(
            "SELECT p.id, p.title_raw, p.abstract_raw, p.links, c.content_hash, c.extractor "
            "FROM papers p LEFT JOIN cards c ON c.paper_id = p.id "
            "WHERE p.id > ? AND (c.paper_id IS NULL OR c.stale OR c.extractor <> ?) "
            "ORDER BY p.id LIMIT ?",
            (after, extractor, limit),
        )
        return [
            CardTodo(pid, title, abstract, Links(**codec.loads(links)), digest, made_by)
            for pid, title, abstract, links, digest, made_by in rows
        ]

    def get_card(self, paper_id: str) -> SystemCard | None:
        row = self._q_one("SELECT card FROM cards WHERE paper_id = ?", (paper_id,))
        return SystemCard.from_dict(codec.loads(row[0])) if row else None

    def card_counts(self, extractor: str) -> tuple[int, int]:
        papers, current = self._q_one(
            "SELECT (SELECT count(*) FROM papers), "
            "(SELECT count(*) FROM cards WHERE extractor = ? AND NOT stale)",
            (extractor,),
        )
        return int(current), int(papers) - int(current)
