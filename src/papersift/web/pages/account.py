"""Sign up, sign in, sign out, and password reset by emailed link (forms with CSRF tokens)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from papersift.errors import AccountError, AuthenticationError, DeliveryError, RateLimitedError
from papersift.radar import Radar
from papersift.web import accounts as web
from papersift.web.deps import radar
from papersift.web.render import page

router = APIRouter(include_in_schema=False)
log = logging.getLogger("papersift.web")
RadarDep = Annotated[Radar, Depends(radar)]
Text = Annotated[str, Form(max_length=1000)]
Password = Annotated[str, Form(max_length=1024)]


def _form(
    request: Request, template: str, title: str, *, status: int = 200, **values: Any
) -> Response:
    web.ensure_csrf_cookie(request)
    defaults: dict[str, Any] = {"error": None, "email": "", "message": None, "next": "/library"}
    response = page(request, template, status=status, title=title, **{**defaults, **values})
    return web.finish(request, response)


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _redirect(request: Request, to: str) -> Response:
    return web.finish(request, RedirectResponse(to, status_code=303))


def _next(value: str | None) -> str:
    """Only a local path: never an open redirect."""
    return value if value and value.startswith("/") and not value.startswith("//") else "/library"


@router.get("/signup")
async def signup_form(request: Request) -> Response:
    return _form(request, "account_signup.html", "Sign up")


@router.post("/signup")
async def signup(
    request: Request, radar: RadarDep, email: Text, password: Password, csrf: Text = ""
) -> Response:
    await web.check_csrf(request, csrf)
    accounts = radar.accounts()
    try:
        user = accounts.sign_up(email, password)
    except AccountError as exc:
        return _form(
            request, "account_signup.html", "Sign up", status=400, error=exc.message, email=email
        )
    signed = accounts.start_session(user)
    response = _redirect(request, "/library")
    web.start_session(request, response, signed.token)
    return response


@router.get("/signin")
async def signin_form(request: Request, next: str | None = None) -> Response:
    return _form(request, "account_signin.html", "Sign in", next=_next(next))


@router.post("/signin")
async def signin(
    request: Request,
    radar: RadarDep,
    email: Text,
    password: Password,
    csrf: Text = "",
    next: Text = "/library",
) -> Response:
    await web.check_csrf(request, csrf)
    try:
        signed = radar.accounts().sign_in(email, password, client=_client(request))
    except RateLimitedError as exc:
        response = _form(
            request,
            "account_signin.html",
            "Sign in",
            status=429,
            error=exc.message,
            email=email,
            next=_next(next),
        )
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    except AuthenticationError as exc:
        return _form(
            request,
            "account_signin.html",
            "Sign in",
            status=401,
            error=exc.message,
            email=email,
            next=_next(next),
        )
    response = _redirect(request, _next(next))
    web.start_session(request, response, signed.token)
    return response


@router.post("/signout")
async def signout(request: Request, radar: RadarDep, csrf: Text = "") -> Response:
    await web.check_csrf(request, csrf)
    token = request.cookies.get(web.SESSION_COOKIE)
    if token:
        radar.accounts().sign_out(token)
    response = _redirect(request, "/")
    web.end_session(response)
    return response


@router.get("/reset")
async def reset_form(request: Request) -> Response:
    return _form(request, "account_reset.html", "Reset your password")


@router.post("/reset")
async def reset(request: Request, radar: RadarDep, email: Text, csrf: Text = "") -> Response:
    await web.check_csrf(request, csrf)
    try:
        radar.send_password_reset(email)
    except DeliveryError as exc:  # said to the server log; the visitor sees the same words
        log.error("password reset mail not sent: %s", exc.message)
    return _form(
        request,
        "account_reset.html",
        "Reset your password",
        message="If an account has this email, a link to reset its password is on its way. "
        "It works once, within an hour.",
    )


@router.get("/reset/{token}")
async def reset_new_form(request: Request, token: str) -> Response:
    return _form(request, "account_reset_new.html", "Choose a new password", token=token)


@router.post("/reset/{token}")
async def reset_new(
    request: Request, radar: RadarDep, token: str, password: Password, csrf: Text = ""
) -> Response:
    await web.check_csrf(request, csrf)
    try:
        radar.accounts().reset_password(token, password)
    except AccountError as exc:
        return _form(
            request,
            "account_reset_new.html",
            "Choose a new password",
            status=400,
            error=exc.message,
            token=token,
        )
    return _form(
        request,
        "account_signin.html",
        "Sign in",
        next="/library",
        message="Your password is changed. Sign in with it.",
    )
