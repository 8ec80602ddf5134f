"""System cards in the web app: the paper page's card, the TL;DR on Today and search cards, and
`card` in the API's paper JSON."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from papersift.config import Settings
from papersift.model import Paper, SystemCard
from papersift.radar import Radar
from papersift.web.render import math_text

REQUIRED = {"systems", "kind", "benchmarks", "models", "claims", "code_urls", "tldr"}


@pytest.fixture
def full_card(settings: Settings) -> Iterator[tuple[Paper, SystemCard]]:
    """A sample paper whose card has a system, benchmarks, claims and code (found, not fixed)."""
    with Radar.open(settings) as radar:
        for paper in radar.papers():
            card = radar.extractor.extract(paper.title_raw, paper.abstract_raw)
            if card.primary and card.claims and card.code_urls and card.benchmarks:
                yield paper, card
                return
    raise AssertionError("no sample paper with a full card")


def test_api_paper_json_has_the_card(
    client: TestClient, full_card: tuple[Paper, SystemCard]
) -> None:
    paper, card = full_card
    response = client.get(f"/api/v1/papers/{paper.id}")
    assert response.status_code == 200
    data = response.json()
    assert set(data["card"]) >= REQUIRED
    assert data["card"]["paper_id"] == paper.id
    assert data["card"]["systems"] == list(card.systems)
    assert data["card"]["code_urls"][: len(card.code_urls)] == list(card.code_urls)
    assert [c["text"] for c in data["card"]["claims"]] == [c.text for c in card.claims]
    missing = client.get("/api/v1/papers/2699.00000")
    assert missing.status_code == 404 and "error" in missing.json()


def test_paper_page_shows_a_compact_card(
    client: TestClient, full_card: tuple[Paper, SystemCard]
) -> None:
    paper, card = full_card
    page = client.get(f"/papers/{paper.id}").text
    assert 'class="system-card"' in page
    assert f"<strong>{html.escape(math_text(card.systems[0]), quote=False)}</strong>" in page
    assert f'<dd data-card="kind">{card.kind}</dd>' in page
    for url in card.code_urls:
        assert f'href="{html.escape(url)}"' in page
    assert page.count("<tr><td>") == len(card.claims)  # one row a claim
    assert html.escape(math_text(card.benchmarks[0]), quote=False) in page
    # the card sits above the abstract
    assert page.index('class="system-card"') < page.index('id="abstract-h"')


def test_today_and_search_cards_carry_the_tldr(client: TestClient, settings: Settings) -> None:
    today = client.get("/").text
    assert today.count('<p class="tldr">') == today.count('<article class="card"') > 0
    with Radar.open(settings) as radar:  # the Today page stored the cards it showed
        current, _ = radar.cards_status()
        assert current >= today.count('<article class="card"')
    results = client.get("/search", params={"q": "diffusion", "mode": "keyword"}).text
    assert results.count('<p class="tldr">') == results.count('<article class="card"') > 0


def test_hostile_text_in_a_card_is_escaped(client: TestClient) -> None:
    from tests.web.conftest import XSS_ID

    page = client.get(f"/papers/{XSS_ID}").text
    assert "<script>alert(1)</script>" not in page
    assert '<img src=x onerror="alert(2)">' not in page
    card = client.get(f"/api/v1/papers/{XSS_ID}").json()["card"]
    assert set(card) >= REQUIRED


def test_latex_in_a_card_is_rendered(client: TestClient) -> None:
    import json

    from papersift.sources.base import Input

    radar = client.app.state.radar  # type: ignore[attr-defined]
    record = {
        "id": "2607.77777",
        "title": "M$^2$Net: Fast Sampling",
        "summary": "We propose M$^2$Net, a model that is 3$\\times$ faster and 12\\% more "
        "accurate than \\textbf{prior} work.",
        "listing_dates": ["2026-07-03"],
        "categories": ["cs.LG"],
    }
    data = (json.dumps(record) + "\n").encode()
    report = next(iter(radar.ingest([Input.from_bytes("tex.jsonl", data)])))
    assert report.new == 1, report
    card = client.get("/api/v1/papers/2607.77777").json()["card"]
    assert card["claims"] and card["systems"]
    page = client.get("/papers/2607.77777").text
    section = page.split('class="system-card"')[1].split("</section>")[0]
    for raw in ("\\times", "\\%", "$", "\\textbf"):
        assert raw not in section, raw
    assert "12%" in section
