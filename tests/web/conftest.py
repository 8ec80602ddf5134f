"""The web app over a real SQLite store holding the bundled sample, driven by the ASGI client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from papersift.config import Settings
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.web.app import create_app

XSS_TITLE = "<script>alert(1)</script>"
XSS_ID = "2607.99999"


def xss_record() -> bytes:
    """A paper whose title and abstract are markup (titles are untrusted text)."""
    import json

    record = {
        "id": XSS_ID,
        "title": XSS_TITLE,
        "summary": 'An abstract with <img src=x onerror="alert(2)"> and a diffusion model.',
        "authors": ["Eve <b>Mallory</b>"],
        "categories": ["cs.CR"],
        "listing_dates": ["2026-07-03"],
    }
    return (json.dumps(record) + "\n").encode()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled sample and one hostile paper, made once per session."""
    home = tmp_path_factory.mktemp("web-store")
    db = home / "store.sqlite3"
    with Radar.open(Settings(home=home, db=str(db))) as radar:
        radar.load_sample()
        report = next(iter(radar.ingest([Input.from_bytes("xss.jsonl", xss_record())])))
        assert report.new == 1, report
    return db


@pytest.fixture
def settings(sample_store: Path, tmp_path: Path) -> Settings:
    """Settings for a copy of the sample store (tests may write to it)."""
    import shutil

    db = tmp_path / "store.sqlite3"
    shutil.copy(sample_store, db)
    return Settings(home=tmp_path, db=str(db), admin_token="s3cret-token")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
