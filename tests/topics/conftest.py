"""Fixtures of the topic tests: the 136 seed papers embedded once (the real model) per run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.radar import Radar
from tests.conftest import DATA, ingest, shared_vectors

SEEDS = DATA / "seeds"
SEED_FILES = ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")
SEED_COUNT = 136


@pytest.fixture(scope="session")
def seed_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The vectors of every seed paper, computed once for the whole run: the model runs
    ~15 texts/s."""
    return shared_vectors(tmp_path_factory, "papersift-topics-seeds", SEED_FILES, SEED_COUNT)


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
