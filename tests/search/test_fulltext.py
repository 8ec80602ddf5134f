"""The full-text index (migration 0003): kept in step with papers, BM25 with field weights,
filters, and known-item queries on real data."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from papersift.model import SearchFilters
from papersift.radar import Radar
from papersift.search.query import parse
from papersift.sources import ids
from papersift.store.postgres import PostgresStore
from papersift.store.sqlite import SqliteStore
from tests.conftest import ingest_text
from tests.search.conftest import CORPUS_MONTH, SEED_FILES, SEEDS


def _line(pid: str, title: str, abstract: str, **extra: Any) -> str:
    return json.dumps({"id": pid, "title": title, "abstract": abstract, **extra})


PAPERS = [
    _line(
        "2501.00001",
        "Zebra stripes as camouflage",
        "We study animals in the savanna.",
        authors=["Ada Lovelace"],
        categories=["q-bio.PE", "cs.CV"],
        published="2025-01-10",
    ),
    _line(
        "2502.00002",
        "Savanna ecology",
        "Zebra herds and lions, seen from drones.",
        authors=["Alan Turing"],
        categories=["cs.CV"],
        published="2025-02-20",
    ),
    _line(
        "2503.00003",
        "Drone navigation",
        "Flying over the savanna; no animals here.",
        authors=["Grace Zebra"],
        categories=["cs.RO"],
        listing_dates=["2025-03-05"],
    ),
]


@pytest.fixture
def small(radar: Radar) -> Radar:
    """The three papers in a SQLite store."""
    report = ingest_text(radar, "three.jsonl", "\n".join(PAPERS))
    assert report.new == 3
    return radar


@pytest.fixture
def small_any(backend_radar: Radar) -> Radar:
    """The three papers, on each backend in turn."""
    report = ingest_text(backend_radar, "three.jsonl", "\n".join(PAPERS))
    assert report.new == 3
    return backend_radar


def _ids(radar: Radar, text: str, **filters: Any) -> list[str]:
    query = parse(text)
    found = radar.store.fulltext_search(
        query.root, filters=query.filters(SearchFilters(**filters)), limit=100
    )
    return [pid for pid, _ in found]


def _vocabulary(db: sqlite3.Connection, table: str) -> set[tuple[Any, ...]]:
    db.execute(f"CREATE VIRTUAL TABLE temp.vocab_{table} USING fts5vocab(main, {table}, instance)")
    try:
        return set(db.execute(f"SELECT * FROM temp.vocab_{table}"))
    finally:
        db.execute(f"DROP TABLE temp.vocab_{table}")


def index_is_exact(store: Any) -> bool:
    """The index holds exactly what a rebuild from the papers would: every word of every paper
    at its place, nothing else."""
    if isinstance(store, PostgresStore):
        return pg_index_is_exact(store)
    with sqlite3.connect(store.location) as db:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").fetchone()[0]
        db.execute(sql.replace("papers_fts", "check_fts", 1))
        db.execute("INSERT INTO check_fts (check_fts) VALUES ('rebuild')")
        try:
            return _vocabulary(db, "papers_fts") == _vocabulary(db, "check_fts")
        finally:
            db.execute("DROP TABLE check_fts")


def pg_index_is_exact(store: PostgresStore) -> bool:
    """Each paper's tsvector is the one its title, authors and abstract make now."""
    import psycopg

    from papersift.store import tsquery

    url = store.location
    with psycopg.connect(url) as db:
        rows = db.execute("SELECT title, authors, abstract, search::text FROM papers").fetchall()
        wanted = [tsquery.document(t, json.loads(a), b) for t, a, b, _ in rows]
        (made,) = db.execute(
            "SELECT array(SELECT x::tsvector::text FROM unnest(%s::text[]) x)", [wanted]
        ).fetchone()
    return bool(rows) and made == [row[3] for row in rows]


def test_triggers_keep_the_index_in_step(small_any: Radar) -> None:
    small = small_any
    store = small.store
    assert index_is_exact(store)
    assert set(_ids(small, "zebra")) == {"2501.00001", "2502.00002", "2503.00003"}

    paper = store.get("2502.00002")
    assert paper is not None
    with store.atomic():
        store.save_paper(dataclasses.replace(paper, title="Okapi ecology"), [])
    assert _ids(small, "okapi") == ["2502.00002"]
    assert _ids(small, "title:savanna") == []  # the old title's words are gone
    assert index_is_exact(store)

    with store.atomic():
        store.fold("2503.00003", "2501.00001")
    assert _ids(small, "drone*") == ["2502.00002"]  # the folded paper left the index
    assert _ids(small, "author:grace") == []
    assert index_is_exact(store)


def test_an_update_that_keeps_the_text_does_not_touch_the_index(small: Radar) -> None:
    db = sqlite3.connect(small.store.location)
    before = db.execute("SELECT count(*) FROM papers_fts_data").fetchone()[0]
    db.execute("UPDATE papers SET upvotes = 5 WHERE id = '2501.00001'")
    db.commit()
    assert db.execute("SELECT count(*) FROM papers_fts_data").fetchone()[0] == before
    db.close()


def test_the_migration_indexes_papers_already_stored(small: Radar, db_path: Path) -> None:
    small.store.close()
    with sqlite3.connect(db_path) as db:  # the store as papersift left it before 0003
        db.execute("DROP TABLE papers_fts")
        for trigger in ("deleted", "updated"):
            db.execute(f"DROP TRIGGER papers_fts_{trigger}")
        db.execute("DROP INDEX papers_published")
        db.execute("DELETE FROM schema_migrations WHERE name = '0003_fulltext'")
    store = SqliteStore(db_path)
    try:
        assert "0003_fulltext" in store.applied_migrations()
        assert {pid for pid, _ in store.fulltext_search(parse("zebra").root)} == {
            "2501.00001",
            "2502.00002",
            "2503.00003",
        }
    finally:
        store.close()
    assert index_is_exact(SqliteStore(db_path))


def test_field_weights_title_then_authors_then_abstract(small_any: Radar) -> None:
    small = small_any
    # "zebra" is in one title, one author name and one abstract
    assert _ids(small, "zebra") == ["2501.00001", "2503.00003", "2502.00002"]
    assert _ids(small, "author:zebra") == ["2503.00003"]
    assert _ids(small, "abstract:zebra") == ["2502.00002"]


def test_filters(small_any: Radar) -> None:
    small = small_any
    assert set(_ids(small, "savanna", since="2025-02-01")) == {"2502.00002", "2503.00003"}
    assert _ids(small, "savanna", until="2025-01-31") == ["2501.00001"]
    assert set(_ids(small, "savanna", categories=("cs.CV",))) == {"2501.00001", "2502.00002"}
    assert _ids(small, "savanna", categories=("q-bio",)) == ["2501.00001"]  # the archive
    assert _ids(small, "savanna", categories=("cs.c",)) == []  # no partial names
    assert _ids(small, "savanna", exclude_categories=("cs.CV",)) == ["2503.00003"]
    assert _ids(small, "savanna cat:cs.ro") == ["2503.00003"]  # any case
    assert _ids(small, "savanna year:2024") == []
    assert _ids(small, "savanna", sources=("jsonl",)) == _ids(small, "savanna")
    assert _ids(small, "savanna", sources=("hf-daily",)) == []
    # no words: the filtered papers, newest first
    assert _ids(small, "", categories=("cs",)) == ["2503.00003", "2502.00002", "2501.00001"]
    assert _ids(small, "-lions", categories=("cs",)) == ["2503.00003", "2501.00001"]
    store = small.store
    assert store.filter_ids(SearchFilters(categories=("cs.CV",))) == {"2501.00001", "2502.00002"}
    among = store.filter_ids(SearchFilters(since="2025-02-01"), among=["2501.00001", "2503.00003"])
    assert among == {"2503.00003"}


def test_filter_values_are_not_patterns(small_any: Radar) -> None:
    small = small_any
    assert _ids(small, "savanna", categories=("%",)) == []
    assert _ids(small, "savanna", categories=("c_.CV",)) == []
    assert _ids(small, "savanna", sources=("' OR 1=1 --",)) == []


def test_matched_terms_and_counts(small_any: Radar) -> None:
    small = small_any
    store = small.store
    root = parse("zebra OR animal*").root
    terms = store.fulltext_terms(root, ["2501.00001", "2502.00002", "2503.00003", "nope"])
    assert terms["2501.00001"] == ("zebra", "animals")
    assert terms["2502.00002"] == ("zebra",)
    assert terms["2503.00003"] == ("zebra", "animals")
    assert "nope" not in terms
    assert store.fulltext_count(root) == 3
    assert store.fulltext_count(parse("lions").root) == 1
    assert store.fulltext_terms(None, ["2501.00001"]) == {}


def test_pages_walk_one_ranking(keyword_radar: Radar) -> None:
    root = parse("language model").root
    whole = keyword_radar.store.fulltext_search(root, limit=63)
    assert len(whole) == 63
    pages = [
        hit
        for offset in range(0, 63, 7)
        for hit in keyword_radar.store.fulltext_search(root, limit=7, offset=offset)
    ]
    assert pages == whole
    scores = [s for _, s in whole]
    assert scores == sorted(scores, reverse=True)


# --- known items on real data ---------------------------------------------------------------------


def _first_title(radar: Radar, text: str) -> str | None:
    hits = radar.search(text, mode="keyword", limit=1).hits
    return ids.text_key(hits[0].title) if hits else None


def test_exact_titles_find_their_paper_first(
    keyword_radar: Radar, seed_labels: list[dict[str, Any]]
) -> None:
    titled = [label for label in seed_labels if label["title"]]
    assert len(titled) == 126
    for label in titled:
        hit = keyword_radar.search(label["title"], mode="keyword", limit=1).hits[0]
        assert ids.text_key(hit.title) == ids.text_key(label["title"])
        assert hit.pinned == "exact title"


def test_titles_without_their_first_word_mostly_find_their_paper_first(
    keyword_radar: Radar, seed_labels: list[dict[str, Any]]
) -> None:
    """Not pinned (not the exact title): this is BM25 ranking ~2,000 real papers."""
    titled = [label for label in seed_labels if label["title"] and len(label["title"].split()) > 3]
    found = sum(
        _first_title(keyword_radar, " ".join(label["title"].split()[1:]))
        == ids.text_key(label["title"])
        for label in titled
    )
    assert found >= 0.95 * len(titled), f"{found} of {len(titled)}"


def test_abstract_phrases_find_their_paper_first(
    keyword_radar: Radar, seed_labels: list[dict[str, Any]]
) -> None:
    """The opening words of each abstract, as a phrase (the abstract-only seeds included)."""
    found = 0
    for label in seed_labels:
        words = label["abstract_start"].split()[:-1]  # the last word may be cut
        hits = keyword_radar.search('"' + " ".join(words) + '"', mode="keyword", limit=1).hits
        if hits:
            paper = keyword_radar.get(hits[0].id)
            found += " ".join(paper.abstract_raw.split()).startswith(" ".join(words))
    assert len(seed_labels) == 136
    assert found >= 134, found  # one opening ("Large language models (LLMs) have shown…") is
    # shared by several corpus papers


def test_keyword_store_holds_the_seeds_and_the_slice(keyword_radar: Radar) -> None:
    assert keyword_radar.store.count_papers() > 1900
    assert all((SEEDS / name).exists() for name in SEED_FILES)
    assert CORPUS_MONTH.exists()
    assert index_is_exact(keyword_radar.store)


@pytest.mark.parametrize(
    "text",
    [
        "speculative decoding",
        "diffusion model*",
        '"large language models" agents',
        "author:wang title:vision",
        "kv cache quantization",
        "cafe OR naive OR resume",  # accents are folded the same way
    ],
)
def test_explanations_agree_with_the_index(keyword_radar: Radar, text: str) -> None:
    """Hits explain themselves in Python; the index's own highlight() must say the same."""
    from papersift.search.query import relaxed

    query = parse(text)
    explain = relaxed(query.root) or query.root
    hits = keyword_radar.search(text, mode="keyword", limit=25).hits
    assert hits
    highlighted = keyword_radar.store.fulltext_terms(explain, [h.id for h in hits])
    for hit in hits:
        assert set(hit.matched_terms) == set(highlighted.get(hit.id, ())), hit.id
