"""Exports of papers: JSON lines, CSV and BibTeX. Pure: papers in, text out."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

from papersift.model import Paper

EXPORT_FORMATS = ("jsonl", "csv", "bibtex")
CSV_COLUMNS = (
    "id",
    "arxiv_id",
    "doi",
    "title",
    "display_name",
    "authors",
    "categories",
    "published",
    "updated",
    "listed",
    "upvotes",
    "abs_url",
    "pdf_url",
    "code_url",
    "abstract",
)


def paper_dict(paper: Paper) -> dict[str, object]:
    """The JSON form of a paper (the same in exports, ``show --json`` and the API)."""
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "title": paper.title,
        "title_raw": paper.title_raw,
        "display_name": paper.display_name,
        "abstract": paper.abstract,
        "abstract_raw": paper.abstract_raw,
        "authors": list(paper.authors),
        "categories": list(paper.categories),
        "published": paper.published,
        "submitted": paper.submitted,
        "updated": paper.updated,
        "listed": list(paper.listed),
        "versions": [{"version": v.number, "date": v.date, "size": v.size} for v in paper.versions],
        "urls": paper.links.as_dict(),
        "comments": paper.comments,
        "journal_ref": paper.journal_ref,
        "license": paper.license,
        "upvotes": paper.upvotes,
        "external_ids": {k: v for k, v in paper.external_ids},
        "sources": [
            {"format": s.source, "origin": s.origin, "ref": s.ref, "seen_at": s.seen_at}
            for s in paper.sources
        ],
    }


def to_jsonl(papers: Iterable[Paper]) -> Iterator[str]:
    for paper in papers:
        yield json.dumps(paper_dict(paper), ensure_ascii=False) + "\n"


def to_csv(papers: Iterable[Paper]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        links = paper.links
        writer.writerow(
            [
                paper.id,
                paper.arxiv_id or "",
                paper.doi or "",
                paper.title,
                paper.display_name,
                "; ".join(paper.authors),
                " ".join(paper.categories),
                paper.published or "",
                paper.updated or "",
                " ".join(paper.listed),
                "" if paper.upvotes is None else paper.upvotes,
                links.abs or "",
                links.pdf or "",
                links.code or "",
                paper.abstract,
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


_BIB_SPECIAL = re.compile(r"([&%$#_{}])")


def _bib(value: str) -> str:
    return _BIB_SPECIAL.sub(r"\\\1", value)


def bibtex_key(paper: Paper) -> str:
    surname = re.sub(r"[^A-Za-z]", "", paper.authors[0].split()[-1]) if paper.authors else "anon"
    year = (paper.published or "")[:4]
    word = next((w for w in re.findall(r"[A-Za-z]{4,}", paper.title or paper.display_name)), "")
    suffix = re.sub(r"[^0-9a-z]", "", (paper.arxiv_id or paper.id).lower())[-5:]
    return f"{surname.lower()}{year}{word.lower()}{suffix}"


def to_bibtex(papers: Iterable[Paper]) -> Iterator[str]:
    for paper in papers:
        fields: list[tuple[str, str]] = [
            ("title", "{" + _bib(paper.title or paper.display_name) + "}")
        ]
        if paper.authors:
            fields.append(("author", " and ".join(_bib(a) for a in paper.authors)))
        if paper.published:
            fields.append(("year", paper.published[:4]))
        if paper.arxiv_id:
            fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
            if paper.primary_category:
                fields.append(("primaryClass", paper.primary_category))
        if paper.doi:
            fields.append(("doi", paper.doi))
        if paper.journal_ref:
            fields.append(("journal", _bib(paper.journal_ref)))
        url = paper.links.abs or paper.links.pdf
        if url:
            fields.append(("url", url))
        if paper.abstract:
            fields.append(("abstract", _bib(paper.abstract)))
        kind = "article" if paper.journal_ref else "misc"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        yield f"@{kind}{{{bibtex_key(paper)},\n{body}\n}}\n\n"


def export(papers: Iterable[Paper], fmt: str) -> Iterator[str]:
    writer = {"jsonl": to_jsonl, "csv": to_csv, "bibtex": to_bibtex}[fmt]
    return writer(papers)
