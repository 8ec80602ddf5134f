"""arXiv Atom: API responses (2026 and 2016 serializations) and rss.arxiv.org listings (Atom and
RSS 2.0), on the real saved files."""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import replace
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.radar import Radar
from papersift.sources.arxiv_atom import FORMATS, split_authors
from papersift.sources.base import HEAD_BYTES, Input
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, dump_store, ingest, ingest_text

API = DATA / "arxiv-api-atom"
LISTING = DATA / "arxiv-rss-atom" / "rss.arxiv.org_atom_cs.AI_2025-08-20.xml"
ERROR_FEED = "api2026_id_abc_s0_m100_b79c8dcf6bc3.xml"
EMPTY_FEED = "api2026_id_0000.0000_s0_m100_8b51d9633a68.xml"
ATOM = "{http://www.w3.org/2005/Atom}"


def _manifest() -> dict[str, int]:
    with (API / "manifest.tsv").open(newline="") as handle:
        return {row["file"]: int(row["entries"]) for row in csv.DictReader(handle, delimiter="\t")}


MANIFEST = _manifest()


def _records(path: Path, fmt: str = "arxiv-api") -> list[Record]:
    items = list(get_format(fmt).parse(Input.from_path(path)))
    assert not [i for i in items if isinstance(i, Rejected)]
    return [i for i in items if isinstance(i, Record)]


def _by_id(records: list[Record]) -> dict[str, Record]:
    return {r.arxiv_id: r for r in records if r.arxiv_id}


# --- the API ----------------------------------------------------------------------------------


def test_manifest_is_the_whole_folder() -> None:
    assert sorted(MANIFEST) == sorted(p.name for p in API.glob("*.xml"))
    assert (len(MANIFEST), sum(MANIFEST.values())) == (22, 233)


@pytest.mark.parametrize("name", sorted(set(MANIFEST) - {ERROR_FEED}))
def test_api_entry_counts_match_the_manifest(radar: Radar, name: str) -> None:
    source = Input.from_path(API / name)
    assert detect(source).name == "arxiv-api"
    assert len(_records(API / name)) == MANIFEST[name]
    (report,) = ingest(radar, API / name)
    assert (report.format, report.error, report.rejected) == ("arxiv-api", None, [])
    # within one response every entry is its own paper
    assert (report.new, report.updated, report.unchanged) == (MANIFEST[name], 0, 0)
    assert len(list(radar.papers())) == MANIFEST[name]


def test_api_current_entry_fields() -> None:
    (record,) = _records(API / "api2026_id_2104.12255v1_s0_m100_6ae69987ffe1.xml")
    assert record == Record(
        source="arxiv-api",
        ref="entry 1",
        authority=Authority.ARXIV,
        arxiv_id="2104.12255",
        version=1,
        title="0",
        abstract=record.abstract,
        authors=("Quan Thoi Minh Nguyen",),
        categories=("cs.CR",),
        submitted="2021-04-20T16:07:14Z",
        updated="2021-04-20T16:07:14Z",
        versions=(Version(1, "2021-04-20T16:07:14Z"),),
        links=Links(
            abs="https://arxiv.org/abs/2104.12255v1", pdf="https://arxiv.org/pdf/2104.12255v1"
        ),
    )
    assert record.abstract is not None
    assert record.abstract.startswith("What is the funniest number in cryptography? 0.")
    assert record.abstract.endswith("awarded $35,000 in total for the reported bugs.")


def test_api_doi_journal_ref_comment_and_category_order() -> None:
    records = _by_id(_records(API / "api2026_q_testing_s0_m100_cfe7536492ca.xml"))
    record = records["2202.12139"]
    assert record.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert record.doi == "10.1109/icstw55395.2022.00035"
    assert record.journal_ref == (
        "Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on "
        "Software Testing, Verification and Validation Workshops (ICSTW)"
    )
    assert (
        record.comments == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    )
    assert record.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert record.categories == ("cs.SE", "cs.LG")
    assert (record.version, record.submitted) == (1, "2022-02-24T15:05:19Z")


def test_api_legacy_2016_serialization() -> None:
    (record,) = _records(API / "legacy2016_id_list_1111.2011v2.xml")
    assert (record.arxiv_id, record.version) == ("1111.2011", 2)
    # hard-wrapped title and summary are kept raw; cleaning happens at merge
    assert record.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n"
        "  Connectivity Limit"
    )
    assert record.abstract is not None
    assert record.abstract.startswith("  Theoretical description of anisotropic systems, such")
    assert "layered\nsuperconductors" in record.abstract
    assert record.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    # arxiv:primary_category comes after the categories in this serialization; still first
    assert record.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert record.doi == "10.1103/physrevb.85.115117"
    assert record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert record.comments == "8 pages, 3 figures. Published version"
    assert (record.submitted, record.updated) == ("2011-11-08T18:48:36Z", "2012-04-02T12:38:54Z")
    assert record.versions == (
        Version(1, "2011-11-08T18:48:36Z"),
        Version(2, "2012-04-02T12:38:54Z"),
    )
    assert record.links == Links(
        abs="http://arxiv.org/abs/1111.2011v2", pdf="http://arxiv.org/pdf/1111.2011v2"
    )


def test_api_old_style_id_and_long_author_list() -> None:
    (old,) = _records(API / "api2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml")
    assert (old.arxiv_id, old.version, old.categories) == (
        "quant-ph/0201082",
        1,
        ("quant-ph", "cs.PL"),
    )
    assert (old.comments, old.authors) == ("32 pages", ("Stephen Blaha",))
    (many,) = _records(API / "api2026_id_1707.08567_s0_m100_6a1afebfc6a3.xml")
    assert len(many.authors) == 34
    assert many.authors[:2] == ("Kees A. Schouhamer Immink", "Stan Baggen")
    assert many.authors[4] == "Peter H. N. de With"
    assert many.authors[-1] == "Hirosuke Yamamoto"


def test_api_paper_after_merge(radar: Radar) -> None:
    ingest(radar, API / "legacy2016_id_list_1111.2011v2.xml")
    paper = radar.get("arXiv:1111.2011v2")
    assert paper.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert paper.published == "2011-11-08T18:48:36Z"
    assert paper.primary_category == "cond-mat.str-el"
    assert [v.number for v in paper.versions] == [1, 2]


def test_api_error_feed_is_refused_and_changes_nothing(radar: Radar, db_path: Path) -> None:
    ingest(radar, API / "api2026_id_1605.08386_s0_m100_199195aa31ad.xml")
    before = dump_store(db_path)
    (report,) = ingest(radar, API / ERROR_FEED)
    assert report.error is not None
    assert ERROR_FEED in report.error
    assert "incorrect id format for abc" in report.error  # arXiv's own words
    assert "entry 1" in report.error
    assert (report.new, report.updated, report.rejected) == (0, 0, [])
    assert dump_store(db_path) == before
    assert "Error" not in {p.title for p in radar.papers()}


def test_empty_result_is_not_an_error(radar: Radar, db_path: Path) -> None:
    before = dump_store(db_path)
    (report,) = ingest(radar, API / EMPTY_FEED)
    assert (report.format, report.error, report.new, report.rejected) == ("arxiv-api", None, 0, [])
    assert dump_store(db_path) == before


def test_whole_api_folder_gives_every_distinct_paper_once(radar: Radar, db_path: Path) -> None:
    files = sorted(API.glob("*.xml"))
    expected = {
        re.sub(r"v\d+$", "", m)
        for path in files
        for m in re.findall(r"<id>https?://arxiv\.org/abs/(\S+?)</id>", path.read_text())
    }
    assert len(expected) == 116
    reports = ingest(radar, *files)
    assert [r.origin.endswith(ERROR_FEED) for r in reports if r.error] == [True]
    papers = list(radar.papers())
    assert {p.arxiv_id for p in papers} == expected
    assert len(papers) == 116
    assert sum(r.new for r in reports) == 116
    assert sum(r.new + r.updated + r.unchanged for r in reports) == 232
    before = dump_store(db_path)
    again = ingest(radar, *files)
    assert sum(r.new + r.updated for r in again) == 0
    assert dump_store(db_path) == before


def test_gzipped_response_reads_the_same(radar: Radar, tmp_path: Path) -> None:
    name = "api2026_q_testing_s0_m15_80c242b59d59.xml"
    packed = tmp_path / "response.xml.gz"
    packed.write_bytes(gzip.compress((API / name).read_bytes()))
    (report,) = ingest(radar, packed)
    assert (report.format, report.new, report.error) == ("arxiv-api", 15, None)


# --- broken and hostile inputs ----------------------------------------------------------------


@pytest.mark.parametrize("path", [API / "api2026_q_testing_s0_m10_bc5a6c384fe9.xml", LISTING])
def test_truncated_feed_is_refused_with_its_line(
    radar: Radar, db_path: Path, tmp_path: Path, path: Path
) -> None:
    ingest(radar, API / "api2026_id_1605.08386_s0_m100_199195aa31ad.xml")
    before = dump_store(db_path)
    data = path.read_bytes()
    cut = tmp_path / path.name
    cut.write_bytes(data[: len(data) // 2])
    (report,) = ingest(radar, cut)
    assert report.error is not None
    assert str(cut) in report.error
    assert "truncated XML" in report.error
    line = int(re.search(r"line (\d+)", report.error).group(1))  # type: ignore[union-attr]
    assert 1 < line <= cut.read_bytes().count(b"\n") + 1
    assert (report.new, report.updated, report.unchanged) == (0, 0, 0)
    assert dump_store(db_path) == before


def test_malformed_xml_names_the_line() -> None:
    lines = (API / "api2026_id_2104.12255v1_s0_m100_6ae69987ffe1.xml").read_text().splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "</summary>" in line)
    lines[number - 1] = lines[number - 1].replace("</summary>", "</summry>")
    source = Input.from_bytes("bad.xml", "\n".join(lines).encode())
    with pytest.raises(ParseError) as caught:
        list(get_format("arxiv-api").parse(source))
    assert caught.value.where == f"line {number}"
    assert "mismatched tag" in caught.value.reason


_HEADER = (
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <opensearch:totalResults>1</opensearch:totalResults>\n"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n  <!ENTITY lol "lol">\n'
    + "".join(
        f'  <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + _HEADER
    + "  <entry><id>http://arxiv.org/abs/2104.12255v1</id><title>&lol9;</title></entry>\n</feed>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    + _HEADER
    + "  <entry><id>http://arxiv.org/abs/2104.12255v1</id><title>x</title>"
    "<summary>&xxe;</summary></entry>\n</feed>\n"
)


@pytest.mark.parametrize(
    ("document", "entity"), [(BILLION_LAUGHS, "lol"), (EXTERNAL_ENTITY, "xxe")]
)
def test_entity_declarations_are_refused(
    radar: Radar, db_path: Path, document: str, entity: str
) -> None:
    before = dump_store(db_path)
    report = ingest_text(radar, "hostile.xml", document)
    assert report.format == "arxiv-api"
    assert report.error is not None
    assert report.error.startswith("hostile.xml, line 3: XML entity declarations are not allowed")
    assert repr(entity) in report.error
    assert "root:" not in report.error
    assert dump_store(db_path) == before
    assert list(radar.papers()) == []


def test_passwd_never_reaches_the_store(radar: Radar, db_path: Path) -> None:
    ingest_text(radar, "hostile.xml", EXTERNAL_ENTITY)
    # an external DTD (no entity declarations) is not fetched either
    external_dtd = EXTERNAL_ENTITY.replace(
        '[\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]', 'SYSTEM "file:///etc/passwd"'
    ).replace("&xxe;", "an abstract that stays what it says")
    report = ingest_text(radar, "dtd.xml", external_dtd)
    assert (report.error, report.new) == (None, 1)
    assert "root:" not in repr(dump_store(db_path))  # the first line of any /etc/passwd
    assert radar.get("2104.12255").abstract == "an abstract that stays what it says"


def test_not_xml_under_a_forced_format_is_a_parse_error(radar: Radar) -> None:
    report = ingest_text(radar, "notes.txt", "Title: x\nSummary: y\n", format="arxiv-api")
    assert report.error is not None
    assert report.error.startswith("notes.txt, line 1: malformed")
    report = ingest_text(radar, "other.xml", "<html><body/></html>", format="arxiv-api")
    assert report.error is not None
    assert "root element is <html>" in report.error


# --- listings: Atom ---------------------------------------------------------------------------


def test_listing_atom_counts_and_fields(radar: Radar) -> None:
    assert detect(Input.from_path(LISTING)).name == "arxiv-listing"
    records = _records(LISTING, "arxiv-listing")
    assert len(records) == 69
    kinds = [dict(r.extra)["announce_type"] for r in records]
    assert (kinds.count("new"), kinds.count("cross")) == (33, 36)
    assert all(r.listed == ("2025-08-20",) and r.version == 1 for r in records)
    assert all(r.authority is Authority.ARXIV_LISTING for r in records)
    first = records[0]
    assert first.ref == "entry 1"
    assert first.arxiv_id == "2508.13167"
    assert first.title == (
        "Chain-of-Agents: End-to-End Agent Foundation Models via Multi-Agent Distillation "
        "and Agentic RL"
    )
    assert first.abstract is not None
    assert first.abstract.startswith("Recent advances in large language models (LLMs)")
    assert "Announce Type" not in first.abstract
    assert "arXiv:" not in first.abstract
    assert len(first.authors) == 30
    assert first.authors[:3] == ("Weizhen Li", "Jianbo Lin", "Zhuosong Jiang")
    assert first.authors[-1] == "Wangchunshu Zhou"
    assert first.categories == ("cs.AI", "cs.CL")
    assert first.license == "http://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert first.links == Links(abs="https://arxiv.org/abs/2508.13167")
    assert (first.submitted, first.updated) == (None, None)  # a listing says when, not submitted
    cross = _by_id(records)["2508.13303"]
    assert cross.categories == ("cs.RO", "cs.AI")  # primary first, even in the cs.AI listing
    assert cross.journal_ref == (
        "2025 IEEE/RSJ international conference on intelligent robots and systems (IROS)"
    )
    assert cross.extra == (("announce_type", "cross"),)
    assert cross.authors == (
        "Yingfan Zhou",
        "Philip Sanderink",
        "Sigurd Jager Lemming",
        "Cheng Fang",
    )
    (report,) = ingest(radar, LISTING)
    assert (report.new, report.rejected, report.error) == (69, [], None)
    paper = radar.get("2508.13434")
    assert paper.listed == ("2025-08-20",)
    assert paper.published == "2025-08-20"
    assert paper.abstract_raw.startswith("Time series forecasting plays a vital role")


def test_listing_and_api_describe_one_paper(radar: Radar, tmp_path: Path) -> None:
    """A listing entry and an API entry of the same paper merge; the API wins the fields."""
    text = LISTING.read_text()
    entry = re.search(r"  <entry>\s*<id>oai:arXiv.org:2508.13171v1</id>.*?</entry>\n", text, re.S)
    assert entry is not None
    listing = tmp_path / "listing.xml"
    listing.write_text(text[: text.index("  <entry>")] + entry.group(0) + "</feed>\n")
    api_entry = (
        "  <entry>\n    <id>http://arxiv.org/abs/2508.13171v2</id>\n"
        "    <title>Cognitive Workspace: Active Memory Management for LLMs -- An Empirical Study"
        " of Functional Infinite Context</title>\n"
        "    <updated>2025-08-25T10:00:00Z</updated>\n"
        "    <published>2025-08-14T08:00:00Z</published>\n"
        "    <summary>Large Language Models (LLMs) face fundamental limitations.</summary>\n"
        '    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>\n'
        '    <arxiv:primary_category term="cs.AI"/>\n'
        "    <author><name>Tao An</name></author>\n  </entry>\n"
    )
    api = tmp_path / "api.xml"
    api.write_text(f"<?xml version='1.0' encoding='UTF-8'?>\n{_HEADER}{api_entry}</feed>\n")
    reports = ingest(radar, listing, api)
    assert [(r.format, r.new, r.updated, r.error) for r in reports] == [
        ("arxiv-listing", 1, 0, None),
        ("arxiv-api", 0, 1, None),
    ]
    (paper,) = radar.papers()
    assert paper.abstract == "Large Language Models (LLMs) face fundamental limitations."
    assert paper.listed == ("2025-08-20",)
    assert paper.submitted == "2025-08-14T08:00:00Z"
    assert paper.license == "http://creativecommons.org/licenses/by/4.0/"
    assert [v.number for v in paper.versions] == [1, 2]
    assert len(paper.sources) == 2


# --- listings: RSS 2.0 (rss.arxiv.org/rss/...), built from real entries of the Atom file --------


def _rss_from_atom(entries: int, extra_items: str = "") -> str:
    """The RSS 2.0 form of the first ``entries`` entries of the saved Atom listing, the way
    rss.arxiv.org serves it: same texts, RSS element names, RFC 822 dates."""
    root = ElementTree.parse(LISTING).getroot()  # our own saved file: trusted
    dc, arxiv = "{http://purl.org/dc/elements/1.1/}", "{http://arxiv.org/schemas/atom}"
    items = []
    for entry in root.findall(f"{ATOM}entry")[:entries]:

        def value(tag: str, entry: ElementTree.Element = entry) -> str:
            return escape(entry.findtext(tag) or "")

        published = entry.findtext(f"{ATOM}published") or ""
        pub_date = format_datetime(datetime.fromisoformat(published))
        categories = "".join(
            f"      <category>{c.get('term')}</category>\n"
            for c in entry.findall(f"{ATOM}category")
        )
        optional = "".join(  # the arxiv: extras rss.arxiv.org adds when a paper has them
            f"      <arxiv:{name}>{escape(found)}</arxiv:{name}>\n"
            for name in ("DOI", "journal_reference")
            if (found := entry.findtext(f"{arxiv}{name}"))
        )
        items.append(
            "    <item>\n"
            f"      <title>{value(f'{ATOM}title')}</title>\n"
            f"      <link>{entry.find(f'{ATOM}link').get('href')}</link>\n"  # type: ignore[union-attr]
            f"      <description>{value(f'{ATOM}summary')}</description>\n"
            f'      <guid isPermaLink="false">{value(f"{ATOM}id")}</guid>\n'
            f"{categories}"
            f"      <pubDate>{pub_date}</pubDate>\n"
            f"      <arxiv:announce_type>{value(f'{arxiv}announce_type')}</arxiv:announce_type>\n"
            f"{optional}" + f"      <dc:rights>{value(f'{dc}rights')}</dc:rights>\n"
            f"      <dc:creator>{value(f'{dc}creator')}</dc:creator>\n"
            "    </item>\n"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
        "  <channel>\n"
        "    <title>cs.AI updates on arXiv.org</title>\n"
        "    <link>http://rss.arxiv.org/rss/cs.AI</link>\n"
        "    <description>cs.AI updates on the arXiv.org e-print archive.</description>\n"
        '    <atom:link href="http://rss.arxiv.org/rss/cs.AI" rel="self" '
        'type="application/rss+xml"/>\n'
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n"
        "    <lastBuildDate>Wed, 20 Aug 2025 04:00:19 +0000</lastBuildDate>\n"
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n"
        "    <pubDate>Wed, 20 Aug 2025 00:00:00 -0400</pubDate>\n"
        "    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>\n"
        + "".join(items)
        + extra_items
        + "  </channel>\n</rss>\n"
    )


REPLACED = """    <item>
      <title>Cognitive Workspace: Active Memory Management for LLMs -- An Empirical Study of Functional Infinite Context</title>
      <link>https://arxiv.org/abs/2508.13171</link>
      <description>arXiv:2508.13171v2 Announce Type: replace{SPACE}
Abstract: Large Language Models (LLMs) face fundamental limitations in context management.</description>
      <guid isPermaLink="false">oai:arXiv.org:2508.13171v2</guid>
      <category>cs.AI</category>
      <category>cs.CL</category>
      <pubDate>Thu, 28 Aug 2025 00:00:00 -0400</pubDate>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Tao An</dc:creator>
    </item>
""".replace("{SPACE}", " ")  # noqa: E501 (arXiv ends the first line with a space)


def test_rss2_listing_reads_like_its_atom_form() -> None:
    entries = 69
    rss = _rss_from_atom(entries)
    source = Input.from_bytes("cs.AI.rss", rss.encode())
    assert detect(source).name == "arxiv-listing"
    from_rss = list(get_format("arxiv-listing").parse(source))
    from_atom = _records(LISTING, "arxiv-listing")[:entries]
    assert len(from_rss) == entries
    assert [r.ref for r in from_rss] == [f"item {n}" for n in range(1, entries + 1)]
    for rss_record, atom_record in zip(from_rss, from_atom, strict=True):
        assert isinstance(rss_record, Record)
        assert rss_record == replace(atom_record, ref=rss_record.ref)
    read = _by_id([r for r in from_rss if isinstance(r, Record)])
    assert read["2508.13303"].journal_ref
    assert [r.doi for r in read.values() if r.doi] == ["10.7249/pea3971-1"]


def test_rss2_replace_announcement(radar: Radar) -> None:
    report = ingest_text(radar, "2025-08-20.rss", _rss_from_atom(3))
    assert (report.format, report.new, report.error) == ("arxiv-listing", 3, None)
    later = _rss_from_atom(0, REPLACED)  # a week later: the second version is announced
    (replaced,) = get_format("arxiv-listing").parse(Input.from_bytes("r", later.encode()))
    assert isinstance(replaced, Record)
    assert (replaced.arxiv_id, replaced.version) == ("2508.13171", 2)
    assert replaced.extra == (("announce_type", "replace"),)
    assert replaced.listed == ("2025-08-28",)
    assert replaced.abstract == (
        "Large Language Models (LLMs) face fundamental limitations in context management."
    )
    report = ingest_text(radar, "2025-08-28.rss", later)
    assert (report.new, report.updated, report.error) == (0, 1, None)
    paper = radar.get("2508.13171")
    assert paper.listed == ("2025-08-20", "2025-08-28")
    assert paper.abstract == replaced.abstract  # the newer version's text


# --- sniffing ---------------------------------------------------------------------------------


def _head(path: Path) -> str:
    return Input.from_path(path).head(HEAD_BYTES).decode("utf-8", errors="ignore").lstrip("\ufeff")


def test_sniffers_are_specific() -> None:
    api, listing = (f.sniff for f in FORMATS)
    oai = DATA / "arxiv-oai-pmh" / "arxiv-single.xml"
    for path in API.glob("*.xml"):
        assert (api(_head(path)), listing(_head(path))) == (True, False), path.name
    assert (api(_head(LISTING)), listing(_head(LISTING))) == (False, True)
    assert (api(_head(oai)), listing(_head(oai))) == (False, False)
    rss = _rss_from_atom(2)
    assert (api(rss), listing(rss)) == (False, True)
    # a head cut in the middle of the first entry still sniffs
    assert api(_head(API / "api2026_q_testing_s0_m100_cfe7536492ca.xml")[:900])
    mine = {"arxiv-api-atom", "arxiv-rss-atom", "arxiv-oai-pmh"}
    others = [
        p for p in DATA.rglob("*") if p.is_file() and p.relative_to(DATA).parts[0] not in mine
    ]
    assert others
    for path in others:
        head = _head(path)
        assert (api(head), listing(head)) == (False, False), path


def test_split_authors() -> None:
    assert split_authors("Alice Smith and Bob Lee") == ("Alice Smith", "Bob Lee")
    assert split_authors("A. One, B. Two, and C. Three") == ("A. One", "B. Two", "C. Three")
    assert split_authors("Jonathan A. Karr Jr., Ting Hua") == ("Jonathan A. Karr Jr.", "Ting Hua")
    assert split_authors("John Smith, Jr., Ann Lee") == ("John Smith Jr.", "Ann Lee")
    assert split_authors(r"C. Bal\'azs, E. L. Berger (1) ((1) ANL)") == (
        "C. Balázs",
        "E. L. Berger",
    )
    assert split_authors("Alexander Andersen") == ("Alexander Andersen",)
    assert split_authors("") == ()
