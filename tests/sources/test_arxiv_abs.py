"""arXiv .abs files: the 906 real files (one empty), exact fields, LaTeX kept, bad records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.radar import Radar
from papersift.sources.arxiv_abs import rfc822_to_iso, split_authors
from papersift.sources.base import Input
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, dump_store, ingest, ingest_text

ABS = DATA / "arxiv-abs-native"
FILES = sorted(ABS.rglob("*.abs"))
EMPTY = ABS / "math-ph" / "papers" / "0509" / "0509037.abs"
COPY = ABS / "cs" / "papers" / "0006" / "0006007.abs"


def _parse(source: Input) -> list[Record | Rejected]:
    return list(get_format("arxiv-abs").parse(source))


def _one(path: Path) -> Record:
    (record,) = _parse(Input.from_path(path))
    assert isinstance(record, Record)
    return record


def test_the_folder_holds_906_files_one_empty() -> None:
    assert len(FILES) == 906
    assert [p for p in FILES if p.stat().st_size == 0] == [EMPTY]


def test_every_file_is_one_paper_with_the_id_of_its_name() -> None:
    for path in FILES:
        if path == EMPTY:
            continue
        assert detect(Input.from_path(path)).name == "arxiv-abs", path
        record = _one(path)
        # the file name is the id: arxiv/papers/0704/0704.0001.abs, hep-th/papers/9709/9709111.abs
        archive = path.parts[len(ABS.parts)]
        expected = path.stem if archive == "arxiv" else f"{archive}/{path.stem}"
        if path == COPY:  # arxiv-browse keeps a copy of cs/0006008 under this name
            expected = "cs/0006008"
        assert record.arxiv_id == expected
        text = path.read_text()
        dates = re.findall(r"^Date(?: \(revised v\d+\))?:", text, re.M)
        assert len(record.versions) == len(dates) >= 1
        assert record.version == record.versions[-1].number == len(dates)
        assert record.submitted == record.versions[0].date
        assert record.updated == record.versions[-1].date
        assert record.title
        assert record.abstract
        assert record.authors
        assert record.categories
        assert record.authority is Authority.ARXIV


def test_ingest_the_whole_folder(radar: Radar, db_path: Path) -> None:
    reports = ingest(radar, ABS)
    by_name = {Path(r.origin).name: r for r in reports}
    refused = sorted(Path(r.origin).name for r in reports if r.error)
    assert refused == ["0509037.abs", "README.md"]
    assert "empty file" in by_name["0509037.abs"].error
    ok = [r for r in reports if not r.error]
    assert len(ok) == 905
    assert all((r.format, r.updated, r.rejected) == ("arxiv-abs", 0, []) for r in ok)
    # 0006007.abs is a byte-for-byte copy of 0006008.abs: the same record, seen twice
    assert COPY.read_bytes() == (COPY.parent / "0006008.abs").read_bytes()
    assert (by_name["0006007.abs"].new, by_name["0006008.abs"].unchanged) == (1, 1)
    assert sum(r.new for r in ok) == 904
    assert radar.stats()["papers"] == 904
    assert len(radar.get("cs/0006008").sources) == 2
    before = dump_store(db_path)
    again = ingest(radar, ABS)
    assert sum(r.unchanged for r in again) == 905
    assert sum(r.new + r.updated for r in again) == 0
    assert dump_store(db_path) == before


def test_old_style_id_with_three_versions() -> None:
    record = _one(ABS / "hep-th" / "papers" / "9709" / "9709111.abs")
    assert record == Record(
        source="arxiv-abs",
        ref="line 3",
        authority=Authority.ARXIV,
        arxiv_id="hep-th/9709111",
        version=3,
        doi="10.1088/1126-6708/1997/11/001",
        title="On the effective interactions of a light gravitino with matter fermions",
        abstract=record.abstract,
        authors=("Andrea Brignole", "Ferruccio Feruglio", "Fabio Zwirner"),
        categories=("hep-th", "hep-ph"),
        submitted="1997-09-16T14:44:58+00:00",
        updated="1997-11-03T19:27:30+00:00",
        versions=(
            Version(1, "1997-09-16T14:44:58+00:00", "11kb"),
            Version(2, "1997-09-23T17:34:41+00:00", "11kb"),
            Version(3, "1997-11-03T19:27:30+00:00", "14kb"),
        ),
        links=Links(
            abs="https://arxiv.org/abs/hep-th/9709111", pdf="https://arxiv.org/pdf/hep-th/9709111"
        ),
        comments="12 pages, 1 figure, plain LaTeX. An important proof added in section\n"
        "  5. Final version to be published in JHEP",
        journal_ref="JHEP 9711:001,1997",
        extra=(("report_no", "CERN-TH/97-244, DFPD~97/TH/35"),),
    )
    assert record.abstract is not None
    assert record.abstract.startswith("If the gravitino is light and all the other")
    assert record.abstract.endswith("on their possible phenomenological implications.")
    assert "\\\\" not in record.abstract


def test_new_style_id_latex_authors_and_submitter() -> None:
    record = _one(ABS / "arxiv" / "papers" / "0704" / "0704.0001.abs")
    assert record.arxiv_id == "0704.0001"
    assert record.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies"
    )
    assert record.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert record.doi == "10.1103/physrevd.76.013009"
    assert record.journal_ref == "Phys.Rev.D76:013009,2007"
    assert record.comments == "37 pages, 15 figures; published version"
    assert dict(record.extra) == {"report_no": "ANL-HEP-PR-07-12", "submitter": "Pavel Nadolsky"}
    assert [v.size for v in record.versions] == ["443kb", "370kb"]


def test_license_msc_class_proxy_and_flags_in_size() -> None:
    record = _one(ABS / "arxiv" / "papers" / "2403" / "2403.10561.abs")
    assert record.license == "http://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert record.versions == (Version(1, "2024-03-14T08:46:07+00:00", "1kb"),)
    assert record.categories == ("cs.LG", "cs.AI")
    assert len(record.authors) == 9
    assert record.authors[-1] == "Shyam Tailor"
    record = _one(ABS / "math-ph" / "papers" / "0509" / "0509022.abs")
    assert dict(record.extra)["msc_class"] == "82B44, 47B80, 47N55, 81Q10"
    assert dict(record.extra)["proxy"] == "ccsd ccsd-00008636"
    assert record.authors == ("Frédéric Klopp", "Georgi Raikov")  # "(LAGA)" is an affiliation


def test_latex_line_breaks_inside_the_abstract_are_kept() -> None:
    record = _one(ABS / "arxiv" / "papers" / "2004" / "2004.02153.abs")
    assert record.abstract is not None
    assert "\\begin{align*}" in record.abstract
    assert "u^\\kappa,\n\\\\\n  v_t = \\Delta v - v + u" in record.abstract
    assert record.abstract.endswith("collapse into a persistent Dirac distribution.")
    record = _one(ABS / "arxiv" / "papers" / "2103" / "2103.11058.abs")
    assert record.abstract is not None
    assert record.abstract.count("\\\\") >= 5
    assert record.abstract.endswith("modes to date.")


def test_collaboration_authors() -> None:
    record = _one(ABS / "arxiv" / "papers" / "1411" / "1411.4413.abs")
    assert record.authors[:3] == (
        "The CMS and LHCb Collaborations",
        "V. Khachatryan",
        "A.M. Sirunyan",
    )
    assert "C. Beirão Da Cruz E Silva" in record.authors
    assert split_authors("A. One (1), B. Two (2) and C. Three ((1) Univ X, (2) Univ Y)") == (
        "A. One",
        "B. Two",
        "C. Three",
    )


def test_rfc822_dates() -> None:
    assert rfc822_to_iso("Mon, 2 Apr 2007 19:18:42 GMT") == "2007-04-02T19:18:42+00:00"
    assert rfc822_to_iso("Tue, 24 Jul 2007 22:10:27 +0200") == "2007-07-24T20:10:27+00:00"
    assert rfc822_to_iso("yesterday") is None
    assert rfc822_to_iso("") is None


GOOD = (ABS / "arxiv" / "papers" / "0704" / "0704.0001.abs").read_bytes()
SECOND = (ABS / "hep-th" / "papers" / "9709" / "9709111.abs").read_bytes()


def test_bad_records_are_rejected_and_good_ones_go_in(radar: Radar) -> None:
    bad_date = SECOND.replace(b"Date (revised v2): Tue, 23 Sep 1997", b"Date (revised v2): someday")
    assert bad_date != SECOND
    no_id = GOOD.replace(b"arXiv:0704.0001", b"arXiv:not-an-id").replace(b"0704.0001", b"x")
    bad_utf8 = SECOND.replace(b"hep-th/9709111", b"hep-th/9709112").replace(
        b"Authors: Andrea", b"Authors: Andr\xe9a"
    )
    data = GOOD + bad_date + no_id + bad_utf8
    items = _parse(Input.from_bytes("joined.abs", data))
    first_lines = [i for i, line in enumerate(data.split(b"\n"), 1) if line.startswith(b"arXiv:")]
    assert isinstance(items[0], Record)
    assert items[0].ref == f"line {first_lines[0]}"
    date_line = data.split(b"\n").index(next(x for x in data.split(b"\n") if b"someday" in x)) + 1
    assert items[1] == Rejected(
        f"line {date_line}", "not a date: 'someday 17:34:41 GMT   (11kb)'", "Date"
    )
    assert items[2] == Rejected(
        f"line {first_lines[2]}", "not an arXiv identifier: 'not-an-id'", "arXiv"
    )
    assert isinstance(items[3], Rejected)
    assert "invalid UTF-8" in items[3].reason
    assert items[3].ref == f"line {first_lines[3] + 7}"
    # bad UTF-8 in the first 64 KB makes detection refuse the input; a forced format reads on
    report = ingest_text(radar, "joined.abs", data, format="arxiv-abs")
    assert (report.format, report.new, len(report.rejected), report.error) == (
        "arxiv-abs",
        1,
        3,
        None,
    )
    assert radar.get("0704.0001").title.startswith("Calculation of prompt diphoton")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hello\nworld\n", "text before the first"),
        ("\n\n", "no '\\\\' separator line"),
    ],
)
def test_what_is_no_abs_file_is_refused_whole(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=re.escape(reason)):
        _parse(Input.from_bytes("x.abs", text.encode()))


def test_forced_on_another_format_changes_nothing(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    (report,) = ingest(radar, DATA / "seeds" / "abstracts-a.txt", format="arxiv-abs")
    assert report.error is not None
    assert "abstracts-a.txt, line 1" in report.error
    assert dump_store(db_path) == before


def test_sniffing_is_specific() -> None:
    sniff = get_format("arxiv-abs").sniff
    assert sniff(GOOD.decode())
    for path in (DATA / "seeds" / "README.md", DATA / "seeds" / "labels.jsonl", ABS / "README.md"):
        assert not sniff(path.read_text()[:65536]), path
    assert not sniff("arXiv: 2503.11731 is a nice paper\n")
