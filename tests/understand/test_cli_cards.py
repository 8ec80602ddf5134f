"""`papersift cards` and the card in `papersift show`."""

from __future__ import annotations

from tests.conftest import Cli
from tests.understand.conftest import seed_paths

REQUIRED = {"systems", "kind", "benchmarks", "models", "claims", "code_urls", "tldr"}


def test_cards_command_builds_then_skips(cli: Cli) -> None:
    assert cli("ingest", *map(str, seed_paths())).exit_code == 0
    before = cli.json("cards", "--status", "--json")
    assert (before["current"], before["pending"]) == (0, 136)
    first = cli.json("cards", "--json", "--batch", "30")
    assert (first["built"], first["skipped"], first["papers"]) == (136, 0, 136)
    assert first["extractor"].startswith("rules-")
    assert first["per_second"] > 0
    text = cli("cards")
    assert text.exit_code == 0
    assert "built 0 cards" in text.output and "skipped 136 already current" in text.output
    assert cli("cards", "--batch", "0").exit_code == 2  # a usage error, not a traceback
    status = cli("cards", "--status")
    assert status.exit_code == 0 and "136 cards current, 0 pending" in status.output


def test_show_json_has_the_card(cli: Cli) -> None:
    assert cli("ingest", *map(str, seed_paths())).exit_code == 0
    paper = cli.json("show", "2410.21465", "--json")  # made on demand: no `cards` run yet
    card = paper["card"]
    assert set(card) >= REQUIRED
    assert card["systems"][0] == "ShadowKV"
    assert card["code_urls"] == ["https://github.com/bytedance/ShadowKV"]
    assert "RULER" in card["benchmarks"] and "Llama-3.1-8B" in card["models"]
    assert all({"text", "numbers"} <= set(c) for c in card["claims"])
    assert card["claims"] and card["tldr"]


def test_plain_show_prints_the_card(cli: Cli) -> None:
    assert cli("ingest", *map(str, seed_paths())).exit_code == 0
    result = cli("show", "2410.21465")
    assert result.exit_code == 0
    assert "TL;DR: We present ShadowKV" in result.output
    assert "systems: ShadowKV" in result.output
    assert "code: https://github.com/bytedance/ShadowKV" in result.output


def test_show_of_a_paper_with_a_meaningless_abstract(cli: Cli) -> None:
    text = "Title: A paper about nothing\nPDF: https://arxiv.org/pdf/2501.00001\nSummary: -\n"
    assert cli("ingest", "-", input=text).exit_code == 0
    card = cli.json("show", "2501.00001", "--json")["card"]
    assert set(card) >= REQUIRED
    assert (card["systems"], card["claims"], card["code_urls"]) == ([], [], [])
    assert card["tldr"] == "A paper about nothing"  # the title stands in
    assert cli("show", "no-such-paper", "--json").exit_code == 5


def test_the_demo_sample_comes_carded(cli: Cli) -> None:
    assert cli("demo").exit_code == 0
    status = cli.json("cards", "--status", "--json")
    assert status["pending"] == 0 and status["current"] > 300
    again = cli.json("cards", "--json")
    assert again["built"] == 0
