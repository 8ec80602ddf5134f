"""LaTeX in titles and abstracts is shown as unicode text, never as raw commands."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from papersift.deliver.latex import to_unicode
from papersift.sources.base import Input


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (r"from $x \rightarrow y$ in $O(n^2)$ time", "from x → y in O(n²) time"),
        (r"a \(\mathcal{L}\) loss over $\mathbb{R}^d$", "a ℒ loss over ℝ^d"),
        (r"ratio $\frac{a}{b}$ and $x_0$", "ratio a/b and x₀"),
        (r"gains 5% and 7\% ", "gains 5% and 7%"),  # a bare % is a percent, not a comment
        ("see https://github.com/a_b/c_0%20x now", "see https://github.com/a_b/c_0%20x now"),
        ("no markup at all", "no markup at all"),
        (r"unbalanced { and $ math", "unbalanced and math"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # text stays text
    ],
)
def test_to_unicode(raw: str, shown: str) -> None:
    assert to_unicode(raw) == shown


def test_paper_page_shows_rendered_math(client: TestClient) -> None:
    radar = client.app.state.radar  # type: ignore[attr-defined]
    record = (
        '{"id": "2607.88888", "title": "$\\\\pi$-Flow: Fast $\\\\mathcal{O}(n)$ Sampling",'
        ' "summary": "We map $x_0 \\\\rightarrow x_t$ with \\\\(\\\\frac{1}{2}\\\\) cost '
        'and $\\\\alpha$-blending.", "listing_dates": ["2026-07-03"], "categories": ["cs.LG"]}\n'
    )
    report = next(iter(radar.ingest([Input.from_bytes("math.jsonl", record.encode())])))
    assert report.new == 1, report
    page = client.get("/papers/2607.88888").text
    assert "<h1>π-Flow: Fast 𝒪(n) Sampling</h1>" in page
    assert "We map x₀ → xₜ with 1/2 cost and α-blending." in page
    for raw in ("\\rightarrow", "\\frac", "\\(", "$"):
        assert raw not in page.split("<main")[1], raw
    today = client.get("/?sort=newest&period=week").text
    assert "π-Flow: Fast 𝒪(n) Sampling" in today
