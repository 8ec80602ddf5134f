"""Ingest: parse an input, match each record to the paper it describes, merge, store.

Atomic per input: an input that cannot be parsed to its end changes nothing. Idempotent: a record
seen before (same content) is only noted as seen again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from papersift.errors import ParseError
from papersift.model import FileReport, Outcome, Paper, Provenance, Record, Rejected
from papersift.sources import merge
from papersift.sources.base import Format, Input
from papersift.sources.detect import detect
from papersift.store.protocol import Store

Progress = Callable[[int], None]  # called with the number of records handled so far

_STRONG = ("arxiv", "doi")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Batch:
    """Per-input bookkeeping: ids seen so far in this input, to refuse duplicates."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def duplicate(self, record: Record) -> Rejected | None:
        key: tuple[str, str] | None = None
        if record.arxiv_id:
            key = ("arXiv id", record.arxiv_id)
        elif record.doi:
            key = ("DOI", record.doi)
        if key is None:
            return None
        first = self.seen.get(key)
        if first is not None:
            return Rejected(record.ref, f"duplicate {key[0]} {key[1]} (first at {first})", "id")
        self.seen[key] = record.ref
        return None


def _candidates(store: Store, record: Record) -> list[str]:
    """Papers this record may describe, strongest match first."""
    keys = merge.identity_keys(record)
    found = store.lookup(keys)
    ordered: list[str] = []
    for key in keys:
        for paper_id in found.get(key, ()):
            if paper_id not in ordered:
                ordered.append(paper_id)
    if not ordered:
        return []
    papers = {p.id: p for p in store.get_many(ordered)}
    return [pid for pid in ordered if pid in papers and merge.compatible(record, papers[pid])]


def _same(a: Paper | None, b: Paper) -> bool:
    return a is not None and replace(a, sources=()) == replace(b, sources=())


def ingest_record(store: Store, record: Record, provenance: Provenance) -> Outcome:
    """Store one record (inside the caller's transaction) and say what it did."""
    owner = store.record_owner(provenance.record_hash)
    if owner is not None:  # the same record, seen before: note where, change nothing
        store.add_provenance(provenance)
        return Outcome.UNCHANGED
    candidates = _candidates(store, record)
    if not candidates:
        paper_id = merge.new_paper_id(record)
        if store.get(paper_id) is not None:  # a content id taken by an incompatible paper
            paper_id = merge.new_paper_id(replace(record, title=f"{record.title}#{record.ref}"))
        paper = merge.merge(paper_id, [(record, provenance)])
        store.save_paper(paper, merge.identity_keys(record), created=True)
        store.add_record(paper_id, record, provenance)
        return Outcome.NEW
    winner, others = candidates[0], candidates[1:]
    items = store.records(winner)
    before = store.get(winner)
    for other in others:  # the record ties together papers we held apart: make them one
        other_items = store.records(other)
        merged_other = merge.merge(other, other_items)
        if before is not None and merge.compatible(before, merged_other):
            store.fold(other, winner)
            items.extend(other_items)
    items.append((record, provenance))
    paper = merge.merge(winner, items)
    keys = [k for r, _ in items for k in merge.identity_keys(r)]
    store.save_paper(paper, dict.fromkeys(keys), created=False)
    store.add_record(winner, record, provenance)
    return Outcome.UNCHANGED if _same(before, paper) and not others else Outcome.UPDATED


def ingest_input(
    store: Store,
    source: Input,
    *,
    fmt: Format | None = None,
    origin: str | None = None,
    progress: Progress | None = None,
    clock: Callable[[], str] = _now,
) -> FileReport:
    """Ingest one input in one transaction. Never raises for bad input: the report says."""
    report = FileReport(origin=origin or source.name)
    try:
        fmt = fmt or detect(source)
        report.format = fmt.name
        seen_at = clock()
        batch = _Batch()
        with store.atomic():
            for handled, item in enumerate(fmt.parse(source), start=1):
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                else:
                    duplicate = batch.duplicate(item)
                    if duplicate is not None:
                        report.rejected.append(duplicate)
                    elif not (item.title or item.abstract or item.arxiv_id or item.doi):
                        report.rejected.append(
                            Rejected(item.ref, "no title, abstract or id", "title")
                        )
                    else:
                        provenance = Provenance(
                            fmt.name, report.origin, item.ref, seen_at, merge.record_hash(item)
                        )
                        report.count(ingest_record(store, item, provenance))
                if progress and handled % 500 == 0:
                    progress(handled)
    except ParseError as exc:
        located = exc.located(source.name)
        report.new = report.updated = report.unchanged = 0
        report.rejected.clear()
        report.error = located.message
    return report


def ingest_all(
    store: Store,
    sources: Iterable[Input],
    *,
    fmt: Format | None = None,
    progress: Progress | None = None,
) -> list[FileReport]:
    return [ingest_input(store, s, fmt=fmt, progress=progress) for s in sources]
