"""Live sources, replayed: saved real arXiv and Hugging Face responses served by a real HTTP
server on loopback (tests/replay.py), fetched by the real client, ingested into a real store."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.errors import FetchError
from papersift.radar import Radar
from papersift.sources import fetch_http
from papersift.sources.fetch import (
    Fetcher,
    Page,
    arxiv_limit,
    days_named,
    days_of_month,
    days_of_week,
)
from papersift.sources.fetch_http import HostLimit, HttpClient, HttpStatusError
from tests.conftest import Cli, dump_store
from tests.replay import (
    OAI_TOKEN,
    ReplayServer,
    Request,
    arxiv_api,
    arxiv_rss,
    gaps,
    hf_daily,
    oai_chain,
)

RSS_ENTRIES = 69  # arxiv-rss-atom README: the saved cs.AI feed holds 69 entries
WEEK = "2024-W22"  # 2024-05-27 (Mon) .. 2024-06-02 (Sun)


class FakeClock:
    """Time that passes only when slept: retry and rate-limit waits without real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


FAST_RETRY = fetch_http.DEFAULT_RETRY.new(backoff_factor=0.001)  # same policy, tiny backoff


@pytest.fixture
def arxiv(data: Path) -> Iterator[ReplayServer]:
    with ReplayServer(arxiv_api(data), arxiv_rss(data), oai_chain(data)) as server:
        yield server


@pytest.fixture
def hf(data: Path) -> Iterator[ReplayServer]:
    with ReplayServer(hf_daily(data)) as server:
        yield server


def make_settings(
    tmp_path: Path, db_path: Path, arxiv: ReplayServer, hf: ReplayServer, delay: float = 0.05
) -> Settings:
    return Settings(
        home=tmp_path,
        db=str(db_path),
        arxiv_api_url=f"{arxiv.url}/api/query",
        arxiv_rss_url=f"{arxiv.url}/rss",
        arxiv_oai_url=f"{arxiv.url}/oai",
        hf_api_url=f"{hf.url}/hf/api",
        arxiv_delay=delay,
    )


@pytest.fixture
def settings(tmp_path: Path, db_path: Path, arxiv: ReplayServer, hf: ReplayServer) -> Settings:
    return make_settings(tmp_path, db_path, arxiv, hf)


@pytest.fixture
def live(settings: Settings) -> Iterator[Radar]:
    with Radar.open(settings) as radar:
        yield radar


@pytest.fixture
def fetch_cli(cli: Cli, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The real command line, pointed at the replay servers through PAPERSIFT_* variables; the
    retry policy keeps its bounds but backs off in milliseconds."""
    for name in ("arxiv_api_url", "arxiv_rss_url", "arxiv_oai_url", "hf_api_url", "arxiv_delay"):
        monkeypatch.setenv(f"PAPERSIFT_{name.upper()}", str(getattr(settings, name)))
    monkeypatch.setattr(fetch_http, "DEFAULT_RETRY", FAST_RETRY)
    return cli


def fake_fetcher(radar: Radar, settings: Settings, clock: FakeClock) -> Fetcher:
    http = HttpClient([arxiv_limit(settings)], clock=clock)
    return Fetcher(radar.store, settings, http)


def drain(pages: Iterator[Page], into: list[Page]) -> None:
    """Collect pages until the job ends or fails (what came before a failure stays collected)."""
    for page in pages:
        into.append(page)


def ingested(pages: list[Page]) -> int:
    return sum(p.report.new for p in pages if p.report)


def hf_week_papers(data: Path) -> int:
    """Distinct papers in the saved dumps of the days of WEEK."""
    found: set[str] = set()
    for day in days_of_week(WEEK):
        path = data / "hf-daily-papers" / "daily" / f"{day}.json.gz"
        if path.exists():
            found.update(
                item["paper"]["id"] for item in json.loads(gzip.decompress(path.read_bytes()))
            )
    return len(found)


# --- HTTP: retries, errors, rate limits ---------------------------------------------------------


def test_503_with_retry_after_is_retried_until_it_succeeds(arxiv: ReplayServer) -> None:
    arxiv.fail(status=503, headers={"Retry-After": "1"}, times=2)
    clock = FakeClock()
    http = HttpClient(clock=clock)
    response = http.get(f"{arxiv.url}/rss/atom/cs.AI")
    assert response.status == 200
    assert response.body.count(b"<entry>") == RSS_ENTRIES
    assert len(arxiv.requests()) == 3
    assert clock.sleeps == [1.0, 1.0]  # as the server asked, not the backoff


def test_429_is_retried_too(arxiv: ReplayServer) -> None:
    arxiv.fail(status=429, headers={"Retry-After": "7"}, times=1)
    clock = FakeClock()
    assert HttpClient(clock=clock).get(f"{arxiv.url}/rss/atom/cs.AI").status == 200
    assert len(arxiv.requests()) == 2
    assert clock.sleeps == [7.0]


def test_retry_after_is_honoured_in_real_time(arxiv: ReplayServer) -> None:
    arxiv.fail(status=503, headers={"Retry-After": "1"}, times=1)
    assert HttpClient().get(f"{arxiv.url}/rss/atom/cs.AI").status == 200
    first, second = arxiv.requests()
    assert second.arrived - first.arrived >= 1.0


def test_a_server_that_always_fails_gives_a_bounded_clean_fetch_error(
    arxiv: ReplayServer,
) -> None:
    arxiv.fail(status=500, times=None)
    clock = FakeClock()
    url = f"{arxiv.url}/rss/atom/cs.AI"
    with pytest.raises(HttpStatusError) as caught:
        HttpClient(clock=clock).get(url)
    assert caught.value.status == 500
    assert str(caught.value).startswith(f"{url}: HTTP 500 Internal Server Error")
    attempts = len(arxiv.requests())
    assert attempts == 1 + fetch_http.DEFAULT_RETRY.status  # every retry used, no more
    assert clock.sleeps == [0, 1.0, 2.0, 4.0, 8.0]  # exponential backoff


def test_a_4xx_is_not_retried(arxiv: ReplayServer) -> None:
    url = f"{arxiv.url}/rss/atom/no.such"
    with pytest.raises(FetchError, match=r"HTTP 404 Not Found"):
        HttpClient(clock=FakeClock()).get(url)
    assert len(arxiv.requests()) == 1


def test_an_unreachable_host_is_a_fetch_error_naming_the_url() -> None:
    with ReplayServer() as gone:
        url = f"{gone.url}/api/query?id_list=1605.08386"
    clock = FakeClock()  # the server is closed: nothing listens on its port any more
    with pytest.raises(FetchError) as caught:
        HttpClient(clock=clock).get(url)
    assert str(caught.value) == f"{url}: cannot connect (Connection refused)"
    assert len(clock.sleeps) == fetch_http.DEFAULT_RETRY.connect  # retried, within bounds


def test_redirects_are_followed(arxiv: ReplayServer) -> None:
    arxiv.fail(
        lambda r: r.path == "/rss/atom/old",
        status=301,
        headers={"Location": "/rss/atom/cs.AI"},
    )
    response = HttpClient(clock=FakeClock()).get(f"{arxiv.url}/rss/atom/old")
    assert response.url == f"{arxiv.url}/rss/atom/cs.AI"
    assert response.body.count(b"<entry>") == RSS_ENTRIES


def test_requests_say_who_is_asking(live: Radar, arxiv: ReplayServer) -> None:
    list(live.fetch_arxiv_rss(["cs.AI"]))
    (request,) = arxiv.requests()
    assert request.headers["user-agent"].startswith("papersift/")
    assert "(+http" in request.headers["user-agent"]


def test_the_arxiv_limit_covers_every_arxiv_host_and_nothing_else(settings: Settings) -> None:
    limit = arxiv_limit(Settings(home=settings.home, db=settings.db))
    assert limit.delay == 3.0
    for host in ("export.arxiv.org", "rss.arxiv.org", "oaipmh.arxiv.org", "arxiv.org"):
        assert limit.covers(host)
    for host in ("huggingface.co", "notarxiv.org", "arxiv.org.example.com"):
        assert not limit.covers(host)
    ours = arxiv_limit(settings)
    assert ours.covers(settings.arxiv_api_url.split("/")[2])
    assert not ours.covers(settings.hf_api_url.split("/")[2])  # another port: not arXiv


def test_arxiv_requests_arrive_at_least_the_delay_apart_retries_included(
    tmp_path: Path, db_path: Path, arxiv: ReplayServer, hf: ReplayServer
) -> None:
    """The real clock: arrival times at the server, for pages of two endpoints and a retry."""
    delay = 0.2
    settings = make_settings(tmp_path, db_path, arxiv, hf, delay=delay)
    arxiv.fail(lambda r: r.param("start") == "10", status=503, headers={"Retry-After": "0"})
    with Radar.open(settings) as radar:
        pages = list(radar.fetch_arxiv_api(query="testing", max_results=30, page_size=10))
        pages += list(radar.fetch_arxiv_rss(["cs.AI"]))
    assert ingested(pages) == 30 + RSS_ENTRIES
    arrivals = arxiv.requests()
    assert len(arrivals) == 5  # 3 pages, 1 retry, 1 feed
    assert all(gap >= delay for gap in gaps(arrivals)), list(gaps(arrivals))


def test_the_rate_limit_is_per_host_group() -> None:
    clock = FakeClock()
    limiter = fetch_http.RateLimiter([HostLimit("arXiv", 3.0, frozenset({"arxiv.org"}))], clock)
    assert limiter.wait("https://export.arxiv.org/api/query") == 0
    assert limiter.wait("https://huggingface.co/api/daily_papers") == 0
    assert limiter.wait("https://rss.arxiv.org/atom/cs.AI") == 3.0
    limiter.answered("https://rss.arxiv.org/atom/cs.AI")
    clock.now += 1.0
    assert limiter.wait("https://oaipmh.arxiv.org/oai") == 2.0


# --- arXiv RSS/Atom listings -----------------------------------------------------------------


def test_arxiv_rss_ingests_the_listing_once_a_day(live: Radar, arxiv: ReplayServer) -> None:
    (page,) = list(live.fetch_arxiv_rss(["cs.AI"]))
    assert page.report is not None
    assert page.url == f"{arxiv.url}/rss/atom/cs.AI"
    assert (page.report.format, page.report.new, page.report.rejected) == (
        "arxiv-listing",
        RSS_ENTRIES,
        [],
    )
    assert live.store.count_papers() == RSS_ENTRIES
    assert live.get(next(live.papers()).id).sources[0].origin == page.url

    (again,) = list(live.fetch_arxiv_rss(["cs.AI"]))
    assert again.skipped
    assert "already fetched" in (again.note or "")
    assert len(arxiv.requests()) == 1

    (refreshed,) = list(live.fetch_arxiv_rss(["cs.AI"], refresh=True))
    assert refreshed.report is not None
    assert refreshed.report.unchanged == RSS_ENTRIES
    assert len(arxiv.requests()) == 2


def test_arxiv_rss_asks_for_rss_2_when_told(live: Radar, arxiv: ReplayServer) -> None:
    with pytest.raises(FetchError, match=r"/rss/rss/cs\.AI: HTTP 404"):
        list(live.fetch_arxiv_rss(["cs.AI"], rss=True))  # no saved RSS 2.0 feed exists


def test_cli_failure_keeps_what_came_before_and_exits_6(
    fetch_cli: Cli, arxiv: ReplayServer, db_path: Path
) -> None:
    arxiv.fail(lambda r: r.path.endswith("/cs.LG"), status=500, times=None)
    result = fetch_cli("fetch", "arxiv-rss", "cs.AI", "cs.LG")
    assert result.exit_code == 6, result.output
    assert f"{arxiv.url}/rss/atom/cs.AI [arxiv-listing]: {RSS_ENTRIES} new" in result.stdout
    assert f"error: {arxiv.url}/rss/atom/cs.LG: HTTP 500" in result.stderr
    assert "Traceback" not in result.output
    assert len(arxiv.requests("/rss/atom/cs.LG")) == 1 + fetch_http.DEFAULT_RETRY.status
    before = dump_store(db_path)
    assert len(before["papers"]) == RSS_ENTRIES  # the page before the failure is kept

    rerun = fetch_cli("fetch", "arxiv-rss", "cs.AI", "cs.LG")
    assert rerun.exit_code == 6
    assert len(arxiv.requests("/rss/atom/cs.AI")) == 1  # done already: not fetched again
    assert "cs.AI: already fetched" in rerun.stdout


# --- arXiv API --------------------------------------------------------------------------------


def test_arxiv_api_pages_a_query_until_max(live: Radar, arxiv: ReplayServer) -> None:
    pages = list(live.fetch_arxiv_api(query="testing", max_results=50, page_size=10))
    assert [p.report.new if p.report else None for p in pages] == [10] * 5
    assert [r.param("start") for r in arxiv.requests()] == ["0", "10", "20", "30", "40"]
    assert {r.param("max_results") for r in arxiv.requests()} == {"10"}
    assert live.store.count_papers() == 50
    assert all(p.report and p.report.origin == p.url for p in pages)


def test_arxiv_api_stops_at_the_total(live: Radar, arxiv: ReplayServer) -> None:
    """opensearch:totalResults is 1 for this id list: one page, although --max is larger."""
    pages = list(live.fetch_arxiv_api(ids=["0808.05394", "1707.08567"]))
    assert len(pages) == 1
    assert pages[0].report is not None
    assert pages[0].report.new == 1
    assert live.get("1707.08567").arxiv_id == "1707.08567"


def test_arxiv_api_error_feed_is_a_fetch_error_quoting_arxiv(fetch_cli: Cli) -> None:
    result = fetch_cli("fetch", "arxiv-api", "--id", "abc")
    assert result.exit_code == 6
    assert "id_list=abc" in result.stderr
    assert "HTTP 400" in result.stderr
    assert "incorrect id format for abc" in result.stderr


def test_arxiv_api_resumes_after_a_failure_without_refetching(
    live: Radar, settings: Settings, arxiv: ReplayServer
) -> None:
    arxiv.fail(lambda r: r.param("start") == "20", status=502, times=None)
    fetcher = fake_fetcher(live, settings, FakeClock())
    done: list[Page] = []
    with pytest.raises(FetchError, match=r"start=20.*HTTP 502"):
        drain(fetcher.arxiv_api(query="testing", max_results=50, page_size=10), done)
    assert ingested(done) == 20
    assert live.store.count_papers() == 20

    arxiv.faults.clear()
    arxiv.log.clear()
    pages = list(fetcher.arxiv_api(query="testing", max_results=50, page_size=10))
    assert [r.param("start") for r in arxiv.requests()] == ["20", "30", "40"]
    assert ingested(pages) == 30
    assert live.store.count_papers() == 50

    arxiv.log.clear()  # finished: the cursor is gone, a new run starts from the top
    list(fetcher.arxiv_api(query="testing", max_results=10, page_size=10))
    assert [r.param("start") for r in arxiv.requests()] == ["0"]


def test_arxiv_api_id_pages_resume_too(
    live: Radar, settings: Settings, arxiv: ReplayServer
) -> None:
    wanted = ["1605.08386", "2104.12255v1", "quant-ph/0201082v1"]
    arxiv.fail(lambda r: r.param("id_list") == wanted[1], status=500, times=None)
    fetcher = fake_fetcher(live, settings, FakeClock())
    done: list[Page] = []
    with pytest.raises(FetchError, match=r"id_list=2104\.12255v1.*HTTP 500"):
        drain(fetcher.arxiv_api(ids=wanted, page_size=1), done)
    assert ingested(done) == 1

    arxiv.faults.clear()
    arxiv.log.clear()
    pages = list(fetcher.arxiv_api(ids=wanted, page_size=1))
    assert [p.skipped for p in pages] == [True, False, False]
    assert [r.param("id_list") for r in arxiv.requests()] == wanted[1:]
    assert live.store.count_papers() == 3


def test_arxiv_api_empty_page_mid_way_keeps_the_cursor(
    live: Radar, data: Path, arxiv: ReplayServer
) -> None:
    """arXiv now and then answers a page with no entries although the total says more: the
    saved page for start=10 with its entries cut out stands for that answer here."""
    saved = (data / "arxiv-api-atom" / "api2026_q_testing_s10_m10_34e56e15aaac.xml").read_bytes()
    empty = saved[: saved.index(b"<entry>")] + b"</feed>\n"
    arxiv.fail(lambda r: r.param("start") == "10", status=200, body=empty)
    pages = list(live.fetch_arxiv_api(query="testing", max_results=30, page_size=10))
    assert [p.report.new if p.report else None for p in pages] == [10, 0]
    assert "run again" in (pages[-1].note or "")
    arxiv.log.clear()
    pages = list(live.fetch_arxiv_api(query="testing", max_results=30, page_size=10))
    assert [r.param("start") for r in arxiv.requests()] == ["10", "20"]
    assert live.store.count_papers() == 30


def test_cli_arxiv_api_needs_ids_or_a_query(fetch_cli: Cli) -> None:
    assert fetch_cli("fetch", "arxiv-api").exit_code == 2
    assert fetch_cli("fetch", "arxiv-api", "--id", "1", "--query", "x").exit_code == 2


# --- arXiv OAI-PMH ----------------------------------------------------------------------------


def test_oai_follows_the_resumption_token_to_the_end(
    fetch_cli: Cli, arxiv: ReplayServer, db_path: Path
) -> None:
    result = fetch_cli("fetch", "oai", "--set", "physics:hep-th", "--from", "2017-12-14")
    assert result.exit_code == 0, result.output
    first, second = arxiv.requests()
    assert (first.param("metadataPrefix"), first.param("set"), first.param("from")) == (
        "arXiv",
        "physics:hep-th",
        "2017-12-14",
    )
    assert second.query == {"verb": ["ListRecords"], "resumptionToken": [OAI_TOKEN]}
    assert "2 pages fetched, 0 skipped: 6 new" in result.stdout
    assert not [k for k, *_ in dump_store(db_path)["state"] if k.startswith("oai:")]


def test_oai_resumes_from_the_stored_token_after_a_failure(
    live: Radar, settings: Settings, arxiv: ReplayServer
) -> None:
    def page_two(request: Request) -> bool:
        return request.param("resumptionToken") == OAI_TOKEN

    arxiv.fail(page_two, status=500, times=None)  # page 2 fails for the whole first run
    fetcher = fake_fetcher(live, settings, FakeClock())
    harvest = {"set_spec": "physics:hep-th", "from_date": date(2017, 12, 14)}
    done: list[Page] = []
    with pytest.raises(FetchError, match=r"resumptionToken=.*HTTP 500"):
        drain(fetcher.oai(**harvest), done)  # type: ignore[arg-type]
    assert ingested(done) == 3
    assert live.store.count_papers() == 3

    arxiv.faults.clear()
    arxiv.log.clear()
    pages = list(fetcher.oai(**harvest))  # type: ignore[arg-type]
    assert [r.param("resumptionToken") for r in arxiv.requests()] == [OAI_TOKEN]  # no page 1
    assert pages[0].skipped
    assert "resuming" in (pages[0].note or "")
    assert ingested(pages) == 3
    assert live.store.count_papers() == 6


def test_oai_killed_after_page_one_resumes_at_page_two(live: Radar, arxiv: ReplayServer) -> None:
    harvest = live.fetch_oai(set_spec="physics:hep-th", from_date=date(2017, 12, 14))
    first = next(harvest)
    assert first.report is not None
    assert first.report.new == 3
    harvest.close()  # the process dies here
    assert len(arxiv.requests()) == 1

    pages = list(live.fetch_oai(set_spec="physics:hep-th", from_date=date(2017, 12, 14)))
    assert [r.param("resumptionToken") for r in arxiv.requests()] == [None, OAI_TOKEN]
    assert ingested(pages) == 3
    assert live.store.count_papers() == 6


def test_oai_errors_are_fetch_errors_and_restart_forgets_the_token(
    live: Radar, arxiv: ReplayServer
) -> None:
    harvest = live.fetch_oai(set_spec="physics:hep-th", from_date=date(2017, 12, 14))
    next(harvest)
    harvest.close()
    expired = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/'
        b'OAI/2.0/"><responseDate>2017-12-15T00:00:00Z</responseDate><request verb="ListRecords">'
        b'http://export.arxiv.org/oai2</request><error code="badResumptionToken">The value of '
        b"the resumptionToken argument is invalid or expired.</error></OAI-PMH>"
    )  # the shape of arXiv's answer to an expired token (not a saved response)
    arxiv.fail(lambda r: "resumptionToken" in r.query, status=200, body=expired)
    with pytest.raises(FetchError, match=r"badResumptionToken.*--restart"):
        list(live.fetch_oai(set_spec="physics:hep-th", from_date=date(2017, 12, 14)))

    arxiv.log.clear()
    pages = list(
        live.fetch_oai(set_spec="physics:hep-th", from_date=date(2017, 12, 14), restart=True)
    )
    assert [r.param("resumptionToken") for r in arxiv.requests()] == [None, OAI_TOKEN]
    assert [p.report.unchanged if p.report else None for p in pages] == [3, 0]


# --- Hugging Face daily papers ----------------------------------------------------------------


def test_hf_week_fetches_seven_days_then_none(fetch_cli: Cli, hf: ReplayServer, data: Path) -> None:
    result = fetch_cli("fetch", "hf", "--week", WEEK)
    assert result.exit_code == 0, result.output
    days = [r.param("date") for r in hf.requests()]
    assert days == [d.isoformat() for d in days_of_week(WEEK)]
    papers = hf_week_papers(data)
    assert papers == 13 + 15 + 12 + 11  # Mon, Tue, Thu, Fri are saved; the rest answer []
    assert f"7 pages fetched, 0 skipped: {papers} new" in result.stdout

    again = fetch_cli("fetch", "hf", "--week", WEEK)
    assert again.exit_code == 0
    assert len(hf.requests()) == 7  # nothing fetched again
    assert "0 pages fetched, 7 skipped" in again.stdout

    refreshed = fetch_cli("fetch", "hf", "--date", "2024-05-27", "--refresh")
    assert refreshed.exit_code == 0
    assert "13 unchanged" in refreshed.stdout
    assert len(hf.requests()) == 8


def test_hf_refused_day_exits_3_and_is_fetched_again(fetch_cli: Cli, hf: ReplayServer) -> None:
    hf.fail(lambda r: r.param("date") == "2024-05-28", status=200, body=b"<html>busy</html>")
    result = fetch_cli("fetch", "hf", "--date", "2024-05-28")
    assert result.exit_code == 3
    assert "refused" in result.stdout
    rerun = fetch_cli("fetch", "hf", "--date", "2024-05-28")
    assert rerun.exit_code == 0
    assert "15 new" in rerun.stdout
    assert len(hf.requests()) == 2


def test_hf_today_is_not_remembered_and_the_future_is_skipped(
    live: Radar, settings: Settings, hf: ReplayServer
) -> None:
    fetcher = Fetcher(live.store, settings, now=lambda: datetime(2024, 5, 28, 12, tzinfo=UTC))
    days = [date(2024, 5, 27), date(2024, 5, 28), date(2024, 5, 29)]
    first = list(fetcher.hf_daily(days))
    assert [p.skipped for p in first] == [False, False, True]
    second = list(fetcher.hf_daily(days))
    assert [p.skipped for p in second] == [True, False, True]  # today is fetched again
    assert [r.param("date") for r in hf.requests()] == ["2024-05-27", "2024-05-28", "2024-05-28"]


def test_day_ranges() -> None:
    assert days_of_week("2024-W22")[0] == date(2024, 5, 27)
    assert days_of_week("2024W22")[-1] == date(2024, 6, 2)
    assert len(days_of_month("2024-02")) == 29
    assert days_named(day="2025-03-04") == [date(2025, 3, 4)]
    for bad in ({"week": "2024-W54"}, {"month": "2024-13"}, {"day": "2024-02-30"}, {}):
        with pytest.raises(ValueError):
            days_named(**bad)


def test_cli_hf_bad_period_is_a_usage_error(fetch_cli: Cli) -> None:
    result = fetch_cli("fetch", "hf", "--week", "2024-22")
    assert result.exit_code == 2
    assert "not an ISO week" in result.output
