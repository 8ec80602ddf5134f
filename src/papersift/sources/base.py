"""What every parser gets (an :class:`Input`) and gives (records or rejections), and the
:class:`Format` that ties a name to a sniffer and a parser."""

from __future__ import annotations

import gzip
import io
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from papersift.errors import ParseError
from papersift.model import Record, Rejected

HEAD_BYTES = 64 * 1024
MAX_LINE_BYTES = 1024 * 1024  # one record per line: a longer line is not a record
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024  # formats read whole (JSON documents)
_GZIP_MAGIC = b"\x1f\x8b"

Item = Record | Rejected


@dataclass(frozen=True, slots=True)
class Format:
    """A listing shape papersift can read."""

    name: str
    description: str
    sniff: Callable[[str], bool]  # given the (decoded) head of an input
    parse: Callable[[Input], Iterator[Item]]


class Input:
    """One input to ingest: a file, standard input, or a fetched body. Re-openable; gzip is
    undone transparently, whatever the name says."""

    def __init__(self, name: str, opener: Callable[[], BinaryIO]) -> None:
        self.name = name
        self._opener = opener
        self._keep: object = None
        self._raw: BinaryIO | None = None  # the last stream opened, for progress

    @classmethod
    def from_path(cls, path: Path) -> Input:
        return cls(str(path), lambda: path.open("rb"))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Input:
        return cls(name, lambda: io.BytesIO(data))

    @classmethod
    def from_stdin(cls) -> Input:
        spool = tempfile.NamedTemporaryFile(prefix="papersift-stdin-")  # noqa: SIM115
        while chunk := sys.stdin.buffer.read(1 << 20):
            spool.write(chunk)
        spool.flush()
        source = cls("<stdin>", lambda: Path(spool.name).open("rb"))  # noqa: SIM115
        source._keep = spool  # deleted with the input
        return source

    def fraction(self) -> float | None:
        """How far the last opened stream has been read (0..1), when its size is known."""
        raw = self._raw
        try:
            if raw is None or raw.closed or not raw.seekable():
                return None
            here = raw.tell()
            size = raw.seek(0, 2)
            raw.seek(here)
        except (OSError, ValueError):
            return None
        return here / size if size else None

    def open(self) -> BinaryIO:
        raw = self._opener()
        self._raw = raw
        magic = raw.read(2)
        raw.seek(0)
        if magic == _GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def head(self, size: int = HEAD_BYTES) -> bytes:
        with self.open() as stream:
            try:
                return stream.read(size)
            except (OSError, EOFError, zlib.error) as exc:
                raise self.error(f"corrupt gzip data: {exc}") from exc

    def error(self, reason: str, where: str | None = None, field: str | None = None) -> ParseError:
        return ParseError(reason, source=self.name, where=where, field=field)

    def raw_lines(self) -> Iterator[tuple[int, bytes | None]]:
        """``(line number, bytes)``; ``None`` for a line longer than :data:`MAX_LINE_BYTES`
        (its bytes are skipped without being held in memory)."""
        with self.open() as stream:
            number = 0
            try:
                while True:
                    line = stream.readline(MAX_LINE_BYTES + 1)
                    if not line:
                        return
                    number += 1
                    if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                        while line and not line.endswith(b"\n"):
                            line = stream.readline(MAX_LINE_BYTES)
                        yield number, None
                        continue
                    yield number, line
            except (OSError, EOFError, zlib.error) as exc:
                raise self.error(f"corrupt gzip data after line {number}: {exc}") from exc

    def decode_line(self, number: int, data: bytes | None) -> str:
        """The text of a line, or a :class:`ParseError` naming it."""
        if data is None:
            raise self.error(
                f"line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB", where=f"line {number}"
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self.error(
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {exc.start + 1})",
                where=f"line {number}",
            ) from None

    def lines(self) -> Iterator[tuple[int, str]]:
        """Decoded lines (without line ends); the first bad line is a :class:`ParseError`."""
        for number, data in self.raw_lines():
            yield number, self.decode_line(number, data).rstrip("\r\n")

    def text(self) -> str:
        """The whole input as text (for formats read as one document)."""
        with self.open() as stream:
            try:
                data = stream.read(MAX_DOCUMENT_BYTES + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise self.error(f"corrupt gzip data: {exc}") from exc
        if len(data) > MAX_DOCUMENT_BYTES:
            raise self.error(f"document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise self.error(
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column})",
                where=f"line {line}",
            ) from None
