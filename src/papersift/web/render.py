"""Rendering: the Jinja2 environment (autoescaping everything), page and JSON responses, and
the small text helpers templates use (excerpts, highlighted matches, dates)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import orjson
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from papersift.deliver.latex import has_latex, to_unicode
from papersift.model import Paper, SystemCard
from papersift.store.memo import Memo

# The navigation every page shows: (label, path). Areas add theirs here (one line each).
NAV: list[tuple[str, str]] = [
    ("Today", "/"),
    ("Search", "/search"),
    ("Library", "/library"),
    ("For you", "/recommendations"),
    ("Digest", "/digest"),
    ("Threads", "/topics"),
    ("Map", "/map"),
]
# Links at the right of the header for a visitor who is not signed in (accounts replace them
# through a context hook that sets ``account_links``).
ACCOUNT_LINKS: list[tuple[str, str]] = [("Sign in", "/signin"), ("Sign up", "/signup")]

# Callables (request) -> dict merged into every page's context: accounts add the signed-in
# user and the CSRF token here, without touching the pages of other areas.
CONTEXT_HOOKS: list[Callable[[Request], dict[str, Any]]] = []

STATIC = resources.files("papersift.web").joinpath("static")


@cache
def static_version(name: str) -> str:
    """A content hash of a static file, for cache-busting URLs (served as immutable)."""
    return hashlib.sha256(STATIC.joinpath(name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def excerpt(text: str | None, length: int = 280) -> str:
    """The start of ``text``, cut at a word, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def highlight(text: str | None, terms: Iterable[str]) -> Markup:
    """``text`` escaped, with each whole-word occurrence of ``terms`` wrapped in <mark>."""
    words = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words or not text:
        return escape(text or "")
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704 - every piece of text was escaped above


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: links from sources are untrusted
    (no ``javascript:`` or ``data:`` link is ever rendered, whatever a listing said)."""
    if not url:
        return None
    if url.startswith(("https://", "http://")):
        return url
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https") or not text[len(scheme) :].startswith("://"):
        return None
    return text


def authors(names: Iterable[str], limit: int = 6) -> str:
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def day(value: str | None) -> str:
    return (value or "")[:10]


def weekday(value: str | None, short: bool = False) -> str:
    """``2026-07-03`` as "Friday 3 July 2026" (or "Fri 3 Jul")."""
    from datetime import date

    try:
        d = date.fromisoformat((value or "")[:10])
    except ValueError:
        return value or ""
    if short:
        return f"{d:%a} {d.day} {d:%b}"
    return f"{d:%A} {d.day} {d:%B %Y}"


def title_text(paper: Paper) -> str:
    """The title to show: its LaTeX rendered (``$\\pi$-Flow`` → π-Flow)."""
    if paper.title and has_latex(paper.title_raw):
        return to_unicode(paper.title_raw)
    return paper.display_name


def abstract_text(paper: Paper, full: bool = True) -> str:
    """The abstract to show. ``full`` (the paper page): rendered from the raw LaTeX. Otherwise
    (cards) the stored clean text, rendered again only where it still shows markup."""
    if full:
        return to_unicode(paper.abstract_raw) if has_latex(paper.abstract_raw) else paper.abstract
    if "\\" in paper.abstract or "$" in paper.abstract:
        return to_unicode(paper.abstract_raw)
    return paper.abstract


def math_text(text: str | None) -> str:
    """Any other text that may hold LaTeX (a card's system names, claims): rendered."""
    return to_unicode(text) if text and has_latex(text) else text or ""


_CARDS = Memo(4096)  # rendered cards: one process, one thread (see papersift.web.deps)


def card(
    paper: Paper,
    *,
    terms: Iterable[str] = (),
    day: str | None = None,
    rank: int | None = None,
    system: SystemCard | None = None,
) -> Markup:
    """A paper's card (``_card.html``), kept rendered: the same paper, card and place give the
    same HTML for every reader (their saved marks are set by the page's script), so a list
    page re-rendered for each signed-in reader costs a lookup per card, not a template run.
    The key holds the whole paper and card, so a changed paper is rendered anew."""
    key = (paper, tuple(terms), day, rank, system)
    html: Markup | None = _CARDS.get(key)
    if html is None:
        macro = environment().get_template("_card.html").module.card  # type: ignore[attr-defined]
        rendered = macro(paper, terms=key[1], day=day, rank=rank, system=system)
        html = _CARDS.put(key, rendered)  # Markup: the macro escaped every value
    return html


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("papersift.web", "templates"),
        autoescape=True,  # every template, whatever its name: titles and abstracts are untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        excerpt=excerpt,
        highlight=highlight,
        authors=authors,
        day=day,
        weekday=weekday,
        web_url=web_url,
        title_text=title_text,
        abstract_text=abstract_text,
        math_text=math_text,
    )
    env.globals.update(static_url=static_url, nav=NAV, card=card)
    return env


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A full HTML page (or, with ``fragment=True`` in the context, a bare template)."""
    values: dict[str, Any] = {
        "request": request,
        "path": request.url.path,
        "account_links": ACCOUNT_LINKS,
        "title": None,
    }
    for hook in CONTEXT_HOOKS:
        values.update(hook(request))
    values.update(context)
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status)


class JSONBody(Response):
    """JSON via orjson (fast, and always valid UTF-8)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def json_response(content: Any, *, status: int = 200) -> Response:
    return JSONBody(content, status_code=status)
