"""The topic pages and the map's data, over the bundled sample with its threads built."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from papersift.config import Settings
from papersift.radar import Radar
from papersift.web.app import create_app


@pytest.fixture
def topics_client(settings: Settings) -> Iterator[TestClient]:
    """The app over the sample, whose threads were built when it was loaded."""
    with Radar.open(settings) as radar:
        assert radar.build_topics().joined == 0  # already built by load_sample
        assert len(radar.topics()) > 3
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_threads_page_lists_every_thread(topics_client: TestClient, settings: Settings) -> None:
    with Radar.open(settings) as radar:
        listed = radar.topics()
    html = topics_client.get("/topics").text
    assert len(listed) > 3
    for t in listed:
        assert f'href="/topics/{t.id}"' in html
    assert html.count("data-topic-id=") == len(listed)


def test_thread_page_shows_label_papers_and_months(
    topics_client: TestClient, settings: Settings
) -> None:
    with Radar.open(settings) as radar:
        biggest = radar.topics()[0]
        thread = radar.topic(biggest.id, limit=None)
    response = topics_client.get(f"/topics/{biggest.id}")
    assert response.status_code == 200
    html = response.text
    assert "data-topic-label" in html and biggest.phrases[0] in html
    for item in thread.papers[:12]:
        assert f'href="/papers/{item.paper.id}"' in html
    assert html.count("<rect ") == len(thread.by_month)


def test_unknown_thread_is_a_404(topics_client: TestClient) -> None:
    response = topics_client.get("/topics/99999")
    assert response.status_code == 404
    assert "no topic thread" in response.text


def test_trending_page(topics_client: TestClient, settings: Settings) -> None:
    with Radar.open(settings) as radar:
        hot = radar.trending_topics(limit=50, window=7)
    html = topics_client.get("/topics/trending?window=7").text
    assert html.count("data-topic-id=") == len(hot)
    assert topics_client.get("/topics/trending?window=0").status_code in (400, 422)


def test_map_points_are_compact_columns(topics_client: TestClient, settings: Settings) -> None:
    data = topics_client.get("/api/v1/map").json()
    with Radar.open(settings) as radar:
        points = radar.map_points()
    n = data["count"]
    assert n == len(points.ids) == len(data["x"]) == len(data["y"]) == len(data["topic"])
    assert all(0 <= v <= 65535 for v in data["x"] + data["y"])
    assert max(data["x"] + data["y"]) == 65535 and min(data["x"]) == 0
    assert all(0 <= t < len(data["topics"]) for t in data["topic"])
    assert data["today"] == max(d for d in points.day if d)
    assert all(points.day[i] == data["today"] for i in data["recent"])
    titles = topics_client.get("/api/v1/map/titles").json()
    assert titles == list(points.title)
    assert "<canvas" in topics_client.get("/map").text


def test_paper_page_links_its_thread(topics_client: TestClient, settings: Settings) -> None:
    with Radar.open(settings) as radar:
        paper_id = radar.map_points().ids[0]
        topic = radar.paper_topic(paper_id)
    assert topic is not None
    html = topics_client.get(f"/papers/{paper_id}").text
    assert f'href="/topics/{topic.id}"' in html


def test_topics_json(topics_client: TestClient, settings: Settings) -> None:
    listed = topics_client.get("/api/v1/topics").json()["topics"]
    with Radar.open(settings) as radar:
        assert [t["id"] for t in listed] == [t.id for t in radar.topics()]
    one = topics_client.get(f"/api/v1/topics/{listed[0]['id']}?limit=3").json()
    assert one["label"] == listed[0]["label"] and len(one["papers"]) == 3
    assert all("claims" in p["card"] for p in one["papers"])
    missing = topics_client.get("/api/v1/topics/99999")
    assert missing.status_code == 404 and "no topic thread" in missing.text
    hot = topics_client.get("/api/v1/topics/trending?window=7").json()["trending"]
    assert all(t["score"] > 0 for t in hot)
