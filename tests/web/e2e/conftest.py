"""End-to-end: the real server (`papersift serve`, uvicorn) on loopback, driven by Debian's
headless Chromium through Playwright (no browser download: ``executable_path``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

CHROMIUM = os.environ.get("PAPERSIFT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"  # screenshots (gitignored)
READY_WAIT = 60.0  # seconds the server may take to start (a bound, not a measurement)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`papersift serve` on a copy of the sample store; its base URL."""
    home = tmp_path_factory.mktemp("e2e")
    db = home / "store.sqlite3"
    shutil.copy(sample_store, db)
    env = {**os.environ, "PAPERSIFT_HOME": str(home)}
    with running_server(db, home, free_port(), env) as url:
        yield url


@contextmanager
def running_server(db: Path, home: Path, port: int, env: dict[str, str]) -> Iterator[str]:
    """`papersift serve` on ``db`` (its log in ``home``) for the block; its base URL, once it
    answers."""
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "papersift", "--db", str(db), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WAIT
        while True:
            try:
                with urllib.request.urlopen(url + "/api/v1/stats", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(
                    "papersift serve did not start: " + (home / "server.log").read_text()
                )
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A page, with every console error, page error, failed request and dialog it saw."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request: object) -> None:
        failure = getattr(request, "failure", None)
        if failure and "ERR_ABORTED" not in str(failure):  # aborted: a superseded live search
            self.problems.append(f"request failed: {getattr(request, 'url', '?')} {failure}")

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(str(getattr(dialog, "message", "?")))
        dialog.dismiss()  # type: ignore[attr-defined]

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path


@pytest.fixture
def tab(browser: Browser, server: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Tab(page, server)
    context.close()
