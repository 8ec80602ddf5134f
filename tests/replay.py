"""A real HTTP server on 127.0.0.1 that replays saved real responses (from ``../shared/data``),
logs every request with its arrival time, and can be told to fail on cue.

Routes are plain functions ``Request -> Reply | None``; the first that answers wins, anything
unanswered is a 404. Faults come first: ``server.fail(...)`` makes matching requests answer an
error status a number of times (or always) before the routes see them again.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    arrived: float  # time.monotonic() when the request line was read

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Request], Reply | None]


@dataclass
class Fault:
    when: Callable[[Request], bool]
    reply: Reply
    times: int | None  # None: always

    def take(self, request: Request) -> Reply | None:
        if self.times == 0 or not self.when(request):
            return None
        if self.times is not None:
            self.times -= 1
        return self.reply


class ReplayServer:
    def __init__(self, *routes: Route) -> None:
        self.routes = list(routes)
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def fail(
        self,
        when: Callable[[Request], bool] = lambda r: True,
        *,
        status: int = 503,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        self.faults.append(Fault(when, Reply(status, body, headers or {}), times))

    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.log if path is None or r.path.startswith(path)]

    def answer(self, request: Request) -> Reply:
        with self._lock:
            self.log.append(request)
            for fault in self.faults:
                reply = fault.take(request)
                if reply is not None:
                    return reply
        for route in self.routes:
            reply = route(request)
            if reply is not None:
                return reply
        return Reply(404, b"not found")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

            def do_GET(self) -> None:
                arrived = time.monotonic()
                parts = urlsplit(self.path)
                request = Request(
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    arrived,
                )
                reply = server.answer(request)
                body = reply.body
                headers = dict(reply.headers)
                if "gzip" in request.headers.get("accept-encoding", "") and len(body) > 256:
                    body = gzip.compress(body)  # as real servers do; the client must undo it
                    headers["Content-Encoding"] = "gzip"
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


# --- routes over the shared data ------------------------------------------------------------


def _key(query: dict[str, list[str]]) -> frozenset[tuple[str, str]]:
    """The non-empty parameters; for an id_list query without a search, not max_results
    (any value at least the number of ids gets the same answer)."""
    ids_only = bool(query.get("id_list", [""])[0]) and not query.get("search_query", [""])[0]
    return frozenset(
        (k, v[0]) for k, v in query.items() if v and v[0] and not (ids_only and k == "max_results")
    )


def arxiv_api(data: Path, path: str = "/api/query") -> Route:
    """``arxiv-api-atom``: each saved response under its recorded request (``manifest.tsv``),
    matched on the query's non-empty parameters, with its recorded status."""
    folder = data / "arxiv-api-atom"
    table: dict[frozenset[tuple[str, str]], tuple[int, Path]] = {}
    with (folder / "manifest.tsv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            url = row["request_url"]
            if url.startswith("http"):
                query = parse_qs(urlsplit(url).query, keep_blank_values=True)
                table[_key(query)] = (int(row["http_status"]), folder / row["file"])

    def route(request: Request) -> Reply | None:
        if request.path != path:
            return None
        found = table.get(_key(request.query))
        if found is None:
            return Reply(404, b"no saved response for this query")
        status, file = found
        return Reply(status, file.read_bytes(), {"Content-Type": "application/atom+xml"})

    return route


def arxiv_rss(data: Path, path: str = "/rss") -> Route:
    """``arxiv-rss-atom``: the saved cs.AI Atom listing at ``/atom/cs.AI``."""
    feed = data / "arxiv-rss-atom" / "rss.arxiv.org_atom_cs.AI_2025-08-20.xml"

    def route(request: Request) -> Reply | None:
        if request.path == f"{path}/atom/cs.AI":
            return Reply(200, feed.read_bytes(), {"Content-Type": "application/atom+xml"})
        return None

    return route


OAI_TOKEN = "6960524|1001"  # shaped like arXiv's tokens


def oai_chain(data: Path, path: str = "/oai", token: str = OAI_TOKEN) -> Route:
    """``arxiv-oai-pmh``: a 2-page ListRecords harvest of set physics:hep-th from 2017-12-14.

    arXiv's saved responses hold no resumption chain, so this one is built from the two real
    functional fixtures: page 1 is ``arxiv-physics-hep-th.xml`` with a ``<resumptionToken>``
    injected before ``</ListRecords>``; page 2 (asked for with that token) is
    ``arxiv-physics-hep-ex.xml`` as saved - no token: the list is complete.
    """
    folder = data / "arxiv-oai-pmh"
    first = (folder / "arxiv-physics-hep-th.xml").read_bytes()
    element = f'<resumptionToken cursor="0" completeListSize="6">{token}</resumptionToken>'
    first = first.replace(b"</ListRecords>", element.encode() + b"\n</ListRecords>", 1)
    assert token.encode() in first
    second = (folder / "arxiv-physics-hep-ex.xml").read_bytes()

    def route(request: Request) -> Reply | None:
        if request.path != path or request.param("verb") != "ListRecords":
            return None
        if request.param("resumptionToken") == token and len(request.query) == 2:
            return Reply(200, second, {"Content-Type": "text/xml"})
        if (
            request.param("metadataPrefix") == "arXiv"
            and request.param("set") == "physics:hep-th"
            and "resumptionToken" not in request.query
        ):
            return Reply(200, first, {"Content-Type": "text/xml"})
        return None

    return route


def hf_daily(data: Path, path: str = "/hf/api/daily_papers") -> Route:
    """``hf-daily-papers`` by ``?date=``: ``samples/DAY.json``, else ``daily/DAY.json.gz``
    decompressed; a day with no saved dump answers ``[]``, as the API does for a day without
    papers (weekends - and here also the held-out days)."""
    folder = data / "hf-daily-papers"

    def route(request: Request) -> Reply | None:
        if request.path != path:
            return None
        day = request.param("date") or ""
        sample, dump = folder / "samples" / f"{day}.json", folder / "daily" / f"{day}.json.gz"
        if sample.is_file():
            body = sample.read_bytes()
        elif dump.is_file():
            body = gzip.decompress(dump.read_bytes())
        else:
            body = b"[]"
        return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})

    return route


def gaps(requests: list[Request]) -> Iterator[float]:
    """Seconds between consecutive arrivals."""
    for before, after in itertools.pairwise(requests):
        yield after.arrived - before.arrived
