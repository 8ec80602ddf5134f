"""``digest send``: each active subscription's digest for the current period, exactly once.

The ledger (table ``digests``) makes it safe from cron and against being killed:

1. a subscription whose digest for the period is ``sent`` is skipped (one with nothing new
   is not recorded: a later run the same period - papers fetched since - may still send it);
2. otherwise its papers are chosen and *reserved* in one transaction: a ``pending`` ledger row
   with the papers and their reasons, and every paper marked delivered for the subscription (so
   no later digest repeats it);
3. the message is sent, then the row is marked ``sent`` in its own transaction.

Killed between two messages, a re-run skips the digests already sent and sends the others once.
Killed after reserving but before sending, a re-run sends the reserved papers (the same digest).
The one window left - killed after the SMTP server accepted a message but before step 3
committed, a few milliseconds - resends that message with the same Message-ID, which mail
systems that deduplicate drop. Two runs at once: the second stops at once (a lock file), so a
reserved digest is never sent by both. ``--dry-run`` writes the messages to a folder and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from papersift.deliver.digest import (
    Item,
    Links,
    build_message,
    message_id,
    period_of,
    period_start,
    window_start,
)
from papersift.errors import DeliveryError

if TYPE_CHECKING:
    from papersift.deliver.mail import Mailer
    from papersift.model import Subscription
    from papersift.store import Store

# (subscription, papers new since this day, paper ids never to send) -> items, best first
Choose = Callable[["Subscription", date, set[str]], list[Item]]
# (subscription, [(paper id, reason)]) -> items of a reserved digest
Describe = Callable[["Subscription", Sequence[tuple[str, str]]], list[Item]]


@dataclass(slots=True)
class Outcome:
    subscription: int
    email: str
    period: str
    status: str  # sent | empty | skipped | failed | written (dry run)
    papers: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "subscription": self.subscription,
            "email": self.email,
            "period": self.period,
            "status": self.status,
            "papers": self.papers,
            "error": self.error,
        }


@dataclass(slots=True)
class SendReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@contextmanager
def exclusive(path: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created) while sending: two overlapping runs (a slow
    cron job and the next one) would otherwise both send a digest the first had reserved. The
    operating system releases it when the process ends, even killed."""
    if path is None:
        yield
        return
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot create the lock file: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeliveryError("another `digest send` is running; try again later") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_digests(
    store: Store,
    *,
    lock: Path | None = None,
    day: date,
    choose: Choose,
    describe: Describe,
    links: Callable[[Subscription], Links],
    mailer: Mailer,
    sender: str,
    domain: str,
    dry_run: bool = False,
    subscriptions: Sequence[Subscription] | None = None,
) -> SendReport:
    report = SendReport()
    now = datetime.now(UTC)
    try:
        with exclusive(lock):
            for sub in subscriptions if subscriptions is not None else store.subscriptions():
                if not sub.active:
                    continue
                report.outcomes.append(
                    _one(
                        store,
                        sub,
                        day,
                        now,
                        choose,
                        describe,
                        links,
                        mailer,
                        sender,
                        domain,
                        dry_run,
                    )
                )
    finally:
        mailer.close()
    return report


def _last_sent(store: Store, sub: Subscription) -> date | None:
    """The first day of the period of the subscription's last digest (papers published since
    are new, unless that digest carried them)."""
    for record in store.digests(sub.id, limit=50):
        if record.status == "sent":
            return period_start(record.period)
    return None


def _one(
    store: Store,
    sub: Subscription,
    day: date,
    now: datetime,
    choose: Choose,
    describe: Describe,
    links: Callable[[Subscription], Links],
    mailer: Mailer,
    sender: str,
    domain: str,
    dry_run: bool,
) -> Outcome:
    period = period_of(sub.frequency, day)
    outcome = Outcome(sub.id, sub.email, period, "skipped")
    record = store.digest(sub.id, period)
    if record is not None and record.status in ("sent", "empty"):
        return outcome  # done before: never twice
    msgid = message_id(sub, period, domain)
    if record is not None:  # reserved by a run that did not finish: send the same papers
        items = describe(sub, list(zip(record.papers, record.reasons, strict=False)))
    else:
        since = window_start(sub.frequency, day, _last_sent(store, sub))
        items = choose(sub, since, store.delivered(sub.id))[: sub.size]
        if not items:  # nothing new yet: not recorded, so a later run may still send one
            outcome.status = "empty"
            return outcome
        if not dry_run:
            with store.atomic():
                store.reserve_digest(
                    sub.id, period, [(i.id, i.reason) for i in items], msgid, now.isoformat()
                )
    outcome.papers = len(items)
    if not items:
        outcome.status = "empty"
        return outcome
    message = build_message(sub, period, items, links(sub), sender=sender, msgid=msgid, when=now)
    try:
        mailer.send(message)
    except DeliveryError as exc:
        outcome.status, outcome.error = "failed", exc.message
        return outcome
    if dry_run:
        outcome.status = "written"
        return outcome
    with store.atomic():
        store.finish_digest(sub.id, period, "sent", datetime.now(UTC).isoformat())
    outcome.status = "sent"
    return outcome
