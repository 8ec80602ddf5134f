"""What a store provides for system cards (derived data: ``papersift.understand``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from papersift.model import Links, SystemCard


class CardTodo(NamedTuple):
    """A paper whose card is missing, stale or made by another extractor: its text, and the hash
    its current card was made from (``None`` when it has none)."""

    paper_id: str
    title: str  # raw, as the paper keeps it (LaTeX kept)
    abstract: str  # raw
    links: Links
    content_hash: str | None
    extractor: str | None


class CardStore(Protocol):
    def card_todo(self, extractor: str, limit: int, *, after: str = "") -> list[CardTodo]:
        """Up to ``limit`` papers (ids above ``after``, in id order) with no card, a stale one
        (text changed since), or one made by an extractor other than ``extractor``."""
        ...

    def put_cards(self, cards: Sequence[SystemCard]) -> None:
        """Store each card for its ``paper_id``, replacing older ones (papers gone are skipped)."""
        ...

    def keep_cards(self, paper_ids: Sequence[str]) -> None:
        """These papers' text is the same as their cards were made from: the cards stand."""
        ...

    def get_card(self, paper_id: str) -> SystemCard | None:
        """The stored card of ``paper_id`` (maybe stale: compare its version and hash)."""
        ...

    def get_cards(self, paper_ids: Sequence[str]) -> dict[str, SystemCard]:
        """The stored cards of those of ``paper_ids`` that have one."""
        ...

    def card_counts(self, extractor: str) -> tuple[int, int]:
        """``(current, pending)``: papers with a fresh card by ``extractor``, and the others."""
        ...
