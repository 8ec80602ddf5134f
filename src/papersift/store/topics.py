"""What a store keeps for topic threads (derived data: `papersift topics` writes it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol


@dataclass(frozen=True, slots=True)
class TopicBuild:
    """The current build of the threads: what made it, and how far into the vectors it got."""

    version: str  # algorithm version, embedding model and threads asked for
    model: str  # the embedding model whose vectors were clustered
    embedding_seq: int  # the last embeddings seq taken in (later vectors join incrementally)
    built_at: str  # ISO 8601 UTC of the full build
    updated_at: str  # ISO 8601 UTC of the last incremental join


@dataclass(frozen=True, slots=True)
class TopicRow:
    """One stored thread. Vectors are float32 little-endian bytes."""

    id: int
    label: str
    phrases: tuple[str, ...]
    centroid: bytes  # unit vector
    x: float  # the thread's place on the map
    y: float
    spread: float  # radius its papers are drawn within
    basis: bytes  # 2 x dim: the thread's own map axes
    scale: float  # typical length of a paper's projection on them
    size: int = 0  # papers in it (filled in when read)


class Membership(NamedTuple):
    """A paper's thread and map position."""

    paper_id: str
    topic: int
    similarity: float  # cosine to the thread's centroid
    x: float
    y: float
    joined: bool = False  # joined after the full build


class TopicStore(Protocol):
    """Topic threads: one current build, its threads and every paper's membership."""

    def topic_build(self) -> TopicBuild | None:
        """The current build, or ``None`` before the first."""
        ...

    def replace_topics(
        self, build: TopicBuild, topics: Sequence[TopicRow], members: Sequence[Membership]
    ) -> None:
        """Drop the threads there were and store these (a full build), atomically."""
        ...

    def join_topics(self, build: TopicBuild, members: Sequence[Membership]) -> None:
        """Add or move these papers into existing threads and record how far ``build`` got."""
        ...

    def topic_rows(self) -> list[TopicRow]:
        """Every thread with its size, in id order."""
        ...

    def topic_members(
        self, topic: int | None = None, *, limit: int | None = None
    ) -> list[Membership]:
        """The papers of ``topic`` (of every thread if ``None``), most central first."""
        ...

    def paper_membership(self, paper_id: str) -> Membership | None: ...

    def topic_day_counts(self, topic: int | None = None) -> list[tuple[int, str, int]]:
        """``(topic, YYYY-MM-DD, papers)``: how many of a thread's papers (of ``topic``, or of
        every thread) were published each day (papers without a date left out)."""
        ...

    def topic_map_rows(self) -> list[tuple[str, int, float, float, str | None, str]]:
        """``(paper id, topic, x, y, published YYYY-MM-DD, display name)`` of every placed
        paper, in paper id order."""
        ...
