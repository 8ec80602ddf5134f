"""Paper: everything known about one paper, where it came from, and papers like it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from papersift.radar import Radar
from papersift.web.deps import radar
from papersift.web.render import page

router = APIRouter(include_in_schema=False)
SIMILAR = 8


@router.get("/papers/{paper_id:path}")
async def paper(
    request: Request, radar: Annotated[Radar, Depends(radar)], paper_id: str
) -> Response:
    found = radar.get(paper_id)
    hits = radar.similar(found.id, limit=SIMILAR)
    similar = radar.get_many([h.id for h in hits])
    return page(
        request,
        "paper.html",
        title=found.display_name,
        paper=found,
        similar=similar,
        similar_mode=hits[0].mode if hits else None,
    )
