"""`papersift topics` and `papersift topic` on a real store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.topics.conftest import SEED_COUNT, seeded


def test_topics_builds_lists_and_shows_a_thread(tmp_path: Path, seed_vectors: Path) -> None:
    seeded(tmp_path, seed_vectors).close()
    cli = Cli(tmp_path / "store.sqlite3", tmp_path)
    first = cli.json("topics", "--json")
    assert first["report"]["full"] is True and first["report"]["papers"] == SEED_COUNT
    assert sum(t["size"] for t in first["topics"]) == SEED_COUNT
    again = cli.json("topics", "--json")
    assert again["report"]["full"] is False and again["report"]["joined"] == 0
    assert again["topics"] == first["topics"]

    top = first["topics"][0]
    thread = cli.json("topic", str(top["id"]), "--json", "--limit", "3")
    assert thread["label"] == top["label"] and len(thread["papers"]) == 3
    assert thread["size"] == top["size"]
    assert all({"systems", "kind", "claims"} <= set(p["card"]) for p in thread["papers"])

    text = cli("topic", str(top["id"]))
    assert text.exit_code == 0 and top["label"] in text.output
    listing = cli("topics", "--rebuild", "--threads", "4")
    assert listing.exit_code == 0 and "rebuilt: 4 threads" in listing.output
    trending = cli("topics", "--trending", "--window", "60", "--json")
    assert trending.exit_code == 0 and "trending" in json.loads(trending.stdout)


def test_errors_are_messages_with_exit_codes(tmp_path: Path, cli: Cli) -> None:
    missing = cli("topic", "12345")
    assert missing.exit_code == 5 and "no topic thread with id '12345'" in missing.output
    unbuilt = cli("topics")
    assert unbuilt.exit_code == 1 and "papersift index" in unbuilt.output
    assert "Traceback" not in unbuilt.output
    bad = cli("topics", "--trending", "--today", "soon")
    assert bad.exit_code != 0 and "Traceback" not in bad.output
