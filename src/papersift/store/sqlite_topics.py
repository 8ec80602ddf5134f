"""The SQL of topic threads for :class:`~papersift.store.sqlite.SqliteStore` (a mixin)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from papersift.store import codec
from papersift.store.topics import Membership, TopicBuild, TopicRow

# A paper's published day: its submission date, else its first listing (Paper.published).
_PUBLISHED = "substr(coalesce(p.submitted, p.first_listed), 1, 10)"


class TopicsSQLite:
    """Topic threads in SQLite (tables of migration 0007_topics)."""

    _db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by SqliteStore

        def atomic(self) -> AbstractContextManager[None]: ...

    def topic_build(self) -> TopicBuild | None:
        row = self._db.execute(
            "SELECT version, model, embedding_seq, built_at, updated_at FROM topic_build"
        ).fetchone()
        return TopicBuild(*row) if row else None

    def _save_build(self, build: TopicBuild) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO topic_build "
            "(id, version, model, embedding_seq, built_at, updated_at) VALUES (1, ?, ?, ?, ?, ?)",
            (build.version, build.model, build.embedding_seq, build.built_at, build.updated_at),
        )

    def _save_members(self, members: Sequence[Membership]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO paper_topics (paper_id, topic, similarity, x, y, joined) "
            "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)",
            [
                (m.paper_id, m.topic, m.similarity, m.x, m.y, int(m.joined), m.paper_id)
                for m in members
            ],
        )

    def replace_topics(
        self, build: TopicBuild, topics: Sequence[TopicRow], members: Sequence[Membership]
    ) -> None:
        with self.atomic():
            self._db.execute("DELETE FROM paper_topics")
            self._db.execute("DELETE FROM topics")
            self._db.executemany(
                "INSERT INTO topics (id, label, phrases, centroid, x, y, spread, basis, scale) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        t.id,
                        t.label,
                        codec.dumps(list(t.phrases)),
                        t.centroid,
                        t.x,
                        t.y,
                        t.spread,
                        t.basis,
                        t.scale,
                    )
                    for t in topics
                ],
            )
            self._save_members(members)
            self._save_build(build)

    def join_topics(self, build: TopicBuild, members: Sequence[Membership]) -> None:
        with self.atomic():
            self._save_members(members)
            self._save_build(build)

    def topic_rows(self) -> list[TopicRow]:
        rows = self._db.execute(
            "SELECT t.id, t.label, t.phrases, t.centroid, t.x, t.y, t.spread, t.basis, t.scale, "
            "(SELECT count(*) FROM paper_topics m WHERE m.topic = t.id) FROM topics t ORDER BY t.id"
        )
        return [
            TopicRow(
                id=r[0],
                label=r[1],
                phrases=tuple(codec.loads(r[2])),
                centroid=r[3],
                x=r[4],
                y=r[5],
                spread=r[6],
                basis=r[7],
                scale=r[8],
                size=r[9],
            )
            for r in rows
        ]

    def topic_members(
        self, topic: int | None = None, *, limit: int | None = None
    ) -> list[Membership]:
        where = "WHERE topic = ?" if topic is not None else ""
        params: list[object] = [topic] if topic is not None else []
        rows = self._db.execute(
            "SELECT paper_id, topic, similarity, x, y, joined FROM paper_topics "
            f"{where} ORDER BY topic, similarity DESC, paper_id LIMIT ?",
            [*params, -1 if limit is None else limit],
        )
        return [Membership(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

    def paper_membership(self, paper_id: str) -> Membership | None:
        r = self._db.execute(
            "SELECT paper_id, topic, similarity, x, y, joined FROM paper_topics WHERE paper_id = ?",
            (paper_id,),
        ).fetchone()
        return Membership(r[0], r[1], r[2], r[3], r[4], bool(r[5])) if r else None

    def topic_day_counts(self, topic: int | None = None) -> list[tuple[int, str, int]]:
        if topic is not None:  # one thread: its members first
            rows = self._db.execute(
                f"SELECT m.topic, {_PUBLISHED} AS day, count(*) FROM paper_topics m "
                "JOIN papers p ON p.id = m.paper_id WHERE day IS NOT NULL AND m.topic = ? "
                "GROUP BY day ORDER BY day",
                (topic,),
            )
        else:  # every thread: scan the papers' covering date index (0003), not their rows
            rows = self._db.execute(
                f"SELECT m.topic, {_PUBLISHED} AS day, count(*) FROM papers p "
                "CROSS JOIN paper_topics m ON m.paper_id = p.id WHERE day IS NOT NULL "
                "GROUP BY m.topic, day ORDER BY m.topic, day"
            )
        return [(int(t), str(d), int(n)) for t, d, n in rows]

    def topic_map_rows(self) -> list[tuple[str, int, float, float, str | None, str]]:
        rows = self._db.execute(
            f"SELECT m.paper_id, m.topic, m.x, m.y, {_PUBLISHED}, p.display_name "
            "FROM paper_topics m JOIN papers p ON p.id = m.paper_id ORDER BY m.paper_id"
        )
        return [(r[0], int(r[1]), float(r[2]), float(r[3]), r[4], r[5]) for r in rows]
