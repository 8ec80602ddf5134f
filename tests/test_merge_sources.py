"""The same paper from several sources and shapes becomes one paper with every provenance."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.radar import Radar
from tests.conftest import DATA, ingest

RSS = next((DATA / "arxiv-rss-atom").glob("*.xml"))
CORPUS_MONTH = DATA / "arxiv-daily-cs-corpus" / "papers-2025-08.jsonl.gz"
SEEDS = [
    DATA / "seeds" / n
    for n in ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")
]


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _hf_items() -> Iterator[dict[str, str]]:
    for path in sorted((DATA / "hf-daily-papers" / "daily").glob("*.json.gz")):
        doc = json.loads(gzip.decompress(path.read_bytes()))
        for item in doc["data"] if isinstance(doc, dict) else doc:
            yield item["paper"]


@pytest.fixture(scope="module")
def radar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radar]:
    home = tmp_path_factory.mktemp("merge")
    with Radar.open(Settings(home=home, db=str(home / "s.sqlite3"))) as r:
        reports = ingest(r, *SEEDS, DATA / "hf-daily-papers" / "daily", CORPUS_MONTH, RSS)
        assert all(report.ok and not report.rejected for report in reports)
        yield r


def _formats(radar: Radar, identifier: str) -> set[str]:
    return {s.source for s in radar.get(identifier).sources}


def test_abstract_only_entry_merges_with_its_arxiv_record(radar: Radar) -> None:
    line = (DATA / "seeds" / "abstracts-a.txt").read_text().splitlines()[0]
    abstract = line.removeprefix("Abstract:").strip()
    (hf,) = [p for p in _hf_items() if _norm(p["summary"])[:300] == _norm(abstract)[:300]]
    paper = radar.get(hf["id"])
    assert _formats(radar, hf["id"]) == {"abstracts", "hf-daily"}
    assert paper.arxiv_id == hf["id"]
    assert paper.title == " ".join(hf["title"].split())
    assert paper.id.startswith("ps-")  # the id it got first stays: ids are stable
    assert radar.get(paper.id) == paper


def test_page_text_titles_merge_with_hugging_face_records(radar: Radar) -> None:
    page = (DATA / "seeds" / "hf-papers-page-a.txt").read_text().split("\n\n")
    titles = {_norm(p) for p in page}
    shared = [p["id"] for p in _hf_items() if _norm(p["title"]) in titles]
    assert len(shared) == 13
    for arxiv_id in shared:
        assert _formats(radar, arxiv_id) == {"hf-page", "hf-daily"}


def test_digest_entries_merge_with_hugging_face_records(radar: Radar) -> None:
    digest = (DATA / "seeds" / "digest-title-pdf-summary.txt").read_text()
    ids = set(re.findall(r"PDF: https://arxiv.org/pdf/(\S+)", digest))
    shared = ids & {p["id"] for p in _hf_items()}
    assert len(shared) == 29
    for arxiv_id in shared:
        paper = radar.get(arxiv_id)
        assert {s.source for s in paper.sources} == {"digest", "hf-daily"}
        assert paper.upvotes is not None  # the HF fact joined the digest's paper


def test_corpus_and_rss_listing_merge_with_both_listing_dates(radar: Radar) -> None:
    with gzip.open(CORPUS_MONTH, "rt", encoding="utf-8") as lines:
        corpus = {json.loads(line)["id"]: json.loads(line) for line in lines}
    rss = set(re.findall(r"<id>oai:arXiv.org:(\d{4}\.\d{5})v\d+</id>", RSS.read_text()))
    shared = sorted(rss & corpus.keys())
    assert len(shared) >= 20
    for arxiv_id in shared:
        paper = radar.get(arxiv_id)
        assert {s.source for s in paper.sources} == {"jsonl", "arxiv-listing"}
        assert set(corpus[arxiv_id]["listing_dates"]) <= set(paper.listed)
        assert "2025-08-20" in paper.listed


def test_no_paper_is_stored_twice(radar: Radar) -> None:
    papers = list(radar.papers())
    arxiv_ids = [p.arxiv_id for p in papers if p.arxiv_id]
    assert len(arxiv_ids) == len(set(arxiv_ids))
    titles = [_norm(p.title) for p in papers if p.title and not p.arxiv_id]
    assert len(titles) == len(set(titles))
    hf_ids = {p["id"] for p in _hf_items()}
    with gzip.open(CORPUS_MONTH, "rt", encoding="utf-8") as lines:
        corpus_ids = {json.loads(line)["id"] for line in lines}
    rss = set(re.findall(r"<id>oai:arXiv.org:(\d{4}\.\d{5})v\d+</id>", RSS.read_text()))
    digest = set(
        re.findall(
            r"PDF: https://arxiv.org/pdf/(\S+)",
            (DATA / "seeds" / "digest-title-pdf-summary.txt").read_text(),
        )
    )
    with_ids = hf_ids | corpus_ids | rss | digest
    # untitled/unidentified seeds that found no arXiv record stay papers of their own
    unmatched_page = 76 - 13
    unmatched_abstracts = 10 - 1
    assert len(papers) == len(with_ids) + unmatched_page + unmatched_abstracts


def test_catalogue_entries_sharing_a_doi_merge_and_others_stay_apart(tmp_path: Path) -> None:
    def s2(paper_id: str, title: str, doi: str | None = None) -> dict[str, object]:
        ids = {"DOI": doi} if doi else {}
        return {"paperId": paper_id * 40, "title": title, "abstract": "A", "externalIds": ids}

    lines = [  # Semantic Scholar paper lines: two entries of one DOI, two unrelated namesakes
        s2("a", "One Study of Caches", "10.1234/one"),
        s2("b", "One Study of Caches", "10.1234/one"),
        s2("c", "Two Studies"),
        s2("d", "Two Studies"),
    ]
    first, second = tmp_path / "s2-a.jsonl", tmp_path / "s2-b.jsonl"  # one DOI once per file
    first.write_text("".join(json.dumps(line) + "\n" for line in lines[::2]))
    second.write_text("".join(json.dumps(line) + "\n" for line in lines[1::2]))
    with Radar.open(Settings(home=tmp_path, db=str(tmp_path / "s.sqlite3"))) as radar:
        a, b = ingest(radar, first, second)
        assert (a.new, b.new, b.updated, a.error, b.error) == (2, 1, 1, None, None)
        assert len({p.id for p in radar.papers() if p.title == "Two Studies"}) == 2
        assert set(radar.get("10.1234/one").external_ids) == {("s2", "a" * 40), ("s2", "b" * 40)}


def test_every_shared_semantic_scholar_object_goes_in_together(tmp_path: Path) -> None:
    with Radar.open(Settings(home=tmp_path, db=str(tmp_path / "s.sqlite3"))) as radar:
        reports = ingest(radar, DATA / "semantic-scholar-api" / "objects")
        papers = [r for r in reports if r.format == "s2"]
        assert papers and all(r.ok for r in papers)
        assert radar.store.count_papers() == sum(r.new for r in papers)
