"""Search latency, index build time and peak memory: the real 60k corpus and 1M papers.

    .venv/bin/python bench/search.py            # both scales
    .venv/bin/python bench/search.py 60k        # the real corpus (59,771 papers)
    .venv/bin/python bench/search.py 1m         # 1,000,000 papers (the corpus expanded)
    .venv/bin/python bench/search.py 60k --db postgresql://user@host/postgres   # on PostgreSQL

With ``--db`` the store is a new database created on that PostgreSQL server for each run (and
dropped after); the full-text "build" step is then a REINDEX of the GIN index, and with pgvector
the vector index is the server's HNSW index (built as the vectors are stored).

Each scale runs in a child process (its peak RSS is its own) over a fresh store:

- 60k: the 17 monthly corpus files ingested through the facade (full-text index included),
  then the full-text index rebuilt once more on its own, to time it alone.
- 1m: the 60k store expanded with SQL to 1,000,000 papers: each synthetic paper joins the first
  half of one real paper's title and abstract to the second half of another's (real vocabulary
  and lengths; for scale only), then the full-text index rebuilt.

Vectors: embedding 60k abstracts takes ~50 minutes on this machine, so every paper gets a
random unit vector (seeded), labelled "random vectors": search latency does not depend on the
values. Queries are still embedded by the real model, each query new to its cache. The vector
index is papersift's own (``Radar.embeddings().index()``): exact below 100k vectors; at 1M it
searches exactly unless an HNSW graph is built, which for 1M vectors takes longer than this
bench may run (``--ann`` includes it).

Queries: 100 per mode after 5 warm-up ones, 2-4 words taken from real titles (seeded), limit
10; "similar" asks for 100 random papers. p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pgdb import Postgres

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


def child(folder: Path, target: int, ann: bool, server: str | None = None) -> dict[str, Any]:
    """Build the store, time the searches; what was measured."""
    pg = Postgres(server) if server else None
    try:
        return _child(folder, target, ann, pg)
    finally:
        if pg:
            pg.drop()


def _child(folder: Path, target: int, ann: bool, pg: Postgres | None) -> dict[str, Any]:
    import numpy as np

    from papersift.config import Settings
    from papersift.radar import Radar

    out: dict[str, Any] = {"backend": "postgresql" if pg else "sqlite"}

    def clock(name: str, run: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = run()
        out[name] = time.perf_counter() - start
        out[f"{name}_peak_mb"] = _peak_mb()
        return value

    radar = Radar.open(Settings(home=folder, db=pg.url if pg else str(folder / "bench.sqlite3")))
    store: Any = radar.store
    clock("ingest", lambda: list(radar.ingest(radar.inputs([str(p) for p in CORPUS]))))
    real = store.count_papers()
    if pg:
        return _postgres(pg, radar, out, clock, target, real)
    db = store._db
    if target > real:

        def expand() -> None:
            with store.atomic():
                db.execute("CREATE TEMP TABLE base AS SELECT rowid AS r, * FROM papers")
                copies = (target - 1) // real
                db.execute(EXPAND, {"copies": copies, "real": real, "extra": target - real})
                db.execute("DROP TABLE temp.base")

        clock("expand", expand)
    out["papers"] = store.count_papers()
    clock("fts_build", store.fulltext_rebuild)

    embeddings = radar.embeddings()
    model = embeddings.model_id
    ids = [r[0] for r in db.execute("SELECT id FROM papers ORDER BY id")]
    rng = np.random.default_rng(0)

    def put_vectors() -> None:  # random unit vectors under the real model's id
        for start in range(0, len(ids), 20_000):
            chunk = ids[start : start + 20_000]
            vectors = rng.standard_normal((len(chunk), 384), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            rows = [(pid, "random", v.tobytes()) for pid, v in zip(chunk, vectors, strict=True)]
            with store.atomic():
                store.put_embeddings(model, rows)

    clock("vectors_store", put_vectors)
    if ann:
        from papersift.search.indexing import sync_ann

        out["ann"] = clock("ann_build", lambda: sync_ann(store, model))
    clock("vector_index_load", embeddings.index)
    clock("encoder_load", lambda: embeddings.encoder)
    out["db_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    titles = [
        r[0] for r in db.execute("SELECT title FROM papers WHERE rowid <= ? ORDER BY id", (real,))
    ]
    return _queries(radar, out, ids, titles)


def _postgres(
    pg: Postgres, radar: Any, out: dict[str, Any], clock: Any, target: int, real: int
) -> dict[str, Any]:
    """The PostgreSQL run: the same steps as far as they apply (no 1M expansion yet)."""
    import numpy as np

    if target > real:
        raise SystemExit("bench/search.py --db: only the 60k scale runs on PostgreSQL so far")
    store = radar.store
    out["papers"] = store.count_papers()
    clock("fts_build", lambda: pg.execute("REINDEX INDEX papers_search"))
    embeddings = radar.embeddings()
    model = embeddings.model_id
    ids = [r[0] for r in pg.execute("SELECT id FROM papers ORDER BY id")]
    rng = np.random.default_rng(0)

    def put_vectors() -> None:  # random unit vectors under the real model's id
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            vectors = rng.standard_normal((len(chunk), 384), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            rows = [(pid, "random", v.tobytes()) for pid, v in zip(chunk, vectors, strict=True)]
            with store.atomic():
                store.put_embeddings(model, rows)

    clock("vectors_store", put_vectors)
    out["native_vectors"] = store.native_nearest(model)
    if not out["native_vectors"]:
        clock("vector_index_load", embeddings.index)
    clock("encoder_load", lambda: embeddings.encoder)
    out["db_mb"] = pg.execute("SELECT pg_database_size(current_database())")[0][0] / 2**20
    titles = [r[0] for r in pg.execute("SELECT title FROM papers ORDER BY id")]
    return _queries(radar, out, ids, titles)


def _queries(radar: Any, out: dict[str, Any], ids: list[str], titles: list[str]) -> dict[str, Any]:
    from papersift.search.query import STOPWORDS, tokens

    pick = random.Random(7)

    def query() -> str:
        words = [w for w in tokens(pick.choice(titles)) if w not in STOPWORDS and not w.isdigit()]
        size = pick.randint(2, 4)
        start = pick.randint(0, max(0, len(words) - size))
        return " ".join(words[start : start + size]) or "learning"

    queries = [query() for _ in range(105)]
    sample = [ids[pick.randrange(len(ids))] for _ in range(105)]

    def measure(name: str, run: Callable[[str], object], items: list[str]) -> None:
        for item in items[:5]:
            run(item)
        times = []
        for item in items[5:]:
            start = time.perf_counter()
            run(item)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[name] = {
            "p50": statistics.median(times),
            "p95": times[round(len(times) * 0.95) - 1],
            "mean": statistics.fmean(times),
        }

    # the suffixes keep the words but make a new text: each mode embeds its queries afresh
    measure("keyword", lambda q: radar.search(q, mode="keyword"), queries)
    measure("semantic", lambda q: radar.search(q + " .", mode="semantic"), queries)
    measure("hybrid", lambda q: radar.search(q + " ..", mode="hybrid"), queries)
    measure(
        "hybrid, filtered",
        lambda q: radar.search(q + " ...", mode="hybrid", category="cs.CL", since="2026-01"),
        queries,
    )
    measure("similar", lambda pid: radar.similar(pid), sample)
    measure("similar, diversified", lambda pid: radar.similar(pid, diversify=0.7), sample)
    out["peak_mb"] = _peak_mb()
    out["queries"] = queries[:8]
    radar.close()
    return out


def run(scale: str, ann: bool, server: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        args = [__file__, "--child", tmp, str(SCALES[scale]), "--ann" if ann else "--exact"]
        args += [server] if server else []
        done = subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(scale: str, r: dict[str, Any]) -> None:
    backend = r.get("backend", "sqlite")
    if r.get("native_vectors"):
        backend += " + pgvector HNSW"
    print(f"\n{scale} on {backend}: {r['papers']:,} papers, random vectors (384-d), limit 10")
    print(f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for mode in MODES:
        t = r[mode]
        print(f"{mode:<24}{t['p50']:>9.1f}{t['p95']:>9.1f}{t['mean']:>9.1f}")
    print(f"{'build step':<24}{'seconds':>9}{'peak RSS MB':>13}")
    for step in STEPS:
        if step in r:
            print(f"{step:<24}{r[step]:>9.1f}{r[step + '_peak_mb']:>13,.0f}")
    print(f"store on disk: {r['db_mb']:,.0f} MB; peak RSS of the run: {r['peak_mb']:,.0f} MB")
    print("sample queries: " + ", ".join(repr(q) for q in r["queries"]))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        folder, target, how = argv[1:4]
        server = argv[4] if len(argv) > 4 else None
        print(json.dumps(child(Path(folder), int(target), how == "--ann", server)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scales", nargs="*", help="60k and/or 1m (default: both)")
    parser.add_argument("--ann", action="store_true", help="build the HNSW graph (1M: slow)")
    parser.add_argument(
        "--db", metavar="URL", help="a PostgreSQL server (postgresql://…): run on a new database"
    )
    args = parser.parse_args(argv)
    for scale in args.scales or list(SCALES):
        if scale not in SCALES:
            parser.error(f"unknown scale {scale!r}: choose from {', '.join(SCALES)}")
        started = time.perf_counter()
        report(scale, run(scale, args.ann, args.db))
        print(f"({time.perf_counter() - started:.0f} s)")
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
