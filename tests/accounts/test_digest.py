"""Digests: real SMTP on loopback (aiosmtpd), the ledger under SIGKILL, unsubscribe, feeds."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from papersift.config import Settings
from papersift.errors import AuthenticationError
from papersift.radar import Radar
from tests.accounts.atom import validate
from tests.accounts.smtp import SmtpServer

DAY = date(2026, 7, 3)  # the bundled sample's last day: its week has papers
LIBRARIES = {
    "ann@example.org": ("2502.16886", "2606.24033"),  # KV cache
    "ben@example.org": ("2606.23050",),
    "cat@example.org": ("2606.31308",),
}


def _subscribe(radar: Radar) -> None:
    for email, ids in LIBRARIES.items():
        user = radar.user(email)
        radar.library_add(user, ids)
        radar.subscribe(user, frequency="weekly", size=5)


def _smtp(settings: Settings, port: int) -> Settings:
    return replace(settings, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")


def test_digest_over_smtp(settings: Settings) -> None:
    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        _subscribe(radar)
        radar.library_mark(radar.user("ann@example.org"), "2606.31145", not_interested=True)
        report = radar.send_digests(day=DAY)
        assert report.count("sent") == 3
        inbox = server.inbox
        assert sorted(rcpt for _, (rcpt,) in inbox.envelopes) == sorted(LIBRARIES)
        (message,) = inbox.to("ann@example.org")
        assert (
            message["Subject"] == "papersift weekly digest 2026-W27: 5 papers recommended for you"
        )
        assert message["From"] and message["Message-ID"] == "<digest-1-2026-W27@papers.example>"
        header = re.search(r"<(\S+)>", " ".join(str(message["List-Unsubscribe"]).split()))
        assert header is not None
        unsubscribe = header.group(1)
        assert unsubscribe.startswith("http://papers.example/unsubscribe/1/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        ids = re.findall(r"http://papers\.example/papers/(\S+)", text)
        assert len(ids) == 5 and "2606.31145" not in ids  # dismissed: never sent
        assert not set(ids) & set(LIBRARIES["ann@example.org"])
        for pid in ids:
            assert f'href="http://papers.example/papers/{pid}"' in html
        assert text.count("Why: close to") == 5 and html.count("Why: close to") == 5
        assert unsubscribe in text and unsubscribe in html.replace("&amp;", "&")
        assert "<img" not in html and "<script" not in html and "src=" not in html
        assert "/feeds/" in text

        # unsubscribing from the link (no sign-in) stops the next digests
        sub_id, signature = unsubscribe.rsplit("/", 2)[-2:]
        with pytest.raises(AuthenticationError):
            radar.unsubscribe(int(sub_id), signature[:-1] + ("A" if signature[-1] != "A" else "B"))
        with pytest.raises(AuthenticationError):
            radar.unsubscribe(2, signature)  # a signature is for one subscription only
        assert not radar.unsubscribe(int(sub_id), signature).active

        # the same period again: nothing sent twice; the next week: no paper repeated
        assert radar.send_digests(day=DAY).count("sent") == 0
        radar.send_digests(day=date(2026, 7, 10))
        assert inbox.to("ann@example.org") == [message]  # unsubscribed
        (first, second) = inbox.to("ben@example.org")
        firsts = set(re.findall(r"/papers/(\S+)", first.get_body(("plain",)).get_content()))
        seconds = set(re.findall(r"/papers/(\S+)", second.get_body(("plain",)).get_content()))
        assert firsts and seconds and not firsts & seconds


def test_dry_run_writes_files_and_changes_nothing(settings: Settings, tmp_path: Path) -> None:
    with Radar.open(settings) as radar:
        _subscribe(radar)
        report = radar.send_digests(day=DAY, dry_run=True, out=tmp_path / "out")
        assert report.count("written") == 3
        files = sorted((tmp_path / "out").glob("*.eml"))
        assert len(files) == 3 and b"List-Unsubscribe" in files[0].read_bytes()
        assert all(radar.store.digests(s.id) == [] for s in radar.store.subscriptions())
        assert all(radar.store.delivered(s.id) == set() for s in radar.store.subscriptions())


def test_killed_between_two_messages_then_rerun(settings: Settings, store_file: Path) -> None:
    with Radar.open(settings) as radar:
        _subscribe(radar)
    with SmtpServer() as server:
        env = {
            **os.environ,
            "PAPERSIFT_SMTP_HOST": "127.0.0.1",
            "PAPERSIFT_SMTP_PORT": str(server.port),
            "PAPERSIFT_SMTP_SECURITY": "none",
            "PAPERSIFT_SECRET_KEY": "test-secret",
            "PAPERSIFT_BASE_URL": "http://papers.example",
        }
        command = [sys.executable, "-m", "papersift", "--db", str(store_file), "digest", "send"]
        command += ["--date", DAY.isoformat()]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        killed = []

        def kill_before_second(received: int) -> None:
            if received == 1 and not killed:  # the first digest is in; the second is starting
                process.send_signal(signal.SIGKILL)
                process.wait()
                killed.append(True)

        server.inbox.on_rcpt = kill_before_second
        process.wait(timeout=120)
        assert killed and process.returncode == -signal.SIGKILL
        assert len(server.inbox.messages) == 1
        server.inbox.on_rcpt = None
        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert "1 already sent" in rerun.stdout
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert "0 sent, 3 already sent" in again.stdout
        received = sorted(m["To"] for m in server.inbox.messages)
        assert received == sorted(LIBRARIES)  # each digest exactly once


def test_feeds(settings: Settings) -> None:
    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        _subscribe(radar)
        radar.send_digests(day=DAY)
        sub = radar.subscriptions(radar.user("ann@example.org"))[0]
        assert len(sub.feed_token) >= 40  # 256 random bits: unguessable
        entries = validate(radar.subscription_feed(sub.feed_token))
        sent = radar.store.digests(sub.id)[0].papers
        assert [e["id"].rsplit(":", 1)[1] for e in entries] == list(sent)
        assert all(e["link"].startswith("http://papers.example/papers/") for e in entries)
        with pytest.raises(Exception, match="no such feed"):
            radar.subscription_feed(sub.feed_token[:-2] + "xx")
        trending = validate(radar.trending_feed(limit=10))
        assert len(trending) == 10
        week = radar.listing("week", sort="trending", limit=10)
        assert [e["id"].rsplit(":", 1)[1] for e in trending] == [i.paper.id for i in week.items]


def test_local_saves_count_in_trending(sample: Radar) -> None:
    week = sample.listing("week", sort="trending", limit=100)
    last = week.items[-1]
    assert last.saves == 0
    for name in ("u1", "u2", "u3"):
        sample.library_add(sample.user(name), [last.paper.id])
    again = {i.paper.id: i for i in sample.listing("week", sort="trending", limit=100).items}
    assert again[last.paper.id].saves == 3
    assert again[last.paper.id].score > last.score


def test_feed_escapes_titles() -> None:
    from papersift.deliver.feeds import Entry, atom_feed

    xml = atom_feed(
        feed_id="tag:x,2026:f",
        title="t & <b>",
        self_url="http://x/f.atom",
        site_url="http://x/",
        entries=[
            Entry("p1", "<script>alert(1)</script> & co", "http://x/p?a=1&b=2", "s", "2026-07-01")
        ],
    )
    (entry,) = validate(xml)
    assert entry["title"] == "<script>alert(1)</script> & co"
    assert entry["link"] == "http://x/p?a=1&b=2"
    assert "<script>" not in xml


def test_password_reset_email(settings: Settings) -> None:
    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        radar.accounts().sign_up("ada@example.org", "an old password")
        assert radar.send_password_reset("nobody@example.org") is False
        assert server.inbox.messages == []
        assert radar.send_password_reset("ADA@example.org") is True
        (message,) = server.inbox.to("ada@example.org")
        assert message["Subject"] == "papersift: reset your password"
        body = message.get_body(("plain",)).get_content()
        found = re.search(r"http://papers\.example/reset/(\S+)", body)
        assert found is not None
        radar.accounts().reset_password(found.group(1), "a brand new password")
        with pytest.raises(AuthenticationError):
            radar.accounts().reset_password(found.group(1), "once more, no")
        assert radar.accounts().sign_in("ada@example.org", "a brand new password").token


def test_two_runs_at_once_the_second_stops(settings: Settings) -> None:
    import fcntl

    from papersift.errors import DeliveryError

    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        _subscribe(radar)
        lock = settings.home / "digest-send.lock"
        with lock.open("a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)  # as a run still sending would
            with pytest.raises(DeliveryError, match="another `digest send` is running"):
                radar.send_digests(day=DAY)
            fcntl.flock(held, fcntl.LOCK_UN)
        assert server.inbox.messages == []
        assert all(radar.store.digests(s.id) == [] for s in radar.store.subscriptions())
        assert radar.send_digests(day=DAY).count("sent") == 3


def test_feed_hides_papers_read_or_dismissed(settings: Settings) -> None:
    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        _subscribe(radar)
        radar.send_digests(day=DAY)
        ann = radar.user("ann@example.org")
        sub = radar.subscriptions(ann)[0]
        before = [
            e["id"].rsplit(":", 1)[1] for e in validate(radar.subscription_feed(sub.feed_token))
        ]
        radar.library_mark(ann, before[0], read=True)
        radar.library_mark(ann, before[1], not_interested=True)
        after = [
            e["id"].rsplit(":", 1)[1] for e in validate(radar.subscription_feed(sub.feed_token))
        ]
        assert after == before[2:]


def test_serve_runs_the_digest_schedule(settings: Settings, store_file: Path) -> None:
    import json
    import time
    from datetime import UTC, datetime

    from papersift.sources.base import Input
    from tests.accounts.smtp import free_port

    today = datetime.now(UTC).date().isoformat()
    new = "".join(
        json.dumps(
            {
                "id": f"2612.0000{n}",
                "title": title,
                "summary": title + " " + text,
                "published": today,
                "categories": ["cs.CL"],
            }
        )
        + "\n"
        for n, (title, text) in enumerate(
            [
                ("KV cache eviction for long-context LLM inference", "We compress the cache."),
                ("Optical character recognition of scanned pages", "An OCR model."),
                ("Floating-point error detection with language models", "We classify errors."),
            ],
            start=1,
        )
    )
    with Radar.open(settings) as radar:
        _subscribe(radar)
        assert next(iter(radar.ingest([Input.from_bytes("today.jsonl", new.encode())]))).new == 3
        radar.index()  # the new papers get their vectors (the real model, 3 papers)
    with SmtpServer() as server:
        env = {
            **os.environ,
            "PAPERSIFT_SMTP_HOST": "127.0.0.1",
            "PAPERSIFT_SMTP_PORT": str(server.port),
            "PAPERSIFT_SMTP_SECURITY": "none",
            "PAPERSIFT_HOME": str(settings.home),
        }
        command = [sys.executable, "-m", "papersift", "--db", str(store_file), "serve"]
        command += ["--port", str(free_port()), "--digests"]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 120  # a bound on start-up, not a measurement
            while len(server.inbox.messages) < 3 and time.monotonic() < deadline:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=30)
        # today's digests: each subscriber once, with today's papers
        assert sorted(m["To"] for m in server.inbox.messages) == sorted(LIBRARIES)
        for message in server.inbox.messages:
            assert "/papers/2612.0000" in message.get_body(("plain",)).get_content()


def test_topic_digest(settings: Settings) -> None:
    with SmtpServer() as server, Radar.open(_smtp(settings, server.port)) as radar:
        radar.build_topics(full=True)
        topic = radar.paper_topic("2606.31145")
        assert topic is not None
        members = {t.paper.id for t in radar.topic(topic.id, limit=None).papers}
        user = radar.user("tom@example.org")
        radar.subscribe(user, content="topic", query=str(topic.id), frequency="weekly", size=50)
        assert radar.send_digests(day=DAY).count("sent") == 1
        (message,) = server.inbox.to("tom@example.org")
        text = message.get_body(("plain",)).get_content()
        sent = set(re.findall(r"http://papers\.example/papers/(\S+)", text))
        assert sent and sent <= members
        assert f"Why: new in the topic “{topic.label}”" in text
