"""One ASGI middleware for what every response needs: security headers (a strict CSP),
a request size limit, validators for caching (ETag, 304), and no stack trace ever.

It also keeps a small shared cache of the answers everyone gets alike: GETs of the paths in
``SHARED_PATHS`` from requests without cookies or credentials, whose answer is a 200 that sets
no cookie. The key holds the store's change mark, so a new paper, a changed one or a new vector
(from any process) makes every entry miss: nothing stale is served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from papersift.errors import RequestTooLargeError
from papersift.store.memo import Memo
from papersift.web.errors import handle, log, translate

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
MAX_BODY = 32 * 1024 * 1024  # bytes: the largest upload (admin ingest) the server reads
MAX_ETAG_BODY = 4 * 1024 * 1024  # larger responses are streamed without an ETag
SHARED_PATHS = frozenset({"/", "/search", "/api/v1/search", "/api/v1/daily"})
SHARED_ENTRIES = 512
SHARED_MAX_BODY = 512 * 1024


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int = MAX_BODY,
        mark: Callable[[], Hashable] | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.mark = mark  # the store's change mark; None: no shared cache
        self.shared = Memo(SHARED_ENTRIES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":  # answered as a GET without its body (monitors use it)
            scope = {**scope, "method": "GET"}
            send = _headless(send)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._error(scope, send, self._too_large())
            return
        cacheable = scope["method"] in ("GET", "HEAD") and not scope["path"].startswith("/static/")
        shared_key: Hashable | None = None
        if (
            self.mark is not None
            and scope["method"] == "GET"
            and scope["path"] in SHARED_PATHS
            and "cookie" not in headers
            and "authorization" not in headers
        ):
            shared_key = (scope["path"], scope["query_string"], self.mark())
            kept = self.shared.get(shared_key)
            if kept is not None:
                await self._replay(kept, headers, send)
                return
        state: dict[str, Any] = {"started": False, "start": None, "body": []}
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise self._too_large()
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in out:
                        out.append(name.decode(), value.decode())
                if "cache-control" not in out:
                    out["cache-control"] = "no-cache"
                state["start"] = message
                if not (cacheable and message["status"] == 200 and "etag" not in out):
                    state["started"] = True
                    await send(message)
                return
            if message["type"] != "http.response.body" or state["started"]:
                await send(message)
                return
            # buffering a cacheable response to give it an ETag
            state["body"].append(message.get("body", b""))
            size = sum(len(b) for b in state["body"])
            if message.get("more_body", False) and size <= MAX_ETAG_BODY:
                return
            body = b"".join(state["body"])
            start = state["start"]
            state["started"] = True
            if message.get("more_body", False):  # too large: stream the rest as it comes
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": True})
                return
            etag = 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            out = MutableHeaders(scope=start)
            out["etag"] = etag
            if (
                shared_key is not None
                and "set-cookie" not in out
                and "private" not in out.get("cache-control", "")
                and len(body) <= SHARED_MAX_BODY
            ):
                self.shared.put(shared_key, (list(start["headers"]), body, etag))
            if etag in _etags(headers.get("if-none-match", "")):
                start["status"] = 304
                for header in ("content-length", "content-type"):
                    if header in out:
                        del out[header]
                await send(start)
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception as exc:  # the last line of defence: the error shape, never a trace
            if state["started"]:
                raise
            await self._error(scope, send, exc)

    @staticmethod
    async def _replay(kept: Any, request: Headers, send: Send) -> None:
        raw_headers, body, etag = kept
        if etag in _etags(request.get("if-none-match", "")):
            skip = {b"content-length", b"content-type"}
            raw = [(k, v) for k, v in raw_headers if k.lower() not in skip]
            await send({"type": "http.response.start", "status": 304, "headers": raw})
            await send({"type": "http.response.body", "body": b""})
            return
        raw = [*raw_headers, (b"x-papersift-cache", b"hit")]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    def _too_large(self) -> RequestTooLargeError:
        return RequestTooLargeError(f"the request body is larger than {self.max_body:,} bytes")

    async def _error(self, scope: Scope, send: Send, exc: BaseException) -> None:
        """The error as the one JSON shape (the API) or the error page (pages)."""
        error = translate(exc)
        if not scope["path"].startswith("/api/"):
            try:
                response = await handle(Request(scope), error)
            except Exception:  # the error page itself failed: the JSON shape still stands
                log.exception("error page failed")
            else:
                for name, value in SECURITY_HEADERS:
                    response.headers[name.decode()] = value.decode()
                response.headers["cache-control"] = "no-store"
                await response(scope, _no_body, send)
                return
        body = orjson.dumps(error.body())
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            *SECURITY_HEADERS,
        ]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _etags(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def _headless(send: Send) -> Send:
    async def without_body(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return without_body


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
