"""Deciding what a paper is from every record any source gave of it. Pure functions.

A paper is a fold over its records, ordered by how much each source is trusted for bibliographic
fields and by which arXiv version it describes. The order does not depend on when records
arrived, so ingesting inputs in any order gives the same paper, and re-ingesting changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from papersift.model import Links, Paper, Provenance, Record, Version
from papersift.sources import ids
from papersift.sources.names import display_name
from papersift.sources.text import clean, squash
from papersift.store import codec

IdentityKey = tuple[str, str]  # (kind, value): ("arxiv", "2503.11731"), ("doi", …), ("title", …)


def record_hash(record: Record) -> str:
    """A fingerprint of what a record says (not of where it was found)."""
    payload = codec.record_payload(record)
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def identity_keys(record: Record) -> list[IdentityKey]:
    """Every key under which a record can meet other records of the same paper, strongest first."""
    keys: list[IdentityKey] = []
    if record.arxiv_id:
        keys.append(("arxiv", record.arxiv_id))
    if record.doi:
        keys.append(("doi", record.doi))
    keys.extend(record.external_ids)
    title = ids.text_key(record.title)
    if title and len(title) >= 12:
        keys.append(("title", ids.digest(title)))
    abstract = ids.text_key(record.abstract, limit=600)
    if abstract and len(abstract) >= 80:
        keys.append(("abstract", ids.digest(abstract)))
    return keys


def new_paper_id(record: Record, *, taken: bool = False) -> str:
    """The id a paper gets when this record creates it: its arXiv id, else derived from content
    (from the record's whole content when the usual one is ``taken`` by another paper)."""
    if record.arxiv_id:
        return record.arxiv_id
    if taken:
        return ids.content_id("record:" + record_hash(record))
    for kind, value in identity_keys(record):
        return ids.content_id(f"{kind}:{value}")
    text = ids.text_key(record.title) or ids.text_key(record.abstract)
    if text:  # too short to match others by ("The TeXbook"), still a paper
        return ids.content_id(f"text:{text}")
    raise ValueError("a record needs an id, a title or an abstract")


class Identified(Protocol):
    """Anything with the strong ids of a paper: a record, a paper, a store's key holder."""

    @property
    def arxiv_id(self) -> str | None: ...

    @property
    def doi(self) -> str | None: ...

    @property
    def external_ids(self) -> tuple[tuple[str, str], ...]: ...


def compatible(a: Identified, b: Identified) -> bool:
    """Whether two descriptions may be the same paper: their strongest shared id agrees. arXiv
    ids decide first, then DOIs, then each catalogue's own id (Semantic Scholar's …), so that a
    catalogue's duplicate entries of one DOI still meet."""
    if a.arxiv_id and b.arxiv_id:
        return a.arxiv_id == b.arxiv_id
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.external_ids and b.external_ids:
        theirs = dict(b.external_ids)
        return all(theirs.get(kind, value) == value for kind, value in a.external_ids)
    return True


def _rank(item: tuple[Record, Provenance]) -> tuple[int, int, str, str]:
    record, provenance = item
    return (
        int(record.authority),
        record.version or 0,
        record.updated or "",
        provenance.record_hash,
    )


def merge(paper_id: str, items: Sequence[tuple[Record, Provenance]]) -> Paper:
    """The paper described by ``items`` (each record with where it came from)."""
    if not items:
        raise ValueError("nothing to merge")
    ordered = sorted(items, key=_rank)
    best: dict[str, object] = {}
    links: dict[str, str] = {}
    versions: dict[int, Version] = {}
    listed: set[str] = set()
    categories: list[str] = []
    external: dict[tuple[str, str], None] = {}
    upvotes: int | None = None
    submitted_any: list[str] = []
    updated_any: list[str] = []
    for record, _ in ordered:  # later (more trusted) records override scalar fields
        for name in (
            "arxiv_id",
            "doi",
            "title",
            "abstract",
            "comments",
            "journal_ref",
            "license",
            "submitted",
            "updated",
        ):
            value = getattr(record, name)
            if value:
                best[name] = value
        if record.authors:
            best["authors"] = record.authors
        if record.categories:
            categories = list(record.categories) + [
                c for c in categories if c not in record.categories
            ]
        links.update(record.links.as_dict())
        for version in record.versions:
            known = versions.get(version.number)
            if (
                known is None
                or (version.date and not known.date)
                or (version.size and not known.size)
            ):
                versions[version.number] = Version(
                    version.number,
                    version.date or (known.date if known else None),
                    version.size or (known.size if known else None),
                )
        listed.update(record.listed)
        external.update(dict.fromkeys(record.external_ids))
        if record.upvotes is not None:
            upvotes = max(upvotes or 0, record.upvotes)
        if record.submitted:
            submitted_any.append(record.submitted)
        if record.updated:
            updated_any.append(record.updated)

    title_raw = str(best.get("title", ""))
    abstract_raw = str(best.get("abstract", ""))
    title = clean(title_raw)
    abstract = clean(abstract_raw)
    arxiv_id = best.get("arxiv_id")
    if arxiv_id and not links.get("abs"):
        links["abs"] = f"https://arxiv.org/abs/{arxiv_id}"
    if arxiv_id and not links.get("pdf"):
        links["pdf"] = f"https://arxiv.org/pdf/{arxiv_id}"
    return Paper(
        id=paper_id,
        title=title,
        title_raw=squash(title_raw) if title_raw else "",
        abstract=abstract,
        abstract_raw=abstract_raw.strip(),
        display_name=display_name(title, abstract),
        arxiv_id=str(arxiv_id) if arxiv_id else None,
        doi=str(best["doi"]) if best.get("doi") else None,
        authors=tuple(best.get("authors", ())),  # type: ignore[arg-type]
        categories=tuple(categories),
        submitted=str(best["submitted"]) if "submitted" in best else None,
        updated=max(updated_any) if updated_any else None,
        listed=tuple(sorted(listed)),
        versions=tuple(versions[n] for n in sorted(versions)),
        links=Links(**links),
        comments=_opt(best.get("comments")),
        journal_ref=_opt(best.get("journal_ref")),
        license=_opt(best.get("license")),
        upvotes=upvotes,
        external_ids=tuple(external),
        sources=tuple(sorted((p for _, p in items), key=lambda p: (p.seen_at, p.origin, p.ref))),
    )


def _opt(value: object) -> str | None:
    return squash(str(value)) if value else None


def with_sources(paper: Paper, sources: Iterable[Provenance]) -> Paper:
    return replace(paper, sources=tuple(sources))
