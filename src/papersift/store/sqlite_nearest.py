"""SQLite side of :class:`~papersift.store.nearest.NearestStore`: no search of its own (the
app-side index serves), its graph files beside the store file."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from pathlib import Path


class NearestSQLite:
    location: str
    _db: sqlite3.Connection

    def vector_folder(self) -> Path | None:
        return Path(f"{self.location}.vectors")

    def native_nearest(self, model: str) -> bool:
        return False

    def nearest(
        self, model: str, vector: bytes, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]] | None:
        return None

    def embeddings_of(self, model: str, paper_ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = list(paper_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT paper_id, vector FROM embeddings "
                f"WHERE model = ? AND paper_id IN ({marks})",
                [model, *chunk],
            )
            found.update(rows.fetchall())
        return found
