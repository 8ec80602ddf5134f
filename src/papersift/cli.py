"""The command line: one command per facade call, thin. Errors become exit codes here, once."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from papersift.config import Settings
from papersift.errors import PapersiftError
from papersift.radar import Radar

EXIT_REJECTED = 1  # some records were rejected; the rest went in
EXIT_REFUSED = 3  # some input was refused whole; it changed nothing

SAMPLE_DIR = Path(__file__).parent / "sample"


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
@click.option("--db", metavar="PATH", help="Store to use (SQLite file). Env PAPERSIFT_DB.")
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
            progress=(lambda n: click.echo(f"\r  {n:,} records…", nl=False, err=True))
            if show_progress
            else None,
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


def _print_report(report: Any) -> None:
    if report.error:
        click.echo(f"{report.origin}: refused: {report.error}")
        return
    click.echo(
        f"{report.origin} [{report.format}]: {report.new} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
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
    if as_json:
        _dump(paper_dict(paper))
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
@click.pass_obj
def demo(obj: _Context, limit: int) -> None:
    """Load the bundled sample (no network needed) and show what is there."""
    with obj.radar() as radar:
        for report in radar.ingest(radar.inputs([str(SAMPLE_DIR)])):
            _print_report(report)
        data = radar.stats()
        click.echo(f"\n{data['papers']:,} papers in {data['store']}\n")
        papers = sorted(
            radar.papers(), key=lambda p: (p.upvotes or 0, p.published or ""), reverse=True
        )[:limit]
    for paper in papers:
        votes = f"▲{paper.upvotes:<4}" if paper.upvotes is not None else "     "
        click.echo(f"{votes} {paper.id:<12} {paper.display_name[:90]}")


if __name__ == "__main__":
    main()
