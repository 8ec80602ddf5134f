"""Ingest throughput and peak memory on the real shared data.

    .venv/bin/python bench/ingest.py            # every data set below
    .venv/bin/python bench/ingest.py corpus-60k # one of them

Each run ingests into a fresh SQLite store in a child process (so its peak RSS is its own) and
prints a table: inputs, papers stored, records handled, seconds, papers/s, peak RSS. The corpus is
also ingested one month at a time and as all 17 months, to show memory stays flat as input grows.
Embeddings are not involved (ingest does not embed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = sorted((DATA / "arxiv-daily-cs-corpus").glob("papers-*.jsonl.gz"))

SETS: dict[str, list[Path]] = {
    "corpus-1-month": CORPUS[:1],
    "corpus-4-months": CORPUS[:4],
    "corpus-60k": CORPUS,
    "hf-daily-464-days": [DATA / "hf-daily-papers" / "daily"],
    "arxiv-abs-906-files": [DATA / "arxiv-abs-native"],
    "seeds": [
        DATA / "seeds" / n
        for n in ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")
    ],
}

CHILD = """
import json, resource, sys, time
from papersift.radar import Radar
from papersift.store import open_store
radar = Radar(open_store(sys.argv[1]))
start = time.perf_counter()
reports = list(radar.ingest(radar.inputs(sys.argv[2:])))
seconds = time.perf_counter() - start
handled = sum(r.new + r.updated + r.unchanged for r in reports)
print(json.dumps({"seconds": seconds, "handled": handled, "papers": radar.store.count_papers(),
                  "refused": sum(1 for r in reports if r.error),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(name: str, paths: list[Path]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, f"{tmp}/bench.sqlite3", *map(str, paths)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout)
        db_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    result.update(name=name, inputs=len(paths), db_mb=db_mb)
    return result


def main(names: list[str]) -> None:
    print(
        f"{'data set':<22}{'papers':>8}{'records':>9}{'seconds':>9}{'papers/s':>10}"
        f"{'peak RSS MB':>13}{'store MB':>10}"
    )
    for name in names or SETS:
        r = run(name, SETS[name])
        rate = r["handled"] / r["seconds"]  # type: ignore[operator]
        print(
            f"{name:<22}{r['papers']:>8,}{r['handled']:>9,}{r['seconds']:>9.2f}{rate:>10,.0f}"
            f"{r['peak_mb']:>13.0f}{r['db_mb']:>10.0f}"
        )
        sys.stdout.flush()
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
