"""The PostgreSQL store's own behaviour: migrations, errors, pgvector search, and concurrency
(several workers on one database). The shared contract is tests/store/test_contract.py."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest

from papersift.config import Settings
from papersift.errors import MigrationError, StoreError
from papersift.radar import SAMPLE_DIR, Radar
from papersift.search.embed import content_hash, paper_text
from papersift.search.vectors import VectorIndex
from papersift.store import open_store
from papersift.store.postgres import PostgresStore, redact
from papersift.store.sqlite import migrations
from tests.conftest import Clusters, ingest
from tests.search.conftest import _embedded_vectors, embedded_copy

PG_BACKENDS = ("pg", "pgvector")


@pytest.fixture(params=PG_BACKENDS)
def pg_url(request: pytest.FixtureRequest, clusters: Clusters) -> Iterator[str]:
    """A new empty database on PostgreSQL 15 (no pgvector), then on 16 with pgvector."""
    cluster = clusters.get(request.param)
    url = cluster.database()
    yield url
    cluster.drop(url)


@pytest.fixture(scope="session")
def vectors86(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 86 seed papers' vectors (tests/search/conftest.py computes them once per run)."""
    return _embedded_vectors(tmp_path_factory)


def _run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run ``jobs`` in threads released at the same moment; their results (errors re-raised)."""
    start = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int, job: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[i] = job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


# --- migrations and errors --------------------------------------------------------------------


def test_migrations_are_named_ordered_and_applied_once(pg_url: str) -> None:
    names = [name for name, _ in migrations("postgres")]
    assert names == sorted(names) and names[0].startswith("0001_")
    first = PostgresStore(pg_url)
    assert first.applied_migrations() == names
    first.close()
    again = PostgresStore(pg_url)  # reopening applies nothing twice
    assert again.applied_migrations() == names
    again.close()


def test_concurrent_openers_migrate_once(pg_url: str) -> None:
    stores = _run_together(*[lambda: PostgresStore(pg_url) for _ in range(4)])
    names = [name for name, _ in migrations("postgres")]
    assert all(store.applied_migrations() == names for store in stores)
    for store in stores:
        store.close()


def test_a_store_from_a_newer_papersift_is_refused(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    with pytest.raises(MigrationError, match="newer papersift"):
        PostgresStore(pg_url)


def test_a_server_that_is_not_there_is_a_clear_error_without_the_password() -> None:
    url = "postgresql://someone:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        open_store(url)
    assert "s3cret" not in str(caught.value) and "127.0.0.1:1/nowhere" in str(caught.value)
    assert redact(url) == "postgresql://someone:***@127.0.0.1:1/nowhere"


def test_the_cli_reports_a_bad_database_with_exit_status_4(tmp_path: Path) -> None:
    from tests.conftest import Cli

    result = Cli("postgresql://nobody@127.0.0.1:1/x", tmp_path)("stats")
    assert result.exit_code == 4
    assert "cannot open the store" in result.output and "Traceback" not in result.output


# --- vectors ------------------------------------------------------------------------------------


def test_pgvector_is_used_where_the_server_has_it(
    clusters: Clusters, tmp_path: Path, vectors86: Path
) -> None:
    """On PostgreSQL 16 + pgvector the database answers nearest-neighbour searches, the same as
    the exact app-side index; on PostgreSQL 15 the app-side index serves."""
    for backend, native in (("pgvector", True), ("pg", False)):
        cluster = clusters.get(backend)
        url = cluster.database()
        with embedded_copy(tmp_path / backend, vectors86, url) as radar:
            store = radar.store
            model = radar.embeddings().model_id
            assert store.native_nearest(model) is native
            exact = VectorIndex(store, model, 384)
            ids = sorted(pid for _, pid, _ in store.iter_embeddings(model))
            assert len(ids) == 86
            for probe in ids[::17]:
                vector = exact.vector_of(probe)
                assert vector is not None
                found = store.nearest(model, vector.tobytes(), 10)
                if not native:
                    assert found is None
                    continue
                assert found is not None
                assert [p for p, _ in found] == [p for p, _ in exact.search(vector, 10)]
                assert found[0] == (probe, pytest.approx(1.0, abs=1e-5))
                allowed = set(ids[1::3])
                among = store.nearest(model, vector.tobytes(), 5, allowed)
                assert among == [
                    (p, pytest.approx(s, abs=1e-5)) for p, s in exact.search(vector, 5, allowed)
                ]
                assert store.nearest(model, vector.tobytes(), 5, set()) == []
            bytes_of = store.embeddings_of(model, [ids[0], "nope"])
            assert list(bytes_of) == [ids[0]]
            assert np.array_equal(np.frombuffer(bytes_of[ids[0]], "<f4"), exact.vector_of(ids[0]))
            with psycopg.connect(url) as db:  # the graph is pgvector's, in the database
                (indexes,) = db.execute(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = 'embeddings_hnsw'"
                ).fetchone()
            assert indexes == int(native)
        cluster.drop(url)


def test_a_server_store_keeps_its_vector_files_under_home(pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url, home=tmp_path)
    try:
        folder = store.vector_folder()
        assert folder is not None and folder.parent == tmp_path / "vectors"
        assert "postgresql:" not in str(folder)
    finally:
        store.close()
    bare = open_store(pg_url)
    assert bare.vector_folder() is None
    bare.close()


# --- concurrency --------------------------------------------------------------------------------

SAMPLE = sorted(SAMPLE_DIR.glob("*.gz"))


def _summary(radar: Radar) -> list[tuple[Any, ...]]:
    """What the papers say, whatever their ids (ids depend on which record came first)."""
    return sorted(
        (p.arxiv_id, p.doi, p.title, p.abstract, p.upvotes, p.listed, len(p.sources))
        for p in radar.papers()
    )


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    """The bundled sample ingested once, file by file, into SQLite."""
    home = tmp_path_factory.mktemp("sequential")
    with Radar.open(Settings(home=home, db=str(home / "s.sqlite3"))) as radar:
        assert all(r.ok for r in ingest(radar, *SAMPLE))
        return _summary(radar)


def test_concurrent_ingests_of_the_same_files_store_each_paper_once(
    pg_url: str, tmp_path: Path, sequential: list[tuple[Any, ...]]
) -> None:
    """Three workers, each with its own store (and pool), ingest the same listings at once -
    two in the same order, one in reverse: every paper once, as one sequential ingest has it."""
    radars = [Radar.open(Settings(home=tmp_path, db=pg_url)) for _ in range(3)]
    try:
        orders = [SAMPLE, SAMPLE, SAMPLE[::-1]]
        reports = _run_together(
            *[
                lambda r=r, files=files: ingest(r, *files)
                for r, files in zip(radars, orders, strict=True)
            ]
        )
        assert all(report.ok for batch in reports for report in batch)
        new = [sum(report.new for report in batch) for batch in reports]
        assert sum(new) == len(sequential)  # each paper was added by exactly one worker
        assert _summary(radars[0]) == sequential
        with psycopg.connect(pg_url) as db:
            (duplicates,) = db.execute(
                "SELECT count(*) FROM (SELECT arxiv_id FROM papers WHERE arxiv_id IS NOT NULL "
                "GROUP BY arxiv_id HAVING count(*) > 1) d"
            ).fetchone()
        assert duplicates == 0
    finally:
        for radar in radars:
            radar.close()


def test_ingest_and_index_at_once_lose_no_update(
    pg_url: str, tmp_path: Path, vectors86: Path
) -> None:
    """One worker keeps editing abstracts while another indexes: no vector is ever stored as
    current for a text the paper no longer has, and a last index run leaves nothing pending."""
    with embedded_copy(tmp_path, vectors86, pg_url) as radar:
        editor = Radar.open(Settings(home=tmp_path, db=pg_url))
        papers = list(editor.papers())[:12]
        done = threading.Event()

        def edit() -> int:
            edits = 0
            for round_ in range(6):
                for paper in papers:
                    text = f"{paper.abstract} Edit {round_}."
                    with editor.store.atomic():
                        editor.store.save_paper(dataclasses.replace(paper, abstract=text), [])
                    edits += 1
            done.set()
            return edits

        def index() -> int:
            runs = 0
            while not done.is_set() or runs == 0:
                radar.index(batch=4)
                runs += 1
            return runs

        try:
            edits, runs = _run_together(edit, index)
        finally:
            editor.close()
        assert edits == 72 and runs >= 1
        model = radar.embeddings().model_id
        with psycopg.connect(pg_url) as db:
            rows = db.execute(
                "SELECT p.title, p.abstract, e.content_hash FROM embeddings e "
                "JOIN papers p ON p.id = e.paper_id WHERE e.model = %s AND NOT e.stale",
                (model,),
            ).fetchall()
        assert len(rows) >= 86 - 12
        assert all(content_hash(paper_text(t, a)) == h for t, a, h in rows)
        radar.index()
        assert radar.index_status() == (86, 0)
        for paper in papers:
            assert radar.get(paper.id).abstract.endswith("Edit 5.")
