"""Search through the facade: fusion, pins, filters, pages, explanations, similar papers, and
queries that must never fail."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from papersift.errors import NotFoundError, UsageError
from papersift.model import SearchResult
from papersift.radar import Radar
from papersift.search.hybrid import fuse
from papersift.sources import ids
from tests.conftest import ingest_text
from tests.search.conftest import CORPUS_MONTH

ADVERSARIAL = [
    "",
    " ",
    '"',
    '""',
    "*",
    "**",
    "AND OR",
    "AND",
    "NOT",
    "OR OR OR",
    "NEAR(",
    "NEAR(a b, 3)",
    "(((",
    ")))",
    "-",
    "--",
    "-a -b",
    ":",
    "title:",
    "author:",
    "cat:",
    "year:",
    "year:99999",
    "cat:%",
    "^",
    "{title}: x",
    "a:b:c:d",
    "'; DROP TABLE papers; --",
    "\x00",
    "\u200b",
    "🙂🙃",
    "日本語の論文",
    "Ünïcödé çafé",
    "ﬁne-tuning",
    "x" * 10_000,
    "kv cache " * 1200,
    "(" * 3000 + "cache" + ")" * 3000,
    '"' * 501,
    "rowid:1 papers_fts MATCH bm25",
]


def _corpus_rows(n: int) -> list[dict[str, Any]]:
    with gzip.open(CORPUS_MONTH, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for _, line in zip(range(n), stream, strict=False)]


@pytest.fixture(scope="module")
def known() -> dict[str, Any]:
    """A real paper of the corpus slice (the 5th line of the month file)."""
    return _corpus_rows(5)[4]


def test_fuse_is_reciprocal_rank_fusion() -> None:
    fused = dict(fuse([(["a", "b", "c"], 1.0), (["c", "a"], 2.0)], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 2 / 62)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 2 / 61)
    assert [pid for pid, _ in fuse([(["a", "b", "c"], 1.0), (["c", "a"], 2.0)], k=60)] == [
        "c",
        "a",
        "b",
    ]
    assert fuse([(["b"], 1.0), (["a"], 1.0)], k=60) == [("a", 1 / 61), ("b", 1 / 61)]  # ties by id
    assert fuse([], k=60) == []


@pytest.mark.parametrize(
    "spelling",
    ["{id}", "arXiv:{id}", "{id}v2", "https://arxiv.org/abs/{id}", "arxiv.org/pdf/{id}v1.pdf"],
)
def test_an_arxiv_id_in_any_spelling_is_pinned_first(
    keyword_radar: Radar, known: dict[str, Any], spelling: str
) -> None:
    result = keyword_radar.search(spelling.format(id=known["id"]))
    assert result.hits[0].id == known["id"]
    assert result.hits[0].pinned == "arxiv id"
    assert result.hits[0].mode == "pinned"
    assert "arxiv id" in result.hits[0].why


def test_an_exact_title_is_pinned_first_whatever_its_case(
    keyword_radar: Radar, known: dict[str, Any]
) -> None:
    messy = " " + known["title"].upper().replace(":", " - ") + "  "
    hit = keyword_radar.search(messy).hits[0]
    assert (hit.id, hit.pinned) == (known["id"], "exact title")
    # the words of the title without it being exact: found, not pinned
    hits = keyword_radar.search(" ".join(known["title"].split()[1:]), mode="keyword").hits
    assert hits[0].id == known["id"]
    assert hits[0].pinned is None
    assert hits[0].matched_terms


def test_pins_obey_filters(keyword_radar: Radar, known: dict[str, Any]) -> None:
    other = "math.AG" if "math.AG" not in known["categories"] else "cs.CL"
    result = keyword_radar.search(known["id"], category=other)
    assert all(h.id != known["id"] for h in result.hits)


def test_every_word_first_then_some(keyword_radar: Radar) -> None:
    result = keyword_radar.search("kv cache quantization", mode="keyword", limit=200)
    words = [set(h.matched_terms) for h in result.hits]
    full = [("kv" in w and "cache" in w and any(t.startswith("quantiz") for t in w)) for w in words]
    assert full[0]
    assert False in full
    first_partial = full.index(False)
    assert all(full[:first_partial]) and not any(full[first_partial:])
    assert result.total is not None and result.total >= len(result.hits)


def test_pages_walk_one_ranking(keyword_radar: Radar) -> None:
    whole = keyword_radar.search("language model agents", mode="keyword", limit=45)
    assert len(whole.hits) == 45
    pages = [
        h.id
        for offset in range(0, 45, 9)
        for h in keyword_radar.search(
            "language model agents", mode="keyword", limit=9, offset=offset
        ).hits
    ]
    assert pages == [h.id for h in whole.hits]
    assert len(set(pages)) == 45
    beyond = keyword_radar.search("language model agents", mode="keyword", offset=100_000)
    assert beyond.hits == ()
    assert beyond.total == whole.total


def test_a_limit_of_ten_thousand(keyword_radar: Radar) -> None:
    result = keyword_radar.search("learning", mode="keyword", limit=10_000)
    assert result.total is not None
    assert len(result.hits) == min(result.total, 10_000) > 100
    assert len({h.id for h in result.hits}) == len(result.hits)


def test_filters_hold_for_every_hit(keyword_radar: Radar) -> None:
    result = keyword_radar.search(
        "model", mode="keyword", since="2025-03-20", until="2025-03-25", category="cs.CL", limit=500
    )
    assert result.hits
    for hit in result.hits:
        assert hit.published is not None and "2025-03-20" <= hit.published[:10] <= "2025-03-25"
        assert "cs.CL" in hit.categories
    page = keyword_radar.search("model", mode="keyword", source="hf-page", limit=500)
    assert 0 < len(page.hits) <= 76
    for hit in page.hits:
        assert any(s.source == "hf-page" for s in keyword_radar.get(hit.id).sources)
    assert keyword_radar.search("model", since="2031").hits == ()
    month = keyword_radar.search("model", mode="keyword", since="2025-03", until="2025-03")
    assert month.hits
    assert all((h.published or "").startswith("2025-03") for h in month.hits)


def test_filters_alone_list_the_newest(keyword_radar: Radar) -> None:
    result = keyword_radar.search("cat:cs.RO", mode="keyword", limit=30)
    assert len(result.hits) == 30
    assert all("cs.RO" in h.categories for h in result.hits)
    dates = [h.published or "" for h in result.hits]
    assert dates == sorted(dates, reverse=True)


def test_why_it_matched(keyword_radar: Radar) -> None:
    hit = keyword_radar.search("speculative decoding", mode="keyword").hits[0]
    assert {"speculative", "decoding"} <= set(hit.matched_terms)
    assert hit.why.startswith("matched ")
    assert hit.keyword_rank == 1
    assert hit.keyword_score is not None and hit.keyword_score > 0
    data = hit.as_dict()
    assert data["id"] == hit.id and data["title"] == hit.title and data["why"] == hit.why


@pytest.mark.parametrize("mode", ["keyword", "hybrid", "semantic"])
def test_adversarial_queries_never_raise(keyword_radar: Radar, mode: str) -> None:
    for text in ADVERSARIAL:
        result = keyword_radar.search(text, mode=mode, limit=5)
        assert isinstance(result, SearchResult)
        assert len(result.hits) <= 5


def test_no_embeddings_means_keyword_and_a_note(keyword_radar: Radar) -> None:
    result = keyword_radar.search("diffusion", mode="hybrid")
    assert result.mode == "keyword"
    assert any("keyword" in note for note in result.notes)
    assert result.hits


def test_bad_arguments_are_usage_errors(keyword_radar: Radar) -> None:
    with pytest.raises(UsageError, match="mode"):
        keyword_radar.search("x", mode="fuzzy")
    with pytest.raises(UsageError, match="not a date"):
        keyword_radar.search("x", since="last tuesday")
    with pytest.raises(UsageError):
        keyword_radar.search("x", limit=-1)
    with pytest.raises(UsageError):
        keyword_radar.similar("2503.11731", diversify=2.0)
    with pytest.raises(NotFoundError):
        keyword_radar.similar("9999.99999")


# --- similar without embeddings: the paper's own words ----------------------------------------


def test_similar_by_words_excludes_the_paper_and_its_copies(radar: Radar) -> None:
    rows = _corpus_rows(300)
    lines = [
        json.dumps({k: r[k] for k in ("id", "title", "summary", "authors", "categories")})
        for r in rows
    ]
    assert ingest_text(radar, "slice.jsonl", "\n".join(lines)).new == 300
    target = rows[0]
    # a copy no source tied to it: same title, another arXiv id
    copy = {"id": "2599.99999", "title": target["title"], "summary": target["summary"][::-1]}
    assert ingest_text(radar, "copy.jsonl", json.dumps(copy)).new == 1
    hits = radar.similar(f"arXiv:{target['id']}v1", limit=20)
    assert len(hits) == 20
    found = [h.id for h in hits]
    assert target["id"] not in found
    assert "2599.99999" not in found
    assert all(h.mode == "keyword" and h.matched_terms for h in hits)
    assert hits[0].why.startswith("matched ")
    key = ids.text_key(target["title"])
    assert all(ids.text_key(h.title) != key for h in hits)
    assert radar.similar(target["id"], limit=0) == []


# --- with embeddings: 86 real seed papers (Engineer E's fixture) -----------------------------


def _titled(radar: Radar) -> list[Any]:
    return [p for p in radar.papers() if p.title and len(p.title.split()) > 3]


def test_meaning_finds_papers_by_their_title_words(embedded_radar: Radar) -> None:
    """A paper's title without its first word, searched by meaning: the paper comes first."""
    papers = _titled(embedded_radar)
    assert len(papers) > 60
    first = {"semantic": 0, "hybrid": 0}
    for paper in papers:
        query = " ".join(paper.title.split()[1:])
        for mode in first:
            result = embedded_radar.search(query, mode=mode, limit=3)
            assert result.mode == mode and not result.partial
            first[mode] += result.hits[0].id == paper.id
    assert first["semantic"] >= 0.85 * len(papers), first
    assert first["hybrid"] >= 0.95 * len(papers), first


def test_hybrid_explains_both_sides(embedded_radar: Radar) -> None:
    result = embedded_radar.search("multi-image instruction tuning", mode="hybrid", limit=20)
    assert result.mode == "hybrid"
    top = result.hits[0]
    assert top.matched_terms and top.semantic_score is not None
    assert "matched" in top.why and "semantic" in top.why
    assert all(h.semantic_score is not None for h in result.hits)  # the list is read to 300
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    semantic = embedded_radar.search("multi-image instruction tuning", mode="semantic", limit=20)
    cosines = [h.semantic_score for h in semantic.hits]
    assert cosines == sorted(cosines, reverse=True)  # type: ignore[type-var]
    assert all(h.score == h.semantic_score for h in semantic.hits)


def test_meaning_finds_what_no_word_matches(embedded_radar: Radar) -> None:
    text = "multimodl languag modls wth imagez"  # misspelt: no word is in any paper
    assert embedded_radar.search(text, mode="keyword").hits == ()
    result = embedded_radar.search(text, mode="hybrid", limit=5)
    assert len(result.hits) == 5
    assert all(h.matched_terms == () and h.semantic_score is not None for h in result.hits)


def test_precise_queries_only_reorder_keyword_matches(embedded_radar: Radar) -> None:
    words = embedded_radar.search("diffusion -video", mode="keyword", limit=100)
    hybrid = embedded_radar.search("diffusion -video", mode="hybrid", limit=100)
    assert hybrid.mode == "hybrid"
    assert {h.id for h in hybrid.hits} == {h.id for h in words.hits}
    semantic = embedded_radar.search("diffusion -video", mode="semantic", limit=100)
    assert semantic.hits
    for hit in semantic.hits:  # exclusions hold by meaning too
        assert "video" not in embedded_radar.get(hit.id).abstract.lower().split()


def test_filters_restrict_search_by_meaning(embedded_radar: Radar) -> None:
    result = embedded_radar.search("language models", mode="semantic", source="abstracts", limit=50)
    assert 0 < len(result.hits) <= 10  # the abstract-only list has 10 papers
    assert result.total == 10
    for hit in result.hits:
        assert any(s.source == "abstracts" for s in embedded_radar.get(hit.id).sources)
    assert embedded_radar.search("language models", mode="hybrid", since="2031").hits == ()


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_adversarial_queries_never_raise_with_the_model(embedded_radar: Radar, mode: str) -> None:
    """The same strings through the real encoder and the vector index: a result or an empty
    list, and whatever has words to embed is searched by meaning."""
    for text in ADVERSARIAL:
        result = embedded_radar.search(text, mode=mode, limit=5)
        assert isinstance(result, SearchResult)
        assert len(result.hits) <= 5
        assert not result.partial
        if any(ch.isalpha() for ch in text) and result.mode == mode:
            assert result.hits, text[:40]
    long_text = embedded_radar.search("kv cache " * 1200, mode=mode, limit=5)
    assert long_text.mode == mode and len(long_text.hits) == 5


def test_a_limit_of_ten_thousand_ranks_the_whole_pool(embedded_radar: Radar) -> None:
    """Evaluation tools rank whole pools: every embedded paper comes back, once, in order."""
    for mode in ("hybrid", "semantic"):
        result = embedded_radar.search("language models", mode=mode, limit=10_000)
        found = [h.id for h in result.hits]
        assert len(found) == len(set(found)) == 86, mode
        scores = [h.score for h in result.hits]
        assert scores == sorted(scores, reverse=True)
    similar = embedded_radar.similar(result.hits[0].id, limit=10_000)
    assert len(similar) == 85


def test_known_items_come_first_in_the_default_mode(embedded_radar: Radar) -> None:
    """A paper's exact title (any case) finds it first in hybrid search, pinned (titles cut
    short: test_meaning_finds_papers_by_their_title_words)."""
    for paper in _titled(embedded_radar):
        hit = embedded_radar.search(paper.title.upper(), limit=1).hits[0]
        assert hit.id == paper.id and hit.pinned == "exact title"


def test_hybrid_pages_walk_one_ranking(embedded_radar: Radar) -> None:
    whole = [h.id for h in embedded_radar.search("efficient training", limit=40).hits]
    assert len(whole) == 40
    pages = [
        h.id
        for offset in range(0, 40, 8)
        for h in embedded_radar.search("efficient training", limit=8, offset=offset).hits
    ]
    assert pages == whole


def test_pending_papers_are_found_by_words_and_said_to_be_pending(
    tmp_path: Any, embedded_vectors: Any
) -> None:
    from tests.conftest import Cli, ingest
    from tests.search.conftest import SEEDS, embedded_copy

    with embedded_copy(tmp_path, embedded_vectors) as radar:
        ingest(radar, SEEDS / "digest-title-pdf-summary.txt")  # 50 more, not embedded
        digest = next(
            p for p in radar.papers() if any(s.source == "digest" for s in p.sources) and p.title
        )
        result = radar.search(" ".join(digest.title.split()[1:]))
        assert result.mode == "hybrid"
        assert result.partial and result.pending == 50
        assert any("50 papers are not embedded" in n for n in result.notes)
        assert result.hits[0].id == digest.id  # by its words
        assert result.hits[0].semantic_score is None
        cli = Cli(tmp_path / "store.sqlite3", tmp_path)
        shown = cli("search", "retrieval augmented generation", "--json")
        assert shown.exit_code == 0
        data = json.loads(shown.stdout)
        assert data["partial"] is True and data["pending"] == 50
        assert "not embedded yet" in shown.stderr
        assert "not embedded yet" in cli("search", "retrieval").stderr
        radar.index()
        again = radar.search("retrieval augmented generation")
        assert not again.partial and again.pending == 0 and again.notes == ()


def test_similar_by_meaning_excludes_the_paper_and_its_copies(
    tmp_path: Any, embedded_vectors: Any
) -> None:
    from tests.search.conftest import embedded_copy

    with embedded_copy(tmp_path, embedded_vectors) as radar:
        target = _titled(radar)[0]
        # the target gets a DOI; a record with the same title and another DOI cannot be it:
        # a copy that stays a paper of its own (a duplicate no source could tie together)
        same = {"doi": "10.1234/original", "title": target.title, "summary": target.abstract}
        assert ingest_text(radar, "doi.jsonl", json.dumps(same)).updated == 1
        copy = {"doi": "10.1234/copy", "title": target.title, "summary": target.abstract[:400]}
        assert ingest_text(radar, "copy.jsonl", json.dumps(copy)).new == 1
        copy_id = radar.get("10.1234/copy").id
        assert copy_id != target.id
        assert radar.index().embedded == 1  # the copy: nearly the same vector
        assert radar.store.count_papers() == 87
        hits = radar.similar(target.id, limit=100)
        found = [h.id for h in hits]
        assert len(found) == 87 - 2  # every paper but itself and its copy
        assert target.id not in found and copy_id not in found
        assert all(h.mode == "semantic" and h.semantic_score is not None for h in hits)
        cosines = [h.score for h in hits]
        assert cosines == sorted(cosines, reverse=True)
        # the copy's own neighbours do not include the original either
        assert target.id not in [h.id for h in radar.similar(copy_id, limit=10)]


def test_diversified_neighbours_are_more_varied(embedded_radar: Radar) -> None:
    import numpy as np

    semantic = embedded_radar.embeddings()

    def spread(hits: list[Any]) -> float:
        vectors = np.stack([semantic.vector_of(h.id) for h in hits])
        sims = vectors @ vectors.T
        return float(sims[np.triu_indices(len(hits), 1)].mean())

    for paper in _titled(embedded_radar)[:5]:
        plain = embedded_radar.similar(paper.id, limit=8)
        varied = embedded_radar.similar(paper.id, limit=8, diversify=0.3)
        assert len(varied) == 8 and paper.id not in [h.id for h in varied]
        assert varied[0].id == plain[0].id  # the nearest is always taken first
        assert spread(varied) <= spread(plain) + 1e-6
        assert embedded_radar.similar(paper.id, limit=8, diversify=1.0) == plain


# --- CSFCube: expert grades of "related papers" ----------------------------------------------

CSFCUBE = CORPUS_MONTH.parents[1] / "csfcube-faceted-qbe"
FACETS = ("background", "method", "result")
PER_GRADE = 8  # candidates kept per query and grade group (the model runs ~20 abstracts/s)


def _blake(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@pytest.fixture(scope="module")
def csfcube(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Per facet, the query with the most candidates graded >= 2; of its pool, up to 8
    candidates graded >= 2 and 8 graded 0 (chosen by id hash): all in one store, embedded."""
    from papersift.config import Settings

    papers = {}
    with (CSFCUBE / "papers.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            papers[row["paper_id"]] = row
    cases = []
    for facet in FACETS:
        with (CSFCUBE / f"test-pid2anns-csfcube-{facet}.json").open(encoding="utf-8") as stream:
            judged = json.load(stream)
        pools = {
            q: dict(zip(v["cands"], v["relevance_adju"], strict=True)) for q, v in judged.items()
        }
        query = max(sorted(pools), key=lambda q: sum(g >= 2 for g in pools[q].values()))
        pool = pools[query]
        good = sorted((c for c, g in pool.items() if g >= 2), key=_blake)[:PER_GRADE]
        bad = sorted((c for c, g in pool.items() if g == 0), key=_blake)[:PER_GRADE]
        cases.append((facet, query, good, bad))
    wanted = {pid for _, q, good, bad in cases for pid in (q, *good, *bad)}
    lines = [
        json.dumps(
            {
                "corpus_id": pid,
                "title": papers[pid]["title"],
                "abstract": " ".join(s["text"] for s in papers[pid]["abstract_sentences"]),
            }
        )
        for pid in sorted(wanted)
    ]
    home = tmp_path_factory.mktemp("csfcube")
    radar = Radar.open(Settings(home=home, db=str(home / "store.sqlite3")))
    assert ingest_text(radar, "csfcube.jsonl", "\n".join(lines)).new == len(wanted)
    assert radar.index().embedded == len(wanted)
    store_id = {
        value: paper.id
        for paper in radar.papers()
        for kind, value in paper.external_ids
        if kind == "corpus"
    }
    yield radar, store_id, papers, cases
    radar.close()


def _ordered_pairs(ranking: list[str], good: list[str], bad: list[str]) -> float:
    """The share of (graded >= 2, graded 0) pairs the ranking puts in that order (papers it
    did not return count as ranked last)."""
    at = {pid: i for i, pid in enumerate(ranking)}
    last = len(ranking)
    pairs = [(at.get(g, last), at.get(b, last)) for g in good for b in bad]
    return sum(g < b for g, b in pairs) / len(pairs)


def test_similar_and_hybrid_rank_related_papers_above_unrelated_ones(csfcube: Any) -> None:
    radar, store_id, papers, cases = csfcube
    to_pid = {sid: pid for pid, sid in store_id.items()}
    for facet, query, good, bad in cases:
        assert len(good) >= 8 and len(bad) >= 8, facet
        similar = [to_pid[h.id] for h in radar.similar(store_id[query], limit=100)]
        assert store_id[query] not in similar
        row = papers[query]
        text = row["title"] + ". " + " ".join(s["text"] for s in row["abstract_sentences"])
        hybrid = [
            to_pid[h.id] for h in radar.search(text, limit=100).hits if h.id != store_id[query]
        ]
        assert _ordered_pairs(similar, good, bad) > 0.5, (facet, query, "similar")
        assert _ordered_pairs(similar[::-1], good, bad) < 0.5  # the measure can fail
        assert _ordered_pairs(hybrid, good, bad) > 0.5, (facet, query, "hybrid")
