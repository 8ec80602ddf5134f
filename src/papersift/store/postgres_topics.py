"""Topic threads on PostgreSQL (:class:`~papersift.store.topics.TopicStore`, migration 0007)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from papersift.store import codec
from papersift.store.postgres_base import PostgresBase
from papersift.store.topics import Membership, TopicBuild, TopicRow

_PUBLISHED = "substr(coalesce(p.submitted, p.first_listed), 1, 10)"


def _member(r: Sequence[Any]) -> Membership:
    return Membership(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4]), bool(r[5]))


class TopicsPostgres(PostgresBase):
    def topic_build(self) -> TopicBuild | None:
        row = self._one(
            "SELECT version, model, embedding_seq, built_at, updated_at FROM topic_build"
        )
        return TopicBuild(row[0], row[1], int(row[2]), row[3], row[4]) if row else None

    def _save_build(self, build: TopicBuild) -> None:
        self._many(
            "INSERT INTO topic_build (id, version, model, embedding_seq, built_at, updated_at) "
            "VALUES (1, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
            "version = excluded.version, model = excluded.model, "
            "embedding_seq = excluded.embedding_seq, built_at = excluded.built_at, "
            "updated_at = excluded.updated_at",
            [(build.version, build.model, build.embedding_seq, build.built_at, build.updated_at)],
        )

    def _save_members(self, members: Sequence[Membership]) -> None:
        self._many(
            "INSERT INTO paper_topics (paper_id, topic, similarity, x, y, joined) "
            "SELECT %s, %s, %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM papers WHERE id = %s) "
            "ON CONFLICT (paper_id) DO UPDATE SET topic = excluded.topic, "
            "similarity = excluded.similarity, x = excluded.x, y = excluded.y, "
            "joined = excluded.joined",
            [
                (m.paper_id, m.topic, m.similarity, m.x, m.y, bool(m.joined), m.paper_id)
                for m in members
            ],
        )

    def replace_topics(
        self, build: TopicBuild, topics: Sequence[TopicRow], members: Sequence[Membership]
    ) -> None:
        with self.atomic(), self._conn() as db:
            db.execute("DELETE FROM paper_topics")
            db.execute("DELETE FROM topics")
            self._many(
                "INSERT INTO topics (id, label, phrases, centroid, x, y, spread, basis, scale) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
        rows = self._all(
            "SELECT t.id, t.label, t.phrases, t.centroid, t.x, t.y, t.spread, t.basis, t.scale, "
            "(SELECT count(*) FROM paper_topics m WHERE m.topic = t.id) FROM topics t ORDER BY t.id"
        )
        return [
            TopicRow(
                id=int(r[0]),
                label=r[1],
                phrases=tuple(codec.loads(r[2])),
                centroid=bytes(r[3]),
                x=float(r[4]),
                y=float(r[5]),
                spread=float(r[6]),
                basis=bytes(r[7]),
                scale=float(r[8]),
                size=int(r[9]),
            )
            for r in rows
        ]

    def topic_members(
        self, topic: int | None = None, *, limit: int | None = None
    ) -> list[Membership]:
        where = "WHERE topic = %s" if topic is not None else ""
        params: list[object] = [topic] if topic is not None else []
        rows = self._all(
            "SELECT paper_id, topic, similarity, x, y, joined FROM paper_topics "
            f"{where} ORDER BY topic, similarity DESC, paper_id LIMIT %s",
            [*params, limit],  # LIMIT NULL: no limit
        )
        return [_member(r) for r in rows]

    def paper_membership(self, paper_id: str) -> Membership | None:
        r = self._one(
            "SELECT paper_id, topic, similarity, x, y, joined FROM paper_topics "
            "WHERE paper_id = %s",
            (paper_id,),
        )
        return _member(r) if r else None

    def topic_day_counts(self, topic: int | None = None) -> list[tuple[int, str, int]]:
        where = " AND m.topic = %s" if topic is not None else ""
        rows = self._all(
            f"SELECT m.topic, {_PUBLISHED} AS day, count(*) FROM paper_topics m "
            f"JOIN papers p ON p.id = m.paper_id WHERE {_PUBLISHED} IS NOT NULL{where} "
            "GROUP BY m.topic, day ORDER BY m.topic, day",
            [topic] if topic is not None else [],
        )
        return [(int(t), str(d), int(n)) for t, d, n in rows]

    def topic_map_rows(self) -> list[tuple[str, int, float, float, str | None, str]]:
        rows = self._all(
            f"SELECT m.paper_id, m.topic, m.x, m.y, {_PUBLISHED}, p.display_name "
            "FROM paper_topics m JOIN papers p ON p.id = m.paper_id ORDER BY m.paper_id"
        )
        return [(r[0], int(r[1]), float(r[2]), float(r[3]), r[4], r[5]) for r in rows]
