"""Keeping the stored system cards current: what the facade wires in.

:func:`build_cards` makes cards for the papers with none, a stale one (title, abstract or links
changed) or one made by another extractor version, in batches, each committed on its own: an
interrupted run keeps what it finished and the next run carries on. A stale paper whose text
hashes the same as before keeps its card without running the extractor.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papersift.errors import StoreError
from papersift.model import Links, Paper, SystemCard
from papersift.understand import Extractor, content_hash, make_card

if TYPE_CHECKING:
    from papersift.store import Store

Progress = Callable[[int, int], None]  # (papers done, papers to do)


@dataclass(frozen=True, slots=True)
class CardReport:
    """What one ``papersift cards`` run did."""

    extractor: str
    built: int  # cards made
    unchanged: int  # stale cards whose text had not changed: kept
    papers: int  # papers in the store
    seconds: float

    @property
    def skipped(self) -> int:
        """Papers not run through the extractor (card current, or text unchanged)."""
        return self.papers - self.built

    def as_dict(self) -> dict[str, object]:
        return {
            "extractor": self.extractor,
            "built": self.built,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "papers": self.papers,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.built / self.seconds, 1)
            if self.built and self.seconds
            else None,
        }


def build_cards(
    store: Store,
    extractor: Extractor,
    *,
    batch: int = 500,
    progress: Progress | None = None,
    jobs: int = 1,
) -> CardReport:
    """Bring every paper's card up to date with ``extractor``; ``jobs`` > 1 reads the papers
    of each batch in that many processes (the store is written by this one only)."""
    started = time.monotonic()
    version = extractor.version
    _, todo_total = store.card_counts(version)
    built = unchanged = 0
    after = ""
    if progress:
        progress(0, todo_total)
    pool = _pool(jobs)
    try:
        while True:
            todo = store.card_todo(version, batch, after=after)
            if not todo:
                break
            after = todo[-1].paper_id
            same: list[str] = []
            work: list[tuple[str, str, str, Links]] = []
            for item in todo:
                digest = content_hash(item.title, item.abstract, item.links)
                if item.content_hash == digest and item.extractor == version:
                    same.append(item.paper_id)
                else:
                    work.append((item.paper_id, item.title, item.abstract, item.links))
            cards = _make(extractor, work, pool, jobs)
            with store.atomic():
                store.put_cards(cards)
                store.keep_cards(same)
            built += len(cards)
            unchanged += len(same)
            if progress:
                progress(built + unchanged, max(todo_total, built + unchanged))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return CardReport(
        extractor=version,
        built=built,
        unchanged=unchanged,
        papers=store.count_papers(),
        seconds=time.monotonic() - started,
    )


def _pool(jobs: int) -> ProcessPoolExecutor | None:
    if jobs <= 1:
        return None
    import multiprocessing

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))


def _make_all(extractor: Extractor, work: list[tuple[str, str, str, Links]]) -> list[SystemCard]:
    return [make_card(extractor, *item) for item in work]


def _make(
    extractor: Extractor,
    work: list[tuple[str, str, str, Links]],
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> list[SystemCard]:
    """The cards of ``work``, in order: here, or in ``jobs`` slices on the pool."""
    if pool is None or len(work) < 2 * jobs:
        return _make_all(extractor, work)
    size = -(-len(work) // jobs)
    slices = [work[i : i + size] for i in range(0, len(work), size)]
    return [
        card for part in pool.map(_make_all, [extractor] * len(slices), slices) for card in part
    ]


def card_for(store: Store, extractor: Extractor, paper: Paper, *, save: bool = True) -> SystemCard:
    """The current card of ``paper``: the stored one when it is fresh, else made now (and
    stored, when ``save``)."""
    stored = store.get_card(paper.id)
    digest = content_hash(paper.title_raw, paper.abstract_raw, paper.links)
    if stored and stored.extractor == extractor.version and stored.content_hash == digest:
        return stored
    card = make_card(extractor, paper.id, paper.title_raw, paper.abstract_raw, paper.links)
    if save:
        try:
            with store.atomic():
                store.put_cards([card])
        except StoreError:  # a read-only or busy store: the card is still good to show
            pass
    return card


def cards_for(store: Store, extractor: Extractor, papers: Sequence[Paper]) -> dict[str, SystemCard]:
    """The current cards of ``papers`` by id: stored ones when fresh, the others made now and
    stored together."""
    stored = store.get_cards([p.id for p in papers])
    out: dict[str, SystemCard] = {}
    made: list[SystemCard] = []
    for paper in papers:
        card = stored.get(paper.id)
        digest = content_hash(paper.title_raw, paper.abstract_raw, paper.links)
        if card is None or card.extractor != extractor.version or card.content_hash != digest:
            card = make_card(extractor, paper.id, paper.title_raw, paper.abstract_raw, paper.links)
            made.append(card)
        out[paper.id] = card
    if made:
        try:
            with store.atomic():
                store.put_cards(made)
        except StoreError:  # a read-only or busy store: the cards are still good to show
            pass
    return out
