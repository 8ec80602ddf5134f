"""The facade's fetch jobs: live sources (arXiv RSS/API/OAI-PMH, Hugging Face)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from papersift.config import Settings
from papersift.facade.base import FacadeBase

if TYPE_CHECKING:
    from papersift.sources.fetch import Fetcher, Page


class FetchFacade(FacadeBase):
    """Fetch from live sources into the store."""

    _fetcher: Fetcher | None = None

    def fetcher(self) -> Fetcher:
        """The fetch jobs over this store. One HTTP client, so rate limits hold across calls."""
        if self._fetcher is None:
            from papersift.sources.fetch import Fetcher

            settings = self.settings or Settings(home=Path.cwd(), db=self.store.location)
            self._fetcher = Fetcher(self.store, settings)
        return self._fetcher

    def fetch_arxiv_rss(
        self, categories: Iterable[str], *, rss: bool = False, refresh: bool = False
    ) -> Iterator[Page]:
        """Today's arXiv announcement listing of each category (Atom, or RSS 2.0)."""
        return self.fetcher().arxiv_rss(categories, rss=rss, refresh=refresh)

    def fetch_arxiv_api(
        self,
        *,
        ids: Iterable[str] = (),
        query: str | None = None,
        max_results: int = 100,
        page_size: int = 100,
        sort: str = "relevance",
    ) -> Iterator[Page]:
        """Papers from the arXiv API, by id or by search query, page by page."""
        return self.fetcher().arxiv_api(
            ids=list(ids), query=query, max_results=max_results, page_size=page_size, sort=sort
        )

    def fetch_oai(
        self,
        *,
        set_spec: str | None = None,
        from_date: date | None = None,
        until: date | None = None,
        prefix: str = "arXiv",
        restart: bool = False,
    ) -> Iterator[Page]:
        """An OAI-PMH ListRecords harvest from arXiv; resumes an unfinished one."""
        return self.fetcher().oai(
            set_spec=set_spec, from_date=from_date, until=until, prefix=prefix, restart=restart
        )

    def fetch_hf(self, days: Iterable[date], *, refresh: bool = False) -> Iterator[Page]:
        """Hugging Face daily papers, one request per day not fetched before."""
        return self.fetcher().hf_daily(days, refresh=refresh)

    @staticmethod
    def days(
        *, day: str | None = None, week: str | None = None, month: str | None = None
    ) -> list[date]:
        """The days of a date ``YYYY-MM-DD``, an ISO week ``YYYY-Www`` or a month ``YYYY-MM``."""
        from papersift.sources.fetch import days_named

        return days_named(day=day, week=week, month=month)
