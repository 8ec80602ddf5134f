"""System-card quality on the hand-labelled seeds, and extraction speed on the real corpus.

    .venv/bin/python bench/cards.py                 # quality (both halves + all) and speed
    .venv/bin/python bench/cards.py quality [--errors FIELD] [--labels PATH]
                                        # PATH: another labels.jsonl, its listings beside it
    .venv/bin/python bench/cards.py names           # title-less name recovery on the corpus
    .venv/bin/python bench/cards.py speed [N]       # N papers of the 60k corpus (default 5000)
    .venv/bin/python bench/cards.py corpus          # all 60k: no error, claims verbatim

Quality: ``../shared/data/seeds/labels.jsonl`` (136 papers, see the seeds README) is split in two
halves by position (even / odd line) - rules were developed looking at the even half; the odd half
shows how they generalise. Per field, precision / recall / F1 over the (paper, value) pairs:
names compared exactly; the primary system as exact match of ``None``-or-name per paper; claims
as the gold claims matched by a predicted claim sharing a number and overlapping its text, and as
claim numbers (multiset per paper).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from papersift.model import Record, SystemCard
from papersift.sources.base import Input
from papersift.sources.detect import detect
from papersift.understand import default_extractor

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = DATA / "seeds"
CORPUS = sorted((DATA / "arxiv-daily-cs-corpus").glob("papers-*.jsonl.gz"))
LIST_FIELDS = ("systems", "benchmarks", "models", "code_urls")


def labelled(path: Path = SEEDS / "labels.jsonl") -> list[dict[str, object]]:
    """Each label with the title and abstract its listing file (beside the labels) gives,
    parsed by papersift."""
    lines = path.read_text().splitlines()
    labels = [json.loads(line) for line in lines if line.strip()]
    records: dict[str, list[Record]] = {}
    for name in sorted({str(label["file"]) for label in labels}):
        source = Input.from_path(path.parent / name)
        records[name] = [r for r in detect(source).parse(source) if isinstance(r, Record)]
    out = []
    for label in labels:
        record = records[str(label["file"])][int(str(label["index"]))]
        assert (record.abstract or "").startswith(str(label["abstract_start"])), label
        out.append({**label, "title_text": record.title or "", "abstract": record.abstract or ""})
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _claims_match(card: SystemCard, gold: list[dict[str, object]]) -> tuple[int, int, int]:
    matched_gold = 0
    used: set[int] = set()
    for claim in gold:
        text = str(claim["text"])
        numbers = {str(n) for n in claim["numbers"]}  # type: ignore[attr-defined]
        for i, predicted in enumerate(card.claims):
            overlap = (
                predicted.text in text
                or text in predicted.text
                or (len(set(predicted.text.split()) & set(text.split())) >= 3)
            )
            if overlap and numbers & set(predicted.numbers):
                matched_gold += 1
                used.add(i)
                break
    return matched_gold, len(card.claims) - len(used), len(gold) - matched_gold


def score(items: list[dict[str, object]], cards: list[SystemCard]) -> dict[str, tuple[float, ...]]:
    counts: dict[str, list[int]] = {f: [0, 0, 0] for f in (*LIST_FIELDS, "claims", "numbers")}
    primary_ok = kind_ok = 0
    for item, card in zip(items, cards, strict=True):
        primary_ok += card.primary == item["primary_system"]
        kind_ok += card.kind == item["kind"]
        for field in LIST_FIELDS:
            gold = set(map(str, item[field]))  # type: ignore[call-overload]
            got = set(getattr(card, field))
            c = counts[field]
            c[0] += len(gold & got)
            c[1] += len(got - gold)
            c[2] += len(gold - got)
        gold_claims = list(item["claims"])  # type: ignore[call-overload]
        tp, fp, fn = _claims_match(card, gold_claims)
        c = counts["claims"]
        c[0], c[1], c[2] = c[0] + tp, c[1] + fp, c[2] + fn
        gold_numbers = Counter(str(n) for cl in gold_claims for n in cl["numbers"])
        got_numbers = Counter(n for cl in card.claims for n in cl.numbers)
        c = counts["numbers"]
        c[0] += sum((gold_numbers & got_numbers).values())
        c[1] += sum((got_numbers - gold_numbers).values())
        c[2] += sum((gold_numbers - got_numbers).values())
    n = len(items)
    out: dict[str, tuple[float, ...]] = {
        "primary system (exact)": (primary_ok / n,),
        "kind (exact)": (kind_ok / n,),
    }
    for field, (tp, fp, fn) in counts.items():
        out[field] = _prf(tp, fp, fn)
    return out


def quality(errors: str | None = None, path: Path = SEEDS / "labels.jsonl") -> None:
    items = labelled(path)
    extractor = default_extractor()
    cards = [extractor.extract(str(i["title_text"]), str(i["abstract"])) for i in items]
    halves = {
        "dev (even)": list(range(0, len(items), 2)),
        "held (odd)": list(range(1, len(items), 2)),
        "all": list(range(len(items))),
    }
    results = {
        name: score([items[i] for i in idx], [cards[i] for i in idx])
        for name, idx in halves.items()
    }
    print(f"extractor {extractor.version}; {len(items)} labelled seed papers")
    print(f"{'field':<24}" + "".join(f"{name + ' P/R/F1':>26}" for name in halves))
    for field in results["all"]:
        row = f"{field:<24}"
        for name in halves:
            values = results[name][field]
            row += f"{' / '.join(f'{v:.2f}' for v in values):>26}"
        print(row)
    if errors:  # on the development half only: the other one stays for checking
        for item, card in list(zip(items, cards, strict=True))[::2]:
            got: object
            if errors == "primary":
                gold, got = item["primary_system"], card.primary
            elif errors == "kind":
                gold, got = item["kind"], card.kind
            elif errors == "claims":
                gold = [(c["text"], c["numbers"]) for c in item["claims"]]  # type: ignore[attr-defined]
                got = [(c.text, c.numbers) for c in card.claims]
            else:
                gold, got = item[errors], list(getattr(card, errors))
            if (gold if errors != "code_urls" else set(gold)) != (  # type: ignore[arg-type]
                got if errors != "code_urls" else set(got)  # type: ignore[arg-type]
            ):
                print(f"\n{item['file']}#{item['index']} {str(item['title_text'])[:70]}")
                print(f"  gold: {gold}\n  got:  {got}")


def speed(limit: int = 5000) -> None:
    papers: list[tuple[str, str]] = []
    for path in CORPUS:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                papers.append(
                    (row.get("title") or "", row.get("abstract") or row.get("summary", ""))
                )
                if len(papers) >= limit:
                    break
        if len(papers) >= limit:
            break
    extractor = default_extractor()
    extractor.extract("warm up", "We propose X.")  # lexicons load once
    start = time.perf_counter()
    kinds: Counter[str] = Counter()
    named = with_claims = 0
    for title, abstract in papers:
        card = extractor.extract(title, abstract)
        kinds[card.kind] += 1
        named += card.primary is not None
        with_claims += bool(card.claims)
    seconds = time.perf_counter() - start
    print(
        f"extractor {extractor.version}: {len(papers)} corpus papers in {seconds:.1f} s "
        f"= {len(papers) / seconds:.0f} papers/s (one process)"
    )
    print(
        f"  with a primary system: {named / len(papers):.0%}; with claims: "
        f"{with_claims / len(papers):.0%}; kinds: {dict(kinds.most_common())}"
    )


def title_names(path: Path, limit: int = 400) -> None:
    """A check beyond the 136 labels: corpus papers titled "Name: …" (a name-like single token
    the abstract also uses) give a free label. The title is withheld; does the extractor find
    the name from the abstract alone? (Rules were tuned looking at errors of 2026-03 only.)"""
    import re

    from papersift.understand.text import is_namey

    extractor = default_extractor()
    total = found = none = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            match = re.match(r"^([A-Za-z0-9][\w^+-]*)\s*:\s", row.get("title") or "")
            abstract = row.get("summary") or ""
            if not match or not is_namey(match.group(1)):
                continue
            name = match.group(1)
            if not re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", abstract):
                continue
            card = extractor.extract("", abstract)
            total += 1
            found += card.primary == name
            none += card.primary is None
            if total >= limit:
                break
    print(
        f"title-less name recovery on {path.name}: {total} papers, exact {found / total:.3f}, "
        f"no name {none / total:.3f}, another name {(total - found - none) / total:.3f}"
    )


def corpus() -> None:
    """Every paper of the 60k corpus through the extractor: no exception, and every claim's
    text verbatim in its (whitespace-normalised) abstract."""
    extractor = default_extractor()
    papers = failed = 0
    start = time.perf_counter()
    for path in CORPUS:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                abstract = " ".join((row.get("summary") or row.get("abstract") or "").split())
                papers += 1
                try:
                    card = extractor.extract(row.get("title") or "", abstract)
                    if any(claim.text not in abstract for claim in card.claims):
                        raise AssertionError("a claim is not verbatim")
                except Exception as exc:  # report, count, carry on
                    failed += 1
                    print(f"  {row.get('id')}: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - start
    print(f"corpus: {papers} papers in {seconds:.1f} s ({papers / seconds:.0f}/s), {failed} failed")


def main(argv: list[str]) -> None:
    what = argv[0] if argv else "all"
    if what in ("quality", "all"):
        field = argv[argv.index("--errors") + 1] if "--errors" in argv else None
        labels = Path(argv[argv.index("--labels") + 1]) if "--labels" in argv else None
        quality(field, labels or SEEDS / "labels.jsonl")
    if what in ("names", "all"):
        print()
        for month in ("2025-09", "2026-06"):
            title_names(DATA / "arxiv-daily-cs-corpus" / f"papers-{month}.jsonl.gz")
    if what == "corpus":
        corpus()
    if what in ("speed", "all"):
        print()
        speed(int(argv[1]) if what == "speed" and len(argv) > 1 else 5000)


if __name__ == "__main__":
    main(sys.argv[1:])
