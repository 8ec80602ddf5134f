"""Bad input gets a clear message naming the file and line/record/field, never a traceback,
and nothing already stored is lost."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from papersift.model import FileReport, Record
from papersift.radar import Radar
from papersift.sources.base import Format, Input
from tests.conftest import Cli, dump_store

GOOD = (
    "Title: A Good Paper About Caches\n"
    "PDF: https://arxiv.org/pdf/2501.00001\n"
    "Summary: We propose CacheNet, which shrinks the KV cache by a factor of four while keeping "
    "accuracy on every benchmark we tried.\n"
    "---\n"
)


@pytest.fixture
def stocked(cli: Cli, data: Path) -> Cli:
    """A store that already holds papers: bad input must not lose them."""
    result = cli("ingest", str(data / "seeds" / "digest-title-pdf-summary.txt"))
    assert result.exit_code == 0, result.output
    return cli


def _refused(cli: Cli, path: Path, *needles: str) -> str:
    before = dump_store(cli.db)
    result = cli("ingest", str(path))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.output
    for needle in needles:
        assert needle in result.output, result.output
    assert dump_store(cli.db) == before
    return result.output


def test_empty_file(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    _refused(stocked, path, "empty file")
    path.write_bytes(b"  \n\n\t\n")
    _refused(stocked, path, "empty file")


def test_binary_file(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    _refused(stocked, path, "binary data")
    gz = tmp_path / "archive.jsonl.gz"
    gz.write_bytes(gzip.compress(bytes(range(256)) * 40))
    _refused(stocked, gz, "binary data")


def test_corrupt_gzip(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    text = "".join(  # entries that differ, so that half the bytes hold half the entries
        GOOD.replace("00001", f"{n:05d}").replace("four", hashlib.sha256(b"%d" % n).hexdigest())
        for n in range(3000)
    )
    data = gzip.compress(text.encode())
    path.write_bytes(data[: len(data) // 2])
    _refused(stocked, path, "corrupt gzip")


def test_invalid_utf8_names_the_line(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(GOOD.encode() + "Title: Caf\xe9 Society\nSummary: x\n".encode("latin-1"))
    _refused(stocked, path, "invalid UTF-8", "line 5")


def test_a_50_mb_line(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.write(GOOD.encode())
        out.write(b"Title: " + b"x" * (50 * 1024 * 1024) + b"\n")
    _refused(stocked, path, "longer than 1 MB", "line 5")


def test_a_file_that_is_no_listing(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nSome thoughts about papers, not a listing.\n\n- one\n- two\n")
    _refused(stocked, path, "not a paper listing")


def test_unknown_format_name(stocked: Cli, tmp_path: Path) -> None:
    path = tmp_path / "digest.txt"
    path.write_text(GOOD)
    result = stocked("ingest", "--format", "nonsense", str(path))
    assert result.exit_code == 3
    assert "unknown format 'nonsense'" in result.output
    assert "Traceback" not in result.output


def test_missing_file(stocked: Cli, tmp_path: Path) -> None:
    result = stocked("ingest", str(tmp_path / "nope.txt"))
    assert result.exit_code == 3
    assert "nope.txt: cannot read: No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_duplicate_ids_inside_one_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dups.txt"
    path.write_text(GOOD + GOOD.replace("A Good Paper", "Another Paper"))
    result = cli("ingest", str(path), "--json")
    assert result.exit_code == 1  # some records rejected, the rest went in
    (report,) = json.loads(result.stdout)
    assert (report["new"], len(report["rejected"])) == (1, 1)
    rejected = report["rejected"][0]
    assert rejected["ref"] == "line 5"
    assert rejected["field"] == "id"
    assert "duplicate arXiv id 2501.00001 (first at line 1)" in rejected["reason"]
    shown = cli.json("show", "2501.00001", "--json")
    assert shown["title"] == "A Good Paper About Caches"


def test_markup_in_titles_is_kept_as_text(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "xss.txt"
    path.write_text(GOOD.replace("A Good Paper About Caches", "<script>alert(1)</script> & <b>"))
    assert cli("ingest", str(path)).exit_code == 0
    shown = cli.json("show", "2501.00001", "--json")
    assert shown["title"] == "<script>alert(1)</script> & <b>"
    assert shown["display_name"] == "<script>alert(1)</script> & <b>"


def test_a_bad_record_is_counted_and_the_good_ones_go_in(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "partial.txt"
    path.write_text(GOOD + "Title:\nPDF:\nSummary:\n---\n" + GOOD.replace("00001", "00002"))
    result = cli("ingest", str(path))
    assert result.exit_code == 1
    assert "2 new" in result.output and "1 rejected" in result.output
    assert "rejected line 5: entry has neither a title nor a summary (field title)" in result.output
    assert cli.json("stats", "--json")["papers"] == 2


def test_unknown_paper_id(cli: Cli) -> None:
    result = cli("show", "2501.99999")
    assert result.exit_code == 5
    assert "no paper with id '2501.99999'" in result.output
    assert "Traceback" not in result.output


def test_store_path_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cli = Cli(blocker / "sub" / "store.sqlite3", tmp_path)
    result = cli("stats")
    assert result.exit_code == 4
    assert "cannot create the store" in result.output
    assert "Traceback" not in result.output


def test_a_parser_bug_is_reported_not_raised_and_stores_nothing(
    radar: Radar, db_path: Path
) -> None:
    def parse(source: Input) -> Iterator[Record]:
        yield Record(source="buggy", ref="line 1", title="A paper that must not stay")
        raise KeyError("oops")

    buggy = Format("buggy", "a parser with a bug", lambda head: True, parse)
    before = dump_store(db_path)
    (report,) = ingest_input_with(radar, buggy)
    assert report.error is not None
    assert "internal error" in report.error and "KeyError" in report.error
    assert dump_store(db_path) == before


def ingest_input_with(radar: Radar, fmt: Format) -> list[FileReport]:
    from papersift.sources.ingest import ingest_input

    return [ingest_input(radar.store, Input.from_bytes("buggy.txt", b"anything"), fmt=fmt)]
