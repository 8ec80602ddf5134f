"""What every store backend provides. Engines see only this; the SQL stays in each backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from papersift.model import Paper, Provenance, Record

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


class Store(Protocol):
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
