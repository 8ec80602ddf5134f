"""Throwaway PostgreSQL clusters for the tests: real servers on loopback, run as an unprivileged
user (``nobody`` when the tests run as root, since PostgreSQL refuses to run as root).

Two kinds: Debian's PostgreSQL 15 (no pgvector) and the PostgreSQL 16 + pgvector that the PyPI
package ``pgserver`` bundles. Each test gets a fresh database (:meth:`Cluster.database`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

import psycopg

DEBIAN_BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"


def pgserver_bin() -> Path:
    """The binaries of the PyPI package pgserver (PostgreSQL 16 with pgvector)."""
    from importlib.util import find_spec

    spec = find_spec("pgserver")  # not imported: importing it sets up things we do not use
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the PyPI package pgserver is not installed (pip install -e '.[dev]')")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running PostgreSQL cluster in a temporary folder."""

    def __init__(self, bin_dir: Path, name: str, *, durable: bool = False) -> None:
        if not (bin_dir / "initdb").exists():
            raise RuntimeError(
                f"no PostgreSQL binaries in {bin_dir}: install them "
                "(apt-get install postgresql; pip install pgserver)"
            )
        self.bin = bin_dir
        self.name = name
        self.root = Path(tempfile.mkdtemp(prefix=f"papersift-pg-{name}-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.data.mkdir()
        self.user = "nobody" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.data, self.user)
        self.port = 0
        self.durable = durable  # fsync on, as a real server runs (benchmarks); off for tests
        self._names = count(1)
        self._start()

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            args, user=self.user, capture_output=True, text=True, check=False, cwd=self.root
        )
        if result.returncode:
            log = self.data / "server.log"
            detail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr}{result.stdout}\n{detail}")

    def _start(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        for attempt in range(5):  # a port taken between probing and binding: another one
            self.port = _free_port()
            options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c max_connections=200 "
            if self.durable:
                options += "-c shared_buffers=512MB -c maintenance_work_mem=512MB"
            else:
                options += (
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    "-c shared_buffers=64MB"
                )
            try:
                self._run(
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.data / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                return
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(0.2)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def has_pgvector(self) -> bool:
        with psycopg.connect(self.url(), autocommit=True) as db:
            row = db.execute(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
            return bool(row and row[0])

    def database(self) -> str:
        """A new empty database; its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
