"""The facade's Atom feeds: a subscription's feed and the public trending feed."""

from __future__ import annotations

from collections.abc import Sequence

from papersift.facade.digest import DigestFacade


class FeedsFacade(DigestFacade):
    """Atom feeds."""

    def subscription_feed(self, feed_token: str) -> str:
        """The Atom feed of a subscription (its unguessable token is the only key): the
        papers of its recent digests, newest first."""
        from papersift.errors import NotInLibraryError

        sub = self.store.subscription_by_token(feed_token) if len(feed_token) < 200 else None
        if sub is None:
            raise NotInLibraryError("no such feed")
        hidden = {  # read or "not interested" since: hidden from every feed
            e.paper_id
            for e in self.store.library_entries(sub.user_id)
            if e.dismissed or e.read_at is not None
        }
        ids = [
            pid
            for record in self.store.digests(sub.id, limit=10)
            for pid in record.papers
            if pid not in hidden
        ]
        what = sub.query or sub.content
        return self._atom(
            f"tag:papersift,2026:feed:{sub.feed_token[:12]}",
            f"papersift: {what}",
            self.feed_url(sub),
            ids[:100],
        )

    def trending_feed(self, limit: int = 50) -> str:
        """The public Atom feed of trending papers: the latest week's listing, trending first
        (upvotes and local saves with time decay, as on the Today page)."""
        listing = self.listing("week", sort="trending", limit=min(limit, self.MAX_PAGE))
        return self._atom(
            "tag:papersift,2026:feed:trending",
            "papersift: trending papers",
            f"{self._base_url()}/feeds/trending.atom",
            [item.paper.id for item in listing.items],
        )

    def _atom(self, feed_id: str, title: str, self_url: str, ids: Sequence[str]) -> str:
        from papersift.deliver.feeds import Entry, atom_feed

        papers = self.store.get_many(list(dict.fromkeys(ids)))
        entries = [
            Entry(
                id=p.id,
                title=p.display_name,
                url=self.paper_url(p.id),
                summary=p.abstract,
                updated=p.updated or p.published or "",
                authors=p.authors,
                categories=p.categories,
            )
            for p in papers
        ]
        return atom_feed(
            feed_id=feed_id,
            title=title,
            self_url=self_url,
            site_url=self._base_url(),
            entries=entries,
        )
