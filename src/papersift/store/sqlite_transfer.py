"""SQLite side of :class:`~papersift.store.transfer.TransferStore` (a source, or a target)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class TransferSQLite:
    location: str
    _db: sqlite3.Connection

    def atomic(self) -> AbstractContextManager[None]:
        raise NotImplementedError  # SqliteStore's

    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]

    def table_columns(self, table: str) -> list[str]:
        return [r[1] for r in self._db.execute(f"PRAGMA table_info({_name(table)})")]

    def export_rows(
        self, table: str, columns: Sequence[str], order: str, *, batch: int = 5000
    ) -> Iterator[tuple[object, ...]]:
        cursor = self._db.execute(
            f"SELECT {', '.join(map(_name, columns))} FROM {_name(table)} ORDER BY {order}"
        )
        while rows := cursor.fetchmany(batch):
            yield from rows

    def count_rows(self, table: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {_name(table)}").fetchone()[0])

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        with self.atomic():
            yield
            # the full-text index is external content: built from the papers copied
            self._db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")

    def import_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[tuple[object, ...]],
        *,
        replace: bool = False,
    ) -> int:
        if replace:  # SQLite's triggers cannot be turned off: what they wrote gives way
            self._db.execute(f"DELETE FROM {_name(table)}")
        marks = ", ".join("?" * len(columns))
        before = self.count_rows(table)
        self._db.executemany(
            f"INSERT INTO {_name(table)} ({', '.join(map(_name, columns))}) VALUES ({marks})",
            rows,
        )
        return self.count_rows(table) - before
