"""arXiv's Atom: API responses (export.arxiv.org/api/query, 2016 and current serializations) and
announcement listings from rss.arxiv.org, in their Atom and RSS 2.0 forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.sources import ids
from papersift.sources.base import Format, Input, Item
from papersift.sources.text import latex_to_text, squash, strip_parentheses
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

_OPENSEARCH = "a9.com/-/spec/opensearch"
_API_ID = re.compile(r"<id>\s*https?://(?:export\.)?arxiv\.org/api/", re.IGNORECASE)
_LISTING_MARK = re.compile(r"rss\.arxiv\.org|<(?:id|guid)\b[^>]*>\s*oai:arXiv\.org:", re.IGNORECASE)
_API_ERROR = re.compile(r"^https?://(?:export\.)?arxiv\.org/api/errors", re.IGNORECASE)
_ENTRY = frozenset({"entry", "item"})


# --- shared -----------------------------------------------------------------------------------

_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
_AND = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*", re.IGNORECASE)


def split_authors(value: str | None) -> tuple[str, ...]:
    """An arXiv author string (``A, B and C``; affiliations in parentheses; LaTeX accents) as
    plain names in order."""
    if not value:
        return ()
    names: list[str] = []
    for piece in _AND.split(strip_parentheses(value)):
        name = squash(latex_to_text(piece) if "\\" in piece else piece)
        if not any(c.isalnum() for c in name):
            continue
        if names and _SUFFIX.match(name):
            names[-1] = f"{names[-1]} {name}"  # "Smith, Jr." stays one author
            continue
        names.append(name)
    return tuple(names)


def first_doi(value: str | None) -> str | None:
    """The first DOI of a field that may hold several (``a, b;c``), normalized."""
    for part in re.split(r"[\s,;]+", value or ""):
        doi = ids.normalize_doi(part)
        if doi:
            return doi
    return None


def _ordered(primary: str | None, rest: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in [primary, *rest] if c))


def _root_check(source: Input, elem: Element, path: tuple[str, ...], roots: set[str]) -> None:
    if not path and local(elem.tag) not in roots:
        expected = " or ".join(f"<{r}>" for r in sorted(roots))
        raise source.error(
            f"not an arXiv feed: the root element is <{local(elem.tag)}>, expected {expected}"
        )


# --- the API ----------------------------------------------------------------------------------


def _sniff_api(head: str) -> bool:
    return (
        root_name(head) == "feed"
        and (_OPENSEARCH in head or bool(_API_ID.search(head)))
        and not _LISTING_MARK.search(head)
    )


def _api_entry(entry: Element, ref: str) -> Item:
    entry_id = text(entry, "id")
    parsed = ids.parse_arxiv_id(entry_id)
    if parsed is None:
        return Rejected(ref, f"entry id {entry_id!r} is not an arXiv identifier", "id")
    arxiv_id, version = parsed
    published, updated = text(entry, "published"), text(entry, "updated")
    submitted = iso_datetime(published)
    if published and not submitted:
        return Rejected(ref, f"published date {published!r} is not ISO 8601", "published")
    changed = iso_datetime(updated)
    if updated and not changed:
        return Rejected(ref, f"updated date {updated!r} is not ISO 8601", "updated")
    links: dict[str, str] = {}
    doi_link: str | None = None
    for link in children(entry, "link"):
        href, rel, title = link.get("href"), link.get("rel"), link.get("title")
        if not href:
            continue
        if title == "pdf" or link.get("type") == "application/pdf":
            links.setdefault("pdf", href)
        elif title == "doi":
            doi_link = href
        elif rel in (None, "alternate"):
            links.setdefault("abs", href)
    primary = child(entry, "primary_category")
    versions = [Version(1, submitted)]
    if version and version > 1:
        versions.append(Version(version, changed))
    return Record(
        source="arxiv-api",
        ref=ref,
        authority=Authority.ARXIV,
        arxiv_id=arxiv_id,
        version=version,
        doi=first_doi(text(entry, "doi")) or ids.normalize_doi(doi_link),
        title=raw_text(child(entry, "title")),
        abstract=raw_text(child(entry, "summary")),
        authors=tuple(squash(n) for a in children(entry, "author") if (n := text(a, "name"))),
        categories=_ordered(
            primary.get("term") if primary is not None else None,
            [t for c in children(entry, "category") if (t := c.get("term"))],
        ),
        submitted=submitted,
        updated=changed,
        versions=tuple(versions),
        links=Links(**links),
        comments=text(entry, "comment"),
        journal_ref=text(entry, "journal_ref"),
    )


def parse_api(source: Input) -> Iterator[Item]:
    count = 0
    for elem, path in elements(source, _ENTRY):
        _root_check(source, elem, path, {"feed"})
        if local(elem.tag) != "entry" or path != ("feed",):
            continue
        count += 1
        ref = f"entry {count}"
        if _API_ERROR.match(text(elem, "id") or ""):
            message = squash(text(elem, "summary") or text(elem, "title") or "unknown error")
            raise source.error(f"the arXiv API answered with an error: {message!r}", where=ref)
        yield _api_entry(elem, ref)


# --- listings (rss.arxiv.org) -----------------------------------------------------------------

_SUMMARY = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce\s+Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?(?P<rest>.*)$",
    re.DOTALL | re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _sniff_listing(head: str) -> bool:
    return root_name(head) in ("feed", "rss") and bool(_LISTING_MARK.search(head))


def _listing_date(value: str | None, rss: bool) -> str | None:
    """The day of a listing, as the feed states it (arXiv dates its listings in its own zone)."""
    stamp = rfc822_datetime(value) if rss else iso_datetime(value)
    match = _DATE.match(stamp or "")
    return match.group(0) if match else None


def _listing_entry(item: Element, ref: str, rss: bool, feed_date: str | None) -> Item:
    summary = raw_text(child(item, "description" if rss else "summary"))
    announced = _SUMMARY.match(summary or "")
    candidates = [text(item, "guid") if rss else text(item, "id")]
    if announced:
        candidates.append(announced.group("id"))
    candidates.append(text(item, "link") if rss else None)
    candidates.extend(link.get("href") for link in children(item, "link"))
    parsed = next((p for c in candidates if (p := ids.parse_arxiv_id(c))), None)
    if parsed is None:
        return Rejected(ref, "listing entry without an arXiv identifier", "id")
    arxiv_id, version = parsed
    abstract = announced.group("rest") if announced else summary
    announce_type = text(item, "announce_type") or (announced.group("type") if announced else None)
    date_text = text(item, "pubDate" if rss else "published")
    listed = _listing_date(date_text, rss)
    if date_text and not listed:
        field = "pubDate" if rss else "published"
        return Rejected(ref, f"listing date {date_text!r} is not a date", field)
    listed = listed or feed_date
    if rss:
        categories = tuple(dict.fromkeys(texts(item, "category")))
        abs_link = text(item, "link")
    else:
        categories = tuple(
            dict.fromkeys(t for c in children(item, "category") if (t := c.get("term")))
        )
        abs_link = next(
            (
                href
                for link in children(item, "link")
                if (href := link.get("href")) and link.get("rel") in (None, "alternate")
            ),
            None,
        )
    authors = split_authors(", ".join(texts(item, "creator")))
    if not authors:
        authors = tuple(squash(n) for a in children(item, "author") if (n := text(a, "name")))
    return Record(
        source="arxiv-listing",
        ref=ref,
        authority=Authority.ARXIV_LISTING,
        arxiv_id=arxiv_id,
        version=version,
        doi=first_doi(text(item, "DOI") or text(item, "doi")),
        title=raw_text(child(item, "title")),
        abstract=abstract if abstract and abstract.strip() else None,
        authors=authors,
        categories=categories,
        listed=(listed,) if listed else (),
        links=Links(abs=abs_link),
        comments=text(item, "comment"),
        journal_ref=text(item, "journal_reference") or text(item, "journal_ref"),
        license=text(item, "rights"),
        extra=(("announce_type", announce_type.lower()),) if announce_type else (),
    )


def parse_listing(source: Input) -> Iterator[Item]:
    count = 0
    feed_date: str | None = None  # the listing's own date, for entries that carry none
    for elem, path in elements(source, _ENTRY):
        _root_check(source, elem, path, {"feed", "rss"})
        name = local(elem.tag)
        if path in (("feed",), ("rss", "channel")) and name in ("published", "pubDate"):
            feed_date = _listing_date(raw_text(elem), name == "pubDate") or feed_date
            continue
        if (name, path) not in (("entry", ("feed",)), ("item", ("rss", "channel"))):
            continue
        count += 1
        yield _listing_entry(elem, f"{name} {count}", name == "item", feed_date)


FORMATS = (
    Format(
        "arxiv-api",
        "arXiv API Atom response (export.arxiv.org/api/query)",
        _sniff_api,
        parse_api,
    ),
    Format(
        "arxiv-listing",
        "arXiv announcement listing from rss.arxiv.org (Atom or RSS 2.0)",
        _sniff_listing,
        parse_listing,
    ),
)
