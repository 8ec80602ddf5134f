"""What every store backend provides. Engines see only this; the SQL stays in each backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from papersift.model import Paper, Provenance, QueryNode, Record, SearchFilters
from papersift.store.accounts import AccountStore
from papersift.store.cards import CardStore
from papersift.store.listings import ListingStore
from papersift.store.nearest import NearestStore
from papersift.store.topics import TopicStore
from papersift.store.transfer import TransferStore

IdentityKey = tuple[str, str]


class Holder(NamedTuple):
    """A paper found under an identity key, with the strong ids that decide whether a record
    may be the same paper."""

    id: str
    arxiv_id: str | None
    doi: str | None
    external_ids: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NewPaper:
    """A paper seen for the first time, with its keys and the record that made it."""

    paper: Paper
    keys: Sequence[IdentityKey]
    record: Record
    provenance: Provenance


class EmbeddingTodo(NamedTuple):
    """A paper to embed: its text, and the hash of the text its current vector was made from
    (``None`` when it has no vector yet)."""

    paper_id: str
    title: str
    abstract: str
    content_hash: str | None


class Store(
    NearestStore, TransferStore, ListingStore, CardStore, TopicStore, AccountStore, Protocol
):
    """A durable home for papers and the records they were merged from."""

    location: str

    def close(self) -> None: ...

    def atomic(self) -> AbstractContextManager[None]:
        """A transaction: everything inside is stored, or (on an exception) nothing is."""
        ...

    # --- identity ---------------------------------------------------------------------------
    def lookup(self, keys: Sequence[IdentityKey]) -> dict[IdentityKey, list[Holder]]:
        """The papers stored under each of ``keys`` (keys with none are left out)."""
        ...

    def resolve(self, identifier: str) -> str | None:
        """The paper id for a paper id or any alias/arXiv id/DOI stored as a key."""
        ...

    def owners(self, record_hashes: Sequence[str]) -> dict[str, str]:
        """For each record hash seen before, the paper it was merged into."""
        ...

    def match(
        self, record_hash: str, keys: Sequence[IdentityKey]
    ) -> tuple[str | None, dict[IdentityKey, list[Holder]]]:
        """In one round trip: the paper a record with this hash was merged into (if seen
        before), and :meth:`lookup` of ``keys``."""
        ...

    # --- writing ----------------------------------------------------------------------------
    def add_papers(self, new: Sequence[NewPaper]) -> None:
        """Insert new papers with their keys, records and provenance (in bulk)."""
        ...

    def save_paper(self, paper: Paper, keys: Iterable[IdentityKey]) -> None:
        """Replace the stored ``paper`` (without its sources) and add ``keys`` for it."""
        ...

    def add_record(self, paper_id: str, record: Record, provenance: Provenance) -> None:
        """Keep ``record`` for ``paper_id`` (once per hash) and where it was seen."""
        ...

    def add_provenance(self, provenance: Provenance) -> bool:
        """Note another place a known record was seen; False if already noted."""
        ...

    def fold(self, loser: str, winner: str) -> None:
        """Make ``loser`` part of ``winner``: its records and keys move, its id becomes an alias."""
        ...

    # --- reading ----------------------------------------------------------------------------
    def get(self, paper_id: str) -> Paper | None: ...

    def get_many(self, paper_ids: Sequence[str]) -> list[Paper]: ...

    def records(self, paper_id: str) -> list[tuple[Record, Provenance]]:
        """Every record kept for ``paper_id``, each with one place it was seen."""
        ...

    def iter_papers(self, *, batch: int = 1000) -> Iterator[Paper]:
        """All papers in id order, streamed."""
        ...

    def count_papers(self) -> int: ...

    def stats(self) -> dict[str, object]: ...

    # --- state ------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str | None) -> None: ...

    # --- full text and filters --------------------------------------------------------------
    def fulltext_search(
        self,
        query: QueryNode | None,
        *,
        filters: SearchFilters | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[tuple[str, float]]:
        """``(paper id, score)`` of the papers matching ``query`` (BM25 over title, authors and
        abstract, weighted in that order) and ``filters``, best first. With nothing to match
        (no query, or only exclusions): the papers passing filters and exclusions, newest first."""
        ...

    def fulltext_count(
        self, query: QueryNode | None, *, filters: SearchFilters | None = None
    ) -> int: ...

    def fulltext_terms(
        self, query: QueryNode | None, paper_ids: Sequence[str]
    ) -> dict[str, tuple[str, ...]]:
        """The words of each paper that ``query`` matched (papers it does not match left out)."""
        ...

    def filter_ids(self, filters: SearchFilters, *, among: Sequence[str] | None = None) -> set[str]:
        """Ids of the papers passing ``filters`` (only those ``among`` the given, if given)."""
        ...

    # --- embeddings (derived: `papersift index` writes them) ----------------------------------
    def embedding_todo(self, model: str, limit: int, *, after: str = "") -> list[EmbeddingTodo]:
        """Up to ``limit`` papers (ids above ``after``, in id order) whose ``model`` vector is
        missing or stale (their title or abstract changed since)."""
        ...

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        """Store ``(paper id, content hash, float32 vector bytes)`` rows for ``model``, replacing
        older vectors of those papers (papers deleted meanwhile are skipped)."""
        ...

    def keep_embeddings(self, model: str, paper_ids: Sequence[str]) -> None:
        """The text of these papers is the same as when embedded: their vectors stand."""
        ...

    def iter_embeddings(
        self, model: str, *, after: int = 0, batch: int = 10_000
    ) -> Iterator[tuple[int, str, bytes]]:
        """``(seq, paper id, vector bytes)`` of every ``model`` vector written after ``after``,
        in the order written (so a reader catches up from the last seq it saw)."""
        ...

    def embedding_marks(self, model: str) -> tuple[int, int]:
        """Cheaply: the last vector seq of ``model`` and the last change-log seq."""
        ...

    def deleted_since(self, change: int) -> list[str]:
        """Ids of the papers deleted (or folded into another) after change-log seq ``change``."""
        ...

    def embedding_counts(self, model: str) -> tuple[int, int]:
        """``(embedded, pending)``: papers with a ``model`` vector, and papers waiting for one
        (none yet, or a stale one)."""
        ...
