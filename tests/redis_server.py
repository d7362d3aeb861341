"""A real Redis server for the tests: Debian's `redis-server` (installed when missing),
in a temp dir on a free local port, with its append-only file so that a restart keeps
every queued and delivered message, as in production (README, "Workers").

Never mocked and never skipped: a machine that cannot start the server fails the
tests that need it, loudly, with the server's own log.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.helpers import apt_install, free_port


def _binary() -> str:
    for attempt in range(2):
        found = shutil.which("redis-server")
        if found:
            return found
        if attempt == 0:
            apt_install("redis-server")
    pytest.fail("redis-server is not installed (apt-get install redis-server) and could not be")



class RedisServer:
    """One redis-server process; `restart` stops it (SIGTERM: it writes its append-only
    file and exits, as on a reboot) and starts it again on the same port and files."""

    def __init__(self) -> None:
        self.binary = _binary()
        self.root = Path(tempfile.mkdtemp(prefix="tinhuy-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.root / "server.log", "a")  # noqa: SIM115 (the server's own stdout)
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.root),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.exceptions.RedisError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not start:\n{(self.root / 'server.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port)


@pytest.fixture()
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
