"""The system card on the paper page and the TL;DR on Today's cards, in real Chromium."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from papersift.config import Settings
from papersift.radar import Radar
from tests.web.e2e.conftest import Tab


def _paper_with_full_card(store: Path) -> tuple[str, str, int]:
    with Radar.open(Settings(home=store.parent, db=str(store))) as radar:
        for paper in radar.papers():
            card = radar.extractor.extract(paper.title_raw, paper.abstract_raw)
            if card.primary and card.claims and card.code_urls:
                return paper.id, card.primary, len(card.claims)
    raise AssertionError("no sample paper with a full card")


def test_paper_page_shows_its_card(tab: Tab, sample_store: Path) -> None:
    paper_id, primary, claims = _paper_with_full_card(sample_store)
    tab.go(f"/papers/{paper_id}")
    card = tab.page.locator("section.system-card")
    expect(card).to_be_visible()
    expect(card.locator("[data-card=systems] strong")).to_have_text(primary)
    expect(card.locator("table.sc-claims tbody tr")).to_have_count(claims)
    expect(card.locator("[data-card=code] a").first).to_have_attribute(
        "href", re.compile(r"^https?://")
    )
    tab.shot("cards-paper")
    tab.go("/")
    expect(tab.page.locator("article.card .tldr").first).to_be_visible()
    assert tab.problems == []
