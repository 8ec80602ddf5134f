"""Display text: LaTeX rendered as unicode, whitespace collapsed."""

from __future__ import annotations

import pytest

from papersift.sources.text import clean, squash


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("from 128 GB to 1 GB $\\rightarrow$ 2x", "from 128 GB to 1 GB → 2x"),
        ("we \\textbf{reduce} memory by 18\\%", "we reduce memory by 18% "[:-1]),
        ("$O(n^{2})$ and $x^2$ and $10^{-3}$", "O(n²) and x² and 10⁻³"),
        ("$\\alpha=0.5$, $\\times 3$", "α=0.5, × 3"),
        ("``tree search'' and `single'", "“tree search” and ‘single’"),
        ("Schr\\\"odinger and \\'{e}t\\'e", "Schrödinger and été"),
        ("a --- b -- c", "a — b – c"),
        ("\\emph{\\textbf{nested}}", "nested"),
        ("line one\nline  two\t end ", "line one line two end"),
        ("plain text stays as it is", "plain text stays as it is"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("costs \\$5", "costs $5"),
    ],
)
def test_clean(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_squash_handles_unicode_whitespace() -> None:
    assert squash("a\u00a0\u2009 b\n\nc") == "a b c"
    assert squash(None) == ""
