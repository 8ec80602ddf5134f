"""Topic threads on the real seed papers, embedded by the real model."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from papersift.errors import TopicNotFoundError, TopicsUnavailableError
from papersift.radar import Radar
from papersift.topics.labels import STOPWORDS
from tests.conftest import ingest
from tests.topics.conftest import SEED_COUNT, SEEDS, find, seeded

SHADOWKV = "ShadowKV: KV Cache in Shadows"
KV_TRADEOFF = "As large language models (LLMs) process increasing context windows, the memory usage"


def test_kv_cache_papers_land_in_one_thread_labelled_by_it(topics_radar: Radar) -> None:
    shadow = topics_radar.paper_topic(find(topics_radar, title=SHADOWKV))
    tradeoff = topics_radar.paper_topic(find(topics_radar, abstract=KV_TRADEOFF))
    assert shadow is not None and tradeoff is not None
    assert shadow.id == tradeoff.id
    assert "kv cache" in shadow.phrases[:3]


def test_a_thread_brings_its_papers_cards_to_compare(topics_radar: Radar) -> None:
    shadow_id = find(topics_radar, title=SHADOWKV)
    kv = topics_radar.paper_topic(shadow_id)
    assert kv is not None
    plain = topics_radar.topic(kv.id, limit=None)
    assert all(item.card is None for item in plain.papers)
    carded = topics_radar.topic(kv.id, limit=None, cards=True)
    assert [i.paper.id for i in carded.papers] == [i.paper.id for i in plain.papers]
    cards = {item.paper.id: item.card for item in carded.papers}
    assert all(card is not None for card in cards.values())
    shadow = cards[shadow_id]
    assert shadow is not None and shadow.systems[:1] == ("ShadowKV",)
    listed = carded.as_dict()["papers"]
    assert isinstance(listed, list) and all("claims" in p["card"] for p in listed)


def test_every_paper_is_in_exactly_one_thread(topics_radar: Radar) -> None:
    listed = topics_radar.topics()
    assert 3 <= len(listed) <= 20
    assert sum(t.size for t in listed) == SEED_COUNT
    members = [p.paper.id for t in listed for p in topics_radar.topic(t.id, limit=None).papers]
    assert len(members) == len(set(members)) == SEED_COUNT
    assert [t.size for t in listed] == sorted((t.size for t in listed), reverse=True)


def test_labels_are_readable_phrases_of_the_threads_papers(topics_radar: Radar) -> None:
    for t in topics_radar.topics():
        assert t.phrases, t
        assert t.label == " · ".join(t.phrases[:3])
        text = " ".join(
            f"{p.paper.title} {p.paper.abstract}".lower()
            for p in topics_radar.topic(t.id, limit=None).papers
        )
        words = set(re.findall(r"[a-z0-9][a-z0-9\-]*", text)) | {"llms", "mllms", "vlms", "kv"}
        for phrase in t.phrases:
            parts = phrase.split()
            assert 1 <= len(parts) <= 3, phrase
            assert parts[0] not in STOPWORDS and parts[-1] not in STOPWORDS, phrase
            assert not any(w.isdigit() for w in parts), phrase
            assert set(parts) <= words, (phrase, t.id)
        assert len(set(t.phrases)) == len(t.phrases)


def test_thread_lists_central_papers_first_and_months(topics_radar: Radar) -> None:
    biggest = topics_radar.topics()[0]
    thread = topics_radar.topic(biggest.id, limit=5)
    assert len(thread.papers) == 5
    sims = [p.similarity for p in thread.papers]
    assert sims == sorted(sims, reverse=True)
    assert all(0.0 < s <= 1.0 for s in sims)
    counted = sum(n for _, n in thread.by_month)
    dated = [p for p in topics_radar.topic(biggest.id, limit=None).papers if p.paper.published]
    assert counted == len(dated)


def test_map_places_every_paper_and_keeps_a_thread_together(topics_radar: Radar) -> None:
    points = topics_radar.map_points()
    assert len(points.ids) == SEED_COUNT == len(points.x) == len(points.y) == len(points.title)
    assert all(math.isfinite(v) for v in (*points.x, *points.y))
    where = {pid: (x, y) for pid, x, y in zip(points.ids, points.x, points.y, strict=True)}
    a = where[find(topics_radar, title=SHADOWKV)]
    b = where[find(topics_radar, abstract=KV_TRADEOFF)]
    pairs = [
        math.dist(where[p], where[q]) for i, p in enumerate(points.ids) for q in points.ids[i + 1 :]
    ]
    pairs.sort()
    assert math.dist(a, b) < pairs[len(pairs) // 4]  # closer than 3/4 of all pairs
    data = points.as_dict()
    assert data["count"] == SEED_COUNT and len(data["topics"]) == len(topics_radar.topics())


def test_rebuild_is_deterministic_and_keeps_thread_ids(
    tmp_path: Path, seed_vectors: Path, topics_radar: Radar
) -> None:
    with seeded(tmp_path, seed_vectors) as radar:
        first = radar.build_topics(full=True)
        before = {m.paper_id: m.topic for m in radar.store.topic_members()}
        labels = {t.id: t.label for t in radar.topics()}
        again = radar.build_topics(full=True)
        assert first.full and again.full and again.threads == first.threads
        assert {m.paper_id: m.topic for m in radar.store.topic_members()} == before
        assert {t.id: t.label for t in radar.topics()} == labels
        assert labels == {t.id: t.label for t in topics_radar.topics()}


def test_new_papers_join_threads_without_reclustering(tmp_path: Path, seed_vectors: Path) -> None:
    with seeded(tmp_path, seed_vectors, ("hf-papers-page-a.txt", "abstracts-a.txt")) as radar:
        built = radar.build_topics()
        assert built.full and built.papers == 86
        threads = {t.id: (t.label, t.x, t.y) for t in radar.topics()}
        kv_thread = radar.paper_topic(find(radar, abstract=KV_TRADEOFF))
        assert kv_thread is not None

        ingest(radar, SEEDS / "digest-title-pdf-summary.txt")
        from papersift.search.indexing import load_vectors

        assert load_vectors(radar.store, radar.embeddings().model_id, seed_vectors) == 50
        joined = radar.build_topics()
        assert not joined.full
        assert joined.joined == 50 and joined.papers == SEED_COUNT
        assert {t.id: (t.label, t.x, t.y) for t in radar.topics()} == threads
        shadow_id = find(radar, title=SHADOWKV)
        shadow = radar.paper_topic(shadow_id)
        assert shadow is not None and shadow.id == kv_thread.id
        membership = radar.store.paper_membership(shadow_id)
        assert membership is not None and membership.joined

        assert radar.build_topics().joined == 0  # nothing new: nothing to do
        rebuilt = radar.build_topics(full=True)
        assert rebuilt.full and rebuilt.joined == SEED_COUNT


def test_deleted_paper_leaves_its_thread(tmp_path: Path, seed_vectors: Path) -> None:
    import sqlite3

    with seeded(tmp_path, seed_vectors, ("abstracts-a.txt",)) as radar:
        radar.build_topics()
        victim = find(radar, abstract=KV_TRADEOFF)
        path = radar.store.location
    with sqlite3.connect(path) as db:  # the store's own trigger does the work
        db.execute("PRAGMA foreign_keys=ON")
        for table in ("identifiers", "provenance", "records"):
            column = "record_hash" if table == "provenance" else "paper_id"
            if column == "record_hash":
                db.execute(
                    "DELETE FROM provenance WHERE record_hash IN "
                    "(SELECT hash FROM records WHERE paper_id = ?)",
                    (victim,),
                )
            else:
                db.execute(f"DELETE FROM {table} WHERE paper_id = ?", (victim,))
        db.execute("DELETE FROM papers WHERE id = ?", (victim,))
    with seeded(tmp_path, seed_vectors, ()) as radar:
        assert radar.store.paper_membership(victim) is None
        assert sum(t.size for t in radar.topics()) == 9


def test_threads_need_embeddings(radar: Radar) -> None:
    ingest(radar, SEEDS / "abstracts-a.txt")
    with pytest.raises(TopicsUnavailableError, match="papersift index"):
        radar.build_topics()
    assert radar.topics() == []
    with pytest.raises(TopicNotFoundError, match="no topic thread with id '7'"):
        radar.topic(7)
