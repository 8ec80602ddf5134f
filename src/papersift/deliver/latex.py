"""LaTeX in titles and abstracts, shown as readable unicode text (for pages, e-mail, feeds).

arXiv abstracts carry math (``$O(n^2)$``, ``\\(\\mathcal{L}\\)``, ``\\frac{a}{b}``) and
accents. :func:`to_unicode` renders them with pylatexenc (math as text: ``\\rightarrow`` → →,
``\\mathcal{L}`` → ℒ, ``\\frac{a}{b}`` → a/b), then turns one-character super- and subscripts
into their unicode forms where they exist (``n^2`` → n², ``x_0`` → x₀). Text without LaTeX is
returned as is. The result is plain text: callers escape it like any other text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeioxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢₒₓₕₖₗₘₙₚₛₜ")
_SUP_CHARS = "0123456789+-=()ni"
_SUB_CHARS = "0123456789+-=()aeioxhklmnpst"
_SCRIPT = re.compile(r"([\^_])([0-9A-Za-z+\-=()])(?![0-9A-Za-z])")
_LATEX = re.compile(r"[\\$^_{}~]")
_BARE_PERCENT = re.compile(r"(?<!\\)%")  # "5%" in metadata is a percent, not a comment
_URL = re.compile(r"\S*(?:://|www\.)\S*")


def has_latex(text: str) -> bool:
    return bool(_LATEX.search(text))


@lru_cache(maxsize=1)
def _converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text")


def _script(match: re.Match[str]) -> str:
    mark, char = match.group(1), match.group(2)
    if mark == "^" and char in _SUP_CHARS:
        return char.translate(_SUPERSCRIPT)
    if mark == "_" and char in _SUB_CHARS:
        return char.translate(_SUBSCRIPT)
    return match.group(0)


@lru_cache(maxsize=8192)
def to_unicode(text: str) -> str:
    """``text`` with its LaTeX rendered as unicode (unchanged when it has none; when pylatexenc
    cannot read it, the text is returned with its markup)."""
    if not text or not has_latex(text):
        return text
    urls: list[str] = []

    def keep(match: re.Match[str]) -> str:  # URLs pass through untouched
        urls.append(match.group(0))
        return f"URLKEPT{len(urls) - 1}X"

    source = _BARE_PERCENT.sub(r"\\%", _URL.sub(keep, text))
    try:
        rendered: str = _converter().latex_to_text(source)
    except Exception:  # a malformed formula must not break a page: show it as written
        return text
    rendered = _SCRIPT.sub(_script, rendered)
    rendered = re.sub(r"URLKEPT(\d+)X", lambda m: urls[int(m.group(1))], rendered)
    return " ".join(rendered.split())
