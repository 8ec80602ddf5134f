"""The facade's listings: day, week and month pages of papers, ranked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property

from papersift.errors import NotFoundError, UsageError
from papersift.facade.reading import ReadingFacade
from papersift.model import ListedPaper, Listing, Paper
from papersift.store.memo import Memo


class ListingsFacade(ReadingFacade):
    """Listings of papers by period (the web's day/week/month pages)."""

    MAX_PAGE = 100  # papers per page of a listing (and per API page)

    @cached_property
    def _listing_cache(self) -> Memo:
        """Day listings read and ranked, kept while the store's change mark stays (a month
        of the 60k corpus is ~5,600 papers: reading and ranking it again costs ~40 ms)."""
        return Memo(64)

    def get_many(self, identifiers: Sequence[str]) -> list[Paper]:
        """The papers with these ids (any id :meth:`get` takes), in the order given; unknown
        ones are left out, each paper appears once."""
        found: dict[str, Paper] = {}
        direct = self.store.get_many(list(dict.fromkeys(identifiers)))
        by_id = {p.id: p for p in direct}
        for identifier in identifiers:
            paper = by_id.get(identifier)
            if paper is None:
                try:
                    paper = self.get(identifier)
                except NotFoundError:
                    continue
            found.setdefault(paper.id, paper)
        return list(found.values())

    def listing(
        self,
        period: str = "day",
        day: str | date | None = None,
        sort: str = "trending",
        *,
        offset: int = 0,
        limit: int = 20,
    ) -> Listing:
        """One page of the papers listed in the day, ISO week or month holding ``day``
        (YYYY-MM-DD; default: the latest day with papers), ranked ``trending`` (upvotes and
        local saves with time decay: :mod:`papersift.deliver.trending`) or ``newest``. The
        listing names the nearest earlier and later periods that have papers."""
        from papersift.deliver.trending import PERIODS, SORTS, rank, span

        if period not in PERIODS:
            raise UsageError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
        if sort not in SORTS:
            raise UsageError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        if offset < 0 or not 1 <= limit <= self.MAX_PAGE:
            raise UsageError(f"offset must be >= 0 and limit between 1 and {self.MAX_PAGE}")
        if day is None:
            today = date.today().isoformat()
            last = self.store.listing_last_day(until=today) or self.store.listing_last_day()
            anchor = date.fromisoformat(last) if last else date.today()
        elif isinstance(day, date):
            anchor = day
        else:
            try:
                anchor = date.fromisoformat(day.strip())
            except ValueError:
                raise UsageError(f"date must be YYYY-MM-DD, not {day!r}") from None
        days = span(period, anchor)
        start, end = days.start.isoformat(), days.end.isoformat()
        mark = self.store.change_mark()
        entries = self._listing_cache.get(("days", start, end, mark))
        if entries is None:
            entries = self._listing_cache.put(
                ("days", start, end, mark), self.store.listed_between(start, end)
            )
        saves = self.listing_saves([e.paper_id for e in entries])
        key = ("ranked", start, end, sort, mark, hash(frozenset(saves.items())))
        ranked = self._listing_cache.get(key)
        if ranked is None:
            latest = max((e.day for e in entries), default=end)  # a period still under way
            ranked = self._listing_cache.put(  # ages to its last day with papers, not its end
                key,
                rank(
                    entries,
                    sort=sort,
                    until=min(days.end, date.fromisoformat(latest[:10])),
                    saves=saves,
                ),
            )
        page = ranked[offset : offset + limit]
        papers = {p.id: p for p in self.store.get_many([r.paper_id for r in page])}
        previous, following = self.store.listing_neighbours(start, end)
        return Listing(
            period=period,
            label=days.label,
            start=start,
            end=end,
            anchor=anchor.isoformat(),
            sort=sort,
            items=tuple(
                ListedPaper(papers[r.paper_id], r.day, r.score, r.saves)
                for r in page
                if r.paper_id in papers
            ),
            total=len(ranked),
            offset=offset,
            limit=limit,
            previous=previous,
            next=following,
        )

    def listing_saves(self, paper_ids: Sequence[str]) -> Mapping[str, int]:
        """How many local readers saved each of these papers (trending counts saves)."""
        return self.store.save_counts(paper_ids)
