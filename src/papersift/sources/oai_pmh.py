"""OAI-PMH responses (GetRecord, ListRecords) in arXiv's three metadata formats: ``arXiv``,
``arXivRaw`` and ``oai_dc``; and the resumption token a harvester needs to ask for the next page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.sources import ids
from papersift.sources.arxiv_atom import first_doi, split_authors
from papersift.sources.base import Format, Input, Item
from papersift.sources.text import squash
from papersift.sources.xmlstream import (
    child,
    children,
    elements,
    iso_datetime,
    local,
    raw_text,
    rfc822_datetime,
    root_name,
    text,
    texts,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_ARXIV_OAI = re.compile(r"^oai:arXiv\.org:", re.IGNORECASE)
_WATCHED = frozenset({"record", "error", "resumptionToken"})
NO_RECORDS = "noRecordsMatch"  # an empty answer, not an error
_NOT_RECORDS = frozenset({"Identify", "ListSets", "ListMetadataFormats", "ListIdentifiers"})
_DOI_PREFIXES = ("doi:", "info:doi/", "10.", "https://doi.org/", "http://dx.doi.org/")


def _sniff(head: str) -> bool:
    return root_name(head) == "OAI-PMH" and _OAI_NS in head


def _oai_error(source: Input, elem: Element) -> None:
    code = elem.get("code") or "unknown"
    if code == NO_RECORDS:
        return
    message = squash(raw_text(elem)) or "no message"
    raise source.error(f"OAI-PMH error {code}: {message}", field="error")


def _check_root(source: Input, elem: Element, path: tuple[str, ...]) -> None:
    if not path and local(elem.tag) != "OAI-PMH":
        raise source.error(f"not an OAI-PMH response: the root element is <{local(elem.tag)}>")


# --- the three metadata formats ---------------------------------------------------------------


def _extra(meta: Element, *names: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name.replace("-", "_"), squash(value)) for name in names if (value := text(meta, name))
    )


def _author(author: Element) -> str | None:
    keyname = " ".join(texts(author, "keyname"))
    name = squash(
        " ".join(p for p in (text(author, "forenames"), keyname, text(author, "suffix")) if p)
    )
    return name if any(c.isalnum() for c in name) else None  # arXiv leaves stray ":" authors


def _arxiv(meta: Element, ref: str, fallback: str | None) -> Item:
    parsed = ids.parse_arxiv_id(text(meta, "id")) or ids.parse_arxiv_id(fallback)
    if parsed is None:
        return Rejected(ref, f"no arXiv identifier (id {text(meta, 'id')!r})", "id")
    dates: dict[str, str | None] = {}
    for field in ("created", "updated"):
        value = text(meta, field)
        dates[field] = iso_datetime(value)
        if value and not dates[field]:
            return Rejected(ref, f"{field} date {value!r} is not ISO 8601", field)
    created, updated = dates["created"], dates["updated"]
    authors_elem = child(meta, "authors")
    authors = () if authors_elem is None else children(authors_elem, "author")
    return Record(
        source="oai-pmh",
        ref=ref,
        authority=Authority.ARXIV,
        arxiv_id=parsed[0],
        version=parsed[1],
        doi=first_doi(text(meta, "doi")),
        title=raw_text(child(meta, "title")),
        abstract=raw_text(child(meta, "abstract")),
        authors=tuple(n for a in authors if (n := _author(a))),
        categories=tuple(dict.fromkeys((text(meta, "categories") or "").split())),
        submitted=created,
        updated=updated,
        versions=(Version(1, created),) if created else (),
        comments=text(meta, "comments"),
        journal_ref=text(meta, "journal-ref"),
        license=text(meta, "license"),
        extra=_extra(meta, "report-no", "msc-class", "acm-class"),
    )


def _arxiv_raw(meta: Element, ref: str, fallback: str | None) -> Item:
    parsed = ids.parse_arxiv_id(text(meta, "id")) or ids.parse_arxiv_id(fallback)
    if parsed is None:
        return Rejected(ref, f"no arXiv identifier (id {text(meta, 'id')!r})", "id")
    versions: dict[int, Version] = {}
    for elem in children(meta, "version"):
        label = elem.get("version") or ""
        match = re.fullmatch(r"v?(\d+)", label.strip())
        if not match:
            return Rejected(ref, f"version {label!r} is not a version number", "version")
        stamp = text(elem, "date")
        date = rfc822_datetime(stamp) or iso_datetime(stamp)
        if stamp and not date:
            return Rejected(ref, f"version date {stamp!r} is not a date", "version")
        number = int(match.group(1))
        versions[number] = Version(number, date, text(elem, "size"))
    ordered = [versions[n] for n in sorted(versions)]
    latest = ordered[-1] if ordered else None
    first = versions.get(1)
    extra = _extra(meta, "submitter", "proxy", "report-no", "msc-class", "acm-class")
    return Record(
        source="oai-pmh",
        ref=ref,
        authority=Authority.ARXIV,
        arxiv_id=parsed[0],
        version=latest.number if latest else parsed[1],
        doi=first_doi(text(meta, "doi")),
        title=raw_text(child(meta, "title")),
        abstract=raw_text(child(meta, "abstract")),
        authors=split_authors(text(meta, "authors")),
        categories=tuple(dict.fromkeys((text(meta, "categories") or "").split())),
        submitted=first.date if first else None,
        updated=latest.date if latest and latest.number > 1 else None,
        versions=tuple(ordered),
        comments=text(meta, "comments"),
        journal_ref=text(meta, "journal-ref"),
        license=text(meta, "license"),
        extra=extra,
    )


def _dc_creator(value: str) -> str:
    """``Last, First`` → ``First Last``."""
    last, sep, first = value.partition(",")
    return squash(f"{first} {last}" if sep and first.strip() else value)


def _oai_dc(meta: Element, ref: str, identifier: str | None) -> Item:
    from_arxiv = bool(_ARXIV_OAI.match(identifier or ""))
    arxiv: tuple[str, int | None] | None = None
    doi: str | None = None
    journal_ref: str | None = None
    abs_link: str | None = None
    for value in texts(meta, "identifier"):
        if arxiv is None and (arxiv := ids.parse_arxiv_id(value)):
            abs_link = value if value.startswith("http") else None
        elif doi is None and value.lower().startswith(_DOI_PREFIXES):
            doi = ids.normalize_doi(value)
        elif from_arxiv and not value.startswith("http") and journal_ref is None:
            journal_ref = value  # arXiv lists the journal reference among the identifiers
    if arxiv is None and from_arxiv:
        arxiv = ids.parse_arxiv_id(identifier)
    descriptions = [t for c in children(meta, "description") if (t := raw_text(c))]
    comments = [d.strip() for d in descriptions if d.strip().startswith("Comment:")]
    abstracts = [d for d in descriptions if not d.strip().startswith("Comment:")]
    dates: list[str] = []
    for value in texts(meta, "date"):
        date = iso_datetime(value)
        if date is None:
            return Rejected(ref, f"date {value!r} is not ISO 8601", "date")
        dates.append(date)
    dates.sort()
    rights = [r for r in texts(meta, "rights") if r.startswith("http")]
    return Record(
        source="oai-pmh",
        ref=ref,
        authority=Authority.ARXIV if from_arxiv else Authority.AGGREGATOR,
        arxiv_id=arxiv[0] if arxiv else None,
        version=arxiv[1] if arxiv else None,
        doi=doi,
        title=raw_text(child(meta, "title")),
        abstract=abstracts[0] if abstracts else None,
        authors=tuple(_dc_creator(c) for c in texts(meta, "creator")),
        submitted=dates[0] if dates else None,
        updated=dates[-1] if len(dates) > 1 else None,
        links=Links(abs=abs_link),
        comments=comments[0].removeprefix("Comment:").strip() if comments else None,
        journal_ref=journal_ref,
        license=rights[0] if rights else None,
    )


_READERS = {"arXiv": _arxiv, "arXivRaw": _arxiv_raw, "dc": _oai_dc}


def _record(source: Input, record: Element, ref: str) -> Item:
    header = child(record, "header")
    identifier = text(header, "identifier") if header is not None else None
    if header is not None and header.get("status") == "deleted":
        return Rejected(ref, f"deleted at source ({identifier})", "status")
    metadata = child(record, "metadata")
    meta = next(iter(metadata), None) if metadata is not None else None
    if meta is None:
        return Rejected(ref, "record without metadata", "metadata")
    reader = _READERS.get(local(meta.tag))
    if reader is None:
        raise source.error(
            f"OAI-PMH metadata format <{local(meta.tag)}> is not supported "
            "(papersift reads arXiv, arXivRaw and oai_dc)",
            where=ref,
            field="metadata",
        )
    return reader(meta, ref, identifier)


def parse(source: Input) -> Iterator[Item]:
    count = 0
    for elem, path in elements(source, _WATCHED):
        _check_root(source, elem, path)
        name = local(elem.tag)
        if name == "error" and len(path) == 1:
            _oai_error(source, elem)
        elif name == "record" and len(path) == 2:
            count += 1
            yield _record(source, elem, f"record {count}")
        elif name in _NOT_RECORDS and len(path) == 1:
            raise source.error(
                f"an OAI-PMH {name} response holds no paper metadata "
                "(harvest with GetRecord or ListRecords)"
            )


def resumption_token(source: Input | bytes) -> str | None:
    """The token that asks for the next page of a ListRecords/ListIdentifiers harvest; ``None``
    when the list is complete (no token, or an empty one). An OAI-PMH error response (other than
    noRecordsMatch) is a :class:`~papersift.errors.ParseError`, like a malformed document."""
    if isinstance(source, bytes):
        source = Input.from_bytes("<OAI-PMH response>", source)
    token: str | None = None
    for elem, path in elements(source, _WATCHED):
        _check_root(source, elem, path)
        name = local(elem.tag)
        if name == "error" and len(path) == 1:
            _oai_error(source, elem)
        elif name == "resumptionToken" and len(path) == 2:
            token = text(elem)
    return token


FORMATS = (
    Format(
        "oai-pmh",
        "OAI-PMH response (GetRecord/ListRecords) with arXiv, arXivRaw or oai_dc metadata",
        _sniff,
        parse,
    ),
)
