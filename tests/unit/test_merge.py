"""Merging the records of one paper: pure, order-independent, trust-ordered."""

from __future__ import annotations

import itertools

from papersift.model import Authority, Links, Provenance, Record, Version
from papersift.sources import merge


def _item(record: Record) -> tuple[Record, Provenance]:
    return record, Provenance(
        record.source, "x", record.ref, "2026-01-01", merge.record_hash(record)
    )


HF = Record(
    source="hf-daily",
    ref="item 1",
    authority=Authority.AGGREGATOR,
    arxiv_id="2503.01785",
    title="Visual-RFT: Visual Reinforcement Fine-Tuning",
    abstract="HF copy of the abstract",
    authors=("Ziyu Liu", "Zeyi Sun"),
    listed=("2025-03-04",),
    upvotes=42,
    links=Links(code="https://github.com/x/visual-rft"),
)
API = Record(
    source="arxiv-api",
    ref="entry 1",
    authority=Authority.ARXIV,
    arxiv_id="2503.01785",
    version=2,
    title="Visual-RFT: Visual Reinforcement Fine-Tuning",
    abstract="arXiv abstract with $\\rightarrow$",
    authors=("Ziyu Liu", "Zeyi Sun", "Yuhang Zang"),
    categories=("cs.CV", "cs.AI"),
    submitted="2025-03-03T18:16:32Z",
    updated="2025-03-10T00:00:00Z",
    versions=(Version(1, "2025-03-03T18:16:32Z"), Version(2, "2025-03-10T00:00:00Z")),
)
RSS = Record(
    source="arxiv-listing",
    ref="entry 9",
    authority=Authority.ARXIV_LISTING,
    arxiv_id="2503.01785",
    version=1,
    title="Visual-RFT: Visual Reinforcement Fine-Tuning",
    abstract="older abstract",
    categories=("cs.CV", "cs.LG"),
    listed=("2025-03-04",),
    license="http://creativecommons.org/licenses/by/4.0/",
)


def test_order_of_arrival_does_not_matter() -> None:
    papers = {
        merge.merge("2503.01785", [_item(r) for r in order])
        for order in itertools.permutations([HF, API, RSS])
    }
    assert len(papers) == 1


def test_most_trusted_source_wins_and_nothing_is_lost() -> None:
    paper = merge.merge("2503.01785", [_item(HF), _item(API), _item(RSS)])
    assert paper.abstract_raw == "arXiv abstract with $\\rightarrow$"
    assert paper.abstract == "arXiv abstract with →"
    assert paper.authors == ("Ziyu Liu", "Zeyi Sun", "Yuhang Zang")
    assert paper.categories == ("cs.CV", "cs.AI", "cs.LG")  # primary from arXiv, union kept
    assert paper.upvotes == 42
    assert paper.links.code == "https://github.com/x/visual-rft"
    assert paper.links.abs == "https://arxiv.org/abs/2503.01785"
    assert paper.license == "http://creativecommons.org/licenses/by/4.0/"
    assert paper.listed == ("2025-03-04",)
    assert [v.number for v in paper.versions] == [1, 2]
    assert paper.submitted == "2025-03-03T18:16:32Z"
    assert len(paper.sources) == 3


def test_a_later_version_of_the_same_source_wins() -> None:
    v1 = Record(
        source="arxiv-api",
        ref="e1",
        authority=Authority.ARXIV,
        arxiv_id="2501.00001",
        version=1,
        title="Old title",
        abstract="old",
    )
    v3 = Record(
        source="arxiv-api",
        ref="e2",
        authority=Authority.ARXIV,
        arxiv_id="2501.00001",
        version=3,
        title="New title",
        abstract="new",
    )
    assert merge.merge("2501.00001", [_item(v3), _item(v1)]).title == "New title"


def test_conflicting_strong_ids_are_never_the_same_paper() -> None:
    a = Record(source="s", ref="1", arxiv_id="2501.00001", title="Same title")
    b = Record(source="s", ref="2", arxiv_id="2501.00002", title="Same title")
    c = Record(source="s", ref="3", title="Same title")
    assert not merge.compatible(a, b)
    assert merge.compatible(a, c)
    assert not merge.compatible(
        Record(source="s", ref="1", doi="10.1/a"), Record(source="s", ref="2", doi="10.1/b")
    )


def test_the_hash_ignores_where_a_record_was_found() -> None:
    assert merge.record_hash(HF) == merge.record_hash(Record(**{**_fields(HF), "ref": "item 7"}))
    assert merge.record_hash(HF) != merge.record_hash(Record(**{**_fields(HF), "upvotes": 43}))


def test_untitled_paper_is_named_after_its_system() -> None:
    record = Record(
        source="abstracts",
        ref="line 1",
        authority=Authority.LISTING_TEXT,
        abstract="Long contexts are costly. We propose HeadInfer, a method that "
        "offloads the KV cache head by head to the CPU.",
    )
    paper = merge.merge(merge.new_paper_id(record), [_item(record)])
    assert paper.title == ""
    assert paper.display_name == "HeadInfer"
    assert paper.id == merge.new_paper_id(record)  # stable


def _fields(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def test_the_strongest_shared_id_decides() -> None:
    def rec(**ids: object) -> Record:
        return Record(source="s2", ref="1", title="Same title", **ids)  # type: ignore[arg-type]

    s2a, s2b = (("s2", "aaa"),), (("s2", "bbb"),)
    # a catalogue's two entries of one DOI are one paper
    assert merge.compatible(
        rec(doi="10.1/x", external_ids=s2a), rec(doi="10.1/x", external_ids=s2b)
    )
    # without a shared DOI or arXiv id, two catalogue entries are two papers
    assert not merge.compatible(rec(external_ids=s2a), rec(external_ids=s2b))
    assert merge.compatible(rec(external_ids=s2a), rec(external_ids=(("corpus", "7"),)))
    assert not merge.compatible(
        rec(arxiv_id="2501.00001", doi="10.1/x"), rec(arxiv_id="2501.00002", doi="10.1/x")
    )
