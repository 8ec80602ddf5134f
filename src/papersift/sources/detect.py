"""Which format an input is in, from its content (never its name)."""

from __future__ import annotations

import importlib
from functools import cache

from papersift.errors import NotAListingError, ParseError
from papersift.sources.base import Format, Input

# Modules that define ``FORMATS``, in sniffing order: the most specific shapes first.
_MODULES = (
    "papersift.sources.arxiv_atom",  # arXiv API Atom, arXiv RSS/Atom listings
    "papersift.sources.oai_pmh",  # OAI-PMH arXiv / arXivRaw / oai_dc
    "papersift.sources.hf_daily",  # Hugging Face /api/daily_papers JSON
    "papersift.sources.semantic_scholar",  # Semantic Scholar paper JSON
    "papersift.sources.jsonlines",  # arXiv bulk snapshot, generic JSON lines
    "papersift.sources.arxiv_abs",  # arXiv .abs files
    "papersift.sources.bibtex",  # BibTeX
    "papersift.sources.seeds",  # HF papers page text, Title/PDF/Summary digests, Abstract: lists
    "papersift.sources.csv_table",  # CSV (last: almost any text has commas)
)


@cache
def formats() -> tuple[Format, ...]:
    found: list[Format] = []
    for module in _MODULES:
        found.extend(importlib.import_module(module).FORMATS)
    return tuple(found)


def get_format(name: str) -> Format:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in formats())
    raise ParseError(f"unknown format {name!r} (known: {known})")


def _utf8_error(head: bytes) -> tuple[int, int] | None:
    """``(line, byte)`` of the first byte in ``head`` that is not UTF-8 (a character cut by the
    head's end does not count)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4 and exc.reason == "unexpected end of data":
            return None
        return head.count(b"\n", 0, exc.start) + 1, head[exc.start]
    return None


def detect(source: Input) -> Format:
    """The format of ``source``; :class:`NotAListingError` when it is none we know."""
    head = source.head()
    if not head.strip():
        raise NotAListingError("empty file: nothing to ingest", source=source.name)
    text = head.decode("utf-8", errors="replace")
    if b"\x00" in head or text.count("\ufffd") > len(text) // 100:
        raise NotAListingError("binary data, not a text listing", source=source.name)
    text = text.lstrip("\ufeff")
    for fmt in formats():
        if fmt.sniff(text):
            return fmt  # a few bad bytes are the parser's to report, record by record
    bad = _utf8_error(head)
    if bad is not None:
        line, byte = bad
        raise source.error(
            f"invalid UTF-8 (byte 0x{byte:02x}); is this a text listing?", where=f"line {line}"
        )
    raise NotAListingError(
        "not a paper listing papersift recognizes (use --format to force one; "
        "`papersift formats` lists them)",
        source=source.name,
    )
