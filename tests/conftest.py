"""Shared fixtures: real SQLite stores in temporary folders, the shared data, the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from papersift.cli import main
from papersift.config import Settings
from papersift.radar import Radar
from papersift.sources.base import Input

ROOT = Path(__file__).resolve().parents[1]
# The real data the tests read: ``../shared/data`` beside the checkout (where CI clones it), or
# wherever PAPERSIFT_SHARED_DATA points.
DATA = Path(os.environ.get("PAPERSIFT_SHARED_DATA") or ROOT.parent / "shared" / "data")
BACKENDS = ("sqlite", "pg", "pgvector")  # SQLite; PostgreSQL 15 without pgvector; 16 with it


def pytest_sessionstart(session: pytest.Session) -> None:
    """Without the shared data nearly every test would fail on its own: say why once."""
    if not DATA.is_dir():
        pytest.exit(
            f"the shared test data is missing at {DATA}: clone papersift beside ../shared, "
            "or set PAPERSIFT_SHARED_DATA to the data folder",
            returncode=4,
        )


class Clusters:
    """The PostgreSQL clusters of this test process, started on first use (tests.pgcluster)."""

    def __init__(self) -> None:
        self._running: dict[str, Any] = {}

    def get(self, backend: str) -> Any:
        from tests.pgcluster import DEBIAN_BIN, Cluster, pgserver_bin

        if backend not in self._running:
            cluster = Cluster(DEBIAN_BIN if backend == "pg" else pgserver_bin(), backend)
            assert cluster.has_pgvector() == (backend == "pgvector"), backend
            self._running[backend] = cluster
        return self._running[backend]

    def stop(self) -> None:
        for cluster in self._running.values():
            cluster.stop()


@pytest.fixture(scope="session")
def clusters() -> Iterator[Clusters]:
    running = Clusters()
    yield running
    running.stop()


@contextmanager
def backend_target(backend: str, folder: Path, clusters: Clusters) -> Iterator[str]:
    """A new empty store of ``backend``: a SQLite path in ``folder``, or a new database."""
    if backend == "sqlite":
        yield str(folder / "store.sqlite3")
        return
    cluster = clusters.get(backend)
    url = cluster.database()
    yield url
    cluster.drop(url)


@pytest.fixture(params=BACKENDS)
def backend_db(request: pytest.FixtureRequest, tmp_path: Path, clusters: Clusters) -> Iterator[str]:
    """A new empty store on each backend in turn: where it is (``--db``)."""
    with backend_target(request.param, tmp_path, clusters) as target:
        yield target


@pytest.fixture
def backend_radar(tmp_path: Path, backend_db: str) -> Iterator[Radar]:
    """A radar over a new store, on each backend in turn."""
    with Radar.open(Settings(home=tmp_path, db=backend_db)) as r:
        yield r


@pytest.fixture(scope="session")
def data() -> Path:
    """``../shared/data`` from the project root."""
    assert DATA.is_dir(), f"shared data missing at {DATA}"
    return DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def radar(tmp_path: Path, db_path: Path) -> Iterator[Radar]:
    with Radar.open(Settings(home=tmp_path, db=str(db_path))) as r:
        yield r


def ingest(radar: Radar, *paths: Path, format: str | None = None) -> list[Any]:
    """Ingest paths through the facade; the reports."""
    return list(radar.ingest(radar.inputs([str(p) for p in paths]), format=format))


def ingest_text(radar: Radar, name: str, text: str | bytes, format: str | None = None) -> Any:
    data = text.encode() if isinstance(text, str) else text
    return next(iter(radar.ingest([Input.from_bytes(name, data)], format=format)))


def shared_vectors(
    tmp_path_factory: pytest.TempPathFactory, folder: str, files: tuple[str, ...], count: int
) -> Path:
    """The vectors of the seed ``files``' papers, computed once for the whole test run (the
    pytest-xdist workers share them through a file lock under ``folder``): the real model is
    slow. ``count`` is how many papers they must embed."""
    import fcntl

    from papersift.search.indexing import save_vectors

    shared = tmp_path_factory.getbasetemp().parent / folder
    shared.mkdir(exist_ok=True)
    target = shared / "vectors.npz"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            home = shared / "store"
            with Radar.open(Settings(home=home, db=str(home / "store.sqlite3"))) as radar:
                ingest(radar, *(DATA / "seeds" / name for name in files))
                report = radar.index()
                assert report.embedded == count
                save_vectors(radar.store, report.model, shared / "partial.npz")
            (shared / "partial.npz").replace(target)
    return target


def dump_store(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the change log and timestamps) - to prove nothing changed."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}")), key=repr)
            for t in tables
            if t not in ("changes", "sqlite_sequence")
        }


class Cli:
    """Runs the real command line in-process against one store."""

    def __init__(self, db: Path | str, home: Path) -> None:
        self.db = db
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        return self.runner.invoke(
            main, ["--db", str(self.db), "--home", str(self.home), *args], input=input
        )

    def json(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path, db_path: Path) -> Cli:
    return Cli(db_path, tmp_path)
