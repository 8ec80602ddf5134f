"""Errors become HTTP responses here, once: one JSON shape for the API, one page for people.

Every error anyone sees has the shape ``{"error": {"code", "message", "details"}}`` (the API) or
is that same code and message on an HTML page (the pages). Never a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from papersift.errors import (
    AccountError,
    AuthenticationError,
    ConfigError,
    DeliveryError,
    FetchError,
    ForbiddenError,
    ModelUnavailableError,
    NotFoundError,
    NotInLibraryError,
    PapersiftError,
    ParseError,
    RateLimitedError,
    RequestTooLargeError,
    StoreError,
    UsageError,
    UserNotFoundError,
)

log = logging.getLogger("papersift.web")

# (error class, HTTP status, code): the first that matches wins, so subclasses come first
ERROR_STATUS: tuple[tuple[type[PapersiftError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (RequestTooLargeError, 413, "too_large"),
    (ForbiddenError, 403, "forbidden"),
    (ParseError, 422, "unreadable_input"),
    (UsageError, 400, "bad_request"),
    (ModelUnavailableError, 503, "model_unavailable"),
    (ConfigError, 500, "misconfigured"),
    (StoreError, 503, "store_unavailable"),
    (FetchError, 502, "source_unavailable"),
    (RateLimitedError, 429, "too_many_requests"),
    (AuthenticationError, 401, "unauthorized"),
    (NotInLibraryError, 404, "not_found"),
    (UserNotFoundError, 404, "not_found"),
    (AccountError, 400, "bad_request"),
    (DeliveryError, 502, "mail_unavailable"),
    (PapersiftError, 400, "error"),
)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


class WebError(Exception):
    """An error with its HTTP status, code, message and details, ready to show."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def translate(exc: BaseException) -> WebError:
    """Any exception as the error a client sees (unexpected ones are logged, not shown)."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, PapersiftError):
        for cls, status, code in ERROR_STATUS:
            if isinstance(exc, cls):
                details: dict[str, Any] = {}
                if isinstance(exc, NotFoundError):
                    details["id"] = exc.identifier
                if isinstance(exc, RateLimitedError):
                    details["retry_after"] = exc.retry_after
                if isinstance(exc, ParseError):
                    details.update(
                        {k: v for k, v in (("where", exc.where), ("field", exc.field)) if v}
                    )
                return WebError(status, code, exc.message, details)
    if isinstance(exc, RequestValidationError):
        problems = [_problem(e) for e in exc.errors()]
        first = problems[0] if problems else {"field": "?", "message": "invalid"}
        message = f"{first['field']}: {first['message']}"
        return WebError(400, "invalid_parameter", message, {"problems": problems})
    if isinstance(exc, HTTPException):
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return WebError(exc.status_code, code, message)
    log.error("unexpected error", exc_info=exc)
    return WebError(500, "internal", "internal error: the server log has the details")


def _problem(error: Any) -> dict[str, str]:
    loc = [str(part) for part in error.get("loc", ())]
    where = loc[0] if loc else "request"
    field = ".".join(loc[1:]) or where
    return {"in": where, "field": field, "message": str(error.get("msg", "invalid"))}


def wants_json(request: Request) -> bool:
    """API paths answer in JSON; pages answer in HTML."""
    return request.url.path.startswith("/api/")


async def handle(request: Request, exc: Exception) -> Response:
    """The one exception handler: JSON for the API, an HTML page otherwise."""
    error = translate(exc)
    if wants_json(request):
        from papersift.web.render import json_response

        return json_response(error.body(), status=error.status)
    from papersift.web.render import page

    return page(
        request, "error.html", status=error.status, error=error, title=f"Error {error.status}"
    )
