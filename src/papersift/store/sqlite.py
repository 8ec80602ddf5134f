"""The embedded default store: one SQLite file, WAL mode, migrations applied on open."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from papersift.errors import MigrationError, StoreError
from papersift.model import Paper, Provenance, QueryNode, Record, SearchFilters
from papersift.store import codec, fts5
from papersift.store.protocol import EmbeddingTodo, Holder, IdentityKey, NewPaper
from papersift.store.sqlite_accounts import AccountsSQLite
from papersift.store.sqlite_cards import CardsSQLite
from papersift.store.sqlite_listings import ListingsSQLite
from papersift.store.sqlite_nearest import NearestSQLite
from papersift.store.sqlite_topics import TopicsSQLite
from papersift.store.sqlite_transfer import TransferSQLite

_PAPER_COLUMNS = codec.PAPER_COLUMNS


_HIGHLIGHT = re.compile("\x01(.*?)\x02", re.DOTALL)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrations(dialect: str) -> list[tuple[str, str]]:
    """``(name, sql)`` of every migration for ``dialect``, in order."""
    folder = resources.files("papersift.store.migrations").joinpath(dialect)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def split_statements(script: str) -> list[str]:
    """The statements of an SQL script (triggers included), each complete."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip().strip(";").strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


class SqliteStore(
    NearestSQLite, TransferSQLite, ListingsSQLite, CardsSQLite, TopicsSQLite, AccountsSQLite
):
    """:class:`~papersift.store.protocol.Store` on a SQLite file."""

    def __init__(self, path: Path) -> None:
        self.location = str(path)
        self._depth = 0
        self._counted: dict[str, tuple[tuple[int, int], int, int]] = {}  # embedding_counts
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=30
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store: {exc.strerror}") from exc

    # --- lifecycle ----------------------------------------------------------------------------
    def _migrate(self) -> None:
        db = self._db
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        known = migrations("sqlite")
        db.execute("BEGIN IMMEDIATE")  # one writer migrates; others wait, then find it done
        try:
            applied = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
            unknown = applied - {name for name, _ in known}
            if unknown:
                raise MigrationError(
                    f"{self.location}: the store was written by a newer papersift "
                    f"(unknown migrations: {', '.join(sorted(unknown))})"
                )
            for name, sql in known:
                if name in applied:
                    continue
                try:
                    for statement in split_statements(sql):
                        db.execute(statement)
                except sqlite3.Error as exc:
                    raise MigrationError(
                        f"{self.location}: migration {name} failed: {exc}"
                    ) from exc
                db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM schema_migrations ORDER BY name")]

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.location}: cannot start a transaction: {exc}") from exc
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"{self.location}: commit failed: {exc}") from exc
        finally:
            self._depth = 0

    # --- identity -----------------------------------------------------------------------------
    _HOLDERS = (
        "SELECT i.kind, i.value, i.paper_id, p.arxiv_id, p.doi, p.external_ids FROM identifiers i "
        "JOIN papers p ON p.id = i.paper_id WHERE i.value IN ({marks})"
    )

    def lookup(self, keys: Sequence[IdentityKey]) -> dict[IdentityKey, list[Holder]]:
        found: dict[IdentityKey, list[Holder]] = {}
        wanted = set(keys)
        values = sorted({value for _, value in wanted})
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            rows = self._db.execute(
                self._HOLDERS.format(marks=", ".join("?" * len(chunk))) + " ORDER BY i.paper_id",
                chunk,
            )
            for kind, value, paper_id, arxiv_id, doi, external in rows:
                if (kind, value) in wanted:
                    holder = Holder(
                        paper_id, arxiv_id, doi, tuple(map(tuple, codec.loads(external)))
                    )
                    found.setdefault((kind, value), []).append(holder)
        return found

    def resolve(self, identifier: str) -> str | None:
        row = self._db.execute("SELECT id FROM papers WHERE id = ?", (identifier,)).fetchone()
        if row:
            return str(row[0])
        row = self._db.execute(
            "SELECT paper_id FROM identifiers WHERE value = ? AND kind IN ('id', 'arxiv', 'doi')"
            " LIMIT 1",
            (identifier,),
        ).fetchone()
        return str(row[0]) if row else None

    def owners(self, record_hashes: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(record_hashes), 500):
            chunk = record_hashes[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT hash, paper_id FROM records WHERE hash IN ({marks})", chunk
            )
            found.update(rows.fetchall())
        return found

    def match(
        self, record_hash: str, keys: Sequence[IdentityKey]
    ) -> tuple[str | None, dict[IdentityKey, list[Holder]]]:
        row = self._db.execute(
            "SELECT paper_id FROM records WHERE hash = ?", (record_hash,)
        ).fetchone()
        if row:
            return str(row[0]), {}
        return None, self.lookup(keys)

    # --- writing ------------------------------------------------------------------------------
    @staticmethod
    def _row(paper: Paper, now: str) -> tuple[Any, ...]:
        return codec.paper_row(paper, now)

    def add_papers(self, new: Sequence[NewPaper]) -> None:
        now = _now()
        db = self._db
        last_row = db.execute("SELECT coalesce(max(rowid), 0) FROM papers").fetchone()[0]
        try:
            db.executemany(
                f"INSERT INTO papers ({_PAPER_COLUMNS}) VALUES ({', '.join('?' * 24)})",
                [self._row(n.paper, now) for n in new],
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self.location}: cannot add papers: {exc}") from exc
        self._index_fulltext(after_row=last_row)
        db.executemany(
            "INSERT OR IGNORE INTO identifiers (kind, value, paper_id) VALUES (?, ?, ?)",
            [(kind, value, n.paper.id) for n in new for kind, value in n.keys],
        )
        db.executemany(
            "INSERT OR IGNORE INTO records (hash, paper_id, source, payload) VALUES (?, ?, ?, ?)",
            [
                (
                    n.provenance.record_hash,
                    n.paper.id,
                    n.record.source,
                    codec.record_payload(n.record),
                )
                for n in new
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO provenance (record_hash, origin, ref, seen_at) "
            "VALUES (?, ?, ?, ?)",
            [
                (
                    n.provenance.record_hash,
                    n.provenance.origin,
                    n.provenance.ref,
                    n.provenance.seen_at,
                )
                for n in new
            ],
        )

    def save_paper(self, paper: Paper, keys: Iterable[IdentityKey]) -> None:
        row = self._row(paper, _now())
        try:
            self._db.execute(
                "UPDATE papers SET arxiv_id=?, doi=?, title=?, title_raw=?, abstract=?, "
                "abstract_raw=?, display_name=?, authors=?, categories=?, primary_category=?, "
                "submitted=?, updated=?, first_listed=?, listed=?, versions=?, links=?, "
                "comments=?, journal_ref=?, license=?, upvotes=?, external_ids=?, "
                "modified_at=? WHERE id=?",
                (*row[1:-2], row[-1], paper.id),
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self.location}: cannot save paper {paper.id}: {exc}") from exc
        self._db.executemany(
            "INSERT OR IGNORE INTO identifiers (kind, value, paper_id) VALUES (?, ?, ?)",
            [(kind, value, paper.id) for kind, value in keys],
        )

    def add_record(self, paper_id: str, record: Record, provenance: Provenance) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO records (hash, paper_id, source, payload) VALUES (?, ?, ?, ?)",
            (provenance.record_hash, paper_id, record.source, codec.record_payload(record)),
        )
        self.add_provenance(provenance)

    def add_provenance(self, provenance: Provenance) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO provenance (record_hash, origin, ref, seen_at) "
            "VALUES (?, ?, ?, ?)",
            (provenance.record_hash, provenance.origin, provenance.ref, provenance.seen_at),
        )
        return cursor.rowcount > 0

    def fold(self, loser: str, winner: str) -> None:
        db = self._db
        db.execute("UPDATE records SET paper_id = ? WHERE paper_id = ?", (winner, loser))
        db.execute(
            "INSERT OR IGNORE INTO identifiers (kind, value, paper_id) "
            "SELECT kind, value, ? FROM identifiers WHERE paper_id = ?",
            (winner, loser),
        )
        db.execute("DELETE FROM identifiers WHERE paper_id = ?", (loser,))
        db.execute("INSERT OR IGNORE INTO identifiers VALUES ('id', ?, ?)", (loser, winner))
        db.execute("DELETE FROM papers WHERE id = ?", (loser,))

    # --- reading ------------------------------------------------------------------------------
    def _paper(self, row: tuple[Any, ...], sources: tuple[Provenance, ...]) -> Paper:
        return codec.paper_from_row(row, sources)

    def _sources(self, paper_ids: Sequence[str]) -> dict[str, list[Provenance]]:
        out: dict[str, list[Provenance]] = {pid: [] for pid in paper_ids}
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            rows = self._db.execute(
                "SELECT r.paper_id, r.source, p.origin, p.ref, p.seen_at, p.record_hash "
                "FROM records r JOIN provenance p ON p.record_hash = r.hash "
                f"WHERE r.paper_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY p.seen_at, p.origin, p.ref",
                chunk,
            )
            for pid, source, origin, ref, seen_at, record_hash in rows:
                out[pid].append(Provenance(source, origin, ref, seen_at, record_hash))
        return out

    def get(self, paper_id: str) -> Paper | None:
        papers = self.get_many([paper_id])
        return papers[0] if papers else None

    def get_many(self, paper_ids: Sequence[str]) -> list[Paper]:
        rows: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = list(paper_ids[start : start + 500])
            for row in self._db.execute(
                f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                rows[row[0]] = row
        found = [pid for pid in paper_ids if pid in rows]
        sources = self._sources(found)
        return [self._paper(rows[pid], tuple(sources[pid])) for pid in found]

    def records(self, paper_id: str) -> list[tuple[Record, Provenance]]:
        rows = self._db.execute(
            "SELECT r.payload, r.source, p.origin, p.ref, min(p.seen_at), r.hash "
            "FROM records r JOIN provenance p ON p.record_hash = r.hash "
            "WHERE r.paper_id = ? GROUP BY r.hash ORDER BY r.hash",
            (paper_id,),
        )
        return [
            (codec.record_from_payload(payload, ref), Provenance(source, origin, ref, seen_at, h))
            for payload, source, origin, ref, seen_at, h in rows
        ]

    def iter_papers(self, *, batch: int = 1000) -> Iterator[Paper]:
        last = ""
        while True:
            ids = [
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM papers WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                )
            ]
            if not ids:
                return
            yield from self.get_many(ids)
            last = ids[-1]

    def count_papers(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM papers").fetchone()[0])

    def stats(self) -> dict[str, object]:
        db = self._db
        by_source = dict(
            db.execute(
                "SELECT source, count(DISTINCT paper_id) FROM records "
                "GROUP BY source ORDER BY source"
            ).fetchall()
        )
        by_category = dict(
            db.execute(
                "SELECT primary_category, count(*) FROM papers WHERE primary_category IS NOT NULL "
                "GROUP BY primary_category ORDER BY count(*) DESC LIMIT 10"
            ).fetchall()
        )
        first, last = db.execute(
            "SELECT min(first_listed), max(first_listed) FROM papers"
        ).fetchone()
        return {
            "papers": self.count_papers(),
            "with_arxiv_id": db.execute(
                "SELECT count(*) FROM papers WHERE arxiv_id IS NOT NULL"
            ).fetchone()[0],
            "records": db.execute("SELECT count(*) FROM records").fetchone()[0],
            "sightings": db.execute("SELECT count(*) FROM provenance").fetchone()[0],
            "origins": db.execute("SELECT count(DISTINCT origin) FROM provenance").fetchone()[0],
            "papers_by_source": by_source,
            "top_categories": by_category,
            "first_listed": first,
            "last_listed": last,
        }

    # --- state --------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self._db.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            self._db.execute(
                "INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, value, _now()),
            )

    # --- full text and filters (papers_fts, migration 0003) -----------------------------------
    def _index_fulltext(self, *, after_row: int) -> None:
        """Index the papers inserted after rowid ``after_row`` (new rows get higher rowids).
        One statement for the batch: ~3x cheaper than a per-row trigger (bench/ingest.py)."""
        self._db.execute(
            "INSERT INTO papers_fts (rowid, title, authors, abstract) "
            "SELECT rowid, title, authors, abstract FROM papers WHERE rowid > ?",
            (after_row,),
        )

    fulltext_weights: tuple[float, float, float] = (4.0, 2.0, 1.0)  # title, authors, abstract

    _PUBLISHED = "substr(coalesce(p.submitted, p.first_listed), 1, 10)"

    @staticmethod
    def _like(category: str) -> list[str]:
        value = category.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [f'%"{value}"%', f'%"{value}.%']

    def _filter_sql(self, filters: SearchFilters | None) -> tuple[str, list[object]]:
        """`` AND …`` conditions on ``papers p`` for ``filters``, and their parameters."""
        if filters is None or not filters.active:
            return "", []
        clauses: list[str] = []
        params: list[object] = []
        if filters.since:
            clauses.append(f"{self._PUBLISHED} >= ?")
            params.append(filters.since)
        if filters.until:
            clauses.append(f"{self._PUBLISHED} <= ?")
            params.append(filters.until)
        for names, negate in ((filters.categories, False), (filters.exclude_categories, True)):
            if not names:
                continue
            likes = [pattern for name in names for pattern in self._like(name)]
            either = " OR ".join("p.categories LIKE ? ESCAPE '\\'" for _ in likes)
            clauses.append(f"{'NOT ' if negate else ''}({either})")
            params.extend(likes)
        if filters.sources:
            marks = ", ".join("?" * len(filters.sources))
            clauses.append(f"p.id IN (SELECT paper_id FROM records WHERE source IN ({marks}))")
            params.extend(filters.sources)
        return "".join(f" AND {c}" for c in clauses), params

    def _fulltext(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:  # a rendering bug must not reach users as a traceback
            raise StoreError(f"{self.location}: full-text search failed: {exc}") from exc

    def fulltext_search(
        self,
        query: QueryNode | None,
        *,
        filters: SearchFilters | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[tuple[str, float]]:
        """``(paper id, BM25 score)`` of the papers matching ``query`` and ``filters``, best
        first (higher scores are better). With nothing to match (no query, or only exclusions)
        the papers passing the filters and exclusions are listed, newest first, scored 0."""
        match, exclude = fts5.split(query)
        where, params = self._filter_sql(filters)
        if match:
            if where:  # each match checked against the filters
                sql = (
                    "SELECT p.id, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts "
                    "JOIN papers p ON p.rowid = papers_fts.rowid "
                    f"WHERE papers_fts MATCH ?{where} "
                    "ORDER BY score DESC, papers_fts.rowid LIMIT ? OFFSET ?"
                )
            else:  # ranked inside the index; only the page's papers looked up (2x faster)
                sql = (
                    "SELECT p.id, f.score FROM (SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score "
                    "FROM papers_fts WHERE papers_fts MATCH ? "
                    "ORDER BY score DESC, rowid LIMIT ? OFFSET ?) f "
                    "JOIN papers p ON p.rowid = f.rowid ORDER BY f.score DESC, f.rowid"
                )
            # (never "rowid IN (filtered papers)": FTS5 would seek once per paper - seconds)
            return [
                (pid, float(score))
                for pid, score in self._fulltext(
                    sql, [*self.fulltext_weights, match, *params, limit, offset]
                )
            ]
        if exclude:
            where += " AND p.rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            params.append(exclude)
        return [
            (pid, 0.0)
            for (pid,) in self._fulltext(
                f"SELECT p.id FROM papers p WHERE 1{where} "
                f"ORDER BY {self._PUBLISHED} DESC, p.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        ]

    def fulltext_count(
        self, query: QueryNode | None, *, filters: SearchFilters | None = None
    ) -> int:
        """How many papers :meth:`fulltext_search` can page through."""
        match, exclude = fts5.split(query)
        where, params = self._filter_sql(filters)
        if match:
            sql = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?"
            if where:
                sql = (
                    "SELECT count(*) FROM papers_fts JOIN papers p ON p.rowid = papers_fts.rowid "
                    f"WHERE papers_fts MATCH ?{where}"
                )
            params.insert(0, match)
        else:
            if exclude:
                where += (
                    " AND p.rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
                )
                params.append(exclude)
            sql = f"SELECT count(*) FROM papers p WHERE 1{where}"
        return int(self._fulltext(sql, params)[0][0])

    def fulltext_terms(
        self, query: QueryNode | None, paper_ids: Sequence[str]
    ) -> dict[str, tuple[str, ...]]:
        """For each of ``paper_ids`` that ``query`` matches, the words of the paper it matched
        (title first, then authors, then abstract; lower case, each once)."""
        match, _ = fts5.split(query)
        found: dict[str, tuple[str, ...]] = {}
        if not match or not paper_ids:
            return found
        for start in range(0, len(paper_ids), 500):
            chunk = list(paper_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            ids = dict(self._fulltext(f"SELECT rowid, id FROM papers WHERE id IN ({marks})", chunk))
            if not ids:
                continue
            rowids = ", ".join("?" * len(ids))
            # a few papers: FTS5 seeks to each (~0.5 ms a paper); more: it reads the matches
            # once and keeps those listed ("+rowid" stops it seeking; 300 papers: 12 vs 265 ms)
            seek = "" if len(ids) <= 10 else "+"
            rows = self._fulltext(
                "SELECT rowid, highlight(papers_fts, 0, char(1), char(2)), "
                "highlight(papers_fts, 1, char(1), char(2)), "
                "highlight(papers_fts, 2, char(1), char(2)) FROM papers_fts "
                f"WHERE papers_fts MATCH ? AND {seek}rowid IN ({rowids})",
                [match, *ids],
            )
            for rowid, *columns in rows:
                pid = ids[rowid]
                words: dict[str, None] = {}
                for text in columns:
                    for span in _HIGHLIGHT.findall(text or ""):
                        words.update(dict.fromkeys(span.casefold().split()))
                found[pid] = tuple(words)
        return found

    def filter_ids(self, filters: SearchFilters, *, among: Sequence[str] | None = None) -> set[str]:
        """The ids of every paper passing ``filters`` (to restrict a vector search), or of
        those ``among`` the given ids."""
        where, params = self._filter_sql(filters)
        if among is None:
            sql = f"SELECT p.id FROM papers p WHERE 1{where}"
            return {r[0] for r in self._fulltext(sql, params)}
        found: set[str] = set()
        for start in range(0, len(among), 500):
            chunk = list(among[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT p.id FROM papers p WHERE p.id IN ({marks}){where}"
            found.update(r[0] for r in self._fulltext(sql, [*chunk, *params]))
        return found

    def fulltext_rebuild(self) -> None:
        """Rebuild the full-text index from the papers (after a VACUUM, or if in doubt)."""
        with self.atomic():
            self._db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")

    # --- embeddings (migration 0004) --------------------------------------------------------------
    def embedding_todo(self, model: str, limit: int, *, after: str = "") -> list[EmbeddingTodo]:
        return [
            EmbeddingTodo(*row)
            for row in self._db.execute(
                "SELECT p.id, p.title, p.abstract, e.content_hash FROM papers p "
                "LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = ? "
                "WHERE p.id > ? AND (e.seq IS NULL OR e.stale) ORDER BY p.id LIMIT ?",
                (model, after, limit),
            )
        ]

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        now = _now()
        self._db.executemany(  # REPLACE gives the row a new seq; a paper gone meanwhile is skipped
            "INSERT OR REPLACE INTO embeddings (paper_id, model, content_hash, vector, stale, "
            "created_at) SELECT ?, ?, ?, ?, 0, ? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)",
            [(pid, model, digest, vector, now, pid) for pid, digest, vector in rows],
        )

    def keep_embeddings(self, model: str, paper_ids: Sequence[str]) -> None:
        self._db.executemany(
            "UPDATE embeddings SET stale = 0 WHERE paper_id = ? AND model = ? AND stale",
            [(pid, model) for pid in paper_ids],
        )

    def iter_embeddings(
        self, model: str, *, after: int = 0, batch: int = 10_000
    ) -> Iterator[tuple[int, str, bytes]]:
        while True:
            rows = self._db.execute(
                "SELECT seq, paper_id, vector FROM embeddings WHERE model = ? AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (model, after, batch),
            ).fetchall()
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def embedding_marks(self, model: str) -> tuple[int, int]:
        row = self._db.execute(
            "SELECT (SELECT max(seq) FROM embeddings WHERE model = ?), "
            "(SELECT max(seq) FROM changes)",
            (model,),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def deleted_since(self, change: int) -> list[str]:
        return [
            r[0]
            for r in self._db.execute(
                "SELECT DISTINCT paper_id FROM changes WHERE seq > ? AND kind = 'delete'",
                (change,),
            )
        ]

    def embedding_counts(self, model: str) -> tuple[int, int]:
        marks = self.embedding_marks(model)
        cached = self._counted.get(model)
        if cached is None or cached[0] != marks:  # papers or vectors came or went
            papers = self.count_papers()
            (vectors,) = self._db.execute(
                "SELECT count(*) FROM embeddings WHERE model = ?", (model,)
            ).fetchone()
            cached = self._counted[model] = (marks, papers, int(vectors))
        _, papers, vectors = cached
        (stale,) = self._db.execute(
            "SELECT count(*) FROM embeddings WHERE model = ? AND stale", (model,)
        ).fetchone()
        return vectors, papers - vectors + int(stale)
