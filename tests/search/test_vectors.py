"""VectorIndex: exact cosine search, filters, incremental refresh, and the HNSW graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from papersift.radar import Radar
from papersift.search import vectors
from papersift.search.indexing import vectors_folder
from papersift.search.vectors import VectorIndex
from tests.search.conftest import embedded_copy


def _all(radar: Radar) -> tuple[list[str], np.ndarray]:
    model = radar.embeddings().model_id
    rows = sorted((pid, blob) for _, pid, blob in radar.store.iter_embeddings(model))
    return [pid for pid, _ in rows], np.stack([np.frombuffer(b, "<f4") for _, b in rows])


def _index(radar: Radar, folder: Path | None = None) -> VectorIndex:
    return VectorIndex(radar.store, radar.embeddings().model_id, 384, folder=folder)


@pytest.mark.parametrize("chunk", [20_000, 7])
def test_exact_search_is_brute_force_cosine(
    embedded_radar: Radar, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "LOAD_CHUNK", chunk)  # loaded in one go, or in 13 pieces
    ids, matrix = _all(embedded_radar)
    index = _index(embedded_radar)
    assert len(index) == 86 and index._matrix.shape == (86, 384)
    for probe in (0, 17, 85):
        scores = matrix @ matrix[probe]
        expected = [ids[i] for i in np.argsort(-scores, kind="stable")[:10]]
        found = index.search(matrix[probe], 10)
        assert [pid for pid, _ in found] == expected
        assert found[0] == (ids[probe], pytest.approx(1.0, abs=1e-5))
        assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert len(index.search(matrix[0], 1000)) == 86
    assert index.search(matrix[0], 0) == []


def test_allowed_restricts_the_search(embedded_radar: Radar) -> None:
    ids, matrix = _all(embedded_radar)
    index = _index(embedded_radar)
    for allowed in (set(ids[::9]), set(ids[::2]), set(ids[1:])):
        found = index.search(matrix[0], 5, allowed=allowed)
        keep = [i for i, pid in enumerate(ids) if pid in allowed]
        scores = matrix[keep] @ matrix[0]
        expected = [ids[keep[i]] for i in np.argsort(-scores, kind="stable")[:5]]
        assert [pid for pid, _ in found] == expected
    assert index.search(matrix[0], 5, allowed=set()) == []
    assert index.search(matrix[0], 5, allowed={"no-such-paper"}) == []


def test_vector_of_is_a_copy(embedded_radar: Radar) -> None:
    ids, matrix = _all(embedded_radar)
    index = _index(embedded_radar)
    vector = index.vector_of(ids[3])
    assert vector is not None and np.array_equal(vector, matrix[3])
    vector[:] = 0
    assert np.array_equal(index.vector_of(ids[3]), matrix[3])
    assert index.vector_of("no-such-paper") is None


def test_refresh_reads_only_what_changed(tmp_path: Path, embedded_vectors: Path) -> None:
    with embedded_copy(tmp_path, embedded_vectors) as radar:
        index = _index(radar)
        assert index.refresh() is False  # nothing happened since
        ids, matrix = _all(radar)
        model = radar.embeddings().model_id
        store = radar.store
        with store.atomic():  # a paper gets another paper's vector: the index must follow
            store.put_embeddings(model, [(ids[0], "x", matrix[1].astype("<f4").tobytes())])
        assert index.refresh() is True
        assert np.array_equal(index.vector_of(ids[0]), matrix[1])
        assert len(index) == 86
        with store.atomic():
            store.fold(ids[2], ids[3])
        index.refresh()
        assert len(index) == 85
        assert ids[2] not in {pid for pid, _ in index.search(matrix[2], 86)}


def test_hnsw_agrees_with_exact_and_stays_current(
    tmp_path: Path, embedded_vectors: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "ANN_MIN", 40)  # the real threshold is 50,000 vectors
    with embedded_copy(tmp_path, embedded_vectors) as radar:
        ids, matrix = _all(radar)
        folder = vectors_folder(radar.store)
        built = _index(radar, folder)
        assert built.save_ann() is True
        assert list(folder.glob("hnsw-*.faiss"))

        exact = _index(radar)  # no folder: exact search only
        loaded = _index(radar, folder)  # reads the saved graph
        assert loaded._ann is not None and exact._ann is None
        overlap = [
            len({p for p, _ in loaded.search(v, 10)} & {p for p, _ in exact.search(v, 10)}) / 10
            for v in matrix
        ]
        assert np.mean(overlap) >= 0.98
        half = set(ids[::2])  # a filtered search asks the graph for more and keeps the allowed
        for v in matrix[:10]:
            found = [p for p, _ in loaded.search(v, 5, allowed=half)]
            assert set(found) <= half and len(found) == 5
            assert found == [p for p, _ in exact.search(v, 5, allowed=half)]

        model = radar.embeddings().model_id
        store = radar.store
        with store.atomic():  # replaced and deleted vectors must not come back from the graph
            store.put_embeddings(model, [(ids[0], "x", (-matrix[0]).astype("<f4").tobytes())])
            store.fold(ids[5], ids[6])
        loaded.refresh()
        found = [pid for pid, _ in loaded.search(matrix[0], 10)]
        assert ids[0] not in found  # its vector now points the other way
        assert ids[5] not in [pid for pid, _ in loaded.search(matrix[5], 10)]
        assert loaded.search(-matrix[0], 1)[0][0] == ids[0]

        monkeypatch.setattr(vectors, "ANN_MIN", 1000)  # shrunk below the threshold: removed
        assert _index(radar, folder).save_ann() is False
        assert not list(folder.glob("hnsw-*"))


def test_one_index_per_store_shared_by_facades_and_threads(
    tmp_path: Path, embedded_vectors: Path
) -> None:
    """Two facades over one store share one vector index; searches from many threads agree
    with searches made one by one; closing one facade leaves the other searching."""
    from concurrent.futures import ThreadPoolExecutor

    from papersift.config import Settings

    with embedded_copy(tmp_path, embedded_vectors) as first:
        ids, matrix = _all(first)
        second = Radar.open(Settings(home=tmp_path, db=first.store.location))
        index = first.embeddings().index()
        assert second.embeddings().index() is index
        expected = [index.search(v, 5) for v in matrix]
        with ThreadPoolExecutor(8) as pool:
            found = list(
                pool.map(lambda i: second.embeddings().search(matrix[i % 86], 5), range(258))
            )
        assert found == [expected[i % 86] for i in range(258)]
        with ThreadPoolExecutor(4) as pool:  # searches while another facade adds a vector
            model = first.embeddings().model_id
            flipped = (-matrix[0]).astype("<f4").tobytes()
            futures = [
                pool.submit(second.search, "language models", mode="semantic") for _ in range(8)
            ]
            with first.store.atomic():
                first.store.put_embeddings(model, [(ids[0], "x", flipped)])
            assert all(f.result().hits for f in futures)
        second.close()
        assert first.embeddings().search(-matrix[0], 1)[0][0] == ids[0]  # caught up


def test_a_store_made_anew_at_the_same_place_is_read_anew(
    tmp_path: Path, embedded_vectors: Path
) -> None:
    from papersift.config import Settings
    from papersift.search.indexing import load_vectors
    from tests.conftest import ingest
    from tests.search.conftest import SEEDS

    with embedded_copy(tmp_path, embedded_vectors) as radar:
        location = radar.store.location
        assert len(radar.embeddings().index()) == 86
    for suffix in ("", "-wal", "-shm"):
        Path(location + suffix).unlink(missing_ok=True)
    with Radar.open(Settings(home=tmp_path, db=location)) as again:
        ingest(again, SEEDS / "abstracts-a.txt")  # 10 of the 86 papers
        assert load_vectors(again.store, again.embeddings().model_id, embedded_vectors) == 10
        index = again.embeddings().index()
        assert len(index) == 10
        assert {pid for pid, _ in index.search(index.vector_of(index._ids[0]), 86)} == {
            p.id for p in again.papers()
        }
