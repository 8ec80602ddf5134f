"""A throwaway database on a PostgreSQL server, for the benchmarks' ``--db postgresql://…``."""

from __future__ import annotations

from typing import Any


class Postgres:
    """A throwaway database on the server of ``url`` (created now, dropped by :meth:`drop`)."""

    def __init__(self, url: str) -> None:
        import os

        import psycopg

        self.server = url
        self.name = f"papersift_bench_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {self.name}")
        self.url = url.rsplit("/", 1)[0] + "/" + self.name

    def execute(self, sql: str, params: Any = ()) -> list[Any]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
