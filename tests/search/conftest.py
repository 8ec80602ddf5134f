"""Fixtures shared by the search tests (keyword side: Engineer K; embeddings side: Engineer E).

Stores here are built once per session and only read by the tests that use them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from papersift.config import Settings
from papersift.radar import Radar
from tests.conftest import BACKENDS, DATA, Clusters, backend_target, ingest

SEEDS = DATA / "seeds"
SEED_FILES = ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")
CORPUS_MONTH = DATA / "arxiv-daily-cs-corpus" / "papers-2025-03.jsonl.gz"


@pytest.fixture(scope="session")
def seed_labels() -> list[dict[str, Any]]:
    """The hand-checked labels of the seed listings (title, abstract start …), in file order."""
    with (SEEDS / "labels.jsonl").open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


@pytest.fixture(scope="session", params=BACKENDS)
def keyword_radar(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, clusters: Clusters
) -> Iterator[Radar]:
    """A store with the three seed listings and one month of the real corpus (~2,000 papers),
    no embeddings, on each backend in turn. Read-only: tests must not change it."""
    home = tmp_path_factory.mktemp("keyword")
    with (
        backend_target(request.param, home, clusters) as target,
        Radar.open(Settings(home=home, db=target)) as radar,
    ):
        reports = ingest(radar, *(SEEDS / name for name in SEED_FILES), CORPUS_MONTH)
        assert all(r.ok for r in reports)
        yield radar


def store_path(radar: Radar) -> Path:
    return Path(radar.store.location)


# --- embeddings (Engineer E) ----------------------------------------------------------------------
EMBEDDED_FILES = ("hf-papers-page-a.txt", "abstracts-a.txt")  # 86 real papers


def _embedded_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The vectors of the EMBEDDED_FILES papers, computed once for the whole test run (the
    pytest-xdist workers share them through a file lock): the model runs ~20 texts/s."""
    import fcntl

    from papersift.search.indexing import save_vectors

    shared = tmp_path_factory.getbasetemp().parent / "papersift-embedded"
    shared.mkdir(exist_ok=True)
    target = shared / "vectors.npz"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            home = shared / "store"
            with Radar.open(Settings(home=home, db=str(home / "store.sqlite3"))) as radar:
                ingest(radar, *(SEEDS / name for name in EMBEDDED_FILES))
                report = radar.index()
                assert report.embedded == 86
                save_vectors(radar.store, report.model, shared / "partial.npz")
            (shared / "partial.npz").replace(target)
    return target


@pytest.fixture(scope="session")
def embedded_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _embedded_vectors(tmp_path_factory)


def embedded_copy(home: Path, vectors: Path, db: str | None = None) -> Radar:
    """A new store in ``home`` (or at ``db``) with the EMBEDDED_FILES papers and their vectors
    (no model run). The caller closes it."""
    from papersift.search.indexing import load_vectors

    radar = Radar.open(Settings(home=home, db=db or str(home / "store.sqlite3")))
    ingest(radar, *(SEEDS / name for name in EMBEDDED_FILES))
    assert load_vectors(radar.store, radar.embeddings().model_id, vectors) == 86
    return radar


@pytest.fixture(scope="session", params=BACKENDS)
def embedded_radar(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    embedded_vectors: Path,
    clusters: Clusters,
) -> Iterator[Radar]:
    """86 real seed papers (the Hugging Face page and the abstract-only list), all embedded, on
    each backend in turn. Read-only: tests must not change it (``embedded_copy`` makes one to
    change)."""
    home = tmp_path_factory.mktemp("embedded")
    with (
        backend_target(request.param, home, clusters) as target,
        embedded_copy(home, embedded_vectors, target) as radar,
    ):
        yield radar


@pytest.fixture
def embedded_any(tmp_path: Path, embedded_vectors: Path, backend_db: str) -> Iterator[Radar]:
    """A new store with the 86 embedded seed papers, on each backend in turn (to change)."""
    with embedded_copy(tmp_path, embedded_vectors, backend_db) as radar:
        yield radar
