"""CSV tables: the real Keras arXiv sample (813 rows, 6 rows repeated), Zotero-style columns,
tab-separated files, and bad rows rejected by line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, dump_store, ingest, ingest_text

KERAS = DATA / "keras-arxiv-multilabel-sample" / "arxiv_data_sample.csv"


def _rows() -> list[dict[str, str]]:
    with KERAS.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def _items(text: str | bytes) -> list[Record | Rejected]:
    data = text.encode() if isinstance(text, str) else text
    return list(get_format("csv").parse(Input.from_bytes("t.csv", data)))


def test_keras_sample_rows() -> None:
    rows = _rows()
    assert len(rows) == 813
    assert detect(Input.from_path(KERAS)).name == "csv"
    items = list(get_format("csv").parse(Input.from_path(KERAS)))
    assert len(items) == 813
    assert all(isinstance(i, Record) for i in items)
    first = items[0]
    assert first == Record(
        source="csv",
        ref="line 2",
        authority=Authority.AGGREGATOR,
        title="Boosting Few-Shot Classification with View-Learnable Contrastive Learning",
        abstract=rows[0]["summaries"],
        categories=("cs.CV",),
        extra=(("word_count", "151"), ("unique_word_count", "99")),
    )
    for item, row in zip(items, rows, strict=True):
        assert isinstance(item, Record)
        assert (item.title, item.abstract) == (row["titles"], row["summaries"])
        terms = re.split(r"[,;]", row["terms"].strip("[]").replace("'", ""))
        # "I.2.6; I.2.7" is two codes; a code given twice is kept once
        assert item.categories == tuple(dict.fromkeys(t.strip() for t in terms))
    # refs are the line each row starts on (summaries run over many lines)
    lines = KERAS.read_text().splitlines()
    for item in items[:50]:
        number = int(item.ref.split()[1])
        assert isinstance(item, Record)
        assert item.title is not None
        assert lines[number - 1].startswith(item.title) or lines[number - 1].startswith('"')


def test_keras_sample_ingest_and_repeated_rows(radar: Radar, db_path: Path) -> None:
    rows = _rows()
    titles = [row["titles"] for row in rows]
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    assert len(repeated) == 6  # the source's 7th repeated title is in the held-out slice
    for title in repeated:  # each repeat is the same row again: same abstract, same terms
        same = [row for row in rows if row["titles"] == title]
        assert len(same) == 2
        assert same[0] == same[1]
    (report,) = ingest(radar, KERAS)
    # a repeated row is the same record seen again: unchanged, no second paper
    assert (report.format, report.new, report.updated, report.unchanged, report.rejected) == (
        "csv",
        807,
        0,
        6,
        [],
    )
    papers = list(radar.papers())
    assert len(papers) == 807 == len(set(titles))
    twice = sorted(p.title for p in papers if len(p.sources) == 2)
    assert twice == repeated
    before = dump_store(db_path)
    (again,) = ingest(radar, KERAS)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 813)
    assert dump_store(db_path) == before


def test_same_title_different_abstracts_are_one_paper(radar: Radar) -> None:
    # without ids, the title is the identity: two rows with one title merge into one paper,
    # the later abstract kept beside the first as another record of it
    text = (
        "title,abstract\n"
        "Learning Topology from Synthetic Data,First version of the abstract.\n"
        "Learning Topology from Synthetic Data,A rewritten abstract of the same paper.\n"
    )
    report = ingest_text(radar, "t.csv", text)
    assert (report.new, report.updated, report.unchanged) == (1, 1, 0)
    (paper,) = radar.papers()
    assert len(paper.sources) == 2
    assert paper.abstract in (
        "First version of the abstract.",
        "A rewritten abstract of the same paper.",
    )


def test_zotero_style_columns() -> None:
    text = (
        '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Url",'
        '"Abstract Note","Date","Manual Tags"\n'
        '"ABCD1234","preprint","2017","Vaswani, Ashish; Shazeer, Noam; Parmar, Niki",'
        '"Attention Is All You Need","","10.48550/arXiv.1706.03762",'
        '"http://arxiv.org/abs/1706.03762","The dominant sequence transduction models.",'
        '"2017-06-12","transformers"\n'
        '"EFGH5678","journalArticle","2016","He, Kaiming; Zhang, Xiangyu","Deep Residual '
        'Learning for Image Recognition","CVPR","10.1109/CVPR.2016.90","","Deeper networks.",'
        '"2016","vision; resnets"\n'
    )
    assert detect(Input.from_bytes("zotero.csv", text.encode())).name == "csv"
    first, second = _items(text)
    assert isinstance(first, Record)
    assert isinstance(second, Record)
    assert first.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert (first.arxiv_id, first.doi, first.submitted) == ("1706.03762", None, "2017-06-12")
    assert first.links == Links(abs="http://arxiv.org/abs/1706.03762")
    assert dict(first.extra) == {
        "Key": "ABCD1234",
        "Item Type": "preprint",
        "Manual Tags": "transformers",
    }
    assert (second.doi, second.journal_ref, second.submitted) == (
        "10.1109/cvpr.2016.90",
        "CVPR",
        "2016",
    )
    assert second.authors == ("Kaiming He", "Xiangyu Zhang")


def test_tab_separated_with_ids_and_list_columns() -> None:
    text = (
        "arxiv_id\tTitle\tSummary\tAuthors\tCategories\tPublished\tURL\n"
        "2503.11731v2\tIndustrial-Grade Sensor Simulation\tSensor simulation is pivotal.\t"
        "['Xianming Zeng', 'Sicong Du']\t['cs.CV', 'cs.RO']\t2025-03-14\t"
        "https://github.com/x/y\n"
    )
    (record,) = _items(text)
    assert isinstance(record, Record)
    assert (record.arxiv_id, record.version) == ("2503.11731", 2)
    assert record.authors == ("Xianming Zeng", "Sicong Du")
    assert record.categories == ("cs.CV", "cs.RO")
    assert record.submitted == "2025-03-14"
    assert record.links == Links(code="https://github.com/x/y")  # a url naming code is the code


def test_bad_rows_are_rejected_with_their_line(radar: Radar) -> None:
    data = (
        b"title,abstract,authors\n"
        b'A first good paper,"An abstract that runs\nover two lines.",Ada Lovelace\n'
        b'Too many columns,"Spread over\nthree\nlines",A,B\n'
        b"Caf\xe9 society,An abstract with bad bytes.,Someone\n"
        b"\n"
        b",,Nobody\n"
        b"Too few columns\n"
        b"A second good paper,Another abstract.,Alan Turing\n"
    )
    report = ingest_text(radar, "papers.csv", data, format="csv")
    assert (report.format, report.new, report.error) == ("csv", 2, None)
    assert report.rejected == [
        Rejected("line 4", "row has 4 columns, the header has 3"),
        Rejected("line 7", "invalid UTF-8 (byte 0xe9 at column 4)"),
        Rejected("line 9", "no title and no abstract", "title"),
        Rejected("line 10", "row has 1 columns, the header has 3"),
    ]
    titles = sorted(p.title for p in radar.papers())
    assert titles == ["A first good paper", "A second good paper"]


def test_header_without_title_and_abstract_is_refused(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    report = ingest_text(radar, "q.csv", "pid,facet,year,title\n1,method,2017,T\n", format="csv")
    assert report.error is not None
    assert "q.csv, line 1" in report.error
    assert "no title column and abstract/summary column" in report.error
    assert dump_store(db_path) == before
    with pytest.raises(ParseError):
        _items("just some text, with a comma\n")


def test_sniffing_is_specific() -> None:
    sniff = get_format("csv").sniff
    assert sniff(KERAS.read_text()[:65536])
    assert sniff("\ufeffTitle;Abstract\nT;A\n")
    for head in (
        (DATA / "csfcube-faceted-qbe" / "queries-release.csv").read_text(),  # no abstract column
        (DATA / "seeds" / "README.md").read_text(),
        (DATA / "seeds" / "labels.jsonl").read_text()[:65536],
        "Title, and then an abstract, in prose\n",
        "title,abstract_start\nT,A\n",
    ):
        assert not sniff(head)
