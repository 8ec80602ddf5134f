"""The facade's system cards: what each paper proposes, made and kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from papersift.errors import UsageError
from papersift.facade.reading import ReadingFacade
from papersift.model import Paper, SystemCard

if TYPE_CHECKING:
    from papersift.understand import Extractor
    from papersift.understand.build import CardReport


class CardsFacade(ReadingFacade):
    """System cards of papers."""

    _extractor: Extractor | None = None

    @property
    def extractor(self) -> Extractor:
        """What makes system cards (the offline rule extractor unless another was set)."""
        if self._extractor is None:
            from papersift.understand import default_extractor

            self._extractor = default_extractor()
        return self._extractor

    @extractor.setter
    def extractor(self, value: Extractor) -> None:
        self._extractor = value

    def card(self, identifier: str) -> SystemCard:
        """The system card of a paper (any id :meth:`get` takes): what it proposes, its kind,
        tasks, benchmarks, models, claims, code URLs and a TL;DR. Made now (and kept) when the
        paper has none yet or its text changed since."""
        from papersift.understand.build import card_for

        return card_for(self.store, self.extractor, self.get(identifier))

    def cards_for(self, papers: Sequence[Paper]) -> dict[str, SystemCard]:
        """The current cards of ``papers`` by paper id; missing or stale ones are made now and
        kept (in one transaction), so a page of papers costs one read and at most one write."""
        from papersift.understand.build import cards_for

        return cards_for(self.store, self.extractor, papers)

    def build_cards(
        self,
        *,
        batch: int = 500,
        progress: Callable[[int, int], None] | None = None,
        jobs: int = 1,
    ) -> CardReport:
        """Make the cards of every paper that has none, a stale one or one by an older
        extractor, batch by batch, each batch committed (an interrupted run keeps its work).
        ``progress`` is called with (done, to do) after each batch; ``jobs`` processes read
        the papers (the extractor is CPU-bound: one per core)."""
        from papersift.understand.build import build_cards

        if batch < 1:
            raise UsageError("batch must be at least 1")
        if jobs < 1:
            raise UsageError("jobs must be at least 1")
        return build_cards(self.store, self.extractor, batch=batch, progress=progress, jobs=jobs)

    def cards_status(self) -> tuple[int, int]:
        """``(current, pending)``: papers with an up-to-date card, and papers waiting for one."""
        return self.store.card_counts(self.extractor.version)
