"""Ingest: parse an input, match each record to the paper it describes, merge, store.

Atomic per input: an input that cannot be parsed to its end changes nothing. Idempotent: a record
seen before (same content) is only noted as seen again.

Records are handled in chunks: one query finds which are known and which keys are taken, every
record that is plainly a new paper is written in bulk, and only records that meet an existing
paper (or another record of the same chunk) take the one-by-one merge path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from papersift.errors import PapersiftError, ParseError
from papersift.model import FileReport, Outcome, Paper, Provenance, Record, Rejected
from papersift.sources import merge
from papersift.sources.base import Format, Input
from papersift.sources.detect import detect
from papersift.store.protocol import IdentityKey, NewPaper, Store

# called now and then with the input's name, the records handled so far and the fraction of the
# input read (None when its size is unknown, e.g. standard input)
Progress = Callable[[str, int, float | None], None]

CHUNK = 256


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class _Pending:
    record: Record
    provenance: Provenance
    keys: list[IdentityKey]


class _Duplicates:
    """Ids seen so far in one input, to refuse a second record under the same id."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def check(self, record: Record) -> Rejected | None:
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


def _same(a: Paper | None, b: Paper) -> bool:
    return a is not None and replace(a, sources=()) == replace(b, sources=())


def ingest_record(
    store: Store, record: Record, provenance: Provenance, keys: list[IdentityKey] | None = None
) -> Outcome:
    """Store one record (inside the caller's transaction) and say what it did."""
    keys = merge.identity_keys(record) if keys is None else keys
    owner, found = store.match(provenance.record_hash, keys)
    if owner is not None:  # the same record, seen before: note where, change nothing
        store.add_provenance(provenance)
        return Outcome.UNCHANGED
    holders = {h.id: h for key in keys for h in found.get(key, ())}
    compatible = [pid for pid, h in holders.items() if merge.compatible(record, h)]
    papers = {p.id: p for p in store.get_many(compatible)} if compatible else {}
    candidates = [pid for pid in compatible if pid in papers]
    if not candidates:
        paper_id = merge.new_paper_id(record)
        if paper_id in holders or (not record.arxiv_id and store.resolve(paper_id)):
            # a content id already taken by a paper this record is not: derive another
            paper_id = merge.new_paper_id(record, taken=True)
        paper = merge.merge(paper_id, [(record, provenance)])
        store.add_papers([NewPaper(paper, keys, record, provenance)])
        return Outcome.NEW
    winner, others = candidates[0], candidates[1:]
    before = papers[winner]
    items = store.records(winner)
    folded = False
    for other in others:  # the record ties together papers we held apart: make them one
        if merge.compatible(before, papers[other]):
            items.extend(store.records(other))
            store.fold(other, winner)
            folded = True
    items.append((record, provenance))
    paper = merge.merge(winner, items)
    all_keys = dict.fromkeys(k for r, _ in items for k in merge.identity_keys(r))
    store.save_paper(paper, all_keys)
    store.add_record(winner, record, provenance)
    return Outcome.UNCHANGED if _same(before, paper) and not folded else Outcome.UPDATED


def _ingest_chunk(store: Store, chunk: list[_Pending], report: FileReport) -> None:
    owners = store.owners([p.provenance.record_hash for p in chunk])
    taken = store.lookup(list({k for p in chunk for k in p.keys}))
    claimed: dict[IdentityKey, list[Record]] = {}  # keys of records earlier in this chunk
    fresh: list[NewPaper] = []
    for pending in chunk:
        record, provenance, keys = pending.record, pending.provenance, pending.keys
        if provenance.record_hash in owners:
            store.add_provenance(provenance)
            report.count(Outcome.UNCHANGED)
        elif record.arxiv_id is None or any(
            merge.compatible(record, other)
            for k in keys
            for other in (*taken.get(k, ()), *claimed.get(k, ()))
        ):
            if fresh:  # later records must see these
                store.add_papers(fresh)
                fresh = []
            report.count(ingest_record(store, record, provenance, keys))
        else:  # a paper nobody has seen: its arXiv id is its id
            fresh.append(
                NewPaper(
                    merge.merge(record.arxiv_id, [(record, provenance)]), keys, record, provenance
                )
            )
            report.count(Outcome.NEW)
        for key in keys:
            claimed.setdefault(key, []).append(record)
    if fresh:
        store.add_papers(fresh)


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
        duplicates = _Duplicates()
        chunk: list[_Pending] = []
        with store.atomic():
            for handled, item in enumerate(fmt.parse(source), start=1):
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                elif (duplicate := duplicates.check(item)) is not None:
                    report.rejected.append(duplicate)
                elif not (item.title or item.abstract or item.arxiv_id or item.doi):
                    report.rejected.append(Rejected(item.ref, "no title, abstract or id", "title"))
                else:
                    provenance = Provenance(
                        fmt.name, report.origin, item.ref, seen_at, merge.record_hash(item)
                    )
                    chunk.append(_Pending(item, provenance, merge.identity_keys(item)))
                    if len(chunk) >= CHUNK:
                        _ingest_chunk(store, chunk, report)
                        chunk = []
                if progress and handled % 500 == 0:
                    progress(source.name, handled, source.fraction())
            if chunk:
                _ingest_chunk(store, chunk, report)
    except ParseError as exc:
        report.error = exc.located(source.name).message
    except OSError as exc:  # unreadable: missing, a folder, no permission
        report.error = f"{source.name}: cannot read: {exc.strerror or exc}"
    except PapersiftError:
        raise  # the store's own errors are the caller's to report
    except Exception as exc:  # a bug of ours: say so plainly, and store nothing from the input
        report.error = (
            f"{source.name}: internal error while reading it ({type(exc).__name__}: {exc}); "
            "nothing from this input was stored. Please report this."
        )
    if report.error:
        report.new = report.updated = report.unchanged = 0
        report.rejected.clear()
    return report


def ingest_all(
    store: Store,
    sources: Iterable[Input],
    *,
    fmt: Format | None = None,
    progress: Progress | None = None,
) -> list[FileReport]:
    return [ingest_input(store, s, fmt=fmt, progress=progress) for s in sources]
