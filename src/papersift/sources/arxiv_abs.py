"""arXiv's own ``.abs`` metadata files: a header (``arXiv:``, ``From:``, one ``Date:`` line per
version, ``Title:``, ``Authors:``, ``Categories:`` …) between ``\\\\`` lines, then the abstract.

One file holds one paper; files joined one after another are read as one record each. Also home of
the helpers the arXiv bulk snapshot shares with this format (RFC 822 dates, author strings).
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from datetime import UTC

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.sources import ids
from papersift.sources.base import Format, Input, Item
from papersift.sources.text import SYMBOLS, latex_to_text, squash, strip_parentheses

_SEPARATOR = "\\\\"
_RULE = re.compile(r"^-{20,}\s*$")
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z-]*(?: \([^)]*\))?):\s?(?P<value>.*)$")
_DATE_KEY = re.compile(r"^Date(?: \(revised(?: v(?P<number>\d+))?\))?$")
_DATE_VALUE = re.compile(r"^(?P<date>.*?)\s*(?:\((?P<size>[^)]*)\))?\s*$")
_KNOWN_EXTRA = {
    "report-no": "report_no",
    "msc-class": "msc_class",
    "acm-class": "acm_class",
    "proxy": "proxy",
}


# --- helpers shared with the arXiv bulk snapshot ------------------------------------------------


def rfc822_to_iso(text: str | None) -> str | None:
    """``Tue, 16 Sep 1997 14:44:58 GMT`` → ``1997-09-16T14:44:58+00:00``; ``None`` if not a date."""
    if not text or not text.strip():
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


_NAME_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ACCENT_COMMANDS = frozenset("cvuHkrdbt")


def _keep_unknown(match: re.Match[str]) -> str:
    command = match.group(1)
    known = command in SYMBOLS or command in _ACCENT_COMMANDS
    return match.group(0) if known else command  # "\Ajinkya" is a name, not a command to drop


def plain_name(name: str) -> str:
    """An author's name as plain text: LaTeX accents rendered, braces and spacing tidied."""
    if "\\" in name or "{" in name or "~" in name:
        name = _NAME_COMMAND.sub(_keep_unknown, name.replace("\\\\", " "))
        name = latex_to_text(re.sub(r"(?<!\\)~", " ", name)).replace("{", "").replace("}", "")
    elif "  " not in name and "\n" not in name and "\t" not in name:  # already plain: fast path
        return name.strip(" ,;")
    return squash(name).strip(" ,;")


_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+|\s*&\s*")
_GROUP = re.compile(
    r"^(?P<group>[^:,]*\b(?:collaborations?|teams?|consortium|group)\b[^:,]*):\s*", re.I
)


def split_authors(text: str | None) -> tuple[str, ...]:
    """arXiv's author string (``A. One (Inst), B. Two and C. Three``) as plain names in order."""
    if not text:
        return ()
    flat = squash(strip_parentheses(text))
    parts: list[str] = []
    group = _GROUP.match(flat)  # "The CMS and LHCb Collaborations: V. Khachatryan, …"
    if group:
        parts.append(group.group("group"))
        flat = flat[group.end() :]
    parts.extend(_AUTHOR_SPLIT.split(flat))
    names = (plain_name(part) for part in parts)
    return tuple(name for name in names if name and name.lower() not in ("et al", "et al."))


# --- the .abs format ------------------------------------------------------------------------


def _sniff(head: str) -> bool:
    lines = [line.rstrip() for line in head.splitlines()[:12]]
    for index, line in enumerate(lines):
        if line.startswith("arXiv:") and ids.parse_arxiv_id(line[6:].strip()):
            before = [x for x in lines[:index] if x.strip()]
            return bool(before) and before[-1] == _SEPARATOR
    return False


class _Block:
    """The lines of one paper, collected while reading."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.header: list[tuple[int, str]] = []
        self.abstract: list[str] = []
        self.part = 0  # 0 in the header, 1 after it
        self.bad: Rejected | None = None

    @property
    def empty(self) -> bool:
        return not self.header and not self.abstract and self.bad is None


def _fields(block: _Block) -> list[tuple[int, str, str]]:
    """``(line, key, value)`` for each header field, continuation lines joined with newlines."""
    fields: list[tuple[int, str, str]] = []
    for number, line in block.header:
        if not line.strip():
            continue
        match = _HEADER.match(line)
        if match and not line[0].isspace():
            fields.append((number, match.group("key"), match.group("value").rstrip()))
        elif fields and line[0].isspace():
            at, key, value = fields[-1]
            fields[-1] = (at, key, value + "\n" + line.rstrip())
        else:
            raise _Bad(f"line {number}", f"not a header field: {line.strip()[:60]!r}", None)
    return fields


class _Bad(Exception):
    def __init__(self, ref: str, reason: str, field: str | None) -> None:
        super().__init__(reason)
        self.rejected = Rejected(ref, reason, field)


def _abstract(lines: list[str]) -> str:
    """The text between the header's closing ``\\\\`` and the last one (``\\\\`` lines in
    between are LaTeX line breaks inside the abstract)."""
    if _SEPARATOR in lines:
        last = len(lines) - 1 - lines[::-1].index(_SEPARATOR)
        if not any(line.strip() for line in lines[last + 1 :]):
            lines = lines[:last]
    return "\n".join(lines).strip()


def _record(block: _Block) -> Item:
    ref = f"line {block.start}"
    if block.bad is not None:
        return block.bad
    try:
        fields = _fields(block)
    except _Bad as bad:
        return bad.rejected
    values: dict[str, tuple[int, str]] = {}
    versions: list[Version] = []
    extra: list[tuple[str, str]] = []
    for number, key, value in fields:
        date_key = _DATE_KEY.match(key)
        if date_key:
            match = _DATE_VALUE.match(squash(value))
            iso = rfc822_to_iso(match.group("date")) if match else None
            if iso is None:
                return Rejected(f"line {number}", f"not a date: {value.strip()[:60]!r}", "Date")
            given = date_key.group("number")
            number_of_version = (
                int(given) if given else (versions[-1].number + 1 if versions else 1)
            )
            size = match.group("size") if match else None
            versions.append(
                Version(number_of_version, iso, size.split(",")[0].strip() if size else None)
            )
        elif key.lower() in values:
            return Rejected(f"line {number}", f"field {key!r} given twice", key)
        else:
            values[key.lower()] = (number, value.strip())
    if "arxiv" not in values:
        return Rejected(ref, "no 'arXiv:' line with the paper's identifier", "arXiv")
    id_line, id_text = values["arxiv"]
    parsed = ids.parse_arxiv_id(id_text)
    if parsed is None:
        return Rejected(f"line {id_line}", f"not an arXiv identifier: {id_text[:60]!r}", "arXiv")
    arxiv_id, id_version = parsed
    ref = f"line {id_line}"
    title = values.get("title", (0, ""))[1]
    abstract = _abstract(block.abstract)
    if not title and not abstract:
        return Rejected(ref, "paper has neither a title nor an abstract", "Title")
    versions.sort(key=lambda v: v.number)
    for key, name in _KNOWN_EXTRA.items():
        if key in values and values[key][1]:
            extra.append((name, squash(values[key][1])))
    submitter = values.get("from", (0, ""))[1]
    submitter_name = squash(re.sub(r"<[^>]*>", "", submitter))
    if submitter_name:
        extra.append(("submitter", submitter_name))
    known = {
        "arxiv",
        "from",
        "title",
        "authors",
        "categories",
        "comments",
        "journal-ref",
        "doi",
        "license",
        *_KNOWN_EXTRA,
    }
    for key, (_, value) in values.items():
        if key not in known and value:
            extra.append((key.replace("-", "_").replace(" ", "_"), squash(value)))
    doi_text = values.get("doi", (0, ""))[1]
    return Record(
        source="arxiv-abs",
        ref=ref,
        authority=Authority.ARXIV,
        arxiv_id=arxiv_id,
        version=id_version or (versions[-1].number if versions else None),
        doi=ids.normalize_doi(doi_text.split()[0]) if doi_text.split() else None,
        title=title or None,
        abstract=abstract or None,
        authors=split_authors(values.get("authors", (0, ""))[1]),
        categories=tuple(values.get("categories", (0, ""))[1].split()),
        submitted=versions[0].date if versions else None,
        updated=versions[-1].date if versions else None,
        versions=tuple(versions),
        links=Links(
            abs=f"https://arxiv.org/abs/{arxiv_id}", pdf=f"https://arxiv.org/pdf/{arxiv_id}"
        ),
        comments=values.get("comments", (0, ""))[1] or None,
        journal_ref=values.get("journal-ref", (0, ""))[1] or None,
        license=values.get("license", (0, ""))[1] or None,
        extra=tuple(extra),
    )


def parse(source: Input) -> Iterator[Item]:
    block: _Block | None = None
    seen_separator = False
    for number, data in source.raw_lines():
        try:
            line = source.decode_line(number, data).rstrip("\r\n")
        except ParseError as exc:
            if block is None:
                block = _Block(number)
            if block.bad is None:
                block.bad = Rejected(f"line {number}", exc.reason)
            continue
        if _RULE.match(line):  # the rule that starts each paper
            if block is not None and not block.empty:
                yield _record(block)
            block = None
            continue
        separator = line.strip() == _SEPARATOR
        seen_separator = seen_separator or separator
        if block is None:
            if separator:
                block = _Block(number + 1)
            elif line.strip():
                raise source.error(
                    "not an arXiv .abs file: text before the first '\\\\' line",
                    where=f"line {number}",
                )
            continue
        if block.part == 0 and separator:
            block.part = 1
        elif block.part == 0:
            block.header.append((number, line))
        elif separator:  # the header's end; later ones may sit inside the abstract (LaTeX)
            block.abstract.append(_SEPARATOR)
        else:
            block.abstract.append(line)
    if block is not None and not block.empty:
        yield _record(block)
    if not seen_separator:
        raise source.error("not an arXiv .abs file: no '\\\\' separator line", where="line 1")


FORMATS = (
    Format(
        "arxiv-abs",
        "arXiv .abs metadata files (arXiv:, Date:, Title:, Authors: … then the abstract)",
        _sniff,
        parse,
    ),
)
