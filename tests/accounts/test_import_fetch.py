"""`library import --fetch`: arXiv ids not in the store come from the arXiv API (saved real
responses replayed by a local HTTP server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.radar import Radar
from papersift.sources.base import Input
from tests.replay import ReplayServer, arxiv_api


@pytest.fixture
def arxiv(data: Path) -> Iterator[ReplayServer]:
    with ReplayServer(arxiv_api(data)) as server:
        yield server


def test_import_fetches_missing_arxiv_ids(tmp_path: Path, arxiv: ReplayServer) -> None:
    settings = Settings(
        home=tmp_path,
        db=str(tmp_path / "store.sqlite3"),
        arxiv_api_url=f"{arxiv.url}/api/query",
        arxiv_delay=0.0,
    )
    listed = b"0808.05394\n1707.08567\n"  # the API knows the second only (saved response)
    with Radar.open(settings) as radar:
        user = radar.user("lee")
        plain = radar.library_import(user, Input.from_bytes("ids.txt", listed))
        assert plain.added == () and plain.missing == ("0808.05394", "1707.08567")
        assert arxiv.requests() == []  # nothing fetched without --fetch
        fetched = radar.library_import(user, Input.from_bytes("ids.txt", listed), fetch=True)
        assert fetched.added == ("1707.08567",) and fetched.missing == ("0808.05394",)
        assert len(arxiv.requests()) == 1  # both asked for in one request
        assert [p.id for _, p in radar.library(user)] == ["1707.08567"]
