"""Accounts tests: one store with the bundled sample (and its vectors) made once per session;
each test works on its own copy of the file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.config import Secret, Settings
from papersift.radar import Radar
from tests.conftest import Cli


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    with Radar.open(Settings(home=path.parent, db=str(path))) as radar:
        radar.load_sample()
        embedded, pending = radar.index_status()
        assert embedded > 300 and pending == 0
    return path


@pytest.fixture
def store_file(tmp_path: Path, sample_store: Path) -> Path:
    target = tmp_path / "store.sqlite3"
    shutil.copy(sample_store, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, store_file: Path) -> Settings:
    return Settings(
        home=tmp_path,
        db=str(store_file),
        secret_key=Secret("test-secret"),
        base_url="http://papers.example",
    )


@pytest.fixture
def sample(settings: Settings) -> Iterator[Radar]:
    with Radar.open(settings) as radar:
        yield radar


@pytest.fixture
def sample_cli(tmp_path: Path, store_file: Path) -> Cli:
    return Cli(store_file, tmp_path)
