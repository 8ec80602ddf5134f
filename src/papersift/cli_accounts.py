"""Commands for users, libraries, recommendations and digests (issue 5). Thin: each calls the
facade. Registered on the main group by :mod:`papersift.cli`.

On the command line every user is local: ``--user NAME`` is created on first use (unless the
setting ``local_mode`` is ``off``); without ``--user`` the local user ``me`` is meant.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from papersift.cli import _Context, _dump
from papersift.model import LibraryEntry, Paper, Preferences
from papersift.radar import Radar

MAX_RECOMMENDATIONS = 100_000

user_option = click.option(
    "--user", "-u", "user_name", metavar="NAME", help="Whose library (default: the local user)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _print_entry(entry: LibraryEntry, paper: Paper) -> None:
    marks = []
    if entry.rating:
        marks.append("👍" if entry.rating > 0 else "👎")
    if entry.read_at:
        marks.append("read")
    if entry.dismissed:
        marks.append("not interested")
    if entry.tags:
        marks.append(" ".join(f"#{t}" for t in entry.tags))
    title = paper.display_name if len(paper.display_name) <= 80 else paper.display_name[:79] + "…"
    click.echo(f"{paper.id:<18} {click.style(title, bold=True)}")
    if marks or entry.note:
        click.echo(" " * 19 + " · ".join(marks + ([f"note: {entry.note}"] if entry.note else [])))


@click.group()
def library() -> None:
    """A user's library: saved papers, tags, ratings, notes, read / not interested."""


@library.command("add")
@click.argument("ids", nargs=-1, required=True)
@user_option
@click.option("--tag", "tags", multiple=True, help="Tag them (repeat for more).")
@click.pass_obj
def library_add(
    obj: _Context, ids: tuple[str, ...], user_name: str | None, tags: tuple[str, ...]
) -> None:
    """Save papers (arXiv ids, DOIs or papersift ids) to the library."""
    with obj.radar() as radar:
        papers = radar.library_add(radar.user(user_name), ids, tags=tags)
    for paper in papers:
        click.echo(f"saved {paper.id}: {paper.display_name}")


@library.command("list")
@user_option
@click.option("--tag", help="Only papers with this tag.")
@click.option(
    "--all", "everything", is_flag=True, help="Also papers only rated, read or dismissed."
)
@json_option
@click.pass_obj
def library_list(
    obj: _Context, user_name: str | None, tag: str | None, everything: bool, as_json: bool
) -> None:
    """The papers in the library, most recently changed first."""
    from papersift.deliver.export import paper_dict

    with obj.radar() as radar:
        items = radar.library(radar.user(user_name), tag=tag, everything=everything)
    if as_json:
        _dump([{**paper_dict(p), "library": e.as_dict()} for e, p in items])
        return
    for entry, paper in items:
        _print_entry(entry, paper)
    if not items:
        click.echo("the library is empty (papersift library add ID)")


def _mark(obj: _Context, user_name: str | None, identifier: str, **changes: Any) -> None:
    with obj.radar() as radar:
        entry = radar.library_mark(radar.user(user_name), identifier, **changes)
        paper = radar.get(entry.paper_id)
    _print_entry(entry, paper)


@library.command("rate")
@click.argument("identifier")
@click.argument("rating", type=click.Choice(["up", "down", "none", "+1", "-1", "0"]))
@user_option
@click.pass_obj
def library_rate(obj: _Context, identifier: str, rating: str, user_name: str | None) -> None:
    """Rate a paper: up (👍), down (👎) or none."""
    value = {"up": 1, "+1": 1, "down": -1, "-1": -1}.get(rating, 0)
    _mark(obj, user_name, identifier, rating=value)


@library.command("tag")
@click.argument("identifier")
@click.argument("tags", nargs=-1, required=True)
@user_option
@click.option("--remove", is_flag=True, help="Remove these tags instead.")
@click.pass_obj
def library_tag(
    obj: _Context, identifier: str, tags: tuple[str, ...], user_name: str | None, remove: bool
) -> None:
    """Tag a paper (it is saved if it was not)."""
    if remove:
        _mark(obj, user_name, identifier, remove_tags=tags)
    else:
        _mark(obj, user_name, identifier, add_tags=tags, saved=None)


@library.command("note")
@click.argument("identifier")
@click.argument("text")
@user_option
@click.pass_obj
def library_note(obj: _Context, identifier: str, text: str, user_name: str | None) -> None:
    """Keep a note on a paper ("" clears it)."""
    _mark(obj, user_name, identifier, note=text)


@library.command("mark")
@click.argument("identifier")
@click.argument(
    "state",
    type=click.Choice(["read", "unread", "not-interested", "interested", "saved", "unsaved"]),
)
@user_option
@click.pass_obj
def library_mark(obj: _Context, identifier: str, state: str, user_name: str | None) -> None:
    """Mark a paper read / not interested (hidden from every feed and digest), or undo."""
    changes: dict[str, Any] = {
        "read": {"read": True},
        "unread": {"read": False},
        "not-interested": {"not_interested": True},
        "interested": {"not_interested": False},
        "saved": {"saved": True},
        "unsaved": {"saved": False},
    }[state]
    _mark(obj, user_name, identifier, **changes)


@library.command("remove")
@click.argument("ids", nargs=-1, required=True)
@user_option
@click.pass_obj
def library_remove(obj: _Context, ids: tuple[str, ...], user_name: str | None) -> None:
    """Forget everything done with these papers (they may be recommended again)."""
    with obj.radar() as radar:
        user = radar.user(user_name)
        for identifier in ids:
            radar.library_remove(user, identifier)
            click.echo(f"removed {identifier}")


@library.command("import")
@click.argument("path")
@user_option
@click.option("--tag", "tags", multiple=True, help="Tag the imported papers.")
@click.option("--fetch", is_flag=True, help="Fetch arXiv ids not in the store (arXiv API).")
@json_option
@click.pass_obj
def library_import(
    obj: _Context,
    path: str,
    user_name: str | None,
    tags: tuple[str, ...],
    fetch: bool,
    as_json: bool,
) -> None:
    """Import a BibTeX file (e.g. a Zotero export), any listing papersift reads, or a list of
    arXiv ids / DOIs (one a line); - reads standard input. Exit 1 when some could not be
    found or read."""
    with obj.radar() as radar:
        (source,) = list(radar.inputs([path]))
        result = radar.library_import(radar.user(user_name), source, tags=tags, fetch=fetch)
    if as_json:
        _dump(result.as_dict())
    else:
        click.echo(f"{result.origin}: {len(result.added)} papers in the library")
        for identifier in result.missing:
            click.echo(f"  not found: {identifier} (--fetch asks the arXiv API for arXiv ids)")
        for rejected in result.rejected:
            click.echo(f"  rejected {rejected}")
    if result.missing or result.rejected:
        sys.exit(1)


@library.command("export")
@user_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csv", "json", "jsonl"]),
    default="bibtex",
    show_default=True,
)
@click.option("--tag", help="Only papers with this tag.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
@click.pass_obj
def library_export(
    obj: _Context, user_name: str | None, fmt: str, tag: str | None, output: str | None
) -> None:
    """Export the library as BibTeX, CSV or JSON."""
    with obj.radar() as radar:
        chunks = radar.library_export(radar.user(user_name), fmt, tag=tag)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.writelines(chunks)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)


@click.command()
@user_option
@click.option("--since", metavar="DATE", help="Only papers published since (YYYY[-MM[-DD]]).")
@click.option("--limit", type=click.IntRange(0, MAX_RECOMMENDATIONS), default=10, show_default=True)
@click.option("--seed", "seeds", multiple=True, metavar="ID", help="Cold start: rank like these.")
@click.option("--tag", metavar="TAG", help="Papers like those of the library tagged so.")
@json_option
@click.pass_obj
def recommend(
    obj: _Context,
    user_name: str | None,
    since: str | None,
    limit: int,
    seeds: tuple[str, ...],
    tag: str | None,
    as_json: bool,
) -> None:
    """Papers for a user, from their library and ratings, each with its reason."""
    with obj.radar() as radar:
        user = radar.user(user_name)
        result = radar.recommend(user, since=since, limit=limit, seeds=seeds, tag=tag)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if as_json:
        _dump(result.as_dict())
        return
    for rank, pick in enumerate(result.picks, start=1):
        title = pick.title if len(pick.title) <= 84 else pick.title[:83] + "…"
        click.echo(f"{rank:>3}. {click.style(title, bold=True)}")
        click.echo(f"     {pick.id} · {pick.score:.2f} · {pick.reason}")


@click.command()
@user_option
@click.option("--include", multiple=True, metavar="WORDS", help="Lift papers with these words.")
@click.option("--exclude", multiple=True, metavar="WORDS", help="Never papers with these words.")
@click.option("--category", multiple=True, metavar="CAT", help="Only these categories (cs = cs.*).")
@click.option("--exclude-category", multiple=True, metavar="CAT")
@click.option(
    "--topic",
    multiple=True,
    metavar="TEXT",
    help="Cold start: follow a topic (words, or a thread id).",
)
@click.option("--clear", is_flag=True, help="Forget every preference first.")
@json_option
@click.pass_obj
def prefs(
    obj: _Context,
    user_name: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    category: tuple[str, ...],
    exclude_category: tuple[str, ...],
    topic: tuple[str, ...],
    clear: bool,
    as_json: bool,
) -> None:
    """Show or add to a user's recommendation preferences."""
    with obj.radar() as radar:
        user = radar.user(user_name)
        old = Preferences() if clear else radar.preferences(user)
        changed = clear or any((include, exclude, category, exclude_category, topic))
        current = old
        if changed:
            current = radar.set_preferences(
                user,
                Preferences(
                    include_keywords=old.include_keywords + include,
                    exclude_keywords=old.exclude_keywords + exclude,
                    categories=old.categories + category,
                    exclude_categories=old.exclude_categories + exclude_category,
                    topics=old.topics + topic,
                ),
            )
    if as_json:
        _dump(current.as_dict())
        return
    for key, values in current.as_dict().items():
        click.echo(f"{key}: {', '.join(values) if values else '-'}")


@click.group()
def user() -> None:
    """Accounts that sign in to the web app."""


@user.command("add")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def user_add(obj: _Context, email: str, password_stdin: bool) -> None:
    """Create an account (asks for its password; it is never shown or stored in clear)."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with obj.radar() as radar:
        created = radar.accounts().sign_up(email, password)
    click.echo(f"created user {created.name}")


@click.group()
def digest() -> None:
    """Email digests: subscriptions, and sending them (safe from cron)."""


@digest.command("subscribe")
@user_option
@click.option("--email", help="Where to (default: the user's email).")
@click.option(
    "--content",
    type=click.Choice(["recommend", "search", "topic", "trending"]),
    default="recommend",
    show_default=True,
)
@click.option("--query", default="", help="The saved search; for a topic its id or words.")
@click.option("--weekly", "frequency", flag_value="weekly", help="Weekly (default: daily).")
@click.option("--daily", "frequency", flag_value="daily", default=True)
@click.option("--size", type=click.IntRange(1, 100), default=10, show_default=True)
@json_option
@click.pass_obj
def digest_subscribe(
    obj: _Context,
    user_name: str | None,
    email: str | None,
    content: str,
    query: str,
    frequency: str,
    size: int,
    as_json: bool,
) -> None:
    """Subscribe a user to a digest."""
    with obj.radar() as radar:
        sub = radar.subscribe(
            radar.user(user_name),
            email=email,
            content=content,
            query=query,
            frequency=frequency,
            size=size,
        )
        feed = radar.feed_url(sub)
    if as_json:
        _dump({**sub.as_dict(), "feed": feed})
        return
    click.echo(f"subscription {sub.id}: {sub.frequency} {sub.content} to {sub.email}; feed {feed}")


@digest.command("list")
@user_option
@json_option
@click.pass_obj
def digest_list(obj: _Context, user_name: str | None, as_json: bool) -> None:
    """A user's subscriptions."""
    with obj.radar() as radar:
        subs = radar.subscriptions(radar.user(user_name))
        rows = [{**s.as_dict(), "feed": radar.feed_url(s)} for s in subs]
    if as_json:
        _dump(rows)
        return
    for row in rows:
        state = "" if row["active"] else " (unsubscribed)"
        click.echo(
            f"{row['id']}: {row['frequency']} {row['content']} {row['query']} "
            f"to {row['email']}, top {row['size']}{state}"
        )


@digest.command("send")
@click.option("--dry-run", is_flag=True, help="Write the messages to --out; change nothing.")
@click.option("--out", type=click.Path(file_okay=False), help="Folder for --dry-run messages.")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Send as on this day (default: today).")
@json_option
@click.pass_obj
def digest_send(
    obj: _Context, dry_run: bool, out: str | None, day: str | None, as_json: bool
) -> None:
    """Send every subscriber's digest for the current period, each exactly once: safe to run
    from cron, and to run again after being stopped. Exit 7 if some could not be sent."""
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise click.UsageError(f"--date must be YYYY-MM-DD, not {day!r}") from None
    with obj.radar() as radar:
        report = radar.send_digests(day=when, dry_run=dry_run, out=Path(out) if out else None)
    if as_json:
        _dump([o.as_dict() for o in report.outcomes])
    else:
        for o in report.outcomes:
            detail = f": {o.error}" if o.error else ""
            click.echo(f"{o.email} {o.period}: {o.status} ({o.papers} papers){detail}")
        click.echo(
            f"{report.count('sent') + report.count('written')} sent, "
            f"{report.count('skipped')} already sent, {report.count('empty')} with nothing new, "
            f"{report.count('failed')} failed"
        )
    if report.count("failed"):
        sys.exit(7)


def register(main: click.Group) -> None:
    for command in (library, recommend, prefs, user, digest):
        main.add_command(command)


__all__ = ["Radar", "register"]


DIGEST_EVERY = 900.0  # seconds between two digest runs of `serve --digests`


def start_digest_schedule(settings: Any, *, every: float = DIGEST_EVERY) -> Any:
    """For ``serve --digests``: a daemon thread that runs ``digest send`` now and every
    ``every`` seconds (each subscriber's digest still goes once per period: the ledger; and
    never alongside a cron run: the lock). Returns the thread's stop event."""
    import logging
    import threading

    from papersift.errors import PapersiftError

    log = logging.getLogger("papersift.digests")
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                with Radar.open(settings) as radar:
                    report = radar.send_digests()
                sent = report.count("sent")
                if sent or report.count("failed"):
                    log.warning("digests: %d sent, %d failed", sent, report.count("failed"))
            except PapersiftError as exc:
                log.warning("digests not sent: %s", exc.message)
            stop.wait(every)

    threading.Thread(target=run, name="papersift-digests", daemon=True).start()
    return stop
