"""Nearest papers by embedding: exact cosine search, and an HNSW index beyond exact's reach.

:class:`VectorIndex` holds every vector of one model in one float32 matrix (loaded from the
store) and catches up incrementally: vectors written since it last looked (the embeddings'
``seq``) are added or replaced, and papers deleted since (the change log) are dropped, so a
deleted or folded paper never comes back. Exact search is a matrix-vector product and a
partial sort: measured on this project's 2-core machine (bench/vectors.py) p50 1.7 ms at 20k
vectors, 6 ms at 60k (p95 14 ms), 10 ms at 100k, ~200 ms at 1M. From :data:`ANN_MIN` vectors
up an HNSW graph (faiss, M=32, efConstruction=128, efSearch=256; 512 from 250k vectors) answers
instead: 1.8 ms at 60k with recall@10 0.992 against exact; 0.986 at 1M. Searches restricted to
few ``allowed`` papers stay exact; wider ones ask the graph for more neighbours and keep the
allowed.

Thread-safe: one lock guards catching up and searching (the facade shares one index per store
and model in a process; a web server's threads search it side by side, each with its own store
connection). A search holds it for the length of one matrix product or graph walk.

The graph is derived data: built by ``papersift index`` (:meth:`VectorIndex.save_ann`), kept
beside the store in ``<store>.vectors/`` under a name derived from the model, keyed by the
vectors' ``seq`` and extended with vectors added later; replaced and deleted vectors are
skipped in its answers and it is rebuilt once too many of them accumulate. Delete it at will.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Collection
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papersift.search.embed import cores

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from papersift.store import Store

    Matrix = npt.NDArray[np.float32]

ANN_MIN = 50_000  # vectors from which the HNSW graph answers (exact p95 at 60k: 14 ms)
ANN_M = 32
ANN_EF_CONSTRUCTION = 128
ANN_EF_SEARCH = 256  # recall@10 0.992 at 60k (bench/search.py 60k; 128: 0.974)
# A bigger graph needs a deeper walk for the same recall: at 1M, recall@10 0.964 at 256 and
# 0.986 at 512 (1.6 / 2.9 ms; bench/search.py 1m --ann).
ANN_EF_SEARCH_LARGE = 512
ANN_LARGE = 250_000  # vectors from which the graph walks ANN_EF_SEARCH_LARGE deep
# Deeper than this the graph walk costs more than exact search (60k vectors, bench/search.py's
# machine under load: 1.3 ms for 300, 9.6 ms for 1,200, 47 ms for 4,330; exact 16-20 ms).
ANN_MAX_FETCH = 2000
ANN_REBUILD = 0.2  # rebuild when this share of the graph's vectors is replaced or deleted
ANN_VERSION = 1  # of the files' layout
LOAD_CHUNK = 20_000  # vectors read from the store at a time


class VectorIndex:
    """The vectors of one ``model`` in ``store``, searchable by cosine."""

    def __init__(self, store: Store, model: str, dim: int, *, folder: Path | None = None) -> None:
        import numpy as np

        self.store = store
        self.model = model
        self.dim = dim
        self.folder = folder  # where the HNSW graph is kept; None: no graph
        self._matrix: Matrix = np.zeros((0, dim), dtype=np.float32)
        self._ids: list[str] = []
        self._seqs: list[int] = []
        self._row: dict[str, int] = {}
        self._seq = 0  # last embedding seq read
        self._change = 0  # last change-log seq read
        self._ann: Any = None  # faiss index over (vector, seq), or None
        self._ann_seqs: set[int] = set()  # seqs the graph holds
        self._live: dict[int, int] = {}  # seq -> row, for vectors still current
        self._lock = threading.RLock()
        self.refresh()

    def __len__(self) -> int:
        return len(self._ids)

    # --- catching up with the store -----------------------------------------------------------
    def refresh(self, store: Store | None = None) -> bool:
        """Apply what changed in the store since the last look (read through ``store``, another
        connection to the same store, when given); False if nothing did."""
        with self._lock:
            return self._refresh(store or self.store)

    def _reset(self) -> None:
        import numpy as np

        self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        self._ids, self._seqs, self._row, self._live = [], [], {}, {}
        self._seq = self._change = 0
        self._ann, self._ann_seqs = None, set()

    def _refresh(self, store: Store) -> bool:
        import numpy as np

        seq, change = store.embedding_marks(self.model)
        if seq == self._seq and change == self._change:
            return False
        if seq < self._seq or change < self._change:  # not the store read before (recreated)
            self._reset()
        if change != self._change:
            if self._change:  # on the first load every vector read is current
                for paper_id in store.deleted_since(self._change):
                    self._remove(paper_id)
            self._change = change
        if seq != self._seq:
            if not self._ids:  # the first load: room for every vector at once, no regrowing
                count = store.embedding_counts(self.model)[0]
                if count > self._matrix.shape[0]:
                    self._matrix = np.zeros((count, self.dim), dtype=np.float32)
            ids: list[str] = []
            seqs: list[int] = []
            blobs: list[bytes] = []
            for row_seq, paper_id, blob in store.iter_embeddings(self.model, after=self._seq):
                seqs.append(row_seq)
                ids.append(paper_id)
                blobs.append(blob)
                if len(ids) == LOAD_CHUNK:  # in chunks: memory stays near the matrix's own
                    self._upsert_blobs(ids, seqs, blobs)
                    ids, seqs, blobs = [], [], []
            self._upsert_blobs(ids, seqs, blobs)
            self._seq = max(self._seq, seq)
        if self._ann is None and self.folder is not None and len(self) >= ANN_MIN:
            self._load_ann()
        return True

    def _upsert_blobs(self, ids: list[str], seqs: list[int], blobs: list[bytes]) -> None:
        import numpy as np

        if ids:
            vectors = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), self.dim)
            self._upsert(ids, seqs, vectors)
            self._seq = max(self._seq, seqs[-1])

    def _upsert(self, ids: list[str], seqs: list[int], vectors: Matrix) -> None:
        import numpy as np

        fresh = [i for i, pid in enumerate(ids) if pid not in self._row]
        for i, pid in enumerate(ids):
            row = self._row.get(pid)
            if row is not None:  # a new vector for a paper already held
                self._live.pop(self._seqs[row], None)
                self._matrix[row] = vectors[i]
                self._seqs[row] = seqs[i]
                self._live[seqs[i]] = row
        if fresh:
            start = len(self._ids)
            needed = start + len(fresh)
            if needed > self._matrix.shape[0]:  # grow by half again: amortized appends
                grown = np.zeros((max(needed, self._matrix.shape[0] * 3 // 2), self.dim), "f4")
                grown[:start] = self._matrix[:start]
                self._matrix = grown
            self._matrix[start:needed] = vectors[fresh]
            for offset, i in enumerate(fresh):
                self._ids.append(ids[i])
                self._seqs.append(seqs[i])
                self._row[ids[i]] = start + offset
                self._live[seqs[i]] = start + offset
        if self._ann is not None:
            self._ann_add(seqs, vectors)

    def _remove(self, paper_id: str) -> None:
        row = self._row.pop(paper_id, None)
        if row is None:
            return
        self._live.pop(self._seqs[row], None)
        last = len(self._ids) - 1
        if row != last:  # move the last vector into the hole
            moved = self._ids[last]
            self._matrix[row] = self._matrix[last]
            self._ids[row] = moved
            self._seqs[row] = self._seqs[last]
            self._row[moved] = row
            self._live[self._seqs[row]] = row
        self._ids.pop()
        self._seqs.pop()

    # --- reading --------------------------------------------------------------------------------
    def vector_of(self, paper_id: str) -> Matrix | None:
        """The stored vector of ``paper_id`` (a copy), or None."""
        with self._lock:
            row = self._row.get(paper_id)
            return None if row is None else self._matrix[row].copy()

    def search(
        self, vector: Any, k: int, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` papers whose vectors are nearest ``vector`` (among ``allowed`` when given),
        with their cosine, nearest first (ties by position, so results are deterministic)."""
        with self._lock:
            return self._search(vector, k, allowed)

    def _search(
        self, vector: Any, k: int, allowed: Collection[str] | None
    ) -> list[tuple[str, float]]:
        import numpy as np

        n = len(self._ids)
        if k <= 0 or n == 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(self.dim)
        if allowed is not None:
            rows = np.fromiter(map(self._row.get, allowed, repeat(-1)), np.int64, len(allowed))
            rows = rows[rows >= 0]
            if rows.size == 0:
                return []
            rows.sort()
            fetch = k * 2 * n // rows.size + 10  # enough that ~2k of them are allowed
            if self._ann is not None and fetch <= ANN_MAX_FETCH:
                keep = np.zeros(n, dtype=bool)
                keep[rows] = True
                hits = [(r, s) for r, s in self._ann_search(query, min(n, fetch)) if keep[r]]
                if len(hits) >= min(k, rows.size):
                    return [(self._ids[r], score) for r, score in hits[:k]]
            if rows.size * 2 < n:  # copying them out reads less than scoring all
                return self._top(self._matrix[rows] @ query, rows, k)
            scores = self._matrix[:n] @ query
            return self._top(scores[rows], rows, k)
        if self._ann is not None and k <= ANN_MAX_FETCH:  # deeper: exact is no slower
            found = self._ann_search(query, k)
            if len(found) == min(k, n):
                return [(self._ids[row], score) for row, score in found]
        return self._top(self._matrix[:n] @ query, None, k)

    def _top(self, scores: Matrix, rows: Any, k: int) -> list[tuple[str, float]]:
        import numpy as np

        if k < scores.size:
            best = np.argpartition(-scores, k - 1)[:k]
            best.sort()
        else:
            best = np.arange(scores.size)
        best = best[np.argsort(-scores[best], kind="stable")]
        picked = best if rows is None else rows[best]
        return [(self._ids[int(r)], float(s)) for r, s in zip(picked, scores[best], strict=True)]

    # --- the HNSW graph --------------------------------------------------------------------------
    def _ann_paths(self) -> tuple[Path, Path]:
        assert self.folder is not None
        slug = hashlib.sha256(self.model.encode()).hexdigest()[:16]
        return self.folder / f"hnsw-{slug}.faiss", self.folder / f"hnsw-{slug}.json"

    def _load_ann(self) -> None:
        """Read the graph ``papersift index`` saved, if it is for this model, and bring it up to
        date in memory (vectors written since are added)."""
        import faiss
        import numpy as np

        graph, meta_path = self._ann_paths()
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("model") != self.model or meta.get("version") != ANN_VERSION:
                return
            index: Any = faiss.read_index(str(graph))
        except (OSError, ValueError, RuntimeError):
            return  # no graph (yet), or unreadable: exact search answers
        self._ann = index
        self._ann_seqs = set(faiss.vector_to_array(index.id_map).tolist())
        missing = sorted(s for s in self._live if s not in self._ann_seqs)
        if missing:
            rows = np.array([self._live[s] for s in missing])
            self._ann_add(missing, self._matrix[rows])

    def _ann_add(self, seqs: list[int], vectors: Matrix) -> None:
        import numpy as np

        self._ann.add_with_ids(np.ascontiguousarray(vectors), np.asarray(seqs, dtype=np.int64))
        self._ann_seqs.update(seqs)

    def _ann_search(self, query: Matrix, k: int) -> list[tuple[int, float]]:
        """``(row, cosine)`` of up to ``k`` current vectors, from the graph."""
        import faiss

        hnsw_params: Any = getattr(faiss, "SearchParametersHNSW")  # noqa: B009  (not in its stubs)
        dead = len(self._ann_seqs) - len(self._live)
        fetch = k + dead if dead < 1000 else k * 2 + 50  # replaced/deleted vectors are skipped
        depth = ANN_EF_SEARCH if self._ann.ntotal < ANN_LARGE else ANN_EF_SEARCH_LARGE
        params = hnsw_params(efSearch=max(depth, fetch))
        faiss.omp_set_num_threads(1)  # one query: threads only add overhead (3x slower measured)
        scores, labels = self._ann.search(query[None, :], fetch, params=params)
        found = []
        for seq, score in zip(labels[0].tolist(), scores[0].tolist(), strict=True):
            row = self._live.get(seq)
            if row is not None:
                found.append((row, float(score)))
                if len(found) == k:
                    break
        return found

    def save_ann(self) -> bool:
        """Bring the graph beside the store up to date (build it, extend it, or rebuild it when
        too many of its vectors are obsolete) - or remove it below :data:`ANN_MIN` vectors.
        True if a graph is in use."""
        with self._lock:
            return self._save_ann()

    def _save_ann(self) -> bool:
        import faiss

        if self.folder is None:
            return False
        graph, meta_path = self._ann_paths()
        if len(self) < ANN_MIN:
            graph.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            self._ann = None
            return False
        if self._ann is None:
            self._load_ann()
        dead = len(self._ann_seqs) - len(self._live)
        if self._ann is None or dead > ANN_REBUILD * len(self._ann_seqs):
            faiss.omp_set_num_threads(cores())
            hnsw = faiss.IndexHNSWFlat(self.dim, ANN_M, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = ANN_EF_CONSTRUCTION
            self._ann = faiss.IndexIDMap(hnsw)  # the wrapper keeps a reference to hnsw
            self._ann_seqs = set()
            n = len(self._ids)
            for start in range(0, n, 50_000):
                stop = min(n, start + 50_000)
                self._ann_add(self._seqs[start:stop], self._matrix[start:stop])
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = graph.with_suffix(".tmp")
        faiss.write_index(self._ann, str(temporary))
        temporary.replace(graph)
        meta = {"model": self.model, "version": ANN_VERSION, "vectors": len(self._ann_seqs)}
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
        return True
