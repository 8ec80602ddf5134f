"""Cards in the store: built incrementally, kept per extractor version and text, rebuilt when
either changes, batch by batch; made on demand by Radar.card."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from papersift.model import SystemCard
from papersift.radar import Radar
from papersift.understand.rules import RuleExtractor
from tests.conftest import ingest
from tests.understand.conftest import seed_paths

SHADOWKV = "2410.21465"  # in the digest seed, with its arXiv id


class Counting(RuleExtractor):
    """The rule extractor, counting the papers it reads."""

    def __init__(self, version: str = RuleExtractor.version) -> None:
        self.version = version
        self.calls = 0

    def extract(self, title: str, abstract: str) -> SystemCard:
        self.calls += 1
        return super().extract(title, abstract)


@pytest.fixture
def seeded(radar: Radar) -> Radar:
    reports = ingest(radar, *seed_paths())
    assert sum(r.new for r in reports) == 136
    return radar


def test_build_is_incremental(seeded: Radar) -> None:
    counting = Counting()
    seeded.extractor = counting
    assert seeded.cards_status() == (0, 136)
    first = seeded.build_cards(batch=50)
    assert (first.built, first.unchanged, first.skipped, first.papers) == (136, 0, 0, 136)
    assert counting.calls == 136
    assert seeded.cards_status() == (136, 0)

    again = seeded.build_cards()
    assert (again.built, again.skipped) == (0, 136)
    assert counting.calls == 136  # nothing read again

    paper = seeded.get(SHADOWKV)
    store = seeded.store
    with store.atomic():  # a field cards do not read: nothing to do
        store.save_paper(dataclasses.replace(paper, upvotes=7), [])
    assert seeded.cards_status() == (136, 0)
    new_abstract = paper.abstract_raw + " Code: https://example.org/shadow."
    with store.atomic():  # the text changed: that paper alone is carded again
        store.save_paper(dataclasses.replace(paper, abstract_raw=new_abstract), [])
    assert seeded.cards_status() == (135, 1)
    changed = seeded.build_cards()
    assert (changed.built, changed.unchanged, changed.skipped) == (1, 0, 135)
    assert counting.calls == 137
    assert "https://example.org/shadow" in seeded.card(SHADOWKV).code_urls

    with store.atomic():  # a change and back again: the card on file still fits the text
        store.save_paper(dataclasses.replace(paper, abstract_raw=new_abstract + " x"), [])
        store.save_paper(dataclasses.replace(paper, abstract_raw=new_abstract), [])
    assert seeded.cards_status() == (135, 1)
    kept = seeded.build_cards()
    assert (kept.built, kept.unchanged) == (0, 1)
    assert counting.calls == 137
    assert seeded.cards_status() == (136, 0)


def test_a_new_extractor_version_rebuilds_every_card(seeded: Radar) -> None:
    seeded.build_cards()
    newer = Counting(version="rules-test-2")
    seeded.extractor = newer
    assert seeded.cards_status() == (0, 136)
    report = seeded.build_cards()
    assert (report.built, report.extractor) == (136, "rules-test-2")
    assert newer.calls == 136
    assert seeded.card(SHADOWKV).extractor == "rules-test-2"


def test_an_interrupted_build_keeps_finished_batches(seeded: Radar) -> None:
    calls: list[tuple[int, int]] = []

    def stop_after_first_batch(done: int, total: int) -> None:
        calls.append((done, total))
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seeded.build_cards(batch=40, progress=stop_after_first_batch)
    assert calls == [(0, 136), (40, 136)]
    assert seeded.cards_status() == (40, 96)
    rest = seeded.build_cards(batch=40)
    assert (rest.built, rest.skipped) == (96, 40)


def test_card_on_demand_is_made_once_and_kept(seeded: Radar, db_path: Path) -> None:
    counting = Counting()
    seeded.extractor = counting
    card = seeded.card(f"https://arxiv.org/abs/{SHADOWKV}v2")  # any spelling of the id
    assert card.primary == "ShadowKV"
    assert card.paper_id == seeded.get(SHADOWKV).id
    assert card.content_hash and card.extractor == RuleExtractor.version
    assert seeded.card(SHADOWKV) == card
    assert counting.calls == 1  # the second time it came from the store
    assert seeded.cards_status() == (1, 135)
    with sqlite3.connect(db_path) as db:
        (stored,) = db.execute("SELECT count(*) FROM cards").fetchone()
    assert stored == 1
    cards = seeded.cards_for(list(seeded.papers())[:5])
    assert len(cards) == 5 and all(c.paper_id == pid for pid, c in cards.items())


def test_cards_go_with_their_papers(seeded: Radar, db_path: Path) -> None:
    seeded.build_cards()
    papers = list(seeded.papers())
    loser, winner = papers[0], papers[1]
    with seeded.store.atomic():
        seeded.store.fold(loser.id, winner.id)
    with sqlite3.connect(db_path) as db:
        ids = {r[0] for r in db.execute("SELECT paper_id FROM cards")}
    assert loser.id not in ids and winner.id in ids
    assert seeded.cards_status() == (135, 0)


def test_bad_batch_is_a_usage_error(seeded: Radar) -> None:
    from papersift.errors import UsageError

    with pytest.raises(UsageError):
        seeded.build_cards(batch=0)


def test_parallel_build_makes_the_same_cards(seeded: Radar, tmp_path: Path) -> None:
    from papersift.config import Settings

    report = seeded.build_cards(batch=70, jobs=2)
    assert (report.built, report.papers) == (136, 136)
    parallel = {p.id: seeded.store.get_card(p.id) for p in seeded.papers()}
    other = tmp_path / "serial"
    other.mkdir()
    with Radar.open(Settings(home=other, db=str(other / "s.sqlite3"))) as serial:
        ingest(serial, *seed_paths())
        serial.build_cards(batch=70)
        for paper in serial.papers():
            card = serial.store.get_card(paper.id)
            assert card is not None and card == parallel[paper.id]
    from papersift.errors import UsageError

    with pytest.raises(UsageError):
        seeded.build_cards(jobs=0)
