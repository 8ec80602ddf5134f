"""The JSON API, /api/v1: the facade's reading calls, and ingest of an uploaded file for admins.

Every list pages with opaque cursors (``next_cursor``; pass it back as ``cursor``); every size is
bounded (query length, page length, ids per call, upload size); every error has the one shape
``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from papersift.deliver.export import paper_dict
from papersift.errors import ForbiddenError, UsageError
from papersift.model import Listing
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.web.deps import decode_cursor, encode_cursor, radar, read_cursor
from papersift.web.errors import WebError
from papersift.web.render import json_response


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, machine-readable: not_found, invalid_parameter …")
    message: str = Field(description="what went wrong, for people")
    details: dict[str, Any] = Field(description="more about it: the id, the bad parameters …")


class ErrorBody(BaseModel):
    """The one shape of every error this API answers."""

    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "a parameter is missing, malformed or out of its bounds"),
        (404, "no such paper (or route)"),
        (413, "the request body is too large"),
        (500, "an unexpected error (the server log has the details)"),
    )
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=_ERRORS)

MAX_QUERY = 500  # characters of a search query
MAX_LIMIT = 100  # items per page
MAX_IDS = 100  # papers per batch lookup
MAX_FILTERS = 20  # categories / sources per search
MAX_NAME = 100  # characters of one category or source name

RadarDep = Annotated[Radar, Depends(radar)]
PaperId = Annotated[
    str, Path(description="papersift id, arXiv id (any spelling) or DOI", max_length=300)
]
Cursor = Annotated[
    str | None, Query(max_length=200, description="next_cursor of the previous page")
]
Day = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="YYYY, YYYY-MM or YYYY-MM-DD",
        max_length=10,
    ),
]


def listing_dict(listing: Listing) -> dict[str, Any]:
    return {
        "period": listing.period,
        "label": listing.label,
        "start": listing.start,
        "end": listing.end,
        "sort": listing.sort,
        "total": listing.total,
        "offset": listing.offset,
        "limit": listing.limit,
        "previous": listing.previous,
        "next": listing.next,
        "items": [
            {"day": item.day, "score": round(item.score, 6), "saves": item.saves}
            | {"paper": paper_dict(item.paper)}
            for item in listing.items
        ],
    }


@router.get("/search", summary="Search papers")
async def search(
    radar: RadarDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="the query")],
    mode: Annotated[
        Literal["hybrid", "keyword", "semantic"] | None,
        Query(description="default hybrid (keyword where there are no embeddings)"),
    ] = None,
    since: Day = None,
    until: Day = None,
    category: Annotated[
        list[str], Query(max_length=MAX_FILTERS, description="cs.CL, or cs for all of cs.*")
    ] = [],  # noqa: B006
    source: Annotated[
        list[str], Query(max_length=MAX_FILTERS, description="a format: hf-daily, arxiv-api …")
    ] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    cursor: Cursor = None,
) -> Response:
    """One page of papers for `q` (words, "phrases", prefix*, AND/OR/NOT, author:, cat: …)."""
    if any(len(name) > MAX_NAME for name in (*category, *source)):
        raise UsageError(f"category and source names are at most {MAX_NAME} characters")
    scope = f"search|{q}|{mode}|{since}|{until}|{category}|{source}"
    offset = decode_cursor(cursor, scope)
    result = radar.search(
        q,
        mode=mode,
        since=since,
        until=until,
        category=category,
        source=source,
        limit=limit,
        offset=offset,
    )
    body = result.as_dict()
    if result.total is not None:
        more = offset + len(result.hits) < result.total
    else:  # hybrid and semantic searches do not count: a full page may have a next one
        more = len(result.hits) == limit
    body["next_cursor"] = encode_cursor(offset + limit, scope) if more else None
    return json_response(body)


@router.get("/daily", summary="Papers listed in a day, week or month")
async def daily(
    radar: RadarDep,
    period: Literal["day", "week", "month"] = "day",
    date: Annotated[
        str | None,
        Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day of the period; default latest"),
    ] = None,
    sort: Literal["trending", "newest"] = "trending",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Cursor = None,
) -> Response:
    """The papers listed in the period holding `date`, trending (upvotes and saves with time
    decay) or newest first; `previous`/`next` name a day of the neighbouring periods."""
    scope = f"daily|{period}|{date}|{sort}"
    offset, pinned = read_cursor(cursor, scope)
    # without a date the period is the latest one; the cursor keeps the day it resolved to,
    # so the next pages stay in that period even if a newer day arrives meanwhile
    day = date or pinned
    listing = radar.listing(period, day, sort, offset=offset, limit=limit)
    body = listing_dict(listing)
    more = listing.has_more
    next_cursor = encode_cursor(offset + limit, scope, pin=listing.anchor) if more else None
    body["next_cursor"] = next_cursor
    return json_response(body)


@router.get("/papers", summary="Several papers by id")
async def papers(
    radar: RadarDep,
    ids: Annotated[list[str], Query(min_length=1, max_length=MAX_IDS)],
) -> Response:
    """The papers named (any ids); unknown ones are listed in `missing`."""
    found = radar.get_many(ids)
    known = {p.id for p in found} | {p.arxiv_id for p in found if p.arxiv_id}
    return json_response(
        {"papers": [paper_dict(p) for p in found], "missing": [i for i in ids if i not in known]}
    )


@router.get("/papers/{paper_id:path}/similar", summary="Papers like this one")
async def similar(
    radar: RadarDep,
    paper_id: PaperId,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    diversify: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
) -> Response:
    hits = radar.similar(paper_id, limit=limit, diversify=diversify)
    return json_response({"id": paper_id, "hits": [h.as_dict() for h in hits]})


@router.get("/papers/{paper_id:path}", summary="One paper")
async def paper(radar: RadarDep, paper_id: PaperId) -> Response:
    found = radar.get(paper_id)
    return json_response({**paper_dict(found), "card": radar.card(found.id).as_dict()})


@router.get("/stats", summary="What the store holds")
async def stats(radar: RadarDep) -> Response:
    data = radar.stats()
    data.pop("store", None)  # the server's file path is nobody's business
    return json_response(data)


async def _admin(request: Request, radar: RadarDep) -> Radar:
    token = radar.settings.admin_token if radar.settings else None
    if not token:
        raise ForbiddenError("the admin API is off: set PAPERSIFT_ADMIN_TOKEN to turn it on")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), token):
        raise ForbiddenError("admin token missing or wrong (Authorization: Bearer TOKEN)")
    return radar


@router.post(
    "/admin/ingest",
    summary="Ingest an uploaded listing file (admins)",
    responses={
        403: {"model": ErrorBody, "description": "no admin token, or the wrong one"},
        422: {"model": ErrorBody, "description": "the file could not be read: nothing stored"},
    },
)
async def ingest(
    request: Request,
    admin: Annotated[Radar, Depends(_admin)],
    name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name")],
    format: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The request body is the file (any format papersift reads; gzip is fine), sent as is
    (`curl --data-binary @file`). Answers the ingest report; a file refused whole is 422."""
    data = await request.body()
    if not data:
        raise UsageError("the request body is empty: send the file as the body")
    report = next(iter(admin.ingest([Input.from_bytes(name, data)], format=format)))
    if report.error:
        raise WebError(422, "unreadable_input", report.error, {"report": report.as_dict()})
    return json_response(report.as_dict())
