"""Fixtures of the topic tests: the 136 seed papers embedded once (the real model) per run."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.radar import Radar
from tests.conftest import DATA, ingest

SEEDS = DATA / "seeds"
SEED_FILES = ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")
SEED_COUNT = 136


@pytest.fixture(scope="session")
def seed_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The vectors of every seed paper, computed once for the whole run (pytest-xdist workers
    share them through a file lock): the model runs ~15 texts/s."""
    from papersift.search.indexing import save_vectors

    shared = tmp_path_factory.getbasetemp().parent / "papersift-topics-seeds"
    shared.mkdir(exist_ok=True)
    target = shared / "vectors.npz"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            home = shared / "store"
            with Radar.open(Settings(home=home, db=str(home / "store.sqlite3"))) as radar:
                ingest(radar, *(SEEDS / name for name in SEED_FILES))
                report = radar.index()
                assert report.embedded == SEED_COUNT
                save_vectors(radar.store, report.model, shared / "partial.npz")
            (shared / "partial.npz").replace(target)
    return target


def seeded(home: Path, vectors: Path, files: tuple[str, ...] = SEED_FILES) -> Radar:
    """A new store in ``home`` with the seed ``files`` and their saved vectors (no model run).
    The caller closes it."""
    from papersift.search.indexing import load_vectors

    radar = Radar.open(Settings(home=home, db=str(home / "store.sqlite3")))
    ingest(radar, *(SEEDS / name for name in files))
    load_vectors(radar.store, radar.embeddings().model_id, vectors)
    return radar


@pytest.fixture(scope="session")
def topics_radar(tmp_path_factory: pytest.TempPathFactory, seed_vectors: Path) -> Iterator[Radar]:
    """Every seed paper, embedded, with threads built. Read-only: tests must not change it."""
    with seeded(tmp_path_factory.mktemp("topics"), seed_vectors) as radar:
        radar.build_topics(full=True)
        yield radar


def find(radar: Radar, *, title: str | None = None, abstract: str | None = None) -> str:
    """The id of the one paper whose title or abstract starts with the text given."""
    found = [
        p.id
        for p in radar.papers()
        if (title and p.title.startswith(title)) or (abstract and p.abstract.startswith(abstract))
    ]
    assert len(found) == 1, (title, abstract, found)
    return found[0]
