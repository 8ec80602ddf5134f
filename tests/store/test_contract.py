"""The storage protocol's contract. Every backend must pass these (parametrize ``store``)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.errors import MigrationError, StoreError
from papersift.model import Authority, Provenance, Record
from papersift.sources import merge
from papersift.store import Store, open_store
from papersift.store.protocol import Holder, NewPaper
from papersift.store.sqlite import SqliteStore, migrations


@pytest.fixture
def store(backend_db: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(backend_db, home=tmp_path)
    yield opened
    opened.close()


def _new(arxiv_id: str, title: str, ref: str = "line 1") -> NewPaper:
    record = Record(
        source="jsonl",
        ref=ref,
        authority=Authority.AGGREGATOR,
        arxiv_id=arxiv_id,
        title=title,
        abstract=f"Abstract of {title}, long enough to be a key " * 3,
    )
    provenance = Provenance(
        "jsonl", "/data/x.jsonl", ref, "2026-11-22T00:00:00+00:00", merge.record_hash(record)
    )
    paper = merge.merge(arxiv_id, [(record, provenance)])
    return NewPaper(paper, merge.identity_keys(record), record, provenance)


def test_papers_round_trip_with_their_provenance(store: Store) -> None:
    new = _new("2501.00001", "A title")
    with store.atomic():
        store.add_papers([new])
    got = store.get("2501.00001")
    assert got is not None
    assert got == new.paper.__class__(**{**_as_kwargs(new.paper), "sources": (new.provenance,)})
    assert store.records("2501.00001") == [(new.record, new.provenance)]
    assert store.owners([new.provenance.record_hash, "unknown"]) == {
        new.provenance.record_hash: "2501.00001"
    }
    assert store.count_papers() == 1


def test_keys_and_aliases_resolve(store: Store) -> None:
    a, b = _new("2501.00001", "First"), _new("2501.00002", "Second", "line 2")
    with store.atomic():
        store.add_papers([a, b])
        store.fold("2501.00002", "2501.00001")
    assert store.resolve("2501.00002") == "2501.00001"  # a former id still finds the paper
    assert store.get("2501.00002") is None
    assert store.count_papers() == 1
    assert {r.arxiv_id for r, _ in store.records("2501.00001")} == {"2501.00001", "2501.00002"}
    found = store.lookup([("arxiv", "2501.00002")])
    assert found == {("arxiv", "2501.00002"): [Holder("2501.00001", "2501.00001", None)]}


def test_atomic_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.atomic():
        store.add_papers([_new("2501.00001", "A")])
        store.set_state("cursor", "abc")
        raise RuntimeError("boom")
    assert store.count_papers() == 0
    assert store.get_state("cursor") is None


def test_state_is_set_replaced_and_cleared(store: Store) -> None:
    with store.atomic():
        store.set_state("k", "1")
        store.set_state("k", "2")
    assert store.get_state("k") == "2"
    with store.atomic():
        store.set_state("k", None)
    assert store.get_state("k") is None


def test_iter_papers_streams_everything_in_id_order(store: Store) -> None:
    with store.atomic():
        store.add_papers([_new(f"2501.{n:05d}", f"Paper {n}", f"line {n}") for n in range(25)])
    ids = [p.id for p in store.iter_papers(batch=7)]
    assert ids == sorted(ids) and len(ids) == 25


# --- SQLite specifics -------------------------------------------------------------------------


def test_migrations_are_named_ordered_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    names = [name for name, _ in migrations("sqlite")]
    assert names == sorted(names) and names[0].startswith("0001_")
    first = SqliteStore(path)
    assert first.applied_migrations() == names
    first.close()
    again = SqliteStore(path)  # reopening applies nothing twice
    assert again.applied_migrations() == names
    again.close()


def test_a_store_from_a_newer_papersift_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    with pytest.raises(MigrationError, match="newer papersift"):
        SqliteStore(path)


def test_a_file_that_is_no_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "not-a-db.sqlite3"
    path.write_text("hello, I am text\n" * 100)
    with pytest.raises(StoreError, match=r"not-a-db\.sqlite3"):
        SqliteStore(path)


def _as_kwargs(paper: object) -> dict[str, object]:
    return {name: getattr(paper, name) for name in paper.__slots__}  # type: ignore[attr-defined]


def test_day_listings_follow_the_papers(store: Store) -> None:
    """paper_days (0005_listings) is kept in step with papers on every backend."""
    from papersift.store.listings import DayEntry

    def listed(arxiv_id: str, days: tuple[str, ...], ref: str) -> NewPaper:
        base = _new(arxiv_id, f"Paper {arxiv_id}", ref)
        record = dataclasses.replace(base.record, listed=days, upvotes=3)
        provenance = dataclasses.replace(base.provenance, record_hash=merge.record_hash(record))
        paper = merge.merge(arxiv_id, [(record, provenance)])
        return NewPaper(paper, base.keys, record, provenance)

    a = listed("2501.00001", ("2026-11-20", "2026-11-23"), "line 1")
    b = listed("2501.00002", ("2026-11-23",), "line 2")
    with store.atomic():
        store.add_papers([a, b])
    assert store.listed_between("2026-11-23", "2026-11-23") == [
        DayEntry("2501.00001", "2026-11-23", 3, "2026-11-20"),
        DayEntry("2501.00002", "2026-11-23", 3, "2026-11-23"),
    ]
    assert store.listed_between("2026-11-19", "2026-11-21") == [
        DayEntry("2501.00001", "2026-11-20", 3, "2026-11-20")
    ]
    assert store.listing_neighbours("2026-11-21", "2026-11-22") == ("2026-11-20", "2026-11-23")
    assert store.listing_last_day() == "2026-11-23"
    assert store.listing_last_day(until="2026-11-22") == "2026-11-20"
    with store.atomic():
        store.save_paper(dataclasses.replace(b.paper, upvotes=9), [])
        store.fold("2501.00001", "2501.00002")
    assert store.listed_between("2026-11-01", "2026-11-30") == [
        DayEntry("2501.00002", "2026-11-23", 9, "2026-11-23")
    ]
