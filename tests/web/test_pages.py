"""The pages: Today, Search, Paper, the placeholders, errors, escaping and caching headers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from papersift.web.guard import CSP
from tests.web.conftest import XSS_ID, XSS_TITLE

PAPER = "2606.24775"


def test_today_lists_the_latest_day_trending(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Papers of 2026-07-03" in page.text
    votes = [int(v) for v in re.findall(r'class="votes" title="upvotes">▲ (\d+)', page.text)]
    assert len(votes) >= 10 and votes == sorted(votes, reverse=True)
    assert 'rel="prev" href="/?period=day&amp;date=2026-07-02&amp;sort=trending"' in page.text


def test_today_week_month_newest_and_paging(client: TestClient) -> None:
    week = client.get("/?period=week&date=2026-06-24")
    assert "week 2026-W26" in week.text and "2026-06-22 to 2026-06-28" in week.text
    month = client.get("/?period=month&date=2026-06-24&sort=newest")
    assert "Papers of 2026-06" in month.text
    dates = re.findall(r'<time datetime="([\d-]+)"', month.text)
    assert dates and dates == sorted(dates, reverse=True)
    second = client.get("/?period=month&date=2026-06-24&page=2")
    assert "Page 2 of" in second.text
    assert client.get("/?period=decade").status_code == 400
    assert client.get("/?page=0").status_code == 400


def test_search_page_keeps_the_query_and_highlights(client: TestClient) -> None:
    page = client.get("/search", params={"q": "diffusion", "mode": "keyword"})
    assert page.status_code == 200
    assert 'value="diffusion"' in page.text
    assert "<mark>diffusion</mark>" in page.text.lower()
    fragment = client.get("/search", params={"q": "diffusion", "fragment": "1"})
    assert "<html" not in fragment.text and "card" in fragment.text
    empty = client.get("/search")
    assert "Type words" in empty.text
    nothing = client.get("/search", params={"q": "zzqqxxnothing", "mode": "keyword"})
    assert "Nothing found" in nothing.text
    assert client.get("/search", params={"q": "x" * 600}).status_code == 400


def test_paper_page_has_everything(client: TestClient) -> None:
    page = client.get(f"/papers/{PAPER}")
    assert page.status_code == 200
    assert "Are We Ready For An Agent-Native Memory System?" in page.text
    assert "Similar papers" in page.text
    assert f'data-similar="/papers/{PAPER}/similar?fragment=1"' in page.text
    assert "Sources" in page.text and "hf-daily" in page.text
    assert 'listed <a href="/?date=2026-06-25">' in page.text  # the day it was listed


def test_similar_papers_fragment_and_page(client: TestClient) -> None:
    fragment = client.get(f"/papers/{PAPER}/similar?fragment=1")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    similar = re.findall(r'<li data-item><a href="/papers/([^"]+)"', fragment.text)
    assert len(similar) == 8 and PAPER not in similar
    assert "By meaning" in fragment.text  # the sample ships its vectors
    full = client.get(f"/papers/{PAPER}/similar")
    assert "<html" in full.text and "Papers like" in full.text
    assert len(re.findall(r"<li data-item>", full.text)) > 8
    assert client.get("/papers/9999.99999/similar").status_code == 404


def test_paper_page_renders_latex_as_text(client: TestClient) -> None:
    found = client.get("/api/v1/search", params={"q": "rightarrow", "mode": "keyword"}).json()
    # abstracts with LaTeX arrows are stored clean: the page never shows the raw command
    for hit in found["hits"][:3]:
        page = client.get(f"/papers/{hit['id']}")
        assert "\\rightarrow" not in page.text


def test_unknown_paper_page_is_a_404_page(client: TestClient) -> None:
    page = client.get("/papers/9999.99999")
    assert page.status_code == 404
    assert "Not found" in page.text and "9999.99999" in page.text
    assert "Traceback" not in page.text


@pytest.mark.parametrize("path", ["/library", "/digest", "/signin", "/signup"])
def test_placeholder_pages_exist(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert 'aria-current="page"' in page.text


def test_hostile_title_is_escaped_everywhere(client: TestClient) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for url in (f"/papers/{XSS_ID}", "/?date=2026-07-03&sort=newest&period=month"):
        page = client.get(url)
        assert XSS_TITLE not in page.text, url
        assert '<img src=x onerror="alert(2)">' not in page.text
    assert escaped in client.get(f"/papers/{XSS_ID}").text
    found = client.get("/search", params={"q": "script alert", "mode": "keyword"}).text
    assert XSS_TITLE not in found and "alert" in found


def test_security_and_cache_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-cache"
    etag = page.headers["etag"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    changed = client.get("/?period=week", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    css = re.search(r'href="(/static/app\.css\?v=\w+)"', page.text)
    assert css
    static = client.get(css.group(1))
    assert static.status_code == 200 and "immutable" in static.headers["cache-control"]
    assert client.get("/api/v1/papers/nope").headers["content-security-policy"] == CSP


def test_no_inline_script_or_style(client: TestClient) -> None:
    for url in ("/", "/search?q=agent", f"/papers/{PAPER}", "/api/docs", "/library"):
        text = client.get(url).text
        assert "<script>" not in text and "<style" not in text and " style=" not in text, url
        assert " on" + "click=" not in text
        assert "http://" not in text.replace("http://www.w3.org", "") or url == f"/papers/{PAPER}"


def test_unexpected_errors_are_500_without_a_trace(client: TestClient) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    client.app.state.radar.listing = broken  # type: ignore[attr-defined]
    api = client.get("/api/v1/daily")
    assert api.status_code == 500
    assert api.json()["error"]["code"] == "internal"
    assert "secret internals" not in api.text and "Traceback" not in api.text
    page = client.get("/")
    assert page.status_code == 500 and "secret internals" not in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in page.text
    assert page.headers["content-security-policy"] == CSP


def test_shared_cache_serves_alike_answers_and_never_stale(client: TestClient) -> None:
    first = client.get("/")
    assert "x-papersift-cache" not in first.headers
    second = client.get("/")
    assert second.headers.get("x-papersift-cache") == "hit"
    assert second.text == first.text and second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-security-policy"] == CSP
    revalidated = client.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304
    # a request with a cookie (a signed-in reader) always gets its own answer
    own = client.get("/", headers={"Cookie": "session=abc"})
    assert "x-papersift-cache" not in own.headers
    # a paper page is never shared (cards and other derived parts change it)
    client.get(f"/papers/{PAPER}")
    assert "x-papersift-cache" not in client.get(f"/papers/{PAPER}").headers
    # new data: the store's change mark moves, so the old answer is not served
    from tests.web.conftest import xss_record

    body = xss_record().replace(b"2607.99999", b"2607.99998").replace(b"2026-07-03", b"2026-07-04")
    auth = {"Authorization": "Bearer s3cret-token"}
    ingested = client.post("/api/v1/admin/ingest?name=new.jsonl", content=body, headers=auth)
    assert ingested.status_code == 200 and ingested.json()["new"] == 1
    after = client.get("/")
    assert "x-papersift-cache" not in after.headers and "2607.99998" in after.text
    assert "Papers of 2026-07-04" in after.text


def test_areas_add_sections_to_the_paper_page(client: TestClient) -> None:
    from papersift.web.pages import paper

    def facts(radar: object, found: object) -> dict[str, object]:
        words = len(getattr(found, "abstract", "").split())
        return {"heading": "Facts <b>", "rows": [("abstract words", words)]}

    paper.SECTIONS.append(("paper_section.html", facts))
    try:
        page = client.get(f"/papers/{PAPER}")
    finally:
        paper.SECTIONS.pop()
    assert page.status_code == 200, page.text
    assert re.search(r'<h2 id="section-\d+">Facts &lt;b&gt;</h2>', page.text)  # after others
    assert "<dt>abstract words</dt><dd>" in page.text


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    get = client.get("/")
    for url in ("/", f"/papers/{PAPER}", "/api/v1/daily"):
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b""
    head = client.head("/")
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]
    assert client.head("/papers/9999.99999").status_code == 404


def test_only_web_links_are_rendered(client: TestClient) -> None:
    import json

    from papersift.sources.base import Input

    record = {
        "id": "2607.77777",
        "title": "Links from a hostile listing",
        "summary": "An abstract.",
        "url": "javascript:alert(3)",
        "pdf": " data:text/html,<script>alert(4)</script>",
        "code": "https://github.com/example/hostile",
        "listing_dates": ["2026-07-03"],
    }
    radar = client.app.state.radar  # type: ignore[attr-defined]
    data = (json.dumps(record) + "\n").encode()
    report = next(iter(radar.ingest([Input.from_bytes("links.jsonl", data)])))
    assert report.new == 1, report
    stored = radar.get("2607.77777").links
    assert stored.abs == "javascript:alert(3)" and "data:" in (stored.pdf or "")  # kept as given
    for url in ("/papers/2607.77777", "/?sort=newest"):
        text = client.get(url).text
        assert "javascript:" not in text and "data:text" not in text, url
        assert 'href="https://github.com/example/hostile"' in text, url


def test_rendered_cards_are_kept_per_paper_and_place(client: TestClient) -> None:
    from dataclasses import replace

    from papersift.web.render import card

    paper = client.app.state.radar.get(PAPER)  # type: ignore[attr-defined]
    first = card(paper, rank=1)
    assert card(paper, rank=1) is first  # kept
    assert "▲ 60" in first and 'data-paper-id="2606.24775"' in first
    assert "#2" in card(paper, rank=2) and "#2" not in first  # another place, another card
    voted = card(replace(paper, upvotes=61), rank=1)
    assert "▲ 61" in voted and voted is not first  # a changed paper is rendered anew
    marked = card(paper, rank=1, terms=("memory",))
    assert "<mark>Memory</mark>" in marked and "<mark>" not in first


def test_today_on_an_empty_store_says_how_to_fill_it(tmp_path: object) -> None:
    from pathlib import Path

    from papersift.config import Settings
    from papersift.web.app import create_app

    home = Path(str(tmp_path)) / "empty"
    app = create_app(Settings(home=home, db=str(home / "store.sqlite3")))
    with TestClient(app) as empty:
        page = empty.get("/")
        assert page.status_code == 200
        assert "papersift demo" in page.text and "0 papers" in page.text
