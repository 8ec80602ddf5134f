"""`papersift index`: embeds only what is new or changed, batch by batch, and says so."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.radar import SAMPLE_DIR, Radar
from papersift.search.embed import load_encoder
from papersift.sources.base import Input
from tests.conftest import Cli, ingest
from tests.search.conftest import SEEDS

FIVE = "\n".join((SEEDS / "abstracts-a.txt").read_text(encoding="utf-8").splitlines()[:5]) + "\n"


def _computed() -> int:
    return load_encoder().encoded


def _five(radar: Radar) -> None:
    """Five real abstract-only papers."""
    (report,) = radar.ingest([Input.from_bytes("five.txt", FIVE.encode())])
    assert report.new == 5


def test_index_embeds_only_what_changed(backend_radar: Radar) -> None:
    radar = backend_radar
    _five(radar)
    assert radar.index_status() == (0, 5)
    before = _computed()
    first = radar.index(batch=2)
    assert (first.embedded, first.skipped, first.papers) == (5, 0, 5)
    assert _computed() - before == 5
    assert radar.index_status() == (5, 0)

    again = radar.index()
    assert (again.embedded, again.skipped) == (0, 5)
    assert _computed() - before == 5  # nothing recomputed

    paper = next(iter(radar.papers()))
    store = radar.store
    with store.atomic():  # a field that is not embedded: nothing to do
        store.save_paper(dataclasses.replace(paper, upvotes=42), [])
    assert radar.index_status() == (5, 0)
    with store.atomic():  # the abstract changed: that paper alone is embedded again
        store.save_paper(dataclasses.replace(paper, abstract=paper.abstract + " Also, cats."), [])
    assert radar.index_status() == (5, 1)  # the old vector serves until then
    changed = radar.index()
    assert (changed.embedded, changed.unchanged, changed.skipped) == (1, 0, 4)
    assert _computed() - before == 6

    with store.atomic():  # back to the text embedded before: its vector is kept, not recomputed
        store.save_paper(paper, [])
    assert radar.index_status() == (5, 1)
    reverted = radar.index()
    assert (reverted.embedded, reverted.unchanged) == (1, 0)  # the vector on file was for cats
    with store.atomic():
        store.save_paper(dataclasses.replace(paper, title=paper.title), [])  # same text
    assert radar.index_status() == (5, 0)
    assert _computed() - before == 7


def test_stale_paper_with_the_same_text_keeps_its_vector(backend_radar: Radar) -> None:
    radar = backend_radar
    _five(radar)
    radar.index()
    paper = next(iter(radar.papers()))
    store = radar.store
    with store.atomic():  # only whitespace changes: the embedded text is the same
        store.save_paper(dataclasses.replace(paper, abstract=paper.abstract + "  "), [])
    assert radar.index_status() == (5, 1)
    before = _computed()
    report = radar.index()
    assert (report.embedded, report.unchanged) == (0, 1)
    assert _computed() == before
    assert radar.index_status() == (5, 0)


def test_an_interrupted_index_keeps_finished_batches(backend_radar: Radar) -> None:
    radar = backend_radar
    _five(radar)
    calls = []

    def stop_after_first_batch(done: int, total: int) -> None:
        calls.append((done, total))
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        radar.index(batch=2, progress=stop_after_first_batch)
    assert calls == [(0, 5), (2, 5)]
    assert radar.index_status() == (2, 3)
    rest = radar.index(batch=2)
    assert (rest.embedded, rest.skipped) == (3, 2)


def test_cli_index_reports_counts(cli: Cli) -> None:
    assert cli("ingest", "-", input=FIVE).exit_code == 0
    first = cli.json("index", "--json", "--batch", "3")
    assert first["embedded"] == 5 and first["skipped"] == 0 and first["papers"] == 5
    assert first["model"].startswith("all-MiniLM-L6-v2@")
    assert first["per_second"] > 0
    text = cli("index")
    assert text.exit_code == 0
    assert "embedded 0, skipped 5 already current, 5 papers" in text.output
    assert cli("index", "--batch", "0").exit_code == 2  # a usage error, not a traceback


def test_demo_leaves_the_sample_searchable_by_meaning(cli: Cli, tmp_path: Path) -> None:
    assert (SAMPLE_DIR / "embeddings.npz").exists()
    before = _computed()
    assert cli("demo").exit_code == 0
    report = cli.json("index", "--json")
    assert report["embedded"] == 0  # the bundled vectors cover the whole sample
    assert report["skipped"] == report["papers"] > 300
    assert _computed() == before
    with Radar.open(Settings(home=tmp_path, db=str(cli.db))) as radar:
        assert radar.index_status() == (report["papers"], 0)
        hits = radar.search("shrinking the memory of attention caches", mode="semantic")
        assert hits.hits and not hits.partial


def test_deleted_papers_take_their_vectors_along(embedded_any: Radar) -> None:
    radar = embedded_any
    papers = list(radar.papers())
    loser, winner = papers[0], papers[1]
    semantic = radar.embeddings()
    assert semantic.vector_of(loser.id) is not None
    found = [pid for pid, _ in semantic.search(semantic.vector_of(loser.id), 3)]
    assert found[0] == loser.id
    with radar.store.atomic():
        radar.store.fold(loser.id, winner.id)
    assert radar.index_status() == (85, 0)
    found = [pid for pid, _ in semantic.search(semantic.index().vector_of(winner.id), 86)]
    assert loser.id not in found and len(found) == 85
    assert semantic.vector_of(loser.id) is None


def test_search_says_results_are_partial_until_indexed(embedded_any: Radar) -> None:
    radar = embedded_any
    ingest(radar, SEEDS / "digest-title-pdf-summary.txt")  # 50 more, not embedded
    assert radar.index_status() == (86, 50)
    result = radar.search("retrieval augmented generation", mode="semantic")
    assert result.partial and result.pending == 50


def test_progress_bar_shows_counts_rate_and_eta(capsys: pytest.CaptureFixture[str]) -> None:
    from papersift.cli import _IndexProgress

    bar = _IndexProgress("embedding")
    bar.started -= 10  # ten seconds in
    bar(50, 200)
    shown = capsys.readouterr().err
    assert "50/200" in shown and "5.0/s" in shown and "ETA 0m30s" in shown
    assert "[#######" in shown
    bar(200, 200)
    assert "ETA" not in capsys.readouterr().err
