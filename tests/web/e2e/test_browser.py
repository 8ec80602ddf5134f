"""The pages in a real headless Chromium: the main flows, keys, saving, escaping, themes."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.web.conftest import XSS_ID, XSS_TITLE
from tests.web.e2e.conftest import Tab


def test_today_search_paper_similar_week(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    expect(page.locator("h1")).to_have_text("Papers of 2026-07-03")
    expect(page.locator("article.card").first).to_be_visible()
    tab.shot("01-today")

    # search: type in the box, results come as you type, the URL follows
    tab.go("/search")
    page.locator("#q").press_sequentially("agent memory", delay=30)
    page.wait_for_url(re.compile(r"/search\?q=agent\+memory"))
    first = page.locator("#results article.card .card-title a").first
    expect(first).to_be_visible()
    expect(page.locator("#results mark").first).to_be_visible()
    tab.shot("02-search")
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/papers/"))
    expect(page.locator("h1")).to_have_text(title)
    tab.shot("03-paper")

    # a similar paper (the list arrives after the page)
    similar = page.locator("ol.similar a").first
    expect(similar).to_be_visible()
    similar_title = similar.inner_text()
    similar.click()
    page.wait_for_url(re.compile(r"/papers/"))
    expect(page.locator("h1")).to_have_text(similar_title)
    tab.shot("04-similar")

    # week view from Today
    tab.go("/")
    page.get_by_role("link", name="Week").click()
    page.wait_for_url(re.compile(r"period=week"))
    expect(page.locator("h1")).to_have_text("Papers of week 2026-W27")
    expect(page.locator(".count")).to_contain_text("2026-06-29 to 2026-07-05")
    tab.shot("05-week")
    page.locator("a[rel=prev]").first.click()
    expect(page.locator("h1")).to_have_text("Papers of week 2026-W26")

    assert tab.problems == []


def test_search_url_holds_the_query_and_filters(tab: Tab) -> None:
    tab.go("/search?q=diffusion&mode=keyword&category=cs.CV")
    page = tab.page
    expect(page.locator("#q")).to_have_value("diffusion")
    expect(page.locator("input[name=mode][value=keyword]")).to_be_checked()
    cats = page.locator("#results article.card .cat")
    expect(cats.first).to_be_visible()
    page.locator("input[name=mode][value=hybrid]").check()
    page.wait_for_url(re.compile(r"mode=hybrid"))
    assert "category=cs.CV" in page.url
    assert tab.problems == []


def test_keyboard_shortcuts(tab: Tab) -> None:
    tab.go("/")
    page = tab.page
    page.keyboard.press("j")
    page.keyboard.press("j")
    current = page.locator("[data-item].current")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute(
        "data-paper-id", page.locator("article.card").nth(1).get_attribute("data-paper-id") or ""
    )
    page.keyboard.press("k")
    expect(page.locator("article.card").first).to_have_class(re.compile("current"))
    page.keyboard.press("Escape")
    page.locator("body").press("/")
    expect(page.locator("#nav-q")).to_be_focused()
    page.keyboard.type("vision")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=vision"))
    assert tab.problems == []


def test_save_button_toggles_and_stays(tab: Tab) -> None:
    tab.go("/")
    page = tab.page
    button = page.locator("article.card [data-save]").first
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("Saved")
    page.reload()
    expect(page.locator("article.card [data-save]").first).to_have_attribute("aria-pressed", "true")
    assert tab.problems == []


def test_script_title_renders_as_text(tab: Tab) -> None:
    tab.go(f"/papers/{XSS_ID}")
    page = tab.page
    expect(page.locator("h1")).to_have_text(XSS_TITLE)
    expect(page.locator("p.abstract")).to_contain_text('<img src=x onerror="alert(2)">')
    assert page.locator("main script, main img").count() == 0
    tab.shot("06-xss-paper")
    tab.go("/?period=day&date=2026-07-03&sort=newest")
    expect(page.get_by_text(XSS_TITLE, exact=True)).to_be_visible()
    tab.go("/search?q=script+alert&mode=keyword")
    expect(page.locator("#results .card-title").first).to_contain_text("alert(1)")
    assert tab.dialogs == []
    assert tab.problems == []


def test_dark_mode_and_phone(browser: Browser, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True
    )
    page = context.new_page()
    tab = Tab(page, server)
    tab.go("/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 20)"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways on a phone
    tab.shot("07-phone-dark")
    tab.go("/papers/2606.24775")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tab.shot("08-phone-paper")
    assert tab.problems == []
    context.close()
