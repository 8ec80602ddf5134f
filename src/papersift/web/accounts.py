"""Who is asking, and may they: sessions, local mode, CSRF, cookies. Used by the account and
library pages and their JSON API.

- **Sessions**: a random token in the ``ps_session`` cookie (HttpOnly, SameSite=Lax, Secure
  when the site is served over https, Path=/); the store keeps its sha256 only.
- **Local mode** (``PAPERSIFT_LOCAL_MODE``: ``on``, or ``auto`` when ``serve`` listens on a
  loopback address): no sign-in; every request is the local user ``me``.
- **CSRF**: every form carries ``csrf``, every script request ``X-CSRF-Token``: an HMAC, under
  the instance's secret key, of the ``ps_csrf`` cookie (a random value every visitor gets). A
  cross-site page can neither read the cookie nor compute the HMAC; an unsafe request without
  the matching token is refused (403) before anything changes.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from papersift.accounts.auth import SESSION_DAYS, new_token, sign
from papersift.errors import AuthenticationError, ForbiddenError
from papersift.model import User
from papersift.radar import Radar
from papersift.web import render

SESSION_COOKIE = "ps_session"
CSRF_COOKIE = "ps_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def _radar(request: Request) -> Radar:
    found: Radar = request.app.state.radar
    return found


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def local(request: Request) -> bool:
    """Local mode (one user, no sign-in): the setting ``on``, or ``auto`` with the server
    listening on a loopback address; and the request names a loopback host. Behind a reverse
    proxy on the same machine, set ``PAPERSIFT_LOCAL_MODE=off``."""
    server = request.scope.get("server") or ("", 0)
    if not _radar(request).local_mode(loopback=str(server[0]) in LOOPBACK):
        return False
    # a page of another site whose name was rebound to 127.0.0.1 (DNS rebinding) sends its
    # own name as Host: only requests naming a loopback host are the local user's
    host = (request.url.hostname or "").strip("[]").casefold()
    return host in LOOPBACK


def current_user(request: Request) -> User | None:
    """The signed-in user (the local user in local mode), or None. Cached per request."""
    if "user" in request.state._state:
        cached: User | None = request.state.user
        return cached
    radar = _radar(request)
    user: User | None
    if local(request):
        user = radar.user(Radar.LOCAL_USER, create=True)
    else:
        user = radar.accounts().session_user(request.cookies.get(SESSION_COOKIE))
    request.state.user = user
    return user


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise AuthenticationError("sign in first")
    return user


def csrf_token(request: Request) -> str:
    """The token this visitor's forms carry (empty until they have the cookie)."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", "")
    return sign(_radar(request).secret_key(), "csrf", seed) if seed else ""


def ensure_csrf_cookie(request: Request) -> None:
    """Give a visitor without the cookie one (set on the response by :func:`finish`)."""
    if not request.cookies.get(CSRF_COOKIE) and not getattr(request.state, "new_csrf", ""):
        request.state.new_csrf = new_token()


async def check_csrf(request: Request, submitted: str | None = None) -> None:
    """Refuse an unsafe request whose token (form field or header) does not match."""
    if submitted is None:
        submitted = request.headers.get(CSRF_HEADER)
    seed = request.cookies.get(CSRF_COOKIE)
    expected = sign(_radar(request).secret_key(), "csrf", seed) if seed else ""
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise ForbiddenError("missing or wrong CSRF token: reload the page and try again")


def secure(request: Request) -> bool:
    base = _radar(request).settings
    return request.url.scheme == "https" or bool(base and base.base_url.startswith("https:"))


def finish(request: Request, response: Response) -> Response:
    """Set the cookies this request decided on; private pages are never cached."""
    new_csrf = getattr(request.state, "new_csrf", "")
    if new_csrf:
        response.set_cookie(
            CSRF_COOKIE, new_csrf, httponly=True, samesite="lax", secure=secure(request), path="/"
        )
    response.headers["cache-control"] = "private, no-store"
    return response


def start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def context(request: Request) -> dict[str, Any]:
    """Merged into every page (render.CONTEXT_HOOKS): the user, their links, the CSRF token.
    An error page renders even when the store cannot say who is asking."""
    try:
        user = current_user(request)
        token = csrf_token(request)
        is_local = local(request)
    except Exception:  # shown as to a visitor who is not signed in
        return {
            "user": None,
            "local_mode": False,
            "account_links": render.ACCOUNT_LINKS,
            "csrf_token": "",
        }
    if user is None:
        links = render.ACCOUNT_LINKS
    elif is_local:
        links = []
    else:
        links = [(user.email or user.name, "/library")]
    return {"user": user, "local_mode": is_local, "account_links": links, "csrf_token": token}


if context not in render.CONTEXT_HOOKS:
    render.CONTEXT_HOOKS.append(context)
