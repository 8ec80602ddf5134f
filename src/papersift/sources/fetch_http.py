"""HTTP for live sources: one small urllib3 client with retries, timeouts, a User-Agent, and a
rate limiter per group of hosts (arXiv asks for at most one request every 3 seconds).

Retries follow a :class:`urllib3.util.Retry` policy (429/500/502/503/504, connect and read
errors, exponential backoff, ``Retry-After`` honoured), but the loop that applies it lives here,
so that every attempt - a retry too - waits for the rate limiter, and the waiting goes through
an injectable :class:`Clock`. Every failure becomes a :class:`~papersift.errors.FetchError` that
names the URL.
"""

from __future__ import annotations

import http
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, InvalidHeader, MaxRetryError
from urllib3.util import Retry, Timeout

from papersift import __version__
from papersift.errors import FetchError

PROJECT_URL = "https://github.com/papersift/papersift"
USER_AGENT = f"papersift/{__version__} (+{PROJECT_URL})"
MAX_BODY_BYTES = 256 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

#: The retry policy: at most 6 attempts in all; the first retry at once, then 1 s, 2 s, 4 s…
#: apart (capped at 60 s) unless the server says when (``Retry-After``, capped at 5 minutes).
DEFAULT_RETRY = Retry(
    total=5,
    connect=3,
    read=3,
    status=5,
    other=3,
    redirect=False,  # followed by hand, so each hop passes the rate limiter
    status_forcelist=RETRY_STATUSES,
    allowed_methods=frozenset({"GET"}),
    backoff_factor=0.5,
    backoff_max=60,
    respect_retry_after_header=True,
    retry_after_max=300,
    raise_on_status=False,
)
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0)


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True, slots=True)
class HostLimit:
    """At most one request start per ``delay`` seconds, across all of ``hosts`` together.

    A host is a network location (``host`` or ``host:port``); a bare domain also covers its
    subdomains (``arxiv.org`` covers ``export.arxiv.org``).
    """

    name: str
    delay: float
    hosts: frozenset[str]

    def covers(self, netloc: str) -> bool:
        netloc = netloc.lower()
        hostname = netloc.rsplit("@", 1)[-1].split(":", 1)[0]
        return netloc in self.hosts or any(
            ":" not in h and (hostname == h or hostname.endswith("." + h)) for h in self.hosts
        )


class RateLimiter:
    """At most one request per ``delay`` seconds within each :class:`HostLimit`; retries and
    redirects are requests too.

    A request may start ``delay`` seconds after the previous one started *and* ``delay`` seconds
    after its answer began to arrive. The second rule is what makes the gap hold where it
    counts, at the server: a request reaches the server at some unknown moment between its start
    and its answer, so spacing starts alone lets arrivals bunch up by the difference in latency
    (measured: several milliseconds on loopback).
    """

    def __init__(self, limits: Iterable[HostLimit] = (), clock: Clock | None = None) -> None:
        self.limits = tuple(limits)
        self.clock = clock or SystemClock()
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def limit_for(self, url: str) -> HostLimit | None:
        netloc = urlsplit(url).netloc
        limit = next((lim for lim in self.limits if lim.covers(netloc)), None)
        return limit if limit is not None and limit.delay > 0 else None

    def wait(self, url: str) -> float:
        """Block until a request to ``url`` may start, and count it as started; the seconds
        waited."""
        limit = self.limit_for(url)
        if limit is None:
            return 0.0
        with self._lock:  # held while sleeping: the next caller queues behind this one
            waited = 0.0
            now = self.clock.monotonic()
            due = self._next.get(limit.name, now)
            while now < due:
                self.clock.sleep(due - now)
                waited += due - now
                now = self.clock.monotonic()
            self._next[limit.name] = now + limit.delay
            return waited

    def answered(self, url: str) -> None:
        """The answer to a request to ``url`` began to arrive (or the attempt failed)."""
        limit = self.limit_for(url)
        if limit is None:
            return
        with self._lock:
            due = self.clock.monotonic() + limit.delay
            self._next[limit.name] = max(self._next.get(limit.name, due), due)


class HttpStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, url: str, status: int, reason: str, body: bytes, detail: str = "") -> None:
        self.url = url
        self.status = status
        self.body = body
        text = f"{url}: HTTP {status}" + (f" {reason}" if reason else "")
        super().__init__(text + (f" ({detail})" if detail else ""))


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes


class HttpClient:
    """GETs with a bounded retry policy, timeouts, a User-Agent and rate limits."""

    def __init__(
        self,
        limits: Iterable[HostLimit] = (),
        *,
        clock: Clock | None = None,
        retry: Retry | None = None,
        timeout: Timeout | float | None = None,
        user_agent: str = USER_AGENT,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.clock = clock or SystemClock()
        self.limiter = RateLimiter(limits, self.clock)
        self.retry = retry or DEFAULT_RETRY
        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self.max_bytes = max_bytes
        self.headers = {"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"}
        self._pool = urllib3.PoolManager(num_pools=8, headers=self.headers)

    def close(self) -> None:
        self._pool.clear()

    def get(self, url: str) -> Response:
        """The body of ``url`` (after redirects and retries); :class:`FetchError` otherwise.

        Answers with a 4xx/5xx status raise :class:`HttpStatusError`, which keeps the body
        (some APIs explain the error in it).
        """
        retry = self.retry
        redirects = 0
        current = url
        while True:
            self.limiter.wait(current)
            try:
                response, raw = self._attempt(current)
            except HTTPError as exc:
                retry = self._after_error(retry, url, current, exc)
                self.clock.sleep(retry.get_backoff_time())
                continue
            location = response.headers.get("Location")
            if 300 <= response.status < 400 and response.status != 304 and location:
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
                current = urljoin(current, location)
                continue
            has_retry_after = bool(response.headers.get("Retry-After"))
            if response.status in RETRY_STATUSES and retry.is_retry(
                "GET", response.status, has_retry_after
            ):
                try:
                    retry = retry.increment("GET", current, response=raw)
                except MaxRetryError:
                    raise self._status_error(url, response, "gave up after retries") from None
                self.clock.sleep(self._pause(retry, response))
                continue
            if response.status >= 400:
                raise self._status_error(url, response)
            return response

    # --- one attempt ------------------------------------------------------------------------
    def _attempt(self, url: str) -> tuple[Response, urllib3.BaseHTTPResponse]:
        try:
            raw = self._pool.request(
                "GET",
                url,
                headers=self.headers,
                retries=False,
                redirect=False,
                timeout=self.timeout,
                preload_content=False,
            )
        finally:
            self.limiter.answered(url)
        try:
            chunks: list[bytes] = []
            size = 0
            for chunk in raw.stream(1 << 16):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"{url}: answer larger than {self.max_bytes // 2**20} MB")
                chunks.append(chunk)
        except BaseException:
            raw.close()  # an answer read halfway: its connection cannot serve another request
            raise
        finally:
            raw.release_conn()
        return Response(url, raw.status, raw.headers, b"".join(chunks)), raw

    def _after_error(self, retry: Retry, url: str, current: str, exc: HTTPError) -> Retry:
        """The retry state after a failed attempt, or a :class:`FetchError` when out of tries."""
        try:
            return retry.increment("GET", current, error=exc)
        except MaxRetryError as final:
            reason = final.reason or exc
        except HTTPError as final:  # an error urllib3 does not retry (a malformed URL…)
            reason = final
        where = url if current == url else f"{url} (redirected to {current})"
        raise FetchError(f"{where}: {_describe(reason)}") from None

    def _pause(self, retry: Retry, response: Response) -> float:
        value = response.headers.get("Retry-After")
        if value:
            try:
                return retry.parse_retry_after(value)
            except InvalidHeader:
                pass
        return retry.get_backoff_time()

    def _status_error(self, url: str, response: Response, detail: str = "") -> HttpStatusError:
        try:
            reason = http.HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        return HttpStatusError(url, response.status, reason, response.body, detail)


def _describe(error: BaseException) -> str:
    """A one-line reason for a network error, without urllib3's object reprs."""
    from urllib3.exceptions import (
        ConnectTimeoutError,
        NameResolutionError,
        NewConnectionError,
        ProtocolError,
        ReadTimeoutError,
        SSLError,
    )

    if isinstance(error, NameResolutionError):  # these three subclass each other: in order
        return "cannot resolve the host name"
    if isinstance(error, NewConnectionError):
        return "cannot connect" + _errno_text(error)
    if isinstance(error, ConnectTimeoutError):
        return "timed out connecting"
    if isinstance(error, ReadTimeoutError):
        return "timed out waiting for the answer"
    if isinstance(error, SSLError):
        return f"TLS error: {error}"
    if isinstance(error, ProtocolError):
        return "the connection broke" + _errno_text(error)
    return str(error) or type(error).__name__


def _errno_text(error: BaseException) -> str:
    cause = error.args[1] if len(error.args) > 1 else None
    if isinstance(cause, OSError) and cause.strerror:
        return f" ({cause.strerror})"
    text = str(error)
    return f" ({text.rsplit(']', 1)[1].strip(' :')})" if "]" in text else ""
