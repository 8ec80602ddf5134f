"""The app factory: the pages, the JSON API, static files, one error handler, one guard."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from os import PathLike
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import papersift
from papersift.config import Settings
from papersift.errors import PapersiftError
from papersift.radar import Radar
from papersift.web import api, errors
from papersift.web.guard import MAX_BODY, Guard
from papersift.web.pages import routers
from papersift.web.render import STATIC, static_url


class _Static(StaticFiles):
    """Static files: their URLs carry a content hash (render.static_url), so they never
    change under a URL and may be kept a year."""

    def file_response(
        self,
        full_path: PathLike[str] | str,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = "public, max-age=31536000, immutable"
        return response


def create_app(
    settings: Settings | None = None,
    *,
    radar: Radar | None = None,
    max_body: int = MAX_BODY,
    warm: bool = False,
) -> FastAPI:
    """The web app over ``radar`` (or a Radar opened on ``settings``, closed on shutdown).
    ``warm``: load the embedding model and vectors at startup, not on the first search."""
    if radar is None:
        if settings is None:
            raise PapersiftError("create_app needs settings or a radar")
        radar = owned = Radar.open(settings)
    else:
        owned = None
    shared: Radar = radar

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            shared.search("warm up", limit=1)  # encoder and vector index, once per process
        yield
        if owned is not None:
            owned.close()

    app = FastAPI(
        title="papersift",
        version=papersift.__version__,
        description="A self-hostable research paper radar: search, daily lists and papers.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's docs load scripts from a CDN; /api/docs is ours
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.radar = shared
    app.add_exception_handler(PapersiftError, errors.handle)
    app.add_exception_handler(RequestValidationError, errors.handle)
    app.add_exception_handler(HTTPException, errors.handle)
    app.add_exception_handler(errors.WebError, errors.handle)
    app.include_router(api.router)
    for router in routers():
        app.include_router(router)
    app.mount("/static", _Static(directory=str(STATIC)), name="static")
    app.add_api_route(
        "/favicon.ico",
        lambda: RedirectResponse(static_url("favicon.svg"), status_code=301),
        include_in_schema=False,
    )
    app.add_middleware(Guard, max_body=max_body, mark=shared.store.change_mark)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, less its stock 422 "validation error" answers: bad parameters get
    400 with the one error shape here (the routes say so)."""
    if app.openapi_schema is None:
        schema = FastAPI.openapi(app)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if "HTTPValidationError" in str(responses.get("422", "")):
                    del responses["422"]
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" not in str(schema.get("paths")):
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """For uvicorn workers (``--factory``): settings from PAPERSIFT_* variables."""
    return create_app(Settings.from_env(os.environ), warm=True)
