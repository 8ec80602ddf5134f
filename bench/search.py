"""Search latency, index build time and peak memory: the real 60k corpus and 1M papers.

    .venv/bin/python bench/search.py            # both scales
    .venv/bin/python bench/search.py 60k        # the real corpus (59,771 papers)
    .venv/bin/python bench/search.py 1m         # 1,000,000 papers (the corpus expanded)
    .venv/bin/python bench/search.py 60k --keep /tmp/bench   # keep the store; reuse it next time
    .venv/bin/python bench/search.py 60k --db postgresql://user@host/postgres   # on PostgreSQL

With ``--db`` the store is a new database on that PostgreSQL server (dropped after the run):
the full-text "build" step is a REINDEX of its GIN index, and where the server has pgvector the
vectors are searched by its HNSW index (built as they are stored) instead of papersift's own.

Each scale runs in a child process (its peak RSS is its own) over a fresh store:

- 60k: the 17 monthly corpus files ingested through the facade (full-text index included),
  then the full-text index rebuilt once more on its own, to time it alone.
- 1m: the 60k store expanded with SQL to 1,000,000 papers: each synthetic paper joins the first
  half of one real paper's title and abstract to the second half of another's (real vocabulary
  and lengths; for scale only), then the full-text index rebuilt.

Vectors: embedding 60k abstracts takes ~50 minutes on this machine, so every paper gets a
made-up vector (seeded): real-like by default (mixes of real embeddings, bench/synthetic.py),
or random unit vectors (``--vectors random``, the worst case for a graph). Exact search does not
care; a graph's speed and recall do. Queries are embedded by the real model, each new to its
cache. The vector index is papersift's own (``Radar.embeddings().index()``), as ``papersift
index`` leaves it: from 50,000 vectors an HNSW graph (so at 60k, build time included); at 1M
the graph is built only with ``--ann`` (~15 minutes of both cores), else search is exact. The
last lines give the graph's recall@10 against exact search for the real query vectors.

Queries: 100 per mode after 5 warm-up ones, 2-4 words taken from real titles (seeded), limit
10; "similar" asks for 100 random papers. The modes take turns query by query, after the store
file was read once (a running server's page cache is warm). p50/p95 in milliseconds of wall
time, and the median CPU time of the process per query (all its threads): on a shared machine
the wall time grows with the load average printed; the CPU time much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT.parent / "shared" / "data" / "arxiv-daily-cs-corpus").glob("papers-*.gz"))
SCALES = {"60k": 0, "1m": 1_000_000}
MODES = (
    "keyword",
    "semantic",
    "hybrid",
    "hybrid, filtered",
    "similar",
    "similar, diversified",
)
STEPS = (
    "ingest",
    "expand",
    "fts_build",
    "vectors_store",
    "ann_build",
    "vector_index_load",
    "encoder_load",
)

EXPAND = """
WITH RECURSIVE ks(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM ks WHERE k < :copies)
INSERT INTO papers
SELECT a.id || 's' || ks.k, NULL, NULL,
       substr(a.title, 1, length(a.title) / 2) || substr(b.title, length(b.title) / 2), '',
       substr(a.abstract, 1, length(a.abstract) / 2) || substr(b.abstract, length(b.abstract) / 2),
       '', a.display_name, b.authors, a.categories, a.primary_category, a.submitted, a.updated,
       a.first_listed, a.listed, a.versions, a.links, NULL, NULL, NULL, NULL, '[]',
       a.created_at, a.modified_at
FROM ks JOIN base a JOIN base b ON b.r = (a.r * 7 + ks.k * 7919) % :real + 1
WHERE (ks.k - 1) * :real + a.r <= :extra
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(
    folder: Path, target: int, ann: bool, kind: str, server: str | None = None
) -> dict[str, Any]:
    """Build the store (or reuse the one ``--keep`` left in ``folder``), time the searches;
    what was measured. ``server``: a PostgreSQL server to make a throwaway database on."""
    from pgdb import Postgres

    pg = Postgres(server) if server else None
    try:
        return _child(folder, target, ann, kind, pg)
    finally:
        if pg:
            pg.drop()


def _child(folder: Path, target: int, ann: bool, kind: str, pg: Any) -> dict[str, Any]:
    import numpy as np

    from papersift.config import Settings
    from papersift.radar import Radar
    from papersift.search.indexing import sync_ann, vectors_folder
    from papersift.search.query import STOPWORDS, tokens

    out: dict[str, Any] = {}

    def clock(name: str, run: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = run()
        out[name] = time.perf_counter() - start
        out[f"{name}_peak_mb"] = _peak_mb()
        return value

    radar = Radar.open(Settings(home=folder, db=pg.url if pg else str(folder / "bench.sqlite3")))
    store: Any = radar.store
    embeddings = radar.embeddings()
    model = embeddings.model_id
    if pg:  # PostgreSQL: a new database each run; papers in the order they went in
        out["backend"] = "postgresql"
        clock("ingest", lambda: list(radar.ingest(radar.inputs([str(p) for p in CORPUS]))))
        if target > store.count_papers():
            raise SystemExit("bench/search.py --db: only the 60k scale runs on PostgreSQL so far")
        out["papers"] = store.count_papers()
        clock("fts_build", lambda: pg.execute("REINDEX INDEX papers_search"))
        ids = [
            r[0]
            for r in pg.execute(  # insertion order, as SQLite's rowid: the same vectors, queries
                "SELECT paper_id FROM changes WHERE kind = 'upsert' GROUP BY paper_id "
                "ORDER BY min(seq)"
            )
        ]
        by_id = dict(pg.execute("SELECT id, title FROM papers"))
        titles = [by_id[pid] for pid in ids]
        reuse = False
    else:
        ids, titles, reuse = _sqlite_build(store, radar, target, kind, clock, out)
    rng = np.random.default_rng(0)

    def put_vectors() -> None:  # made-up vectors under the real model's id
        if kind == "real-like":
            from synthetic import real_like

            matrix, _ = real_like(len(ids), rng, queries=1)
        for start in range(0, len(ids), 20_000):
            chunk = ids[start : start + 20_000]
            if kind == "real-like":
                vectors = matrix[start : start + len(chunk)]
            else:
                vectors = rng.standard_normal((len(chunk), 384), dtype=np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            rows = [(pid, kind, v.tobytes()) for pid, v in zip(chunk, vectors, strict=True)]
            with store.atomic():
                store.put_embeddings(model, rows)

    if not reuse:
        shutil.rmtree(vectors_folder(store), ignore_errors=True)
        clock("vectors_store", put_vectors)
    if ann:  # what `papersift index` does from ANN_MIN vectors up
        out["ann"] = clock("ann_build", lambda: sync_ann(store, model))
    else:
        shutil.rmtree(vectors_folder(store), ignore_errors=True)
    out["native"] = store.native_nearest(model)  # pgvector searches: no index in the process
    if not out["native"]:
        clock("vector_index_load", embeddings.index)
    clock("encoder_load", lambda: embeddings.encoder)
    out["db_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    if pg:
        size = pg.execute("SELECT pg_database_size(current_database())")[0][0]
        out["db_mb"] += size / 2**20
    else:
        with open(store.location, "rb") as stream:  # a running server's page cache is warm
            while stream.read(1 << 24):
                pass

    pick = random.Random(7)

    def query() -> str:
        words = [w for w in tokens(pick.choice(titles)) if w not in STOPWORDS and not w.isdigit()]
        size = pick.randint(2, 4)
        start = pick.randint(0, max(0, len(words) - size))
        return " ".join(words[start : start + size]) or "learning"

    queries = [query() for _ in range(105)]
    sample = [ids[pick.randrange(len(ids))] for _ in range(105)]
    # the suffixes keep the words but make a new text: each mode embeds its queries afresh
    runs: dict[str, Callable[[int], object]] = {
        "keyword": lambda i: radar.search(queries[i], mode="keyword"),
        "semantic": lambda i: radar.search(queries[i] + " .", mode="semantic"),
        "hybrid": lambda i: radar.search(queries[i] + " ..", mode="hybrid"),
        "hybrid, filtered": lambda i: radar.search(
            queries[i] + " ...", mode="hybrid", category="cs.CL", since="2026-01"
        ),
        "similar": lambda i: radar.similar(sample[i]),
        "similar, diversified": lambda i: radar.similar(sample[i], diversify=0.7),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    loads = [os.getloadavg()[0]]
    for i in range(len(queries)):  # the modes take turns: none gets a warmer machine
        for name, call in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            call(i)
            if i >= 5:  # the first five warm up
                times[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - start_cpu) * 1000)
    loads.append(os.getloadavg()[0])
    out["load"] = loads
    for name, taken in times.items():
        taken.sort()
        out[name] = {
            "p50": statistics.median(taken),
            "p95": taken[round(len(taken) * 0.95) - 1],
            "mean": statistics.fmean(taken),
            "cpu": statistics.median(cpu[name]),
        }

    # the vector index against exact search, for the real query vectors used above; with a
    # graph, also at other efSearch values (the graph's depth of search)
    from papersift.search import vectors as vector_module

    index = embeddings.index()
    n = len(index)
    matrix = index._matrix[:n]
    asked = [embeddings.encode_query(text + " .") for text in queries[5:]]
    truth = [set(np.argpartition(-(matrix @ v), 10)[:10].tolist()) for v in asked]
    out["graph"] = "pgvector HNSW" if out["native"] else index._ann is not None
    base_ef, large_ef = vector_module.ANN_EF_SEARCH, vector_module.ANN_EF_SEARCH_LARGE
    default_ef = base_ef if n < vector_module.ANN_LARGE else large_ef
    out["ef"] = {}
    nearest = embeddings.search if out["native"] else index.search  # the database's, or ours
    for ef in (64, 128, 256, 512, 1024) if out["graph"] is True else (default_ef,):
        vector_module.ANN_EF_SEARCH = vector_module.ANN_EF_SEARCH_LARGE = ef
        found, taken = 0, []
        for vector, exact in zip(asked, truth, strict=True):
            start = time.perf_counter()
            hits = nearest(vector, 10)
            taken.append((time.perf_counter() - start) * 1000)
            found += len(exact & {index._row[pid] for pid, _ in hits})
        out["ef"][str(ef)] = (found / (10 * len(asked)), statistics.median(taken))
    vector_module.ANN_EF_SEARCH, vector_module.ANN_EF_SEARCH_LARGE = base_ef, large_ef
    out["recall"] = out["ef"][str(default_ef)][0]
    out["default_ef"] = default_ef
    out["peak_mb"] = _peak_mb()
    out["kind"] = kind
    out["queries"] = queries[:8]
    radar.close()
    return out


def _sqlite_build(
    store: Any, radar: Any, target: int, kind: str, clock: Any, out: dict[str, Any]
) -> tuple[list[str], list[str], bool]:
    """Build (or reuse) the SQLite store: ids in rowid order, the real papers' titles, and
    whether it was reused."""
    db = store._db
    model = radar.embeddings().model_id
    built = db.execute(
        "SELECT count(*) FROM embeddings WHERE model = ? AND content_hash = ?", (model, kind)
    ).fetchone()[0]
    reuse = built > 0 and built == store.count_papers()
    if not reuse:
        db.execute("DELETE FROM embeddings")
        clock("ingest", lambda: list(radar.ingest(radar.inputs([str(p) for p in CORPUS]))))
    real = db.execute("SELECT count(*) FROM papers WHERE id NOT GLOB '*s[0-9]*'").fetchone()[0]
    if target > store.count_papers():

        def expand() -> None:
            with store.atomic():
                db.execute("CREATE TEMP TABLE base AS SELECT rowid AS r, * FROM papers")
                copies = (target - 1) // real
                db.execute(EXPAND, {"copies": copies, "real": real, "extra": target - real})
                db.execute("DROP TABLE temp.base")

        clock("expand", expand)
    out["papers"] = store.count_papers()
    if not reuse:
        clock("fts_build", store.fulltext_rebuild)
    ids = [r[0] for r in db.execute("SELECT id FROM papers ORDER BY rowid")]
    titles = [r[0] for r in db.execute("SELECT title FROM papers WHERE rowid <= ?", (real,))]
    return ids, titles, reuse


def run(
    scale: str, ann: bool, kind: str, keep: Path | None, server: str | None = None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep / scale if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        how = "--ann" if ann else "--exact"
        args = [__file__, "--child", str(folder), str(SCALES[scale]), how, kind]
        args += [server] if server else []
        done = subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(scale: str, r: dict[str, Any]) -> None:
    how = r["graph"] if isinstance(r["graph"], str) else "HNSW graph" if r["graph"] else "exact"
    on = r.get("backend", "sqlite")
    print(
        f"\n{scale} on {on}: {r['papers']:,} papers, {r['kind']} vectors (384-d, {how}), limit 10"
    )
    print(f"load average {r['load'][0]:.1f} before the queries, {r['load'][1]:.1f} after")
    print(f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'CPU p50 ms':>12}")
    for mode in MODES:
        t = r[mode]
        print(f"{mode:<24}{t['p50']:>9.1f}{t['p95']:>9.1f}{t['mean']:>9.1f}{t['cpu']:>12.1f}")
    print(f"{'build step':<24}{'seconds':>9}{'peak RSS MB':>13}")
    for step in STEPS:
        if step in r:
            print(f"{step:<24}{r[step]:>9.1f}{r[step + '_peak_mb']:>13,.0f}")
    print("vector search alone (k=10) for the semantic queries: recall@10 against exact, p50")
    for ef, (recall, p50) in r["ef"].items():
        mark = " (default)" if r["graph"] is True and int(ef) == r["default_ef"] else ""
        label = f"efSearch {ef}{mark}" if r["graph"] is True else str(r["graph"] or "exact")
        print(f"  {label:<24}{recall:>9.3f}{p50:>9.2f} ms")
    print(f"store on disk: {r['db_mb']:,.0f} MB; peak RSS of the run: {r['peak_mb']:,.0f} MB")
    print("sample queries: " + ", ".join(repr(q) for q in r["queries"]))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        folder, target, how, kind = argv[1:5]
        server = argv[5] if len(argv) > 5 else None
        print(json.dumps(child(Path(folder), int(target), how == "--ann", kind, server)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scales", nargs="*", help="60k and/or 1m (default: both)")
    parser.add_argument(
        "--ann",
        action="store_true",
        help="build the HNSW graph at 1M too (~15 min of both cores); 60k always has one",
    )
    parser.add_argument(
        "--vectors",
        choices=("real-like", "random"),
        default="real-like",
        help="made-up document vectors: mixes of real embeddings (bench/synthetic.py), or "
        "random unit vectors (the worst case for a graph)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the stores in this folder and keep them; a later run reuses them (the "
        "build steps are then not timed)",
    )
    parser.add_argument(
        "--db", metavar="URL", help="a PostgreSQL server (postgresql://…): run on a new database"
    )
    args = parser.parse_args(argv)
    for scale in args.scales or list(SCALES):
        if scale not in SCALES:
            parser.error(f"unknown scale {scale!r}: choose from {', '.join(SCALES)}")
        started = time.perf_counter()
        report(scale, run(scale, args.ann or scale == "60k", args.vectors, args.keep, args.db))
        print(f"({time.perf_counter() - started:.0f} s)")
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
