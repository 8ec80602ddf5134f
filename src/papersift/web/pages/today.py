"""Today: the papers of a day, week or month, trending or newest (like HF daily papers)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from papersift.radar import Radar
from papersift.web.deps import radar
from papersift.web.render import page

router = APIRouter(include_in_schema=False)
PER_PAGE = 30
MAX_PAGES = 1000


@router.get("/")
async def today(
    request: Request,
    radar: Annotated[Radar, Depends(radar)],
    period: Literal["day", "week", "month"] = "day",
    date: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    sort: Literal["trending", "newest"] = "trending",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGES)] = 1,
) -> Response:
    listing = radar.listing(period, date, sort, offset=(page_number - 1) * PER_PAGE, limit=PER_PAGE)
    return page(
        request,
        "today.html",
        title=f"Papers of {listing.label}",
        listing=listing,
        cards=radar.cards_for([item.paper for item in listing.items]),
        period=period,
        sort=sort,
        page_number=page_number,
        pages=max(1, -(-listing.total // PER_PAGE)),
    )
