"""Keeping papers' embeddings current, and searching them: what the facade wires in.

:func:`index_papers` embeds the papers whose vector for the current model is missing or stale
(title or abstract changed), in batches, each committed on its own: an interrupted run keeps
what it finished and the next run carries on. A stale paper whose embedded text hashes the same
as before keeps its vector without running the model.

:class:`EmbeddingSearch` is search by meaning over a store (the ``Semantic`` protocol of
:mod:`papersift.search.hybrid`): the encoder is loaded on the first query, the vector index on
the first search, and the index catches up with the store before every search. Both are loaded
once per process and shared (thread-safe): one encoder, and one vector index per store and
model, whatever number of facades (a web server's, one per thread or request) search them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papersift.search.embed import (
    Encoder,
    content_hash,
    load_encoder,
    model_files,
    paper_text,
)

if TYPE_CHECKING:
    from papersift.search.vectors import VectorIndex
    from papersift.store import Store

DIM = 384
Progress = Callable[[int, int], None]  # (papers done, papers to do)


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one ``papersift index`` run did."""

    model: str
    embedded: int  # vectors computed
    unchanged: int  # stale papers whose embedded text had not changed: vectors kept
    papers: int  # papers in the store
    seconds: float
    ann: bool = False  # an HNSW graph serves this store (large stores)

    @property
    def skipped(self) -> int:
        """Papers not run through the model (already current, or text unchanged)."""
        return self.papers - self.embedded

    def as_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "embedded": self.embedded,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "papers": self.papers,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.embedded / self.seconds, 2) if self.embedded else None,
            "ann": self.ann,
        }


def vectors_folder(store: Store) -> Path | None:
    """Where derived vector files (the HNSW graph) live: beside a store file (the store says)."""
    return store.vector_folder()


def index_papers(
    store: Store, encoder: Encoder, *, batch: int = 64, progress: Progress | None = None
) -> IndexReport:
    """Embed every paper whose vector for ``encoder`` is missing or stale."""
    import numpy as np

    started = time.monotonic()
    model = encoder.model_id
    _, todo_total = store.embedding_counts(model)
    embedded = unchanged = 0
    after = ""
    if progress:
        progress(0, todo_total)
    while True:
        todo = store.embedding_todo(model, batch, after=after)
        if not todo:
            break
        after = todo[-1].paper_id
        texts = [paper_text(t.title, t.abstract) for t in todo]
        hashes = [content_hash(text) for text in texts]
        same = [t.paper_id for t, h in zip(todo, hashes, strict=True) if t.content_hash == h]
        work = [i for i, (t, h) in enumerate(zip(todo, hashes, strict=True)) if t.content_hash != h]
        vectors = encoder.encode([texts[i] for i in work]) if work else np.zeros((0, DIM), "f4")
        rows = [
            (todo[i].paper_id, hashes[i], vectors[j].astype("<f4").tobytes())
            for j, i in enumerate(work)
        ]
        with store.atomic():
            # a text changed since it was read (a concurrent ingest) is left for the next run:
            # checked under the write lock, so no vector is stored as current for old text
            current = {
                p.id: content_hash(paper_text(p.title, p.abstract))
                for p in store.get_many([t.paper_id for t in todo])
            }
            rows = [row for row in rows if current.get(row[0]) == row[1]]
            read = {t.paper_id: h for t, h in zip(todo, hashes, strict=True)}
            same = [pid for pid in same if current.get(pid) == read[pid]]
            store.put_embeddings(model, rows)
            store.keep_embeddings(model, same)
        embedded += len(work)
        unchanged += len(same)
        if progress:
            progress(embedded + unchanged, max(todo_total, embedded + unchanged))
    ann = sync_ann(store, model)
    return IndexReport(
        model=model,
        embedded=embedded,
        unchanged=unchanged,
        papers=store.count_papers(),
        seconds=time.monotonic() - started,
        ann=ann,
    )


def sync_ann(store: Store, model: str) -> bool:
    """Build or extend the HNSW graph of a large store (nothing to do for a small one)."""
    from papersift.search.vectors import ANN_MIN

    folder = vectors_folder(store)
    if folder is None or store.native_nearest(model):  # no graph files / the database searches
        return False
    embedded, _ = store.embedding_counts(model)
    if embedded < ANN_MIN and not folder.exists():
        return False
    return shared_index(store, model).save_ann()


_indexes: dict[tuple[str, str], VectorIndex] = {}  # (store location, model) -> its index
_indexes_lock = threading.Lock()


def shared_index(store: Store, model: str) -> VectorIndex:
    """The process's vector index of ``model`` over the store at ``store.location``, loaded on
    first use and caught up with ``store`` (the caller's connection to it)."""
    from papersift.search.vectors import VectorIndex

    key = (store.location, model)
    with _indexes_lock:  # a store's first search loads its index; the others wait for it
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = VectorIndex(store, model, DIM, folder=vectors_folder(store))
            return index
    index.refresh(store)
    return index


class EmbeddingSearch:
    """Search by meaning over ``store``. Creating it only locates the model files (raising
    :class:`~papersift.errors.ModelUnavailableError` if they are not installed)."""

    def __init__(self, store: Store, *, distribution: str | None = None) -> None:
        from papersift.search import embed

        self.store = store
        self.distribution = distribution or embed.MODEL_DISTRIBUTION
        self.model_id = model_files(self.distribution).model_id
        self._index: VectorIndex | None = None

    @property
    def encoder(self) -> Encoder:
        return load_encoder(self.distribution)

    def status(self) -> tuple[int, int]:
        """``(embedded, pending)`` papers for the current model."""
        return self.store.embedding_counts(self.model_id)

    def encode_query(self, text: str) -> Any:
        return self.encoder.encode_query(text)

    def encode_paper(self, title: str, abstract: str) -> Any:
        return self.encoder.encode([paper_text(title, abstract)])[0]

    def index(self) -> VectorIndex:
        """The vector index (shared in the process), caught up with the store."""
        self._index = shared_index(self.store, self.model_id)
        return self._index

    def vector_of(self, paper_id: str) -> Any | None:
        if self.store.native_nearest(self.model_id):  # the database holds them: ask it
            import numpy as np

            found = self.store.embeddings_of(self.model_id, [paper_id]).get(paper_id)
            return None if found is None else np.frombuffer(found, dtype="<f4").copy()
        index = self._index or self.index()
        return index.vector_of(paper_id)

    def search(
        self, vector: Any, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        import numpy as np

        query = np.asarray(vector, dtype="<f4").reshape(DIM).tobytes()
        native = self.store.nearest(self.model_id, query, k, allowed)
        if native is not None:  # the database searched its own index (pgvector)
            return native
        return self.index().search(vector, k, allowed)


# --- precomputed vectors (the bundled sample ships them) ------------------------------------------
def save_vectors(store: Store, model: str, path: Path) -> int:
    """Write every current ``model`` vector of ``store`` to ``path`` (a compressed ``.npz``
    with the model id, paper ids, content hashes and float32 vectors); how many."""
    import numpy as np

    rows = {pid: vector for _, pid, vector in store.iter_embeddings(model)}
    todo = {t.paper_id for t in store.embedding_todo(model, len(rows) + 1)}
    ids = sorted(pid for pid in rows if pid not in todo)
    papers = {p.id: p for p in store.get_many(ids)}
    hashes = [content_hash(paper_text(papers[pid].title, papers[pid].abstract)) for pid in ids]
    vectors = np.frombuffer(b"".join(rows[pid] for pid in ids), "<f4").reshape(len(ids), DIM)
    with path.open("wb") as stream:
        np.savez_compressed(
            stream,
            model=np.array(model),
            ids=np.array(ids),
            hashes=np.array(hashes),
            vectors=vectors,
        )
    return len(ids)


def load_vectors(store: Store, model: str, path: Path) -> int:
    """Store the vectors saved in ``path`` for papers that still need one and whose text hashes
    as it did when embedded - only if they were made by ``model``; how many were stored."""
    import numpy as np

    with np.load(path, allow_pickle=False) as saved:
        if str(saved["model"]) != model:
            return 0
        ids = [str(pid) for pid in saved["ids"]]
        hashes = [str(h) for h in saved["hashes"]]
        vectors = saved["vectors"].astype("<f4")
    wanted = {pid: (digest, i) for i, (pid, digest) in enumerate(zip(ids, hashes, strict=True))}
    rows = []
    after = ""
    while todo := store.embedding_todo(model, 1000, after=after):
        after = todo[-1].paper_id
        for t in todo:
            found = wanted.get(t.paper_id)
            if found and found[0] == content_hash(paper_text(t.title, t.abstract)):
                rows.append((t.paper_id, found[0], vectors[found[1]].tobytes()))
    with store.atomic():
        store.put_embeddings(model, rows)
    return len(rows)
