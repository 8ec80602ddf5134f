"""Embeddings on PostgreSQL: the float32 bytes every backend keeps (read by the app-side index),
and - where the server has pgvector (migration 0004 adds the column) - the same vectors as a
``vector(384)`` column with an HNSW index, so :meth:`nearest` runs in the database and web
workers need not hold every vector in memory."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from papersift.store.postgres_base import PostgresBase
from papersift.store.protocol import EmbeddingTodo

NATIVE_DIM = 384  # the vector column's dimension (migration 0004)
EXACT_ALLOWED = 1_000  # among at most this many papers: score them all (an exact scan of
# 8k allowed of 60k took 0.47 s under load; the graph asked for 155 neighbours, 15 ms)
EF_MAX = 1000  # pgvector's largest hnsw.ef_search


def _floats(vector: bytes) -> list[float]:
    import numpy as np

    return np.frombuffer(vector, dtype="<f4").tolist()  # type: ignore[no-any-return]


class VectorsPostgres(PostgresBase):
    """The embeddings part of the Store protocol (and NearestStore) on PostgreSQL."""

    native_vectors_ready: bool  # the embeddings table has the pgvector column

    def embedding_todo(self, model: str, limit: int, *, after: str = "") -> list[EmbeddingTodo]:
        return [
            EmbeddingTodo(*row)
            for row in self._all(
                "SELECT p.id, p.title, p.abstract, e.content_hash FROM papers p "
                "LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = %s "
                "WHERE p.id > %s AND (e.seq IS NULL OR e.stale) ORDER BY p.id LIMIT %s",
                (model, after, limit),
            )
        ]

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        native = self.native_vectors_ready
        column, value, update = (
            (", embedding", ", %b::float8[]::vector", ", embedding = excluded.embedding")
            if native
            else ("", "", "")
        )
        params = []
        for pid, digest, vector in rows:
            extra = []
            if native:
                extra = [_floats(vector) if len(vector) == NATIVE_DIM * 4 else None]
            params.append((pid, model, digest, vector, now, *extra, pid))
        self._many(  # a replaced vector gets a new seq; a paper gone meanwhile is skipped
            f"INSERT INTO embeddings (paper_id, model, content_hash, vector, stale, created_at"
            f"{column}) SELECT %s, %s, %s, %b, false, %s{value} "
            "WHERE EXISTS (SELECT 1 FROM papers WHERE id = %s) "
            "ON CONFLICT (paper_id, model) DO UPDATE SET "
            "seq = nextval(pg_get_serial_sequence('embeddings', 'seq')), "
            "content_hash = excluded.content_hash, vector = excluded.vector, stale = false, "
            f"created_at = excluded.created_at{update}",
            params,
        )

    def keep_embeddings(self, model: str, paper_ids: Sequence[str]) -> None:
        if paper_ids:
            self._many(
                "UPDATE embeddings SET stale = false "
                "WHERE model = %s AND paper_id = ANY(%s) AND stale",
                [(model, list(paper_ids))],
            )

    def iter_embeddings(
        self, model: str, *, after: int = 0, batch: int = 10_000
    ) -> Iterator[tuple[int, str, bytes]]:
        while True:
            rows = self._all(
                "SELECT seq, paper_id, vector FROM embeddings WHERE model = %s AND seq > %s "
                "ORDER BY seq LIMIT %s",
                (model, after, batch),
            )
            yield from ((int(s), p, bytes(v)) for s, p, v in rows)
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def embedding_marks(self, model: str) -> tuple[int, int]:
        row = self._one(
            "SELECT (SELECT max(seq) FROM embeddings WHERE model = %s), "
            "(SELECT max(seq) FROM changes)",
            (model,),
        )
        return int(row[0] or 0), int(row[1] or 0)

    def deleted_since(self, change: int) -> list[str]:
        return [
            r[0]
            for r in self._all(
                "SELECT DISTINCT paper_id FROM changes WHERE seq > %s AND kind = 'delete'",
                (change,),
            )
        ]

    def embedding_counts(self, model: str) -> tuple[int, int]:
        marks = self.embedding_marks(model)
        cached = self._counted.get(model)
        if cached is None or cached[0] != marks:  # papers or vectors came or went
            papers, vectors = self._one(
                "SELECT (SELECT count(*) FROM papers), "
                "(SELECT count(*) FROM embeddings WHERE model = %s)",
                (model,),
            )
            cached = self._counted[model] = (marks, int(papers), int(vectors))
        _, papers, vectors = cached
        (stale,) = self._one("SELECT count(*) FROM embeddings WHERE model = %s AND stale", (model,))
        return vectors, papers - vectors + int(stale)

    _counted: dict[str, tuple[tuple[int, int], int, int]]

    # --- NearestStore ---------------------------------------------------------------------------
    def vector_folder(self) -> Path | None:
        if self.home is None:
            return None
        name = re.sub(r"[^A-Za-z0-9.]+", "-", self.location.split("://", 1)[-1]).strip("-")
        slug = hashlib.sha256(self.location.encode()).hexdigest()[:8]
        return self.home / "vectors" / f"{name[:60]}-{slug}"

    def native_nearest(self, model: str) -> bool:
        return self.native_vectors_ready

    def nearest(
        self, model: str, vector: bytes, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]] | None:
        if not self.native_vectors_ready or len(vector) != NATIVE_DIM * 4:
            return None
        if k <= 0:
            return []
        query = _floats(vector)
        if allowed is not None:
            wanted = list(allowed)
            if not wanted:
                return []
            if len(wanted) <= EXACT_ALLOWED:
                return self._exact(model, query, k, wanted)
            total = self.embedding_counts(model)[0]  # cached while nothing changes
            fetch = k * 2 * total // len(wanted) + 10  # enough that ~2k of them are allowed
            if fetch <= EF_MAX:
                keep = set(wanted)
                hits = [h for h in self._hnsw(model, query, fetch) if h[0] in keep]
                if len(hits) >= k:
                    return hits[:k]
            return self._exact(model, query, k, wanted)
        if k > EF_MAX:
            return self._exact(model, query, k, None)
        return self._hnsw(model, query, k)

    def _hnsw(self, model: str, query: list[float], k: int) -> list[tuple[str, float]]:
        """The graph's ``k`` nearest of ``model``. The statement is exactly what the HNSW index
        answers (ORDER BY distance to a parameter, LIMIT): no WHERE on the model, which could
        lead the planner to another index and an exact scan of every vector (0.5 s at 60k).
        Vectors of other models are dropped after; if that leaves too few, exact search."""
        with self._conn() as db, db.transaction():
            db.execute(
                "SELECT set_config('hnsw.ef_search', %s, true)", (str(min(EF_MAX, max(k, 100))),)
            )
            rows = db.execute(
                "SELECT paper_id, model, -(embedding <#> %b::float8[]::vector) FROM embeddings "
                "ORDER BY embedding <#> %b::float8[]::vector LIMIT %s",
                (query, query, k),
            ).fetchall()
        found = [(pid, float(score)) for pid, made_by, score in rows if made_by == model]
        if len(found) < len(rows):  # vectors of several models: ask for this one's, exactly
            return self._exact(model, query, k, None)
        return found

    def _exact(
        self, model: str, query: list[float], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]:
        where = " AND paper_id = ANY(%s)" if among is not None else ""
        params: list[object] = [query, model, *([among] if among is not None else []), k]
        # "+ 0": an ORDER BY the HNSW index cannot serve, so every candidate is scored
        rows = self._all(
            "SELECT paper_id, -(embedding <#> q.v) AS score FROM embeddings, "
            f"(SELECT %b::float8[]::vector AS v) q WHERE model = %s{where} "
            "AND embedding IS NOT NULL ORDER BY (embedding <#> q.v) + 0, seq LIMIT %s",
            params,
        )
        return [(pid, float(score)) for pid, score in rows]

    def embeddings_of(self, model: str, paper_ids: Sequence[str]) -> dict[str, bytes]:
        if not paper_ids:
            return {}
        rows = self._all(
            "SELECT paper_id, vector FROM embeddings WHERE model = %s AND paper_id = ANY(%s)",
            (model, list(paper_ids)),
        )
        return {pid: bytes(v) for pid, v in rows}
