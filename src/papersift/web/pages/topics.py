"""Topic threads in the browser: the threads, one thread (its papers' cards side by side),
trending threads, and the map of every paper. JSON for scripts under /api/v1/topics and
/api/v1/map (the map page draws from the latter)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from papersift.model import MapPoints, Paper
from papersift.radar import Radar
from papersift.web.deps import radar
from papersift.web.pages import paper as paper_page
from papersift.web.render import json_response, page

router = APIRouter()
RadarDep = Annotated[Radar, Depends(radar)]
THREAD_PAPERS = 100  # papers listed on a thread page, most central first
COMPARE = 12  # of them, side by side with their cards
GRID = 65_535  # map coordinates travel as integers 0..GRID
Window = Annotated[int, Query(ge=1, le=365, description="days of recent papers")]


# --- pages --------------------------------------------------------------------------------------
@router.get("/topics", include_in_schema=False)
async def topics(request: Request, radar: RadarDep) -> Response:
    listed = radar.topics()
    return page(
        request,
        "topics_list.html",
        title="Topic threads",
        topics=listed,
        trending=radar.trending_topics(limit=6),
        papers=sum(t.size for t in listed),
    )


@router.get("/topics/trending", include_in_schema=False)
async def trending(request: Request, radar: RadarDep, window: Window = 28) -> Response:
    hot = radar.trending_topics(limit=50, window=window)
    return page(
        request, "topics_trending.html", title="Trending threads", trending=hot, window=window
    )


@router.get("/topics/{topic_id}", include_in_schema=False)
async def thread(request: Request, radar: RadarDep, topic_id: int) -> Response:
    found = radar.topic(topic_id, limit=THREAD_PAPERS)
    compared = [item.paper for item in found.papers[:COMPARE]]
    return page(
        request,
        "topics_thread.html",
        title=found.topic.label,
        thread=found,
        compare=COMPARE,
        cards=radar.cards_for(compared),  # only the papers compared side by side
        peak=max((n for _, n in found.by_month), default=0),
    )


@router.get("/map", include_in_schema=False)
async def map_page(request: Request, radar: RadarDep) -> Response:
    return page(request, "topics_map.html", title="Map of papers", threads=len(radar.topics()))


def _thread_section(radar: Radar, paper: Paper) -> dict[str, Any]:
    """The paper page's "Thread" section: the thread it belongs to, if any."""
    topic = radar.paper_topic(paper.id)
    if topic is None:
        return {"heading": "Thread", "text": "Not in a thread yet (papersift topics)."}
    return {
        "heading": "Thread",
        "links": [(f"{topic.label} ({topic.size} papers)", f"/topics/{topic.id}")],
    }


if ("paper_section.html", _thread_section) not in paper_page.SECTIONS:
    paper_page.SECTIONS.append(("paper_section.html", _thread_section))


# --- JSON ---------------------------------------------------------------------------------------
@router.get("/api/v1/topics", tags=["topics"], summary="Topic threads, largest first")
async def api_topics(radar: RadarDep) -> Response:
    return json_response({"topics": [t.as_dict() for t in radar.topics()]})


@router.get(
    "/api/v1/topics/trending", tags=["topics"], summary="Threads growing against their history"
)
async def api_trending(
    radar: RadarDep,
    window: Window = 28,
    limit: Annotated[int, Query(ge=0, le=500)] = 20,
) -> Response:
    hot = radar.trending_topics(limit=limit, window=window)
    return json_response({"trending": [t.as_dict() for t in hot]})


@router.get("/api/v1/topics/{topic_id}", tags=["topics"], summary="One thread and its papers")
async def api_topic(
    radar: RadarDep, topic_id: int, limit: Annotated[int, Query(ge=0, le=1000)] = 100
) -> Response:
    """The thread's label, phrases, size by month, and its most central papers with their
    system cards (``limit`` of them)."""
    return json_response(radar.topic(topic_id, limit=limit, cards=True).as_dict())


def map_columns(points: MapPoints) -> dict[str, Any]:
    """Every placed paper as compact columns: ``x``/``y`` scaled to integers 0..65535 (one
    scale for both), ``topic`` as an index into ``topics``, and ``recent``: the indexes of the
    papers of the newest day (``today``), highlighted on the map."""
    xs, ys = points.x, points.y
    low_x, low_y = (min(xs), min(ys)) if xs else (0.0, 0.0)
    span = max(max(xs) - low_x, max(ys) - low_y) if xs else 0.0
    scale = GRID / span if span else 0.0
    index = {t.id: i for i, t in enumerate(points.topics)}
    newest = max((d for d in points.day if d), default=None)
    return {
        "count": len(points.ids),
        "ids": list(points.ids),
        "x": [round((v - low_x) * scale) for v in xs],
        "y": [round((v - low_y) * scale) for v in ys],
        "topic": [index[t] for t in points.topic],
        "today": newest,
        "recent": [i for i, d in enumerate(points.day) if newest and d == newest],
        "topics": [{"id": t.id, "label": t.label, "size": t.size} for t in points.topics],
    }


@router.get("/api/v1/map", tags=["topics"], summary="The map: every placed paper, compact")
async def api_map(radar: RadarDep) -> Response:
    return json_response(map_columns(radar.map_points()))


@router.get("/api/v1/map/titles", tags=["topics"], summary="The map's titles, in its order")
async def api_map_titles(radar: RadarDep) -> Response:
    """Loaded after the points are drawn, for hovering."""
    return json_response(list(radar.map_points().title))
