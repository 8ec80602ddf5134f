"""The facade's search: keyword, semantic and hybrid search, similar papers, embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from papersift.errors import UsageError
from papersift.facade.reading import ReadingFacade
from papersift.model import SearchFilters, SearchHit, SearchResult

if TYPE_CHECKING:
    from papersift.search.hybrid import Semantic
    from papersift.search.indexing import EmbeddingSearch, IndexReport, Progress

DEFAULT_SEARCH_MODE = "hybrid"  # best on CSFCube (bench/relevance.py); keyword without embeddings


def _names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Names from one flag value or several, comma- or space-separated."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(n for item in items for n in item.replace(",", " ").split())


class SearchFacade(ReadingFacade):
    """Search and search by meaning (the embedding index)."""

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

    # embeddings
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
