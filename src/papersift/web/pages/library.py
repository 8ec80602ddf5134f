"""A user's library, recommendations and digest settings; unsubscribe links; Atom feeds; and
the JSON API for the library (/api/v1/library, /api/v1/recommendations, /api/v1/session).

Every handler names the user from the session (never from the URL), so no one reaches another
user's library or subscriptions by changing an id. Unsafe requests need the CSRF token.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from papersift.deliver.export import paper_dict
from papersift.errors import AuthenticationError, UsageError
from papersift.model import Preferences
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.web import accounts as web
from papersift.web.deps import radar
from papersift.web.render import json_response, page

router = APIRouter()
RadarDep = Annotated[Radar, Depends(radar)]
Short = Annotated[str, Form(max_length=500)]
MAX_RECOMMENDATIONS = 100


def _signed_in(request: Request, path: str) -> Response | None:
    """A redirect to sign in for a visitor who is not signed in."""
    if web.current_user(request) is None:
        return RedirectResponse(f"/signin?next={path}", status_code=303)
    return None


def _page(request: Request, template: str, title: str, **values: Any) -> Response:
    web.ensure_csrf_cookie(request)
    return web.finish(request, page(request, template, title=title, **values))


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.replace("\n", ",").split(",") if w.strip())


# --- pages -----------------------------------------------------------------------------------
@router.get("/library", include_in_schema=False)
async def library_page(request: Request, radar: RadarDep, tag: str | None = None) -> Response:
    redirect = _signed_in(request, "/library")
    if redirect:
        return redirect
    user = web.require_user(request)
    items = radar.library(user, tag=tag, everything=True)
    tags = sorted({t for entry, _ in items for t in entry.tags})
    return _page(request, "library.html", "Library", items=items, tags=tags, tag=tag, imported=None)


@router.post("/library/{paper_id:path}", include_in_schema=False)
async def library_change(
    request: Request,
    radar: RadarDep,
    paper_id: str,
    action: Annotated[
        Literal[
            "save",
            "unsave",
            "up",
            "down",
            "unrate",
            "read",
            "unread",
            "hide",
            "unhide",
            "tag",
            "untag",
            "note",
            "remove",
        ],
        Form(),
    ],
    csrf: Short = "",
    value: Annotated[str, Form(max_length=10_000)] = "",
    back: Short = "/library",
) -> Response:
    await web.check_csrf(request, csrf)
    user = web.require_user(request)
    table: dict[str, dict[str, Any]] = {
        "save": {"saved": True},
        "unsave": {"saved": False},
        "up": {"rating": 1},
        "down": {"rating": -1},
        "unrate": {"rating": 0},
        "read": {"read": True},
        "unread": {"read": False},
        "hide": {"not_interested": True},
        "unhide": {"not_interested": False},
        "tag": {"add_tags": _words(value)},
        "untag": {"remove_tags": _words(value)},
        "note": {"note": value},
    }
    changes = table.get(action, {})
    if action == "remove":
        radar.library_remove(user, paper_id)
    elif action == "save":
        radar.library_add(user, [paper_id])
    else:
        radar.library_mark(user, paper_id, **changes)
    target = back if back.startswith("/") and not back.startswith("//") else "/library"
    return web.finish(request, RedirectResponse(target, status_code=303))


MAX_IMPORT = 8 * 1024 * 1024  # bytes of an uploaded library file


@router.post("/library-import", include_in_schema=False)
async def library_import(
    request: Request,
    radar: RadarDep,
    file: Annotated[UploadFile, File()],
    csrf: Short = "",
) -> Response:
    """A BibTeX file (a Zotero export), any listing papersift reads, or a list of arXiv ids /
    DOIs: its papers join the library."""
    await web.check_csrf(request, csrf)
    user = web.require_user(request)
    data = await file.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        raise UsageError(f"the file is larger than {MAX_IMPORT // 2**20} MB")
    if not data.strip():
        raise UsageError("the file is empty")
    name = (file.filename or "upload")[:200]
    result = radar.library_import(user, Input.from_bytes(name, data))
    items = radar.library(user, everything=True)
    tags = sorted({t for entry, _ in items for t in entry.tags})
    return _page(
        request, "library.html", "Library", items=items, tags=tags, tag=None, imported=result
    )


@router.get("/library-export", include_in_schema=False)
async def library_export(
    request: Request,
    radar: RadarDep,
    format: Literal["bibtex", "csv", "json"] = "bibtex",
    tag: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    user = web.require_user(request)
    body = "".join(radar.library_export(user, format, tag=tag))
    kind = {"bibtex": "application/x-bibtex", "csv": "text/csv", "json": "application/json"}
    ext = {"bibtex": "bib", "csv": "csv", "json": "json"}[format]
    response = Response(
        body,
        media_type=f"{kind[format]}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="library.{ext}"'},
    )
    return web.finish(request, response)


@router.get("/recommendations", include_in_schema=False)
async def recommendations_page(
    request: Request,
    radar: RadarDep,
    since: Annotated[str | None, Query(max_length=10)] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    redirect = _signed_in(request, "/recommendations")
    if redirect:
        return redirect
    user = web.require_user(request)
    result = radar.recommend(user, since=since or None, limit=30, tag=tag or None)
    tags = sorted({t for e in radar.store.library_entries(user.id) for t in e.tags})
    papers = {p.id: p for p in radar.store.get_many([p.id for p in result.picks])}
    picks = [(pick, papers[pick.id]) for pick in result.picks if pick.id in papers]
    return _page(
        request,
        "library_recommendations.html",
        "Recommended for you",
        result=result,
        picks=picks,
        prefs=radar.preferences(user),
        since=since or "",
        tags=tags,
        tag=tag or "",
    )


@router.post("/recommendations/preferences", include_in_schema=False)
async def preferences_change(
    request: Request,
    radar: RadarDep,
    csrf: Short = "",
    include: Short = "",
    exclude: Short = "",
    categories: Short = "",
    exclude_categories: Short = "",
    topics: Short = "",
) -> Response:
    await web.check_csrf(request, csrf)
    user = web.require_user(request)
    radar.set_preferences(
        user,
        Preferences(
            include_keywords=_words(include),
            exclude_keywords=_words(exclude),
            categories=_words(categories),
            exclude_categories=_words(exclude_categories),
            topics=_words(topics),
        ),
    )
    return web.finish(request, RedirectResponse("/recommendations", status_code=303))


@router.post("/recommendations/follow", include_in_schema=False)
async def follow_topic(
    request: Request,
    radar: RadarDep,
    topic: Annotated[int, Form(ge=0)],
    csrf: Short = "",
) -> Response:
    """Follow a topic thread: it stands in the recommendations like papers in the library."""
    await web.check_csrf(request, csrf)
    user = web.require_user(request)
    radar.topic(topic, limit=1)  # a thread that exists (TopicNotFoundError: 404)
    prefs = radar.preferences(user)
    if str(topic) not in prefs.topics:
        radar.set_preferences(user, replace(prefs, topics=(*prefs.topics, str(topic))))
    return web.finish(request, RedirectResponse("/recommendations", status_code=303))


@router.get("/digest", include_in_schema=False)
async def digest_page(request: Request, radar: RadarDep, saved: bool = False) -> Response:
    redirect = _signed_in(request, "/digest")
    if redirect:
        return redirect
    user = web.require_user(request)
    subs = [(s, radar.feed_url(s)) for s in radar.subscriptions(user)]
    return _page(
        request,
        "library_digest.html",
        "Digest settings",
        subs=subs,
        saved=saved,
        default_email=user.email or "",
    )


@router.post("/digest", include_in_schema=False)
async def digest_change(
    request: Request,
    radar: RadarDep,
    csrf: Short = "",
    subscription: Short = "",
    email: Short = "",
    content: Short = "recommend",
    query: Short = "",
    frequency: Short = "daily",
    size: Annotated[int, Form(ge=1, le=100)] = 10,
    active: Short = "",
) -> Response:
    await web.check_csrf(request, csrf)
    user = web.require_user(request)
    if subscription:
        if not subscription.isdigit():
            raise UsageError("subscription must be a number")
        radar.update_subscription(
            user,
            int(subscription),
            email=email,
            content=content,
            query=query,
            frequency=frequency,
            size=size,
            active=bool(active),
        )
    else:
        radar.subscribe(
            user,
            email=email or None,
            content=content,
            query=query,
            frequency=frequency,
            size=size,
        )
    return web.finish(request, RedirectResponse("/digest?saved=1", status_code=303))


@router.get("/unsubscribe/{sub_id}/{signature}", include_in_schema=False)
async def unsubscribe_page(
    request: Request, radar: RadarDep, sub_id: int, signature: str
) -> Response:
    """The link in every digest: a confirmation button (so link scanners change nothing)."""
    from papersift.accounts.auth import check_signature

    sub = radar.store.subscription_by_id(sub_id)
    if sub is None or not check_signature(
        radar.secret_key(), "unsubscribe", str(sub_id), signature
    ):
        raise AuthenticationError("this unsubscribe link is not valid")
    return _page(
        request,
        "library_unsubscribe.html",
        "Unsubscribe",
        sub=sub,
        done=not sub.active,
        action=f"/unsubscribe/{sub_id}/{signature}",
    )


@router.post("/unsubscribe/{sub_id}/{signature}", include_in_schema=False)
async def unsubscribe(request: Request, radar: RadarDep, sub_id: int, signature: str) -> Response:
    """One click (RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click``) or the
    confirmation button. The signature is the credential: no sign-in, no CSRF token."""
    sub = radar.unsubscribe(sub_id, signature)
    return _page(request, "library_unsubscribe.html", "Unsubscribe", sub=sub, done=True, action="")


@router.get("/feeds/trending.atom", include_in_schema=False)
async def trending_feed(radar: RadarDep) -> Response:
    return Response(radar.trending_feed(), media_type="application/atom+xml; charset=utf-8")


@router.get("/feeds/{token}.atom", include_in_schema=False)
async def subscription_feed(radar: RadarDep, token: str) -> Response:
    return Response(
        radar.subscription_feed(token),
        media_type="application/atom+xml; charset=utf-8",
        headers={"cache-control": "private, max-age=300"},
    )


# --- JSON API ------------------------------------------------------------------------------------
class LibraryChange(BaseModel):
    """What to change on a paper in the caller's library (absent fields stay as they are)."""

    saved: bool | None = True
    rating: Literal[-1, 0, 1] | None = None
    note: str | None = Field(default=None, max_length=10_000)
    read: bool | None = None
    not_interested: bool | None = None
    add_tags: list[Annotated[str, Field(max_length=100)]] = Field(default=[], max_length=50)
    remove_tags: list[Annotated[str, Field(max_length=100)]] = Field(default=[], max_length=50)


def _api_user(request: Request) -> Any:
    return web.require_user(request)


@router.get("/api/v1/session", tags=["library"], summary="Who is signed in; the CSRF token")
async def api_session(request: Request) -> Response:
    """The signed-in user (null if none) and the token unsafe requests send as X-CSRF-Token
    (this response sets the cookie it belongs to)."""
    web.ensure_csrf_cookie(request)
    user = web.current_user(request)
    body = {
        "user": user.as_dict() if user else None,
        "local_mode": web.local(request),
        "csrf_token": web.csrf_token(request),
    }
    return web.finish(request, json_response(body))


@router.get("/api/v1/library", tags=["library"], summary="The caller's library")
async def api_library(
    request: Request,
    radar: RadarDep,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    all: bool = False,
) -> Response:
    user = _api_user(request)
    items = radar.library(user, tag=tag, everything=all)
    body = {"items": [{"paper": paper_dict(p), "library": e.as_dict()} for e, p in items]}
    return web.finish(request, json_response(body))


@router.get(
    "/api/v1/library/ids", tags=["library"], summary="Ids of the saved (and of the hidden) papers"
)
async def api_library_ids(request: Request, radar: RadarDep) -> Response:
    user = web.current_user(request)
    entries = radar.store.library_entries(user.id) if user else []
    body = {
        "signed_in": user is not None,
        "ids": [e.paper_id for e in entries if e.saved],
        # read or "not interested": the daily lists leave them out for this reader
        "hidden": [e.paper_id for e in entries if e.dismissed or e.read_at is not None],
    }
    return web.finish(request, json_response(body))


@router.put("/api/v1/library/{paper_id:path}", tags=["library"], summary="Save or change a paper")
async def api_library_put(
    request: Request,
    radar: RadarDep,
    paper_id: str,
    change: Annotated[LibraryChange | None, Body()] = None,
) -> Response:
    await web.check_csrf(request)
    user = _api_user(request)
    change = change or LibraryChange()
    if change.saved:
        radar.library_add(user, [paper_id])
    entry = radar.library_mark(
        user,
        paper_id,
        saved=change.saved if change.saved is False else None,
        rating=change.rating,
        note=change.note,
        read=change.read,
        not_interested=change.not_interested,
        add_tags=change.add_tags,
        remove_tags=change.remove_tags,
    )
    return web.finish(request, json_response(entry.as_dict()))


@router.delete("/api/v1/library/{paper_id:path}", tags=["library"], summary="Forget a paper")
async def api_library_delete(request: Request, radar: RadarDep, paper_id: str) -> Response:
    await web.check_csrf(request)
    radar.library_remove(_api_user(request), paper_id)
    return web.finish(request, Response(status_code=204))


@router.get("/api/v1/recommendations", tags=["library"], summary="Papers for the caller")
async def api_recommendations(
    request: Request,
    radar: RadarDep,
    since: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RECOMMENDATIONS)] = 20,
    tag: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Papers like the caller's library (or, with ``tag``, like the papers tagged so)."""
    result = radar.recommend(_api_user(request), since=since, limit=limit, tag=tag)
    return web.finish(request, json_response(result.as_dict()))
