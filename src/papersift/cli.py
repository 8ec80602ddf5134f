"""The command line: one command per facade call, thin. Errors become exit codes here, once."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from papersift.config import Settings
from papersift.errors import PapersiftError
from papersift.model import FileReport, Paper, SystemCard
from papersift.radar import Radar

EXIT_REJECTED = 1  # some records were rejected; the rest went in
EXIT_REFUSED = 3  # some input was refused whole; it changed nothing


class _Context:
    def __init__(self, db: str | None, home: str | None) -> None:
        self.db = db
        self.home = home

    @contextmanager
    def radar(self) -> Iterator[Radar]:
        settings = Settings.from_env(os.environ, db=self.db, home=self.home)
        with Radar.open(settings) as radar:
            yield radar


def _dump(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


class _Group(click.Group):
    """Turns every papersift error into its message and exit code: no tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PapersiftError as exc:
            click.echo(f"error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Store to use: a SQLite file or a postgresql:// URL. Env PAPERSIFT_DB.",
)
@click.option("--home", metavar="DIR", help="Data directory. Env PAPERSIFT_HOME.")
@click.version_option(package_name="papersift")
@click.pass_context
def main(ctx: click.Context, db: str | None, home: str | None) -> None:
    """papersift: a self-hostable research paper radar."""
    ctx.obj = _Context(db, home)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", metavar="NAME", help="Force a format (see `papersift formats`).")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.pass_obj
def ingest(obj: _Context, paths: tuple[str, ...], fmt: str | None, as_json: bool) -> None:
    """Ingest listings: files, folders, or - for standard input.

    Prints per input how many papers were new, updated, unchanged or rejected. Exit status:
    0 all went in; 1 some records were rejected; 3 some input was refused whole (it changed
    nothing).
    """
    reports = []
    show_progress = sys.stderr.isatty() and not as_json
    with obj.radar() as radar:
        for report in radar.ingest(
            radar.inputs(paths),
            format=fmt,
            progress=_Progress() if show_progress else None,
        ):
            if show_progress:
                click.echo("\r\033[K", nl=False, err=True)
            reports.append(report)
            if not as_json:
                _print_report(report)
    if as_json:
        _dump([r.as_dict() for r in reports])
    if any(not r.ok for r in reports):
        sys.exit(EXIT_REFUSED)
    if any(r.rejected for r in reports):
        sys.exit(EXIT_REJECTED)


class _Progress:
    """A one-line progress bar on stderr: percent of the input read, records, time left."""

    def __init__(self) -> None:
        self.name = ""
        self.started = 0.0

    def __call__(self, name: str, records: int, fraction: float | None) -> None:
        now = time.monotonic()
        if name != self.name:
            self.name, self.started = name, now
        shown = f"\r\033[K  {Path(name).name}: {records:,} records"
        if fraction:
            left = (now - self.started) * (1 - fraction) / fraction
            bar = "█" * int(fraction * 20)
            shown += f" [{bar:<20}] {fraction:4.0%} · {left:.0f}s left"
        click.echo(shown, nl=False, err=True)


def _print_report(report: Any) -> None:
    if report.error:
        click.echo(f"{report.origin}: refused: {report.error}")
        return
    click.echo(
        f"{report.origin} [{report.format}]: {report.new:,} new, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {len(report.rejected):,} rejected"
    )
    for rejected in report.rejected[:20]:
        field = f" (field {rejected.field})" if rejected.field else ""
        click.echo(f"  rejected {rejected.ref}: {rejected.reason}{field}")
    if len(report.rejected) > 20:
        click.echo(f"  … and {len(report.rejected) - 20} more rejected (use --json for all)")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "bibtex"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write here instead of standard output.",
)
@click.pass_obj
def export(obj: _Context, fmt: str, output: str | None) -> None:
    """Export every paper."""
    with obj.radar() as radar:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.writelines(radar.export(fmt))
        else:
            for chunk in radar.export(fmt):
                sys.stdout.write(chunk)


@main.command()
@click.argument("identifier")
@click.option("--json", "as_json", is_flag=True, help="Print the paper as JSON.")
@click.pass_obj
def show(obj: _Context, identifier: str, as_json: bool) -> None:
    """Show one paper, by id, arXiv id (any spelling), or DOI."""
    from papersift.deliver.export import paper_dict

    with obj.radar() as radar:
        paper = radar.get(identifier)
        card = radar.card(paper.id)
    if as_json:
        _dump({**paper_dict(paper), "card": card.as_dict()})
        return
    click.echo(click.style(paper.display_name, bold=True))
    if paper.authors:
        click.echo(", ".join(paper.authors))
    facts = [f"id {paper.id}"]
    if paper.arxiv_id and paper.arxiv_id != paper.id:
        facts.append(f"arXiv {paper.arxiv_id}")
    if paper.doi:
        facts.append(f"doi {paper.doi}")
    if paper.published:
        facts.append(f"published {paper.published[:10]}")
    if paper.categories:
        facts.append(" ".join(paper.categories))
    if paper.upvotes is not None:
        facts.append(f"{paper.upvotes} upvotes")
    click.echo(" · ".join(facts))
    for name, url in paper.links.as_dict().items():
        click.echo(f"{name}: {url}")
    if paper.abstract:
        click.echo()
        click.echo(click.wrap_text(paper.abstract, width=88))
    click.echo()
    _print_card(card)
    click.echo()
    for source in paper.sources:
        click.echo(f"from {source.source}: {source.origin} ({source.ref}), {source.seen_at}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(obj: _Context, as_json: bool) -> None:
    """What the store holds."""
    with obj.radar() as radar:
        data = radar.stats()
    if as_json:
        _dump(data)
        return
    for key, value in data.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k}: {v}")
        else:
            click.echo(f"{key}: {value}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def formats(as_json: bool) -> None:
    """The listing formats papersift reads (detected from content)."""
    from papersift.sources.detect import formats as all_formats

    rows = [{"name": f.name, "description": f.description} for f in all_formats()]
    if as_json:
        _dump(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<18} {row['description']}")


@main.command()
@click.option("--limit", default=10, show_default=True, help="How many papers to list.")
@click.option("--json", "as_json", is_flag=True, help="Print reports, counts and papers as JSON.")
@click.pass_obj
def demo(obj: _Context, limit: int, as_json: bool) -> None:
    """Load the bundled sample (no network needed) and show what is there.

    A few hundred recent arXiv papers and the Hugging Face daily papers of the same days; the
    most upvoted are listed. Running it again changes nothing.
    """
    with obj.radar() as radar:
        reports = radar.load_sample()
        data = radar.stats()
        top = radar.most_upvoted(limit)
    if as_json:
        from papersift.deliver.export import paper_dict

        _dump(
            {
                "reports": [r.as_dict() for r in reports],
                "stats": data,
                "most_upvoted": [paper_dict(p) for p in top],
            }
        )
    else:
        _print_demo(reports, data, top)
    if any(not r.ok for r in reports):
        sys.exit(EXIT_REFUSED)
    if any(r.rejected for r in reports):
        sys.exit(EXIT_REJECTED)


def _print_demo(reports: list[FileReport], data: dict[str, Any], top: list[Paper]) -> None:
    click.echo(click.style("Loaded the bundled sample", bold=True) + " (no network needed):")
    by_format: dict[str, list[FileReport]] = {}
    for report in reports:
        if report.ok:
            by_format.setdefault(report.format or "?", []).append(report)
        else:
            _print_report(report)
    for name, group in by_format.items():
        files = f"{len(group)} file{'s' if len(group) != 1 else ''}"
        click.echo(
            f"  {name:<10} {files:<9} {sum(r.new for r in group):>4} new, "
            f"{sum(r.updated for r in group):>3} updated, "
            f"{sum(r.unchanged for r in group):>4} unchanged, "
            f"{sum(len(r.rejected) for r in group)} rejected"
        )
    click.echo(f"\n{data['papers']:,} papers in {data['store']}")
    sources = data.get("papers_by_source") or {}
    if sources:
        click.echo("  " + " · ".join(f"{n:,} from {s}" for s, n in sources.items()))
    if not top:
        return
    click.echo("\n" + click.style("Most upvoted on Hugging Face", bold=True))
    for rank, paper in enumerate(top, start=1):
        title = paper.display_name
        if len(title) > 84:
            title = title[:83].rstrip() + "…"
        click.echo(f"{rank:>3}. ▲ {paper.upvotes:<4} {click.style(title, bold=True)}")
        facts = [paper.published[:10]] if paper.published else []
        if paper.arxiv_id:
            facts.append(f"arXiv {paper.arxiv_id}")
        if paper.links.code:
            facts.append(f"code {paper.links.code}")
        click.echo(" " * 11 + " · ".join(facts))
    click.echo(f"\nMore about one: papersift show {top[0].id}")


# --- index: embeddings for search by meaning ---------------------------------------------------


class _IndexProgress:
    """A one-line progress bar with rate and ETA, redrawn on standard error."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        share = done / total if total else 1.0
        filled = int(share * 30)
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = f"ETA {_duration((total - done) / rate)}" if rate and done < total else ""
        click.echo(
            f"\r\033[K  {self.label} [{'#' * filled}{'.' * (30 - filled)}] "
            f"{done:,}/{total:,}  {rate:.1f}/s  {eta}",
            nl=False,
            err=True,
        )

    def close(self) -> None:
        click.echo("\r\033[K", nl=False, err=True)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


@main.command("index")
@click.option(
    "--batch",
    type=click.IntRange(1, 10_000),
    default=64,
    show_default=True,
    help="Papers per batch; each batch is committed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def index_command(obj: _Context, batch: int, as_json: bool) -> None:
    """Embed papers for search by meaning: only those new, or changed since embedded.

    Runs the embedding model offline (about 20 papers a second on 2 cores). Each batch is
    committed: stop it at any time and run it again to carry on. Searches made before it
    finishes say how many papers are still pending.
    """
    bar = _IndexProgress("embedding") if sys.stderr.isatty() and not as_json else None
    with obj.radar() as radar:
        try:
            report = radar.index(batch=batch, progress=bar)
        finally:
            if bar:
                bar.close()
    if as_json:
        _dump(report.as_dict())
        return
    rate = f" ({report.embedded / report.seconds:.1f}/s)" if report.embedded else ""
    click.echo(
        f"embedded {report.embedded:,}, skipped {report.skipped:,} already current, "
        f"{report.papers:,} papers; {report.seconds:.1f} s{rate}"
    )


# --- search -------------------------------------------------------------------------------------

MAX_HITS = 100_000


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "keyword", "semantic"]),
    help="hybrid (default): words and meaning fused; keyword: BM25; semantic: embeddings.",
)
@click.option("--since", metavar="DATE", help="Published on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option(
    "--category", metavar="CAT", multiple=True, help="In this category (cs.CL; cs = cs.*)."
)
@click.option("--source", metavar="FMT", multiple=True, help="Seen in this format (hf-daily …).")
@click.option("--limit", type=click.IntRange(0, MAX_HITS), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def search(
    obj: _Context,
    query: tuple[str, ...],
    mode: str | None,
    since: str | None,
    until: str | None,
    category: tuple[str, ...],
    source: tuple[str, ...],
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Search papers by words and meaning. Any text is a valid QUERY.

    Words must all appear (papers with only some of them follow); "a phrase"; prefix*;
    AND, OR, NOT and -word; ( groups ); fields title: abstract: author: and filters cat:cs.CL,
    year:2025 or year:2023-2025. An arXiv id, DOI or exact title puts that paper first.
    Put -- before a query that itself starts with --.
    """
    with obj.radar() as radar:
        result = radar.search(
            " ".join(query),
            mode=mode,
            since=since,
            until=until,
            category=category,
            source=source,
            limit=limit,
            offset=offset,
        )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if as_json:
        _dump(result.as_dict())
        return
    _print_hits(result.hits, start=result.offset + 1)
    if not result.hits:
        click.echo("no papers found")
    elif result.total is not None:
        last = result.offset + len(result.hits)
        more = f" (next: --offset {last})" if last < result.total else ""
        click.echo(f"\n{result.offset + 1}-{last} of {result.total:,}{more}")


@main.command()
@click.argument("identifier")
@click.option("--limit", type=click.IntRange(0, MAX_HITS), default=10, show_default=True)
@click.option(
    "--diversify",
    type=click.FloatRange(0.0, 1.0),
    metavar="L",
    help="MMR trade-off: 1 = most similar only, lower = more varied (0.5-0.7 is typical).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.pass_obj
def similar(
    obj: _Context, identifier: str, limit: int, diversify: float | None, as_json: bool
) -> None:
    """Papers like the one IDENTIFIER names (id, arXiv id or DOI), most similar first."""
    with obj.radar() as radar:
        paper = radar.get(identifier)
        hits = radar.similar(paper.id, limit=limit, diversify=diversify)
    by_words = bool(hits) and all(h.mode == "keyword" for h in hits)
    if by_words:
        click.echo("note: no embeddings to compare (run `papersift index`): by words", err=True)
    if as_json:
        _dump(
            {
                "id": paper.id,
                "title": paper.title,
                "mode": "keyword" if by_words else "semantic",
                "hits": [h.as_dict() for h in hits],
            }
        )
        return
    click.echo(f"Like {click.style(paper.display_name, bold=True)} ({paper.id}):\n")
    _print_hits(hits, start=1)
    if not hits:
        click.echo("no similar papers found")


def _print_hits(hits: Any, *, start: int) -> None:
    for rank, hit in enumerate(hits, start=start):
        title = hit.display_name if len(hit.display_name) <= 84 else hit.display_name[:83] + "…"
        click.echo(f"{rank:>3}. {click.style(title, bold=True)}")
        facts = [hit.id]
        if hit.published:
            facts.append(hit.published[:10])
        if hit.categories:
            facts.append(hit.categories[0])
        facts.append(hit.why)
        click.echo("     " + " · ".join(facts))


# --- fetch: live sources ----------------------------------------------------------------------


@main.group()
def fetch() -> None:
    """Fetch from live sources (arXiv, Hugging Face) and ingest what comes back.

    Each page is ingested on its own (a bad page changes nothing) and remembered, so a rerun
    after a failure carries on without fetching again what is already in. arXiv hosts are asked
    at most once every PAPERSIFT_ARXIV_DELAY seconds (3 by default, as arXiv asks). Exit status:
    0 all went in; 1 some records were rejected; 3 a page was refused whole; 6 a fetch failed.
    """


def _run_fetch(pages: Iterator[Any]) -> None:
    """Print each page as it is done; exit like ``ingest`` (a fetch error exits 6 via _Group)."""
    reports: list[FileReport] = []
    skipped = 0
    for page in pages:
        if page.report is None:
            skipped += 1
            click.echo(f"{page.url}: {page.note}")
            continue
        reports.append(page.report)
        _print_report(page.report)
        if page.note:
            click.echo(f"  {page.note}")
    if len(reports) + skipped > 1:
        click.echo(
            f"{len(reports)} page{'s' if len(reports) != 1 else ''} fetched, {skipped} skipped: "
            f"{sum(r.new for r in reports)} new, {sum(r.updated for r in reports)} updated, "
            f"{sum(r.unchanged for r in reports)} unchanged, "
            f"{sum(len(r.rejected) for r in reports)} rejected"
        )
    if any(not r.ok for r in reports):
        sys.exit(EXIT_REFUSED)
    if any(r.rejected for r in reports):
        sys.exit(EXIT_REJECTED)


@fetch.command("arxiv-rss")
@click.argument("categories", nargs=-1, required=True)
@click.option("--rss", is_flag=True, help="Read the RSS 2.0 feed (/rss/CAT) instead of Atom.")
@click.option("--refresh", is_flag=True, help="Fetch again what was fetched this arXiv day.")
@click.pass_obj
def fetch_arxiv_rss(obj: _Context, categories: tuple[str, ...], rss: bool, refresh: bool) -> None:
    """Today's arXiv announcements in CATEGORIES (e.g. cs.AI cs.CL), one request each."""
    with obj.radar() as radar:
        _run_fetch(radar.fetch_arxiv_rss(categories, rss=rss, refresh=refresh))


@fetch.command("arxiv-api")
@click.option("--id", "ids", multiple=True, metavar="ID", help="arXiv ids (repeat or comma-join).")
@click.option("--query", metavar="Q", help="A search query, e.g. 'cat:cs.CL AND ti:retrieval'.")
@click.option(
    "--max",
    "max_results",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="At most this many results of a --query.",
)
@click.option(
    "--page-size", type=click.IntRange(1, 2000), default=100, show_default=True, help="Per request."
)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "lastUpdatedDate", "submittedDate"]),
    default="relevance",
    show_default=True,
)
@click.pass_obj
def fetch_arxiv_api(
    obj: _Context,
    ids: tuple[str, ...],
    query: str | None,
    max_results: int,
    page_size: int,
    sort: str,
) -> None:
    """Papers from the arXiv API: by --id, or the first --max results of a --query.

    An unfinished run (a failure mid-way) continues where it stopped when run again.
    """
    wanted = [i for value in ids for i in value.replace(",", " ").split()]
    if bool(wanted) == bool(query):
        raise click.UsageError("give either --id or --query")
    with obj.radar() as radar:
        _run_fetch(
            radar.fetch_arxiv_api(
                ids=wanted, query=query, max_results=max_results, page_size=page_size, sort=sort
            )
        )


@fetch.command("oai")
@click.option("--set", "set_spec", metavar="SET", help="An arXiv set, e.g. cs or physics:hep-th.")
@click.option(
    "--from",
    "from_date",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Records added or changed on or after this day.",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Records added or changed on or before this day.",
)
@click.option(
    "--prefix",
    type=click.Choice(["arXiv", "arXivRaw", "oai_dc"]),
    default="arXiv",
    show_default=True,
    help="Metadata format.",
)
@click.option("--restart", is_flag=True, help="Forget an unfinished harvest; start again.")
@click.pass_obj
def fetch_oai(
    obj: _Context,
    set_spec: str | None,
    from_date: Any,
    until: Any,
    prefix: str,
    restart: bool,
) -> None:
    """Harvest arXiv over OAI-PMH (ListRecords), following resumption tokens to the end.

    After each page the next token is stored: an interrupted harvest continues from there when
    the same command is run again.
    """
    with obj.radar() as radar:
        _run_fetch(
            radar.fetch_oai(
                set_spec=set_spec,
                from_date=from_date.date() if from_date else None,
                until=until.date() if until else None,
                prefix=prefix,
                restart=restart,
            )
        )


@fetch.command("hf")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="One day.")
@click.option("--week", metavar="YYYY-Www", help="The 7 days of an ISO week.")
@click.option("--month", metavar="YYYY-MM", help="Every day of a month.")
@click.option("--refresh", is_flag=True, help="Fetch again days fetched before.")
@click.pass_obj
def fetch_hf(
    obj: _Context, day: str | None, week: str | None, month: str | None, refresh: bool
) -> None:
    """Hugging Face daily papers, one request per day; days fetched before are skipped."""
    try:
        days = Radar.days(day=day, week=week, month=month)
    except ValueError as exc:
        raise click.UsageError(f"{exc} (--date, --week or --month)") from None
    with obj.radar() as radar:
        _run_fetch(radar.fetch_hf(days, refresh=refresh))


# --- cards: what each paper proposes ------------------------------------------------------------


def _print_card(card: SystemCard) -> None:
    """The system card, a fact a line (empty facts left out)."""
    click.echo(click.style("card", bold=True) + f" ({card.extractor})")
    if card.tldr:
        click.echo(click.wrap_text(f"TL;DR: {card.tldr}", width=88, subsequent_indent="  "))
    facts = (
        ("systems", ", ".join(card.systems)),
        ("kind", card.kind),
        ("tasks", ", ".join(card.tasks)),
        ("benchmarks", ", ".join(card.benchmarks)),
        ("models", ", ".join(card.models)),
        ("code", " ".join(card.code_urls)),
    )
    for name, value in facts:
        if value:
            click.echo(f"{name}: {value}")
    for claim in card.claims:
        against = f" (vs {', '.join(claim.compared_to)})" if claim.compared_to else ""
        click.echo(f"claim: {claim.text}{against}")


@main.command("cards")
@click.option(
    "--batch",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Papers per batch; each batch is committed.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes reading papers (one per core helps on a large store).",
)
@click.option("--status", is_flag=True, help="Only say how many cards are current or pending.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def cards_command(obj: _Context, batch: int, jobs: int, status: bool, as_json: bool) -> None:
    """Build system cards: only for papers new, changed, or carded by an older extractor.

    A card says what a paper proposes (systems, kind), on what (tasks, benchmarks), against
    what (models), by how much (claims), with code where, and a one-line TL;DR. Offline rules
    over the title and abstract; each batch is committed, so it can be stopped and rerun.
    """
    if status:
        with obj.radar() as radar:
            current, pending = radar.cards_status()
            extractor = radar.extractor.version
        if as_json:
            _dump({"extractor": extractor, "current": current, "pending": pending})
        else:
            click.echo(f"{current:,} cards current, {pending:,} pending ({extractor})")
        return
    bar = _IndexProgress("cards") if sys.stderr.isatty() and not as_json else None
    with obj.radar() as radar:
        try:
            report = radar.build_cards(batch=batch, progress=bar, jobs=jobs)
        finally:
            if bar:
                bar.close()
    if as_json:
        _dump(report.as_dict())
        return
    rate = f" ({report.built / report.seconds:.0f}/s)" if report.built and report.seconds else ""
    click.echo(
        f"built {report.built:,} cards, {report.unchanged:,} unchanged, skipped "
        f"{report.skipped:,} already current, {report.papers:,} papers; "
        f"{report.seconds:.1f} s{rate} ({report.extractor})"
    )


# --- accounts: users, libraries, recommendations, digests (papersift.cli_accounts) ------------
from papersift.cli_accounts import register as _register_accounts  # noqa: E402

_register_accounts(main)


# --- pg: moving a store between backends ---------------------------------------------------------
@main.command()
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL|PATH",
    help="The new store: a postgresql:// URL (or a SQLite path). It must hold no papers.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def migrate(obj: _Context, target: str, as_json: bool) -> None:
    """Copy the whole store (--db) into another backend, e.g. SQLite to PostgreSQL.

    Every table is copied (papers, records, keys, state, embeddings …) in one transaction on
    the target, and every table's row count is checked: on any difference nothing is kept.
    """
    with obj.radar() as radar:
        report = radar.migrate_to(
            target,
            progress=None if as_json else lambda t, n: click.echo(f"  {t}: {n:,} rows", err=True),
        )
    if as_json:
        _dump(report.as_dict())
        return
    copied = sum(report.tables.values())
    click.echo(
        f"copied {copied:,} rows in {len(report.tables)} tables from {report.source} "
        f"to {report.target} in {report.seconds:.1f}s (counts checked)"
    )


if __name__ == "__main__":
    main()


# --- serve: the web app and the JSON API -------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--db", "serve_db", metavar="PATH", help="Store to serve (same as the global --db).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (each keeps its own store connection and search index).",
)
@click.option("--digests", is_flag=True, help="Also send the email digests when they are due.")
@click.pass_obj
def serve(
    obj: _Context, host: str, port: int, serve_db: str | None, workers: int, digests: bool
) -> None:
    """Serve the web app (Today, Search, papers) and the JSON API (/api/v1, docs at /api/docs)."""
    import uvicorn

    from papersift.web.app import create_app

    settings = Settings.from_env(os.environ, db=serve_db or obj.db, home=obj.home)
    shown = "localhost" if host in ("127.0.0.1", "::1", "0.0.0.0") else host  # noqa: S104
    click.echo(f"papersift: serving {settings.db}")
    click.echo(f"open http://{shown}:{port}/  (API docs: http://{shown}:{port}/api/docs)")
    if digests:
        from papersift.cli_accounts import start_digest_schedule

        start_digest_schedule(settings)
    if workers == 1:
        uvicorn.run(create_app(settings, warm=True), host=host, port=port, log_level="warning")
        return
    os.environ["PAPERSIFT_DB"] = settings.db  # the workers build their app from the environment
    os.environ["PAPERSIFT_HOME"] = str(settings.home)
    Radar.open(settings).close()  # open (and migrate) the store once, before the workers do
    uvicorn.run(
        "papersift.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


# --- topics: threads, trending threads ------------------------------------------------------------


@main.command()
@click.option("--rebuild", is_flag=True, help="Recluster everything (else new papers join).")
@click.option(
    "--threads", type=click.IntRange(1, 10_000), help="How many threads (with --rebuild)."
)
@click.option("--trending", is_flag=True, help="List the threads growing against their history.")
@click.option(
    "--window",
    type=click.IntRange(1, 3650),
    default=28,
    show_default=True,
    help="Days of recent papers (--trending).",
)
@click.option("--today", metavar="YYYY-MM-DD", help="Reference day (--trending; default: newest).")
@click.option("--limit", type=click.IntRange(0, 100_000), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report and threads as JSON.")
@click.pass_obj
def topics(
    obj: _Context,
    rebuild: bool,
    threads: int | None,
    trending: bool,
    window: int,
    today: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Topic threads: bring them up to date, then list them, largest first.

    Papers embedded since the last build join the thread with the nearest centroid; the first
    run, --rebuild and --threads recluster every embedded paper (about a minute for 60,000).
    Each thread is labelled by its most distinctive phrases. With --trending: threads whose
    papers of the last --window days outnumber their own mean per window before, scored
    log2((recent + 2) / (baseline + 2)).
    """
    with obj.radar() as radar:
        report = radar.build_topics(rebuild or threads is not None, threads=threads)
        if trending:
            hot = radar.trending_topics(limit=limit, today=today, window=window)
            if as_json:
                _dump({"report": report.as_dict(), "trending": [t.as_dict() for t in hot]})
                return
            _print_topics_report(report)
            if not hot:
                click.echo("no thread is growing (or the store has too little history)")
            for hit in hot:
                click.echo(
                    f"{hit.topic.id:>5}  {hit.score:+.2f}  {hit.recent:>4} in {hit.window} days "
                    f"(was {hit.baseline:.1f})  {hit.topic.label}"
                )
            return
        listed = radar.topics()
    if as_json:
        _dump({"report": report.as_dict(), "topics": [t.as_dict() for t in listed[:limit]]})
        return
    _print_topics_report(report)
    for t in listed[:limit]:
        click.echo(f"{t.id:>5}  {t.size:>6,}  {t.label}")
    if len(listed) > limit:
        click.echo(f"… and {len(listed) - limit} more (--limit)")


def _print_topics_report(report: Any) -> None:
    what = "rebuilt" if report.full else "updated"
    click.echo(
        f"{what}: {report.threads:,} threads, {report.papers:,} papers "
        f"({report.joined:,} placed) in {report.seconds:.1f} s\n"
    )


@main.command()
@click.argument("topic_id", type=int)
@click.option("--limit", type=click.IntRange(0, 100_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the thread as JSON.")
@click.pass_obj
def topic(obj: _Context, topic_id: int, limit: int, as_json: bool) -> None:
    """One topic thread: its label, its papers (most central first), its size by month.

    With --json, each listed paper carries its system card (what it proposes, benchmarks,
    models, claims), so the thread's papers can be compared side by side."""
    with obj.radar() as radar:
        thread = radar.topic(topic_id, limit=limit, cards=as_json)
    if as_json:
        _dump(thread.as_dict())
        return
    click.echo(click.style(f"{thread.topic.label}", bold=True) + f"  (thread {thread.topic.id})")
    click.echo(f"{thread.topic.size:,} papers · phrases: {', '.join(thread.topic.phrases)}\n")
    for item in thread.papers:
        day = item.paper.published[:10] if item.paper.published else " " * 10
        click.echo(f"  {day}  {item.paper.id:<18} {item.paper.display_name[:70]}")
    if thread.by_month:
        peak = max(n for _, n in thread.by_month) or 1
        click.echo("\nby month:")
        for month, n in thread.by_month:
            click.echo(f"  {month}  {'█' * max(1 if n else 0, round(20 * n / peak)):<20} {n}")
