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


# --- accounts, library, recommendations, digests (issue 5) ------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    """Someone with a library. ``name`` is their sign-in (an email) or a local handle."""

    id: int
    name: str
    email: str | None = None
    has_password: bool = False
    created_at: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "email": self.email}


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """What one user did with one paper: saved it, rated it, tagged it, noted, read, dismissed."""

    paper_id: str
    saved: bool = False
    saved_at: str | None = None
    rating: int = 0  # +1, -1 or 0
    note: str = ""
    read_at: str | None = None
    dismissed: bool = False  # "not interested": hidden from every feed and digest
    tags: tuple[str, ...] = ()
    updated_at: str = ""

    @property
    def hidden(self) -> bool:
        """Never recommended or sent again: in the library, read, rated or dismissed."""
        return self.saved or self.dismissed or self.read_at is not None or self.rating != 0

    def as_dict(self) -> dict[str, object]:
        return {
            "paper_id": self.paper_id,
            "saved": self.saved,
            "saved_at": self.saved_at,
            "rating": self.rating,
            "note": self.note,
            "read": self.read_at is not None,
            "read_at": self.read_at,
            "not_interested": self.dismissed,
            "tags": list(self.tags),
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class Preferences:
    """How a user steers recommendations."""

    include_keywords: tuple[str, ...] = ()  # a paper matching one is lifted (and said so)
    exclude_keywords: tuple[str, ...] = ()  # a paper matching one is never recommended
    categories: tuple[str, ...] = ()  # only papers in one of these (cs.CL; cs = cs.*)
    exclude_categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # cold start: short descriptions of what to follow

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "include_keywords": list(self.include_keywords),
            "exclude_keywords": list(self.exclude_keywords),
            "categories": list(self.categories),
            "exclude_categories": list(self.exclude_categories),
            "topics": list(self.topics),
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One paper picked for a user, and why."""

    id: str
    title: str
    score: float  # higher is better
    reason: str  # "close to X and Y in your library; matches kv cache"
    near: tuple[str, ...] = ()  # ids of the library papers it is closest to
    near_titles: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # include keywords it matched
    published: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 6),
            "reason": self.reason,
            "near": list(self.near),
            "keywords": list(self.keywords),
            "published": self.published,
            "authors": list(self.authors),
            "categories": list(self.categories),
        }


SUBSCRIPTION_CONTENT = ("recommend", "search", "topic", "trending")
FREQUENCIES = ("daily", "weekly")


@dataclass(frozen=True, slots=True)
class Subscription:
    """A digest a user receives: what goes in it, how often, where to."""

    id: int
    user_id: int
    email: str
    content: str  # one of SUBSCRIPTION_CONTENT
    query: str = ""  # the saved search or the topic
    frequency: str = "daily"  # one of FREQUENCIES
    size: int = 10
    feed_token: str = ""
    active: bool = True
    created_at: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "email": self.email,
            "content": self.content,
            "query": self.query,
            "frequency": self.frequency,
            "size": self.size,
            "active": self.active,
            "created_at": self.created_at,
        }


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """One row of the digest ledger: a subscription's digest for one period."""

    subscription_id: int
    period: str
    status: str  # pending | sent | empty
    papers: tuple[str, ...]
    message_id: str
    created_at: str
    sent_at: str | None = None
    reasons: tuple[str, ...] = ()  # why each paper was picked, in the order of ``papers``


@dataclass(frozen=True, slots=True)
class Recommendations:
    """A user's picks, best first, with what the ranking could and could not do."""

    user: str
    picks: tuple[Recommendation, ...]
    candidates: int = 0  # papers ranked
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "user": self.user,
            "candidates": self.candidates,
            "notes": list(self.notes),
            "hits": [p.as_dict() for p in self.picks],
        }


@dataclass(frozen=True, slots=True)
class LibraryImport:
    """What importing a file into a library did."""

    origin: str
    added: tuple[str, ...] = ()  # paper ids now in the library
    missing: tuple[str, ...] = ()  # ids of the list that are not in the store
    rejected: tuple[str, ...] = ()  # records of a listing that could not be read

    def as_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "added": list(self.added),
            "missing": list(self.missing),
            "rejected": list(self.rejected),
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


# --- cards -------------------------------------------------------------------------------------
# A system card says, at a glance, what a paper proposes, on what, beating what, by how much, and
# where its code is. Cards are derived from the title and abstract (``papersift.understand``),
# versioned by the extractor that made them and the hash of the text they were made from.

CARD_KINDS = ("method", "model", "dataset", "benchmark", "survey", "analysis", "system", "position")


@dataclass(frozen=True, slots=True)
class Claim:
    """A headline quantitative statement: its words (verbatim from the paper's text), the numbers
    in it (units kept, LaTeX backslashes dropped) and what it is compared against, if named."""

    text: str
    numbers: tuple[str, ...]
    compared_to: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "numbers": list(self.numbers),
            "compared_to": list(self.compared_to),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Claim:
        return cls(
            text=str(data["text"]),
            numbers=tuple(map(str, _seq(data.get("numbers")))),
            compared_to=tuple(map(str, _seq(data.get("compared_to")))),
        )


def _seq(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True, slots=True)
class SystemCard:
    """What a paper proposes, as an extractor read it from the title and abstract."""

    systems: tuple[str, ...] = ()  # named things the paper introduces, the main one first
    kind: str = "method"  # one of CARD_KINDS
    tasks: tuple[str, ...] = ()
    benchmarks: tuple[str, ...] = ()  # datasets and benchmarks it is evaluated on
    models: tuple[str, ...] = ()  # existing models used or compared
    claims: tuple[Claim, ...] = ()
    code_urls: tuple[str, ...] = ()  # every URL the paper gives (code, project, data, model)
    project_urls: tuple[str, ...] = ()  # those of them that are not code repositories
    tldr: str = ""
    extractor: str = ""  # what made it, with its version ("rules-1")
    content_hash: str = ""  # of the text it was made from
    paper_id: str = ""

    @property
    def primary(self) -> str | None:
        """The name of the main thing the paper introduces, if it has one."""
        return self.systems[0] if self.systems else None

    def as_dict(self) -> dict[str, object]:
        return {
            "paper_id": self.paper_id,
            "primary": self.primary,
            "systems": list(self.systems),
            "kind": self.kind,
            "tasks": list(self.tasks),
            "benchmarks": list(self.benchmarks),
            "models": list(self.models),
            "claims": [c.as_dict() for c in self.claims],
            "code_urls": list(self.code_urls),
            "project_urls": list(self.project_urls),
            "tldr": self.tldr,
            "extractor": self.extractor,
            "content_hash": self.content_hash,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SystemCard:
        def names(key: str) -> tuple[str, ...]:
            return tuple(map(str, _seq(data.get(key))))

        return cls(
            systems=names("systems"),
            kind=str(data.get("kind") or "method"),
            tasks=names("tasks"),
            benchmarks=names("benchmarks"),
            models=names("models"),
            claims=tuple(
                Claim.from_dict(c) for c in _seq(data.get("claims")) if isinstance(c, dict)
            ),
            code_urls=names("code_urls"),
            project_urls=names("project_urls"),
            tldr=str(data.get("tldr") or ""),
            extractor=str(data.get("extractor") or ""),
            content_hash=str(data.get("content_hash") or ""),
            paper_id=str(data.get("paper_id") or ""),
        )


# --- topic threads ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Topic:
    """A research thread: papers whose embeddings cluster together, named by the phrases that
    set them apart."""

    id: int
    label: str  # the best few phrases, e.g. "kv cache compression · long-context inference"
    phrases: tuple[str, ...]  # distinctive phrases, best first
    size: int  # papers in it
    x: float = 0.0  # where the thread sits on the map
    y: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "phrases": list(self.phrases),
            "size": self.size,
            "x": round(self.x, 4),
            "y": round(self.y, 4),
        }


@dataclass(frozen=True, slots=True)
class TopicPaper:
    """A paper as a thread lists it."""

    paper: Paper
    similarity: float  # cosine to the thread's centroid: how central it is
    joined: bool = False  # joined after the last full build
    card: SystemCard | None = None  # when asked for (Radar.topic(..., cards=True))

    def as_dict(self) -> dict[str, object]:
        p = self.paper
        data: dict[str, object] = {
            "id": p.id,
            "title": p.title,
            "display_name": p.display_name,
            "published": p.published[:10] if p.published else None,
            "arxiv_id": p.arxiv_id,
            "similarity": round(self.similarity, 4),
            "joined": self.joined,
        }
        if self.card is not None:
            data["card"] = self.card.as_dict()
        return data


@dataclass(frozen=True, slots=True)
class TopicThread:
    """One thread in full: its papers (most central first) and its size month by month."""

    topic: Topic
    papers: tuple[TopicPaper, ...]
    by_month: tuple[tuple[str, int], ...]  # (YYYY-MM, papers published), gaps filled with 0

    def as_dict(self) -> dict[str, object]:
        return {
            **self.topic.as_dict(),
            "by_month": [{"month": m, "papers": n} for m, n in self.by_month],
            "papers": [p.as_dict() for p in self.papers],
        }


@dataclass(frozen=True, slots=True)
class TrendingTopic:
    """A thread growing against its own history (formula: papersift.topics.trending)."""

    topic: Topic
    recent: int  # papers in the last ``window`` days up to ``until``
    baseline: float  # mean papers per window over the windows before
    windows: int  # how many history windows the baseline averages
    score: float  # log2((recent + 2) / (baseline + 2))
    window: int  # days
    until: str  # YYYY-MM-DD, the reference day

    def as_dict(self) -> dict[str, object]:
        return {
            **self.topic.as_dict(),
            "recent": self.recent,
            "baseline": round(self.baseline, 3),
            "windows": self.windows,
            "score": round(self.score, 4),
            "window": self.window,
            "until": self.until,
        }


@dataclass(frozen=True, slots=True)
class MapPoints:
    """Every placed paper on the 2-D map, as parallel columns (compact for 60k points)."""

    ids: tuple[str, ...]
    x: tuple[float, ...]
    y: tuple[float, ...]
    topic: tuple[int, ...]
    day: tuple[str | None, ...]  # published YYYY-MM-DD
    title: tuple[str, ...]
    topics: tuple[Topic, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "count": len(self.ids),
            "ids": list(self.ids),
            "x": [round(v, 4) for v in self.x],
            "y": [round(v, 4) for v in self.y],
            "topic": list(self.topic),
            "day": list(self.day),
            "title": list(self.title),
            "topics": [t.as_dict() for t in self.topics],
        }


@dataclass(frozen=True, slots=True)
class TopicsReport:
    """What one ``papersift topics`` run did."""

    full: bool  # a full recluster (else new papers joined existing threads)
    threads: int
    papers: int  # papers in threads now
    joined: int  # papers placed this run (all of them on a full build)
    seconds: float
    version: str
    stages: tuple[tuple[str, float], ...] = ()  # seconds per stage

    def as_dict(self) -> dict[str, object]:
        return {
            "full": self.full,
            "threads": self.threads,
            "papers": self.papers,
            "joined": self.joined,
            "seconds": round(self.seconds, 3),
            "version": self.version,
            "stages": {name: round(s, 3) for name, s in self.stages},
        }
