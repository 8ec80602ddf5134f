"""Web throughput and latency: requests/s and p95 for Today, the Search page and the search API
over the real 60k arXiv CS corpus, 50 concurrent clients on loopback.

    nice -n 10 .venv/bin/python bench/web.py                 # 2 workers, 10 s per target
    nice -n 10 .venv/bin/python bench/web.py --workers 1 --seconds 5 --connections 50

The store (``bench/.cache/web-60k.sqlite3``) is made once: the 17 monthly corpus files and the
Hugging Face daily dumps (../shared/data), ingested through the facade, then their system cards
built (`papersift cards`, as a deployment does after each ingest). Embedding 60k papers
takes ~50 minutes here, so the store has no vectors and every search runs in **keyword** mode
(``mode=keyword``; the default hybrid mode would fall back to it, saying so).

The server is the real one (`papersift serve --workers N`, uvicorn) in a child process; the load
comes from ``wrk`` (Debian's; ``apt-get install wrk``), run for a bounded time against
127.0.0.1 only. Search targets cycle through ``--queries`` distinct queries (2-3 words from real
titles, seeded), so a run seldom repeats one and the search engine answers nearly every request;
the last target repeats 50 of them, as popular queries are (the shared cache answers those).
Today is measured twice: as anyone gets it (the shared cache answers) and with a cookie, as a
signed-in reader gets it (every request rendered). Each target gets a 2-second warm-up first.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
STORE = ROOT / "bench" / ".cache" / "web-60k.sqlite3"
PAPERSIFT = [sys.executable, "-m", "papersift"]

LUA = """
paths = {%(paths)s}
%(headers)s
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %%d %%f %%f %%f %%f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


def build_store() -> None:
    if not STORE.exists():
        ingest_store()
    # as a deployment keeps it: system cards made after each ingest (`papersift cards`, from
    # cron), so pages show them without making them (~7 minutes once; then only new papers)
    subprocess.run([*PAPERSIFT, "--db", str(STORE), "cards"], check=True, stdout=subprocess.DEVNULL)


def ingest_store() -> None:
    STORE.parent.mkdir(parents=True, exist_ok=True)
    partial = STORE.with_suffix(".partial")
    for leftover in STORE.parent.glob(partial.name + "*"):
        leftover.unlink()
    print(f"building {STORE} (once; ~1 minute) …", file=sys.stderr)
    subprocess.run(
        [
            *PAPERSIFT,
            "--db",
            str(partial),
            "ingest",
            str(DATA / "arxiv-daily-cs-corpus"),
            str(DATA / "hf-daily-papers" / "daily"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    partial.rename(STORE)


def queries(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct 2-3 word queries taken from real titles of the corpus."""
    import gzip
    import json

    rng = random.Random(seed)
    titles: list[str] = []
    with gzip.open(DATA / "arxiv-daily-cs-corpus" / "papers-2026-05.jsonl.gz", "rt") as stream:
        for line in stream:
            titles.append(json.loads(line)["title"])
    found: dict[str, None] = {}
    while len(found) < count:
        words = [w for w in re.findall(r"[A-Za-z]{4,}", rng.choice(titles))]
        if len(words) < 3:
            continue
        start = rng.randrange(len(words) - 1)
        found[" ".join(words[start : start + rng.choice((2, 3))]).lower()] = None
    return list(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workers: int, port: int, home: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [*PAPERSIFT, "--db", str(STORE), "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PAPERSIFT_HOME": str(home)},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stats", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def wrk(
    url: str,
    paths: list[str],
    seconds: float,
    connections: int,
    threads: int,
    cookie: bool = False,
) -> dict[str, float]:
    headers = 'wrk.headers["Cookie"] = "session=bench"' if cookie else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": ", ".join(f'"{p}"' for p in paths), "headers": headers})
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out)
    if not match:
        raise SystemExit(f"wrk said:\n{out}")
    requests, duration, p50, p95, p99, errors = (float(g) for g in match.groups())
    return {
        "requests": requests,
        "rps": requests / duration,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--queries", type=int, default=5000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    build_store()
    words = queries(args.queries)
    quoted = [urllib.parse.quote_plus(q) for q in words]
    # a cookie (a signed-in reader) bypasses the shared cache: every request is rendered
    targets = {
        "Today (latest day)": ["/"],
        "Today (latest day), with a cookie": ["/"],
        "Today (month 2026-06)": ["/?period=month&date=2026-06-15"],
        "Today (month 2026-06), with a cookie": ["/?period=month&date=2026-06-15"],
        "Search page": [f"/search?q={q}&mode=keyword" for q in quoted],
        "Search API": [f"/api/v1/search?q={q}&mode=keyword&limit=10" for q in quoted],
        # what many readers ask again and again: served from the shared cache after the first
        "Search API, 50 popular queries": [
            f"/api/v1/search?q={q}&mode=keyword&limit=10" for q in quoted[:50]
        ],
    }
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        server = start_server(args.workers, port, Path(home))
        try:
            base = f"http://127.0.0.1:{port}"
            with urllib.request.urlopen(base + "/api/v1/stats") as response:
                papers = __import__("json").load(response)["papers"]
            print(
                f"{papers:,} papers · {args.workers} worker(s) · {args.connections} connections"
                f" · {args.seconds:g} s per target · keyword mode · {len(words)} distinct queries"
                f" · load before: {os.getloadavg()[0]:.2f}"
            )
            print()
            print("| target | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for name, paths in targets.items():
                cookie = "cookie" in name
                wrk(base, paths, 2, args.connections, args.threads, cookie)  # warm-up
                r = wrk(base, paths, args.seconds, args.connections, args.threads, cookie)
                print(
                    f"| {name} | {r['requests']:,.0f} | {r['rps']:,.0f} | {r['p50']:.1f} |"
                    f" {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']:.0f} |",
                    flush=True,
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
