"""Regenerate the sample bundled with papersift (``src/papersift/sample/``), deterministically.

    .venv/bin/python bench/make_sample.py            # from the project root
    .venv/bin/python bench/make_sample.py --data ../shared/data --out src/papersift/sample

What it takes (same input, same bytes out):

* the Hugging Face daily dumps (``hf-daily-papers/daily/*.json.gz``) of the days around the
  arXiv corpus's latest listing date, copied byte for byte;
* ``papers-sample.jsonl.gz``: papers of the latest arXiv corpus month files
  (``arxiv-daily-cs-corpus/papers-YYYY-MM.jsonl.gz``), their lines copied unchanged: first every
  paper that is also on one of those Hugging Face days (so the sample has upvotes), then the most
  recently listed others, up to ``--papers``.

It prints what it wrote and the total size; ``src/papersift/sample/NOTICE`` says where it is from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_MONTHS = 2  # the latest month files of the arXiv corpus
DAYS_BEFORE = 10  # Hugging Face days taken before the corpus's latest listing date …
DAYS_AFTER = 2  # … and after it (HF features papers a few days after their listing)
PAPERS = 240  # corpus papers in the sample
MAX_BYTES = 2 * 1024 * 1024


def _corpus(folder: Path) -> list[tuple[str, dict[str, object]]]:
    """``(raw line, parsed)`` of the latest month files, in file order."""
    rows: list[tuple[str, dict[str, object]]] = []
    for path in sorted(folder.glob("papers-*.jsonl.gz"))[-CORPUS_MONTHS:]:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                if line.strip():
                    rows.append((line.rstrip("\n"), json.loads(line)))
    return rows


def _hf_ids(path: Path) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        doc = json.load(stream)
    items = doc["data"] if isinstance(doc, dict) else doc
    return {str(item["paper"]["id"]) for item in items}


def _listing_dates(paper: dict[str, object]) -> list[str]:
    dates = paper.get("listing_dates")
    return [str(d) for d in dates] if isinstance(dates, list) else []


def make(data: Path, out: Path, papers: int) -> list[Path]:
    rows = _corpus(data / "arxiv-daily-cs-corpus")
    latest = max(d for _, paper in rows for d in _listing_dates(paper))
    last = dt.date.fromisoformat(latest)
    first_day = (last - dt.timedelta(days=DAYS_BEFORE)).isoformat()
    last_day = (last + dt.timedelta(days=DAYS_AFTER)).isoformat()
    days = [
        p
        for p in sorted((data / "hf-daily-papers" / "daily").glob("*.json.gz"))
        if first_day <= p.name[:10] <= last_day
    ]
    on_hf: set[str] = set().union(*(_hf_ids(p) for p in days))

    def rank(row: tuple[str, dict[str, object]]) -> tuple[bool, str]:
        """On Hugging Face first, then the most recently listed."""
        return (str(row[1]["id"]) in on_hf, max(_listing_dates(row[1]), default=""))

    by_id = sorted(rows, key=lambda row: str(row[1]["id"]))
    chosen = sorted(by_id, key=rank, reverse=True)[:papers]  # stable: ties stay in id order
    chosen.sort(key=lambda row: (min(_listing_dates(row[1]), default=""), str(row[1]["id"])))

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.gz"):
        stale.unlink()
    written: list[Path] = []
    for day in days:
        target = out / f"hf-daily-{day.name}"
        shutil.copyfile(day, target)
        written.append(target)
    target = out / "papers-sample.jsonl.gz"
    body = "".join(line + "\n" for line, _ in chosen).encode("utf-8")
    with target.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as stream:
        stream.write(body)
    written.append(target)

    both = sum(1 for _, paper in chosen if str(paper["id"]) in on_hf)
    print(f"latest corpus listing {latest}; Hugging Face days {first_day} .. {last_day}")
    print(f"{len(chosen)} corpus papers ({both} also on Hugging Face), {len(on_hf)} HF papers")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "papersift" / "sample")
    parser.add_argument("--papers", type=int, default=PAPERS)
    args = parser.parse_args()
    written = make(args.data, args.out, args.papers)
    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{size:>10,}  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"{total:>10,}  total")
    if total > MAX_BYTES:
        raise SystemExit(f"the sample is larger than {MAX_BYTES:,} bytes: take fewer papers")


if __name__ == "__main__":
    main()
