"""Relevance of each search method on CSFCube (expert-graded "related paper" judgments).

    .venv/bin/python bench/relevance.py           # the table: NDCG@20 and MAP per facet, overall
    .venv/bin/python bench/relevance.py --sweep   # also: RRF k and weights, BM25 field weights,
                                                  # stemming
    .venv/bin/python bench/relevance.py --db postgresql://user@host/postgres   # on PostgreSQL

Each CSFCube query is a paper; its candidate pool (~250 papers) is graded 0-3 per facet
(background, method, result). Every method ranks the pool given the query paper's title and
abstract as the query text. Papers and queries go into a temporary store through the facade
(generic JSON lines: ``corpus_id``, ``title``, ``abstract``, ``published``); rankings come from
``Radar.search`` (``keyword``, ``semantic``, ``hybrid``) and ``Radar.similar``, at
``limit=10000``, restricted to the pool afterwards (pool papers a method did not return follow
in a fixed order that carries no information: by hash of their id).

Metrics as CSFCube's eval_scripts/ranking_eval.py: NDCG@20 with linear gains (rank_metrics'
``dcg`` method 0, the ideal from the pool's own grades) and average precision with grade >= 2
as relevant; means over the query-facet pairs (13 background, 16 method, 11 result; overall =
all 40).

Baseline: TF-IDF with arxiv-sanity-lite's vectorizer (word 1-2 grams, 20k features, min_df 5,
max_df 0.1, sublinear tf, English stop words, its token pattern, l2 norm) fitted on the 3,763
papers, ranked by cosine.

Embeddings (3,763 papers, ~3-4 minutes) are cached in bench/.cache/ per model id.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from papersift.config import Settings
from papersift.radar import Radar
from papersift.search import hybrid
from papersift.sources.base import Input
from pgdb import Postgres

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "csfcube-faceted-qbe"
CACHE = ROOT / "bench" / ".cache"
FACETS = ("background", "method", "result")
LIMIT = 10_000


# --- data -----------------------------------------------------------------------------------------


def load_papers() -> dict[str, dict[str, str]]:
    papers = {}
    with (DATA / "papers.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            abstract = " ".join(s["text"] for s in row["abstract_sentences"])
            papers[row["paper_id"]] = {
                "title": row["title"],
                "abstract": abstract,
                "year": row["year"],
            }
    return papers


def load_judgments() -> dict[str, dict[str, dict[str, int]]]:
    """facet → query pid → candidate pid → grade."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for facet in FACETS:
        with (DATA / f"test-pid2anns-csfcube-{facet}.json").open(encoding="utf-8") as stream:
            data = json.load(stream)
        out[facet] = {
            q: dict(zip(v["cands"], v["relevance_adju"], strict=True)) for q, v in data.items()
        }
    return out


def build_store(radar: Radar, papers: dict[str, dict[str, str]]) -> dict[str, str]:
    """Ingest the papers through the facade; store id → CSFCube pid."""
    lines = [
        json.dumps(
            {
                "corpus_id": pid,
                "title": p["title"],
                "abstract": p["abstract"],
                "published": p["year"],
            }
        )
        for pid, p in papers.items()
    ]
    data = ("\n".join(lines) + "\n").encode()
    (report,) = radar.ingest([Input.from_bytes("csfcube.jsonl", data)])
    if not report.ok or report.rejected:
        raise SystemExit(f"CSFCube did not go in whole: {report.as_dict()}")
    to_pid: dict[str, str] = {}
    for paper in radar.papers():
        corpus = [v for k, v in paper.external_ids if k == "corpus"]
        for pid in corpus:
            to_pid[paper.id] = pid
    return to_pid


# --- metrics (as CSFCube's rank_metrics) ---------------------------------------------------------


def dcg(grades: Sequence[int], k: int) -> float:
    r = list(grades[:k])
    if not r:
        return 0.0
    return r[0] + sum(g / math.log2(i) for i, g in enumerate(r[1:], start=2))


def ndcg(grades: Sequence[int], k: int = 20) -> float:
    best = dcg(sorted(grades, reverse=True), k)
    return dcg(grades, k) / best if best else 0.0


def average_precision(grades: Sequence[int], threshold: int = 2) -> float:
    hits, precisions = 0, []
    for i, g in enumerate(grades, start=1):
        if g >= threshold:
            hits += 1
            precisions.append(hits / i)
    return sum(precisions) / len(precisions) if precisions else 0.0


def _tiebreak(pid: str) -> str:
    return hashlib.blake2b(pid.encode(), digest_size=8).hexdigest()


def pool_order(ranked: Sequence[str], pool: dict[str, int]) -> list[str]:
    """``ranked`` restricted to the pool, then the pool papers it left out (by id hash)."""
    seen: dict[str, None] = {pid: None for pid in ranked if pid in pool}
    rest = sorted((pid for pid in pool if pid not in seen), key=_tiebreak)
    return [*seen, *rest]


# --- methods --------------------------------------------------------------------------------------

Ranker = Callable[[str], list[str]]  # query pid → ranked pids (any papers; restricted later)


def tfidf_ranker(papers: dict[str, dict[str, str]]) -> Ranker:
    from sklearn.feature_extraction.text import TfidfVectorizer

    pids = list(papers)
    vectorizer = TfidfVectorizer(
        input="content",
        encoding="utf-8",
        decode_error="replace",
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20_000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.1,
        min_df=5,
    )
    texts = [f"{papers[p]['title']} {papers[p]['abstract']}" for p in pids]
    matrix = vectorizer.fit_transform(texts).astype(np.float32)
    row = {pid: i for i, pid in enumerate(pids)}

    def rank(qpid: str) -> list[str]:
        scores = (matrix @ matrix[row[qpid]].T).toarray().ravel()
        order = np.argsort(-scores, kind="stable")
        return [pids[i] for i in order if scores[i] > 0]

    return rank


def vectors(radar: Radar, to_pid: dict[str, str]) -> tuple[str, dict[str, np.ndarray]]:
    """Every paper's embedding (cached in bench/.cache), stored into the store for its model."""
    from papersift.search.embed import content_hash, load_encoder, paper_text

    encoder = load_encoder()
    CACHE.mkdir(parents=True, exist_ok=True)
    safe = hashlib.blake2b(encoder.model_id.encode(), digest_size=6).hexdigest()
    path = CACHE / f"csfcube-vectors-{safe}.npz"
    papers = {p.id: p for p in radar.papers()}
    texts = {sid: paper_text(p.title, p.abstract) for sid, p in papers.items()}
    order = sorted(texts)
    hashes = [content_hash(texts[sid]) for sid in order]
    if path.exists():
        cached = np.load(path)
        if list(cached["hashes"]) == hashes:
            matrix = cached["vectors"]
        else:
            path.unlink()
    if not path.exists():
        start = time.perf_counter()
        print(f"embedding {len(order):,} papers (cached afterwards in {path}) …", file=sys.stderr)
        matrix = encoder.encode([texts[sid] for sid in order])
        print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr)
        np.savez(path, hashes=np.array(hashes), vectors=matrix)
    store = radar.store
    with store.atomic():
        store.put_embeddings(  # type: ignore[attr-defined]
            encoder.model_id,
            [
                (sid, h, matrix[i].astype("<f4").tobytes())
                for i, (sid, h) in enumerate(zip(order, hashes, strict=True))
            ],
        )
    return encoder.model_id, {sid: matrix[i] for i, sid in enumerate(order)}


def require_embeddings(radar: Radar) -> None:
    """The facade's search by meaning must be there (exact cosine below 100k vectors)."""
    if radar._semantic() is None:
        raise SystemExit("the embedding model is not installed (see papersift.search.embed)")
    _, pending = radar.index_status()
    if pending:
        raise SystemExit(f"{pending} papers lack a vector")


# --- evaluation -----------------------------------------------------------------------------------


def evaluate(
    rankings: dict[str, list[str]], judgments: dict[str, dict[str, dict[str, int]]]
) -> dict[str, tuple[float, float]]:
    """facet (and "overall") → (mean NDCG@20, MAP)."""
    out: dict[str, tuple[float, float]] = {}
    every: list[tuple[float, float]] = []
    for facet in FACETS:
        scores = []
        for qpid, pool in judgments[facet].items():
            grades = [pool[pid] for pid in pool_order(rankings[qpid], pool)]
            scores.append((ndcg(grades, 20), average_precision(grades)))
        every.extend(scores)
        out[facet] = (
            sum(s[0] for s in scores) / len(scores),
            sum(s[1] for s in scores) / len(scores),
        )
    out["overall"] = (sum(s[0] for s in every) / len(every), sum(s[1] for s in every) / len(every))
    return out


def print_table(rows: dict[str, dict[str, tuple[float, float]]], title: str) -> None:
    print(f"\n{title}")
    head = "".join(f"{c:>18}" for c in (*FACETS, "overall"))
    print(f"{'method':<28}{head}")
    print(f"{'':<28}" + "".join(f"{'NDCG@20':>10}{'MAP':>8}" for _ in range(4)))
    for name, result in rows.items():
        cells = "".join(f"{result[c][0]:>10.4f}{result[c][1]:>8.4f}" for c in (*FACETS, "overall"))
        print(f"{name:<28}{cells}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="also tune fusion and BM25")
    parser.add_argument(
        "--db", metavar="URL", help="a PostgreSQL server (postgresql://…): run on a new database"
    )
    args = parser.parse_args(argv)
    pg = Postgres(args.db) if args.db else None
    try:
        _main(args, pg)
    finally:
        if pg:
            pg.drop()


def _main(args: argparse.Namespace, pg: Postgres | None) -> None:
    from papersift.search.embed import paper_text

    papers, judgments = load_papers(), load_judgments()
    queries = sorted({q for facet in FACETS for q in judgments[facet]})
    with (
        tempfile.TemporaryDirectory() as tmp,
        Radar.open(
            Settings(home=Path(tmp), db=pg.url if pg else f"{tmp}/csfcube.sqlite3")
        ) as radar,
    ):
        start = time.perf_counter()
        to_pid = build_store(radar, papers)
        to_sid = {pid: sid for sid, pid in to_pid.items()}
        assert len(to_sid) == len(papers), f"{len(papers) - len(to_sid)} papers merged"
        print(
            f"{len(papers):,} papers stored in {time.perf_counter() - start:.1f} s; "
            f"{len(queries)} query papers, 40 query-facet pairs"
        )
        model, _ = vectors(radar, to_pid)
        require_embeddings(radar)
        print(f"embeddings: {model}")
        text = {q: paper_text(papers[q]["title"], papers[q]["abstract"]) for q in queries}

        def run(mode: str, **kw: Any) -> dict[str, list[str]]:
            out = {}
            for q in queries:
                result = radar.search(text[q], mode=mode, limit=LIMIT, **kw)
                out[q] = [to_pid[h.id] for h in result.hits if h.id in to_pid]
            return out

        def timed(name: str, make: Callable[[], dict[str, list[str]]]) -> dict[str, list[str]]:
            start = time.perf_counter()
            ranking = make()
            print(f"  {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
            return ranking

        tfidf = tfidf_ranker(papers)
        rankings = {
            "BM25 (keyword)": timed("keyword", lambda: run("keyword")),
            "dense (semantic)": timed("semantic", lambda: run("semantic")),
            "hybrid (RRF)": timed("hybrid", lambda: run("hybrid")),
            "similar (paper's vector)": timed(
                "similar",
                lambda: {
                    q: [
                        to_pid[h.id]
                        for h in radar.similar(to_sid[q], limit=LIMIT)
                        if h.id in to_pid
                    ]
                    for q in queries
                },
            ),
            "TF-IDF (arxiv-sanity-lite)": timed("tfidf", lambda: {q: tfidf(q) for q in queries}),
        }
        print_table(
            {name: evaluate(r, judgments) for name, r in rankings.items()},
            f"CSFCube, {len(papers):,} papers, query = title + abstract, pool ranked at "
            f"limit {LIMIT:,}",
        )
        if args.sweep and not pg:
            sweep(radar, queries, text, to_pid, judgments, rankings)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


def sweep(
    radar: Radar,
    queries: list[str],
    text: dict[str, str],
    to_pid: dict[str, str],
    judgments: dict[str, dict[str, dict[str, int]]],
    rankings: dict[str, dict[str, list[str]]],
) -> None:
    keyword, dense = rankings["BM25 (keyword)"], rankings["dense (semantic)"]
    rows: dict[str, dict[str, tuple[float, float]]] = {}
    for k in (10, 30, 60, 100):
        for weight in (0.5, 1.0, 1.5, 2.0, 3.0):
            fused = {
                q: [pid for pid, _ in hybrid.fuse([(keyword[q], 1.0), (dense[q], weight)], k)]
                for q in queries
            }
            rows[f"RRF k={k} semantic x{weight}"] = evaluate(fused, judgments)
    print_table(rows, "fusion sweep (keyword weight 1)")

    store: Any = radar.store
    rows = {}
    default = store.fulltext_weights
    for weights in ((1.0, 1.0, 1.0), (2.0, 1.0, 1.0), (4.0, 2.0, 1.0), (8.0, 2.0, 1.0)):
        store.fulltext_weights = weights
        found = {
            q: [
                to_pid[h.id]
                for h in radar.search(text[q], mode="keyword", limit=LIMIT).hits
                if h.id in to_pid
            ]
            for q in queries
        }
        rows[f"BM25 weights {weights}"] = evaluate(found, judgments)
    store.fulltext_weights = default
    print_table(rows, "BM25 field weights (title, authors, abstract)")

    rows = {}
    db = store._db
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").fetchone()[0]
    ours = "unicode61 remove_diacritics 2"
    assert f"'{ours}'" in sql, sql
    for name, tokenizer in (
        ("unicode61 (ours)", ours),
        ("porter stemmer", f"porter {ours}"),
    ):
        variant = sql.replace(f"'{ours}'", f"'{tokenizer}'")
        with store.atomic():
            db.execute("DROP TABLE papers_fts")
            db.execute(variant)
            db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
        for mode in ("keyword", "hybrid"):
            found = {
                q: [
                    to_pid[h.id]
                    for h in radar.search(text[q], mode=mode, limit=LIMIT).hits
                    if h.id in to_pid
                ]
                for q in queries
            }
            rows[f"{mode}, {name}"] = evaluate(found, judgments)
    print_table(rows, "stemming")


if __name__ == "__main__":
    main()
