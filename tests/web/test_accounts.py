"""Accounts in the web app, through the ASGI client: sign up / in / out, CSRF on every form,
cookies, the library pages and API, recommendations with reasons, digest settings,
unsubscribe links and feeds, per-user isolation, rate limits."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from papersift.config import Settings
from papersift.web.app import create_app
from tests.accounts.atom import validate

PASSWORD = "correct horse battery"
KV = ("2502.16886", "2606.24033")


def _csrf(client: TestClient, path: str = "/signup") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "no CSRF field in the form"
    return found.group(1)


def _signup(client: TestClient, email: str) -> str:
    token = _csrf(client)
    response = client.post(
        "/signup",
        data={"email": email, "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/library"
    return token


def _api_token(client: TestClient) -> str:
    token: str = client.get("/api/v1/session").json()["csrf_token"]
    return token


@pytest.fixture
def other(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_signup_sets_a_safe_session_cookie(client: TestClient) -> None:
    token = _csrf(client)
    response = client.post(
        "/signup",
        data={"email": "ada@example.org", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    cookies = "\n".join(response.headers.get_list("set-cookie"))
    assert "ps_session=" in cookies and "HttpOnly" in cookies and "SameSite=lax" in cookies
    assert PASSWORD not in cookies
    library = client.get("/library")
    assert library.status_code == 200 and "Your library is empty" in library.text
    assert "no-store" in library.headers["cache-control"]
    assert client.get("/api/v1/session").json()["user"]["email"] == "ada@example.org"


def test_forms_without_csrf_are_refused(client: TestClient) -> None:
    refused = client.post("/signup", data={"email": "eve@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert (
        client.post("/signin", data={"email": "x@example.org", "password": "x"}).status_code == 403
    )
    _signup(client, "ada@example.org")
    for path, data in (
        (f"/library/{KV[0]}", {"action": "save"}),
        ("/digest", {"email": "ada@example.org"}),
        ("/signout", {}),
        ("/recommendations/preferences", {"topics": "x"}),
    ):
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf": "forged"}).status_code == 403, path
    assert client.put(f"/api/v1/library/{KV[0]}", json={}).status_code == 403
    assert client.get("/api/v1/library").json()["items"] == []  # nothing changed


def test_library_pages_and_api(client: TestClient) -> None:
    token = _signup(client, "ada@example.org")
    api = _api_token(client)
    for pid in KV:
        saved = client.put(f"/api/v1/library/{pid}", json={}, headers={"X-CSRF-Token": api})
        assert saved.status_code == 200 and saved.json()["saved"] is True
    rated = client.post(
        f"/library/{KV[0]}", data={"action": "up", "csrf": token}, follow_redirects=False
    )
    assert rated.status_code == 303
    client.post(f"/library/{KV[1]}", data={"action": "tag", "value": "kv, cache", "csrf": token})
    client.post(f"/library/{KV[1]}", data={"action": "note", "value": "§3 <b>", "csrf": token})
    page = client.get("/library")
    assert "ReFreeKV" in page.text and "#kv" in page.text and "§3 &lt;b&gt;" in page.text
    assert 'data-rating="up"' in page.text
    items = {i["paper"]["id"]: i["library"] for i in client.get("/api/v1/library").json()["items"]}
    assert items[KV[0]]["rating"] == 1 and items[KV[1]]["tags"] == ["cache", "kv"]
    ids = client.get("/api/v1/library/ids").json()
    assert ids == {"signed_in": True, "ids": list(items), "hidden": []}
    recs = client.get("/recommendations")
    assert recs.status_code == 200 and "Why: close to" in recs.text and "SeKV" in recs.text
    body = client.get("/api/v1/recommendations?limit=5").json()
    assert len(body["hits"]) == 5 and all("in your library" in h["reason"] for h in body["hits"])
    gone = client.delete(f"/api/v1/library/{KV[0]}", headers={"X-CSRF-Token": api})
    assert gone.status_code == 204
    missing = client.delete(f"/api/v1/library/{KV[0]}", headers={"X-CSRF-Token": api})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_users_cannot_reach_each_other(client: TestClient, other: TestClient) -> None:
    _signup(client, "ada@example.org")
    client.put(
        f"/api/v1/library/{KV[0]}",
        json={"note": "mine"},
        headers={"X-CSRF-Token": _api_token(client)},
    )
    token = _signup(other, "bob@example.org")
    assert other.get("/api/v1/library").json()["items"] == []
    assert "ReFreeKV" not in other.get("/library").text
    # bob changing "the same paper" changes only his own row
    other.post(f"/library/{KV[0]}", data={"action": "down", "csrf": token})
    ada = client.get("/api/v1/library").json()["items"][0]["library"]
    assert ada["rating"] == 0 and ada["note"] == "mine"
    # a subscription id of ada's cannot be edited by bob
    ada_token = _csrf(client, "/digest")
    client.post("/digest", data={"email": "ada@example.org", "csrf": ada_token})
    changed = other.post(
        "/digest", data={"subscription": "1", "email": "bob@example.org", "csrf": token}
    )
    assert changed.status_code == 404
    assert "ada@example.org" in client.get("/digest").text
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    assert anonymous.get("/api/v1/library").status_code == 401
    assert anonymous.get("/library", follow_redirects=False).status_code == 303


def test_signin_is_rate_limited(client: TestClient, other: TestClient) -> None:
    _signup(client, "ada@example.org")
    token = _csrf(other, "/signin")
    for _ in range(5):
        wrong = other.post(
            "/signin", data={"email": "ada@example.org", "password": "wrong pass", "csrf": token}
        )
        assert wrong.status_code == 401 and "wrong email or password" in wrong.text
        assert "wrong pass" not in wrong.text
    limited = other.post(
        "/signin", data={"email": "ada@example.org", "password": PASSWORD, "csrf": token}
    )
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_signin_signout(client: TestClient, other: TestClient) -> None:
    _signup(client, "ada@example.org")
    token = _csrf(other, "/signin")
    signed = other.post(
        "/signin",
        data={"email": "ADA@example.org", "password": PASSWORD, "csrf": token, "next": "//evil"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/library"
    assert other.get("/api/v1/session").json()["user"]["email"] == "ada@example.org"
    out = other.post("/signout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert other.get("/api/v1/session").json()["user"] is None


def test_digest_settings_unsubscribe_and_feeds(client: TestClient) -> None:
    token = _signup(client, "ada@example.org")
    made = client.post(
        "/digest",
        data={
            "email": "ada@example.org",
            "content": "search",
            "query": "kv cache",
            "frequency": "weekly",
            "size": "7",
            "csrf": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    page = client.get("/digest?saved=1")
    assert "Weekly digest" in page.text and 'value="kv cache"' in page.text
    feed = re.search(r'href="http://127\.0\.0\.1:8000(/feeds/[^"]+\.atom)"', page.text)
    assert feed
    atom = client.get(feed.group(1))
    assert atom.headers["content-type"].startswith("application/atom+xml")
    validate(atom.text)
    assert client.get("/feeds/not-a-token.atom").status_code == 404
    trending = client.get("/feeds/trending.atom")
    assert len(validate(trending.text)) > 0
    bad = client.post(
        "/digest", data={"content": "search", "query": "", "email": "a@b.org", "csrf": token}
    )
    assert bad.status_code == 400 and "needs a query" in bad.text
    # the emailed link works without signing in
    radar = client.app.state.radar  # type: ignore[attr-defined]
    sub = radar.subscriptions(radar.user("ada@example.org"))[0]
    url = radar.unsubscribe_url(sub).removeprefix("http://127.0.0.1:8000")
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    confirm = anonymous.get(url)
    assert confirm.status_code == 200 and "Stop sending" in confirm.text
    assert radar.store.subscription_by_id(sub.id).active  # a GET changes nothing
    done = anonymous.post(url)
    assert done.status_code == 200 and "no more weekly digests" in done.text
    assert not radar.store.subscription_by_id(sub.id).active
    assert anonymous.post(url[:-3] + "abc").status_code == 401


def test_local_mode_needs_no_signin(settings: Settings) -> None:
    local_settings = replace(settings, local_mode="on")
    rebinding = create_app(local_settings)
    with TestClient(rebinding, base_url="http://evil.example") as rebound:  # DNS rebinding
        assert rebound.get("/api/v1/library").status_code == 401
        assert rebound.get("/library", follow_redirects=False).status_code == 303
    with TestClient(create_app(local_settings), base_url="http://127.0.0.1:8000") as local:
        assert local.get("/library").status_code == 200
        api = _api_token(local)
        assert (
            local.put(
                f"/api/v1/library/{KV[0]}", json={}, headers={"X-CSRF-Token": api}
            ).status_code
            == 200
        )
        assert local.get("/api/v1/session").json()["user"]["name"] == "me"


def test_cookies_are_secure_over_https(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(replace(settings, base_url="https://papers.example"))) as c:
        response = c.get("/signup")
        assert "Secure" in response.headers["set-cookie"]


def test_reset_request_says_the_same_for_any_email(client: TestClient) -> None:
    _signup(client, "ada@example.org")
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    token = _csrf(anonymous, "/reset")
    known = anonymous.post("/reset", data={"email": "ada@example.org", "csrf": token})
    unknown = anonymous.post("/reset", data={"email": "nobody@example.org", "csrf": token})
    assert known.status_code == unknown.status_code == 200
    assert "on its way" in known.text and "on its way" in unknown.text
    assert anonymous.get("/reset/not-a-token").status_code == 200
    token = _csrf(anonymous, "/reset/not-a-token")
    bad = anonymous.post("/reset/not-a-token", data={"password": "long enough!", "csrf": token})
    assert bad.status_code == 400 and "invalid, used or expired" in bad.text


def test_import_and_export_the_library(client: TestClient) -> None:
    token = _signup(client, "ada@example.org")
    bib = (
        "@misc{a, title={ReFreeKV}, eprint={2502.16886}, archivePrefix={arXiv}}\n"
        "@article{b, title={A Paper First Seen In This Upload}, author={Doe, Jane}, "
        "year={2025}, doi={10.1234/new.5678}}\n"
    )
    refused = client.post("/library-import", files={"file": ("zotero.bib", bib)})
    assert refused.status_code == 403
    page = client.post("/library-import", files={"file": ("zotero.bib", bib)}, data={"csrf": token})
    assert page.status_code == 200 and "zotero.bib: 2 papers in your library" in page.text
    ids = client.get("/api/v1/library/ids").json()["ids"]
    assert "2502.16886" in ids and len(ids) == 2
    listed = client.post(
        "/library-import",
        files={"file": ("ids.txt", "2606.24033\n10.9999/missing\n")},
        data={"csrf": token},
    )
    assert "1 papers in your library; not found here: 10.9999/missing" in listed.text
    exported = client.get("/library-export?format=bibtex")
    assert exported.headers["content-disposition"] == 'attachment; filename="library.bib"'
    assert exported.text.count("@") == 3 and "10.1234/new.5678" in exported.text
    csv = client.get("/library-export?format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.splitlines()) == 4
    assert (
        client.post(
            "/library-import", files={"file": ("e.bib", "")}, data={"csrf": token}
        ).status_code
        == 400
    )


def test_recommendations_by_tag_page(client: TestClient) -> None:
    token = _signup(client, "ada@example.org")
    api = _api_token(client)
    client.put(f"/api/v1/library/{KV[0]}", json={"add_tags": ["kv"]}, headers={"X-CSRF-Token": api})
    client.post("/library/2606.23050", data={"action": "save", "csrf": token})
    page = client.get("/recommendations?tag=kv")
    assert page.status_code == 200 and "the papers you tagged “kv”" in page.text
    assert 'href="/recommendations?tag=kv" aria-current="true"' in page.text
    assert "SeKV" in page.text  # the KV-cache paper like the one tagged
    api_hits = client.get("/api/v1/recommendations?tag=kv&limit=3").json()["hits"]
    assert all(h["near"] == [KV[0]] or not h["near"] for h in api_hits)


def test_account_pages_keep_the_strict_csp(client: TestClient) -> None:
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    pages = [anonymous.get(p) for p in ("/signin", "/signup", "/reset", "/reset/x")]
    _signup(client, "ada@example.org")
    client.put(f"/api/v1/library/{KV[0]}", json={}, headers={"X-CSRF-Token": _api_token(client)})
    pages += [client.get(p) for p in ("/library", "/recommendations", "/digest")]
    for response in pages:
        assert response.status_code == 200, response.url
        text = response.text
        assert "<script>" not in text and "<style" not in text and " style=" not in text
        assert " on" + "click=" not in text and " on" + "submit=" not in text
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert text.count('name="csrf"') == text.count("<form") - text.count('method="get"')


def test_passwords_never_stored_or_logged_through_the_web(
    client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.conftest import dump_store

    caplog.set_level(logging.DEBUG)
    _signup(client, "ada@example.org")
    token = _csrf(client, "/signin")
    client.post(
        "/signin", data={"email": "ada@example.org", "password": "Wr0ng-guess!", "csrf": token}
    )
    session = client.cookies.get("ps_session")
    stored = repr(dump_store(Path(settings.db)))
    for secret in (PASSWORD, "Wr0ng-guess!", session):
        assert secret and secret not in stored and secret not in caplog.text


def test_follow_a_topic_thread(client: TestClient) -> None:
    radar = client.app.state.radar  # type: ignore[attr-defined]
    radar.build_topics(full=True)
    topic = radar.paper_topic("2606.31145")
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    assert "data-follow" not in anonymous.get(f"/topics/{topic.id}").text
    token = _signup(client, "ada@example.org")
    page = client.get(f"/topics/{topic.id}")
    assert "data-follow" in page.text
    assert client.post("/recommendations/follow", data={"topic": str(topic.id)}).status_code == 403
    followed = client.post(
        "/recommendations/follow",
        data={"topic": str(topic.id), "csrf": token},
        follow_redirects=False,
    )
    assert followed.status_code == 303
    assert radar.preferences(radar.user("ada@example.org")).topics == (str(topic.id),)
    recs = client.get("/recommendations")
    assert f"your topic “{topic.label}”" in recs.text.replace("&#34;", '"')
    missing = client.post("/recommendations/follow", data={"topic": "99999", "csrf": token})
    assert missing.status_code == 404
