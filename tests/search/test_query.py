"""The query parser: any string is a valid query; what it means; and FTS5 never sees bad syntax."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papersift.model import QueryAnd, QueryNot, QueryOr, SearchFilters, TextMatch
from papersift.search.query import (
    MAX_CHARS,
    MAX_TERMS,
    parse,
    parse_day,
    positive_leaves,
    relaxations,
    relaxed,
    words_query,
)
from papersift.store.fts5 import split
from papersift.store.sqlite import SqliteStore


def w(*tokens: str, prefix: bool = False, field: str | None = None) -> TextMatch:
    return TextMatch(tokens, prefix, field)


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("kv cache", QueryAnd((w("kv"), w("cache")))),
        ('"kv cache"', w("kv", "cache")),
        ("“kv cache”", w("kv", "cache")),  # typographic quotes
        ('"unclosed phrase', w("unclosed", "phrase")),
        ("GPT-4", w("gpt", "4")),  # split as the index splits it
        ("ＧＰＴ", w("gpt")),  # full-width letters
        ("Café", w("café")),
        ("trans*", w("trans", prefix=True)),
        ("a*", w("a")),  # a one-letter prefix would scan the whole vocabulary
        ("x OR y", QueryOr((w("x"), w("y")))),
        ("x AND y", QueryAnd((w("x"), w("y")), implicit=False)),
        ("x -y", QueryAnd((w("x"), QueryNot(w("y"))))),
        ("x NOT y", QueryAnd((w("x"), QueryNot(w("y"))))),
        ("a b OR c", QueryOr((QueryAnd((w("a"), w("b"))), w("c")))),
        ("a (b OR c)", QueryAnd((w("a"), QueryOr((w("b"), w("c")))))),
        ("NOT NOT a", w("a")),
        ("--a", w("a")),
        ("author:vaswani", w("vaswani", field="authors")),
        ('ti:"attention is"', w("attention", "is", field="title")),
        ("title:(a b)", QueryAnd((w("a", field="title"), w("b", field="title")))),
        ("abs:x", w("x", field="abstract")),
        ("foo:bar", w("foo", "bar")),  # not a field: words
        ("arXiv:2503.11731", w("arxiv", "2503", "11731")),
        ("(((a", w("a")),
        ("a)))", w("a")),
        ("NEAR(a b", QueryAnd((w("near"), w("a"), w("b")))),
        ("x OR", w("x")),
        ("AND x", w("x")),
        ("a a a", w("a")),
    ],
)
def test_what_a_query_means(text: str, root: object) -> None:
    assert parse(text).root == root


@pytest.mark.parametrize(
    "text", ["", "   ", '"', '""', "***", "🙂", "AND OR NOT", "(", ")", "-", "::::", "()", "NOT"]
)
def test_queries_with_nothing_to_find_are_empty(text: str) -> None:
    query = parse(text)
    assert query.root is None
    assert query.empty
    assert query.terms == ()
    assert query.semantic_text == ""


def test_filters_written_in_the_query() -> None:
    query = parse("cat:cs.CL -cat:cs.CV year:2024-2025 llm")
    assert query.root == w("llm")
    assert query.categories == ("cs.CL",)
    assert query.exclude_categories == ("cs.CV",)
    assert (query.since, query.until) == ("2024-01-01", "2025-12-31")
    assert parse("cat:(cs.CL OR cs.AI) x").categories == ("cs.CL", "cs.AI")
    assert parse("x OR cat:cs.LG").categories == ("cs.LG",)  # filters hold wherever written


@pytest.mark.parametrize(
    ("value", "since", "until"),
    [
        ("2024", "2024-01-01", "2024-12-31"),
        ("2023-2025", "2023-01-01", "2025-12-31"),
        ("2023..2025", "2023-01-01", "2025-12-31"),
        (">=2024", "2024-01-01", None),
        (">2024", "2025-01-01", None),
        ("<2020", None, "2019-12-31"),
        ("<=2020", None, "2020-12-31"),
        ("2022-", "2022-01-01", None),
    ],
)
def test_year_filters(value: str, since: str | None, until: str | None) -> None:
    query = parse(f"year:{value} x")
    assert (query.since, query.until) == (since, until)
    assert query.notes == ()


def test_bad_filters_are_ignored_with_a_note() -> None:
    query = parse("year:abc cat:%%% x")
    assert query.root == w("x")
    assert (query.since, query.until, query.categories) == (None, None, ())
    assert any("year:abc" in n for n in query.notes)
    assert any("cat:%%%" in n for n in query.notes)


def test_query_filters_narrow_the_flags() -> None:
    query = parse("cat:cs.CL year:2025 x")
    flags = SearchFilters(since="2025-06-01", until="2026-12-31", categories=("cs",))
    narrowed = query.filters(flags)
    assert narrowed.since == "2025-06-01"
    assert narrowed.until == "2025-12-31"
    assert narrowed.categories == ("cs.CL",)
    disjoint = parse("cat:math.AG x").filters(SearchFilters(categories=("cs.CL",)))
    assert disjoint.categories and all(c not in ("cs.CL", "math.AG") for c in disjoint.categories)


def test_limits_on_size_and_nesting() -> None:
    huge = parse("word " * 5000)
    assert huge.root == w("word")
    assert any(f"{MAX_CHARS:,}" in n for n in huge.notes)
    many = parse(" ".join(f"w{i}" for i in range(1000)))
    assert len(positive_leaves(many.root)) == MAX_TERMS
    deep = parse("(" * 5000 + "a OR b" + ")" * 5000)
    assert deep.root == QueryOr((w("a"), w("b")))
    assert parse("x" * 10_000).root is not None


def test_relaxed_form_of_plain_words() -> None:
    assert relaxed(parse("the kv cache").root) == QueryOr((w("kv"), w("cache")))
    assert relaxed(parse("kv cache -survey").root) == QueryAnd(
        (QueryOr((w("kv"), w("cache"))), QueryNot(w("survey"))), implicit=False
    )
    assert relaxed(parse("kv AND cache").root) is None  # typed AND means AND
    a, b, c = w("a1"), w("b2"), w("c3")
    assert relaxations(parse("a1 b2 c3 -d4").root) == [
        QueryAnd(
            (
                QueryOr(
                    (
                        QueryAnd((b, c), implicit=False),
                        QueryAnd((a, c), implicit=False),
                        QueryAnd((a, b), implicit=False),
                    )
                ),
                QueryNot(w("d4")),
            ),
            implicit=False,
        ),
        QueryAnd((QueryOr((a, b, c)), QueryNot(w("d4"))), implicit=False),
    ]
    assert len(relaxations(parse(" ".join(f"w{i}" for i in range(9))).root)) == 1  # OR only
    assert relaxed(parse("kv").root) is None
    assert relaxed(parse("the of").root) == QueryOr((w("the"), w("of")))  # only stop words


def test_semantic_text_and_plainness() -> None:
    plain = parse("Methods that shrink the KV-cache (memory)")
    assert plain.plain
    assert plain.semantic_text == "Methods that shrink the KV-cache (memory)"
    precise = parse('author:vaswani "attention is" -rnn')
    assert not precise.plain
    assert precise.semantic_text == "attention is"
    assert parse("cat:cs.CL kv cache").semantic_text == "kv cache"
    assert parse('"kv cache" trans*').plain  # phrases and prefixes are still plain words


def test_words_query_ignores_syntax() -> None:
    node = words_query('The (Transformer): "attention" -NAND- OR the attention')
    assert node == QueryOr((w("transformer"), w("attention"), w("nand")))
    assert words_query("the of a") is None


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (w("kv", "cache"), ('"kv cache"', None)),
        (w("tra", prefix=True, field="title"), ('title : "tra"*', None)),
        (QueryAnd((w("a"), QueryNot(w("b")))), ('("a") NOT ("b")', None)),
        (QueryNot(w("b")), (None, '"b"')),
        (QueryAnd((QueryNot(w("b")), QueryNot(w("c")))), (None, '("b") OR ("c")')),
        (QueryOr((w("a"), QueryNot(w("b")))), ('"a"', None)),
        (QueryOr((w("a"), w("b"))), ('("a") OR ("b")', None)),
    ],
)
def test_fts5_rendering(node: object, expected: tuple[str | None, str | None]) -> None:
    assert split(node) == expected  # type: ignore[arg-type]


def test_dates() -> None:
    assert parse_day("2025") == "2025-01-01"
    assert parse_day("2025", end=True) == "2025-12-31"
    assert parse_day("2024-02", end=True) == "2024-02-29"
    assert parse_day("2025-12", end=True) == "2025-12-31"
    assert parse_day(" 2025-03-07 ") == "2025-03-07"
    for bad in ("2025-13", "yesterday", "", "2025-02-30", "25"):
        with pytest.raises(ValueError, match="not a date"):
            parse_day(bad)


# --- no string ever reaches FTS5 as bad syntax ----------------------------------------------------

PIECES = [
    '"',
    "*",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR/3",
    "-",
    "+",
    ":",
    "^",
    "{",
    "}",
    "title:",
    "author:",
    "abs:",
    "cat:",
    "year:",
    "cat:cs.CL",
    "year:2025",
    "-cat:cs.CV",
    "kv",
    "cache",
    "transformer*",
    "rowid",
    "papers_fts",
    "bm25",
    "'",
    ";",
    "\\",
    "%",
    "_",
    "\x00",
    "\u200b",
    "\ufeff",
    "\u0301",
    "🙂",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "日本語",
    "∑",
    "\n",
    "\t",
]

queries = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
        max_size=40,
    ).map(lambda parts: " ".join(parts)),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    from papersift.radar import Radar
    from tests.conftest import ingest_text

    path: Path = tmp_path_factory.mktemp("query") / "store.sqlite3"
    store = SqliteStore(path)
    radar = Radar(store)
    lines = [
        '{"id": "2503.00001", "title": "KV cache compression for transformers", '
        '"abstract": "We shrink the key-value cache. Café NEAR AND OR.", '
        '"authors": ["Ada Lovelace"], "categories": ["cs.CL"], "published": "2025-03-01"}',
        '{"id": "2503.00002", "title": "Graph networks", "abstract": "Nodes and edges (NOT '
        'trees).", "authors": ["Alan Turing"], "categories": ["cs.LG"]}',
    ]
    assert ingest_text(radar, "two.jsonl", "\n".join(lines)).new == 2
    yield store
    store.close()


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=queries)
def test_no_string_makes_the_store_raise(store: SqliteStore, text: str) -> None:
    query = parse(text)
    filters = query.filters()
    for node in (query.root, *relaxations(query.root)):
        found = store.fulltext_search(node, filters=filters, limit=5)
        assert store.fulltext_count(node, filters=filters) >= len(found)
        store.fulltext_terms(node, [pid for pid, _ in found])
    assert isinstance(query.semantic_text, str)


def test_the_store_finds_what_the_parser_means(store: SqliteStore) -> None:
    def ids(text: str) -> list[str]:
        query = parse(text)
        return [pid for pid, _ in store.fulltext_search(query.root, filters=query.filters())]

    assert ids("kv cache") == ["2503.00001"]
    assert ids('"key value cache"') == ["2503.00001"]  # the hyphen splits words in the text too
    assert ids("cafe") == ["2503.00001"]  # accents folded
    assert ids("transform*") == ["2503.00001"]
    assert ids("author:turing") == ["2503.00002"]
    assert ids("title:edges") == []
    assert ids("graph OR cache") == ["2503.00001", "2503.00002"] or ids("graph OR cache") == [
        "2503.00002",
        "2503.00001",
    ]
    assert ids("-graph") == ["2503.00001"]  # only an exclusion: a listing without it
    assert ids("cat:cs.LG") == ["2503.00002"]
    assert ids("NEAR AND OR") == ["2503.00001"]  # upper-case words in the text are findable
    assert ids('"NEAR"') == ["2503.00001"]


def test_a_pasted_abstract_is_searched_by_example() -> None:
    abstract = (
        'We study NOT gates and AND-OR graphs (a -based survey): the title: "quoted" words '
        + "and more words " * 15
        + "transformers."
    )
    query = parse(abstract)
    assert isinstance(query.root, QueryOr)  # any of its words
    leaves = positive_leaves(query.root)
    assert w("gates") in leaves and w("graphs") in leaves and w("title") in leaves
    assert all(leaf.field is None and len(leaf.tokens) == 1 for leaf in leaves)
    assert w("and") not in leaves and w("not") not in leaves  # stop words left out
    assert query.plain
    assert query.semantic_text == " ".join(abstract.split())
    assert relaxed(query.root) is None  # already as loose as it gets
