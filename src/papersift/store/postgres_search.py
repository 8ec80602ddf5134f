"""Full text and filters on PostgreSQL: a weighted ``tsvector`` per paper (GIN), ranked with
``ts_rank`` (title 4, authors 2, abstract 1, as the SQLite store weighs its BM25), queried with
``tsquery`` texts built by :mod:`papersift.store.tsquery` from the parsed query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from papersift.model import QueryNode, SearchFilters
from papersift.store import tsquery
from papersift.store.postgres_base import PostgresBase

_PUBLISHED = "substr(coalesce(p.submitted, p.first_listed), 1, 10)"
RANK_NORMALIZATION = 1  # ts_rank: divide by 1 + log(document length), as BM25 discounts length


def _like(category: str) -> list[str]:
    value = category.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [f'%"{value}"%', f'%"{value}.%']


def filter_sql(filters: SearchFilters | None) -> tuple[str, list[object]]:
    """`` AND …`` conditions on ``papers p`` for ``filters``, and their parameters."""
    if filters is None or not filters.active:
        return "", []
    clauses: list[str] = []
    params: list[object] = []
    if filters.since:
        clauses.append(f"{_PUBLISHED} >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append(f"{_PUBLISHED} <= %s")
        params.append(filters.until)
    for names, negate in ((filters.categories, False), (filters.exclude_categories, True)):
        if not names:
            continue
        likes = [pattern for name in names for pattern in _like(name)]
        clauses.append(f"{'NOT ' if negate else ''}(lower(p.categories) LIKE ANY(%s))")
        params.append(likes)
    if filters.sources:
        clauses.append("p.id IN (SELECT paper_id FROM records WHERE source = ANY(%s))")
        params.append(list(filters.sources))
    return "".join(f" AND {c}" for c in clauses), params


class SearchPostgres(PostgresBase):
    """The full-text part of the Store protocol on PostgreSQL."""

    def _fulltext(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return self._all(sql, params)

    def fulltext_search(
        self,
        query: QueryNode | None,
        *,
        filters: SearchFilters | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[tuple[str, float]]:
        """``(paper id, rank)`` of the papers matching ``query`` and ``filters``, best first.
        With nothing to match (no query, or only exclusions) the papers passing the filters and
        exclusions are listed, newest first, scored 0."""
        match, exclude = tsquery.split(query)
        where, params = filter_sql(filters)
        if match:
            rows = self._fulltext(
                f"SELECT p.id, ts_rank(%s, p.search, q.q, {RANK_NORMALIZATION}) AS score "
                "FROM papers p, (SELECT %s::tsquery AS q) q "
                f"WHERE p.search @@ q.q{where} ORDER BY score DESC, p.id LIMIT %s OFFSET %s",
                [tsquery.RANK_WEIGHTS, match, *params, limit, offset],
            )
            return [(pid, float(score)) for pid, score in rows]
        if exclude:
            where += " AND NOT (p.search @@ %s::tsquery)"
            params.append(exclude)
        return [
            (pid, 0.0)
            for (pid,) in self._fulltext(
                f"SELECT p.id FROM papers p WHERE true{where} "
                f"ORDER BY {_PUBLISHED} DESC, p.id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
        ]

    def fulltext_count(
        self, query: QueryNode | None, *, filters: SearchFilters | None = None
    ) -> int:
        match, exclude = tsquery.split(query)
        where, params = filter_sql(filters)
        if match:
            where = " AND p.search @@ %s::tsquery" + where
            params.insert(0, match)
        elif exclude:
            where += " AND NOT (p.search @@ %s::tsquery)"
            params.append(exclude)
        return int(self._fulltext(f"SELECT count(*) FROM papers p WHERE true{where}", params)[0][0])

    def fulltext_terms(
        self, query: QueryNode | None, paper_ids: Sequence[str]
    ) -> dict[str, tuple[str, ...]]:
        """For each of ``paper_ids`` that ``query`` matches, the words of the paper it matched
        (title first, then authors, then abstract; lower case, each once)."""
        from papersift.store import codec

        match, _ = tsquery.split(query)
        if not match or not paper_ids:
            return {}
        rows = self._fulltext(
            "SELECT id, title, authors, abstract FROM papers "
            "WHERE id = ANY(%s) AND search @@ %s::tsquery",
            [list(paper_ids), match],
        )
        found = {}
        for pid, title, authors, abstract in rows:
            fields = {
                "title": title,
                "authors": " ".join(codec.loads(authors)),
                "abstract": abstract,
            }
            found[pid] = tsquery.matched_words(query, fields)
        return {pid: found[pid] for pid in paper_ids if pid in found}

    def filter_ids(self, filters: SearchFilters, *, among: Sequence[str] | None = None) -> set[str]:
        where, params = filter_sql(filters)
        if among is None:
            return {
                r[0] for r in self._fulltext(f"SELECT p.id FROM papers p WHERE true{where}", params)
            }
        if not among:
            return set()
        sql = f"SELECT p.id FROM papers p WHERE p.id = ANY(%s){where}"
        return {r[0] for r in self._fulltext(sql, [list(among), *params])}
