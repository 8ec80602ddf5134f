"""Semantic Scholar Graph API JSON: every saved real response, counted from the JSON itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected
from papersift.radar import Radar
from papersift.sources import ids
from papersift.sources.base import Input
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, dump_store, ingest, ingest_text

S2 = DATA / "semantic-scholar-api"
RESPONSES = S2 / "responses"

ERRORS = {
    "test_bad_query_parameters__00.json": "Unrecognized or unsupported fields: [unknown]",
    "test_debug__00.json": "Forbidden",
    "test_get_recommended_papers_from_lists_negative_only__00.json": "No positive paper examples",
    "test_not_found__00.json": "Paper with id 0 not found",
    "test_not_found__01.json": "Author with id 0 not found",
}
NOT_PAPERS = [  # authors, datasets, releases, an empty page: not paper listings
    "objects/Dataset.json",
    "objects/DatasetDiff.json",
    "objects/Release.json",
    "responses/test_empty_paginated_results__00.json",
    "responses/test_get_author__00.json",
    "responses/test_get_authors__00.json",
    "responses/test_get_authors_not_found_warning__00.json",
    "responses/test_get_authors_return_not_found__00.json",
    "responses/test_get_available_releases__00.json",
    "responses/test_get_dataset_diffs__00.json",
    "responses/test_get_dataset_download_links__00.json",
    "responses/test_get_paper_authors__00.json",
    "responses/test_get_release__00.json",
    "responses/test_search_author__00.json",
]
# papers (with a title) and slots rejected (no title; null = not found), counted by hand with jq
COUNTED = {
    "objects/Paper.json": (1, 0),
    "objects/PaperWithNullValues.json": (0, 1),
    "objects/Reference.json": (1, 0),
    "objects/Author.json": (60, 0),
    "responses/test_get_paper__00.json": (1, 0),
    "responses/test_get_papers__00.json": (0, 3),  # fields=authors: no titles asked for
    "responses/test_get_papers_not_found_warning__00.json": (3, 1),
    "responses/test_get_paper_citations__18.json": (81, 0),
    "responses/test_get_paper_references__01.json": (17, 0),
    "responses/test_get_recommended_papers__00.json": (100, 0),
    "responses/test_search_paper_bulk_retrieval__00.json": (1000, 0),
    "responses/test_search_paper_bulk_retrieval_sorted_results_asc__03.json": (0, 27),
    "responses/test_search_paper_traversing_results__00.json": (89, 0),
    "responses/test_search_paper_year__00.json": (0, 21),
    "responses/test_search_snippet__00.json": (2, 0),
}


def _slots(data: Any) -> list[Any]:
    """Every paper slot of a response, read straight from the JSON."""
    if isinstance(data, list):
        items = data
    elif "data" in data:
        items = data["data"]
    elif "recommendedPapers" in data:
        items = data["recommendedPapers"]
    elif "papers" in data:
        items = data["papers"]
    else:
        items = [data]
    out = []
    for item in items:
        for wrapper in ("citingPaper", "citedPaper", "paper"):
            if isinstance(item, dict) and wrapper in item and "title" not in item:
                item = item[wrapper]
        out.append(item)
    return out


def _expected(path: Path) -> tuple[int, int]:
    slots = _slots(json.loads(path.read_text()))
    titled = sum(1 for s in slots if isinstance(s, dict) and s.get("title"))
    return titled, len(slots) - titled


def _paper_files() -> list[str]:
    names = [f"{p.parent.name}/{p.name}" for p in sorted(S2.glob("*/*.json"))]
    skip = set(NOT_PAPERS) | {f"responses/{n}" for n in ERRORS}
    return [n for n in names if n not in skip]


def test_the_folder_is_covered() -> None:
    files = _paper_files()
    assert len(files) + len(NOT_PAPERS) + len(ERRORS) == 102  # 95 responses + 7 objects
    assert len(files) == 83
    assert set(COUNTED) <= set(files)
    for name, counts in COUNTED.items():
        assert _expected(S2 / name) == counts, name


@pytest.mark.parametrize("name", _paper_files())
def test_every_paper_response(radar: Radar, db_path: Path, name: str) -> None:
    path = S2 / name
    titled, untitled = _expected(path)
    assert detect(Input.from_path(path)).name == "s2"
    (report,) = ingest(radar, path)
    assert (report.format, report.error) == ("s2", None)
    assert report.new + report.updated + report.unchanged == titled
    assert len(report.rejected) == untitled
    assert all(r.field in ("title", "paperId") for r in report.rejected)
    slots = _slots(json.loads(path.read_text()))
    titles = {ids.text_key(s["title"]) for s in slots if isinstance(s, dict) and s.get("title")}
    papers = list(radar.papers())
    # copies of one paper under several S2 ids (same title or abstract) become one paper
    assert len(papers) <= titled
    assert sum(len(p.sources) for p in papers) == titled
    assert {ids.text_key(p.title_raw) for p in papers} <= titles
    before = dump_store(db_path)
    (again,) = ingest(radar, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, titled)
    assert dump_store(db_path) == before


def test_full_paper_object() -> None:
    (record,) = get_format("s2").parse(Input.from_path(S2 / "objects" / "Paper.json"))
    assert isinstance(record, Record)
    assert (record.source, record.ref, record.authority) == ("s2", "record 1", Authority.AGGREGATOR)
    assert record.title == "Computing Machinery and Intelligence"
    assert record.doi == "10.1093/mind/lix.236.433"
    assert record.arxiv_id is None
    assert record.authors == ("A. Turing",)
    assert record.submitted == "1950-10-01"
    assert record.journal_ref == "Mind LIX, 433-460"
    assert record.abstract is not None
    assert record.abstract.startswith("I propose to consider")
    assert record.external_ids == (
        ("s2", "2d5673caa9e6af3a7b82a43f19ee920992db07ad"),
        ("corpus", "14636783"),
        ("dblp", "journals/x/Turing50"),
        ("mag", "2145482038"),
    )
    extra = dict(record.extra)
    assert extra["citationCount"] == "10059"
    assert extra["fieldsOfStudy"] == "Computer Science; Sociology"
    assert extra["tldr"].startswith("If the meaning of the words")
    assert extra["venue"] == "The Philosophy of Artificial Intelligence"


def test_arxiv_ids_and_pdf_links() -> None:
    (record,) = get_format("s2").parse(Input.from_path(S2 / "objects" / "Reference.json"))
    cited = json.loads((S2 / "objects" / "Reference.json").read_text())["citedPaper"]
    assert isinstance(record, Record)
    assert record.arxiv_id == ids.normalize_arxiv_id(cited["externalIds"]["ArXiv"])
    assert record.title == cited["title"]
    path = RESPONSES / "test_get_papers_not_found_warning__00.json"
    items = list(get_format("s2").parse(Input.from_path(path)))
    assert items[0] == Rejected("record 1", "paper not found (null in the response)", "paperId")
    second = items[1]
    assert isinstance(second, Record)
    assert second.links == Links(pdf="http://papers.nber.org/papers/w8841.pdf")
    assert (second.doi, second.submitted) == ("10.2139/ssrn.288970", "2001-10-01")
    assert second.authors == ("Marianne Bertrand", "E. Duflo", "S. Mullainathan")


def test_year_only_and_snippet_papers() -> None:
    items = list(
        get_format("s2").parse(Input.from_path(RESPONSES / "test_search_snippet__00.json"))
    )
    assert [(i.title, i.authors, i.external_ids) for i in items if isinstance(i, Record)] == [
        ("Computing Machinery and Intelligence", ("Alan Turing",), (("corpus", "19170988"),)),
        ("Evaluating Machine Intelligence", ("John Smith", "Jane Doe"), (("corpus", "12345678"),)),
    ]
    body = '{"data": [{"paperId": "abc", "title": "Old paper", "year": 1936}]}'
    (record,) = get_format("s2").parse(Input.from_bytes("s.json", body.encode()))
    assert isinstance(record, Record)
    assert record.submitted == "1936"


@pytest.mark.parametrize(("name", "message"), sorted(ERRORS.items()))
def test_error_bodies_are_refused_quoting_them(
    radar: Radar, db_path: Path, name: str, message: str
) -> None:
    before = dump_store(db_path)
    (report,) = ingest(radar, RESPONSES / name)
    assert report.error is not None
    assert name in report.error
    assert "API error response" in report.error
    assert message in report.error
    assert dump_store(db_path) == before


@pytest.mark.parametrize("name", NOT_PAPERS)
def test_what_holds_no_papers_is_not_sniffed(name: str) -> None:
    head = (S2 / name).read_text()[:65536]
    assert not get_format("s2").sniff(head)


def test_bad_slots_are_rejected_and_the_rest_go_in(radar: Radar) -> None:
    body = json.dumps(
        [
            {"paperId": "a" * 40, "title": "A good paper on graphs", "authors": [{"name": "X"}]},
            None,
            "a string",
            {"paperId": "b" * 40, "title": 12},
            {"paperId": "c" * 40, "title": "Bad authors here", "authors": 5},
            {"paperId": "d" * 40, "title": "Bad ids", "externalIds": ["ArXiv"]},
            {"paperId": "e" * 40, "title": "Bad year", "year": "1999"},
            {"authorId": "1", "name": "An Author"},
            {
                "paperId": "f" * 40,
                "title": "Another good paper",
                "externalIds": {"ArXiv": "2501.00001v2"},
            },
        ]
    )
    report = ingest_text(radar, "batch.json", body)
    assert (report.format, report.new) == ("s2", 2)
    assert [(r.ref, r.field) for r in report.rejected] == [
        ("record 2", "paperId"),
        ("record 3", None),
        ("record 4", "title"),
        ("record 5", "authors"),
        ("record 6", "externalIds"),
        ("record 7", "year"),
        ("record 8", "paperId"),
    ]
    assert report.rejected[2].reason == "field 'title' must be text, not a number"
    assert report.rejected[3].reason == "field 'authors' must be a list of names, not a number"
    assert radar.get("2501.00001").external_ids == (("s2", "f" * 40),)


def test_json_lines_of_papers() -> None:
    lines = [
        json.dumps({"paperId": "a" * 40, "title": "First"}),
        "{broken",
        json.dumps({"paperId": "b" * 40, "title": "Second", "corpusId": 7}),
    ]
    items = list(get_format("s2").parse(Input.from_bytes("p.jsonl", "\n".join(lines).encode())))
    assert [i.ref for i in items] == ["line 1", "line 2", "line 3"]
    assert isinstance(items[1], Rejected)
    assert items[1].reason.startswith("invalid JSON")
    assert isinstance(items[2], Record)
    assert ("corpus", "7") in items[2].external_ids


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"data": [', "invalid JSON: Expecting value"),
        ('{"data": 5}', "field 'data' must be a list of papers, not a number"),
        ('"paperId"', "not a Semantic Scholar response: the JSON is a string"),
        ('{"weird": 1}', "not a Semantic Scholar response"),
    ],
)
def test_unreadable_responses_raise(body: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        list(get_format("s2").parse(Input.from_bytes("r.json", body.encode())))


def test_sniffing_is_specific() -> None:
    sniff = get_format("s2").sniff
    assert sniff((RESPONSES / "test_search_paper_bulk_retrieval__00.json").read_text()[:65536])
    for head in (
        (DATA / "seeds" / "labels.jsonl").read_text()[:65536],
        (DATA / "seeds" / "README.md").read_text(),
        '{"title": "T", "abstract": "A"}\n',
        '{"error": "x", "detail": "not only an error"}',
        "paperId is a word here",
    ):
        assert not sniff(head)
