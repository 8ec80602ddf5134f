"""Search: one box, results as you type, mode and filters; the URL holds the query."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from papersift.radar import Radar
from papersift.web.api import MAX_QUERY
from papersift.web.deps import radar
from papersift.web.render import page

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
MAX_PAGES = 50
DAY = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"


@router.get("/search")
async def search(
    request: Request,
    radar: Annotated[Radar, Depends(radar)],
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    mode: Literal["hybrid", "keyword", "semantic"] = "hybrid",
    since: Annotated[str, Query(pattern=DAY, max_length=10)] = "",
    until: Annotated[str, Query(pattern=DAY, max_length=10)] = "",
    category: Annotated[str, Query(max_length=100)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGES)] = 1,
    fragment: bool = False,
) -> Response:
    result = None
    papers = {}
    if q.strip():
        result = radar.search(
            q,
            mode=mode,
            since=since or None,
            until=until or None,
            category=category or None,
            limit=PER_PAGE,
            offset=(page_number - 1) * PER_PAGE,
        )
        papers = {p.id: p for p in radar.get_many([h.id for h in result.hits])}
    if result is None:
        pages = 1
    elif result.total is not None:
        pages = min(MAX_PAGES, max(1, -(-result.total // PER_PAGE)))
    else:  # uncounted (hybrid, semantic): a full page may have a next one
        pages = page_number + (1 if len(result.hits) == PER_PAGE else 0)
    return page(
        request,
        "search_results.html" if fragment else "search.html",
        title=f"{q} – search" if q else "Search",
        q=q,
        mode=mode,
        since=since,
        until=until,
        category=category,
        result=result,
        papers=papers,
        cards=radar.cards_for(list(papers.values())) if papers else {},
        page_number=page_number,
        pages=min(MAX_PAGES, pages),
    )
