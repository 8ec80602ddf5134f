"""Listings copied as plain text: a Hugging Face papers page, ``Title:/PDF:/Summary:`` digests,
and ``Abstract:`` lists."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from papersift.model import Authority, Links, Record, Rejected
from papersift.sources import ids
from papersift.sources.base import Format, Input, Item
from papersift.sources.text import squash

# --- Hugging Face papers page text ------------------------------------------------------------

_HF_HEADER = re.compile(
    r"^(?:new|subscribe|daily papers|papers|get trending papers in your email inbox!?|"
    r"by\s*ak and the research community|submit(?: a paper)?|search|trending|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:, \d{4})?|"
    r"\d{4}-\d{2}-\d{2}|(?:previous|next)(?: day| week| month)?|day|week|month)$",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"^(?:#{1,6} |\||```|- |\* |> |\d+\. )")
_MIN_ABSTRACT = 200


def _paragraphs(source: Input) -> Iterator[tuple[int, list[str]]]:
    """Blank-line separated paragraphs: ``(first line number, lines)``."""
    block: list[str] = []
    start = 0
    for number, line in source.lines():
        if line.strip():
            if not block:
                start = number
            block.append(line.strip())
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _title_like(lines: list[str]) -> bool:
    text = " ".join(lines)
    return (
        len(lines) <= 2
        and 3 <= len(text) <= 300
        and len(text.split()) <= 40
        and not _HF_HEADER.match(text)
        and not _MARKDOWN.match(text)
    )


def _abstract_like(lines: list[str]) -> bool:
    text = " ".join(lines)
    return len(text) >= _MIN_ABSTRACT and not _MARKDOWN.match(text)


def _sniff_hf_page(head: str) -> bool:
    lines = [line.strip() for line in head.splitlines()[:40] if line.strip()]
    if any(
        re.match(
            r"get trending papers in your email inbox|by\s*ak and the research community",
            line,
            re.I,
        )
        for line in lines
    ):
        return True
    # shape alone: short title paragraph, long abstract paragraph, repeated; no markdown
    paragraphs = [p for p in re.split(r"\n\s*\n", head) if p.strip()][:-1]  # last may be cut
    if len(paragraphs) < 4 or any(_MARKDOWN.match(p.strip()) for p in paragraphs):
        return False
    if any(re.match(r"(?:title|abstract|summary|pdf)\s*:", p.strip(), re.I) for p in paragraphs):
        return False
    pairs = sum(
        1
        for a, b in itertools.pairwise(paragraphs)
        if _title_like(a.strip().splitlines())
        and len(b.strip().splitlines()) == 1
        and len(b.strip()) >= 400
    )
    return pairs >= 2 and pairs * 2 >= len(paragraphs) - 6


def parse_hf_page(source: Input) -> Iterator[Item]:
    pending: tuple[int, list[str]] | None = None
    for number, lines in _paragraphs(source):
        if pending and _abstract_like(lines):
            title_line, title = pending
            yield Record(
                source="hf-page",
                ref=f"line {title_line}",
                authority=Authority.LISTING_TEXT,
                title=squash(" ".join(title)),
                abstract=squash(" ".join(lines)),
            )
            pending = None
        elif _title_like(lines):
            pending = (number, lines)
        else:
            if _abstract_like(lines):
                yield Rejected(
                    f"line {number}", "abstract paragraph without a title before it", "title"
                )
            pending = None


# --- Title: / PDF: / Summary: digests ---------------------------------------------------------

_FIELD = re.compile(
    r"^(title|pdf|summary|abstract|authors?|url|link|abs|arxiv|id|code|categories|date|"
    r"published|comments?)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|\*{3,})\s*$")


def _sniff_digest(head: str) -> bool:
    lines = head.splitlines()[:200]
    titles = sum(1 for line in lines if re.match(r"title\s*:", line, re.I))
    bodies = sum(1 for line in lines if re.match(r"(?:summary|abstract)\s*:", line, re.I))
    return titles >= 1 and bodies >= 1 and not any(line.startswith("\\\\") for line in lines)


def _digest_record(start: int, fields: dict[str, str]) -> Item:
    ref = f"line {start}"
    title = squash(fields.get("title"))
    abstract = squash(fields.get("summary") or fields.get("abstract"))
    if not title and not abstract:
        return Rejected(ref, "entry has neither a title nor a summary", "title")
    arxiv: tuple[str, int | None] | None = None
    for key in ("pdf", "url", "link", "abs", "arxiv", "id"):
        arxiv = ids.parse_arxiv_id(fields.get(key))
        if arxiv:
            break
    authors = tuple(
        a.strip()
        for a in re.split(r",|\band\b", fields.get("authors", fields.get("author", "")))
        if a.strip()
    )
    pdf = fields.get("pdf") or None
    return Record(
        source="digest",
        ref=ref,
        authority=Authority.LISTING_TEXT,
        arxiv_id=arxiv[0] if arxiv else None,
        version=arxiv[1] if arxiv else None,
        title=title or None,
        abstract=abstract or None,
        authors=authors,
        categories=tuple(fields.get("categories", "").replace(",", " ").split()),
        links=Links(pdf=pdf, code=fields.get("code") or None),
        comments=fields.get("comments") or fields.get("comment") or None,
    )


def parse_digest(source: Input) -> Iterator[Item]:
    fields: dict[str, str] = {}
    current: str | None = None
    start = 0
    for number, line in source.lines():
        if _SEPARATOR.match(line):
            if fields:
                yield _digest_record(start, fields)
            fields, current = {}, None
            continue
        match = _FIELD.match(line)
        if match:
            key = match.group(1).lower()
            if key == "title" and "title" in fields:  # a new entry without a separator
                yield _digest_record(start, fields)
                fields = {}
            if not fields:
                start = number
            current = key
            fields[key] = match.group(2).strip()
        elif current and line.strip():
            fields[current] += " " + line.strip()
    if fields:
        yield _digest_record(start, fields)


# --- Abstract: lists --------------------------------------------------------------------------

_ABSTRACT = re.compile(r"^\s*abstract\s*:\s*", re.IGNORECASE)


def _sniff_abstracts(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip()]
    return (
        bool(lines)
        and bool(_ABSTRACT.match(lines[0]))
        and not any(re.match(r"\s*title\s*:", line, re.I) for line in lines[:50])
    )


def parse_abstracts(source: Input) -> Iterator[Item]:
    current: list[str] = []
    start = 0
    for number, line in source.lines():
        if _ABSTRACT.match(line):
            if current:
                yield _abstract_record(start, current)
            start, current = number, [_ABSTRACT.sub("", line, count=1)]
        elif line.strip():
            if not current:
                yield Rejected(f"line {number}", "text before the first 'Abstract:'", "abstract")
                continue
            current.append(line)
    if current:
        yield _abstract_record(start, current)


def _abstract_record(start: int, lines: list[str]) -> Item:
    text = squash(" ".join(lines))
    if not text:
        return Rejected(f"line {start}", "empty abstract", "abstract")
    return Record(
        source="abstracts", ref=f"line {start}", authority=Authority.LISTING_TEXT, abstract=text
    )


FORMATS = (
    Format(
        "digest",
        "Title:/PDF:/Summary: digest blocks separated by --- lines",
        _sniff_digest,
        parse_digest,
    ),
    Format(
        "abstracts", "one 'Abstract: …' per line, nothing else", _sniff_abstracts, parse_abstracts
    ),
    Format(
        "hf-page",
        "text of a Hugging Face papers page (title and abstract paragraphs)",
        _sniff_hf_page,
        parse_hf_page,
    ),
)
