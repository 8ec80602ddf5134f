"""The facade's digests: subscriptions, unsubscribe links, choosing and sending digests."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from papersift.errors import UsageError
from papersift.facade.accounts import AccountsFacade
from papersift.facade.listings import ListingsFacade
from papersift.facade.recommend import RecommendFacade
from papersift.model import Subscription, User

if TYPE_CHECKING:
    from papersift.deliver.digest import Item as DigestItem
    from papersift.deliver.mail import Mailer
    from papersift.deliver.send import SendReport


class DigestFacade(RecommendFacade, AccountsFacade, ListingsFacade):
    """Digest subscriptions and sending."""

    def subscriptions(self, user: User) -> list[Subscription]:
        return self.store.subscriptions(user.id)

    def subscribe(
        self,
        user: User,
        *,
        email: str | None = None,
        content: str = "recommend",
        query: str = "",
        frequency: str = "daily",
        size: int = 10,
    ) -> Subscription:
        """A new digest for the user: ``content`` recommend | search | topic | trending (a
        search or topic needs ``query``), ``frequency`` daily | weekly, the top ``size``."""
        from papersift.accounts.auth import check_email, new_token

        self._check_subscription(content, query, frequency, size)
        address = check_email(email or user.email or "")
        with self.store.atomic():
            return self.store.add_subscription(
                user.id,
                email=address,
                content=content,
                query=query.strip(),
                frequency=frequency,
                size=size,
                feed_token=new_token(),
            )

    @staticmethod
    def _check_subscription(content: str, query: str, frequency: str, size: int) -> None:
        from papersift.model import FREQUENCIES, SUBSCRIPTION_CONTENT

        if content not in SUBSCRIPTION_CONTENT:
            raise UsageError(f"content must be one of {', '.join(SUBSCRIPTION_CONTENT)}")
        if content in ("search", "topic") and not query.strip():
            raise UsageError(f"a {content} digest needs a query")
        if frequency not in FREQUENCIES:
            raise UsageError(f"frequency must be one of {', '.join(FREQUENCIES)}")
        if not 1 <= size <= 100:
            raise UsageError("a digest has 1 to 100 papers")

    def update_subscription(self, user: User, sub_id: int, **changes: object) -> Subscription:
        """Change a subscription of the user's (email, content, query, frequency, size,
        active); :class:`NotInLibraryError` if they have none with this id."""
        from papersift.accounts.auth import check_email
        from papersift.errors import NotInLibraryError

        current = next((s for s in self.store.subscriptions(user.id) if s.id == sub_id), None)
        if current is None:
            raise NotInLibraryError(f"{user.name} has no subscription {sub_id}")
        merged = {**current.as_dict(), **changes}
        self._check_subscription(
            str(merged["content"]),
            str(merged["query"]),
            str(merged["frequency"]),
            int(str(merged["size"])),
        )
        if "email" in changes:
            changes["email"] = check_email(str(changes["email"]))
        if "active" in changes:
            changes["active"] = int(bool(changes["active"]))
        with self.store.atomic():
            self.store.update_subscription(user.id, sub_id, changes)
        return next(s for s in self.store.subscriptions(user.id) if s.id == sub_id)

    def unsubscribe_url(self, sub: Subscription) -> str:
        from papersift.accounts.auth import sign

        signature = sign(self.secret_key(), "unsubscribe", str(sub.id))
        return f"{self._base_url()}/unsubscribe/{sub.id}/{signature}"

    def unsubscribe(self, sub_id: int, signature: str) -> Subscription:
        """Stop a subscription from a signed link (no sign-in)."""
        from papersift.accounts.auth import check_signature
        from papersift.errors import AuthenticationError

        sub = self.store.subscription_by_id(sub_id)
        if sub is None or not check_signature(
            self.secret_key(), "unsubscribe", str(sub_id), signature
        ):
            raise AuthenticationError("this unsubscribe link is not valid")
        with self.store.atomic():
            self.store.update_subscription(sub.user_id, sub.id, {"active": 0})
        found = self.store.subscription_by_id(sub_id)
        assert found is not None
        return found

    def digest_items(
        self, sub: Subscription, since: date, never: Collection[str]
    ) -> list[DigestItem]:
        """What a digest of ``sub`` would carry now: its best papers published since
        ``since``, none in ``never`` and none the user saved, rated, read or dismissed."""

        user = self.store.get_user(sub.user_id)
        if user is None:
            return []
        hidden = {e.paper_id for e in self.store.library_entries(user.id) if e.hidden}
        skip = hidden | set(never)
        day = since.isoformat()
        picked: list[tuple[str, str]] = []
        if sub.content == "recommend":
            found = self.recommend(user, since=day, limit=sub.size, exclude=skip)
            picked = [(p.id, p.reason) for p in found.picks]
        elif sub.content == "topic" and sub.query.strip().isdigit():
            thread = self.topic(int(sub.query), limit=None)  # a topic thread, by its id
            fresh = [
                t
                for t in thread.papers
                if (t.paper.published or "")[:10] >= day and t.paper.id not in skip
            ]
            fresh.sort(key=lambda t: -t.similarity)  # the most central first
            picked = [(t.paper.id, f"new in the topic “{thread.topic.label}”") for t in fresh]
        elif sub.content in ("search", "topic"):  # a topic by words: searched
            result = self.search(sub.query, since=day, limit=sub.size + len(skip))
            picked = [
                (h.id, f"matches your {sub.content} “{sub.query}”")
                for h in result.hits
                if h.id not in skip
            ]
        else:  # trending: the listing's formula (upvotes and local saves, with time decay)
            from datetime import timedelta

            from papersift.deliver.trending import rank

            end = since + timedelta(days=31)
            entries = self.store.listed_between(day, end.isoformat())
            latest = max((e.day for e in entries), default=day)
            saves = self.listing_saves([e.paper_id for e in entries])
            ranked = rank(
                entries, sort="trending", until=date.fromisoformat(latest[:10]), saves=saves
            )
            picked = []
            for r in ranked:
                if r.paper_id in skip or any(r.paper_id == p for p, _ in picked):
                    continue
                why = f"trending: {r.upvotes or 0} upvotes"
                if saves.get(r.paper_id):
                    why += f", saved by {saves[r.paper_id]} here"
                picked.append((r.paper_id, why))
                if len(picked) >= sub.size:
                    break
        return self._digest_items(picked[: sub.size])

    def _digest_items(self, picked: Sequence[tuple[str, str]]) -> list[DigestItem]:
        from papersift.deliver.digest import Item

        papers = {p.id: p for p in self.store.get_many([pid for pid, _ in picked])}
        return [
            Item(
                id=pid,
                title=papers[pid].display_name,
                authors=papers[pid].authors,
                abstract=papers[pid].abstract,
                url=self.paper_url(pid),
                source_url=papers[pid].links.abs,
                reason=reason,
                published=papers[pid].published,
            )
            for pid, reason in picked
            if pid in papers
        ]

    def send_digests(
        self,
        *,
        day: date | None = None,
        dry_run: bool = False,
        out: Path | None = None,
        mailer: Mailer | None = None,
    ) -> SendReport:
        """Send every active subscription's digest for the period of ``day`` (today), each
        exactly once (see :mod:`papersift.deliver.send`). ``dry_run`` writes the messages
        to ``out`` and changes nothing."""
        from datetime import UTC, datetime
        from urllib.parse import urlsplit

        from papersift.deliver.digest import Links
        from papersift.deliver.mail import FolderMailer
        from papersift.deliver.send import send_digests

        if dry_run and out is None:
            raise UsageError("a dry run needs a folder to write the messages to (--out)")
        if mailer is None:
            if dry_run:
                assert out is not None
                mailer = FolderMailer(out)
            else:
                mailer = self.mailer()
        sender = self.settings.mail_from if self.settings else "papersift <papersift@localhost>"
        settings_url = f"{self._base_url()}/digest"
        home = self.settings.home if self.settings else Path(f"{self.store.location}.d")
        return send_digests(
            self.store,
            lock=None if dry_run else home / "digest-send.lock",
            day=day or datetime.now(UTC).date(),
            choose=self.digest_items,
            describe=lambda sub, picked: self._digest_items(picked),
            links=lambda sub: Links(self.unsubscribe_url(sub), settings_url, self.feed_url(sub)),
            mailer=mailer,
            sender=sender,
            domain=urlsplit(self._base_url()).hostname or "papersift.local",
            dry_run=dry_run,
        )
