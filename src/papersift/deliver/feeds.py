"""Atom feeds (RFC 4287), written by hand with ElementTree (which escapes every text).

A feed has an id, a title, an updated time, a self link and an author; each entry an id (a tag
URI of the paper id, stable across runs), a title, an updated time, an alternate link, a summary
and, when known, authors and categories. tests/accounts/atom.py checks these rules.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str  # paper id
    title: str
    url: str
    summary: str
    updated: str  # ISO 8601 (a date is completed to midnight UTC)
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def _time(value: str | None) -> str:
    if not value:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if len(value) == 10:
        return f"{value}T00:00:00+00:00"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def atom_feed(
    *, feed_id: str, title: str, self_url: str, site_url: str, entries: Sequence[Entry]
) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    add(feed, "id", feed_id)
    add(feed, "title", title)
    times = [_time(e.updated) for e in entries]
    add(feed, "updated", max(times) if times else _time(None))
    add(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=site_url, type="text/html")
    author = add(feed, "author")
    add(author, "name", "papersift")
    add(feed, "generator", "papersift")
    for entry, updated in zip(entries, times, strict=True):
        item = add(feed, "entry")
        add(item, "id", f"tag:papersift,2026:paper:{entry.id}")
        add(item, "title", entry.title or entry.id)
        add(item, "updated", updated)
        add(item, "link", rel="alternate", href=entry.url, type="text/html")
        for name in entry.authors[:20]:
            add(add(item, "author"), "name", name)
        for category in entry.categories:
            add(item, "category", term=category)
        add(item, "summary", entry.summary, type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
