"""Radar: the one facade. Every interface (CLI, web, API, jobs) is a thin client of it.

Its methods live in :mod:`papersift.facade`, one mixin per area; ``Radar`` owns the store."""

from __future__ import annotations

from typing import Self

from papersift.config import Settings
from papersift.facade.accounts import AccountsFacade
from papersift.facade.cards import CardsFacade
from papersift.facade.digest import DigestFacade
from papersift.facade.feeds import FeedsFacade
from papersift.facade.fetch import FetchFacade
from papersift.facade.ingest import SAMPLE_DIR, IngestFacade
from papersift.facade.library import LibraryFacade
from papersift.facade.listings import ListingsFacade
from papersift.facade.reading import ReadingFacade
from papersift.facade.recommend import RecommendFacade
from papersift.facade.search import DEFAULT_SEARCH_MODE, SearchFacade
from papersift.facade.topics import TopicsFacade
from papersift.facade.transfer import TransferFacade
from papersift.store import Store, open_store

__all__ = ["DEFAULT_SEARCH_MODE", "SAMPLE_DIR", "Radar"]


class Radar(
    FeedsFacade,
    DigestFacade,
    RecommendFacade,
    LibraryFacade,
    IngestFacade,
    TopicsFacade,
    CardsFacade,
    SearchFacade,
    AccountsFacade,
    ListingsFacade,
    ReadingFacade,
    FetchFacade,
    TransferFacade,
):
    """Owns a store and wires the engines together."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings) -> Self:
        return cls(open_store(settings.db, home=settings.home), settings)

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.http.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
