"""Accounts in a real headless Chromium against `papersift serve` with sign-in required:
sign up, save a paper, rate it, see recommendations with reasons, change digest settings, get
the digest by email (a real SMTP server on loopback) and unsubscribe from its link."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.accounts.smtp import SmtpServer, free_port
from tests.web.e2e.conftest import Tab, running_server


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def accounts_server(
    sample_store: Path, tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer
) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """`papersift serve` with local mode off (sign-in required); its URL, store and env."""
    home = tmp_path_factory.mktemp("e2e-accounts")
    db = home / "store.sqlite3"
    shutil.copy(sample_store, db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PAPERSIFT_HOME": str(home),
        "PAPERSIFT_LOCAL_MODE": "off",
        "PAPERSIFT_BASE_URL": url,
        "PAPERSIFT_SECRET_KEY": "e2e-secret",
        "PAPERSIFT_SMTP_HOST": "127.0.0.1",
        "PAPERSIFT_SMTP_PORT": str(smtp.port),
        "PAPERSIFT_SMTP_SECURITY": "none",
    }
    with running_server(db, home, port, env):
        yield url, db, env


@pytest.fixture
def account_tab(
    browser: Browser, accounts_server: tuple[str, Path, dict[str, str]]
) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Tab(page, accounts_server[0])
    context.close()


def test_signup_save_rate_recommend_digest_unsubscribe(
    account_tab: Tab, accounts_server: tuple[str, Path, dict[str, str]], smtp: SmtpServer
) -> None:
    tab, page = account_tab, account_tab.page
    url, db, env = accounts_server

    # sign up
    tab.go("/signup")
    page.fill("#email", "reader@example.org")
    page.fill("#password", "a long enough password")
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/library$"))
    expect(page.locator("main")).to_contain_text("Your library is empty")
    expect(page.locator(".nav-account")).to_contain_text("reader@example.org")
    tab.shot("acc-01-signed-up")

    # save a paper from Today: the button keeps it on the server
    tab.go("/")
    card = page.locator("article.card").first
    title = card.locator(".card-title a").inner_text()
    paper_id = card.get_attribute("data-paper-id")
    button = card.locator("[data-save]")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("article.card [data-save]").first).to_have_attribute("aria-pressed", "true")

    # it is in the library; rate it
    tab.go("/library")
    item = page.locator("article.library-item").first
    expect(item.locator(".card-title")).to_have_text(title)
    item.locator("button[data-action=up]").click()
    page.wait_for_url(re.compile(r"/library$"))
    expect(page.locator("article.library-item [data-rating=up]")).to_be_visible()
    expect(page.locator("article.library-item button[data-action=unrate]").first).to_have_attribute(
        "aria-pressed", "true"
    )
    tab.shot("acc-02-library")

    # recommendations, each with its reason naming the saved paper
    tab.go("/recommendations")
    reasons = page.locator("[data-reason]")
    expect(reasons.first).to_be_visible()
    assert reasons.count() >= 10
    expect(reasons.first).to_contain_text("close to")
    expect(reasons.first).to_contain_text(title[:20])
    tab.shot("acc-03-recommendations")

    # digest settings: subscribe weekly, then change the size
    tab.go("/digest")
    page.select_option("#new-frequency", "weekly")
    page.fill("#new-size", "5")
    page.click("form.digest button[type=submit]")
    page.wait_for_url(re.compile(r"/digest\?saved=1"))
    expect(page.locator("form[data-subscription] h2")).to_have_text("Weekly digest")
    form = page.locator("form[data-subscription]")
    form.locator("input[name=size]").fill("4")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/digest\?saved=1"))
    expect(page.locator("form[data-subscription] input[name=size]")).to_have_value("4")
    tab.shot("acc-04-digest")

    # the digest arrives by email; its unsubscribe link works without signing in
    sent = subprocess.run(
        [
            sys.executable,
            "-m",
            "papersift",
            "--db",
            str(db),
            "digest",
            "send",
            "--date",
            "2026-07-03",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sent.returncode == 0, sent.stderr
    (message,) = smtp.inbox.to("reader@example.org")
    text = message.get_body(("plain",)).get_content()
    assert text.count("Why: close to") == 4
    link = re.search(r"Unsubscribe \(one click, no sign-in\): (\S+)", text)
    assert link and link.group(1).startswith(url)
    anonymous = page.context.browser.new_context()  # type: ignore[union-attr]
    other = Tab(anonymous.new_page(), url)
    other.page.goto(link.group(1))
    other.page.click("main form button[type=submit]")
    expect(other.page.locator("main")).to_contain_text("will get no more weekly digests")
    other.shot("acc-05-unsubscribed")
    assert other.problems == []
    anonymous.close()
    tab.go("/digest")
    expect(page.locator("form[data-subscription] h2")).to_contain_text("(unsubscribed)")

    # "not interested": gone from the daily list from then on
    tab.go("/")
    expect(page.locator(f"article.card[data-paper-id='{paper_id}']")).to_be_visible()
    tab.go("/library")
    page.locator("article.library-item button[data-action=hide]").first.click()
    page.wait_for_url(re.compile(r"/library$"))
    tab.go("/")
    expect(page.locator(f"article.card[data-paper-id='{paper_id}']")).to_be_hidden()
    expect(page.locator("article.card").nth(1)).to_be_visible()
    assert tab.problems == []


def test_signin_wrong_password_and_signout(account_tab: Tab) -> None:
    tab, page = account_tab, account_tab.page
    tab.go("/signup")
    page.fill("#email", "second@example.org")
    page.fill("#password", "another long password")
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/library$"))
    page.click("form[action='/signout'] button")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".nav-account")).to_contain_text("Sign in")
    tab.go("/signin")
    page.fill("#email", "second@example.org")
    page.fill("#password", "not the password")
    page.click("form.account-form button[type=submit]")
    expect(page.locator("p.error")).to_have_text("wrong email or password")
    page.fill("#password", "another long password")
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/library$"))
    # only the failed POST's 401 may show in the console, nothing else
    assert all("401" in p for p in tab.problems), tab.problems


def test_follow_a_topic_in_local_mode(tab: Tab) -> None:
    """`serve` on loopback: no sign-in; a fresh browser's first form gets its CSRF token from
    the page's script (the page itself set no cookie)."""
    page = tab.page
    tab.go("/topics")
    page.locator("[data-topics] tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/topics/\d+$"))
    label = page.locator("h1").inner_text()
    follow = page.locator("[data-follow]")
    expect(
        page.locator("form[action='/recommendations/follow'] input[name=csrf]")
    ).not_to_have_value("")
    follow.click()
    page.wait_for_url(re.compile(r"/recommendations$"))
    picks = page.locator("[data-reason]", has_text=f"your topic “{label}”")
    expect(picks.first).to_be_visible()  # (other tests of this server may have saved papers)
    tab.shot("acc-06-follow-topic")
    assert tab.problems == []
