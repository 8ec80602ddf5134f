"""The three seed listings: exact counts, text equal to the source, idempotent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from papersift.radar import Radar
from tests.conftest import dump_store, ingest

SEEDS = {"hf-papers-page-a.txt": 76, "digest-title-pdf-summary.txt": 50, "abstracts-a.txt": 10}


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("name", "count"), SEEDS.items())
def test_seed_counts_and_text(radar: Radar, data: Path, name: str, count: int) -> None:
    (report,) = ingest(radar, data / "seeds" / name)
    assert (report.new, report.updated, report.rejected, report.error) == (count, 0, [], None)
    labels = [
        json.loads(line)
        for line in (data / "seeds" / "labels.jsonl").read_text().splitlines()
        if json.loads(line)["file"] == name
    ]
    papers = list(radar.papers())
    assert len(papers) == count == len(labels)
    for label in labels:
        start = _ws(label["abstract_start"])
        (paper,) = [p for p in papers if _ws(p.abstract_raw).startswith(start)]
        if label["title"] is None:
            assert paper.title == ""
        else:
            assert paper.title_raw == _ws(label["title"])
    source_text = _ws((data / "seeds" / name).read_text())
    for paper in papers:
        assert _ws(paper.abstract_raw) in source_text
        assert _ws(paper.title_raw) in source_text


def test_no_header_line_becomes_a_paper(radar: Radar, data: Path) -> None:
    ingest(radar, data / "seeds" / "hf-papers-page-a.txt")
    titles = {p.title for p in radar.papers()}
    for header in (
        "new",
        "Subscribe",
        "Get trending papers in your email inbox!",
        "Mar 11",
        "byAK and the research community",
    ):
        assert header not in titles


def test_reingest_changes_nothing(radar: Radar, data: Path, db_path: Path) -> None:
    paths = [data / "seeds" / name for name in SEEDS]
    ingest(radar, *paths)
    before = dump_store(db_path)
    reports = ingest(radar, *paths)
    assert [(r.new, r.updated, r.unchanged) for r in reports] == [(0, 0, n) for n in SEEDS.values()]
    assert dump_store(db_path) == before


def test_untitled_papers_get_the_system_name(radar: Radar, data: Path) -> None:
    ingest(radar, data / "seeds" / "abstracts-a.txt")
    names = {p.display_name for p in radar.papers()}
    assert {"CoMCTS", "AgentBank", "SkipAlign", "FreeVA"} <= names
    for paper in radar.papers():
        assert paper.id.startswith("ps-")
        assert paper.display_name
        assert len(paper.display_name) <= 90


def test_a_readme_is_not_a_listing(radar: Radar, data: Path, db_path: Path) -> None:
    before = dump_store(db_path)
    (report,) = ingest(radar, data / "seeds" / "README.md")
    assert report.error is not None
    assert "README.md" in report.error
    assert "not a paper listing" in report.error
    assert dump_store(db_path) == before
