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


def looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the head's end is fine; bytes that are no UTF-8 are not
        return exc.start < len(head) - 4
    return False


def detect(source: Input) -> Format:
    """The format of ``source``; :class:`NotAListingError` when it is none we know."""
    head = source.head()
    if not head.strip():
        raise NotAListingError("empty file: nothing to ingest", source=source.name)
    if looks_binary(head):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = head.count(b"\n", 0, exc.start) + 1
            if b"\x00" not in head:
                raise source.error(
                    f"invalid UTF-8 (byte 0x{head[exc.start]:02x}); is this a text listing?",
                    where=f"line {line}",
                ) from None
        raise NotAListingError("binary data, not a text listing", source=source.name)
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    for fmt in formats():
        if fmt.sniff(text):
            return fmt
    raise NotAListingError(
        "not a paper listing papersift recognizes (use --format to force one; "
        "`papersift formats` lists them)",
        source=source.name,
    )
