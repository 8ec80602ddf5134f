"""One seam for SQL written once for both backends: statements use ``?`` placeholders;
:class:`SQLiteSQL` runs them as they are, :class:`PostgresSQL` turns each ``?`` into ``%s``.
The shared statements therefore hold no literal ``?`` or ``%``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from papersift.store.postgres_base import PostgresBase


class SQLSeam:
    """What shared SQL code calls; each backend's mixin supplies it."""

    def _q_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _q_all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def _q_run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; how many rows it changed."""
        raise NotImplementedError

    def _q_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _q_insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT into a table with an ``id`` key; the new row's id."""
        raise NotImplementedError


class SQLiteSQL(SQLSeam):
    _db: sqlite3.Connection

    def _q_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql, params).fetchone()

    def _q_all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._db.execute(sql, params).fetchall()

    def _q_run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._db.execute(sql, params).rowcount

    def _q_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def _q_insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self._db.execute(sql, params).lastrowid or 0)


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class PostgresSQL(PostgresBase, SQLSeam):
    def _q_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._one(_pg(sql), params)

    def _q_all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._all(_pg(sql), params)

    def _q_run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._run(_pg(sql), params)

    def _q_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._many(_pg(sql), rows)

    def _q_insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        row = self._one(_pg(sql) + " RETURNING id", params)
        return int(row[0])
