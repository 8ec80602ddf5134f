"""The offline rule extractor on real seed abstracts, and on bad or empty input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papersift.model import CARD_KINDS, SystemCard
from papersift.understand import content_hash, default_extractor, make_card
from papersift.understand.rules import RuleExtractor
from tests.understand.conftest import seed

EXTRACT = default_extractor()


def _card(item: dict[str, Any]) -> SystemCard:
    return EXTRACT.extract(item["text_title"], item["text"])


def test_default_extractor_is_the_versioned_rules() -> None:
    assert isinstance(EXTRACT, RuleExtractor)
    assert EXTRACT.version.startswith("rules-")


def test_an_inference_system_card(seeds: list[dict[str, Any]]) -> None:
    card = _card(seed(seeds, "ShadowKV:"))
    assert card.primary == "ShadowKV"
    assert {"RULER", "LongBench"} <= set(card.benchmarks)
    assert {"Llama-3.1-8B", "Yi-9B-200K", "Qwen2-7B-128K"} <= set(card.models)
    assert "ShadowKV" not in card.models
    assert card.code_urls == ("https://github.com/bytedance/ShadowKV",)
    assert card.project_urls == ()  # a code repository, not a project page
    numbers = {n for claim in card.claims for n in claim.numbers}
    assert {"6times", "3.04times"} <= numbers
    assert "ShadowKV" in card.tldr


def test_a_benchmark_card(seeds: list[dict[str, Any]]) -> None:
    card = _card(seed(seeds, "MMIE:"))
    assert (card.primary, card.kind) == ("MMIE", "benchmark")
    assert "MMIE" in card.benchmarks
    assert card.code_urls == ("https://mmie-bench.github.io/",)  # trailing "." dropped
    assert card.project_urls == card.code_urls
    (claim,) = [c for c in card.claims if "20K" in c.numbers]
    assert {"3", "12", "102"} <= set(claim.numbers)
    assert claim.text in seed(seeds, "MMIE:")["text"]  # verbatim


def test_the_abstracts_spelling_of_the_title_name(seeds: list[dict[str, Any]]) -> None:
    card = _card(seed(seeds, "MANTIS:"))
    assert card.primary == "Mantis"  # the abstract writes it so
    assert {"Mantis-Instruct", "Mantis-8B"} <= set(card.systems)
    assert {"OpenFlamingo", "Idefics2-8B", "CogVLM"} <= set(card.models)
    assert not set(card.systems) & set(card.models)


def test_an_acronym_defined_in_the_abstract(seeds: list[dict[str, Any]]) -> None:
    card = _card(seed(seeds, "Multimodal Graph Learning for Generative Tasks"))
    assert card.primary == "MMGL"
    card = _card(seed(seeds, "Divide, Conquer and Combine"))
    assert card.primary == "DC^2"  # LaTeX debris kept, as the text spells it
    assert "HR-Bench" in card.systems and "HR-Bench" in card.benchmarks


def test_survey_and_analysis_have_no_system(seeds: list[dict[str, Any]]) -> None:
    survey = _card(seed(seeds, "A Survey of Small Language Models"))
    assert (survey.primary, survey.kind) == (None, "survey")
    analysis = _card(seed(seeds, "How Do Large Language Models Acquire Factual Knowledge"))
    assert (analysis.primary, analysis.kind) == (None, "analysis")


def test_abstract_only_paper(seeds: list[dict[str, Any]]) -> None:
    (item,) = [s for s in seeds if s["text"].startswith("Fine-tuning on agent-environment")]
    card = _card(item)
    assert card.primary == "AgentBank"
    assert "Samoyed" in card.systems
    assert card.kind == "dataset"


def test_quality_over_all_labelled_seeds(seeds: list[dict[str, Any]]) -> None:
    cards = [_card(item) for item in seeds]
    primary = sum(c.primary == s["primary_system"] for c, s in zip(cards, seeds, strict=True))
    assert primary / len(seeds) >= 0.85
    for card, item in zip(cards, seeds, strict=True):
        assert set(card.code_urls) == set(item["code_urls"]), item["text_title"]
        assert card.kind in CARD_KINDS
        for claim in card.claims:
            assert claim.text in item["text"]  # claims are verbatim clauses
            assert claim.numbers
        assert len(card.tldr) <= 200


@pytest.mark.parametrize(
    ("title", "abstract"),
    [
        ("", ""),
        ("   ", "   \n "),
        ("Only a title", ""),
        ("", "x"),
        ("", "We propose ."),
        ("$$", "\\textbf{} $\\rightarrow$ ^2 {{{ }}} ((( ))) 100% 2x"),
        ("", "https:// http://"),
        ("", "Nous présentons ÉtéNet, un modèle — 3× plus rapide (12 %) 😀."),
        ("A" * 5000, ("word " * 20000).strip()),
        ("", ". . . ; ; , , ( ) [ ]"),
    ],
)
def test_bad_or_empty_text_gives_a_card_never_an_error(title: str, abstract: str) -> None:
    card = EXTRACT.extract(title, abstract)
    assert card.kind in CARD_KINDS
    assert all(isinstance(s, str) and s for s in card.systems)
    assert all(u.startswith("http") and "://" in u and len(u) > 8 for u in card.code_urls)
    assert len(card.tldr) <= 200


def test_empty_text_gives_an_empty_card() -> None:
    card = EXTRACT.extract("", "")
    assert (card.systems, card.benchmarks, card.models, card.claims, card.code_urls) == (
        (),
        (),
        (),
        (),
        (),
    )
    assert card.tldr == ""


def test_cards_round_trip_and_are_stamped() -> None:
    from papersift.model import Links

    links = Links(code="https://github.com/a/b")
    card = make_card(EXTRACT, "p1", "X: y", "We propose X, a method. It is 2x faster.", links)
    assert card.paper_id == "p1"
    assert card.extractor == EXTRACT.version
    assert card.content_hash == content_hash(
        "X: y", "We propose X, a method. It is 2x faster.", links
    )
    assert "https://github.com/a/b" in card.code_urls  # the source's code link joins
    assert SystemCard.from_dict(card.as_dict()) == card


_PIECES = st.sampled_from(
    [
        "We propose ",
        "we introduce ",
        "called ",
        "(",
        ")",
        "X-Net",
        "ABC",
        "GPT-4o",
        "Llama-3-8B",
        "ImageNet",
        " on ",
        " benchmark",
        ", a ",
        "model",
        " 12.5%",
        " 3x",
        " 2.4B",
        "\\textbf{",
        "}",
        "$",
        "^2",
        "https://github.com/a/b",
        ". ",
        "; ",
        "e.g. ",
        " and ",
        "ÉtéNet",
        "\u00a0",
        "--",
        "...",
        "  ",
    ]
)


@given(
    title=st.lists(_PIECES, max_size=8).map("".join),
    abstract=st.lists(_PIECES | st.text(max_size=6), max_size=40).map("".join),
)
@settings(max_examples=150, deadline=None)
def test_any_text_gives_a_well_formed_card(title: str, abstract: str) -> None:
    card = EXTRACT.extract(title, abstract)
    assert card.kind in CARD_KINDS
    flat = " ".join(abstract.split())
    for claim in card.claims:
        assert claim.text and claim.text in flat  # verbatim, whatever the input
    assert all(s.strip() == s and s for s in card.systems)
    assert len(card.systems) == len(set(card.systems))
    assert all("://" in u for u in card.code_urls)
    assert SystemCard.from_dict(card.as_dict()) == card
