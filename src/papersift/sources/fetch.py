"""Fetch jobs for live sources: arXiv RSS/Atom listings, the arXiv API, arXiv OAI-PMH and
Hugging Face daily papers.

Each fetched body is ingested as one input whose origin is its URL, so each page is atomic.
What a job has ingested is remembered in store state (a cursor, a resumption token, the days
done), so a rerun after a failure carries on where it stopped without fetching again what it
has; a finished paging job clears its cursor.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from urllib.parse import quote, urlencode, urlsplit

from papersift.config import Settings
from papersift.errors import FetchError, ParseError
from papersift.model import FileReport
from papersift.sources.base import Input
from papersift.sources.detect import get_format
from papersift.sources.fetch_http import HostLimit, HttpClient, HttpStatusError
from papersift.sources.ingest import ingest_input
from papersift.sources.oai_pmh import resumption_token
from papersift.store.protocol import Store

ARXIV_MAX_PAGE = 2000  # the arXiv API serves at most this many results per request
HF_LIMIT = 100  # items asked for per day (the API's default is 50)

_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@dataclass(frozen=True, slots=True)
class Page:
    """One page a fetch job handled: ingested (``report``), or skipped (``note`` says why)."""

    url: str
    report: FileReport | None = None
    note: str | None = None

    @property
    def skipped(self) -> bool:
        return self.report is None


def arxiv_limit(settings: Settings) -> HostLimit:
    """One request per ``arxiv_delay`` seconds across every arXiv host, configured or not."""
    hosts = {urlsplit(url).netloc.lower() for url in _arxiv_urls(settings)}
    return HostLimit("arXiv", settings.arxiv_delay, frozenset({*hosts, "arxiv.org"}))


def _arxiv_urls(settings: Settings) -> tuple[str, ...]:
    return (settings.arxiv_api_url, settings.arxiv_rss_url, settings.arxiv_oai_url)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Fetcher:
    """The fetch jobs, over one store and one HTTP client (whose rate limits span the jobs)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        http: HttpClient | None = None,
        *,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.settings = settings
        self.http = http or HttpClient([arxiv_limit(settings)])
        self.now = now

    # --- arXiv RSS/Atom listings ------------------------------------------------------------
    def arxiv_rss(
        self, categories: Iterable[str], *, rss: bool = False, refresh: bool = False
    ) -> Iterator[Page]:
        """One request per category. A category already fetched in the current arXiv day
        (feeds change at midnight US Eastern) is skipped unless ``refresh``."""
        base = self.settings.arxiv_rss_url.rstrip("/")
        day = self.now().astimezone(_eastern()).date().isoformat()
        for category in categories:
            url = f"{base}/{'rss' if rss else 'atom'}/{quote(category.strip(), safe='+')}"
            key = f"arxiv-rss:{url}"
            if not refresh and self.store.get_state(key) == day:
                yield Page(url, note=f"already fetched for {day} (--refresh to fetch again)")
                continue
            report = self._ingest(url, self.http.get(url).body, "arxiv-listing")
            if report.ok:
                self.store.set_state(key, day)
            yield Page(url, report)

    # --- arXiv API --------------------------------------------------------------------------
    def arxiv_api(
        self,
        *,
        ids: Sequence[str] = (),
        query: str | None = None,
        max_results: int = 100,
        page_size: int = 100,
        sort: str = "relevance",
    ) -> Iterator[Page]:
        """Papers by arXiv id (``ids``, ``page_size`` per request) or by search ``query``
        (paged with start/max_results until ``max_results`` or arXiv's total is reached)."""
        if bool(ids) == bool(query):
            raise FetchError("arXiv API: give either ids or a query")
        if not 1 <= page_size <= ARXIV_MAX_PAGE:
            raise FetchError(f"arXiv API: the page size must be 1 to {ARXIV_MAX_PAGE}")
        if ids:
            yield from self._arxiv_ids([i.strip() for i in ids if i.strip()], page_size, sort)
        else:
            yield from self._arxiv_query(str(query), max_results, page_size, sort)

    def _arxiv_ids(self, ids: list[str], page_size: int, sort: str) -> Iterator[Page]:
        chunks = [ids[i : i + page_size] for i in range(0, len(ids), page_size)]
        digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
        key = f"arxiv-api:{self.settings.arxiv_api_url}:ids:{digest}:{page_size}:{sort}"
        done = int(self.store.get_state(key) or 0)
        for number, chunk in enumerate(chunks):
            url = self._arxiv_url(id_list=",".join(chunk), start=0, size=page_size, sort=sort)
            if number < done:
                yield Page(url, note="ingested by an earlier, unfinished run")
                continue
            report = self._ingest(url, self._arxiv_get(url), "arxiv-api")
            if not report.ok:
                yield Page(url, report)
                return
            self.store.set_state(key, None if number + 1 == len(chunks) else str(number + 1))
            yield Page(url, report)

    def _arxiv_query(self, query: str, limit: int, page_size: int, sort: str) -> Iterator[Page]:
        key = f"arxiv-api:{self.settings.arxiv_api_url}:query:{query}:{sort}:{limit}:{page_size}"
        start = int(self.store.get_state(key) or 0)
        total: int | None = None
        while start < limit and (total is None or start < total):
            size = min(page_size, limit - start)
            url = self._arxiv_url(search_query=query, start=start, size=size, sort=sort)
            body = self._arxiv_get(url)
            total = _opensearch_total(body)
            report = self._ingest(url, body, "arxiv-api")
            if not report.ok:
                yield Page(url, report)
                return
            handled = report.new + report.updated + report.unchanged + len(report.rejected)
            if not handled and total and start < total:  # arXiv does this now and then
                self.store.set_state(key, str(start))  # a rerun asks for this page again
                note = f"arXiv answered no entries at {start} of {total}: run again to retry"
                yield Page(url, report, note)
                return
            start += size
            finished = not handled or start >= limit or (total is not None and start >= total)
            self.store.set_state(key, None if finished else str(start))
            yield Page(url, report)
            if finished:
                return

    def _arxiv_url(self, *, start: int, size: int, sort: str, **query: str) -> str:
        params = {
            **query,
            "sortBy": sort,
            "sortOrder": "descending",
            "start": str(start),
            "max_results": str(size),
        }
        return f"{self.settings.arxiv_api_url}?{urlencode(params)}"

    def _arxiv_get(self, url: str) -> bytes:
        """The body; arXiv's own error message (it answers 400 with an Atom error feed) as a
        :class:`FetchError` that quotes it."""
        try:
            return self.http.get(url).body
        except HttpStatusError as exc:
            message = _parse_error(exc.body, url, "arxiv-api")
            if message:
                raise FetchError(f"{url}: HTTP {exc.status}: {message}") from None
            raise

    # --- arXiv OAI-PMH ----------------------------------------------------------------------
    def oai(
        self,
        *,
        set_spec: str | None = None,
        from_date: date | None = None,
        until: date | None = None,
        prefix: str = "arXiv",
        restart: bool = False,
    ) -> Iterator[Page]:
        """A ListRecords harvest, following resumption tokens to the end. After each page is
        ingested its successor's token is stored, so a rerun continues from there; a finished
        harvest clears it. ``restart`` drops a stored token and starts again."""
        base = self.settings.arxiv_oai_url
        start = from_date.isoformat() if from_date else ""
        end = until.isoformat() if until else ""
        key = f"oai:{base}:{set_spec or ''}:{start}:{end}:{prefix}"
        if restart:
            self.store.set_state(key, None)
        token = self.store.get_state(key)
        if token:
            yield Page(f"{base}?verb=ListRecords", note="resuming an unfinished harvest")
        while True:
            if token:
                params = {"verb": "ListRecords", "resumptionToken": token}
            else:
                params = {"verb": "ListRecords", "metadataPrefix": prefix}
                params.update(
                    (k, v) for k, v in (("set", set_spec), ("from", start), ("until", end)) if v
                )
            url = f"{base}?{urlencode(params)}"
            body = self.http.get(url).body
            try:
                next_token = resumption_token(Input.from_bytes(url, body))
            except ParseError as exc:
                if exc.field != "error":  # not an OAI-PMH error: ingest says what is wrong
                    next_token = None
                else:
                    advice = (
                        "; the stored resumption token may have expired: run again with "
                        "--restart to harvest from the start"
                        if token
                        else ""
                    )
                    raise FetchError(f"{url}: {exc.reason}{advice}") from None
            report = self._ingest(url, body, "oai-pmh")
            if not report.ok:  # the stored token still points at this page: a rerun retries it
                yield Page(url, report)
                return
            self.store.set_state(key, next_token)
            yield Page(url, report)
            if not next_token:
                return
            token = next_token

    # --- Hugging Face daily papers ----------------------------------------------------------
    def hf_daily(self, days: Iterable[date], *, refresh: bool = False) -> Iterator[Page]:
        """One request per day. Past days fetched before are skipped unless ``refresh``; today
        is fetched but not remembered (it is still filling up); future days are skipped."""
        base = self.settings.hf_api_url.rstrip("/")
        today = self.now().date()
        for day in days:
            url = f"{base}/daily_papers?{urlencode({'date': day.isoformat(), 'limit': HF_LIMIT})}"
            key = f"hf:{base}:{day.isoformat()}"
            if day > today:
                yield Page(url, note="in the future")
                continue
            if not refresh and self.store.get_state(key):
                yield Page(url, note="already fetched (--refresh to fetch again)")
                continue
            report = self._ingest(url, self.http.get(url).body, "hf-daily")
            if report.ok and day < today:
                self.store.set_state(key, self.now().isoformat(timespec="seconds"))
            yield Page(url, report)

    # --- helpers ----------------------------------------------------------------------------
    def _ingest(self, url: str, body: bytes, format_name: str) -> FileReport:
        fmt = get_format(format_name)
        return ingest_input(self.store, Input.from_bytes(url, body), fmt=fmt, origin=url)


# --- days -------------------------------------------------------------------------------------
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def days_named(
    *, day: str | None = None, week: str | None = None, month: str | None = None
) -> list[date]:
    """The days of exactly one of: a date ``YYYY-MM-DD``, an ISO week ``YYYY-Www``, a month
    ``YYYY-MM``; :class:`ValueError` (saying what is wrong) otherwise."""
    given = [v for v in (day, week, month) if v]
    if len(given) != 1:
        raise ValueError("give one of a date, a week or a month")
    if week:
        return days_of_week(week)
    if month:
        return days_of_month(month)
    try:
        return [date.fromisoformat(str(day).strip())]
    except ValueError:
        raise ValueError(f"{day!r} is not a date like 2025-03-04") from None


def days_of_week(text: str) -> list[date]:
    """The 7 days of an ISO week ``YYYY-Www``; :class:`ValueError` otherwise."""
    match = _WEEK.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not an ISO week like 2025-W10")
    year, week = int(match[1]), int(match[2])
    try:
        return [date.fromisocalendar(year, week, d) for d in range(1, 8)]
    except ValueError:
        raise ValueError(f"{text!r}: {year} has no week {week}") from None


def days_of_month(text: str) -> list[date]:
    """Every day of a month ``YYYY-MM``; :class:`ValueError` otherwise."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"{text!r} is not a month like 2025-03")
    year, month = int(match[1]), int(match[2])
    return [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


# --- reading bodies ---------------------------------------------------------------------------
def _eastern() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except (ImportError, KeyError, OSError, ValueError):  # no time zone database
        return timezone(timedelta(hours=-5))


def _parse_error(body: bytes, url: str, format_name: str) -> str | None:
    """The reason a parser refuses ``body`` (for an error document), or None."""
    try:
        for _ in get_format(format_name).parse(Input.from_bytes(url, body)):
            pass
    except ParseError as exc:
        return exc.reason
    return None


def _opensearch_total(body: bytes) -> int | None:
    """``opensearch:totalResults`` of an arXiv API feed (it comes before the entries)."""
    from defusedxml.ElementTree import iterparse

    try:
        for _, element in iterparse(io.BytesIO(body), events=("end",)):
            if element.tag == f"{_OPENSEARCH}totalResults":
                return int((element.text or "").strip())
            if element.tag == "{http://www.w3.org/2005/Atom}entry":
                return None
    except (ValueError, SyntaxError):  # the parser will say what is wrong with the page
        return None
    return None
