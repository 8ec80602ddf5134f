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
from tests.conftest import BACKENDS, DATA, Clusters, backend_target, ingest, shared_vectors

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
    """The vectors of the EMBEDDED_FILES papers (86), computed once per run."""
    return shared_vectors(tmp_path_factory, "papersift-embedded", EMBEDDED_FILES, 86)


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
