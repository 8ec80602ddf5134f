"""A validator for the Atom feeds papersift writes: RFC 4287's must-haves, checked strictly."""

from __future__ import annotations

from datetime import datetime

from defusedxml import ElementTree

A = "{http://www.w3.org/2005/Atom}"


def _time(text: str | None, where: str) -> None:
    assert text, f"{where}: missing updated"
    moment = datetime.fromisoformat(text)  # RFC 3339 with an offset
    assert moment.tzinfo is not None, f"{where}: updated has no time zone"


def validate(xml: str) -> list[dict[str, str]]:
    """The feed's entries (id, title, link, summary); AssertionError naming the rule broken."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{A}feed", root.tag
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1, f"feed needs exactly one {tag}"
    _time(root.findtext(f"{A}updated"), "feed")
    feed_author = root.find(f"{A}author") is not None
    links = root.findall(f"{A}link")
    assert any(link.get("rel") == "self" and link.get("href") for link in links), "no self link"
    entries = []
    seen = set()
    for entry in root.findall(f"{A}entry"):
        eid = entry.findtext(f"{A}id")
        assert eid and eid not in seen, f"entry id missing or repeated: {eid}"
        seen.add(eid)
        assert entry.findtext(f"{A}title"), f"{eid}: no title"
        _time(entry.findtext(f"{A}updated"), eid)
        alternate = [
            link
            for link in entry.findall(f"{A}link")
            if link.get("rel", "alternate") == "alternate" and link.get("href")
        ]
        assert alternate, f"{eid}: no alternate link"
        assert feed_author or entry.find(f"{A}author") is not None, f"{eid}: no author"
        entries.append(
            {
                "id": eid,
                "title": entry.findtext(f"{A}title") or "",
                "link": alternate[0].get("href") or "",
                "summary": entry.findtext(f"{A}summary") or "",
            }
        )
    return entries
