"""The labelled seeds, parsed by papersift, for the card tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from papersift.model import Record
from papersift.sources.base import Input
from papersift.sources.detect import detect
from tests.conftest import DATA

SEEDS = DATA / "seeds"
SEED_FILES = ("hf-papers-page-a.txt", "digest-title-pdf-summary.txt", "abstracts-a.txt")


def labelled_seeds() -> list[dict[str, Any]]:
    """Each gold label with the title and abstract papersift parses from its seed file."""
    labels = [json.loads(line) for line in (SEEDS / "labels.jsonl").read_text().splitlines()]
    records: dict[str, list[Record]] = {}
    for name in SEED_FILES:
        source = Input.from_path(SEEDS / name)
        records[name] = [r for r in detect(source).parse(source) if isinstance(r, Record)]
    out = []
    for label in labels:
        record = records[label["file"]][label["index"]]
        assert (record.abstract or "").startswith(label["abstract_start"])
        out.append({**label, "text_title": record.title or "", "text": record.abstract or ""})
    return out


@pytest.fixture(scope="session")
def seeds() -> list[dict[str, Any]]:
    return labelled_seeds()


def seed(seeds: list[dict[str, Any]], title_start: str) -> dict[str, Any]:
    (found,) = [s for s in seeds if s["text_title"].startswith(title_start)]
    return found


def seed_paths() -> list[Path]:
    return [SEEDS / name for name in SEED_FILES]
