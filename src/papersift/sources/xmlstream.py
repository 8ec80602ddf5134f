"""Safe, streaming XML for the XML sources (arXiv API and listings, OAI-PMH).

Parsing goes through defusedxml, so entity declarations and external references are refused
(no billion laughs, no ``file:///etc/passwd``), and through ``iterparse`` over the input's stream,
so a large harvest is read with flat memory: each record element is handed to the caller whole
and then dropped from the tree. Every failure becomes a :class:`ParseError` naming the line.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

# only the tree builder (no parsing) comes from the standard library; expat is driven by defusedxml
from xml.etree.ElementTree import TreeBuilder

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse

from papersift.sources.base import Input

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Path = tuple[str, ...]  # local names of an element's ancestors, root first

# --- reading ----------------------------------------------------------------------------------


def local(tag: object) -> str:
    """``{namespace}name`` → ``name``."""
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def _line(parser: Any) -> int | None:
    expat = getattr(parser, "parser", None)
    line = getattr(expat, "CurrentLineNumber", None)
    return line if isinstance(line, int) else None


def _where(line: int | None) -> str | None:
    return f"line {line}" if line else None


def _refusal(exc: EntitiesForbidden | ExternalReferenceForbidden) -> str:
    if isinstance(exc, EntitiesForbidden):
        return (
            f"XML entity declarations are not allowed (entity {exc.name!r}); "
            "refused for safety, nothing was read"
        )
    return "XML external references are not allowed; refused for safety, nothing was read"


_POSITION = re.compile(r":\s*line \d+, column \d+\s*$")


def elements(source: Input, records: frozenset[str]) -> Iterator[tuple[Element, Path]]:
    """Completed elements of ``source``, each with its ancestors' local names.

    An element whose local name is in ``records`` is yielded whole (with its subtree), and so is
    every element outside such records (feed- or channel-level fields, the root last); elements
    inside a record are not yielded on their own. Each yielded element is removed from the tree
    once the caller moves on, so memory holds one record at a time.
    """
    parser = DefusedXMLParser(
        target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    stack: list[Element] = []
    names: list[str] = []
    inside = 0  # depth of the record element being collected (0: none)
    try:
        with source.open() as stream:
            for event, elem in iterparse(stream, events=("start", "end"), parser=parser):
                if event == "start":
                    stack.append(elem)
                    names.append(local(elem.tag))
                    if not inside and names[-1] in records:
                        inside = len(stack)
                    continue
                depth = len(stack)
                stack.pop()
                names.pop()
                if inside and depth > inside:
                    continue  # part of the record being collected
                if depth == inside:
                    inside = 0
                yield elem, tuple(names)
                if stack:
                    stack[-1].remove(elem)
                else:
                    elem.clear()
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        message = _POSITION.sub("", str(exc))
        where = f" (column {column + 1})" if isinstance(column, int) else ""
        raise source.error(
            f"malformed or truncated XML: {message}{where}", where=_where(line)
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise source.error(_refusal(exc), where=_where(_line(parser))) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise source.error(
            f"corrupt or unreadable data: {exc}", where=_where(_line(parser))
        ) from None
    except (ValueError, LookupError) as exc:  # e.g. an unknown encoding declaration
        raise source.error(f"unreadable XML: {exc}", where=_where(_line(parser))) from None


# --- looking inside an element ----------------------------------------------------------------


def children(elem: Element, name: str) -> list[Element]:
    """Direct children with local name ``name``, in document order."""
    return [c for c in elem if local(c.tag) == name]


def child(elem: Element, *path: str) -> Element | None:
    """The first descendant along ``path`` of local names, or ``None``."""
    node: Element | None = elem
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if local(c.tag) == name), None)
    return node


def raw_text(elem: Element | None) -> str | None:
    """All text of ``elem`` as given (whitespace kept), or ``None`` when it has none."""
    if elem is None:
        return None
    value = "".join(elem.itertext())
    return value if value.strip() else None


def text(elem: Element, *path: str) -> str | None:
    """The trimmed text of the descendant along ``path``, or ``None`` when missing or blank."""
    value = raw_text(child(elem, *path))
    return value.strip() if value else None


def texts(elem: Element, name: str) -> list[str]:
    """Trimmed, non-blank texts of the direct children named ``name``."""
    return [t.strip() for c in children(elem, name) if (t := raw_text(c))]


# --- sniffing ---------------------------------------------------------------------------------

_PROLOG = re.compile(
    r"\A\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>\s*)*", re.DOTALL
)
_TAG = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def root_name(head: str) -> str | None:
    """The local name of the root element of an XML head, or ``None`` if it is not XML."""
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() if prolog else 0 :]
    if not rest.startswith("<"):
        return None
    match = _TAG.match(rest)
    return match.group(2) if match else None


# --- values -----------------------------------------------------------------------------------


def iso_datetime(value: str | None) -> str | None:
    """``value`` if it is an ISO 8601 date or datetime, else ``None``."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def rfc822_datetime(value: str | None) -> str | None:
    """An RFC 822 date (``Mon, 2 Apr 2007 19:18:42 GMT``) as ISO 8601, or ``None``."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None
