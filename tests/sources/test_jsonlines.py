"""JSON lines: the arXiv bulk snapshot (a fixture built from real .abs papers, which must merge
with them) and generic paper lines (the real 59,771-paper arXiv CS corpus)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from papersift.config import Settings
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, dump_store, ingest, ingest_text

ABS = DATA / "arxiv-abs-native"
CORPUS = DATA / "arxiv-daily-cs-corpus"


def _items(fmt: str, text: str | bytes, name: str = "x.jsonl") -> list[Record | Rejected]:
    data = text.encode() if isinstance(text, str) else text
    return list(get_format(fmt).parse(Input.from_bytes(name, data)))


def _lines(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


# --- the arXiv bulk snapshot -------------------------------------------------------------------


def _abstract(path: Path) -> str:
    """The abstract as the snapshot carries it: the .abs text between the header's closing
    ``\\\\`` line and the last one (arXiv's own split)."""
    parts = re.split(r"^\\\\\n", path.read_text(), flags=re.M)
    return "\\\\\n".join(parts[2:-1])


SNAPSHOT_PAPERS = {
    "arxiv/papers/0704/0704.0001.abs": {
        "id": "0704.0001",
        "submitter": "Pavel Nadolsky",
        "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n"
        "  LHC energies",
        "comments": "37 pages, 15 figures; published version",
        "journal-ref": "Phys.Rev.D76:013009,2007",
        "doi": "10.1103/PhysRevD.76.013009",
        "report-no": "ANL-HEP-PR-07-12",
        "categories": "hep-ph",
        "license": None,
        "versions": [
            {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
            {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
        ],
        "update_date": "2008-11-13",
        "authors_parsed": [
            ["Balázs", "C.", ""],
            ["Berger", "E. L.", ""],
            ["Nadolsky", "P. M.", ""],
            ["Yuan", "C. -P.", ""],
        ],
    },
    "hep-th/papers/9709/9709111.abs": {
        "id": "hep-th/9709111",
        "submitter": "Fabio Zwirner",
        "authors": "Andrea Brignole (CERN-TH), Ferruccio Feruglio (Padua Univ.), Fabio\n"
        "  Zwirner (INFN-Padua)",
        "title": "On the effective interactions of a light gravitino with matter fermions",
        "comments": "12 pages, 1 figure, plain LaTeX. An important proof added in section\n"
        "  5. Final version to be published in JHEP",
        "journal-ref": "JHEP 9711:001,1997",
        "doi": "10.1088/1126-6708/1997/11/001",
        "report-no": "CERN-TH/97-244, DFPD~97/TH/35",
        "categories": "hep-th hep-ph",
        "license": None,
        "versions": [
            {"version": "v1", "created": "Tue, 16 Sep 1997 14:44:58 GMT"},
            {"version": "v2", "created": "Tue, 23 Sep 1997 17:34:41 GMT"},
            {"version": "v3", "created": "Mon, 3 Nov 1997 19:27:30 GMT"},
        ],
        "update_date": "2009-10-30",
        "authors_parsed": [
            ["Brignole", "Andrea", "", "CERN-TH"],
            ["Feruglio", "Ferruccio", "", "Padua Univ."],
            ["Zwirner", "Fabio", "", "INFN-Padua"],
        ],
    },
    "arxiv/papers/2004/2004.02153.abs": {
        "id": "2004.02153",
        "submitter": "Mario Fuest",
        "authors": "Jianlu Yan and Mario Fuest",
        "title": "When do Keller-Segel systems with heterogeneous logistic sources admit\n"
        "  generalized solutions?",
        "comments": "16 pages",
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "math.AP",
        "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
        "versions": [{"version": "v1", "created": "Sun, 5 Apr 2020 10:46:18 GMT"}],
        "update_date": "2020-04-07",
        "authors_parsed": [["Yan", "Jianlu", ""], ["Fuest", "Mario", ""]],
    },
    "arxiv/papers/2403/2403.10561.abs": {
        "id": "2403.10561",
        "submitter": "Dimitris Spathis",
        "authors": "Dimitris Spathis, Aaqib Saeed, Ali Etemad, Sana Tonekaboni, Stefanos\n"
        "  Laskaridis, Shohreh Deldari, Chi Ian Tang, Patrick Schwab, Shyam Tailor",
        "title": "A collection of the accepted papers for the Human-Centric Representation\n"
        "  Learning workshop at AAAI 2024",
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "cs.LG cs.AI",
        "license": "http://creativecommons.org/licenses/by-nc-nd/4.0/",
        "versions": [{"version": "v1", "created": "Thu, 14 Mar 2024 08:46:07 GMT"}],
        "update_date": "2024-03-19",
        "authors_parsed": [["Spathis", "Dimitris", ""], ["Saeed", "Aaqib", ""]],
    },
}


def _snapshot() -> str:
    lines = []
    for path, paper in SNAPSHOT_PAPERS.items():
        keys = list(paper)  # the snapshot's key order: abstract after license
        keys.insert(keys.index("license") + 1, "abstract")
        full = {**paper, "abstract": _abstract(ABS / path)}
        lines.append(json.dumps({k: full[k] for k in keys}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def test_snapshot_fixture_is_the_real_papers() -> None:
    text = _snapshot()
    assert detect(Input.from_bytes("arxiv-metadata-oai-snapshot.json", text.encode())).name == (
        "arxiv-snapshot"
    )
    records = _items("arxiv-snapshot", text)
    assert [r.ref for r in records] == ["line 1", "line 2", "line 3", "line 4"]
    first = records[0]
    assert isinstance(first, Record)
    assert first == Record(
        source="arxiv-snapshot",
        ref="line 1",
        authority=Authority.ARXIV,
        arxiv_id="0704.0001",
        version=2,
        doi="10.1103/physrevd.76.013009",
        title="Calculation of prompt diphoton production cross sections at Tevatron and\n"
        "  LHC energies",
        abstract=first.abstract,
        authors=("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"),
        categories=("hep-ph",),
        submitted="2007-04-02T19:18:42+00:00",
        updated="2007-07-24T20:10:27+00:00",
        versions=(
            Version(1, "2007-04-02T19:18:42+00:00"),
            Version(2, "2007-07-24T20:10:27+00:00"),
        ),
        links=Links(abs="https://arxiv.org/abs/0704.0001", pdf="https://arxiv.org/pdf/0704.0001"),
        comments="37 pages, 15 figures; published version",
        journal_ref="Phys.Rev.D76:013009,2007",
        extra=(
            ("submitter", "Pavel Nadolsky"),
            ("report_no", "ANL-HEP-PR-07-12"),
            ("update_date", "2008-11-13"),
        ),
    )
    assert first.abstract is not None
    assert first.abstract.startswith("A fully differential calculation in perturbative")
    assert first.abstract.endswith("selection of events.")


def _without_sources(radar: Radar) -> list[Any]:
    return sorted(
        (p.id, p.title_raw, p.abstract_raw, p.authors, p.versions, p.doi, p.submitted, p.updated,
         p.comments, p.journal_ref, p.license, p.categories, p.links)
        for p in radar.papers()
    )  # fmt: skip


def test_snapshot_and_abs_give_one_paper_each(radar: Radar, tmp_path: Path) -> None:
    paths = [ABS / p for p in SNAPSHOT_PAPERS]
    reports = ingest(radar, *paths)
    assert [r.new for r in reports] == [1, 1, 1, 1]
    report = ingest_text(radar, "snapshot.json", _snapshot())
    assert (report.format, report.new, report.updated + report.unchanged, report.rejected) == (
        "arxiv-snapshot",
        0,
        4,
        [],
    )
    papers = {p.id: p for p in radar.papers()}
    assert sorted(papers) == ["0704.0001", "2004.02153", "2403.10561", "hep-th/9709111"]
    for paper in papers.values():
        assert sorted(s.source for s in paper.sources) == ["arxiv-abs", "arxiv-snapshot"]
    paper = papers["hep-th/9709111"]
    assert paper.authors == ("Andrea Brignole", "Ferruccio Feruglio", "Fabio Zwirner")
    assert paper.versions == (  # dates from both, sizes only from the .abs
        Version(1, "1997-09-16T14:44:58+00:00", "11kb"),
        Version(2, "1997-09-23T17:34:41+00:00", "11kb"),
        Version(3, "1997-11-03T19:27:30+00:00", "14kb"),
    )
    assert paper.title == "On the effective interactions of a light gravitino with matter fermions"
    assert (
        papers["2004.02153"].abstract_raw
        == _abstract(ABS / "arxiv/papers/2004/2004.02153.abs").strip()
    )
    # the other order gives the same papers
    with Radar.open(Settings(home=tmp_path, db=str(tmp_path / "other.sqlite3"))) as other:
        ingest_text(other, "snapshot.json", _snapshot())
        ingest(other, *paths)
        assert _without_sources(other) == _without_sources(radar)


def test_gzipped_snapshot(radar: Radar, db_path: Path) -> None:
    data = gzip.compress(_snapshot().encode())
    report = ingest_text(radar, "arxiv-metadata-oai-snapshot.json.gz", data)
    assert (report.format, report.new, report.rejected) == ("arxiv-snapshot", 4, [])
    before = dump_store(db_path)
    again = ingest_text(radar, "arxiv-metadata-oai-snapshot.json.gz", data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert dump_store(db_path) == before


def test_bad_snapshot_lines_are_rejected(radar: Radar) -> None:
    good = json.loads(_snapshot().splitlines()[0])
    lines = [
        json.dumps(good),
        json.dumps({**good, "id": None}),
        json.dumps({**good, "id": "2501.99999", "versions": "v1"}),
        json.dumps({**good, "id": "2501.99998", "authors": 5}),
        json.dumps(
            {**good, "id": "2501.99997", "versions": [{"version": "v1", "created": "soon"}]}
        ),
        "[1, 2]",
        '{"id": "2501.99996", "title": ',
        json.dumps({**good, "id": "2501.99995", "title": None, "abstract": "  "}),
    ]
    items = _items("arxiv-snapshot", "\n".join(lines))
    assert isinstance(items[0], Record)
    assert items[1:] == [
        Rejected("line 2", "no arXiv id", "id"),
        Rejected("line 3", "field 'versions' must be a list, not a string", "versions"),
        Rejected("line 4", "field 'authors' must be text, not a number", "authors"),
        Rejected("line 5", "field 'versions' has a bad date 'soon'", "versions"),
        Rejected("line 6", "expected a JSON object, not a list"),
        Rejected("line 7", "invalid JSON: Expecting value (column 31)"),
        Rejected("line 8", "no title and no abstract", "title"),
    ]
    report = ingest_text(radar, "snap.json", "\n".join(lines))
    assert (report.format, report.new, len(report.rejected)) == ("arxiv-snapshot", 1, 7)


# --- generic JSON lines: the real arXiv CS corpus ----------------------------------------------


@pytest.mark.parametrize("name", ["papers-2025-03.jsonl.gz", "papers-2026-07.jsonl.gz"])
def test_corpus_month_every_line_is_a_paper(radar: Radar, db_path: Path, name: str) -> None:
    rows = _lines(CORPUS / name)
    assert len(rows) == {"papers-2025-03.jsonl.gz": 1869, "papers-2026-07.jsonl.gz": 239}[name]
    (report,) = ingest(radar, CORPUS / name)
    assert (report.format, report.new, report.updated, report.rejected, report.error) == (
        "jsonl",
        len(rows),
        0,
        [],
        None,
    )
    papers = {p.id: p for p in radar.papers()}
    assert sorted(papers) == sorted(row["id"] for row in rows)
    for row in rows:
        paper = papers[row["id"]]
        assert paper.title_raw == " ".join(row["title"].split())
        assert paper.abstract_raw == row["summary"].strip()
        # plain names: LaTeX's "Eric~Granger" is "Eric Granger"
        assert paper.authors == tuple(" ".join(a.replace("~", " ").split()) for a in row["authors"])
        assert paper.listed == tuple(sorted(row["listing_dates"]))
        assert paper.comments == (" ".join(row["comment"].split()) if row["comment"] else None)
        assert paper.links.pdf == row["pdf"]
        assert paper.links.abs == row["abs"]
    before = dump_store(db_path)
    (again,) = ingest(radar, CORPUS / name)
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(rows))
    assert dump_store(db_path) == before


def test_corpus_first_line_fields() -> None:
    items = list(get_format("jsonl").parse(Input.from_path(CORPUS / "papers-2025-03.jsonl.gz")))
    first = items[0]
    assert isinstance(first, Record)
    assert (first.ref, first.source, first.authority) == ("line 1", "jsonl", Authority.AGGREGATOR)
    assert (first.arxiv_id, first.version) == ("2503.11731", None)
    assert first.title == (
        "Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework for "
        "Scalable Editing and Full-Stack Validation"
    )
    assert first.authors[:2] == ("Xianming Zeng", "Sicong Du")
    assert len(first.authors) == 16
    assert first.categories == ("cs.CV", "cs.RO")
    assert first.listed == ("2025-03-18",)
    assert first.comments is None
    assert first.extra == ()
    assert first.abstract is not None
    assert first.abstract.startswith("Sensor simulation is pivotal")
    # ACM classes stay, after the arXiv categories
    acm = next(i for i in items if isinstance(i, Record) and i.arxiv_id == "2503.12260")
    assert acm.categories == ("cs.CV", "I.4")


@pytest.mark.slow
def test_the_whole_corpus_59771_papers(radar: Radar) -> None:
    files = sorted(CORPUS.glob("papers-*.jsonl.gz"))
    assert len(files) == 17
    reports = ingest(radar, *files)
    assert [r.error for r in reports] == [None] * 17
    assert sum(r.new for r in reports) == 59_771
    assert sum(len(r.rejected) + r.updated for r in reports) == 0
    assert radar.stats()["papers"] == 59_771


# --- generic JSON lines: shapes and bad lines --------------------------------------------------


def test_generic_fields_and_ids() -> None:
    lines = [
        {"title": "A", "abstract": "x", "id": "https://arxiv.org/abs/2503.11731v3"},
        {"title": "B", "summary": "y", "id": "10.1145/3583780.3615000"},
        {"title": "C", "abstract": "z", "id": "W4383", "doi": "https://doi.org/10.1234/ABC"},
        {"title": "D", "abstract": "w", "id": "10.48550/arXiv.2401.00001"},
        {
            "title": "E",
            "abstract": "v",
            "authors": [{"name": "Ada Lovelace"}, "Alan  Turing"],
            "categories": "cs.LG stat.ML",
            "primary_category": "stat.ML",
            "published": "2025-03-14T17:59:59Z",
            "updated": "Tue, 24 Jul 2007 20:10:27 GMT",
            "url": "https://arxiv.org/pdf/2502.00002",
            "github": "https://github.com/a/b",
            "project_page": "https://a.github.io/b",
            "upvotes": "12",
            "listing_dates": ["2025-03-18T00:00:00", "2025-03-17"],
            "comment": "ICML",
            "venue_rank": 3,
        },
        {"title": "F", "abstract": "u", "categories": ["I.2.7", "cs.CL", "68T50, 68T07", "cs.AI"]},
    ]
    items = _items("jsonl", "\n".join(json.dumps(x) for x in lines))
    a, b, c, d, e, f = items
    assert isinstance(a, Record)
    assert (a.arxiv_id, a.version, a.extra) == ("2503.11731", 3, ())
    assert isinstance(b, Record)
    assert (b.arxiv_id, b.doi, b.extra) == (
        None,
        "10.1145/3583780.3615000",
        (),
    )
    assert isinstance(c, Record)
    assert (c.doi, c.extra) == ("10.1234/abc", (("id", "W4383"),))
    assert isinstance(d, Record)
    assert (d.arxiv_id, d.doi) == ("2401.00001", None)
    assert isinstance(e, Record)
    assert e.authors == ("Ada Lovelace", "Alan Turing")
    assert e.categories == ("stat.ML", "cs.LG")
    assert (e.submitted, e.updated) == ("2025-03-14T17:59:59Z", "2007-07-24T20:10:27+00:00")
    assert e.arxiv_id == "2502.00002"
    assert e.links == Links(
        pdf="https://arxiv.org/pdf/2502.00002",
        code="https://github.com/a/b",
        project="https://a.github.io/b",
    )
    assert (e.upvotes, e.listed, e.comments) == (12, ("2025-03-17", "2025-03-18"), "ICML")
    assert e.extra == (("venue_rank", "3"),)
    assert isinstance(f, Record)
    assert f.categories == ("cs.CL", "cs.AI", "I.2.7", "68T50", "68T07")


def test_bad_lines_are_rejected_with_line_and_field(radar: Radar) -> None:
    good = {"id": "2503.00001", "title": "Good paper", "abstract": "About things."}
    lines = [
        json.dumps(good).encode(),
        b"[1, 2, 3]",
        b"42",
        json.dumps({**good, "id": "2503.00002", "authors": 7}).encode(),
        b"",
        b'{"title": "cut',
        b'{"title": "Caf\xe9", "abstract": "bad bytes"}',
        json.dumps({"id": "2503.00003", "authors": ["A"]}).encode(),
        json.dumps({**good, "id": "2503.00004", "title": ["a", "list"]}).encode(),
        json.dumps({**good, "id": "2503.00005", "upvotes": "many"}).encode(),
        json.dumps({**good, "id": "2503.00006", "listing_dates": ["March"]}).encode(),
        json.dumps({**good, "id": "2503.00007", "authors": ["A", 3]}).encode(),
        json.dumps({**good, "id": "2503.00001"}).encode(),
        json.dumps({**good, "id": "2503.00008", "categories": {"a": 1}}).encode(),
        json.dumps({**good, "id": "2503.00009", "title": "Also good"}).encode(),
    ]
    data = b"\n".join(lines) + b"\n"
    report = ingest_text(radar, "papers.jsonl", data, format="jsonl")
    assert (report.format, report.new, report.error) == ("jsonl", 2, None)
    assert [(r.ref, r.field) for r in report.rejected] == [
        ("line 2", None),
        ("line 3", None),
        ("line 4", "authors"),
        ("line 6", None),
        ("line 7", None),
        ("line 8", "title"),
        ("line 9", "title"),
        ("line 10", "upvotes"),
        ("line 11", "listing_dates"),
        ("line 12", "authors"),
        ("line 13", "id"),
        ("line 14", "categories"),
    ]
    reasons = [r.reason for r in report.rejected]
    assert reasons[0] == "expected a JSON object, not a list"
    assert reasons[1] == "expected a JSON object, not a number"
    assert reasons[2] == "field 'authors' must be a list of names, not a number"
    assert reasons[3].startswith("invalid JSON: Unterminated string")
    assert reasons[4] == "invalid UTF-8 (byte 0xe9 at column 15)"
    assert reasons[6] == "field 'title' must be text, not a list"
    assert reasons[10] == "duplicate arXiv id 2503.00001 (first at line 1)"


def test_over_long_line_is_one_rejected_record(radar: Radar) -> None:
    good = json.dumps({"title": "A paper about short lines", "abstract": "A short one."})
    huge = json.dumps({"title": "A paper about long lines", "abstract": "x" * (1024 * 1024 + 10)})
    second = good.replace("short lines", "more lines")
    report = ingest_text(radar, "p.jsonl", "\n".join([good, huge, second]))
    assert (report.format, report.new) == ("jsonl", 2)
    assert [(r.ref, r.reason) for r in report.rejected] == [("line 2", "line is longer than 1 MB")]


def test_sniffing_is_specific() -> None:
    sniff = get_format("jsonl").sniff
    snapshot = get_format("arxiv-snapshot").sniff
    assert sniff('{"title": "T", "summary": "S"}\n')
    assert sniff('{"id": "1", "title": "T", "abstract": "' + "a" * 70_000)  # cut by the head
    labels = (DATA / "seeds" / "labels.jsonl").read_text()[:65536]
    for head in (
        labels,  # title and abstract_start: gold labels, not a listing
        (DATA / "seeds" / "README.md").read_text(),
        '{"title": "T", "body": "no abstract"}\n',
        '{\n  "title": "T",\n  "abstract": "pretty-printed document"\n}\n',
        '[{"title": "T", "abstract": "A"}]\n',
        '{"name": "an arbitrary object"}\n',
    ):
        assert not sniff(head)
        assert not snapshot(head)
    assert not snapshot('{"title": "T", "summary": "S"}\n')
    assert snapshot(_snapshot()[:5000])
    with pytest.raises(Exception, match="not a paper listing"):
        detect(Input.from_bytes("labels.jsonl", labels.encode()))
