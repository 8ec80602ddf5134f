"""The topic pages and the map in a real headless Chromium, served by `papersift serve` over a
copy of the sample store (loading the sample builds its threads)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.e2e.conftest import Tab


def test_threads_thread_page_and_trending(tab: Tab) -> None:
    page = tab.page
    tab.go("/topics")
    rows = page.locator("[data-topics] tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 3
    label = rows.first.locator("a").inner_text()
    tab.shot("topics-01-threads")
    rows.first.locator("a").click()
    page.wait_for_url(re.compile(r"/topics/\d+$"))
    expect(page.locator("h1")).to_have_text(label)
    expect(page.locator("svg[data-months] rect").first).to_be_attached()
    compare = page.locator("[data-compare] tbody tr")
    expect(compare.first).to_be_visible()
    first = compare.first.locator("a").first
    title = first.inner_text()
    tab.shot("topics-02-thread")
    first.click()
    page.wait_for_url(re.compile(r"/papers/"))
    expect(page.locator("h1")).to_have_text(title)

    tab.go("/topics/trending?window=7")
    hot = page.locator("[data-trending] tbody tr")
    expect(hot.first).to_be_visible()
    tab.shot("topics-03-trending")
    assert tab.problems == []


def test_map_draws_hovers_zooms_and_opens_a_paper(tab: Tab) -> None:
    page = tab.page
    tab.go("/")  # save a paper: the map shows the library (local mode: one user, no sign-in)
    page.wait_for_load_state("networkidle")  # the buttons show what is saved already
    save = page.locator('article.card [data-save][aria-pressed="false"]').first
    saved_id = save.get_attribute("data-save")
    save.click()
    expect(page.locator(f'article.card [data-save="{saved_id}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    tab.go("/map")
    canvas = page.locator("canvas#map")
    expect(canvas).to_have_attribute("data-ready", "1")
    expect(canvas).to_have_attribute("data-titles", "1")
    count = int(canvas.get_attribute("data-points") or 0)
    assert count > 300
    expect(page.locator("#map-status")).to_contain_text(f"{count:,} papers")
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))  # (CSP: no eval)
    expect(canvas).to_have_attribute("data-library", re.compile(r"[1-9]"))
    assert saved_id in page.evaluate(
        "() => window.papersiftMap.library.map((i) => window.papersiftMap.data.ids[i])"
    )
    assert int(canvas.get_attribute("data-drawn") or 0) == count  # all on screen at first
    tab.shot("topics-04-map")

    # hover a point: its title shows
    x, y, title = page.evaluate(
        """() => { const m = window.papersiftMap; const i = 0; const [x, y] = m.screen(i);
                   return [x, y, m.titles[i]]; }"""
    )
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator("#map-tip")
    expect(tip).to_be_visible()
    hovered = tip.get_attribute("data-paper-id")
    expect(tip.locator("strong")).to_have_text(
        page.evaluate(
            "(id) => window.papersiftMap.titles[window.papersiftMap.data.ids.indexOf(id)]", hovered
        )
    )
    assert title  # the first point has a title

    # zoom in around the centre: fewer points fit on screen
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):
        page.mouse.wheel(0, -400)
    expect(canvas).not_to_have_attribute("data-drawn", str(count))
    assert int(canvas.get_attribute("data-drawn") or count) < count
    canvas.press("0")  # back to the whole map
    expect(canvas).to_have_attribute("data-drawn", str(count))

    # click a point: the paper under the pointer opens
    x, y = page.evaluate("() => window.papersiftMap.screen(5)")
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(tip).to_be_visible()
    paper_id = tip.get_attribute("data-paper-id")
    assert paper_id
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"/papers/"))
    assert page.url.endswith("/papers/" + paper_id)
    assert tab.problems == []


def test_map_takes_60k_points(tab: Tab) -> None:
    """The same drawing code, given 60,000 points (synthetic positions, the sample's threads):
    every point is drawn, hovering and zooming still answer."""
    page = tab.page
    tab.go("/map")
    expect(page.locator("canvas#map")).to_have_attribute("data-ready", "1")
    drawn = page.evaluate(
        """() => new Promise((resolve) => {
            const m = window.papersiftMap, base = m.data, n = 60000;
            const data = { count: n, ids: [], x: new Array(n), y: new Array(n), topic: new Array(n),
                           today: base.today, recent: [], topics: base.topics };
            let seed = 7;
            const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
            for (let i = 0; i < n; i++) {
                const j = i % base.count;
                data.ids.push(base.ids[j]);
                data.topic[i] = base.topic[j];
                const jitter = (v) => Math.min(65535, Math.max(0, Math.round(v + rand() * 3000)));
                data.x[i] = jitter(base.x[j]);
                data.y[i] = jitter(base.y[j]);
                if (i % 1000 === 0) data.recent.push(i);
            }
            m.titles = null;
            m.load(data);
            const drawn = () => resolve(Number(m.canvas.dataset.drawn));
            requestAnimationFrame(() => requestAnimationFrame(drawn));
        })"""
    )
    assert drawn == 60000
    canvas = page.locator("canvas#map")
    expect(canvas).to_have_attribute("data-points", "60000")
    box = canvas.bounding_box()
    assert box is not None
    x, y = page.evaluate("() => window.papersiftMap.screen(123)")
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(page.locator("#map-tip")).to_be_visible()
    page.mouse.wheel(0, -800)
    expect(canvas).not_to_have_attribute("data-drawn", "60000")
    assert int(canvas.get_attribute("data-drawn") or 60000) < 60000
    frame_ms = float(canvas.get_attribute("data-frame-ms") or "nan")
    assert frame_ms == frame_ms  # a number: the paint finished (its time is in bench/RESULTS.md)
    assert tab.problems == []
