"""Hugging Face daily papers: the JSON of ``https://huggingface.co/api/daily_papers``.

One document per day: a list of items ``{paper: {id, title, summary, authors, publishedAt,
submittedOnDailyAt?, upvotes, githubRepo?, projectPage?, ai_summary?, ai_keywords?, …},
publishedAt, title, summary?, numComments, organization?, …}``, sometimes wrapped as
``{status, date, count, data: [...]}``. The schema drifts over the years (2024 lacks
``submittedOnDailyAt`` and the ``ai_*`` fields); absent fields are simply absent.

Bibliographic fields of the wrong type reject their item, naming it and the field; extra facts
(stars, AI keywords, …) of an unexpected type are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import orjson

from papersift.model import Authority, Links, Record, Rejected
from papersift.sources import ids
from papersift.sources.base import Format, Input, Item
from papersift.sources.jsonlines import kind

NAME = "hf-daily"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_HTTP = re.compile(r"^https?://\S+$", re.IGNORECASE)


# --- sniffing ---------------------------------------------------------------------------------

_FIRST_ITEM = re.compile(r'^\s*(?:\[|\{.*?"data"\s*:\s*\[)\s*\{', re.DOTALL)
_PAPER = re.compile(r'"paper"\s*:\s*\{')
_ID = re.compile(r'"id"\s*:\s*"')
_HF_MARK = re.compile(r'"upvotes"\s*:\s*-?\d|"authors"\s*:\s*\[\s*\{\s*"_id"\s*:')


def _first_item(doc: object) -> object:
    if isinstance(doc, dict):
        doc = doc.get("data")
    return doc[0] if isinstance(doc, list) and doc else None


def sniff(head: str) -> bool:
    """A JSON list (or ``{data: [...]}``) whose first item holds a ``paper`` object with an
    ``id`` and ``upvotes``. The head may be cut anywhere; then its text is matched instead."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith(("[", "{")):
        return False
    try:
        doc, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        pass
    else:
        if text[end:].strip():  # more values follow: JSON lines, not one document
            return False
        first = _first_item(doc)
        paper = first.get("paper") if isinstance(first, dict) else None
        return isinstance(paper, dict) and "id" in paper and "upvotes" in paper
    # cut (or broken) JSON: the first item must start with a paper object of HF's shape
    start = _FIRST_ITEM.match(text)
    if not start:
        return False
    paper = _PAPER.search(text, start.end() - 1)
    if not paper:
        return False
    body = text[paper.end() :]
    return bool(_ID.search(body)) and bool(_HF_MARK.search(body))


# --- parsing ----------------------------------------------------------------------------------


class _Bad(Exception):
    """An item that cannot become a record: why, and which field."""

    def __init__(self, reason: str, field: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def _string(obj: dict[str, Any], key: str, path: str) -> str | None:
    """``obj[key]`` as a non-empty string, ``None`` when absent/null/empty; :class:`_Bad` when it
    is something else."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"field '{path}' must be a string, not {kind(value)}", path)
    return value if value.strip() else None


def _date(obj: dict[str, Any], key: str, path: str) -> str | None:
    value = _string(obj, key, path)
    if value is None:
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise _Bad(f"field '{path}' is not an ISO 8601 date: {value[:40]!r}", path)
    return value


def _link(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, str) and _HTTP.match(value.strip()):
        return value.strip()
    return None


def _authors(paper: dict[str, Any]) -> tuple[str, ...]:
    value = paper.get("authors")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Bad(f"field 'paper.authors' must be a list, not {kind(value)}", "paper.authors")
    names: list[str] = []
    for index, author in enumerate(value):
        path = f"paper.authors[{index}]"
        if isinstance(author, str):  # a bare name is still a name
            name: str | None = author if author.strip() else None
        elif isinstance(author, dict):
            name = _string(author, "name", f"{path}.name")
        else:
            raise _Bad(f"field '{path}' must be an object, not {kind(author)}", path)
        if name:
            names.append(name.strip())
    return tuple(names)


def _extra(item: dict[str, Any], paper: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    facts: list[tuple[str, str]] = []
    summary = paper.get("ai_summary")
    if isinstance(summary, str) and summary.strip():
        facts.append(("ai_summary", summary.strip()))
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        words = [k.strip() for k in keywords if isinstance(k, str) and k.strip()]
        if words:
            facts.append(("ai_keywords", ", ".join(words)))
    for name, value in (
        ("github_stars", paper.get("githubStars")),
        ("num_comments", item.get("numComments")),
    ):
        if isinstance(value, int) and not isinstance(value, bool):
            facts.append((name, str(value)))
    organization = paper.get("organization") or item.get("organization")
    if isinstance(organization, dict):
        org_name = organization.get("fullname") or organization.get("name")
        if isinstance(org_name, str) and org_name.strip():
            facts.append(("organization", org_name.strip()))
    return tuple(facts)


def _record(ref: str, item: object) -> Record:
    if not isinstance(item, dict):
        raise _Bad(f"item must be an object, not {kind(item)}", None)
    paper = item.get("paper")
    if paper is None:
        raise _Bad("item has no 'paper' object", "paper")
    if not isinstance(paper, dict):
        raise _Bad(f"field 'paper' must be an object, not {kind(paper)}", "paper")

    arxiv: tuple[str, int | None] | None = None
    raw_id = _string(paper, "id", "paper.id")
    if raw_id is not None:
        arxiv = ids.parse_arxiv_id(raw_id)
        if arxiv is None:
            raise _Bad(f"field 'paper.id' is not an arXiv id: {raw_id[:40]!r}", "paper.id")
    title = _string(paper, "title", "paper.title") or _string(item, "title", "title")
    abstract = _string(paper, "summary", "paper.summary") or _string(item, "summary", "summary")
    if not (arxiv or title or abstract):
        raise _Bad("paper has no id, title or summary", "paper.id")

    upvotes = paper.get("upvotes")
    if upvotes is not None and (
        not isinstance(upvotes, int) or isinstance(upvotes, bool) or upvotes < 0
    ):
        raise _Bad(
            f"field 'paper.upvotes' must be a count, not {kind(upvotes)}"
            + (f" {upvotes}" if isinstance(upvotes, int | float) else ""),
            "paper.upvotes",
        )

    submitted = _date(paper, "publishedAt", "paper.publishedAt")
    on_daily = _date(paper, "submittedOnDailyAt", "paper.submittedOnDailyAt")
    listed_at = on_daily or _date(item, "publishedAt", "publishedAt")

    arxiv_id = arxiv[0] if arxiv else None
    return Record(
        source=NAME,
        ref=ref,
        authority=Authority.AGGREGATOR,
        arxiv_id=arxiv_id,
        version=arxiv[1] if arxiv else None,
        title=title,
        abstract=abstract,
        authors=_authors(paper),
        submitted=submitted,
        listed=(listed_at[:10],) if listed_at else (),
        links=Links(
            abs=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
            pdf=f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else None,
            code=_link(paper, "githubRepo"),
            project=_link(paper, "projectPage"),
        ),
        upvotes=upvotes,
        extra=_extra(item, paper),
    )


def _items(source: Input, doc: object) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        data = doc.get("data")
        if isinstance(data, list):
            return data
        if "error" in doc:
            raise source.error(f"the document is an API error response: {str(doc['error'])[:200]}")
        if data is not None:
            raise source.error(f"field 'data' must be a list, not {kind(data)}", field="data")
        keys = ", ".join(repr(k) for k in list(doc)[:8]) or "none"
        raise source.error(
            "not Hugging Face daily papers: expected a list of items or an object with a "
            f"'data' list, found an object with keys {keys}"
        )
    raise source.error(
        f"not Hugging Face daily papers: expected a list of items, found {kind(doc)}"
    )


def parse(source: Input) -> Iterator[Item]:
    text = source.text()
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise source.error(
            f"invalid JSON: {exc.msg} (column {exc.colno})", where=f"line {exc.lineno}"
        ) from None
    except RecursionError:
        raise source.error("invalid JSON: nested too deeply") from None
    items: list[Item] = []
    for index, item in enumerate(_items(source, doc), start=1):
        ref = f"item {index}"
        try:
            items.append(_record(ref, item))
        except _Bad as bad:
            items.append(Rejected(ref, bad.reason, bad.field))
    day = _list_day(doc, items)
    for item in items:
        yield replace(item, listed=(day,)) if day and isinstance(item, Record) else item


def _list_day(doc: object, items: list[Item]) -> str | None:
    """The day this list is for: all its papers are listed on it. The API's wrapped form says;
    a plain list does not, and its items' submission times are in UTC while Hugging Face's day
    is not, so the list's day is the latest day any of its papers was submitted on."""
    if isinstance(doc, dict) and isinstance(doc.get("date"), str) and _DATE.match(doc["date"]):
        return str(doc["date"])[:10]
    days = [d for item in items if isinstance(item, Record) for d in item.listed]
    return max(days) if days else None


FORMATS = (
    Format(
        NAME,
        "Hugging Face daily papers JSON (/api/daily_papers), plain or gzipped",
        sniff,
        parse,
    ),
)
