"""The JSON API: every endpoint, the one error shape, bad parameters -> 4xx (never 500)."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA
from tests.web.conftest import XSS_ID, XSS_TITLE

PAPER = "2606.24775"  # in the sample: arXiv corpus and Hugging Face (upvoted)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.text
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def test_search_finds_pages_with_cursors(client: TestClient) -> None:
    first = client.get("/api/v1/search", params={"q": "diffusion", "mode": "keyword", "limit": 5})
    assert first.status_code == 200
    body = first.json()
    assert body["mode"] == "keyword" and len(body["hits"]) == 5
    assert body["total"] > 5 and body["next_cursor"]
    assert all("diffusion" in h["matched_terms"] for h in body["hits"])
    second = client.get(
        "/api/v1/search",
        params={"q": "diffusion", "mode": "keyword", "limit": 5, "cursor": body["next_cursor"]},
    ).json()
    assert second["offset"] == 5
    assert not {h["id"] for h in body["hits"]} & {h["id"] for h in second["hits"]}
    # the cursor belongs to its query
    other = client.get(
        "/api/v1/search", params={"q": "memory", "mode": "keyword", "cursor": body["next_cursor"]}
    )
    assert_error(other, 400, "bad_request")


def test_search_filters_by_category_and_date(client: TestClient) -> None:
    body = client.get(
        "/api/v1/search",
        params={"q": "model", "mode": "keyword", "category": "cs.CV", "since": "2026-06-25"},
    ).json()
    assert body["hits"]
    for hit in body["hits"]:
        assert any(c.startswith("cs.CV") for c in hit["categories"])
        assert hit["published"][:10] >= "2026-06-25"


def test_hybrid_search_pages_without_a_total(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "agent memory", "limit": 3}).json()
    assert body["mode"] in ("hybrid", "keyword")
    assert len(body["hits"]) == 3 and body["next_cursor"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "x", "limit": 1000}, "limit"),
        ({"q": "x", "limit": 0}, "limit"),
        ({"q": "x", "limit": "ten"}, "limit"),
        ({"q": "x", "mode": "psychic"}, "mode"),
        ({"q": "x", "since": "yesterday"}, "since"),
    ],
)
def test_search_refuses_bad_parameters(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    error = assert_error(client.get("/api/v1/search", params=params), 400, "invalid_parameter")
    assert error["details"]["problems"][0]["field"] == field


def test_edges_of_the_calendar_and_long_names(client: TestClient) -> None:
    for query in (
        "period=month&date=9999-12-31",
        "period=week&date=9999-12-31",
        "period=week&date=0001-01-01",
        "period=day&date=0001-01-01",
    ):
        response = client.get(f"/api/v1/daily?{query}")
        assert response.status_code == 200, (query, response.text)
        assert response.json()["total"] == 0
    long_name = client.get("/api/v1/search", params={"q": "x", "category": "c" * 101})
    assert_error(long_name, 400, "bad_request")


def test_bad_cursor_and_impossible_date_are_400(client: TestClient) -> None:
    assert_error(client.get("/api/v1/search?q=x&cursor=%%%"), 400)
    assert_error(client.get("/api/v1/search?q=x&cursor=" + "A" * 20), 400)
    assert_error(client.get("/api/v1/search?q=x&since=2026-13-45"), 400, "bad_request")
    assert_error(client.get("/api/v1/daily?date=2026-02-31"), 400, "bad_request")


def test_paper_by_any_id(client: TestClient) -> None:
    for spelling in (PAPER, f"arXiv:{PAPER}v2", f"https://arxiv.org/abs/{PAPER}"):
        body = client.get(f"/api/v1/papers/{spelling}").json()
        assert body["id"] == PAPER, spelling
    body = client.get(f"/api/v1/papers/{PAPER}").json()
    assert body["upvotes"] and body["authors"] and body["sources"]


def test_unknown_paper_is_404(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/papers/9999.99999"), 404, "not_found")
    assert error["details"]["id"] == "9999.99999"
    assert_error(client.get("/api/v1/papers/9999.99999/similar"), 404, "not_found")
    assert_error(client.get("/api/v1/papers/" + "x" * 400), 400, "invalid_parameter")


def test_similar_never_returns_the_paper(client: TestClient) -> None:
    body = client.get(f"/api/v1/papers/{PAPER}/similar", params={"limit": 5}).json()
    ids = [h["id"] for h in body["hits"]]
    assert len(ids) == 5 and PAPER not in ids
    assert_error(
        client.get(f"/api/v1/papers/{PAPER}/similar", params={"limit": 101}),
        400,
        "invalid_parameter",
    )
    assert_error(
        client.get(f"/api/v1/papers/{PAPER}/similar", params={"diversify": 2}),
        400,
        "invalid_parameter",
    )


def test_several_papers_at_once(client: TestClient) -> None:
    body = client.get("/api/v1/papers", params={"ids": [PAPER, "nope", XSS_ID]}).json()
    assert [p["id"] for p in body["papers"]] == [PAPER, XSS_ID]
    assert body["missing"] == ["nope"]
    assert_error(client.get("/api/v1/papers"), 400, "invalid_parameter")
    too_many = [("ids", str(i)) for i in range(101)]
    assert_error(client.get("/api/v1/papers", params=too_many), 400, "invalid_parameter")


def test_daily_lists_rank_by_upvotes_and_page(client: TestClient) -> None:
    day = client.get("/api/v1/daily", params={"date": "2026-06-23", "limit": 5}).json()
    assert (day["period"], day["start"], day["end"]) == ("day", "2026-06-23", "2026-06-23")
    votes = [i["paper"]["upvotes"] or 0 for i in day["items"]]
    assert votes == sorted(votes, reverse=True) and votes[0] > 0
    assert day["previous"] == "2026-06-22" and day["next"] > "2026-06-23"
    rest = client.get(
        "/api/v1/daily", params={"date": "2026-06-23", "limit": 5, "cursor": day["next_cursor"]}
    ).json()
    assert rest["offset"] == 5
    assert not {i["paper"]["id"] for i in day["items"]} & {i["paper"]["id"] for i in rest["items"]}


def test_daily_week_month_and_newest(client: TestClient) -> None:
    week = client.get("/api/v1/daily", params={"period": "week", "date": "2026-06-24"}).json()
    assert (week["start"], week["end"], week["label"]) == ("2026-06-22", "2026-06-28", "2026-W26")
    assert week["total"] > 20
    month = client.get("/api/v1/daily", params={"period": "month", "date": "2026-06-24"}).json()
    assert (month["start"], month["end"]) == ("2026-06-01", "2026-06-30")
    assert month["total"] >= week["total"]
    newest = client.get(
        "/api/v1/daily", params={"period": "week", "date": "2026-06-24", "sort": "newest"}
    ).json()
    published = [i["paper"]["published"] for i in newest["items"]]
    assert published == sorted(published, reverse=True)
    # default: the latest day with papers
    latest = client.get("/api/v1/daily").json()
    assert latest["start"] == "2026-07-03" and latest["next"] is None


@pytest.mark.parametrize(
    "query",
    ["period=year", "sort=best", "limit=0", "limit=101", "date=yesterday", "date=2026-6-1"],
)
def test_daily_refuses_bad_parameters(client: TestClient, query: str) -> None:
    assert_error(client.get(f"/api/v1/daily?{query}"), 400, "invalid_parameter")


def test_stats_hides_the_store_path(client: TestClient) -> None:
    body = client.get("/api/v1/stats").json()
    assert body["papers"] > 300 and "store" not in body


def test_unknown_route_and_method(client: TestClient) -> None:
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.delete(f"/api/v1/papers/{PAPER}"), 405, "method_not_allowed")


def test_openapi_document_and_docs_page(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/v1/search",
        "/api/v1/daily",
        "/api/v1/papers",
        "/api/v1/papers/{paper_id}",
        "/api/v1/papers/{paper_id}/similar",
        "/api/v1/admin/ingest",
        "/api/v1/stats",
    ):
        assert path in paths, path
    assert not any(not p.startswith("/api/") for p in paths)  # pages stay out of the API doc
    search = spec["paths"]["/api/v1/search"]["get"]["responses"]
    assert "422" not in search  # bad parameters are 400, in the one error shape
    assert search["400"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
    assert "error" in spec["components"]["schemas"]["ErrorBody"]["properties"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/v1/search" in docs.text and "≤ 100" in docs.text
    assert "cdn" not in docs.text.lower()


# --- admin ingest ------------------------------------------------------------------------------
HF_DAY = DATA / "hf-daily-papers" / "daily" / "2024-05-28.json.gz"


def test_admin_ingest_needs_the_token(client: TestClient) -> None:
    url = "/api/v1/admin/ingest?name=day.json.gz"
    assert_error(client.post(url, content=b"x"), 403, "forbidden")
    wrong = {"Authorization": "Bearer nope"}
    assert_error(client.post(url, content=b"x", headers=wrong), 403, "forbidden")


def test_admin_ingest_stores_an_uploaded_file(client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    data = HF_DAY.read_bytes()
    first = client.post("/api/v1/admin/ingest?name=day.json.gz", content=data, headers=auth)
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["format"] == "hf-daily" and report["new"] > 0
    items = len(__import__("json").loads(gzip.decompress(data)))
    assert report["new"] + report["updated"] + report["unchanged"] == items
    again = client.post("/api/v1/admin/ingest?name=day.json.gz", content=data, headers=auth)
    assert again.json()["new"] == 0 and again.json()["unchanged"] == items
    listed = client.get("/api/v1/daily", params={"date": "2024-05-28", "limit": 100}).json()
    assert listed["total"] == items


def test_admin_ingest_refuses_unreadable_and_empty(client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    bad = client.post("/api/v1/admin/ingest?name=x.bin", content=b"\x00\x01 nothing", headers=auth)
    error = assert_error(bad, 422, "unreadable_input")
    assert error["details"]["report"]["origin"] == "x.bin"
    assert_error(client.post("/api/v1/admin/ingest?name=x", content=b"", headers=auth), 400)
    assert_error(
        client.post("/api/v1/admin/ingest", content=b"x", headers=auth), 400, "invalid_parameter"
    )


def test_request_size_limit(settings: Any) -> None:
    from papersift.web.app import create_app

    app = create_app(settings, max_body=1000)
    with TestClient(app, raise_server_exceptions=False) as small:
        auth = {"Authorization": "Bearer s3cret-token"}
        big = small.post("/api/v1/admin/ingest?name=x", content=b"x" * 5000, headers=auth)
        assert_error(big, 413, "too_large")

        def chunks() -> Any:  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b"y" * 500

        streamed = small.post("/api/v1/admin/ingest?name=x", content=chunks(), headers=auth)
        assert_error(streamed, 413, "too_large")


def test_xss_paper_comes_back_as_plain_data(client: TestClient) -> None:
    body = client.get(f"/api/v1/papers/{XSS_ID}").json()
    assert body["title"] == XSS_TITLE


def test_daily_cursor_keeps_its_period_when_a_newer_day_arrives(client: TestClient) -> None:
    first = client.get("/api/v1/daily", params={"limit": 5}).json()
    assert first["start"] == "2026-07-03" and first["next_cursor"]
    from tests.web.conftest import xss_record

    newer = xss_record().replace(b"2607.99999", b"2607.99997").replace(b"2026-07-03", b"2026-07-05")
    auth = {"Authorization": "Bearer s3cret-token"}
    ingested = client.post("/api/v1/admin/ingest?name=n.jsonl", content=newer, headers=auth)
    assert ingested.status_code == 200 and ingested.json()["new"] == 1
    assert client.get("/api/v1/daily").json()["start"] == "2026-07-05"  # the latest day moved
    second = client.get("/api/v1/daily", params={"limit": 5, "cursor": first["next_cursor"]})
    body = second.json()
    assert body["start"] == "2026-07-03" and body["offset"] == 5  # the cursor's period stays
    ids = {i["paper"]["id"] for i in first["items"]} & {i["paper"]["id"] for i in body["items"]}
    assert not ids
