"""Semantic Scholar Graph API paper JSON: ``paper/{id}``, ``paper/batch`` (a list; ``null`` for a
paper not found), ``paper/search`` and ``author/{id}/papers`` (``{"data": [...]}``),
recommendations (``{"recommendedPapers": [...]}``), citations and references
(``{"data": [{"citingPaper"|"citedPaper": {...}}]}``), snippet search, and JSON lines of papers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected
from papersift.sources import ids
from papersift.sources.base import Format, Input, Item
from papersift.sources.jsonlines import (
    FieldError,
    authors_value,
    doi_and_arxiv,
    kind,
    text_value,
)

_LISTS = ("data", "recommendedPapers", "papers")
_WRAPPERS = ("citingPaper", "citedPaper", "paper")
_PAPER_KEYS = ("paperId", "corpusId", "title", "externalIds")
# externalIds worth keeping as identity keys (stable, one paper each)
_EXTERNAL = {
    "CorpusId": "corpus",
    "DBLP": "dblp",
    "MAG": "mag",
    "PubMed": "pubmed",
    "PubMedCentral": "pmc",
    "ACL": "acl",
}


def _error_body(value: object) -> str | None:
    """The message of an API error body (``{"error": …}`` / ``{"message": …}``), else ``None``."""
    if isinstance(value, dict) and value and set(value) <= {"error", "message", "code"}:
        message = value.get("error", value.get("message"))
        if isinstance(message, str):
            return message
    return None


def _sniff(head: str) -> bool:
    text = head.lstrip("\ufeff \t\r\n")
    if not text or text[0] not in "{[":
        return False
    if re.search(r'"(?:paperId|citingPaper|citedPaper|recommendedPapers)"\s*:', text):
        return True
    if re.search(r'"snippet"\s*:', text) and re.search(r'"corpusId"\s*:', text):
        return True
    if len(text) < 4096:  # a whole small body: is it an API error?
        try:
            return _error_body(json.loads(text)) is not None
        except (ValueError, RecursionError):
            return False
    return False


def _items(data: object, source: Input) -> Iterator[tuple[str, object]]:
    """``(ref, item)`` for every paper slot of a response."""
    if isinstance(data, list):
        for index, item in enumerate(data, start=1):
            yield f"record {index}", item
        return
    if not isinstance(data, dict):
        raise source.error(f"not a Semantic Scholar response: the JSON is {kind(data)}")
    message = _error_body(data)
    if message is not None:
        raise source.error(
            f"the input is an API error response, not papers: {json.dumps(data)[:300]}"
        )
    for key in _LISTS:
        if key in data:
            papers = data[key]
            if papers is None:
                return
            if not isinstance(papers, list):
                raise source.error(
                    f"field {key!r} must be a list of papers, not {kind(papers)}", field=key
                )
            for index, item in enumerate(papers, start=1):
                yield f"record {index}", item
            return
    if any(key in data for key in (*_PAPER_KEYS, "citingPaper", "citedPaper")):  # one paper
        yield "record 1", data
        return
    if "total" in data or "offset" in data:  # an empty page of results
        return
    raise source.error(
        "not a Semantic Scholar response: no paper, no 'data' and no 'recommendedPapers' "
        f"(keys: {', '.join(sorted(map(str, data))[:8])})"
    )


def _unwrap(item: object) -> object:
    """The paper inside a citation/reference/snippet wrapper."""
    if isinstance(item, dict) and not any(key in item for key in ("paperId", "title")):
        for key in _WRAPPERS:
            if key in item:
                return item[key]
    return item


def _text_list(field: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(field, f"field {field!r} must be a list, not {kind(value)}")
    out: list[str] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("category"), str):
            out.append(item["category"])
    return list(dict.fromkeys(out))


def _journal_ref(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FieldError("journal", f"field 'journal' must be an object, not {kind(value)}")
    name = text_value("journal.name", value.get("name"))
    if not name:
        return None
    volume = text_value("journal.volume", value.get("volume"))
    pages = text_value("journal.pages", value.get("pages"))
    parts = [name.strip()] + [p.strip() for p in (volume,) if p]
    return " ".join(parts) + (f", {pages.strip()}" if pages else "")


def paper_record(paper: Mapping[str, Any], ref: str) -> Record:
    """One Semantic Scholar paper object as a record; :class:`FieldError` names a bad field."""
    title = text_value("title", paper.get("title"))
    if not title or not title.strip():
        raise FieldError("title", "paper has no title")
    external = paper.get("externalIds")
    if external is None:
        external = {}
    if not isinstance(external, dict):
        raise FieldError(
            "externalIds", f"field 'externalIds' must be an object, not {kind(external)}"
        )
    arxiv = ids.parse_arxiv_id(text_value("externalIds.ArXiv", external.get("ArXiv")))
    doi, doi_arxiv = doi_and_arxiv(text_value("externalIds.DOI", external.get("DOI")))
    arxiv = arxiv or doi_arxiv
    keys: list[tuple[str, str]] = []
    paper_id = text_value("paperId", paper.get("paperId"))
    if paper_id:
        keys.append(("s2", paper_id.strip()))
    corpus = text_value("corpusId", paper.get("corpusId"), numbers=True) or text_value(
        "externalIds.CorpusId", external.get("CorpusId"), numbers=True
    )
    if corpus:
        keys.append(("corpus", corpus.strip()))
    for name, label in _EXTERNAL.items():
        value = text_value(f"externalIds.{name}", external.get(name), numbers=True)
        if value and label != "corpus":
            keys.append((label, value.strip()))
    date = text_value("publicationDate", paper.get("publicationDate"))
    year = paper.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise FieldError("year", f"field 'year' must be a whole number, not {kind(year)}")
    submitted = date.strip() if date and re.match(r"^\d{4}-\d{2}-\d{2}$", date.strip()) else None
    if submitted is None and year:
        submitted = str(year)
    pdf = paper.get("openAccessPdf")
    pdf_url = text_value("openAccessPdf.url", pdf.get("url")) if isinstance(pdf, dict) else None
    extra: list[tuple[str, str]] = []
    for field in ("venue", "url", "citationCount", "influentialCitationCount", "referenceCount"):
        value = paper.get(field)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            extra.append((field, str(value).strip()))
    for field in ("fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes"):
        values = _text_list(field, paper.get(field))
        if values:
            extra.append((field, "; ".join(values)))
    tldr = paper.get("tldr")
    if isinstance(tldr, dict) and isinstance(tldr.get("text"), str) and tldr["text"].strip():
        extra.append(("tldr", tldr["text"].strip()))
    return Record(
        source="s2",
        ref=ref,
        authority=Authority.AGGREGATOR,
        arxiv_id=arxiv[0] if arxiv else None,
        version=arxiv[1] if arxiv else None,
        doi=doi,
        title=title,
        abstract=text_value("abstract", paper.get("abstract")),
        authors=authors_value("authors", paper.get("authors")),
        submitted=submitted,
        links=Links(pdf=pdf_url.strip() if pdf_url else None),
        journal_ref=_journal_ref(paper.get("journal")),
        external_ids=tuple(dict.fromkeys(keys)),
        extra=tuple(extra),
    )


def _record(ref: str, item: object) -> Item:
    paper = _unwrap(item)
    if paper is None:
        return Rejected(ref, "paper not found (null in the response)", "paperId")
    if not isinstance(paper, dict):
        return Rejected(ref, f"expected a paper object, not {kind(paper)}")
    if "authorId" in paper and "paperId" not in paper:
        return Rejected(ref, "an author, not a paper", "paperId")
    try:
        return paper_record(paper, ref)
    except FieldError as exc:
        return Rejected(ref, exc.reason, exc.field)


def _lines(text: str, source: Input) -> Iterator[Item]:
    """JSON lines, each a paper (or a response); a bad line is rejected, not fatal."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            data = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield Rejected(where, f"invalid JSON: {reason}")
            continue
        if data is None or (isinstance(data, dict) and "authorId" not in data):
            yield _record(where, data)
            continue
        try:
            items = list(_items(data, source))
        except ParseError as exc:
            yield Rejected(where, exc.reason, exc.field)
            continue
        if not items:
            yield Rejected(where, "no papers on this line")
        for ref, item in items:
            yield _record(where if len(items) == 1 else f"{where}, {ref}", item)


def parse(source: Input) -> Iterator[Item]:
    text = source.text()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" or not text.lstrip().startswith("{"):
            raise source.error(
                f"invalid JSON: {exc.msg} (column {exc.colno})", where=f"line {exc.lineno}"
            ) from None
        yield from _lines(text, source)  # JSON lines: one paper per line
        return
    except RecursionError:
        raise source.error("invalid JSON: nested too deeply") from None
    for ref, item in _items(data, source):
        yield _record(ref, item)


FORMATS = (
    Format(
        "s2",
        "Semantic Scholar Graph API paper JSON (paper, batch, search, citations, recommendations)",
        _sniff,
        parse,
    ),
)
