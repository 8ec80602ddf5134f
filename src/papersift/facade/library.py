"""The facade's libraries: saved, rated, tagged papers; imports, exports, preferences."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from papersift.errors import NotFoundError, PapersiftError, UsageError
from papersift.facade.fetch import FetchFacade
from papersift.facade.ingest import IngestFacade
from papersift.model import LibraryEntry, LibraryImport, Paper, Preferences, Record, User
from papersift.sources import ids
from papersift.sources.base import Input


class LibraryFacade(IngestFacade, FetchFacade):
    """A user's library and preferences."""

    def library_add(
        self, user: User, identifiers: Iterable[str], *, tags: Sequence[str] = ()
    ) -> list[Paper]:
        """Save papers (any id :meth:`get` takes) to the user's library, with ``tags``."""
        from datetime import UTC, datetime

        papers = [self.get(i) for i in identifiers]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.atomic():
            have = {
                e.paper_id: e for e in self.store.library_entries(user.id, [p.id for p in papers])
            }
            for paper in papers:
                entry = have.get(paper.id)
                changes: dict[str, object] = {"saved": 1, "dismissed": 0}
                if entry is None or not entry.saved:
                    changes["saved_at"] = now
                self.store.library_update(user.id, paper.id, changes)
                if tags:
                    self.store.library_tag(user.id, paper.id, _tags(tags), add=True)
        return papers

    def library_entry(self, user: User, identifier: str) -> LibraryEntry:
        """The user's entry for a paper (:class:`NotInLibraryError` when they have none)."""
        from papersift.errors import NotInLibraryError

        paper = self.get(identifier)
        found = self.store.library_entries(user.id, [paper.id])
        if not found:
            raise NotInLibraryError(f"{identifier} is not in {user.name}'s library")
        return found[0]

    def library_mark(
        self,
        user: User,
        identifier: str,
        *,
        rating: int | None = None,
        note: str | None = None,
        read: bool | None = None,
        not_interested: bool | None = None,
        saved: bool | None = None,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
    ) -> LibraryEntry:
        """Rate (+1, -1, 0), note, mark read / not interested, save or unsave, tag a paper.
        A paper marked read or not interested is hidden from every feed and digest."""
        from datetime import UTC, datetime

        if rating is not None and rating not in (-1, 0, 1):
            raise UsageError("a rating is +1, -1 or 0")
        if note is not None and len(note) > 10_000:
            raise UsageError("a note has at most 10,000 characters")
        paper = self.get(identifier)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        changes: dict[str, object] = {}
        if rating is not None:
            changes["rating"] = rating
        if note is not None:
            changes["note"] = note
        if read is not None:
            changes["read_at"] = now if read else None
        if not_interested is not None:
            changes["dismissed"] = int(not_interested)
        if saved is not None:
            changes["saved"] = int(saved)
            if saved:
                changes["saved_at"] = now
        with self.store.atomic():
            self.store.library_update(user.id, paper.id, changes)
            if add_tags:
                self.store.library_tag(user.id, paper.id, _tags(add_tags), add=True)
            if remove_tags:
                self.store.library_tag(user.id, paper.id, _tags(remove_tags), add=False)
            return self.store.library_entries(user.id, [paper.id])[0]

    def library_remove(self, user: User, identifier: str) -> None:
        """Forget everything the user did with a paper (it may be recommended again)."""
        from papersift.errors import NotInLibraryError

        paper = self.get(identifier)
        with self.store.atomic():
            if not self.store.library_remove(user.id, paper.id):
                raise NotInLibraryError(f"{identifier} is not in {user.name}'s library")

    def library(
        self, user: User, *, tag: str | None = None, everything: bool = False
    ) -> list[tuple[LibraryEntry, Paper]]:
        """The user's saved papers (``everything``: also those only rated, read or dismissed),
        most recently changed first; with ``tag``, only those tagged so."""
        entries = [
            e
            for e in self.store.library_entries(user.id)
            if (everything or e.saved) and (tag is None or tag.casefold() in e.tags)
        ]
        papers = {p.id: p for p in self.store.get_many([e.paper_id for e in entries])}
        out = []
        for entry in entries:
            paper = papers.get(entry.paper_id)
            if paper is None:  # merged into another paper since: follow its alias
                resolved = self.store.resolve(entry.paper_id)
                paper = self.store.get(resolved) if resolved else None
            if paper is not None:
                out.append((entry, paper))
        return out

    def library_import(
        self, user: User, source: Input, *, tags: Sequence[str] = (), fetch: bool = False
    ) -> LibraryImport:
        """Add the papers of a BibTeX file (or any listing papersift reads), or of a list of
        arXiv ids / DOIs (one a line), to the user's library. Listings are ingested first, so
        papers new to the store are kept; ids not in the store are reported as missing (with
        ``fetch``, missing arXiv ids are first fetched from the arXiv API)."""
        from papersift.sources.detect import detect
        from papersift.sources.merge import record_hash

        text = source.head(1 << 20).decode("utf-8", errors="replace")
        wanted = [line.strip() for line in text.splitlines() if line.strip()]
        if wanted and not text.lstrip().startswith("@") and all(_is_id(w) for w in wanted):
            found, missing = self._resolve_all(wanted)
            arxiv = [a for a in (ids.normalize_arxiv_id(m) for m in missing) if a]
            if fetch and arxiv:  # papers not in the store yet: from the arXiv API
                for _ in self.fetch_arxiv_api(ids=arxiv):
                    pass
                fetched, missing = self._resolve_all(missing)
                found += fetched
            self.library_add(user, found, tags=tags)
            return LibraryImport(source.name, added=tuple(found), missing=tuple(missing))
        report = next(iter(self.ingest([source])))
        if not report.ok:
            raise PapersiftError(f"{source.name}: {report.error}")
        fmt = detect(source)
        hashes = [record_hash(item) for item in fmt.parse(source) if isinstance(item, Record)]
        owners = self.store.owners(hashes)
        paper_ids = list(dict.fromkeys(owners[h] for h in hashes if h in owners))
        self.library_add(user, paper_ids, tags=tags)
        rejected = tuple(f"{r.ref}: {r.reason}" for r in report.rejected)
        return LibraryImport(source.name, added=tuple(paper_ids), rejected=rejected)

    def _resolve_all(self, identifiers: Sequence[str]) -> tuple[list[str], list[str]]:
        """``(paper ids found, identifiers not in the store)``."""
        found, missing = [], []
        for identifier in identifiers:
            try:
                found.append(self.get(identifier).id)
            except NotFoundError:
                missing.append(identifier)
        return found, missing

    def library_export(self, user: User, fmt: str, *, tag: str | None = None) -> Iterator[str]:
        """The user's saved papers as ``bibtex``, ``csv`` or ``jsonl`` (with their library
        entry: tags, rating, note)."""
        from papersift.deliver.export import EXPORT_FORMATS, export, paper_dict

        items = self.library(user, tag=tag)
        if fmt == "json":
            import json

            rows = [{**paper_dict(p), "library": e.as_dict()} for e, p in items]
            return iter([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"])
        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"format must be one of json, {', '.join(EXPORT_FORMATS)}")
        if fmt == "jsonl":
            import json

            return (
                json.dumps({**paper_dict(p), "library": e.as_dict()}, ensure_ascii=False) + "\n"
                for e, p in items
            )
        return export((p for _, p in items), fmt)

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        """How many local users saved each paper (for trending)."""
        return self.store.save_counts(paper_ids)

    # preferences
    def preferences(self, user: User) -> Preferences:
        import json

        stored = self.store.get_prefs(user.id)
        data = json.loads(stored) if stored else {}
        return Preferences(**{k: tuple(v) for k, v in data.items() if k in Preferences.__slots__})

    def set_preferences(self, user: User, prefs: Preferences) -> Preferences:
        import json

        clean = Preferences(**{k: _tags(v, fold=False) for k, v in prefs.as_dict().items()})
        with self.store.atomic():
            self.store.set_prefs(user.id, json.dumps(clean.as_dict(), ensure_ascii=False))
        return clean


def _is_id(line: str) -> bool:
    """Whether a line of an import names one paper (an arXiv id or a DOI, in any spelling)."""
    return bool(ids.normalize_arxiv_id(line) or ids.normalize_doi(line))


def _tags(values: Iterable[str], *, fold: bool = True) -> tuple[str, ...]:
    """Distinct, trimmed (and, for tags, casefolded) non-empty values, in order."""
    out = (" ".join(v.split()) for v in values)
    return tuple(dict.fromkeys(v.casefold() if fold else v for v in out if v))[:100]
