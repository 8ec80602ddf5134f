"""Digest emails: periods, and the message (plain text + HTML) for one subscriber. Pure.

The HTML is one table of inline-styled text: no external images, fonts or scripts, so it reads
the same in webmail, desktop clients and plain-text-preferring ones (the text part carries every
link too). Every message has a ``List-Unsubscribe`` header (a signed one-click URL) and the same
link in both bodies; it works without signing in.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from papersift.model import Subscription

MAX_WINDOW_DAYS = 31  # a digest looks back at most this far for new papers


def period_of(frequency: str, day: date) -> str:
    """The period a digest sent on ``day`` covers: the day, or its ISO week."""
    if frequency == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def period_start(period: str) -> date:
    """The first day of a period named by :func:`period_of`."""
    if "-W" in period:
        year, week = period.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return date.fromisoformat(period)


def period_days(frequency: str) -> int:
    return 7 if frequency == "weekly" else 1


def window_start(frequency: str, day: date, last_sent: date | None) -> date:
    """Papers published from this day on are new for a digest sent on ``day``: since the last
    digest (when there was one), else one period back; never more than a month."""
    start = last_sent if last_sent is not None else day - timedelta(days=period_days(frequency))
    return max(start, day - timedelta(days=MAX_WINDOW_DAYS))


@dataclass(frozen=True, slots=True)
class Item:
    """One paper in a digest."""

    id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    url: str  # the paper's page on this papersift
    source_url: str | None  # arXiv (or other) abstract page
    reason: str
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Links:
    unsubscribe: str  # signed, one click, no sign-in
    settings: str  # digest settings page
    feed: str  # the subscription's Atom feed


def _describe(sub: Subscription) -> str:
    what = {
        "recommend": "recommended for you",
        "search": f"new for “{sub.query}”",
        "topic": f"new in “{sub.query}”",
        "trending": "trending",
    }.get(sub.content, sub.content)
    return what


def subject(sub: Subscription, period: str, count: int) -> str:
    kind = "weekly" if sub.frequency == "weekly" else "daily"
    plural = "s" if count != 1 else ""
    return f"papersift {kind} digest {period}: {count} paper{plural} {_describe(sub)}"


def _excerpt(text: str, width: int = 320) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _authors(authors: Sequence[str]) -> str:
    return ", ".join(authors[:4]) + (" et al." if len(authors) > 4 else "")


def text_body(sub: Subscription, period: str, items: Sequence[Item], links: Links) -> str:
    lines = [f"papersift — {len(items)} papers {_describe(sub)} ({period})", ""]
    for n, item in enumerate(items, start=1):
        lines.append(f"{n}. {item.title}")
        if item.authors:
            lines.append(f"   {_authors(item.authors)}")
        lines.append(f"   Why: {item.reason}")
        lines.append(f"   {item.url}")
        if item.source_url:
            lines.append(f"   {item.source_url}")
        if item.abstract:
            lines.append(f"   {_excerpt(item.abstract)}")
        lines.append("")
    lines += [
        "--",
        f"Digest settings: {links.settings}",
        f"Atom feed of this digest: {links.feed}",
        f"Unsubscribe (one click, no sign-in): {links.unsubscribe}",
    ]
    return "\n".join(lines) + "\n"


def html_body(sub: Subscription, period: str, items: Sequence[Item], links: Links) -> str:
    e = html.escape
    rows = []
    for item in items:
        source = (
            f' · <a href="{e(item.source_url)}" style="color:#555">source</a>'
            if item.source_url
            else ""
        )
        rows.append(
            '<tr><td style="padding:12px 0;border-bottom:1px solid #ddd">'
            f'<a href="{e(item.url)}" style="font-size:16px;font-weight:bold;color:#1a4d8f;'
            f'text-decoration:none">{e(item.title)}</a>'
            f'<div style="color:#555;font-size:13px">{e(_authors(item.authors))}{source}</div>'
            f'<div style="color:#2a6b2a;font-size:13px;margin-top:4px">Why: {e(item.reason)}</div>'
            f'<div style="font-size:14px;margin-top:4px">{e(_excerpt(item.abstract))}</div>'
            "</td></tr>"
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{e(subject(sub, period, len(items)))}</title></head>"
        '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#222">'
        '<table role="presentation" width="100%" style="max-width:640px;margin:auto">'
        f'<tr><td style="font-size:20px;font-weight:bold;padding-bottom:8px">papersift: '
        f"{len(items)} papers {e(_describe(sub))}</td></tr>"
        f'<tr><td style="color:#555;font-size:13px">{e(period)}</td></tr>'
        + "".join(rows)
        + '<tr><td style="padding-top:16px;font-size:12px;color:#777">'
        f'<a href="{e(links.settings)}" style="color:#777">Digest settings</a> · '
        f'<a href="{e(links.feed)}" style="color:#777">Atom feed</a> · '
        f'<a href="{e(links.unsubscribe)}" style="color:#777">Unsubscribe</a>'
        "</td></tr></table></body></html>"
    )


def message_id(sub: Subscription, period: str, domain: str) -> str:
    """The same for the same subscription and period: a resent digest is recognisably the same
    message (clients and servers that deduplicate by Message-ID drop the copy)."""
    return f"<digest-{sub.id}-{period}@{domain}>"


def build_message(
    sub: Subscription,
    period: str,
    items: Sequence[Item],
    links: Links,
    *,
    sender: str,
    msgid: str,
    when: datetime,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = sub.email
    msg["Subject"] = subject(sub, period, len(items))
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = msgid or make_msgid()
    msg["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text_body(sub, period, items, links))
    msg.add_alternative(html_body(sub, period, items, links), subtype="html")
    return msg
