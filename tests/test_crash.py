"""Killing an ingest midway (SIGKILL) leaves a store that opens cleanly; re-running completes it."""

from __future__ import annotations

import gzip
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Cli


def _big_digest(data: Path, out: Path) -> int:
    """A digest listing of two months of the real corpus: big enough to be killed midway."""
    count = 0
    with out.open("w", encoding="utf-8") as stream:
        for month in ("2025-03", "2025-04"):
            path = data / "arxiv-daily-cs-corpus" / f"papers-{month}.jsonl.gz"
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for line in lines:
                    paper = json.loads(line)
                    title = " ".join(paper["title"].split())
                    summary = " ".join(paper["summary"].split())
                    stream.write(f"Title: {title}\nPDF: {paper['pdf']}\nSummary: {summary}\n---\n")
                    count += 1
    return count


def test_sigkill_midway_then_rerun(cli: Cli, data: Path, tmp_path: Path) -> None:
    big = tmp_path / "big-digest.txt"
    total = _big_digest(data, big)
    small = data / "seeds" / "digest-title-pdf-summary.txt"
    command = [
        sys.executable,
        "-m",
        "papersift",
        "--db",
        str(cli.db),
        "ingest",
        str(small),
        str(big),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the small file is in, then kill
        time.sleep(0.05)
        if cli.db.exists():
            try:
                with sqlite3.connect(cli.db, timeout=0.1) as db:
                    if db.execute("SELECT count(*) FROM papers").fetchone()[0] >= 50:
                        break
            except sqlite3.OperationalError:
                continue
    time.sleep(0.3)
    assert process.poll() is None, "ingest finished before it could be killed: use more data"
    process.send_signal(signal.SIGKILL)
    process.wait()

    with sqlite3.connect(cli.db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cli.json("stats", "--json")["papers"] == 50  # the big file is all or nothing

    result = cli("ingest", str(small), str(big), "--json")
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert (first["new"], first["unchanged"]) == (0, 50)
    assert second["new"] + second["updated"] == total  # every big-file entry went in now
    stats = cli.json("stats", "--json")
    assert stats["papers"] == 50 + second["new"]
    again = json.loads(cli("ingest", str(big), "--json").stdout)[0]
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, total)
