"""Recommendation quality on reviewer-paper-expertise (Stelmakh et al., TMLR 2025).

    .venv/bin/python bench/recommend.py            # the table
    .venv/bin/python bench/recommend.py --sweep    # also: the model's knobs

Each of the 46 researchers' own publications are their library (most recent first by year);
each rated 10 papers for their expertise (1-5). Every method scores those 10 from the library
alone; we report, over the researchers: pairwise ordering accuracy (pairs with different
expertise, pooled; a tied score counts half) and the mean Kendall tau-b against expertise.

Methods:
- ours: papersift.recommend.model (logistic regression on MiniLM embeddings with a random
  background of 200 other papers of the data set, plus recency-weighted nearest-library
  similarity) - exactly what ``papersift recommend`` runs.
- mean-cosine (zotero-arxiv-daily): sum of cosines to the library papers weighted
  1/(1+log10(i+1)) by recency rank i.
- TF-IDF + linear SVM per user (arxiv-sanity-lite): its vectorizer and LinearSVC(C=0.01,
  class_weight=balanced) trained on all papers of the data set, the library as positives.

Embeddings (2,529 papers, ~2.5 minutes) are cached in bench/.cache/ per model id.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from papersift.recommend import model as rec
from papersift.search.embed import load_encoder, paper_text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "reviewer-paper-expertise"
CACHE = ROOT / "bench" / ".cache"
BACKGROUND = 200


def load() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    papers = {}
    for line in (DATA / "papers.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        if p.get("ssId"):
            papers[p["ssId"]] = p
    profiles = {}
    for line in (DATA / "participants.jsonl").open(encoding="utf-8"):
        u = json.loads(line)
        profiles[u["authorId"]] = [x["paperId"] for x in u["papers"] if x["paperId"] in papers]
    users = []
    rows = (DATA / "evaluations.tsv").read_text(encoding="utf-8").splitlines()
    for row in rows[1:]:
        cells = row.split("\t")
        uid, evaluated, grades = cells[0], cells[1:11], cells[11:21]
        pairs = [
            (pid, float(g))
            for pid, g in zip(evaluated, grades, strict=True)
            if pid and g and pid in papers
        ]
        library = profiles.get(uid, [])
        year = {pid: int(papers[pid].get("year") or 0) for pid in library}
        library = sorted(library, key=lambda pid: -year[pid])  # most recent first (stable)
        if library and len(pairs) >= 2:
            users.append({"id": uid, "library": library, "rated": pairs})
    return papers, users


def vectors(papers: dict[str, dict[str, Any]]) -> dict[str, np.ndarray]:
    encoder = load_encoder()
    key = hashlib.sha256(encoder.model_id.encode()).hexdigest()[:12]
    path = CACHE / f"rpe-{key}.npz"
    if not path.exists():
        ids = list(papers)
        texts = [
            paper_text(papers[i].get("title") or "", papers[i].get("abstract") or "") for i in ids
        ]
        started = time.monotonic()
        out = np.zeros((len(ids), encoder.dim), dtype=np.float32)
        for start in range(0, len(ids), 64):
            out[start : start + 64] = encoder.encode(texts[start : start + 64])
            print(
                f"\rembedding {start + 64}/{len(ids)} {time.monotonic() - started:.0f}s",
                end="",
                file=sys.stderr,
            )
        print(file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, ids=np.array(ids), vectors=out)
    with np.load(path, allow_pickle=False) as saved:
        return {str(i): v for i, v in zip(saved["ids"], saved["vectors"], strict=True)}


# --- methods: (user, candidates) -> scores ------------------------------------------------------
Method = Callable[[dict[str, Any], list[str]], np.ndarray]


def ours(vec: dict[str, np.ndarray], seed_pool: list[str]) -> Method:
    def run(user: dict[str, Any], candidates: list[str]) -> np.ndarray:
        library = user["library"]
        skip = set(library) | set(candidates)
        pool = [pid for pid in seed_pool if pid not in skip]
        seed = int(hashlib.sha256(user["id"].encode()).hexdigest()[:8], 16)
        rows = rec.sample_background(len(pool), BACKGROUND, seed)
        profile = rec.Profile(
            positives=np.stack([vec[p] for p in library]),
            negatives=np.zeros((0, 384), dtype=np.float32),
            background=np.stack([vec[pool[i]] for i in rows]),
        )
        model = rec.fit(profile)
        return rec.score(profile, model, np.stack([vec[c] for c in candidates])).scores

    return run


def mean_cosine(vec: dict[str, np.ndarray]) -> Method:
    def run(user: dict[str, Any], candidates: list[str]) -> np.ndarray:
        lib = np.stack([vec[p] for p in user["library"]])
        w = rec.recency_weights(len(lib))
        return (np.stack([vec[c] for c in candidates]) @ lib.T) @ w

    return run


def tfidf_svm(papers: dict[str, dict[str, Any]]) -> Method:
    from sklearn import svm
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = list(papers)
    row = {pid: i for i, pid in enumerate(ids)}
    vectorizer = TfidfVectorizer(  # arxiv-sanity-lite's compute.py
        input="content",
        encoding="utf-8",
        decode_error="replace",
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.10,
        min_df=5,
    )
    x = vectorizer.fit_transform(
        [f"{papers[i].get('title') or ''}. {papers[i].get('abstract') or ''}" for i in ids]
    )

    def run(user: dict[str, Any], candidates: list[str]) -> np.ndarray:
        y = np.zeros(len(ids))
        for pid in user["library"]:
            y[row[pid]] = 1
        clf = svm.LinearSVC(class_weight="balanced", max_iter=10000, tol=1e-6, C=0.01)
        clf.fit(x, y)
        return np.asarray(clf.decision_function(x[[row[c] for c in candidates]]))

    return run


# --- metrics ------------------------------------------------------------------------------------
def evaluate(users: list[dict[str, Any]], method: Method) -> dict[str, float]:
    from scipy.stats import kendalltau

    right = total = 0.0
    taus = []
    for user in users:
        candidates = [pid for pid, _ in user["rated"]]
        grades = np.array([g for _, g in user["rated"]])
        scores = np.asarray(method(user, candidates), dtype=np.float64)
        for i in range(len(grades)):
            for j in range(i + 1, len(grades)):
                if grades[i] == grades[j]:
                    continue
                total += 1
                d = (scores[i] - scores[j]) * (grades[i] - grades[j])
                right += 1.0 if d > 0 else 0.5 if d == 0 else 0.0
        tau = kendalltau(scores, grades).statistic
        if not math.isnan(tau):
            taus.append(tau)
    return {"pairwise": right / total, "tau": float(np.mean(taus)), "pairs": total}


def speed() -> None:
    """Ranking time for one user over 60,000 candidates (random unit vectors; the real
    vectors' values do not change the arithmetic): fit + score + top-k, median of 5."""
    from papersift.recommend.rank import Example, rank

    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((60_000, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = [f"p{i}" for i in range(len(matrix))]
    print(f"{'library':>8} {'limit':>6} {'median ms':>10}")
    for size in (10, 100, 1000):
        positives = [Example(ids[i], ids[i], matrix[i]) for i in range(size)]
        for limit in (10, 10_000):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                rank(
                    positives=positives,
                    negatives=[matrix[-1]],
                    background=matrix[1000:1200],
                    candidate_ids=ids,
                    candidates=matrix,
                    keywords={},
                    limit=limit,
                )
                times.append((time.perf_counter() - started) * 1000)
            print(f"{size:>8} {limit:>6} {sorted(times)[2]:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--speed", action="store_true", help="only: ranking time at 60k")
    args = parser.parse_args()
    if args.speed:
        speed()
        return
    papers, users = load()
    vec = vectors(papers)
    pool = sorted(vec)
    methods: dict[str, Method] = {
        "ours (papersift recommend)": ours(vec, pool),
        "mean-cosine, recency weights (zotero-arxiv-daily)": mean_cosine(vec),
        "TF-IDF + linear SVM (arxiv-sanity-lite)": tfidf_svm(papers),
    }
    print(f"reviewer-paper-expertise: {len(users)} researchers, {len(papers)} papers")
    print(f"{'method':<52} {'pairwise acc':>12} {'Kendall tau':>11}")
    for name, method in methods.items():
        started = time.monotonic()
        r = evaluate(users, method)
        took = time.monotonic() - started
        print(f"{name:<52} {r['pairwise']:>12.4f} {r['tau']:>11.4f}   ({took:.1f} s)")
    if args.sweep:
        print("\nsweep (ours): NEAR_WEIGHT x REGULARISATION x NEAR")
        for near in (1, 3, 5):
            for weight in (0.0, 0.5, 1.0, 2.0, 4.0, 100.0):
                for reg in (0.1, 1.0, 10.0):
                    rec.NEAR, rec.NEAR_WEIGHT, rec.REGULARISATION = near, weight, reg
                    r = evaluate(users, ours(vec, pool))
                    print(
                        f"  near {near} weight {weight:>5} reg {reg:>5}: "
                        f"pairwise {r['pairwise']:.4f} tau {r['tau']:.4f}"
                    )


if __name__ == "__main__":
    main()
