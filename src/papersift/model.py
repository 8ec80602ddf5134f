"""The vocabulary: frozen dataclasses shared by every layer."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Authority(enum.IntEnum):
    """How much a source is trusted for a paper's bibliographic fields (higher wins)."""

    LISTING_TEXT = 1  # copied text: seed pages, digests, abstract lists
    AGGREGATOR = 2  # Hugging Face, Semantic Scholar, BibTeX, CSV, generic JSON lines
    ARXIV_LISTING = 3  # arXiv RSS/Atom announcement listings
    ARXIV = 4  # arXiv's own metadata: API, OAI-PMH, .abs, bulk snapshot


@dataclass(frozen=True, slots=True)
class Version:
    """One arXiv version of a paper."""

    number: int
    date: str | None = None  # ISO 8601
    size: str | None = None


@dataclass(frozen=True, slots=True)
class Links:
    abs: str | None = None
    pdf: str | None = None
    code: str | None = None
    project: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("abs", self.abs),
                ("pdf", self.pdf),
                ("code", self.code),
                ("project", self.project),
            )
            if v
        }


@dataclass(frozen=True, slots=True)
class Record:
    """One paper as one source described it. Every bibliographic field is optional.

    ``ref`` says where the record sits in its input ("line 12", "entry 3"), so that every
    message about it can name it.
    """

    source: str  # the format that produced it, e.g. "arxiv-atom"
    ref: str
    authority: Authority = Authority.AGGREGATOR
    arxiv_id: str | None = None  # normalized, version-less
    version: int | None = None  # the version this record describes, when it says
    doi: str | None = None
    title: str | None = None  # raw, as given
    abstract: str | None = None  # raw, LaTeX kept
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # primary first
    submitted: str | None = None  # ISO 8601 date or datetime
    updated: str | None = None
    listed: tuple[str, ...] = ()  # listing dates, YYYY-MM-DD
    versions: tuple[Version, ...] = ()
    links: Links = field(default_factory=Links)
    comments: str | None = None
    journal_ref: str | None = None
    license: str | None = None
    upvotes: int | None = None
    external_ids: tuple[tuple[str, str], ...] = ()  # e.g. (("s2", "abc"), ("hf", "2503.0"))
    extra: tuple[tuple[str, str], ...] = ()  # source-specific facts worth keeping (announce type…)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a parser could not accept, and why."""

    ref: str
    reason: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which source and input gave which record, and when papersift saw it."""

    source: str  # format
    origin: str  # file path or URL
    ref: str  # line/record inside the origin
    seen_at: str  # ISO 8601 UTC
    record_hash: str


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper as papersift keeps it: every source's record merged into one."""

    id: str
    title: str  # clean, for display ("" when no source gave one)
    title_raw: str
    abstract: str  # clean unicode, for display
    abstract_raw: str  # as the best source gave it, LaTeX kept
    display_name: str  # the title, or a readable name when there is none
    arxiv_id: str | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    submitted: str | None = None
    updated: str | None = None
    listed: tuple[str, ...] = ()
    versions: tuple[Version, ...] = ()
    links: Links = field(default_factory=Links)
    comments: str | None = None
    journal_ref: str | None = None
    license: str | None = None
    upvotes: int | None = None
    external_ids: tuple[tuple[str, str], ...] = ()
    sources: tuple[Provenance, ...] = ()

    @property
    def published(self) -> str | None:
        """The first public date known: submission, else first listing."""
        return self.submitted or (self.listed[0] if self.listed else None)

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None


class Outcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(slots=True)
class FileReport:
    """What ingesting one input did."""

    origin: str
    format: str | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None  # set when the whole input was refused; nothing was stored

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "format": self.format,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"ref": r.ref, "reason": r.reason, "field": r.field} for r in self.rejected
            ],
            "error": self.error,
        }


# --- search ------------------------------------------------------------------------------------
# A parsed full-text query is a small tree: words, phrases and prefixes (``TextMatch``), joined by
# ``QueryAnd`` / ``QueryOr`` and negated by ``QueryNot``. ``papersift.search.query`` builds it
# from any string a user types; each store backend renders it to its own full-text syntax.

FULLTEXT_FIELDS = ("title", "authors", "abstract")


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A word (one token), a phrase (several, in order) or a prefix, optionally in one field."""

    tokens: tuple[str, ...]  # lower case letters and digits only, never empty
    prefix: bool = False  # the last token is a prefix
    field: str | None = None  # one of FULLTEXT_FIELDS; None: any

    @property
    def text(self) -> str:
        return " ".join(self.tokens) + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class QueryNot:
    child: QueryNode


@dataclass(frozen=True, slots=True)
class QueryAnd:
    children: tuple[QueryNode, ...]
    implicit: bool = True  # joined by spaces, not by a typed AND: may be relaxed to OR


@dataclass(frozen=True, slots=True)
class QueryOr:
    children: tuple[QueryNode, ...]


QueryNode = TextMatch | QueryNot | QueryAnd | QueryOr


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Metadata restrictions shared by keyword and semantic search (all must hold)."""

    since: str | None = None  # YYYY-MM-DD, inclusive, on the published date
    until: str | None = None  # YYYY-MM-DD, inclusive
    categories: tuple[str, ...] = ()  # any of these ("cs.CL"; an archive "cs" means cs.*)
    exclude_categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # any of these source formats ("hf-daily", "arxiv-atom" …)

    @property
    def active(self) -> bool:
        return bool(
            self.since or self.until or self.categories or self.exclude_categories or self.sources
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One paper a search found, and why."""

    id: str  # the id ``show`` and ``export`` use
    title: str
    display_name: str
    score: float  # higher is better; its scale depends on ``mode``
    mode: str  # what found it: "keyword", "semantic", "hybrid" or "pinned"
    matched_terms: tuple[str, ...] = ()  # words of the paper the keyword query matched
    keyword_score: float | None = None  # BM25 (higher is better)
    keyword_rank: int | None = None  # 1-based, in the keyword list
    semantic_score: float | None = None  # cosine of the query and the paper
    semantic_rank: int | None = None
    pinned: str | None = None  # "arxiv id", "doi", "id" or "exact title"
    arxiv_id: str | None = None
    published: str | None = None
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """A short human explanation of the match."""
        parts: list[str] = []
        if self.pinned:
            parts.append(f"exact {self.pinned}" if self.pinned != "exact title" else self.pinned)
        if self.matched_terms:
            parts.append("matched " + ", ".join(self.matched_terms[:8]))
        if self.semantic_score is not None:
            parts.append(f"semantic {self.semantic_score:.3f}")
        return "; ".join(parts) or self.mode

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "display_name": self.display_name,
            "score": self.score,
            "mode": self.mode,
            "why": self.why,
            "matched_terms": list(self.matched_terms),
            "keyword_score": self.keyword_score,
            "keyword_rank": self.keyword_rank,
            "semantic_score": self.semantic_score,
            "semantic_rank": self.semantic_rank,
            "pinned": self.pinned,
            "arxiv_id": self.arxiv_id,
            "published": self.published,
            "categories": list(self.categories),
            "authors": list(self.authors),
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of search hits, with what the search could and could not do."""

    query: str
    mode: str  # the mode that ran (may differ from the one asked for; see ``notes``)
    hits: tuple[SearchHit, ...]
    offset: int = 0
    limit: int = 10
    total: int | None = None  # how many hits there are to page through, when known
    partial: bool = False  # some papers are not embedded yet: semantic results are incomplete
    pending: int = 0  # how many papers wait for an embedding
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "mode": self.mode,
            "offset": self.offset,
            "limit": self.limit,
            "total": self.total,
            "partial": self.partial,
            "pending": self.pending,
            "notes": list(self.notes),
            "hits": [h.as_dict() for h in self.hits],
        }


# --- listings (the Today page, daily lists) ----------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListedPaper:
    """A paper on a day/week/month list, with why it ranks where it does."""

    paper: Paper
    day: str  # the (latest) day of the period it was listed on
    score: float  # trending score (papersift.deliver.trending)
    saves: int = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of the papers listed in a period (a day, an ISO week or a month)."""

    period: str  # day | week | month
    label: str  # 2026-06-23, 2026-W26, 2026-06
    start: str  # YYYY-MM-DD, inclusive
    end: str
    anchor: str  # the day asked for (or the latest day with papers): the period holds it
    sort: str  # trending | newest
    items: tuple[ListedPaper, ...]
    total: int  # papers in the whole period
    offset: int = 0
    limit: int = 20
    previous: str | None = None  # a day of the nearest earlier period with papers
    next: str | None = None  # a day of the nearest later period with papers

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total
