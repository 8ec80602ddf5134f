"""JSON forms of the vocabulary as the stores keep them (shared by every backend)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson

from papersift.model import Authority, Links, Record, Version


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
