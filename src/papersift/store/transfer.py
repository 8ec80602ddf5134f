"""Copying a whole store to another backend (``papersift migrate --to postgresql://…``).

Table-driven: :data:`TABLES` names every table that holds data, in an order that satisfies
foreign keys; adding a table to papersift is one entry here. Each table is streamed from the
source and bulk-loaded into the target (PostgreSQL: ``COPY``) with the columns both sides have;
derived columns the target computes itself (its full-text documents, pgvector columns) are
made as rows arrive. Everything is one transaction on the target: after the copy every table's
row count is compared with the source's, and any difference (or error) leaves the target as
it was. The target must hold no papers yet.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from papersift.errors import StoreError


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    order: str  # a unique sort key: rows are streamed in this order
    # written by the target's own triggers as other tables arrive (a target that cannot turn
    # its triggers off, SQLite, clears them first: the source's rows are the ones kept)
    by_triggers: bool = False


TABLES: tuple[Table, ...] = (
    Table("papers", "id"),
    Table("records", "hash"),
    Table("provenance", "record_hash, origin, ref"),
    Table("identifiers", "value, kind, paper_id"),
    Table("changes", "seq", by_triggers=True),
    Table("state", "key"),
    Table("embeddings", "seq"),
    Table("paper_days", "day, paper_id", by_triggers=True),  # 0005_listings (web)
    # 0006_accounts
    Table("users", "id"),
    Table("sessions", "token_hash"),
    Table("password_resets", "token_hash"),
    Table("login_failures", "key, at"),
    Table("library", "user_id, paper_id"),
    Table("library_tags", "user_id, paper_id, tag"),
    Table("user_prefs", "user_id"),
    Table("subscriptions", "id"),
    Table("digests", "subscription_id, period"),
    Table("digest_papers", "subscription_id, paper_id"),
    # 0007_topics
    Table("topic_build", "id"),
    Table("topics", "id"),
    Table("paper_topics", "paper_id"),
    # 0008_cards
    Table("cards", "paper_id"),
)

# tables that are the backend's own machinery, never copied (the SQLite FTS5 index and its
# shadow tables are rebuilt by the target from the papers)
INTERNAL_PREFIXES = ("sqlite_", "papers_fts", "schema_migrations")


class TransferStore(Protocol):
    """What a store offers to be copied from, or into."""

    location: str

    def table_names(self) -> list[str]:
        """Every table of the store (its machinery included)."""
        ...

    def table_columns(self, table: str) -> list[str]:
        """The columns of ``table``, in order (empty when there is no such table)."""
        ...

    def export_rows(
        self, table: str, columns: Sequence[str], order: str, *, batch: int = 5000
    ) -> Iterator[tuple[object, ...]]:
        """Every row of ``table`` (those ``columns``), streamed in ``order``."""
        ...

    def count_rows(self, table: str) -> int: ...

    def bulk_load(self) -> AbstractContextManager[None]:
        """One transaction for a whole copy into this store (triggers off: the rows copied
        already say what they would write)."""
        ...

    def import_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[tuple[object, ...]],
        *,
        replace: bool = False,
    ) -> int:
        """Load ``rows`` into ``table`` (inside :meth:`bulk_load`); how many. ``replace``: the
        table may hold rows its triggers wrote during this load; they go first."""
        ...


@dataclass(slots=True)
class TransferReport:
    source: str
    target: str
    tables: dict[str, int] = field(default_factory=dict)  # rows copied, by table
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "tables": dict(self.tables),
            "seconds": round(self.seconds, 2),
        }


def copy_store(
    source: TransferStore,
    target: TransferStore,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> TransferReport:
    """Copy every table of ``source`` into the empty ``target``, counts checked."""
    started = time.monotonic()
    report = TransferReport(source.location, target.location)
    known = {t.name for t in TABLES}
    unknown = sorted(
        name
        for name in source.table_names()
        if name not in known and not name.startswith(INTERNAL_PREFIXES)
    )
    if unknown:
        raise StoreError(
            f"{source.location}: cannot copy tables this papersift does not know: "
            f"{', '.join(unknown)} (see papersift.store.transfer.TABLES)"
        )
    if target.table_columns("papers") and target.count_rows("papers"):
        raise StoreError(f"{target.location}: the target already holds papers; use an empty one")
    with target.bulk_load():
        for table in TABLES:
            have = source.table_columns(table.name)
            if not have:
                continue
            want = target.table_columns(table.name)
            if not want:
                raise StoreError(f"{target.location}: has no table {table.name!r} to copy into")
            columns = [c for c in have if c in want]
            rows = source.export_rows(table.name, columns, table.order)
            report.tables[table.name] = target.import_rows(
                table.name, columns, rows, replace=table.by_triggers
            )
            if progress:
                progress(table.name, report.tables[table.name])
        for name, copied in report.tables.items():
            expected, found = source.count_rows(name), target.count_rows(name)
            if not expected == copied == found:
                raise StoreError(
                    f"{target.location}: table {name}: {expected:,} rows in the source, "
                    f"{found:,} after the copy: nothing was kept"
                )
    report.seconds = time.monotonic() - started
    return report
