"""PostgreSQL side of :class:`~papersift.store.transfer.TransferStore`: rows stream in with
``COPY``, the table's secondary indexes are dropped before and built again after (a bulk build
is several times faster than growing a GIN or HNSW index row by row), derived columns (the
full-text document, the pgvector column) are computed as rows arrive, and identity sequences
continue after the highest value copied."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from papersift.store import codec, tsquery
from papersift.store.postgres_base import PostgresBase


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _document(row: dict[str, Any]) -> str:
    return tsquery.document(row["title"], codec.loads(row["authors"]), row["abstract"])


def _vector_text(row: dict[str, Any]) -> str | None:
    import numpy as np

    vector = row["vector"]
    if len(vector) != 384 * 4:
        return None
    return "[" + ",".join(map(repr, np.frombuffer(vector, dtype="<f4").tolist())) + "]"


# columns the target computes from each row copied (by column name): table -> column -> how
DERIVED: dict[str, dict[str, Callable[[dict[str, Any]], Any]]] = {
    "papers": {"search": _document},
    "embeddings": {"embedding": _vector_text},
}


class TransferPostgres(PostgresBase):
    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self._all(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            )
        ]

    def table_columns(self, table: str) -> list[str]:
        return [
            r[0]
            for r in self._all(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s "
                "ORDER BY ordinal_position",
                (table,),
            )
        ]

    def export_rows(
        self, table: str, columns: Sequence[str], order: str, *, batch: int = 5000
    ) -> Iterator[tuple[object, ...]]:
        with self._conn() as db, db.transaction(), db.cursor(name=f"export_{table}") as cursor:
            cursor.itersize = batch
            cursor.execute(
                f"SELECT {', '.join(map(_name, columns))} FROM {_name(table)} ORDER BY {order}"
            )
            for row in cursor:
                yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)

    def count_rows(self, table: str) -> int:
        return int(self._one(f"SELECT count(*) FROM {_name(table)}")[0])

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        with self.atomic():
            tables = self._all(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
            with self._conn() as db:  # the rows copied already say what triggers would write
                for (table,) in tables:
                    db.execute(f"ALTER TABLE {_name(table)} DISABLE TRIGGER USER")
            yield
            with self._conn() as db:
                for (table,) in tables:
                    db.execute(f"ALTER TABLE {_name(table)} ENABLE TRIGGER USER")

    def import_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[tuple[object, ...]],
        *,
        replace: bool = False,
    ) -> int:
        """(``replace`` changes nothing here: the triggers are off during a bulk load.)"""
        have = set(self.table_columns(table))
        derived = {
            column: how
            for column, how in DERIVED.get(table, {}).items()
            if column in have and column not in columns
        }
        names = [*columns, *derived]
        indexes = self._all(  # secondary indexes only: constraints stay (they check the copy)
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint "
            "c WHERE c.conname = i.indexname)",
            (table,),
        )
        copied = 0
        with self._conn() as db:
            for name, _ in indexes:
                db.execute(f"DROP INDEX {_name(name)}")
            sql = f"COPY {_name(table)} ({', '.join(map(_name, names))}) FROM STDIN"
            with db.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    if derived:
                        record = dict(zip(columns, row, strict=True))
                        row = (*row, *(how(record) for how in derived.values()))
                    copy.write_row(row)
                    copied += 1
            for _, definition in indexes:
                db.execute(definition)
            db.execute(f"ANALYZE {_name(table)}")  # the planner's statistics, for the new rows
            for column in self._all(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = %s AND is_identity = 'YES'",
                (table,),
            ):
                db.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"coalesce((SELECT max({_name(column[0])}) FROM {_name(table)}), 0) + 1, "
                    "false)",
                    (table, column[0]),
                )
        return copied
