"""The store contract for the feature tables (cards 0008, topics 0007, accounts 0006): the same
calls give the same answers on SQLite, PostgreSQL 15 and PostgreSQL 16 + pgvector."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.errors import AccountError
from papersift.model import SystemCard
from papersift.sources import merge
from papersift.store import Store, open_store
from papersift.store.protocol import NewPaper
from papersift.store.topics import Membership, TopicBuild, TopicRow
from tests.store.test_contract import _new


def _dated(n: int) -> NewPaper:
    """Paper ``2501.0000n``, submitted on 2025-01-0n (n = 1 and 2) or 2025-01-02 (n = 3)."""
    base = _new(f"2501.0000{n}", f"Paper {n}", f"line {n}")
    record = dataclasses.replace(base.record, submitted=f"2025-01-0{min(n, 2)}")
    provenance = dataclasses.replace(base.provenance, record_hash=merge.record_hash(record))
    paper = merge.merge(f"2501.0000{n}", [(record, provenance)])
    return NewPaper(paper, base.keys, record, provenance)


@pytest.fixture
def store(backend_db: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(backend_db, home=tmp_path)
    with opened.atomic():
        opened.add_papers([_dated(n) for n in range(1, 4)])
    yield opened
    opened.close()


def test_cards_are_kept_made_stale_and_dropped(store: Store) -> None:
    assert [t.paper_id for t in store.card_todo("rules-1", 10)] == [
        "2501.00001",
        "2501.00002",
        "2501.00003",
    ]
    card = SystemCard(
        systems=("Zebra",),
        tldr="A zebra.",
        extractor="rules-1",
        content_hash="h1",
        paper_id="2501.00001",
    )
    ghost = dataclasses.replace(card, paper_id="no-such-paper")
    with store.atomic():
        store.put_cards([card, ghost])
    assert store.get_card("2501.00001") == card
    assert store.get_card("no-such-paper") is None  # papers gone are skipped
    assert store.get_cards(["2501.00001", "2501.00002"]) == {"2501.00001": card}
    assert store.card_counts("rules-1") == (1, 2)
    assert store.card_counts("rules-2") == (0, 3)
    todo = store.card_todo("rules-1", 10)
    assert [t.paper_id for t in todo] == ["2501.00002", "2501.00003"]
    assert store.card_todo("rules-1", 10, after="2501.00002")[0].paper_id == "2501.00003"
    paper = store.get("2501.00001")
    assert paper is not None
    with store.atomic():  # the raw title changed: the card is stale
        store.save_paper(dataclasses.replace(paper, title_raw="Zebras, revised"), [])
    assert store.card_counts("rules-1") == (0, 3)
    assert store.card_todo("rules-1", 1)[0].content_hash == "h1"
    with store.atomic():
        store.keep_cards(["2501.00001"])
    assert store.card_counts("rules-1") == (1, 2)
    with store.atomic():
        store.put_cards([dataclasses.replace(card, tldr="Replaced.")])
        store.fold("2501.00001", "2501.00002")
    assert store.get_card("2501.00001") is None  # a folded paper takes its card along


def test_topics_are_replaced_joined_and_read(store: Store) -> None:
    assert store.topic_build() is None
    build = TopicBuild("v1", "model", 7, "2026-12-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00")
    rows = [
        TopicRow(
            1, "zebras", ("zebra", "stripes"), b"\x00" * 8, 0.5, -0.25, 1.0, b"\x01" * 16, 2.0
        ),
        TopicRow(2, "drones", ("drone",), b"\x02" * 8, -1.5, 0.75, 0.5, b"\x03" * 16, 1.0),
    ]
    members = [
        Membership("2501.00001", 1, 0.9, 0.1, 0.2),
        Membership("2501.00002", 1, 0.7, 0.3, 0.4),
        Membership("no-such-paper", 2, 0.5, 0.0, 0.0),
    ]
    store.replace_topics(build, rows, members)
    assert store.topic_build() == build
    assert [dataclasses.replace(t, size=0) for t in store.topic_rows()] == rows
    assert [t.size for t in store.topic_rows()] == [2, 0]
    assert store.topic_members(1) == members[:2]  # most central first; unknown papers skipped
    assert store.topic_members(limit=1) == members[:1]
    later = dataclasses.replace(build, embedding_seq=9, updated_at="2026-12-02T00:00:00+00:00")
    joined = Membership("2501.00003", 2, 0.6, -1.0, 1.0, joined=True)
    store.join_topics(later, [joined])
    assert store.topic_build() == later
    assert store.paper_membership("2501.00003") == joined
    assert store.paper_membership("nope") is None
    assert store.topic_day_counts() == [
        (1, "2025-01-01", 1),
        (1, "2025-01-02", 1),
        (2, "2025-01-02", 1),
    ]
    assert store.topic_day_counts(2) == [(2, "2025-01-02", 1)]
    assert [r[:5] for r in store.topic_map_rows()] == [
        ("2501.00001", 1, 0.1, 0.2, "2025-01-01"),
        ("2501.00002", 1, 0.3, 0.4, "2025-01-02"),
        ("2501.00003", 2, -1.0, 1.0, "2025-01-02"),
    ]
    with store.atomic():
        store.fold("2501.00001", "2501.00002")
    assert store.paper_membership("2501.00001") is None
    store.replace_topics(build, rows[1:], [])
    assert [t.id for t in store.topic_rows()] == [2] and store.topic_members() == []


def test_users_sessions_and_resets(store: Store) -> None:
    with store.atomic():
        ada = store.create_user(" Ada@Example.org ", "Ada@Example.org", "hash-1")
        with pytest.raises(AccountError, match="already taken"):
            store.create_user("ada@example.org", None, None)
        local = store.create_user("me", None, None)  # the transaction goes on after a refusal
    assert (ada.name, ada.email, ada.has_password) == ("ada@example.org", "ada@example.org", True)
    assert local.id != ada.id and not local.has_password
    assert store.find_user("ADA@example.org") == ada
    assert store.get_user(local.id) == local and store.count_users() == 2
    assert store.password_hash(ada.id) == "hash-1" and store.password_hash(local.id) is None
    store.set_password_hash(local.id, "hash-2")
    assert store.password_hash(local.id) == "hash-2"
    store.add_session(ada.id, "s1", "2030-01-01T00:00:00+00:00")
    assert store.session_user("s1", "2026-12-01T00:00:00+00:00") == ada
    assert store.session_user("s1", "2031-01-01T00:00:00+00:00") is None  # expired
    store.delete_sessions(ada.id)
    assert store.session_user("s1", "2026-12-01T00:00:00+00:00") is None
    store.add_reset(ada.id, "r1", "2030-01-01T00:00:00+00:00")
    assert store.use_reset("r1", "2026-12-01T00:00:00+00:00") == ada.id
    assert store.use_reset("r1", "2026-12-01T00:00:00+00:00") is None  # single use
    for at in ("2026-12-01T00:00:01", "2026-12-01T00:00:02", "2026-12-01T00:00:03"):
        store.add_login_failure("ip:1", at)
    assert store.login_failures("ip:1", "2026-12-01T00:00:01") == [
        "2026-12-01T00:00:02",
        "2026-12-01T00:00:03",
    ]
    store.clear_login_failures("ip:1")
    assert store.login_failures("ip:1", "") == []


def test_library_prefs_subscriptions_and_the_digest_ledger(store: Store) -> None:
    ada = store.create_user("ada", None, None)
    bob = store.create_user("bob", None, None)
    store.library_update(ada.id, "2501.00001", {"saved": True, "saved_at": "2026-12-01"})
    store.library_update(ada.id, "2501.00002", {"rating": -1, "dismissed": True, "note": "no"})
    store.library_update(bob.id, "2501.00001", {"saved": True})
    store.library_tag(ada.id, "2501.00001", ["b", "a"], add=True)
    entries = {e.paper_id: e for e in store.library_entries(ada.id)}
    assert entries["2501.00001"].saved and entries["2501.00001"].tags == ("a", "b")
    assert entries["2501.00002"].dismissed and entries["2501.00002"].rating == -1
    assert [e.paper_id for e in store.library_entries(ada.id, ["2501.00002"])] == ["2501.00002"]
    assert store.library_entries(bob.id, ["2501.00002"]) == []  # nobody sees another's rows
    store.library_tag(ada.id, "2501.00001", ["a"], add=False)
    assert store.library_entries(ada.id, ["2501.00001"])[0].tags == ("b",)
    assert store.save_counts(["2501.00001", "2501.00002"]) == {"2501.00001": 2}
    assert store.library_remove(ada.id, "2501.00001") is True
    assert store.library_remove(ada.id, "2501.00001") is False
    store.set_prefs(ada.id, '{"keywords": ["zebra"]}')
    assert store.get_prefs(ada.id) == '{"keywords": ["zebra"]}' and store.get_prefs(bob.id) is None

    sub = store.add_subscription(
        ada.id,
        email="ada@x.org",
        content="search",
        query="zebra",
        frequency="daily",
        size=5,
        feed_token="tok",
    )
    assert store.subscription_by_token("tok") == sub == store.subscription_by_id(sub.id)
    assert store.update_subscription(bob.id, sub.id, {"size": 9}) is False  # not bob's
    assert store.update_subscription(ada.id, sub.id, {"size": 9, "active": False}) is True
    assert store.subscriptions() == []  # inactive: not for the sender
    assert store.subscriptions(ada.id)[0].size == 9
    assert store.update_subscription(ada.id, sub.id, {"active": True}) is True
    assert [s.id for s in store.subscriptions()] == [sub.id]
    with store.atomic():
        first = store.reserve_digest(
            sub.id, "2026-12-01", [("2501.00001", "why"), ("2501.00002", "because")], "m1", "t1"
        )
        again = store.reserve_digest(sub.id, "2026-12-01", [("2501.00003", "x")], "m2", "t2")
    assert first == again and first.status == "pending"
    assert first.papers == ("2501.00001", "2501.00002") and first.reasons == ("why", "because")
    store.finish_digest(sub.id, "2026-12-01", "sent", "t3")
    assert store.digest(sub.id, "2026-12-01") == dataclasses.replace(
        first, status="sent", sent_at="t3"
    )
    assert store.reserve_digest(sub.id, "2026-12-02", [], "m3", "t4").status == "empty"
    assert [d.period for d in store.digests(sub.id)] == ["2026-12-02", "2026-12-01"]
    assert store.delivered(sub.id) == {"2501.00001", "2501.00002"}
