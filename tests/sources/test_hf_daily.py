"""Hugging Face daily papers JSON: every real dump, each schema era, wrong shapes, idempotence."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from papersift.config import Settings
from papersift.model import FileReport, Record, Rejected
from papersift.radar import Radar
from papersift.sources import hf_daily
from papersift.sources.base import Input
from papersift.sources.text import squash
from tests.conftest import dump_store, ingest, ingest_text

DAYS = 464
ITEMS = 7973
PAPERS = 7971


def _load(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        doc = json.load(stream)
    items: list[dict[str, Any]] = doc["data"] if isinstance(doc, dict) else doc
    return items


def _listing_date(item: dict[str, Any]) -> str:
    return str(item["paper"].get("submittedOnDailyAt") or item["publishedAt"])[:10]


def _list_day(path: Path) -> str:
    """The day a dump lists its papers on: the wrapped form's date, else the latest day any of
    its papers was submitted on (submission times are UTC; Hugging Face's day is not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        doc = json.load(stream)
    if isinstance(doc, dict) and "date" in doc:
        return str(doc["date"])[:10]
    return max(_listing_date(item) for item in _load(path))


def _records(path: Path) -> list[Record | Rejected]:
    return list(hf_daily.parse(Input.from_path(path)))


# --- the whole folder, once per module -------------------------------------------------------


class Loaded:
    def __init__(self, radar: Radar, db: Path, reports: list[FileReport]) -> None:
        self.radar, self.db, self.reports = radar, db, reports


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, data: Path) -> Iterator[Loaded]:
    home = tmp_path_factory.mktemp("hf-daily")
    db = home / "store.sqlite3"
    with Radar.open(Settings(home=home, db=str(db))) as radar:
        reports = ingest(radar, data / "hf-daily-papers" / "daily")
        yield Loaded(radar, db, reports)


@pytest.mark.slow
def test_every_dump_goes_in(loaded: Loaded, data: Path) -> None:
    reports = loaded.reports
    assert len(reports) == DAYS
    assert {r.format for r in reports} == {"hf-daily"}  # detected from content, gz included
    assert [r for r in reports if r.error or r.rejected] == []
    assert sum(r.new for r in reports) == PAPERS
    assert sum(r.new + r.updated + r.unchanged for r in reports) == ITEMS
    assert sum(r.updated + r.unchanged for r in reports) == ITEMS - PAPERS
    assert loaded.radar.store.count_papers() == PAPERS

    expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    days: dict[str, set[str]] = defaultdict(set)
    for path in sorted((data / "hf-daily-papers" / "daily").glob("*.json.gz")):
        day = _list_day(path)
        assert day == path.name[:10] or day < path.name[:10]  # never a day after the dump's
        for item in _load(path):
            expected[item["paper"]["id"]].append(item)
            days[item["paper"]["id"]].add(day)
    relisted = {pid: items for pid, items in expected.items() if len(items) > 1}
    assert len(relisted) == ITEMS - PAPERS == 2

    papers = {p.id: p for p in loaded.radar.papers()}
    assert set(papers) == set(expected)
    for pid, items in expected.items():
        paper = papers[pid]
        assert paper.arxiv_id == pid
        assert paper.listed == tuple(sorted(days[pid]))
        assert paper.upvotes == max(i["paper"]["upvotes"] for i in items)
        assert paper.title_raw == squash(items[-1]["paper"]["title"])
        assert paper.authors == tuple(a["name"].strip() for a in items[-1]["paper"]["authors"])
    for pid in relisted:
        assert len(papers[pid].listed) == 2
        assert len(papers[pid].sources) == 2
    assert papers["2604.07429"].listed == ("2026-04-10", "2026-04-16")
    assert papers["2604.07429"].upvotes == 42  # 2 on the first day, 42 on the second


# --- each schema era, exact values read from the JSON ----------------------------------------

ERAS = [
    "samples/2024-05-27.json",  # no submittedOnDailyAt, no ai_*, mediaUrl
    "samples/2025-03-04.json",
    "daily/2025-01-10.json.gz",  # wrapped {status, date, count, data}
    "samples/2026-08-21.json",  # submittedOnDailyAt, ai_*, organization, githubStars
]


@pytest.mark.parametrize("name", ERAS)
def test_each_era_field_by_field(radar: Radar, data: Path, name: str) -> None:
    path = data / "hf-daily-papers" / name
    items = _load(path)
    (report,) = ingest(radar, path)
    assert (report.format, report.new, report.rejected, report.error) == (
        "hf-daily",
        len(items),
        [],
        None,
    )
    for number, item in enumerate(items, start=1):
        raw = item["paper"]
        paper = radar.get(raw["id"])
        assert paper.title_raw == squash(raw["title"])
        assert paper.abstract_raw == raw["summary"].strip()
        assert paper.authors == tuple(a["name"] for a in raw["authors"])
        assert paper.submitted == raw["publishedAt"]
        assert paper.listed == (_list_day(path),)
        assert paper.upvotes == raw["upvotes"]
        assert paper.links.abs == f"https://arxiv.org/abs/{raw['id']}"
        assert paper.links.pdf == f"https://arxiv.org/pdf/{raw['id']}"
        assert paper.links.code == (raw.get("githubRepo") or None)
        assert paper.links.project == ((raw.get("projectPage") or "").strip() or None)
        assert [(s.source, s.ref) for s in paper.sources] == [("hf-daily", f"item {number}")]


def test_2024_values(data: Path) -> None:
    first = _records(data / "hf-daily-papers" / "samples" / "2024-05-27.json")[0]
    assert isinstance(first, Record)
    assert first.arxiv_id == "2405.15738"
    assert first.title == (
        "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal\n  Models"
    )  # raw, as given
    assert first.abstract is not None
    assert first.abstract.startswith("High-resolution Large Multimodal Models (LMMs) encounter")
    assert first.authors[:2] == ("Chunjiang Ge", "Sijie Cheng")
    assert len(first.authors) == 9
    assert first.authors[-1] == "Bo Zheng"
    assert first.submitted == "2024-05-24T17:34:15.000Z"
    assert first.listed == ("2024-05-27",)  # from the item's publishedAt: no submittedOnDailyAt
    assert first.upvotes == 32
    assert (first.links.code, first.links.project) == (None, None)
    assert first.extra == (("num_comments", "3"),)


def test_2025_values(data: Path) -> None:
    records = _records(data / "hf-daily-papers" / "samples" / "2025-03-04.json")
    assert len(records) == 13
    first = records[0]
    assert isinstance(first, Record)
    assert (first.arxiv_id, first.upvotes) == ("2503.01785", 24)
    assert first.title == "Visual-RFT: Visual Reinforcement Fine-Tuning"
    assert first.links.code == first.links.project == "https://github.com/Liuziyu77/Visual-RFT"
    assert first.submitted == "2025-03-03T18:16:32.000Z"
    assert first.listed == ("2025-03-04",)  # the list's day, though published 03-03T23:29Z
    assert len(first.authors) == 8
    assert first.authors[0] == "Ziyu Liu"
    # the same day, gzipped in daily/, gives the same records
    assert _records(data / "hf-daily-papers" / "daily" / "2025-03-04.json.gz") == records


def test_wrapped_2025_01_10_values(data: Path) -> None:
    records = _records(data / "hf-daily-papers" / "daily" / "2025-01-10.json.gz")
    assert len(records) == 9
    assert all(isinstance(r, Record) for r in records)
    first, last = records[0], records[-1]
    assert isinstance(first, Record)
    assert isinstance(last, Record)
    assert first.arxiv_id == "2501.05441"
    assert first.upvotes == 51
    assert first.title is not None
    assert first.title.startswith("The GAN is dead; long live the GAN!")
    assert first.listed == ("2025-01-10",)  # the wrapped form's "date"
    assert (last.ref, last.arxiv_id, last.upvotes, last.listed) == (
        "item 9",
        "2501.04828",
        6,
        ("2025-01-10",),
    )


def test_2026_values(data: Path) -> None:
    records = _records(data / "hf-daily-papers" / "samples" / "2026-08-21.json")
    assert len(records) == 17
    first, forge = records[0], records[6]
    assert isinstance(first, Record)
    assert isinstance(forge, Record)
    assert (first.arxiv_id, first.upvotes) == ("2608.19880", 163)
    assert first.title == "EnvHarness: Awakening Static Worlds for Agent Learning"
    assert first.submitted == "2026-08-20T00:00:00.000Z"
    assert first.listed == ("2026-08-21",)  # submittedOnDailyAt
    assert first.links.code == "https://github.com/google-research/envharness"
    assert first.links.project == "https://envharness.com/"
    assert len(first.authors) == 17
    assert first.authors[-1] == "Chen-Yu Lee"
    extra = dict(first.extra)
    assert extra["ai_keywords"].startswith("LLM agents, Environment Harness, EnvHarness")
    assert extra["ai_summary"]
    assert (extra["github_stars"], extra["num_comments"], extra["organization"]) == (
        "8",
        "1",
        "Google",
    )
    # submitted a week before it was featured: listed on the day it was featured
    assert (forge.arxiv_id, forge.submitted, forge.listed) == (
        "2608.14022",
        "2026-08-14T07:13:34.000Z",
        ("2026-08-21",),
    )


# --- wrong shapes -----------------------------------------------------------------------------


def _item(arxiv_id: str, title: Any = "A good title for a paper", **paper: Any) -> dict[str, Any]:
    return {
        "paper": {
            "id": arxiv_id,
            "authors": [{"_id": "x", "name": "Ada Lovelace", "hidden": False}],
            "publishedAt": "2026-01-02T10:00:00.000Z",
            "title": title,
            "summary": "An abstract.",
            "upvotes": 7,
            **paper,
        },
        "publishedAt": "2026-01-03T01:00:00.000Z",
        "title": "ignored",
        "numComments": 0,
    }


def test_an_object_of_another_shape_is_refused(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    report = ingest_text(radar, "foo.json", '{"foo": 1}', format="hf-daily")
    assert report.error == (
        "foo.json: not Hugging Face daily papers: expected a list of items or an object with "
        "a 'data' list, found an object with keys 'foo'"
    )
    assert dump_store(db_path) == before
    report = ingest_text(radar, "n.json", "42", format="hf-daily")
    assert report.error is not None
    assert "found a number" in report.error
    report = ingest_text(radar, "d.json", '{"data": "x"}', format="hf-daily")
    assert report.error is not None
    assert "'data' must be a list, not a string" in report.error


def test_a_json_syntax_error_names_line_and_column(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    text = json.dumps([_item("2601.00001")], indent=1).replace('"upvotes": 7', '"upvotes": 7,,')
    report = ingest_text(radar, "broken.json", text, format="hf-daily")
    (line,) = [n for n, t in enumerate(text.splitlines(), start=1) if t.endswith(",,")]
    column = text.splitlines()[line - 1].index(",,") + 2
    assert report.error is not None
    assert report.error.startswith(f"broken.json, line {line}: invalid JSON: ")
    assert report.error.endswith(f"(column {column})")
    assert dump_store(db_path) == before


def test_bad_items_are_rejected_by_name_and_field(radar: Radar) -> None:
    items: list[Any] = [
        _item("2601.00001"),
        {"paper": "2601.00002", "title": "x"},
        _item("2601.00003", title=12),
        "just a string",
        _item("2601.00005", authors=[{"name": "A"}, {"name": 5}]),
        _item("2601.00006", upvotes="many"),
        _item("not-an-id"),
        {"title": "no paper"},
        _item("2601.00009", publishedAt="yesterday"),
        _item("2601.00010", githubRepo=3, ai_keywords="not a list", title=None),
    ]
    report = ingest_text(radar, "mixed.json", json.dumps(items))
    assert report.format == "hf-daily"
    assert [(r.ref, r.reason, r.field) for r in report.rejected] == [
        ("item 2", "field 'paper' must be an object, not a string", "paper"),
        ("item 3", "field 'paper.title' must be a string, not a number", "paper.title"),
        ("item 4", "item must be an object, not a string", None),
        (
            "item 5",
            "field 'paper.authors[1].name' must be a string, not a number",
            "paper.authors[1].name",
        ),
        ("item 6", "field 'paper.upvotes' must be a count, not a string", "paper.upvotes"),
        ("item 7", "field 'paper.id' is not an arXiv id: 'not-an-id'", "paper.id"),
        ("item 8", "item has no 'paper' object", "paper"),
        (
            "item 9",
            "field 'paper.publishedAt' is not an ISO 8601 date: 'yesterday'",
            "paper.publishedAt",
        ),
    ]
    assert (report.new, report.error) == (2, None)
    good = radar.get("2601.00001")
    assert (good.title, good.upvotes, good.listed) == (
        "A good title for a paper",
        7,
        ("2026-01-03",),
    )
    fallback = radar.get("2601.00010")  # no paper title: the item's; bad extras left out
    assert (fallback.title, fallback.links.code) == ("ignored", None)


# --- sniffing ---------------------------------------------------------------------------------


def test_sniff_is_specific_and_tolerates_a_cut_head(data: Path) -> None:
    text = (data / "hf-daily-papers" / "samples" / "2026-08-21.json").read_text()
    assert hf_daily.sniff(text)
    for cut in (120, 800, 2000, 5000, 30000):
        assert hf_daily.sniff(text[:cut]), cut
    wrapped = json.dumps({"status": "success", "date": "2026-01-03", "data": [_item("2601.1")]})
    assert hf_daily.sniff(wrapped)
    assert hf_daily.sniff(wrapped[:150])
    snippet = data / "semantic-scholar-api" / "responses" / "test_search_snippet__00.json"
    assert not hf_daily.sniff(snippet.read_text())  # {data: [{snippet, paper: {corpusId…}}]}
    assert not hf_daily.sniff('[{"paper": {"id": "2601.00001", "title": "no upvotes"}}]')
    assert not hf_daily.sniff('[{"id": "2601.00001", "upvotes": 3}]')
    assert not hf_daily.sniff("[]")
    lines = "".join(json.dumps(_item(f"2601.0000{n}")) + "\n" for n in range(3))
    assert not hf_daily.sniff(lines)  # JSON lines of items: not one daily document
    assert not hf_daily.sniff('{"id": "2601.00001", "title": "x"}\n{"id": "2601.00002"}\n')


# --- idempotence (last: it re-ingests into the module's store) --------------------------------


@pytest.mark.slow
def test_reingesting_every_dump_changes_nothing(loaded: Loaded, data: Path) -> None:
    before = dump_store(loaded.db)
    reports = ingest(loaded.radar, data / "hf-daily-papers" / "daily")
    assert sum(r.new + r.updated for r in reports) == 0
    assert sum(r.unchanged for r in reports) == ITEMS
    assert dump_store(loaded.db) == before
