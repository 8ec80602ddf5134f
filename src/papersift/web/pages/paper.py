"""Paper: everything known about one paper, where it came from, and papers like it.

The similar papers come in a second request (the page's script fetches
``/papers/ID/similar?fragment=1``; without script it is a link to the full list), so the page
shows at once even where finding neighbours is slow (no embeddings yet: keyword similarity).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from papersift.model import Paper
from papersift.radar import Radar
from papersift.web.deps import radar
from papersift.web.render import page, title_text

router = APIRouter(include_in_schema=False)
SIMILAR = 8

# Extra sections of the paper page, shown in this order after the abstract: (template, context
# function). An area adds its own with one line, e.g. the system card:
#   SECTIONS.append(("paper_card.html", lambda radar, paper: {"card": radar.card(paper.id)}))
# The template sees its context as ``section`` (and ``paper``, ``request`` like any page);
# ``paper_section.html`` shows a plain one: {"heading", "text"?, "rows"?: [(label, value)],
# "links"?: [(label, href)]}.
Section = Callable[[Radar, Paper], dict[str, Any]]
SECTIONS: list[tuple[str, Section]] = []


@router.get("/papers/{paper_id:path}/similar")
async def similar(
    request: Request,
    radar: Annotated[Radar, Depends(radar)],
    paper_id: str,
    fragment: bool = False,
) -> Response:
    found = radar.get(paper_id)
    hits = radar.similar(found.id, limit=SIMILAR if fragment else 30)
    papers = radar.get_many([h.id for h in hits])
    return page(
        request,
        "paper_similar.html" if fragment else "paper_similar_page.html",
        title=f"Papers like {title_text(found)}",
        paper=found,
        similar=papers,
        similar_mode=hits[0].mode if hits else None,
    )


@router.get("/papers/{paper_id:path}")
async def paper(
    request: Request, radar: Annotated[Radar, Depends(radar)], paper_id: str
) -> Response:
    found = radar.get(paper_id)
    sections = [(template, context(radar, found)) for template, context in SECTIONS]
    return page(
        request,
        "paper.html",
        title=title_text(found),
        paper=found,
        card=radar.card(found.id),
        sections=sections,
    )
