"""The server store: PostgreSQL through a psycopg 3 connection pool, for many workers and jobs.

``open_store("postgresql://…")`` opens it; migrations (``migrations/postgres``, named and
ordered like SQLite's) are applied on open, each in its own transaction, under an advisory lock
so concurrent openers wait for one to finish.

Concurrency. Calls outside :meth:`atomic` run on any pooled connection (autocommit). A
top-level :meth:`atomic` block pins one connection to the calling thread for its transaction
and starts by taking one transaction-scoped advisory lock: writers take turns, as SQLite's
``BEGIN IMMEDIATE`` makes them, while readers never wait. So two ingests of the same listing
never both add a paper, a read-merge-write of a paper is never lost, and the change log and the
embeddings' ``seq`` are committed in the order they are numbered (readers catching up with
``seq > last seen`` miss nothing).

Full text (:mod:`papersift.store.postgres_search`) and vectors
(:mod:`papersift.store.postgres_vectors`) are mixins over the same connections.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papersift.config import shown_location
from papersift.errors import MigrationError, StoreError
from papersift.model import Paper, Provenance, Record
from papersift.store import codec, tsquery
from papersift.store.postgres_accounts import AccountsPostgres
from papersift.store.postgres_base import reason
from papersift.store.postgres_cards import CardsPostgres
from papersift.store.postgres_listings import ListingsPostgres
from papersift.store.postgres_search import SearchPostgres
from papersift.store.postgres_topics import TopicsPostgres
from papersift.store.postgres_transfer import TransferPostgres
from papersift.store.postgres_vectors import VectorsPostgres
from papersift.store.protocol import Holder, IdentityKey, NewPaper
from papersift.store.sqlite import migrations

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

PAPER_COLUMNS = codec.PAPER_COLUMNS
MIGRATION_LOCK = 0x7061_7065_7273_0001  # pg_advisory_lock key: one migrator at a time
POOL_SIZE = 8


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def redact(url: str) -> str:
    """``url`` without its password (a location that is safe to print)."""
    return shown_location(url)


def is_postgres_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


class PostgresStore(
    SearchPostgres,
    VectorsPostgres,
    TransferPostgres,
    ListingsPostgres,
    CardsPostgres,
    TopicsPostgres,
    AccountsPostgres,
):
    """:class:`~papersift.store.protocol.Store` on a PostgreSQL database."""

    def __init__(self, url: str, *, home: Path | None = None, pool_size: int = POOL_SIZE) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.location = redact(url)
        self.home = home
        self._local = threading.local()
        self._counted: dict[str, tuple[tuple[int, int], int, int]] = {}
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=15) as db:
                self._migrate(db)
                self.native_vectors_ready = self._has_vector_column(db)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot open the store: {reason(exc)}") from exc
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            open=True,
            name="papersift",
        )

    # --- lifecycle ----------------------------------------------------------------------------
    def _migrate(self, db: psycopg.Connection[Any]) -> None:
        known = migrations("postgres")
        db.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            applied = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
            unknown = applied - {name for name, _ in known}
            if unknown:
                raise MigrationError(
                    f"{self.location}: the store was written by a newer papersift "
                    f"(unknown migrations: {', '.join(sorted(unknown))})"
                )
            import psycopg

            for name, sql in known:
                if name in applied:
                    continue
                try:
                    with db.transaction():
                        db.execute(sql.encode())  # several statements: the simple protocol
                        db.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (name, _now()))
                except psycopg.Error as exc:
                    raise MigrationError(
                        f"{self.location}: migration {name} failed: {reason(exc)}"
                    ) from exc
        finally:
            db.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    @staticmethod
    def _has_vector_column(db: psycopg.Connection[Any]) -> bool:
        row = db.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'embeddings' "
            "AND column_name = 'embedding'"
        ).fetchone()
        return bool(row and row[0])

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._all("SELECT name FROM schema_migrations ORDER BY name")]

    def close(self) -> None:
        self._pool.close()

    # --- identity -----------------------------------------------------------------------------
    def lookup(self, keys: Sequence[IdentityKey]) -> dict[IdentityKey, list[Holder]]:
        found: dict[IdentityKey, list[Holder]] = {}
        wanted = set(keys)
        if not wanted:
            return found
        rows = self._all(
            "SELECT i.kind, i.value, i.paper_id, p.arxiv_id, p.doi, p.external_ids "
            "FROM identifiers i JOIN papers p ON p.id = i.paper_id "
            "WHERE i.value = ANY(%s) ORDER BY i.paper_id",
            (sorted({value for _, value in wanted}),),
        )
        for kind, value, paper_id, arxiv_id, doi, external in rows:
            if (kind, value) in wanted:
                holder = Holder(paper_id, arxiv_id, doi, tuple(map(tuple, codec.loads(external))))
                found.setdefault((kind, value), []).append(holder)
        return found

    def resolve(self, identifier: str) -> str | None:
        row = self._one(
            "SELECT id FROM papers WHERE id = %s UNION ALL "
            "(SELECT paper_id FROM identifiers WHERE value = %s "
            "AND kind IN ('id', 'arxiv', 'doi') ORDER BY paper_id LIMIT 1) LIMIT 1",
            (identifier, identifier),
        )
        return str(row[0]) if row else None

    def owners(self, record_hashes: Sequence[str]) -> dict[str, str]:
        if not record_hashes:
            return {}
        rows = self._all(
            "SELECT hash, paper_id FROM records WHERE hash = ANY(%s)", (list(record_hashes),)
        )
        return dict(rows)

    def match(
        self, record_hash: str, keys: Sequence[IdentityKey]
    ) -> tuple[str | None, dict[IdentityKey, list[Holder]]]:
        row = self._one("SELECT paper_id FROM records WHERE hash = %s", (record_hash,))
        if row:
            return str(row[0]), {}
        return None, self.lookup(keys)

    # --- writing ------------------------------------------------------------------------------
    @staticmethod
    def _row(paper: Paper, now: str) -> tuple[Any, ...]:
        """The paper's columns, then its full-text document."""
        document = tsquery.document(paper.title, paper.authors, paper.abstract)
        return (*codec.paper_row(paper, now), document)

    def add_papers(self, new: Sequence[NewPaper]) -> None:
        import psycopg

        now = _now()
        marks = ", ".join(["%s"] * 24)
        try:
            self._many(
                f"INSERT INTO papers ({PAPER_COLUMNS}, search) VALUES ({marks}, %s::tsvector)",
                [self._row(n.paper, now) for n in new],
            )
        except StoreError as exc:
            if isinstance(exc.__cause__, psycopg.errors.IntegrityError):
                raise StoreError(f"{self.location}: cannot add papers: {exc}") from exc
            raise
        self._many(
            "INSERT INTO identifiers (kind, value, paper_id) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [(kind, value, n.paper.id) for n in new for kind, value in n.keys],
        )
        self._many(
            "INSERT INTO records (hash, paper_id, source, payload) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [
                (
                    n.provenance.record_hash,
                    n.paper.id,
                    n.record.source,
                    codec.record_payload(n.record),
                )
                for n in new
            ],
        )
        self._many(
            "INSERT INTO provenance (record_hash, origin, ref, seen_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [
                (
                    n.provenance.record_hash,
                    n.provenance.origin,
                    n.provenance.ref,
                    n.provenance.seen_at,
                )
                for n in new
            ],
        )

    def save_paper(self, paper: Paper, keys: Iterable[IdentityKey]) -> None:
        row = self._row(paper, _now())
        self._many(
            "UPDATE papers SET arxiv_id=%s, doi=%s, title=%s, title_raw=%s, abstract=%s, "
            "abstract_raw=%s, display_name=%s, authors=%s, categories=%s, primary_category=%s, "
            "submitted=%s, updated=%s, first_listed=%s, listed=%s, versions=%s, links=%s, "
            "comments=%s, journal_ref=%s, license=%s, upvotes=%s, external_ids=%s, "
            "modified_at=%s, search=%s::tsvector WHERE id=%s",
            [(*row[1:-3], row[-2], row[-1], paper.id)],
        )
        self._many(
            "INSERT INTO identifiers (kind, value, paper_id) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [(kind, value, paper.id) for kind, value in keys],
        )

    def add_record(self, paper_id: str, record: Record, provenance: Provenance) -> None:
        self._many(
            "INSERT INTO records (hash, paper_id, source, payload) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [(provenance.record_hash, paper_id, record.source, codec.record_payload(record))],
        )
        self.add_provenance(provenance)

    def add_provenance(self, provenance: Provenance) -> bool:
        with self._conn() as db:
            cursor = db.execute(
                "INSERT INTO provenance (record_hash, origin, ref, seen_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (provenance.record_hash, provenance.origin, provenance.ref, provenance.seen_at),
            )
            return cursor.rowcount > 0

    def fold(self, loser: str, winner: str) -> None:
        with self._conn() as db:
            db.execute("UPDATE records SET paper_id = %s WHERE paper_id = %s", (winner, loser))
            db.execute(
                "INSERT INTO identifiers (kind, value, paper_id) "
                "SELECT kind, value, %s FROM identifiers WHERE paper_id = %s "
                "ON CONFLICT DO NOTHING",
                (winner, loser),
            )
            db.execute("DELETE FROM identifiers WHERE paper_id = %s", (loser,))
            db.execute(
                "INSERT INTO identifiers VALUES ('id', %s, %s) ON CONFLICT DO NOTHING",
                (loser, winner),
            )
            db.execute("DELETE FROM papers WHERE id = %s", (loser,))

    # --- reading ------------------------------------------------------------------------------
    @staticmethod
    def _paper(row: Sequence[Any], sources: tuple[Provenance, ...]) -> Paper:
        return codec.paper_from_row(row, sources)

    def get(self, paper_id: str) -> Paper | None:
        papers = self.get_many([paper_id])
        return papers[0] if papers else None

    def get_many(self, paper_ids: Sequence[str]) -> list[Paper]:
        if not paper_ids:
            return []
        wanted = list(dict.fromkeys(paper_ids))
        rows = {
            row[0]: row
            for row in self._all(
                f"SELECT {PAPER_COLUMNS} FROM papers WHERE id = ANY(%s)", (wanted,)
            )
        }
        sources: dict[str, list[Provenance]] = {pid: [] for pid in rows}
        for pid, source, origin, ref, seen_at, record_hash in self._all(
            "SELECT r.paper_id, r.source, p.origin, p.ref, p.seen_at, p.record_hash "
            "FROM records r JOIN provenance p ON p.record_hash = r.hash "
            "WHERE r.paper_id = ANY(%s) ORDER BY p.seen_at, p.origin, p.ref",
            (list(rows),),
        ):
            sources[pid].append(Provenance(source, origin, ref, seen_at, record_hash))
        return [self._paper(rows[pid], tuple(sources[pid])) for pid in paper_ids if pid in rows]

    def records(self, paper_id: str) -> list[tuple[Record, Provenance]]:
        rows = self._all(
            "SELECT DISTINCT ON (r.hash) r.payload, r.source, p.origin, p.ref, p.seen_at, r.hash "
            "FROM records r JOIN provenance p ON p.record_hash = r.hash "
            "WHERE r.paper_id = %s ORDER BY r.hash, p.seen_at, p.origin, p.ref",
            (paper_id,),
        )
        return [
            (codec.record_from_payload(payload, ref), Provenance(source, origin, ref, seen_at, h))
            for payload, source, origin, ref, seen_at, h in rows
        ]

    def iter_papers(self, *, batch: int = 1000) -> Iterator[Paper]:
        last = ""
        while True:
            ids = [
                r[0]
                for r in self._all(
                    "SELECT id FROM papers WHERE id > %s ORDER BY id LIMIT %s", (last, batch)
                )
            ]
            if not ids:
                return
            yield from self.get_many(ids)
            last = ids[-1]

    def count_papers(self) -> int:
        return int(self._one("SELECT count(*) FROM papers")[0])

    def stats(self) -> dict[str, object]:
        by_source = dict(
            self._all(
                "SELECT source, count(DISTINCT paper_id) FROM records "
                "GROUP BY source ORDER BY source"
            )
        )
        by_category = dict(
            self._all(
                "SELECT primary_category, count(*) FROM papers WHERE primary_category IS NOT NULL "
                "GROUP BY primary_category ORDER BY count(*) DESC, primary_category LIMIT 10"
            )
        )
        row = self._one(
            "SELECT min(first_listed), max(first_listed), count(*), count(arxiv_id) FROM papers"
        )
        first, last, papers, with_arxiv = row
        counts = self._one(
            "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM provenance), "
            "(SELECT count(DISTINCT origin) FROM provenance)"
        )
        return {
            "papers": int(papers),
            "with_arxiv_id": int(with_arxiv),
            "records": int(counts[0]),
            "sightings": int(counts[1]),
            "origins": int(counts[2]),
            "papers_by_source": {k: int(v) for k, v in by_source.items()},
            "top_categories": {k: int(v) for k, v in by_category.items()},
            "first_listed": first,
            "last_listed": last,
        }

    # --- state --------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        row = self._one("SELECT value FROM state WHERE key = %s", (key,))
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self._many("DELETE FROM state WHERE key = %s", [(key,)])
        else:
            self._many(
                "INSERT INTO state (key, value, updated_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                [(key, value, _now())],
            )
