"""Libraries, isolation, accounts and the digest ledger through the facade on every store
backend (SQLite, PostgreSQL 15, PostgreSQL 16 + pgvector), over a few ingested papers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from papersift.errors import AuthenticationError, NotInLibraryError, RateLimitedError
from papersift.radar import Radar
from papersift.sources.base import Input
from tests.accounts.smtp import SmtpServer

PAPERS = [
    ("2607.00001", "KV cache compression for long-context inference", "2026-07-01"),
    ("2607.00002", "Quantized KV cache with adaptive bit widths", "2026-07-02"),
    ("2607.00003", "A survey of diffusion models for images", "2026-07-02"),
]


def _load(radar: Radar) -> None:
    lines = "".join(
        json.dumps(
            {
                "id": pid,
                "title": title,
                "summary": title + ".",
                "published": day,
                "categories": ["cs.CL"],
            }
        )
        + "\n"
        for pid, title, day in PAPERS
    )
    report = next(iter(radar.ingest([Input.from_bytes("papers.jsonl", lines.encode())])))
    assert report.new == 3, report


def test_library_isolation_and_accounts(backend_radar: Radar) -> None:
    radar = backend_radar
    _load(radar)
    alice, bob = radar.user("alice"), radar.user("bob")
    radar.library_add(alice, ["2607.00001", "2607.00002"], tags=["kv"])
    entry = radar.library_mark(alice, "2607.00002", rating=1, note="n", read=True)
    assert entry.rating == 1 and entry.read_at and entry.tags == ("kv",)
    radar.library_mark(alice, "2607.00003", not_interested=True)
    assert {p.id for _, p in radar.library(alice)} == {"2607.00001", "2607.00002"}
    assert len(radar.library(alice, everything=True)) == 3
    assert radar.library(bob) == []
    with pytest.raises(NotInLibraryError):
        radar.library_remove(bob, "2607.00001")
    assert radar.save_counts(["2607.00001", "2607.00003"]) == {"2607.00001": 1}
    accounts = radar.accounts()
    accounts.sign_up("ada@example.org", "a long password")
    session = accounts.sign_in("ada@example.org", "a long password")
    assert accounts.session_user(session.token) is not None
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            accounts.sign_in("ada@example.org", "wrong one!")
    with pytest.raises(RateLimitedError):
        accounts.sign_in("ada@example.org", "a long password")
    reset = accounts.request_reset("ada@example.org")
    assert reset is not None
    accounts.reset_password(reset[1], "another password")
    with pytest.raises(AuthenticationError):
        accounts.reset_password(reset[1], "once more no")


def test_search_digest_once_per_period(backend_radar: Radar) -> None:
    from dataclasses import replace

    _load(backend_radar)
    assert backend_radar.settings is not None
    with SmtpServer() as server:
        settings = replace(
            backend_radar.settings,
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security="none",
        )
        with Radar.open(settings) as radar:
            user = radar.user("cy@example.org")
            radar.subscribe(user, content="search", query="kv cache", frequency="weekly")
            day = date(2026, 7, 3)
            assert radar.send_digests(day=day).count("sent") == 1
            assert radar.send_digests(day=day).count("sent") == 0  # the ledger: once
            (message,) = server.inbox.messages
            text = message.get_body(("plain",)).get_content()
            assert "2607.00001" in text and "2607.00002" in text and "2607.00003" not in text
            sub = radar.subscriptions(user)[0]
            assert radar.store.delivered(sub.id) == {"2607.00001", "2607.00002"}
            assert radar.unsubscribe_url(sub)
