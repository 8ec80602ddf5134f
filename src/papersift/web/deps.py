"""What route handlers share: the process's one Radar, and opaque page cursors.

One Radar (one store connection, one embedding index, one encoder) serves every request of a
process. Handlers are ``async`` and call it on the event loop thread, one request at a time, so
nothing in it is used by two threads at once; run more worker processes to use more cores
(`papersift serve --workers N`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

import orjson
from starlette.requests import Request

from papersift.errors import UsageError
from papersift.radar import Radar


async def radar(request: Request) -> Radar:
    """The process's Radar (async: FastAPI would run a plain function in a worker thread)."""
    found: Radar = request.app.state.radar
    return found


def encode_cursor(offset: int, scope: str, *, pin: str | None = None) -> str:
    """An opaque cursor for the page starting at ``offset`` of the list ``scope`` names;
    ``pin`` (e.g. the day a default period resolved to) travels with it."""
    data: dict[str, object] = {"o": offset, "s": _key(scope)}
    if pin is not None:
        data["p"] = pin
    return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> int:
    """The offset a cursor stands for (0 without one). A cursor of another list is refused."""
    return read_cursor(cursor, scope)[0]


def read_cursor(cursor: str | None, scope: str) -> tuple[int, str | None]:
    """The offset and the pin of a cursor (``(0, None)`` without one)."""
    if not cursor:
        return 0, None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = orjson.loads(raw)
        offset, owner, pin = data["o"], data["s"], data.get("p")
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise UsageError("cursor is not one this server gave") from None
    if not isinstance(offset, int) or offset < 0 or owner != _key(scope):
        raise UsageError("cursor belongs to another list (same query and filters needed)")
    if pin is not None and not isinstance(pin, str):
        raise UsageError("cursor is not one this server gave")
    return offset, pin


def _key(scope: str) -> str:
    return hashlib.blake2b(scope.encode(), digest_size=6).hexdigest()
