"""Building topic threads from a store's embeddings, and keeping them current.

A full build clusters every paper vector (spherical k-means), labels the threads (c-TF-IDF
phrases), lays out the map and replaces the stored threads. Thread ids survive a rebuild where a
new thread is clearly the old one (centroid cosine >= SAME_THREAD), so links keep working.

An incremental run (the default once threads exist) takes only the vectors written since the
build (new papers, and papers re-embedded because their text changed) and puts each in the
thread with the nearest centroid, placed on the map by the same rule. Threads, labels and the
map layout stay as built until the next full build (`papersift topics --rebuild`). Deleted
papers leave their threads by a trigger in the store.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from papersift.errors import TopicsUnavailableError
from papersift.model import TopicsReport
from papersift.store.topics import Membership, TopicBuild, TopicRow
from papersift.topics import cluster, labels, layout

if TYPE_CHECKING:
    from papersift.store import Store

ALGORITHM = "kmeans-ctfidf-1"
SAME_THREAD = 0.9  # a new thread whose centroid is this close to an old one keeps its id
LABEL_PAPERS = 200  # a thread's label is read from (at most) its most central papers
DIM = 384


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _vectors(store: Store, model: str, after: int = 0) -> tuple[list[str], Any, int]:
    """Paper ids, their unit vectors (n x dim) written after seq ``after``, and the last seq."""
    latest: dict[str, bytes] = {}
    last = after
    for seq, paper_id, vector in store.iter_embeddings(model, after=after):
        latest[paper_id] = vector
        last = max(last, seq)
    ids = sorted(latest)
    if not ids:
        return [], np.zeros((0, DIM), np.float32), last
    matrix = np.frombuffer(b"".join(latest[i] for i in ids), "<f4").reshape(len(ids), -1)
    return ids, np.ascontiguousarray(matrix, dtype=np.float32), last


def build_topics(
    store: Store, model: str, *, full: bool = False, threads: int | None = None, seed: int = 0
) -> TopicsReport:
    """Bring the threads of ``store`` up to date with its ``model`` vectors: a full build when
    asked, when there is none yet, or when it was built from another model (or thread count);
    otherwise new vectors join the existing threads."""
    build = store.topic_build()
    version = _version(model, threads)
    if full or build is None or build.model != model or (threads and build.version != version):
        return _full_build(store, model, threads=threads, seed=seed)
    return _join(store, build)


def _version(model: str, threads: int | None) -> str:
    return f"{ALGORITHM}; {model}; threads={threads or 'auto'}"


def _texts(store: Store, ids: list[str]) -> Iterator[str]:
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        papers = {p.id: p for p in store.get_many(chunk)}
        for paper_id in chunk:
            paper = papers.get(paper_id)
            yield f"{paper.title}. {paper.abstract}" if paper else ""


def _full_build(store: Store, model: str, *, threads: int | None, seed: int) -> TopicsReport:
    started = time.monotonic()
    stages: list[tuple[str, float]] = []

    def stage(name: str, since: float) -> float:
        now = time.monotonic()
        stages.append((name, now - since))
        return now

    ids, x, last = _vectors(store, model)
    if not ids:
        raise TopicsUnavailableError(
            "no paper has an embedding yet: run `papersift index` first, then build the threads"
        )
    t = stage("load vectors", started)
    k = threads or cluster.default_threads(len(ids))
    centroids, assigned = cluster.kmeans(x, k, seed=seed)
    t = stage("cluster", t)
    similarity = (x * centroids[assigned]).sum(1)
    readers = _central(assigned, similarity, LABEL_PAPERS)
    texts = list(_texts(store, [ids[i] for i in readers]))
    threads_of = assigned[readers].tolist()
    sizes = {j: int(n) for j, n in enumerate(np.bincount(threads_of, minlength=len(centroids)))}
    phrases = labels.label_threads(lambda: zip(threads_of, texts, strict=True), sizes)
    t = stage("label", t)
    frames = layout.thread_frames(x, assigned, centroids)
    positions = layout.place(x, assigned, centroids, frames)
    t = stage("map", t)
    numbers = _stable_ids(store.topic_rows(), centroids)
    rows = [
        TopicRow(
            id=numbers[j],
            label=labels.label_of(phrases.get(j, ())),
            phrases=phrases.get(j, ()),
            centroid=centroids[j].astype("<f4").tobytes(),
            x=frame.x,
            y=frame.y,
            spread=frame.spread,
            basis=frame.basis.astype("<f4").tobytes(),
            scale=frame.scale,
        )
        for j, frame in enumerate(frames)
    ]
    members = [
        Membership(pid, numbers[int(j)], float(s), float(p[0]), float(p[1]))
        for pid, j, s, p in zip(ids, assigned, similarity, positions, strict=True)
    ]
    now = _now()
    build = TopicBuild(_version(model, threads), model, last, now, now)
    store.replace_topics(build, rows, members)
    stage("store", t)
    return TopicsReport(
        full=True,
        threads=len(rows),
        papers=len(members),
        joined=len(members),
        seconds=time.monotonic() - started,
        version=build.version,
        stages=tuple(stages),
    )


def _central(assigned: Any, similarity: Any, most: int) -> list[int]:
    """Row numbers of at most ``most`` papers of each thread, the closest to its centroid."""
    order = np.lexsort((-similarity, assigned))  # by thread, most central first
    rank = np.empty(len(order), dtype=np.int64)
    starts = np.searchsorted(assigned[order], assigned[order], side="left")
    rank[order] = np.arange(len(order)) - starts
    return sorted(np.flatnonzero(rank < most).tolist())


def _stable_ids(old: list[TopicRow], centroids: Any) -> list[int]:
    """Ids for the new threads: an old thread's id where its centroid is nearly the same
    (greedy, closest pairs first), fresh ids after the largest ever used otherwise."""
    numbers: list[int | None] = [None] * len(centroids)
    if old:
        before = np.frombuffer(b"".join(r.centroid for r in old), "<f4").reshape(len(old), -1)
        if before.shape[1] == centroids.shape[1]:
            sims = centroids @ before.T
            taken: set[int] = set()
            for flat in np.argsort(-sims, axis=None):
                i, j = divmod(int(flat), len(old))
                if sims[i, j] < SAME_THREAD:
                    break
                if numbers[i] is None and j not in taken:
                    numbers[i] = old[j].id
                    taken.add(j)
    fresh = max((r.id for r in old), default=0) + 1
    out = []
    for number in numbers:
        if number is None:
            number, fresh = fresh, fresh + 1
        out.append(number)
    return out


def _join(store: Store, build: TopicBuild) -> TopicsReport:
    started = time.monotonic()
    ids, x, last = _vectors(store, build.model, after=build.embedding_seq)
    rows = store.topic_rows()
    members: list[Membership] = []
    if ids and rows:
        centroids = np.frombuffer(b"".join(r.centroid for r in rows), "<f4").reshape(len(rows), -1)
        frames = [
            layout.ThreadFrame(
                r.x, r.y, r.spread, np.frombuffer(r.basis, "<f4").reshape(2, -1), r.scale
            )
            for r in rows
        ]
        assigned, similarity = cluster.assign(x, centroids)
        positions = layout.place(x, assigned, centroids, frames)
        members = [
            Membership(pid, rows[int(j)].id, float(s), float(p[0]), float(p[1]), joined=True)
            for pid, j, s, p in zip(ids, assigned, similarity, positions, strict=True)
        ]
    if ids:
        store.join_topics(
            TopicBuild(build.version, build.model, last, build.built_at, _now()), members
        )
    return TopicsReport(
        full=False,
        threads=len(rows),
        papers=sum(r.size for r in store.topic_rows()),
        joined=len(members),
        seconds=time.monotonic() - started,
        version=build.version,
    )
