"""Radar: the one facade. Every interface (CLI, web, API, jobs) is a thin client of it."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Self

from papersift.config import Settings
from papersift.errors import NotFoundError, PapersiftError
from papersift.model import FileReport, Paper
from papersift.sources import ids
from papersift.sources.base import Input
from papersift.store import Store, open_store

if TYPE_CHECKING:
    from papersift.sources.fetch import Fetcher, Page

SAMPLE_DIR = Path(__file__).parent / "sample"  # shipped with the package; see its NOTICE


class Radar:
    """Owns a store and wires the engines together."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings) -> Self:
        return cls(open_store(settings.db), settings)

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.http.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest ---------------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Iterable[Input],
        *,
        format: str | None = None,
        progress: Callable[[str, int, float | None], None] | None = None,
    ) -> Iterator[FileReport]:
        """Ingest each input atomically; yields one report per input as it finishes."""
        from papersift.sources.detect import get_format
        from papersift.sources.ingest import ingest_input

        fmt = get_format(format) if format else None
        for source in inputs:
            yield ingest_input(self.store, source, fmt=fmt, progress=progress)

    def load_sample(
        self, *, progress: Callable[[str, int, float | None], None] | None = None
    ) -> list[FileReport]:
        """Ingest the sample bundled with papersift: recent arXiv papers and the Hugging Face
        daily papers of the same days. No network; loading it again changes nothing."""
        files = sorted(SAMPLE_DIR.glob("*.gz"))
        if not files:
            raise PapersiftError(f"the bundled sample is missing (no data files in {SAMPLE_DIR})")
        return list(self.ingest((Input.from_path(p) for p in files), progress=progress))

    @staticmethod
    def inputs(paths: Iterable[str]) -> Iterator[Input]:
        """Inputs for command-line paths: files, folders (walked, sorted), ``-`` for stdin."""
        for text in paths:
            if text == "-":
                yield Input.from_stdin()
                continue
            path = Path(text)
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.is_file()):
                    if not any(part.startswith(".") for part in child.relative_to(path).parts):
                        yield Input.from_path(child)
            else:
                yield Input.from_path(path)

    # --- reading --------------------------------------------------------------------------------
    def get(self, identifier: str) -> Paper:
        """A paper by its id, arXiv id (any spelling), DOI or former id."""
        candidates = [identifier.strip()]
        arxiv = ids.normalize_arxiv_id(identifier)
        if arxiv:
            candidates.append(arxiv)
        doi = ids.normalize_doi(identifier)
        if doi:
            candidates.append(doi)
        for candidate in candidates:
            paper_id = self.store.resolve(candidate)
            if paper_id:
                paper = self.store.get(paper_id)
                if paper:
                    return paper
        raise NotFoundError(identifier)

    def papers(self) -> Iterator[Paper]:
        return self.store.iter_papers()

    def most_upvoted(self, limit: int = 10) -> list[Paper]:
        """The papers with the most upvotes (the more recent first among equals)."""
        voted = (p for p in self.store.iter_papers() if p.upvotes is not None)
        return heapq.nlargest(limit, voted, key=lambda p: (p.upvotes or 0, p.published or "", p.id))

    def export(self, fmt: str) -> Iterator[str]:
        """Every paper as ``jsonl``, ``csv`` or ``bibtex`` text, streamed."""
        from papersift.deliver.export import export

        return export(self.store.iter_papers(), fmt)

    def stats(self) -> dict[str, object]:
        return {"store": self.store.location, **self.store.stats()}

    # --- fetch (live sources) -------------------------------------------------------------------
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
