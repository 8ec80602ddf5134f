"""`papersift demo`: the bundled sample loads offline, exactly, twice; `--help` stays light."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
from typing import Any

import pytest

from papersift.radar import SAMPLE_DIR
from tests.conftest import Cli

MAX_SAMPLE_BYTES = 2 * 1024 * 1024


def _hf_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for path in sorted(SAMPLE_DIR.glob("hf-daily-*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            doc = json.load(stream)
        items.extend(doc["data"] if isinstance(doc, dict) else doc)
    return items


def _corpus_ids() -> list[str]:
    with gzip.open(SAMPLE_DIR / "papers-sample.jsonl.gz", "rt", encoding="utf-8") as stream:
        return [json.loads(line)["id"] for line in stream if line.strip()]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_the_sample_is_small_recent_and_noticed() -> None:
    files = sorted(p.name for p in SAMPLE_DIR.iterdir())
    assert "NOTICE" in files
    assert "papers-sample.jsonl.gz" in files
    assert len([f for f in files if f.startswith("hf-daily-")]) >= 3
    assert sum(p.stat().st_size for p in SAMPLE_DIR.iterdir()) < MAX_SAMPLE_BYTES
    corpus, hf = set(_corpus_ids()), {i["paper"]["id"] for i in _hf_items()}
    assert 200 <= len(corpus | hf) <= 600
    assert len(corpus & hf) >= 30  # many corpus papers carry upvotes


@pytest.mark.usefixtures("offline")
def test_demo_twice_loads_the_sample_exactly_and_offline(cli: Cli) -> None:
    corpus_ids, items = _corpus_ids(), _hf_items()
    papers = len(set(corpus_ids) | {i["paper"]["id"] for i in items})
    records = len(corpus_ids) + len(items)

    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert f"{papers:,} papers in " in first.output
    best = max(items, key=lambda i: i["paper"]["upvotes"])["paper"]
    assert f"▲ {best['upvotes']} " in first.output
    assert " ".join(best["title"].split())[:60] in first.output
    if best.get("githubRepo"):
        assert f"code {best['githubRepo']}" in first.output
    assert "refused" not in first.output

    second = cli.json("demo", "--json", "--limit", "5")
    reports = second["reports"]
    assert [r["error"] for r in reports] == [None] * len(reports)
    assert sum(r["new"] + r["updated"] for r in reports) == 0
    assert sum(r["unchanged"] for r in reports) == records
    assert sum(len(r["rejected"]) for r in reports) == 0
    assert second["stats"]["papers"] == papers
    top = second["most_upvoted"]
    assert len(top) == 5
    assert top[0]["arxiv_id"] == best["id"]
    assert [p["upvotes"] for p in top] == sorted((p["upvotes"] for p in top), reverse=True)
    assert cli.json("stats", "--json")["papers"] == papers


def _imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the real interpreter; the modules it imported (from ``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return done, modules


def test_help_imports_nothing_heavy() -> None:
    done, modules = _imported_by("-m", "papersift", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Usage:" in done.stdout
    assert "demo" in done.stdout
    assert "papersift.cli" in modules  # the measurement sees our own imports
    heavy = {"bibtexparser", "defusedxml", "urllib3", "numpy", "sklearn", "torch", "jinja2"}
    assert {m.split(".")[0] for m in modules} & heavy == set()
    parsers = {"arxiv_atom", "oai_pmh", "hf_daily", "jsonlines", "bibtex", "seeds", "csv_table"}
    assert {f"papersift.sources.{name}" for name in parsers} & modules == set()  # loaded lazily


def test_demo_help_names_the_sample() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "papersift", "demo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "bundled sample" in done.stdout
