"""Radar: the one facade. Every interface (CLI, web, API, jobs) is a thin client of it."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Self

from papersift.config import Settings
from papersift.errors import NotFoundError, PapersiftError, UsageError
from papersift.model import (
    FileReport,
    ListedPaper,
    Listing,
    Paper,
    SearchFilters,
    SearchHit,
    SearchResult,
)
from papersift.sources import ids
from papersift.sources.base import Input
from papersift.store import Store, open_store

if TYPE_CHECKING:
    from papersift.search.hybrid import Semantic
    from papersift.search.indexing import EmbeddingSearch, IndexReport, Progress
    from papersift.sources.fetch import Fetcher, Page
    from papersift.store.transfer import TransferReport

SAMPLE_DIR = Path(__file__).parent / "sample"  # shipped with the package; see its NOTICE
DEFAULT_SEARCH_MODE = "hybrid"  # best on CSFCube (bench/relevance.py); keyword without embeddings


def _names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Names from one flag value or several, comma- or space-separated."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(n for item in items for n in item.replace(",", " ").split())


class Radar:
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
        reports = list(self.ingest((Input.from_path(p) for p in files), progress=progress))
        self._load_sample_vectors()
        return reports

    def _load_sample_vectors(self) -> int:
        """The sample's papers come with their vectors (made by the same model; checked), so
        search by meaning works on it at once. Without the model: nothing to do."""
        from papersift.errors import ModelUnavailableError
        from papersift.search.indexing import load_vectors

        path = SAMPLE_DIR / "embeddings.npz"
        try:
            model = self.embeddings().model_id
        except ModelUnavailableError:
            return 0
        return load_vectors(self.store, model, path) if path.exists() else 0

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

    # --- search ---------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        mode: str | None = None,
        since: str | None = None,
        until: str | None = None,
        category: str | Sequence[str] | None = None,
        source: str | Sequence[str] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """One page of papers for ``query``: any string (words, "phrases", prefix*, AND/OR/NOT,
        -word, author:/title:/abstract:/cat:/year:; see :mod:`papersift.search.query`).

        ``mode`` is ``hybrid`` (the default), ``keyword`` or ``semantic``; without embeddings
        the search falls back to keywords and the result's ``notes`` say so. ``since``/``until``
        (YYYY, YYYY-MM or YYYY-MM-DD, inclusive) bound the published date; ``category`` and
        ``source`` (a format name, e.g. ``hf-daily``) keep papers with any of the given."""
        from papersift.search.hybrid import MODES, search
        from papersift.search.query import parse_day

        mode = mode or DEFAULT_SEARCH_MODE
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if limit < 0 or offset < 0:
            raise UsageError("limit and offset must not be negative")
        try:
            filters = SearchFilters(
                since=parse_day(since) if since else None,
                until=parse_day(until, end=True) if until else None,
                categories=_names(category),
                sources=_names(source),
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return search(
            self.store,
            query,
            mode=mode,
            filters=filters,
            limit=limit,
            offset=offset,
            semantic=self._semantic() if mode != "keyword" else None,
        )

    def similar(
        self, identifier: str, *, limit: int = 10, diversify: float | None = None
    ) -> list[SearchHit]:
        """Papers like the one ``identifier`` names (any id :meth:`get` takes), most similar
        first; never the paper itself or its copies. ``diversify`` (0..1, MMR) trades
        similarity for variety: 1 is none, 0.5 balanced."""
        from papersift.search.similar import similar

        if limit < 0:
            raise UsageError("limit must not be negative")
        if diversify is not None and not 0.0 <= diversify <= 1.0:
            raise UsageError("diversify must be between 0 and 1")
        paper = self.get(identifier)
        return similar(
            self.store, paper, semantic=self._semantic(), limit=limit, diversify=diversify
        )

    def _semantic(self) -> Semantic | None:
        """Search by meaning over this store's embeddings, or ``None`` where the embedding
        model cannot be loaded."""
        from papersift.errors import ModelUnavailableError

        try:
            return self.embeddings()
        except ModelUnavailableError:
            return None

    # --- embeddings -----------------------------------------------------------------------------
    _embeddings: EmbeddingSearch | None = None

    def embeddings(self) -> EmbeddingSearch:
        """Search by meaning over this store (raises ModelUnavailableError, saying how to
        install the model, when it is not installed)."""
        if self._embeddings is None:
            from papersift.search.indexing import EmbeddingSearch

            self._embeddings = EmbeddingSearch(self.store)
        return self._embeddings

    def index(self, *, batch: int = 64, progress: Progress | None = None) -> IndexReport:
        """Embed the papers whose vector is missing or stale (title or abstract changed), batch
        by batch, each batch committed (an interrupted run keeps its work). ``progress`` is
        called with (done, to do) after each batch. Ingest leaves new papers pending: searches
        say so (``index_status``) until this runs."""
        from papersift.search.indexing import index_papers

        embeddings = self.embeddings()
        return index_papers(self.store, embeddings.encoder, batch=batch, progress=progress)

    def index_status(self) -> tuple[int, int]:
        """``(embedded, pending)``: papers with a vector of the current model, and papers
        waiting for one (new, or their text changed)."""
        return self.embeddings().status()

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

    # --- web: listings and pages ----------------------------------------------------------------
    MAX_PAGE = 100  # papers per page of a listing (and per API page)

    def get_many(self, identifiers: Sequence[str]) -> list[Paper]:
        """The papers with these ids (any id :meth:`get` takes), in the order given; unknown
        ones are left out, each paper appears once."""
        found: dict[str, Paper] = {}
        direct = self.store.get_many(list(dict.fromkeys(identifiers)))
        by_id = {p.id: p for p in direct}
        for identifier in identifiers:
            paper = by_id.get(identifier)
            if paper is None:
                try:
                    paper = self.get(identifier)
                except NotFoundError:
                    continue
            found.setdefault(paper.id, paper)
        return list(found.values())

    def listing(
        self,
        period: str = "day",
        day: str | date | None = None,
        sort: str = "trending",
        *,
        offset: int = 0,
        limit: int = 20,
    ) -> Listing:
        """One page of the papers listed in the day, ISO week or month holding ``day``
        (YYYY-MM-DD; default: the latest day with papers), ranked ``trending`` (upvotes and
        local saves with time decay: :mod:`papersift.deliver.trending`) or ``newest``. The
        listing names the nearest earlier and later periods that have papers."""
        from papersift.deliver.trending import PERIODS, SORTS, rank, span

        if period not in PERIODS:
            raise UsageError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
        if sort not in SORTS:
            raise UsageError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        if offset < 0 or not 1 <= limit <= self.MAX_PAGE:
            raise UsageError(f"offset must be >= 0 and limit between 1 and {self.MAX_PAGE}")
        if day is None:
            today = date.today().isoformat()
            last = self.store.listing_last_day(until=today) or self.store.listing_last_day()
            anchor = date.fromisoformat(last) if last else date.today()
        elif isinstance(day, date):
            anchor = day
        else:
            try:
                anchor = date.fromisoformat(day.strip())
            except ValueError:
                raise UsageError(f"date must be YYYY-MM-DD, not {day!r}") from None
        days = span(period, anchor)
        start, end = days.start.isoformat(), days.end.isoformat()
        entries = self.store.listed_between(start, end)
        latest = max((e.day for e in entries), default=end)  # a period still under way ages
        ranked = rank(  # its papers to its last day with papers, not to its end
            entries,
            sort=sort,
            until=min(days.end, date.fromisoformat(latest[:10])),
            saves=self.listing_saves([e.paper_id for e in entries]),
        )
        page = ranked[offset : offset + limit]
        papers = {p.id: p for p in self.store.get_many([r.paper_id for r in page])}
        previous, following = self.store.listing_neighbours(start, end)
        return Listing(
            period=period,
            label=days.label,
            start=start,
            end=end,
            anchor=anchor.isoformat(),
            sort=sort,
            items=tuple(
                ListedPaper(papers[r.paper_id], r.day, r.score, r.saves)
                for r in page
                if r.paper_id in papers
            ),
            total=len(ranked),
            offset=offset,
            limit=limit,
            previous=previous,
            next=following,
        )

    def listing_saves(self, paper_ids: Sequence[str]) -> Mapping[str, int]:
        """How many local readers saved each of these papers (trending counts saves). Accounts
        fill this in; until then nobody has saved anything."""
        return {}

    # --- pg (moving a store between backends) ---------------------------------------------------
    def migrate_to(
        self, target: str, *, progress: Callable[[str, int], None] | None = None
    ) -> TransferReport:
        """Copy this whole store - every table: papers, records, keys, state, embeddings … -
        into the empty store at ``target`` (a ``postgresql://`` URL, or a SQLite path), in one
        transaction, with every table's row count checked. ``progress`` gets (table, rows)."""
        from papersift.store.transfer import copy_store

        if str(target) == self.store.location:
            raise UsageError("the target is this store itself")
        home = self.settings.home if self.settings else None
        destination = open_store(target, home=home)
        try:
            return copy_store(self.store, destination, progress=progress)
        finally:
            destination.close()
