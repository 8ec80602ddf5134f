"""Topic threads: build time at corpus scale, and how coherent the threads are.

    .venv/bin/python bench/topics.py build [--real 500] [--keep PATH]  # 60k: build, join, reads
    .venv/bin/python bench/topics.py coherence  # CSFCube: do related papers share a thread?

``build``: the real 59,771-paper corpus (../shared/data/arxiv-daily-cs-corpus) goes into a
temporary store (ingest is not timed here: bench/ingest.py). Embedding 60k papers takes ~50 min
on this machine, so ``--real`` papers spread over the corpus are embedded with the real model
(cached in bench/.cache/) and every other paper gets a synthetic vector: a random mix of two real
slice vectors plus noise, normalized - the neighbourhood shape of real embeddings, at full size.
Texts and dates are the papers' own, so labelling and size-over-time run on real text. Then it
times ``Radar.build_topics(full=True)`` (with its stages), an incremental join of 1,000
re-embedded papers, and the reads the pages make (threads, one thread, trending, map points).

``coherence``: CSFCube's 3,763 papers (real MiniLM vectors, cached by bench/relevance.py's
helper), clustered by the same build. For every query paper and graded candidate: is the
candidate in the query's thread? Reported per grade (3 near-identical ... 0 not relevant) with
the chance rate (the probability two random papers share a thread), for a few thread counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from papersift.config import Settings
from papersift.radar import Radar

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = sorted((DATA / "arxiv-daily-cs-corpus").glob("papers-*.jsonl.gz"))
CACHE = ROOT / "bench" / ".cache"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, call: object, rows: list[tuple[str, str]]) -> object:
    start = time.perf_counter()
    value = call()  # type: ignore[operator]
    rows.append((label, f"{time.perf_counter() - start:.2f}"))
    return value


def real_slice(radar: Radar, count: int) -> tuple[list[str], np.ndarray]:
    """``count`` papers spread over the store, embedded by the real model (cached)."""
    from papersift.search.embed import content_hash, load_encoder, paper_text

    encoder = load_encoder()
    ids = sorted(p.id for p in radar.papers())
    step = max(1, len(ids) // count)
    chosen = ids[::step][:count]
    papers = {p.id: p for p in radar.store.get_many(chosen)}
    texts = [paper_text(papers[i].title, papers[i].abstract) for i in chosen]
    key = hashlib.blake2b(
        (encoder.model_id + "".join(content_hash(t) for t in texts)).encode(), digest_size=8
    ).hexdigest()
    path = CACHE / f"topics-slice-{key}.npz"
    if path.exists():
        with np.load(path) as saved:
            return chosen, saved["vectors"]
    print(f"embedding {len(chosen)} real papers (cached in {path}) …", file=sys.stderr)
    start = time.perf_counter()
    vectors = encoder.encode(texts)
    print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, vectors=vectors)
    return chosen, vectors


def build(real: int, keep: str | None) -> None:
    from papersift.search.embed import content_hash, paper_text

    rows: list[tuple[str, str]] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        Radar.open(Settings(home=Path(tmp), db=keep or f"{tmp}/corpus.sqlite3")) as radar,
    ):
        start = time.perf_counter()
        list(radar.ingest(radar.inputs(map(str, CORPUS))))
        papers = radar.store.count_papers()
        print(f"ingested {papers:,} papers in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        slice_ids, slice_vectors = real_slice(radar, real)
        model = radar.embeddings().model_id
        rng = np.random.default_rng(0)
        real_of = dict(zip(slice_ids, slice_vectors, strict=True))
        start = time.perf_counter()
        batch: list[tuple[str, str, bytes]] = []

        def flush() -> None:
            with radar.store.atomic():
                radar.store.put_embeddings(model, batch)
            batch.clear()

        for paper in radar.papers():
            vector = real_of.get(paper.id)
            if vector is None:
                a, b = rng.integers(0, len(slice_vectors), 2)
                vector = slice_vectors[a] + rng.uniform(0.2, 0.6) * slice_vectors[b]
                vector = vector + rng.normal(0, 0.02, vector.shape)
                vector = vector / np.linalg.norm(vector)
            text_hash = content_hash(paper_text(paper.title, paper.abstract))
            batch.append((paper.id, text_hash, np.asarray(vector, "<f4").tobytes()))
            if len(batch) == 5000:
                flush()
        flush()
        print(f"vectors stored in {time.perf_counter() - start:.0f} s", file=sys.stderr)

        report = _timed("build_topics(full=True)", lambda: radar.build_topics(full=True), rows)
        for name, seconds in report.stages:  # type: ignore[attr-defined]
            rows.append((f"  stage: {name}", f"{seconds:.2f}"))
        rss = _rss_mb()
        # 1,000 papers re-embedded (as if their text changed): they join again
        some = [p.id for _, p in zip(range(1000), radar.papers(), strict=False)]
        again = [
            (pid, "bench-" + pid, slice_vectors[i % len(slice_vectors)].astype("<f4").tobytes())
            for i, pid in enumerate(some)
        ]
        with radar.store.atomic():
            radar.store.put_embeddings(model, again)
        joined = _timed("build_topics() joining 1,000", lambda: radar.build_topics(), rows)
        listed = _timed("topics()", radar.topics, rows)
        top = listed[0]  # type: ignore[index]
        _timed("topic(largest, limit 200)", lambda: radar.topic(top.id), rows)
        _timed("trending_topics()", radar.trending_topics, rows)
        points = _timed("map_points()", radar.map_points, rows)
        payload = _timed(
            "map_points() as JSON",
            lambda: json.dumps(points.as_dict()).encode(),
            rows,  # type: ignore[attr-defined]
        )
        print(f"\n## 60k build ({papers:,} papers; {real} real vectors, the rest synthetic)\n")
        print("| step | seconds |\n|---|---|")
        for label, value in rows:
            print(f"| {label} | {value} |")
        print(
            f"\nthreads: {report.threads} · joined: {joined.joined:,} · "  # type: ignore[attr-defined]
            f"peak RSS after build: {rss:.0f} MB · map JSON: {len(payload) / 1e6:.1f} MB "  # type: ignore[arg-type]
            f"({len(points.ids):,} points)"  # type: ignore[attr-defined]
        )
        print("largest threads (labels from real text, synthetic vectors: not meaningful):")
        for t in listed[:5]:  # type: ignore[index]
            print(f"  {t.id:>4} {t.size:>5} {t.label}")


def coherence() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import relevance

    papers, judgments = relevance.load_papers(), relevance.load_judgments()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Radar.open(Settings(home=Path(tmp), db=f"{tmp}/csfcube.sqlite3")) as radar,
    ):
        to_pid = relevance.build_store(radar, papers)
        relevance.vectors(radar, to_pid)
        to_sid = {pid: sid for sid, pid in to_pid.items()}
        auto = None
        print(f"\n## CSFCube coherence ({len(papers):,} papers, real MiniLM vectors)\n")
        print(
            "| threads | build s | same thread: grade 3 | 2 | 1 | 0 | chance | "
            "lift (grade>=2 vs 0) |\n|---|---|---|---|---|---|---|---|"
        )
        for threads in (None, 15, 80, 150):
            report = radar.build_topics(full=True, threads=threads)
            auto = auto or report.threads
            where = {m.paper_id: m.topic for m in radar.store.topic_members()}
            sizes = np.array([t.size for t in radar.topics()], float)
            chance = float(((sizes / sizes.sum()) ** 2).sum())
            same: dict[int, list[bool]] = {g: [] for g in range(4)}
            for facet in relevance.FACETS:
                for query, graded in judgments[facet].items():
                    for cand, grade in graded.items():
                        if cand == query or cand not in to_sid:
                            continue
                        same[grade].append(where[to_sid[cand]] == where[to_sid[query]])
            rate = {g: float(np.mean(v)) if v else float("nan") for g, v in same.items()}
            relevant = float(np.mean(same[3] + same[2]))
            lift = relevant / rate[0] if rate[0] else float("inf")
            print(
                f"| {report.threads}{' (auto)' if threads is None else ''} | "
                f"{report.seconds:.1f} | {rate[3]:.3f} | {rate[2]:.3f} | {rate[1]:.3f} | "
                f"{rate[0]:.3f} | {chance:.3f} | {lift:.1f}x |"
            )
        radar.build_topics(full=True)
        print("\nlargest threads (auto):")
        for t in radar.topics()[:8]:
            print(f"  {t.id:>4} {t.size:>4} {t.label}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["build", "coherence"])
    parser.add_argument("--real", type=int, default=500, help="papers embedded for real")
    parser.add_argument("--keep", metavar="PATH", help="build the store here and keep it")
    args = parser.parse_args(argv)
    if args.what == "build":
        build(args.real, args.keep)
    else:
        coherence()
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
