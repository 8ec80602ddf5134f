"""JSON forms of the vocabulary as the stores keep them (shared by every backend)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from papersift.model import Authority, Links, Record, Version


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_to_json(record: Record) -> str:
    data = asdict(record)
    data["authority"] = int(record.authority)
    return dumps(data)


def record_from_json(text: str) -> Record:
    data = json.loads(text)
    return Record(
        source=data["source"],
        ref=data["ref"],
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
    return tuple(Version(n, d, s) for n, d, s in json.loads(text))
