"""Library, digest settings, sign in and sign up: the pages exist; the accounts area gives
them their behaviour (it replaces this module's routes with its own)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from papersift.web.render import page

router = APIRouter(include_in_schema=False)

PLACEHOLDERS = {
    "/library": ("Library", "Papers you saved will be listed here."),
    "/digest": ("Digest settings", "Choose what your daily or weekly e-mail digest holds."),
    "/signin": ("Sign in", "Sign in to keep a library and receive digests."),
    "/signup": ("Sign up", "Make an account to keep a library and receive digests."),
}


def _placeholder(path: str) -> None:
    heading, text = PLACEHOLDERS[path]

    async def show(request: Request) -> Response:
        return page(request, "placeholder.html", title=heading, heading=heading, text=text)

    router.add_api_route(path, show, methods=["GET"], name=path.strip("/"))


for _path in PLACEHOLDERS:
    _placeholder(_path)
