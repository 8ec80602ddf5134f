"""`papersift serve` for real: uvicorn on loopback, one worker and several."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.web.e2e.conftest import READY_WAIT, free_port


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_pages_and_api(sample_store: Path, tmp_path: Path, workers: int) -> None:
    db = tmp_path / "store.sqlite3"
    shutil.copy(sample_store, db)
    port = free_port()
    command = [sys.executable, "-m", "papersift", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PAPERSIFT_HOME": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WAIT
        while True:
            try:
                status, _, body = _get(base + "/api/v1/stats")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["papers"] > 300
        status, headers, body = _get(base + "/")
        assert status == 200 and b"Papers of 2026-07-03" in body
        assert "default-src 'none'" in headers["content-security-policy"]
        status, headers, body = _get(base + "/api/v1/papers/nope")
        assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=20)
    text = out.decode()
    assert f"open http://localhost:{port}/" in text  # the URL is printed
    assert "Traceback" not in text


def test_serve_refuses_a_busy_port_in_one_line(sample_store: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "papersift", "serve", "--port", str(port)]
        result = subprocess.run(
            [*command, "--db", str(tmp_path / "s.sqlite3")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2, result
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr and "open http" not in result.stdout
