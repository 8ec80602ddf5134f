"""Paper: everything known about one paper, where it came from, and papers like it.

The similar papers come in a second request (the page's script fetches
``/papers/ID/similar?fragment=1``; without script it is a link to the full list), so the page
shows at once even where finding neighbours is slow (no embeddings yet: keyword similarity).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from papersift.radar import Radar
from papersift.web.deps import radar
from papersift.web.render import page, title_text

router = APIRouter(include_in_schema=False)
SIMILAR = 8


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
    return page(request, "paper.html", title=title_text(found), paper=found)
