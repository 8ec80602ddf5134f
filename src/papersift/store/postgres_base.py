"""What the PostgreSQL store's parts share: the connections, and one way to run SQL on them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papersift.errors import StoreError

WRITE_LOCK = 0x7061_7065_7273_0002  # pg_advisory_xact_lock key: one writer at a time

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool


class PostgresBase:
    """Connections: the calling thread's transaction (see ``PostgresStore.atomic``), else one
    from the pool, in autocommit. Driver errors become :class:`StoreError` here."""

    location: str
    home: Path | None
    _local: threading.local
    _pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]]

    @contextmanager
    def atomic(self) -> Iterator[None]:
        import psycopg

        local = self._local
        if getattr(local, "conn", None) is not None:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                local.conn, local.depth = conn, 1
                try:
                    yield
                finally:
                    local.conn, local.depth = None, 0
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: {reason(exc)}") from exc

    # --- connections --------------------------------------------------------------------------
    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        """The calling thread's transaction connection, or a pooled one (autocommit)."""
        import psycopg

        conn = getattr(self._local, "conn", None)
        try:
            if conn is not None:
                yield conn
                return
            with self._pool.connection() as pooled:
                yield pooled
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: {reason(exc)}") from exc

    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        with self._conn() as db:
            return db.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with self._conn() as db:
            return db.execute(sql, params).fetchone()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; how many rows it changed."""
        with self._conn() as db:
            return db.execute(sql, params).rowcount

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._conn() as db, db.cursor() as cursor:
                cursor.executemany(sql, rows)


def reason(exc: Exception) -> str:
    """A driver error in one line (psycopg's messages carry a newline and a caret)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
