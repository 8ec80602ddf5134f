"""OAI-PMH: the real arXiv-format responses, plus arXivRaw and oai_dc samples written to the
published schemas, errors, deletions, resumption tokens and hostile XML."""

# ruff: noqa: E501 (the samples keep arXiv's one-line serialization of the metadata)

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.sources.detect import detect, get_format
from papersift.sources.oai_pmh import FORMATS, resumption_token
from tests.conftest import DATA, dump_store, ingest, ingest_text

OAI = DATA / "arxiv-oai-pmh"
COUNTS = {
    "arxiv-physics-hep-ex.xml": 3,
    "arxiv-physics-hep-th.xml": 3,
    "arxiv-single.xml": 1,
    "sample_arxiv_record.xml": 12,
    **{f"sample_arxiv_record{n}.xml": 1 for n in range(9)},
}
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
    'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
    "<responseDate>2024-05-14T09:12:41Z</responseDate>\n"
)


def _parse(source: Input) -> list[Record | Rejected]:
    return list(get_format("oai-pmh").parse(source))


def _records(path: Path) -> list[Record]:
    items = _parse(Input.from_path(path))
    assert all(isinstance(i, Record) for i in items)
    return [i for i in items if isinstance(i, Record)]


def _text(name: str, body: str) -> Input:
    return Input.from_bytes(name, body.encode())


# --- the real arXiv-format responses -----------------------------------------------------------


def test_counts_cover_the_folder() -> None:
    assert sorted(COUNTS) == sorted(p.name for p in OAI.glob("*.xml"))
    assert (len(COUNTS), sum(COUNTS.values())) == (13, 28)


@pytest.mark.parametrize(("name", "count"), sorted(COUNTS.items()))
def test_record_counts(radar: Radar, name: str, count: int) -> None:
    assert detect(Input.from_path(OAI / name)).name == "oai-pmh"
    records = _records(OAI / name)
    assert len(records) == count
    assert [r.ref for r in records] == [f"record {n}" for n in range(1, count + 1)]
    assert all(r.authority is Authority.ARXIV and r.arxiv_id for r in records)
    (report,) = ingest(radar, OAI / name)
    assert (report.format, report.new, report.rejected, report.error) == (
        "oai-pmh",
        count,
        [],
        None,
    )


def test_get_record_fields() -> None:
    (record,) = _records(OAI / "arxiv-single.xml")
    assert record.arxiv_id == "1401.2122"
    assert record.version is None  # the arXiv format does not say which version
    assert record.title == "New integrable (3+1)-dimensional systems and contact geometry"
    assert record.authors == ("A. Sergyeyev",)
    assert record.categories == ("math.AP", "hep-th", "math-ph", "math.DG", "math.MP", "nlin.SI")
    assert (record.submitted, record.updated) == ("2014-01-09", "2017-10-23")
    assert record.versions == (Version(1, "2014-01-09"),)
    assert record.doi == "10.1007/s11005-017-1013-4"
    assert record.journal_ref == "Lett. Math. Phys. 108 (2018), no. 2, 359-376"
    assert record.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert record.comments is not None
    assert record.comments.startswith("16 pages, LaTeX, no figures, revised and abridged")
    assert "in this version\n  (v5)" in record.comments  # raw, as arXiv wrapped it
    assert record.abstract is not None
    assert record.abstract.startswith("  We introduce a novel systematic construction")
    assert record.extra == (("msc_class", "37K05 37K10 53D10"),)


def test_list_records_fields() -> None:
    records = {r.arxiv_id: r for r in _records(OAI / "arxiv-physics-hep-ex.xml")}
    assert list(records) == ["1706.05371", "1706.09418", "1707.00874"]
    rpv = records["1706.09418"]
    assert rpv.title == "R-Parity Violation at the LHC"
    assert rpv.authors == (
        "Daniel Dercks",
        "Herbi Dreiner",
        "Manuel E. Krauss",
        "Toby Opferkuch",
        "Annika Reinert",
    )
    assert rpv.categories == ("hep-ph", "hep-ex")
    assert (rpv.submitted, rpv.updated) == ("2017-06-28", "2017-11-26")
    assert rpv.doi == "10.1140/epjc/s10052-017-5414-4"
    assert rpv.journal_ref == "Eur. Phys. J. C (2017) 77:856"
    assert rpv.extra == (("report_no", "BONN-TH-2017-03"),)
    sipm = records["1706.05371"]
    assert sipm.title == (
        "Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid\n"
        "  Xenon Detectors"
    )
    assert (sipm.doi, sipm.journal_ref) == (None, None)
    assert len(sipm.authors) == 13
    assert (sipm.authors[0], sipm.authors[-1]) == ("Tyler Anderson", "Mani Tripathi")


def test_quirks_of_real_records() -> None:
    # <arXiv> without its own namespace (it inherits the OAI one); three DOIs in one field
    (coherence,) = _records(OAI / "sample_arxiv_record0.xml")
    assert coherence.arxiv_id == "1601.03238"
    assert coherence.doi == "10.1103/physrevd.93.016005"
    assert coherence.authors[:2] == ("Planck Collaboration", "Jieci Wang")
    assert coherence.categories[0] == "quant-ph"
    # arXiv's author splitter left a ":" author between a collaboration and its members
    (bicep,) = _records(OAI / "sample_arxiv_record4.xml")
    assert bicep.authors[:4] == ("Keck Array", "BICEP2 Collaborations", "P. Ade", "Z. Ahmed")
    # affiliations are not names
    (planck,) = _records(OAI / "sample_arxiv_record5.xml")
    assert planck.authors[0] == "Günter Burigana"
    assert all("Planck" not in a for a in planck.authors)


def test_whole_folder_gives_each_paper_once(radar: Radar, db_path: Path) -> None:
    files = sorted(OAI.glob("*.xml"))
    expected = {
        m for path in files for m in re.findall(r"oai:arXiv\.org:([\d.]+)<", path.read_text())
    }
    assert len(expected) == 19
    reports = ingest(radar, *files)
    assert all(r.ok and not r.rejected for r in reports)
    assert {p.arxiv_id for p in radar.papers()} == expected
    assert sum(r.new for r in reports) == 19
    before = dump_store(db_path)
    assert sum(r.new + r.updated for r in ingest(radar, *files)) == 0
    assert dump_store(db_path) == before


# --- arXivRaw and oai_dc (no saved arXiv responses exist; written to the published schemas) ----

ARXIV_RAW = (
    ENVELOPE
    + """<request verb="ListRecords" metadataPrefix="arXivRaw" from="2007-05-23">http://export.arxiv.org/oai2</request>
<ListRecords>
<record>
<header>
 <identifier>oai:arXiv.org:0704.0001</identifier>
 <datestamp>2008-11-13</datestamp>
 <setSpec>physics:hep-ph</setSpec>
</header>
<metadata>
 <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
 <id>0704.0001</id><submitter>Pavel Nadolsky</submitter><version version="v1"><date>Mon, 2 Apr 2007 19:18:42 GMT</date><size>37kb</size><source_type>D</source_type></version><version version="v2"><date>Tue, 24 Jul 2007 20:10:27 GMT</date><size>37kb</size><source_type>D</source_type></version><title>Calculation of prompt diphoton production cross sections at Tevatron and
  LHC energies</title><authors>C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan</authors><categories>hep-ph</categories><comments>37 pages, 15 figures; published version</comments><report-no>ANL-HEP-PR-07-12</report-no><journal-ref>Phys.Rev.D76:013009,2007</journal-ref><doi>10.1103/PhysRevD.76.013009</doi><abstract>  A fully differential calculation in perturbative quantum chromodynamics is
presented for the production of massive photon pairs at hadron colliders. All
next-to-leading order perturbative contributions from quark-antiquark,
gluon-(anti)quark, and gluon-gluon subprocesses are included, as well as
all-orders resummation of initial-state gluon radiation valid at
next-to-next-to-leading logarithmic accuracy.
</abstract></arXivRaw>
</metadata>
</record>
<record>
<header>
 <identifier>oai:arXiv.org:hep-th/9901001</identifier>
 <datestamp>2009-10-31</datestamp>
 <setSpec>physics:hep-th</setSpec>
</header>
<metadata>
 <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
 <id>hep-th/9901001</id><submitter>Ashoke Sen</submitter><version version="v1"><date>Fri, 1 Jan 1999 11:40:21 GMT</date><size>12kb</size><source_type>D</source_type></version><title>Descent Relations Among Bosonic D-branes</title><authors>Ashoke Sen (Mehta Research Institute)</authors><categories>hep-th</categories><comments>LaTeX file, 10 pages</comments><report-no>MRI-PHY/P990101</report-no><journal-ref>Int.J.Mod.Phys. A14 (1999) 4061-4078</journal-ref><doi>10.1142/S0217751X99001901</doi><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>  We study the relationship between bosonic D-branes of different
dimensions and the tachyonic kink solutions on them.
</abstract></arXivRaw>
</metadata>
</record>
<record>
<header status="deleted">
 <identifier>oai:arXiv.org:0704.0002</identifier>
 <datestamp>2009-01-01</datestamp>
 <setSpec>math</setSpec>
</header>
</record>
<resumptionToken cursor="0" completeListSize="4">6960524|1001</resumptionToken>
</ListRecords>
</OAI-PMH>
"""
)

OAI_DC = (
    ENVELOPE
    + """<request verb="GetRecord" identifier="oai:arXiv.org:0704.0001" metadataPrefix="oai_dc">http://export.arxiv.org/oai2</request>
<GetRecord>
<record>
<header>
 <identifier>oai:arXiv.org:0704.0001</identifier>
 <datestamp>2008-11-13</datestamp>
 <setSpec>physics:hep-ph</setSpec>
</header>
<metadata>
 <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
 <dc:title>Calculation of prompt diphoton production cross sections at Tevatron and
  LHC energies</dc:title>
 <dc:creator>Balázs, C.</dc:creator>
 <dc:creator>Berger, E. L.</dc:creator>
 <dc:creator>Nadolsky, P. M.</dc:creator>
 <dc:creator>Yuan, C. -P.</dc:creator>
 <dc:subject>High Energy Physics - Phenomenology</dc:subject>
 <dc:description>  A fully differential calculation in perturbative quantum chromodynamics is
presented for the production of massive photon pairs at hadron colliders.
</dc:description>
 <dc:description>Comment: 37 pages, 15 figures; published version</dc:description>
 <dc:date>2007-04-02</dc:date>
 <dc:date>2007-07-24</dc:date>
 <dc:type>text</dc:type>
 <dc:identifier>http://arxiv.org/abs/0704.0001</dc:identifier>
 <dc:identifier>Phys.Rev.D76:013009,2007</dc:identifier>
 <dc:identifier>doi:10.1103/PhysRevD.76.013009</dc:identifier>
 </oai_dc:dc>
</metadata>
</record>
</GetRecord>
</OAI-PMH>
"""
)


def test_arxiv_raw_records() -> None:
    source = _text("raw.xml", ARXIV_RAW)
    assert detect(source).name == "oai-pmh"
    diphoton, sen, deleted = _parse(source)
    assert diphoton == Record(
        source="oai-pmh",
        ref="record 1",
        authority=Authority.ARXIV,
        arxiv_id="0704.0001",
        version=2,
        doi="10.1103/physrevd.76.013009",
        title="Calculation of prompt diphoton production cross sections at Tevatron and\n"
        "  LHC energies",
        abstract=diphoton.abstract,  # type: ignore[union-attr]
        authors=("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"),
        categories=("hep-ph",),
        submitted="2007-04-02T19:18:42+00:00",
        updated="2007-07-24T20:10:27+00:00",
        versions=(
            Version(1, "2007-04-02T19:18:42+00:00", "37kb"),
            Version(2, "2007-07-24T20:10:27+00:00", "37kb"),
        ),
        comments="37 pages, 15 figures; published version",
        journal_ref="Phys.Rev.D76:013009,2007",
        extra=(("submitter", "Pavel Nadolsky"), ("report_no", "ANL-HEP-PR-07-12")),
    )
    assert isinstance(diphoton, Record)
    assert diphoton.abstract is not None
    assert diphoton.abstract.startswith("  A fully differential calculation")
    assert isinstance(sen, Record)
    assert (sen.arxiv_id, sen.version, sen.authors) == ("hep-th/9901001", 1, ("Ashoke Sen",))
    assert (sen.submitted, sen.updated) == ("1999-01-01T11:40:21+00:00", None)
    assert sen.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert deleted == Rejected("record 3", "deleted at source (oai:arXiv.org:0704.0002)", "status")


def test_oai_dc_record() -> None:
    source = _text("dc.xml", OAI_DC)
    assert detect(source).name == "oai-pmh"
    (record,) = _parse(source)
    assert record == Record(
        source="oai-pmh",
        ref="record 1",
        authority=Authority.ARXIV,
        arxiv_id="0704.0001",
        doi="10.1103/physrevd.76.013009",
        title="Calculation of prompt diphoton production cross sections at Tevatron and\n"
        "  LHC energies",
        abstract="  A fully differential calculation in perturbative quantum chromodynamics is\n"
        "presented for the production of massive photon pairs at hadron colliders.\n",
        authors=("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"),
        submitted="2007-04-02",
        updated="2007-07-24",
        links=Links(abs="http://arxiv.org/abs/0704.0001"),
        comments="37 pages, 15 figures; published version",
        journal_ref="Phys.Rev.D76:013009,2007",
    )


def test_oai_dc_from_another_repository_is_not_arxiv_authority() -> None:
    body = OAI_DC.replace("oai:arXiv.org:0704.0001", "oai:zenodo.org:1234567").replace(
        "http://arxiv.org/abs/0704.0001", "https://zenodo.org/record/1234567"
    )
    (record,) = _parse(_text("zenodo.xml", body))
    assert isinstance(record, Record)
    assert (record.authority, record.arxiv_id, record.journal_ref) == (
        Authority.AGGREGATOR,
        None,
        None,
    )
    assert record.doi == "10.1103/physrevd.76.013009"


def test_three_formats_of_one_paper_merge(radar: Radar) -> None:
    reports = [ingest_text(radar, "raw.xml", ARXIV_RAW), ingest_text(radar, "dc.xml", OAI_DC)]
    assert [(r.new, r.updated, r.error) for r in reports] == [(2, 0, None), (0, 1, None)]
    assert [x.reason for x in reports[0].rejected] == [
        "deleted at source (oai:arXiv.org:0704.0002)"
    ]
    paper = radar.get("0704.0001")
    assert paper.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert paper.versions == (
        Version(1, "2007-04-02T19:18:42+00:00", "37kb"),
        Version(2, "2007-07-24T20:10:27+00:00", "37kb"),
    )
    assert len(paper.sources) == 2


# --- the same paper from the API and from OAI-PMH ----------------------------------------------

API_FILE = DATA / "arxiv-api-atom" / "legacy2016_id_list_1111.2011v2.xml"
# 1111.2011 as export.arxiv.org/oai2 serves it in the arXiv format (built from the API entry's
# fields: no saved file holds a paper that the API files hold too)
OAI_OF_API_PAPER = (
    ENVELOPE
    + """<request verb="GetRecord" identifier="oai:arXiv.org:1111.2011" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>
<GetRecord>
<record>
<header>
 <identifier>oai:arXiv.org:1111.2011</identifier>
 <datestamp>2012-04-03</datestamp>
 <setSpec>physics:cond-mat</setSpec>
</header>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
 <id>1111.2011</id><created>2011-11-08</created><updated>2012-04-02</updated><authors><author><keyname>Murray</keyname><forenames>James M.</forenames></author><author><keyname>Del Maestro</keyname><forenames>Adrian</forenames></author><author><keyname>Tesanovic</keyname><forenames>Zlatko</forenames></author></authors><title>Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large
  Connectivity Limit</title><categories>cond-mat.str-el cond-mat.stat-mech</categories><comments>8 pages, 3 figures. Published version</comments><journal-ref>Phys. Rev. B 85, 115117 (2012)</journal-ref><doi>10.1103/PhysRevB.85.115117</doi><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>  Theoretical description of anisotropic systems, such as layered
superconductors and coupled spin chains, is often a challenge due to the
different natures of interactions along different directions.
</abstract></arXiv>
</metadata>
</record>
</GetRecord>
</OAI-PMH>
"""
)


def test_api_and_oai_pmh_give_one_paper(radar: Radar) -> None:
    (api,) = ingest(radar, API_FILE)
    oai = ingest_text(radar, "1111.2011.oai.xml", OAI_OF_API_PAPER)
    assert (api.format, api.new) == ("arxiv-api", 1)
    assert (oai.format, oai.new, oai.updated, oai.error) == ("oai-pmh", 0, 1, None)
    (paper,) = radar.papers()
    assert paper.id == "1111.2011"
    assert sorted(p.source for p in paper.sources) == ["arxiv-api", "oai-pmh"]
    assert paper.doi == "10.1103/physrevb.85.115117"
    assert paper.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert paper.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert paper.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"  # from OAI
    assert paper.links.pdf == "http://arxiv.org/pdf/1111.2011v2"  # from the API
    # the API entry names version 2, so it outranks the version-less OAI record for the text
    assert paper.abstract.endswith("describing a single node.")


# --- errors, empty answers, resumption tokens --------------------------------------------------


def _error(code: str, message: str) -> str:
    return (
        ENVELOPE
        + '<request verb="ListRecords">http://export.arxiv.org/oai2</request>\n'
        + f'<error code="{code}">{message}</error>\n</OAI-PMH>\n'
    )


def test_oai_error_is_refused_quoting_code_and_message(radar: Radar, db_path: Path) -> None:
    ingest(radar, OAI / "arxiv-single.xml")
    before = dump_store(db_path)
    report = ingest_text(
        radar, "bad.xml", _error("badArgument", "Illegal argument 'metadataPrefix=arxiv'")
    )
    assert report.error == (
        "bad.xml: OAI-PMH error badArgument: Illegal argument 'metadataPrefix=arxiv'"
        " (field 'error')"
    )
    assert dump_store(db_path) == before


def test_no_records_match_is_an_empty_answer(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    body = _error("noRecordsMatch", "No records match the request")
    report = ingest_text(radar, "empty.xml", body)
    assert (report.format, report.new, report.rejected, report.error) == ("oai-pmh", 0, [], None)
    assert dump_store(db_path) == before
    assert resumption_token(body.encode()) is None


def test_resumption_token() -> None:
    assert resumption_token(_text("raw.xml", ARXIV_RAW)) == "6960524|1001"
    assert resumption_token(ARXIV_RAW.encode()) == "6960524|1001"
    last_page = ARXIV_RAW.replace(
        '<resumptionToken cursor="0" completeListSize="4">6960524|1001</resumptionToken>',
        '<resumptionToken cursor="3" completeListSize="4"/>',
    )
    assert resumption_token(last_page.encode()) is None
    for path in OAI.glob("*.xml"):
        assert resumption_token(Input.from_path(path)) is None
    with pytest.raises(ParseError, match="badResumptionToken"):
        resumption_token(
            _error("badResumptionToken", "The value of resumptionToken is invalid").encode()
        )


def test_a_page_with_a_token_ingests_fine(radar: Radar) -> None:
    report = ingest_text(radar, "page1.xml", ARXIV_RAW)
    assert (report.new, report.error) == (2, None)


def test_unsupported_metadata_format_is_refused(radar: Radar) -> None:
    body = OAI_DC.replace("oai_dc:dc", "marc:record").replace("xmlns:oai_dc=", "xmlns:marc=")
    report = ingest_text(radar, "marc.xml", body)
    assert report.error is not None
    assert "metadata format <record> is not supported" in report.error
    assert list(radar.papers()) == []


def test_responses_without_metadata_are_refused(radar: Radar) -> None:
    body = (
        ENVELOPE
        + '<request verb="ListIdentifiers" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>\n'
        "<ListIdentifiers><header><identifier>oai:arXiv.org:0704.0001</identifier>"
        "<datestamp>2008-11-13</datestamp></header></ListIdentifiers>\n</OAI-PMH>\n"
    )
    report = ingest_text(radar, "ids.xml", body)
    assert report.error == (
        "ids.xml: an OAI-PMH ListIdentifiers response holds no paper metadata "
        "(harvest with GetRecord or ListRecords)"
    )


def test_record_without_metadata_is_rejected() -> None:
    body = ARXIV_RAW.replace(' status="deleted"', "")
    *_, bare = _parse(_text("bare.xml", body))
    assert bare == Rejected("record 3", "record without metadata", "metadata")


def test_bad_dates_reject_the_record_not_the_file(radar: Radar) -> None:
    body = ARXIV_RAW.replace("Fri, 1 Jan 1999 11:40:21 GMT", "sometime in 1999")
    report = ingest_text(radar, "dates.xml", body)
    assert report.error is None
    assert report.new == 1
    assert [(r.ref, r.field) for r in report.rejected] == [
        ("record 2", "version"),
        ("record 3", "status"),
    ]
    single = (OAI / "arxiv-single.xml").read_text().replace("2017-10-23", "23/10/2017")
    (item,) = _parse(_text("single.xml", single))
    assert item == Rejected("record 1", "updated date '23/10/2017' is not ISO 8601", "updated")


# --- broken and hostile inputs ----------------------------------------------------------------


def test_truncated_response_is_refused_with_its_line(
    radar: Radar, db_path: Path, tmp_path: Path
) -> None:
    ingest(radar, OAI / "arxiv-single.xml")
    before = dump_store(db_path)
    data = (OAI / "sample_arxiv_record.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) // 2])
    (report,) = ingest(radar, cut)
    assert report.error is not None
    assert "malformed or truncated XML" in report.error
    match = re.search(r"cut\.xml, line (\d+):", report.error)
    assert match is not None
    assert 1 < int(match.group(1)) <= cut.read_bytes().count(b"\n") + 1
    assert (report.new, report.updated, report.unchanged) == (0, 0, 0)
    assert dump_store(db_path) == before


HOSTILE = {
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE OAI-PMH [\n <!ENTITY a "aaaaaaaaaa">\n'
        + "".join(
            f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8)
        )
        + "]>\n"
    ),
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE OAI-PMH [\n <!ENTITY i SYSTEM "file:///etc/passwd">\n]>\n'
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_entity_declarations_are_refused(radar: Radar, db_path: Path, kind: str) -> None:
    body = ARXIV_RAW.replace('<?xml version="1.0" encoding="UTF-8"?>\n', HOSTILE[kind])
    body = body.replace("<submitter>Pavel Nadolsky</submitter>", "<submitter>&i;</submitter>")
    before = dump_store(db_path)
    report = ingest_text(radar, f"{kind}.xml", body)
    assert report.format == "oai-pmh"
    assert report.error is not None
    assert report.error.startswith(f"{kind}.xml, line 3: XML entity declarations are not allowed")
    assert "root:" not in report.error
    assert dump_store(db_path) == before


def test_streaming_keeps_memory_flat() -> None:
    """A 4 MB ListRecords page is read one record at a time."""
    single = (OAI / "arxiv-single.xml").read_text()
    record = single[single.index("<record>") : single.index("</record>") + len("</record>")]
    pages = "".join(record.replace("1401.2122", f"1401.{n:05d}") for n in range(2500))
    body = (
        single[: single.index("<GetRecord>")] + f"<ListRecords>{pages}</ListRecords></OAI-PMH>"
    ).encode()
    assert len(body) > 4_000_000
    source = Input.from_bytes("big.xml", body)
    tracemalloc.start()
    try:
        count = sum(1 for _ in get_format("oai-pmh").parse(source))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2500
    assert peak < 2_000_000, peak  # the tree of every record would take several times the input


def test_sniffer_is_specific() -> None:
    (fmt,) = FORMATS
    head = (OAI / "arxiv-single.xml").read_text()
    assert fmt.sniff(head)
    assert fmt.sniff(ARXIV_RAW)
    assert fmt.sniff(OAI_DC)
    for path in (DATA / "arxiv-api-atom").glob("*.xml"):
        assert not fmt.sniff(path.read_text()), path
    assert not fmt.sniff(
        (DATA / "arxiv-rss-atom" / "rss.arxiv.org_atom_cs.AI_2025-08-20.xml").read_text()
    )
    mine = {"arxiv-api-atom", "arxiv-rss-atom", "arxiv-oai-pmh"}
    for path in DATA.rglob("*"):
        if path.is_file() and path.relative_to(DATA).parts[0] not in mine:
            head = Input.from_path(path).head().decode("utf-8", errors="ignore")
            assert not fmt.sniff(head), path
