"""Recommendations on the bundled sample with its real MiniLM vectors."""

from __future__ import annotations

import re

from papersift.model import Preferences
from papersift.radar import Radar
from tests.conftest import Cli

KV = ("2502.16886", "2606.24033")


def _kv(title: str) -> bool:
    t = title.casefold()
    return "kv" in t or "cache" in t


def test_close_to_the_library_with_reasons(sample: Radar) -> None:
    alice = sample.user("alice")
    sample.library_add(alice, KV)
    result = sample.recommend(alice, limit=10)
    assert len(result.picks) == 10
    assert not set(KV) & {p.id for p in result.picks}  # never what is in the library
    top = result.picks[0]
    assert top.id == "2606.31145", top.title  # SeKV: the one other KV-cache LLM paper
    assert "in your library" in top.reason and top.near and set(top.near) <= set(KV)
    assert any(sample.get(n).display_name[:20] in top.reason for n in top.near)
    scores = [p.score for p in result.picks]
    assert scores == sorted(scores, reverse=True)


def test_negatives_and_hidden_papers(sample: Radar) -> None:
    alice = sample.user("alice")
    sample.library_add(alice, KV)
    first = sample.recommend(alice, limit=5).picks
    dismissed, read, disliked = first[0].id, first[1].id, first[2].id
    sample.library_mark(alice, dismissed, not_interested=True)
    sample.library_mark(alice, read, read=True)
    sample.library_mark(alice, disliked, rating=-1)
    everything = sample.recommend(alice, limit=10_000)
    ids = [p.id for p in everything.picks]
    assert not {dismissed, read, disliked} & set(ids)
    total = sample.store.count_papers()
    assert len(ids) == everything.candidates == total - 5  # every other paper, ranked


def test_keywords_categories_since_and_topics(sample: Radar) -> None:
    user = sample.user("erin")
    assert sample.recommend(user).picks == ()  # nothing to go on
    assert "save papers" in sample.recommend(user).notes[0]
    sample.set_preferences(user, Preferences(topics=("KV cache compression for LLM inference",)))
    cold = sample.recommend(user, limit=5)
    assert _kv(cold.picks[0].title) and "your topic" in cold.picks[0].reason
    sample.set_preferences(
        user,
        Preferences(
            topics=("KV cache compression for LLM inference",),
            exclude_keywords=("cache",),
            include_keywords=("quantization",),
        ),
    )
    steered = sample.recommend(user, limit=20).picks
    for pick in steered:  # no paper with the word "cache" (the full-text index's words)
        paper = sample.get(pick.id)
        assert not re.search(r"\bcache\b", f"{paper.title} {paper.abstract}".casefold())
    assert any(
        p.keywords == ("quantization",) and "matches quantization" in p.reason for p in steered
    )
    sample.set_preferences(user, Preferences(topics=("language models",), categories=("cs.CV",)))
    assert all("cs.CV" in p.categories for p in sample.recommend(user, limit=20).picks)
    since = sample.recommend(user, since="2026-07-01", limit=50).picks
    assert since and all((p.published or "")[:10] >= "2026-07-01" for p in since)


def test_cli_recommend_json(sample_cli: Cli) -> None:
    assert sample_cli("library", "add", "--user", "frank", *KV).exit_code == 0
    data = sample_cli.json("recommend", "--user", "frank", "--limit", "10000", "--json")
    assert len(data["hits"]) > 300
    hit = data["hits"][0]
    assert {"id", "title", "score", "reason"} <= set(hit)
    plain = sample_cli("recommend", "--user", "frank", "--limit", "3")
    assert plain.exit_code == 0 and plain.output.count("in your library") == 3


def test_recommendations_for_one_tag(sample: Radar) -> None:
    user = sample.user("jan")
    sample.library_add(user, KV, tags=["kv"])
    sample.library_add(user, ["2606.23050"], tags=["ocr"])  # "Unlimited OCR Works"
    kv = sample.recommend(user, limit=3, tag="KV")
    assert kv.picks[0].id == "2606.31145"
    assert all(set(p.near) <= set(KV) for p in kv.picks)
    ocr = sample.recommend(user, limit=3, tag="ocr")
    assert all(p.near == ("2606.23050",) or not p.near for p in ocr.picks)
    assert ocr.picks[0].id != kv.picks[0].id
    assert sample.recommend(user, tag="none of these").picks == ()


def test_cold_start_from_a_topic_thread(sample: Radar) -> None:
    sample.build_topics(full=True)
    topic = sample.paper_topic("2606.31145")
    assert topic is not None
    members = {t.paper.id for t in sample.topic(topic.id, limit=None).papers}
    user = sample.user("kim")
    sample.set_preferences(user, Preferences(topics=(str(topic.id),)))
    picks = sample.recommend(user, limit=5).picks
    assert picks and all(f"your topic “{topic.label}”" in p.reason for p in picks)
    assert sum(p.id in members for p in picks) >= 3  # mostly the thread's own papers
    sample.set_preferences(user, Preferences(topics=("99999",)))  # no such thread
    assert sample.recommend(user).picks == ()
