"""`papersift migrate --to`: a whole store copied to another backend, without loss."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest

from papersift.config import Settings
from papersift.errors import StoreError
from papersift.radar import SAMPLE_DIR, Radar
from papersift.search.query import parse
from papersift.store.transfer import TABLES
from tests.conftest import Cli, Clusters, ingest
from tests.search.conftest import CORPUS_MONTH, _embedded_vectors, embedded_copy


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A SQLite store with a slice of real data: the 86 embedded seed papers (with their
    vectors), one month of the corpus, the bundled sample (Hugging Face upvotes), fetch state,
    and a folded paper (an alias)."""
    home = tmp_path_factory.mktemp("migrate-source")
    with embedded_copy(home, _embedded_vectors(tmp_path_factory)) as radar:
        reports = ingest(radar, CORPUS_MONTH, *sorted(SAMPLE_DIR.glob("*.gz")))
        assert all(r.ok for r in reports)
        radar._load_sample_vectors()
        with radar.store.atomic():
            radar.store.set_state("oai:cs", "token-123")
            first, second = [p.id for p in radar.store.iter_papers(batch=2)][:2]
            radar.store.fold(second, first)
        yield Path(radar.store.location)


def _rows(url_or_path: str, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """Every row of ``table`` (those columns) as plain values, sorted."""
    names = ", ".join(columns)
    if url_or_path.startswith("postgresql://"):
        with psycopg.connect(url_or_path) as db:
            rows = db.execute(f"SELECT {names} FROM {table}").fetchall()
    else:
        with sqlite3.connect(url_or_path) as db:
            rows = db.execute(f"SELECT {names} FROM {table}").fetchall()
    plain = [
        tuple(
            bytes(v) if isinstance(v, memoryview) else int(v) if isinstance(v, bool) else v
            for v in row
        )
        for row in rows
    ]
    return sorted(plain, key=repr)


def _columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


@pytest.mark.parametrize("backend", ["pg", "pgvector"])
def test_sqlite_to_postgresql_and_back_loses_nothing(
    backend: str, source: Path, clusters: Clusters, tmp_path: Path
) -> None:
    cluster = clusters.get(backend)
    url = cluster.database()
    try:
        with Radar.open(Settings(home=tmp_path, db=str(source))) as radar:
            counts = {t.name: radar.store.count_rows(t.name) for t in TABLES}
            report = radar.migrate_to(url)
            papers = {p.id: p for p in radar.papers()}
            model = radar.embeddings().model_id
            status = radar.index_status()
        assert report.tables == counts
        assert counts["papers"] > 2000 and counts["embeddings"] >= 86
        for table in TABLES:  # every row of every table, as it was
            columns = _columns(source, table.name)
            assert _rows(url, table.name, columns) == _rows(str(source), table.name, columns)

        back = tmp_path / "back.sqlite3"
        with Radar.open(Settings(home=tmp_path, db=url)) as moved:
            moved.migrate_to(str(back))
        for table in TABLES:
            columns = _columns(source, table.name)
            assert _rows(str(back), table.name, columns) == _rows(str(source), table.name, columns)
        with Radar.open(Settings(home=tmp_path, db=str(back))) as again:
            assert again.store.fulltext_count(parse("diffusion").root) > 0
            vectors = dict((pid, v) for _, pid, v in again.store.iter_embeddings(model, batch=500))
            assert len(vectors) == counts["embeddings"]
            assert all(np.frombuffer(v, "<f4").shape == (384,) for v in vectors.values())

        with Radar.open(Settings(home=tmp_path, db=url)) as moved:
            # spot checks through the store: papers, aliases, state, search, vectors
            for pid in list(papers)[::250]:
                assert moved.get(pid) == papers[pid]
            aliases = _rows(str(source), "identifiers WHERE kind = 'id'", ["value", "paper_id"])
            assert aliases
            assert all(moved.store.resolve(alias) == pid for alias, pid in aliases)
            assert moved.store.get_state("oai:cs") == "token-123"
            for text in ("language model", "diffusion", "author:wang", "title:agents"):
                root = parse(text).root
                with Radar.open(Settings(home=tmp_path, db=str(source))) as radar:
                    expected = radar.store.fulltext_count(root)
                assert moved.store.fulltext_count(root) == expected > 0
            assert moved.index_status() == status
            some = sorted(papers)[5]
            vector = moved.embeddings().vector_of(some)
            if vector is not None:
                hits = moved.embeddings().search(vector, 3)
                assert hits[0][0] == some
            assert moved.store.native_nearest(model) is (backend == "pgvector")
            # the change log and the vectors' seq continue after the copied ones
            marks = moved.store.embedding_marks(model)
            with moved.store.atomic():
                moved.store.set_state("after", "1")
                paper = papers[sorted(papers)[0]]
                moved.store.save_paper(paper, [])
            assert moved.store.embedding_marks(model)[1] > marks[1]

    finally:
        cluster.drop(url)


def test_the_cli_copies_and_refuses_a_target_that_holds_papers(
    source: Path, clusters: Clusters, tmp_path: Path
) -> None:
    cluster = clusters.get("pg")
    url = cluster.database()
    try:
        cli = Cli(source, tmp_path)
        result = cli("migrate", "--to", url, "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["tables"]["papers"] > 2000 and report["target"] == url
        again = cli("migrate", "--to", url)
        assert again.exit_code == 4
        assert "already holds papers" in again.output and "Traceback" not in again.output
        stats = Cli(url, tmp_path).json("stats", "--json")
        assert stats["papers"] == report["tables"]["papers"]
    finally:
        cluster.drop(url)


def test_a_table_the_copy_does_not_know_is_refused(
    source: Path, clusters: Clusters, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(source.read_bytes())
    with sqlite3.connect(copy) as db:
        db.execute("CREATE TABLE mystery (x TEXT)")
    cluster = clusters.get("pg")
    url = cluster.database()
    try:
        with (
            Radar.open(Settings(home=tmp_path, db=str(copy))) as radar,
            pytest.raises(StoreError, match="mystery"),
        ):
            radar.migrate_to(url)
    finally:
        cluster.drop(url)
