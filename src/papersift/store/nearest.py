"""Store methods for nearest-neighbour search done by the database itself (pgvector), and where
derived vector files live. Engines ask :meth:`NearestStore.nearest` first; ``None`` means the
backend has no such search and the app-side index (:mod:`papersift.search.vectors`) serves."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Protocol


class NearestStore(Protocol):
    def vector_folder(self) -> Path | None:
        """Where derived vector files (the app-side HNSW graph) are kept, or ``None`` for none:
        beside a SQLite file; under the home folder for a server database."""
        ...

    def native_nearest(self, model: str) -> bool:
        """Whether :meth:`nearest` answers for ``model`` (the database indexes its vectors)."""
        ...

    def nearest(
        self, model: str, vector: bytes, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]] | None:
        """The ``k`` papers whose ``model`` vectors are nearest ``vector`` (float32 bytes, unit
        length), among ``allowed`` when given, with their cosine, nearest first; ``None`` when
        this store cannot search vectors itself."""
        ...

    def embeddings_of(self, model: str, paper_ids: Sequence[str]) -> dict[str, bytes]:
        """The stored ``model`` vectors (float32 bytes) of those of ``paper_ids`` that have one."""
        ...
