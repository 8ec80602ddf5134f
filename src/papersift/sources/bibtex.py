"""BibTeX (and BibLaTeX) files, as Zotero, arXiv, Google Scholar or papersift itself export them.

Read with bibtexparser 2; an entry it cannot parse is rejected with its line, the rest go in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from papersift.model import Authority, Links, Record, Rejected
from papersift.sources import ids
from papersift.sources.arxiv_abs import plain_name
from papersift.sources.base import Format, Input, Item
from papersift.sources.jsonlines import doi_and_arxiv
from papersift.sources.text import squash

# bibtexparser logs every unparseable block; papersift reports them as rejected records instead
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _sniff(head: str) -> bool:
    for line in head.splitlines():
        if not line.strip() or line.lstrip().startswith("%"):
            continue
        return bool(_ENTRY_START.match(line))
    return False


def strip_braces(value: str) -> str:
    """``{{Attention Is All You Need}}`` → ``Attention Is All You Need``: outer braces that wrap
    the whole value go; inner ones (``{BERT}``) and LaTeX stay."""
    text = value.strip()
    while len(text) >= 2 and text[0] == "{" and text[-1] == "}":
        depth = 0
        for index, char in enumerate(text):
            if char == "{" and (index == 0 or text[index - 1] != "\\"):
                depth += 1
            elif char == "}" and text[index - 1] != "\\":
                depth -= 1
                if depth == 0 and index != len(text) - 1:
                    return text  # the first brace closes before the end: not an outer pair
        if depth != 0:
            return text
        text = text[1:-1].strip()
    return text


def _split_top(text: str, separator: re.Pattern[str]) -> list[str]:
    """``text`` split at ``separator`` where it is not inside braces."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = separator.match(text, index)
            if match:
                parts.append(text[start:index])
                start = index = match.end()
                continue
        index += 1
    parts.append(text[start:])
    return parts


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r"\s*,\s*")


def bibtex_authors(value: str) -> tuple[str, ...]:
    """``Vaswani, Ashish and Shazeer, Noam`` → ``("Ashish Vaswani", "Noam Shazeer")``."""
    names: list[str] = []
    for raw in _split_top(squash(value), _AND):
        parts = [p.strip() for p in _split_top(raw.strip(), _COMMA)]
        if len(parts) == 2:  # Last, First
            name = f"{parts[1]} {parts[0]}"
        elif len(parts) >= 3:  # Last, Jr, First
            name = f"{parts[2]} {parts[0]} {parts[1]}"
        else:
            name = parts[0]
        name = plain_name(strip_braces(name) if name.startswith("{") else name)
        if name and name.lower() != "others":
            names.append(name)
    return tuple(names)


def _date(fields: dict[str, str]) -> str | None:
    date = fields.get("date", "").strip()
    if re.match(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$", date):
        return date
    year = re.search(r"\d{4}", fields.get("year", ""))
    if not year:
        return date[:4] if re.match(r"^\d{4}", date) else None
    month_text = fields.get("month", "").strip().lower().rstrip(".")
    month = _MONTHS.get(month_text[:3] if month_text[:3] in _MONTHS else month_text)
    if month is None and month_text.isdigit() and 1 <= int(month_text) <= 12:
        month = int(month_text)
    return f"{year.group()}-{month:02d}" if month else year.group()


_ARXIV_IN_TEXT = re.compile(
    r"arxiv[:\s]*(?:abs/)?([a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(v\d+)?", re.IGNORECASE
)


def _arxiv(fields: dict[str, str]) -> tuple[str, int | None] | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    eprint = fields.get("eprint", "")
    if eprint and (prefix == "arxiv" or "arxiv" in eprint.lower() or "arxiv.org" in eprint):
        found = ids.parse_arxiv_id(eprint)
        if found:
            return found
    for name in ("url", "arxivid", "arxiv"):
        found = ids.parse_arxiv_id(fields.get(name))
        if found:
            return found
    for name in ("journal", "note", "howpublished"):  # "arXiv preprint arXiv:1706.03762"
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match:
            found = ids.parse_arxiv_id(match.group(1) + (match.group(2) or ""))
            if found:
                return found
    return None


def _journal_ref(fields: dict[str, str]) -> str | None:
    journal = fields.get("journal") or fields.get("journaltitle")
    if not journal or re.match(r"^\s*arxiv\b", journal, re.IGNORECASE):
        return None
    parts = [squash(strip_braces(journal))]
    if fields.get("volume"):
        parts.append(fields["volume"].strip())
    ref = " ".join(parts)
    if fields.get("pages"):
        ref += f", {fields['pages'].strip()}"
    return ref


def _unenclose(value: str) -> str:
    """A value as the parser gives it after removing its ``{…}`` or ``"…"`` enclosing."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    if len(text) >= 2 and text[0] == "{" and text[-1] == "}" and strip_braces(text) != text:
        return text[1:-1]
    return text


def _record(entry: Any, ref: str, *, enclosed: bool = False) -> Item:
    """``enclosed``: field values still carry their enclosing braces or quotes."""
    fields: dict[str, str] = {}
    for field in entry.fields:
        value = field.value
        if not isinstance(value, str):
            return Rejected(ref, f"field {field.key!r} could not be read as text", field.key)
        if enclosed:
            value = _unenclose(value)
        fields.setdefault(field.key.lower(), value)
    title = strip_braces(fields.get("title", "")) or None
    abstract = strip_braces(fields.get("abstract", "")) or None
    if not title and not abstract:
        return Rejected(ref, f"entry {entry.key!r} has no title", "title")
    arxiv = _arxiv(fields)
    doi, doi_arxiv = doi_and_arxiv(fields.get("doi"))
    arxiv = arxiv or doi_arxiv
    url = fields.get("url", "").strip() or None
    pdf = url if url and (url.lower().endswith(".pdf") or "/pdf/" in url) else None
    primary = fields.get("primaryclass", "").strip()
    extra = [("bibtex_type", entry.entry_type.lower()), ("bibtex_key", entry.key)]
    for name in ("booktitle", "keywords", "note", "publisher", "howpublished"):
        if fields.get(name, "").strip():
            extra.append((name, squash(strip_braces(fields[name]))))
    return Record(
        source="bibtex",
        ref=ref,
        authority=Authority.AGGREGATOR,
        arxiv_id=arxiv[0] if arxiv else None,
        version=arxiv[1] if arxiv else None,
        doi=doi,
        title=title,
        abstract=abstract,
        authors=bibtex_authors(fields.get("author", "")),
        categories=(primary,) if primary else (),
        submitted=_date(fields),
        links=Links(abs=None if pdf else url, pdf=pdf),
        journal_ref=_journal_ref(fields),
        extra=tuple(extra),
    )


def _failure(block: Any) -> str:
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or (str(error) if error else "")
    return squash(reason) or "entry could not be parsed"


def parse(source: Input) -> Iterator[Item]:
    from bibtexparser import model
    from bibtexparser.entrypoint import parse_string

    text = source.text()
    try:
        library = parse_string(text)
    except Exception as exc:  # the parser has no narrower contract; never let it escape raw
        raise source.error(f"BibTeX could not be read: {exc}") from None
    for block in library.blocks:
        ref = f"line {(block.start_line or 0) + 1}"
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, model.Entry
        ):  # a key used twice names two entries; the key means nothing to papersift
            yield _record(block.ignore_error_block, ref, enclosed=True)
        elif isinstance(block, model.ParsingFailedBlock):
            yield Rejected(ref, _failure(block))
        elif isinstance(block, model.Entry):
            yield _record(block, ref)


FORMATS = (
    Format(
        "bibtex",
        "BibTeX/BibLaTeX (@article, @misc with eprint, @inproceedings …)",
        _sniff,
        parse,
    ),
)
