"""JSON forms of the vocabulary as the stores keep them (shared by every backend)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

import orjson

from papersift.model import Authority, Links, Paper, Provenance, Record, Version


def dumps(value: Any) -> str:
    """Compact JSON text (orjson: the ingest path encodes several values per record)."""
    return orjson.dumps(value).decode()


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


_RECORD_FIELDS = tuple(f.name for f in fields(Record))


def record_to_data(record: Record) -> dict[str, Any]:
    """A JSON-ready dict of a record (by hand: ``dataclasses.asdict`` is slow)."""
    data = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["authority"] = int(record.authority)
    data["links"] = {
        "abs": record.links.abs,
        "pdf": record.links.pdf,
        "code": record.links.code,
        "project": record.links.project,
    }
    data["versions"] = [
        {"number": v.number, "date": v.date, "size": v.size} for v in record.versions
    ]
    return data


def record_payload(record: Record) -> str:
    """What a record says, as JSON, without where it was found (its ``ref``): equal payloads
    are the same record seen twice."""
    data = record_to_data(record)
    del data["ref"]
    return dumps(data)


def record_from_payload(text: str, ref: str) -> Record:
    data = orjson.loads(text)
    return Record(
        source=data["source"],
        ref=ref,
        authority=Authority(data["authority"]),
        arxiv_id=data["arxiv_id"],
        version=data["version"],
        doi=data["doi"],
        title=data["title"],
        abstract=data["abstract"],
        authors=tuple(data["authors"]),
        categories=tuple(data["categories"]),
        submitted=data["submitted"],
        updated=data["updated"],
        listed=tuple(data["listed"]),
        versions=tuple(Version(**v) for v in data["versions"]),
        links=Links(**data["links"]),
        comments=data["comments"],
        journal_ref=data["journal_ref"],
        license=data["license"],
        upvotes=data["upvotes"],
        external_ids=tuple((k, v) for k, v in data["external_ids"]),
        extra=tuple((k, v) for k, v in data["extra"]),
    )


def versions_to_json(versions: tuple[Version, ...]) -> str:
    return dumps([[v.number, v.date, v.size] for v in versions])


def versions_from_json(text: str) -> tuple[Version, ...]:
    return tuple(Version(n, d, s) for n, d, s in orjson.loads(text))


# The papers table's columns, in the order both backends store and read them.
PAPER_COLUMNS = (
    "id, arxiv_id, doi, title, title_raw, abstract, abstract_raw, display_name, authors, "
    "categories, primary_category, submitted, updated, first_listed, listed, versions, links, "
    "comments, journal_ref, license, upvotes, external_ids, created_at, modified_at"
)
_PAPER_COLUMN_NAMES = PAPER_COLUMNS.split(", ")


def paper_row(paper: Paper, now: str) -> tuple[Any, ...]:
    """The values of :data:`PAPER_COLUMNS` for ``paper`` (created and modified ``now``)."""
    return (
        paper.id,
        paper.arxiv_id,
        paper.doi,
        paper.title,
        paper.title_raw,
        paper.abstract,
        paper.abstract_raw,
        paper.display_name,
        dumps(paper.authors),
        dumps(paper.categories),
        paper.primary_category,
        paper.submitted,
        paper.updated,
        paper.listed[0] if paper.listed else None,
        dumps(paper.listed),
        versions_to_json(paper.versions),
        dumps(paper.links.as_dict()),
        paper.comments,
        paper.journal_ref,
        paper.license,
        paper.upvotes,
        dumps(paper.external_ids),
        now,
        now,
    )


def paper_from_row(row: Sequence[Any], sources: tuple[Provenance, ...]) -> Paper:
    """The paper of a row of :data:`PAPER_COLUMNS`, with where it was seen."""
    r = dict(zip(_PAPER_COLUMN_NAMES, row, strict=True))
    return Paper(
        id=r["id"],
        arxiv_id=r["arxiv_id"],
        doi=r["doi"],
        title=r["title"],
        title_raw=r["title_raw"],
        abstract=r["abstract"],
        abstract_raw=r["abstract_raw"],
        display_name=r["display_name"],
        authors=tuple(loads(r["authors"])),
        categories=tuple(loads(r["categories"])),
        submitted=r["submitted"],
        updated=r["updated"],
        listed=tuple(loads(r["listed"])),
        versions=versions_from_json(r["versions"]),
        links=Links(**loads(r["links"])),
        comments=r["comments"],
        journal_ref=r["journal_ref"],
        license=r["license"],
        upvotes=r["upvotes"],
        external_ids=tuple((k, v) for k, v in loads(r["external_ids"])),
        sources=sources,
    )
