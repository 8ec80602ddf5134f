"""CSV (or tab/semicolon separated) tables with a header row naming a title column and an
abstract/summary column; other columns by name, case-insensitive, with aliases (``titles``,
``summaries``, ``terms``, ``arxiv_id`` …). List columns may hold Python-list text
(``"['cs.CV', 'cs.LG']"``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from papersift.errors import ParseError
from papersift.model import Rejected
from papersift.sources.base import Format, Input, Item
from papersift.sources.jsonlines import FieldError, canonical, record_from_fields

_DELIMITERS = (",", "\t", ";")


def _header(line: str) -> tuple[str, list[str]] | None:
    """``(delimiter, column names)`` when ``line`` is a header with a title and an abstract
    column, else ``None``."""
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        try:
            names = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        found = {canonical(name) for name in names}
        if "title" in found and "abstract" in found:
            return delimiter, names
    return None


def _sniff(head: str) -> bool:
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return _header(line) is not None
    return False


class _Lines:
    """Decoded lines for the csv reader, noting lines that could not be read (bad UTF-8, too
    long) so that the row holding one is rejected and the rest go on."""

    def __init__(self, source: Input) -> None:
        self.source = source
        self.bad: dict[int, str] = {}
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        for number, data in self.source.raw_lines():
            self.number = number
            try:
                line = self.source.decode_line(number, data)
            except ParseError as exc:
                self.bad[number] = exc.reason
                yield "\n"  # stands in for the bad line
                continue
            yield line.lstrip("\ufeff") if number == 1 else line


def parse(source: Input) -> Iterator[Item]:
    lines = _Lines(source)
    reader: Iterator[list[str]] | None = None
    header: list[str] = []
    delimiter = ","
    stream = iter(lines)
    for text in stream:  # the header: the first non-blank line
        if lines.bad:
            raise source.error(lines.bad[lines.number], where=f"line {lines.number}")
        if not text.strip():
            continue
        found = _header(text)
        if found is None:
            raise source.error(
                "the header row names no title column and abstract/summary column",
                where=f"line {lines.number}",
            )
        delimiter, header = found
        break
    else:
        return
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    end = lines.number
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = lines.number
            yield Rejected(f"line {start}", f"not a CSV row: {exc}")
            continue
        end = lines.number
        ref = f"line {start}"
        bad = [n for n in range(start, end + 1) if n in lines.bad]
        if bad:
            yield Rejected(f"line {bad[0]}", lines.bad[bad[0]])
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejected(ref, f"row has {len(row)} columns, the header has {len(header)}", None)
            continue
        try:
            yield record_from_fields(dict(zip(header, row, strict=True)), source="csv", ref=ref)
        except FieldError as exc:
            yield Rejected(ref, exc.reason, exc.field)


FORMATS = (
    Format(
        "csv",
        "CSV with a header row naming title and abstract/summary columns (authors, id, doi, "
        "categories/terms, published, url …)",
        _sniff,
        parse,
    ),
)
