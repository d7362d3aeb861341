"""A real PostgreSQL server for the tests: Debian's `postgresql` binaries, a
throw-away cluster in a temp dir on a free local port, stopped at the end.

Never mocked and never skipped: a machine that cannot start the server fails
the tests that need it, loudly, with the server's own log.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.helpers import apt_install, free_port

USER = "tinhuy"
# initdb refuses to run as root; the Debian package creates this account.
SYSTEM_USER = "postgres"


def _bin_dir() -> Path:
    """The newest installed server's binaries, installing Debian's package if there are none.

    /usr/local/bin may hold initdb/pg_ctl links too; the versioned directory is
    where the matching `postgres` binary and extensions (unaccent) live."""
    for attempt in range(2):
        found = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
        )
        usable = [Path(p) for p in found if (Path(p) / "initdb").exists()]
        if usable:
            return usable[-1]
        if attempt == 0:
            if os.geteuid() != 0:
                break
            apt_install("postgresql")
    pytest.fail("PostgreSQL is not installed (apt-get install postgresql) and could not be")



@dataclass
class Server:
    host: str
    port: int
    _names: Iterator[int]

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(
            host=self.host, port=self.port, user=USER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _run(cmd: list[str], as_user: str | None) -> subprocess.CompletedProcess:
    if as_user:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    bin_dir = _bin_dir()
    as_user = SYSTEM_USER if os.geteuid() == 0 else None
    # Not under pytest's tmp dirs: those are 0700 and root-owned, so the
    # server's user could not reach its own data directory.
    root = Path(tempfile.mkdtemp(prefix="tinhuy-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if as_user:
        shutil.chown(root, as_user)
        shutil.chown(sockets, as_user)
    done = _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        as_user,
    )
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{done.stdout}\n{done.stderr}")
    port = free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = str(bin_dir / "pg_ctl")
    done = _run([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"], as_user)
    if done.returncode != 0:
        server_log = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start:\n{done.stderr}\n{server_log}")
    try:
        yield Server("127.0.0.1", port, itertools.count(1))
    finally:
        _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], as_user)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server: Server) -> str:
    """A fresh database on the test server, for one test."""
    return postgres_server.create_database()
