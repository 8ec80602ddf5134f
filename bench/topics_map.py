"""The map in a real browser at 60k points: how long loading, painting, zooming and hovering take.

    nice -n 10 .venv/bin/python bench/topics_map.py --db STORE   # a store with threads built
    nice -n 10 .venv/bin/python bench/topics_map.py              # the bundled sample (353)

``bench/topics.py build --keep STORE`` makes a 60k store with its threads (synthetic vectors for
most papers: the positions are real-shaped, the timing is what matters here). The real server
(`papersift serve`) runs in a child process over a copy of the store; Debian's Chromium (headless,
through Playwright) opens /map and the script reads, from the page: the time to the first paint
(fetch + parse of /api/v1/map + indexing + paint), the bytes of /api/v1/map and its titles, and
the paint time of full redraws (the canvas records each paint's milliseconds), at the whole map,
zoomed in 4x and while panning, plus the time to answer a hover (nearest point lookup).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from papersift.config import Settings
from papersift.radar import Radar

CHROMIUM = os.environ.get("PAPERSIFT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _size(url: str) -> int:
    with urllib.request.urlopen(url, timeout=120) as response:
        return len(response.read())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a store with threads built (default: the sample)")
    parser.add_argument("--paints", type=int, default=20, help="redraws timed per view")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite3"
        if args.db:
            shutil.copy(args.db, db)
        else:
            with Radar.open(Settings(home=Path(tmp), db=str(db))) as radar:
                radar.load_sample()
        port = _port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "papersift", "--db", str(db), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PAPERSIFT_HOME": tmp},
        )
        try:
            for _ in range(600):
                try:
                    _size(url + "/api/v1/stats")
                    break
                except OSError:
                    time.sleep(0.5)
            rows = measure(url, args.paints)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\n| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · python {sys.version.split()[0]}")


def measure(url: str, paints: int) -> list[tuple[str, str]]:
    rows = [
        ("/api/v1/map bytes", f"{_size(url + '/api/v1/map'):,}"),
        ("/api/v1/map/titles bytes", f"{_size(url + '/api/v1/map/titles'):,}"),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # the page's CSP forbids eval, which Playwright's polling waits use: bypass it here
        page = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
        page.set_default_timeout(300_000)
        started = time.perf_counter()
        page.goto(url + "/map")
        page.wait_for_function("document.getElementById('map').dataset.drawn > 0")
        rows.append(("page load to first paint, s", f"{time.perf_counter() - started:.2f}"))
        page.wait_for_function("document.getElementById('map').dataset.titles === '1'")
        rows.append(("… and titles loaded, s", f"{time.perf_counter() - started:.2f}"))
        points = int(page.evaluate("window.papersiftMap.data.count"))
        rows.append(("points", f"{points:,}"))

        def timed(setup: str, label: str) -> None:
            times = page.evaluate(
                f"""(n) => {{
                    const m = window.papersiftMap, out = [];
                    {setup}
                    for (let i = 0; i < n; i++) {{
                        m.view.x += (i % 2 ? 3 : -3);
                        const t = performance.now(); m.paint(); out.push(performance.now() - t);
                    }}
                    return out;
                }}""",
                paints,
            )
            drawn = page.evaluate("window.papersiftMap.canvas.dataset.drawn")
            rows.append(
                (
                    f"paint, {label} ({int(drawn):,} drawn), ms p50 / max",
                    f"{statistics.median(times):.1f} / {max(times):.1f}",
                )
            )

        timed("m.reset();", "whole map")
        timed("m.reset(); m.zoom(4, m.width / 2, m.height / 2);", "zoomed 4x")
        hover = page.evaluate(
            """() => { const m = window.papersiftMap; m.reset(); const out = [];
                for (let i = 0; i < 200; i++) {
                    const t = performance.now();
                    m.nearest((i * 37) % m.width, (i * 53) % m.height, 8);
                    out.push(performance.now() - t);
                }
                out.sort((a, b) => a - b); return [out[100], out[199]]; }"""
        )
        rows.append(("hover lookup, ms p50 / max", f"{hover[0]:.2f} / {hover[1]:.2f}"))
        browser.close()
    return rows


if __name__ == "__main__":
    main()
