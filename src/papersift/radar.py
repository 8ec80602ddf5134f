"""Radar: the one facade. Every interface (CLI, web, API, jobs) is a thin client of it."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from papersift.config import Secret, Settings
from papersift.errors import NotFoundError, PapersiftError, UsageError
from papersift.model import (
    FileReport,
    LibraryEntry,
    LibraryImport,
    ListedPaper,
    Listing,
    MapPoints,
    Paper,
    Preferences,
    Recommendations,
    Record,
    SearchFilters,
    SearchHit,
    SearchResult,
    Subscription,
    SystemCard,
    Topic,
    TopicsReport,
    TopicThread,
    TrendingTopic,
    User,
)
from papersift.sources import ids
from papersift.sources.base import Input
from papersift.store import Store, open_store
from papersift.store.memo import Memo

if TYPE_CHECKING:
    from papersift.accounts.auth import Accounts
    from papersift.deliver.digest import Item as DigestItem
    from papersift.deliver.mail import Mailer
    from papersift.deliver.send import SendReport
    from papersift.search.hybrid import Semantic
    from papersift.search.indexing import EmbeddingSearch, IndexReport, Progress
    from papersift.sources.fetch import Fetcher, Page
    from papersift.store.transfer import TransferReport
    from papersift.understand import Extractor
    from papersift.understand.build import CardReport

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
        self.build_cards()  # a second or two: the sample's pages show their cards at once
        self._build_sample_topics()
        return reports

    def _build_sample_topics(self) -> None:
        """Threads and the map for the sample (under a second), so its pages show them at once.
        Without the model or the vectors: nothing to do."""
        from papersift.errors import ModelUnavailableError, TopicsUnavailableError

        try:
            self.build_topics()
        except (ModelUnavailableError, TopicsUnavailableError):
            return

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

    @cached_property
    def _listing_cache(self) -> Memo:
        """Day listings read and ranked, kept while the store's change mark stays (a month
        of the 60k corpus is ~5,600 papers: reading and ranking it again costs ~40 ms)."""
        return Memo(64)

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
        mark = self.store.change_mark()
        entries = self._listing_cache.get(("days", start, end, mark))
        if entries is None:
            entries = self._listing_cache.put(
                ("days", start, end, mark), self.store.listed_between(start, end)
            )
        saves = self.listing_saves([e.paper_id for e in entries])
        key = ("ranked", start, end, sort, mark, hash(frozenset(saves.items())))
        ranked = self._listing_cache.get(key)
        if ranked is None:
            latest = max((e.day for e in entries), default=end)  # a period still under way
            ranked = self._listing_cache.put(  # ages to its last day with papers, not its end
                key,
                rank(
                    entries,
                    sort=sort,
                    until=min(days.end, date.fromisoformat(latest[:10])),
                    saves=saves,
                ),
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
        """How many local readers saved each of these papers (trending counts saves)."""
        return self.store.save_counts(paper_ids)

    # --- cards ----------------------------------------------------------------------------------
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

    # --- topics ---------------------------------------------------------------------------------
    def build_topics(self, full: bool = False, *, threads: int | None = None) -> TopicsReport:
        """Bring the topic threads up to date: new (and re-embedded) papers join the thread
        with the nearest centroid; ``full`` reclusters everything (also done when no threads
        exist yet, or they came from another embedding model). ``threads`` fixes how many
        (default: about sqrt(papers / 2)). Needs embeddings (``index``)."""
        from papersift.topics.build import build_topics

        if threads is not None and threads < 1:
            raise UsageError("threads must be at least 1")
        model = self.embeddings().model_id
        return build_topics(self.store, model, full=full, threads=threads)

    def topics(self) -> list[Topic]:
        """Every topic thread, largest first (empty before the first ``build_topics``)."""
        from papersift.topics.views import topics

        return topics(self.store)

    def topic(self, topic_id: int, *, limit: int | None = 200, cards: bool = False) -> TopicThread:
        """One thread: label, papers (most central first, ``limit`` of them), size by month;
        with ``cards``, each listed paper's system card (made now where missing), so the
        thread's claims can be compared side by side. Raises TopicNotFoundError."""
        from dataclasses import replace

        from papersift.topics.views import thread

        if limit is not None and limit < 0:
            raise UsageError("limit must not be negative")
        found = thread(self.store, topic_id, limit=limit)
        if not cards:
            return found
        made = self.cards_for([item.paper for item in found.papers])
        papers = tuple(replace(item, card=made.get(item.paper.id)) for item in found.papers)
        return replace(found, papers=papers)

    def trending_topics(
        self, *, limit: int = 10, today: str | None = None, window: int = 28
    ) -> list[TrendingTopic]:
        """Threads growing against their own history: papers in the last ``window`` days vs.
        their mean per window before, log2((recent + 2) / (baseline + 2)); ``today`` defaults
        to the newest publication day in the store."""
        from papersift.topics.views import trending

        return trending(self.store, limit=limit, today=today, window=window)

    def paper_topic(self, identifier: str) -> Topic | None:
        """The thread of the paper ``identifier`` names (None if it is in none yet)."""
        from papersift.topics.views import paper_topic

        return paper_topic(self.store, self.get(identifier).id)

    def map_points(self) -> MapPoints:
        """Every paper placed on the 2-D map (columns: ids, x, y, topic, day, title)."""
        from papersift.topics.views import map_points

        return map_points(self.store)

    # --- accounts -------------------------------------------------------------------------------
    # Users, libraries, recommendations, digests and feeds (issue 5). The logic lives in
    # papersift.accounts, papersift.recommend and papersift.deliver; these methods gather data.
    LOCAL_USER = "me"  # the one user of local mode when no name is given

    def accounts(self) -> Accounts:
        from papersift.accounts.auth import Accounts

        return Accounts(self.store)

    def local_mode(self, *, loopback: bool = True) -> bool:
        """One user, no sign-in: the setting, or (``auto``) on where the caller is local."""
        mode = self.settings.local_mode if self.settings else "auto"
        return mode == "on" or (mode == "auto" and loopback)

    def user(self, name: str | None = None, *, create: bool | None = None) -> User:
        """The user called ``name`` (a local handle or an email). In local mode (or with
        ``create``) a missing user is created on first use, without a password."""
        from papersift.errors import UserNotFoundError

        name = (name or self.LOCAL_USER).strip()
        if not name:
            raise UsageError("a user name must not be empty")
        found = self.store.find_user(name)
        if found is not None:
            return found
        if not (self.local_mode() if create is None else create):
            raise UserNotFoundError(name)
        email = name.casefold() if "@" in name else None
        with self.store.atomic():
            found = self.store.find_user(name)
            return found or self.store.create_user(name, email, None)

    def secret_key(self) -> bytes:
        """The key that signs links and CSRF tokens: the setting, else one made at random on
        first use and kept in the store."""
        if self.settings and self.settings.secret_key:
            return self.settings.secret_key.reveal().encode()
        key = self.store.get_state("accounts.secret_key")
        if key is None:
            import secrets

            with self.store.atomic():
                key = self.store.get_state("accounts.secret_key")
                if key is None:
                    key = secrets.token_hex(32)
                    self.store.set_state("accounts.secret_key", key)
        return key.encode()

    # library
    def library_add(
        self, user: User, identifiers: Iterable[str], *, tags: Sequence[str] = ()
    ) -> list[Paper]:
        """Save papers (any id :meth:`get` takes) to the user's library, with ``tags``."""
        from datetime import UTC, datetime

        papers = [self.get(i) for i in identifiers]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.atomic():
            have = {
                e.paper_id: e for e in self.store.library_entries(user.id, [p.id for p in papers])
            }
            for paper in papers:
                entry = have.get(paper.id)
                changes: dict[str, object] = {"saved": 1, "dismissed": 0}
                if entry is None or not entry.saved:
                    changes["saved_at"] = now
                self.store.library_update(user.id, paper.id, changes)
                if tags:
                    self.store.library_tag(user.id, paper.id, _tags(tags), add=True)
        return papers

    def library_entry(self, user: User, identifier: str) -> LibraryEntry:
        """The user's entry for a paper (:class:`NotInLibraryError` when they have none)."""
        from papersift.errors import NotInLibraryError

        paper = self.get(identifier)
        found = self.store.library_entries(user.id, [paper.id])
        if not found:
            raise NotInLibraryError(f"{identifier} is not in {user.name}'s library")
        return found[0]

    def library_mark(
        self,
        user: User,
        identifier: str,
        *,
        rating: int | None = None,
        note: str | None = None,
        read: bool | None = None,
        not_interested: bool | None = None,
        saved: bool | None = None,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
    ) -> LibraryEntry:
        """Rate (+1, -1, 0), note, mark read / not interested, save or unsave, tag a paper.
        A paper marked read or not interested is hidden from every feed and digest."""
        from datetime import UTC, datetime

        if rating is not None and rating not in (-1, 0, 1):
            raise UsageError("a rating is +1, -1 or 0")
        if note is not None and len(note) > 10_000:
            raise UsageError("a note has at most 10,000 characters")
        paper = self.get(identifier)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        changes: dict[str, object] = {}
        if rating is not None:
            changes["rating"] = rating
        if note is not None:
            changes["note"] = note
        if read is not None:
            changes["read_at"] = now if read else None
        if not_interested is not None:
            changes["dismissed"] = int(not_interested)
        if saved is not None:
            changes["saved"] = int(saved)
            if saved:
                changes["saved_at"] = now
        with self.store.atomic():
            self.store.library_update(user.id, paper.id, changes)
            if add_tags:
                self.store.library_tag(user.id, paper.id, _tags(add_tags), add=True)
            if remove_tags:
                self.store.library_tag(user.id, paper.id, _tags(remove_tags), add=False)
            return self.store.library_entries(user.id, [paper.id])[0]

    def library_remove(self, user: User, identifier: str) -> None:
        """Forget everything the user did with a paper (it may be recommended again)."""
        from papersift.errors import NotInLibraryError

        paper = self.get(identifier)
        with self.store.atomic():
            if not self.store.library_remove(user.id, paper.id):
                raise NotInLibraryError(f"{identifier} is not in {user.name}'s library")

    def library(
        self, user: User, *, tag: str | None = None, everything: bool = False
    ) -> list[tuple[LibraryEntry, Paper]]:
        """The user's saved papers (``everything``: also those only rated, read or dismissed),
        most recently changed first; with ``tag``, only those tagged so."""
        entries = [
            e
            for e in self.store.library_entries(user.id)
            if (everything or e.saved) and (tag is None or tag.casefold() in e.tags)
        ]
        papers = {p.id: p for p in self.store.get_many([e.paper_id for e in entries])}
        out = []
        for entry in entries:
            paper = papers.get(entry.paper_id)
            if paper is None:  # merged into another paper since: follow its alias
                resolved = self.store.resolve(entry.paper_id)
                paper = self.store.get(resolved) if resolved else None
            if paper is not None:
                out.append((entry, paper))
        return out

    def library_import(
        self, user: User, source: Input, *, tags: Sequence[str] = (), fetch: bool = False
    ) -> LibraryImport:
        """Add the papers of a BibTeX file (or any listing papersift reads), or of a list of
        arXiv ids / DOIs (one a line), to the user's library. Listings are ingested first, so
        papers new to the store are kept; ids not in the store are reported as missing (with
        ``fetch``, missing arXiv ids are first fetched from the arXiv API)."""
        from papersift.sources.detect import detect
        from papersift.sources.merge import record_hash

        text = source.head(1 << 20).decode("utf-8", errors="replace")
        wanted = [line.strip() for line in text.splitlines() if line.strip()]
        if wanted and not text.lstrip().startswith("@") and all(_is_id(w) for w in wanted):
            found, missing = self._resolve_all(wanted)
            arxiv = [a for a in (ids.normalize_arxiv_id(m) for m in missing) if a]
            if fetch and arxiv:  # papers not in the store yet: from the arXiv API
                for _ in self.fetch_arxiv_api(ids=arxiv):
                    pass
                fetched, missing = self._resolve_all(missing)
                found += fetched
            self.library_add(user, found, tags=tags)
            return LibraryImport(source.name, added=tuple(found), missing=tuple(missing))
        report = next(iter(self.ingest([source])))
        if not report.ok:
            raise PapersiftError(f"{source.name}: {report.error}")
        fmt = detect(source)
        hashes = [record_hash(item) for item in fmt.parse(source) if isinstance(item, Record)]
        owners = self.store.owners(hashes)
        paper_ids = list(dict.fromkeys(owners[h] for h in hashes if h in owners))
        self.library_add(user, paper_ids, tags=tags)
        rejected = tuple(f"{r.ref}: {r.reason}" for r in report.rejected)
        return LibraryImport(source.name, added=tuple(paper_ids), rejected=rejected)

    def _resolve_all(self, identifiers: Sequence[str]) -> tuple[list[str], list[str]]:
        """``(paper ids found, identifiers not in the store)``."""
        found, missing = [], []
        for identifier in identifiers:
            try:
                found.append(self.get(identifier).id)
            except NotFoundError:
                missing.append(identifier)
        return found, missing

    def library_export(self, user: User, fmt: str, *, tag: str | None = None) -> Iterator[str]:
        """The user's saved papers as ``bibtex``, ``csv`` or ``jsonl`` (with their library
        entry: tags, rating, note)."""
        from papersift.deliver.export import EXPORT_FORMATS, export, paper_dict

        items = self.library(user, tag=tag)
        if fmt == "json":
            import json

            rows = [{**paper_dict(p), "library": e.as_dict()} for e, p in items]
            return iter([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"])
        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"format must be one of json, {', '.join(EXPORT_FORMATS)}")
        if fmt == "jsonl":
            import json

            return (
                json.dumps({**paper_dict(p), "library": e.as_dict()}, ensure_ascii=False) + "\n"
                for e, p in items
            )
        return export((p for _, p in items), fmt)

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        """How many local users saved each paper (for trending)."""
        return self.store.save_counts(paper_ids)

    # preferences
    def preferences(self, user: User) -> Preferences:
        import json

        stored = self.store.get_prefs(user.id)
        data = json.loads(stored) if stored else {}
        return Preferences(**{k: tuple(v) for k, v in data.items() if k in Preferences.__slots__})

    def set_preferences(self, user: User, prefs: Preferences) -> Preferences:
        import json

        clean = Preferences(**{k: _tags(v, fold=False) for k, v in prefs.as_dict().items()})
        with self.store.atomic():
            self.store.set_prefs(user.id, json.dumps(clean.as_dict(), ensure_ascii=False))
        return clean

    # recommendations
    def recommend(
        self,
        user: User,
        *,
        since: str | None = None,
        limit: int = 10,
        exclude: Collection[str] = (),
        seeds: Sequence[str] = (),
        tag: str | None = None,
    ) -> Recommendations:
        """The papers most like the user's library (and unlike what they rated 👎 or dismissed),
        best first, each with its reason. Never a paper the user saved, rated, read or
        dismissed, nor one in ``exclude``. ``since`` (YYYY, YYYY-MM, YYYY-MM-DD) keeps papers
        published from then on; without it every paper is ranked. ``seeds`` (paper ids) stand
        in for a library that is still empty (cold start), as do the user's topics. With
        ``tag``, the papers like those the user tagged so."""
        from papersift.recommend.recommend import recommend
        from papersift.search.query import parse_day

        if limit < 0:
            raise UsageError("limit must not be negative")
        try:
            day = parse_day(since) if since else None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return recommend(
            self.store,
            _Vectors(self),
            user,
            prefs=self.preferences(user),
            since=day,
            limit=limit,
            exclude=exclude,
            seeds=[self.get(s).id for s in seeds],
            tag=tag,
        )

    # subscriptions, digests, feeds
    def subscriptions(self, user: User) -> list[Subscription]:
        return self.store.subscriptions(user.id)

    def subscribe(
        self,
        user: User,
        *,
        email: str | None = None,
        content: str = "recommend",
        query: str = "",
        frequency: str = "daily",
        size: int = 10,
    ) -> Subscription:
        """A new digest for the user: ``content`` recommend | search | topic | trending (a
        search or topic needs ``query``), ``frequency`` daily | weekly, the top ``size``."""
        from papersift.accounts.auth import check_email, new_token

        self._check_subscription(content, query, frequency, size)
        address = check_email(email or user.email or "")
        with self.store.atomic():
            return self.store.add_subscription(
                user.id,
                email=address,
                content=content,
                query=query.strip(),
                frequency=frequency,
                size=size,
                feed_token=new_token(),
            )

    @staticmethod
    def _check_subscription(content: str, query: str, frequency: str, size: int) -> None:
        from papersift.model import FREQUENCIES, SUBSCRIPTION_CONTENT

        if content not in SUBSCRIPTION_CONTENT:
            raise UsageError(f"content must be one of {', '.join(SUBSCRIPTION_CONTENT)}")
        if content in ("search", "topic") and not query.strip():
            raise UsageError(f"a {content} digest needs a query")
        if frequency not in FREQUENCIES:
            raise UsageError(f"frequency must be one of {', '.join(FREQUENCIES)}")
        if not 1 <= size <= 100:
            raise UsageError("a digest has 1 to 100 papers")

    def update_subscription(self, user: User, sub_id: int, **changes: object) -> Subscription:
        """Change a subscription of the user's (email, content, query, frequency, size,
        active); :class:`NotInLibraryError` if they have none with this id."""
        from papersift.accounts.auth import check_email
        from papersift.errors import NotInLibraryError

        current = next((s for s in self.store.subscriptions(user.id) if s.id == sub_id), None)
        if current is None:
            raise NotInLibraryError(f"{user.name} has no subscription {sub_id}")
        merged = {**current.as_dict(), **changes}
        self._check_subscription(
            str(merged["content"]),
            str(merged["query"]),
            str(merged["frequency"]),
            int(str(merged["size"])),
        )
        if "email" in changes:
            changes["email"] = check_email(str(changes["email"]))
        if "active" in changes:
            changes["active"] = int(bool(changes["active"]))
        with self.store.atomic():
            self.store.update_subscription(user.id, sub_id, changes)
        return next(s for s in self.store.subscriptions(user.id) if s.id == sub_id)

    def mailer(self) -> Mailer:
        """The SMTP mailer the settings describe."""
        from papersift.deliver.mail import SmtpMailer, SmtpSettings

        s = self.settings
        return SmtpMailer(
            SmtpSettings(
                host=s.smtp_host if s else "",
                port=s.smtp_port if s else 0,
                security=s.smtp_security if s else "starttls",
                user=s.smtp_user if s else "",
                password=s.smtp_password if s else Secret(""),
            )
        )

    def send_password_reset(self, email: str, *, mailer: Mailer | None = None) -> bool:
        """Email a single-use reset link to the account of ``email``; False when there is no
        such account (callers say the same either way)."""
        from papersift.accounts.auth import RESET_MINUTES
        from papersift.deliver.mail import reset_message

        found = self.accounts().request_reset(email)
        if found is None:
            return False
        user, token = found
        assert user.email is not None
        sender = self.settings.mail_from if self.settings else "papersift <papersift@localhost>"
        message = reset_message(
            user.email, f"{self._base_url()}/reset/{token}", sender=sender, minutes=RESET_MINUTES
        )
        mailer = mailer or self.mailer()
        try:
            mailer.send(message)
        finally:
            mailer.close()
        return True

    def unsubscribe_url(self, sub: Subscription) -> str:
        from papersift.accounts.auth import sign

        signature = sign(self.secret_key(), "unsubscribe", str(sub.id))
        return f"{self._base_url()}/unsubscribe/{sub.id}/{signature}"

    def unsubscribe(self, sub_id: int, signature: str) -> Subscription:
        """Stop a subscription from a signed link (no sign-in)."""
        from papersift.accounts.auth import check_signature
        from papersift.errors import AuthenticationError

        sub = self.store.subscription_by_id(sub_id)
        if sub is None or not check_signature(
            self.secret_key(), "unsubscribe", str(sub_id), signature
        ):
            raise AuthenticationError("this unsubscribe link is not valid")
        with self.store.atomic():
            self.store.update_subscription(sub.user_id, sub.id, {"active": 0})
        found = self.store.subscription_by_id(sub_id)
        assert found is not None
        return found

    def _base_url(self) -> str:
        base = self.settings.base_url if self.settings else "http://127.0.0.1:8000"
        return base.rstrip("/")

    def feed_url(self, sub: Subscription) -> str:
        return f"{self._base_url()}/feeds/{sub.feed_token}.atom"

    def paper_url(self, paper_id: str) -> str:
        return f"{self._base_url()}/papers/{paper_id}"

    def digest_items(
        self, sub: Subscription, since: date, never: Collection[str]
    ) -> list[DigestItem]:
        """What a digest of ``sub`` would carry now: its best papers published since
        ``since``, none in ``never`` and none the user saved, rated, read or dismissed."""

        user = self.store.get_user(sub.user_id)
        if user is None:
            return []
        hidden = {e.paper_id for e in self.store.library_entries(user.id) if e.hidden}
        skip = hidden | set(never)
        day = since.isoformat()
        picked: list[tuple[str, str]] = []
        if sub.content == "recommend":
            found = self.recommend(user, since=day, limit=sub.size, exclude=skip)
            picked = [(p.id, p.reason) for p in found.picks]
        elif sub.content == "topic" and sub.query.strip().isdigit():
            thread = self.topic(int(sub.query), limit=None)  # a topic thread, by its id
            fresh = [
                t
                for t in thread.papers
                if (t.paper.published or "")[:10] >= day and t.paper.id not in skip
            ]
            fresh.sort(key=lambda t: -t.similarity)  # the most central first
            picked = [(t.paper.id, f"new in the topic “{thread.topic.label}”") for t in fresh]
        elif sub.content in ("search", "topic"):  # a topic by words: searched
            result = self.search(sub.query, since=day, limit=sub.size + len(skip))
            picked = [
                (h.id, f"matches your {sub.content} “{sub.query}”")
                for h in result.hits
                if h.id not in skip
            ]
        else:  # trending: the listing's formula (upvotes and local saves, with time decay)
            from datetime import timedelta

            from papersift.deliver.trending import rank

            end = since + timedelta(days=31)
            entries = self.store.listed_between(day, end.isoformat())
            latest = max((e.day for e in entries), default=day)
            saves = self.listing_saves([e.paper_id for e in entries])
            ranked = rank(
                entries, sort="trending", until=date.fromisoformat(latest[:10]), saves=saves
            )
            picked = []
            for r in ranked:
                if r.paper_id in skip or any(r.paper_id == p for p, _ in picked):
                    continue
                why = f"trending: {r.upvotes or 0} upvotes"
                if saves.get(r.paper_id):
                    why += f", saved by {saves[r.paper_id]} here"
                picked.append((r.paper_id, why))
                if len(picked) >= sub.size:
                    break
        return self._digest_items(picked[: sub.size])

    def _digest_items(self, picked: Sequence[tuple[str, str]]) -> list[DigestItem]:
        from papersift.deliver.digest import Item

        papers = {p.id: p for p in self.store.get_many([pid for pid, _ in picked])}
        return [
            Item(
                id=pid,
                title=papers[pid].display_name,
                authors=papers[pid].authors,
                abstract=papers[pid].abstract,
                url=self.paper_url(pid),
                source_url=papers[pid].links.abs,
                reason=reason,
                published=papers[pid].published,
            )
            for pid, reason in picked
            if pid in papers
        ]

    def send_digests(
        self,
        *,
        day: date | None = None,
        dry_run: bool = False,
        out: Path | None = None,
        mailer: Mailer | None = None,
    ) -> SendReport:
        """Send every active subscription's digest for the period of ``day`` (today), each
        exactly once (see :mod:`papersift.deliver.send`). ``dry_run`` writes the messages
        to ``out`` and changes nothing."""
        from datetime import UTC, datetime
        from urllib.parse import urlsplit

        from papersift.deliver.digest import Links
        from papersift.deliver.mail import FolderMailer
        from papersift.deliver.send import send_digests

        if dry_run and out is None:
            raise UsageError("a dry run needs a folder to write the messages to (--out)")
        if mailer is None:
            if dry_run:
                assert out is not None
                mailer = FolderMailer(out)
            else:
                mailer = self.mailer()
        sender = self.settings.mail_from if self.settings else "papersift <papersift@localhost>"
        settings_url = f"{self._base_url()}/digest"
        home = self.settings.home if self.settings else Path(f"{self.store.location}.d")
        return send_digests(
            self.store,
            lock=None if dry_run else home / "digest-send.lock",
            day=day or datetime.now(UTC).date(),
            choose=self.digest_items,
            describe=lambda sub, picked: self._digest_items(picked),
            links=lambda sub: Links(self.unsubscribe_url(sub), settings_url, self.feed_url(sub)),
            mailer=mailer,
            sender=sender,
            domain=urlsplit(self._base_url()).hostname or "papersift.local",
            dry_run=dry_run,
        )

    def subscription_feed(self, feed_token: str) -> str:
        """The Atom feed of a subscription (its unguessable token is the only key): the
        papers of its recent digests, newest first."""
        from papersift.errors import NotInLibraryError

        sub = self.store.subscription_by_token(feed_token) if len(feed_token) < 200 else None
        if sub is None:
            raise NotInLibraryError("no such feed")
        hidden = {  # read or "not interested" since: hidden from every feed
            e.paper_id
            for e in self.store.library_entries(sub.user_id)
            if e.dismissed or e.read_at is not None
        }
        ids = [
            pid
            for record in self.store.digests(sub.id, limit=10)
            for pid in record.papers
            if pid not in hidden
        ]
        what = sub.query or sub.content
        return self._atom(
            f"tag:papersift,2026:feed:{sub.feed_token[:12]}",
            f"papersift: {what}",
            self.feed_url(sub),
            ids[:100],
        )

    def trending_feed(self, limit: int = 50) -> str:
        """The public Atom feed of trending papers: the latest week's listing, trending first
        (upvotes and local saves with time decay, as on the Today page)."""
        listing = self.listing("week", sort="trending", limit=min(limit, self.MAX_PAGE))
        return self._atom(
            "tag:papersift,2026:feed:trending",
            "papersift: trending papers",
            f"{self._base_url()}/feeds/trending.atom",
            [item.paper.id for item in listing.items],
        )

    def _atom(self, feed_id: str, title: str, self_url: str, ids: Sequence[str]) -> str:
        from papersift.deliver.feeds import Entry, atom_feed

        papers = self.store.get_many(list(dict.fromkeys(ids)))
        entries = [
            Entry(
                id=p.id,
                title=p.display_name,
                url=self.paper_url(p.id),
                summary=p.abstract,
                updated=p.updated or p.published or "",
                authors=p.authors,
                categories=p.categories,
            )
            for p in papers
        ]
        return atom_feed(
            feed_id=feed_id,
            title=title,
            self_url=self_url,
            site_url=self._base_url(),
            entries=entries,
        )

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


def _is_id(line: str) -> bool:
    """Whether a line of an import names one paper (an arXiv id or a DOI, in any spelling)."""
    return bool(ids.normalize_arxiv_id(line) or ids.normalize_doi(line))


def _tags(values: Iterable[str], *, fold: bool = True) -> tuple[str, ...]:
    """Distinct, trimmed (and, for tags, casefolded) non-empty values, in order."""
    out = (" ".join(v.split()) for v in values)
    return tuple(dict.fromkeys(v.casefold() if fold else v for v in out if v))[:100]


class _Vectors:
    """What the recommender needs of search by meaning, without importing it."""

    def __init__(self, radar: Radar) -> None:
        self.radar = radar

    def matrix(self) -> tuple[Sequence[str], Any]:
        index = self.radar.embeddings().index()
        n = len(index)
        return index._ids[:n], index._matrix[:n]  # read-only views of the live index

    def encode(self, texts: Sequence[str]) -> Any:
        return self.radar.embeddings().encoder.encode(list(texts))

    CENTRAL = 10  # papers of a topic thread that stand for it

    def topics(self, names: Sequence[str]) -> list[tuple[str, Any]]:
        import numpy as np

        from papersift.errors import TopicNotFoundError

        out: list[tuple[str, Any]] = []
        words = [n for n in names if not n.strip().isdigit()]
        encoded = dict(zip(words, self.encode(words), strict=True)) if words else {}
        for name in names:
            if name in encoded:
                out.append((name, encoded[name]))
                continue
            try:
                thread = self.radar.topic(int(name), limit=self.CENTRAL)
            except TopicNotFoundError:
                continue  # a thread gone in a rebuild: nothing to follow
            index = self.radar.embeddings().index()
            found = [index.vector_of(t.paper.id) for t in thread.papers]
            vectors = [v for v in found if v is not None]
            if vectors:
                mean = np.mean(np.stack(vectors), axis=0)
                out.append((thread.topic.label, mean / max(float(np.linalg.norm(mean)), 1e-12)))
        return out

    def matching(self, keyword: str) -> set[str]:
        from papersift.model import TextMatch
        from papersift.search.query import tokens

        words = tokens(keyword)
        if not words:
            return set()
        node = TextMatch(words)
        return {pid for pid, _ in self.radar.store.fulltext_search(node, limit=1_000_000)}

    def pending(self) -> int:
        return self.radar.index_status()[1]
