"""`papersift search` and `papersift similar` on the command line."""

from __future__ import annotations

import json

import pytest

from papersift.radar import Radar
from tests.conftest import Cli
from tests.search.test_hybrid import ADVERSARIAL


@pytest.fixture(scope="module")
def kcli(keyword_radar: Radar, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The command line on the shared keyword store (read only)."""
    return Cli(keyword_radar.store.location, tmp_path_factory.mktemp("home"))


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_any_query_exits_zero(kcli: Cli, text: str) -> None:
    if "\x00" in text:
        text = text.replace("\x00", " ")  # the OS cannot pass a NUL in an argument
    plain = kcli("search", "--limit", "3", "--", text)  # after --, any text is the query
    assert plain.exit_code == 0, plain.output
    data = json.loads(kcli("search", "--limit", "3", "--json", "--", text).stdout)
    assert isinstance(data["hits"], list)
    assert len(data["hits"]) <= 3


def test_a_query_may_start_with_a_dash(kcli: Cli) -> None:
    result = kcli("search", "-llm", "cat:cs.CL", "--json", "--limit", "50")  # no -- needed
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert hits
    assert all("cs.CL" in h["categories"] for h in hits)
    assert all("llm" not in h["title"].lower().split() for h in hits)


def test_json_shape_and_ids_that_show_understands(kcli: Cli) -> None:
    data = kcli.json("search", "speculative decoding", "--json", "--limit", "5")
    assert set(data) >= {"query", "mode", "offset", "limit", "total", "partial", "notes", "hits"}
    assert data["query"] == "speculative decoding"
    assert data["limit"] == 5 and data["offset"] == 0
    assert 0 < len(data["hits"]) <= 5
    for hit in data["hits"]:
        assert {"id", "title", "score", "why", "mode", "matched_terms"} <= set(hit)
        assert isinstance(hit["score"], float)
    first = data["hits"][0]
    assert "speculative" in first["matched_terms"]
    assert kcli.json("show", first["id"], "--json")["title"] == first["title"]


def test_words_on_the_command_line_are_one_query(kcli: Cli) -> None:
    joined = kcli.json("search", "speculative", "decoding", "--json")
    quoted = kcli.json("search", "speculative decoding", "--json")
    assert [h["id"] for h in joined["hits"]] == [h["id"] for h in quoted["hits"]]


def test_text_output_and_paging(kcli: Cli) -> None:
    result = kcli("search", "diffusion", "--mode", "keyword", "--limit", "4")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  1. ")
    assert "matched diffusion" in result.stdout
    assert "1-4 of " in result.stdout and "(next: --offset 4)" in result.stdout
    page2 = kcli.json("search", "diffusion", "--mode", "keyword", "--offset", "4", "--json")
    assert page2["offset"] == 4
    first4 = kcli.json("search", "diffusion", "--mode", "keyword", "--limit", "4", "--json")
    assert not {h["id"] for h in first4["hits"]} & {h["id"] for h in page2["hits"]}


def test_limits_and_bad_values(kcli: Cli) -> None:
    many = kcli.json("search", "learning", "--mode", "keyword", "--limit", "10000", "--json")
    assert len(many["hits"]) == min(many["total"], 10_000)
    too_many = kcli("search", "x", "--limit", "100001")
    assert too_many.exit_code == 2
    bad_date = kcli("search", "x", "--since", "soon")
    assert bad_date.exit_code == 2
    assert "not a date" in bad_date.output
    assert "Traceback" not in bad_date.output


def test_filters_on_the_command_line(kcli: Cli) -> None:
    data = kcli.json(
        "search",
        "model",
        "--category",
        "cs.RO",
        "--since",
        "2025-03-20",
        "--until",
        "2025-03-22",
        "--json",
        "--limit",
        "100",
    )
    assert data["hits"]
    for hit in data["hits"]:
        assert "cs.RO" in hit["categories"]
        assert "2025-03-20" <= hit["published"][:10] <= "2025-03-22"


def test_notes_go_to_stderr(kcli: Cli) -> None:
    result = kcli("search", "diffusion", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # stdout stays pure JSON
    for note in data["notes"]:
        assert f"note: {note}" in result.stderr


def test_similar_on_the_command_line(kcli: Cli) -> None:
    target = kcli.json("search", "speculative decoding", "--json")["hits"][0]["id"]
    data = kcli.json("similar", target, "--json", "--limit", "5")
    assert data["id"] == target
    assert data["mode"] == "keyword"  # this store has no embeddings
    assert "run `papersift index`" in kcli("similar", target).stderr
    assert len(data["hits"]) == 5
    assert target not in [h["id"] for h in data["hits"]]
    assert all({"id", "title", "score", "why"} <= set(h) for h in data["hits"])
    text = kcli("similar", target, "--limit", "3")
    assert text.exit_code == 0 and text.stdout.startswith("Like ")
    missing = kcli("similar", "0000.00000")
    assert missing.exit_code == 5
    assert "no paper" in missing.output
