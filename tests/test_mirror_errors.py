"""`tinhuy mirror` on a port it cannot take, and the mirror's idle connections."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import serve
from tests.helpers import tinhuy


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another server listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


@pytest.mark.parametrize("mode", [[], ["--synthetic", "5"]], ids=["replica", "synthetic"])
@pytest.mark.parametrize("port", ["99999", "-1", "taken"])
def test_a_port_it_cannot_take_is_one_line_and_exit_2(
    request, tmp_path: Path, mode: list[str], port: str
) -> None:
    if port == "taken":
        port = str(request.getfixturevalue("taken_port"))
    manifest = tmp_path / "site.json"
    extra = ["--manifest", str(manifest)] if mode else []
    # A timeout, not a hang, if it ever serves after all.
    done = tinhuy("mirror", "--port", port, *mode, *extra, check=False, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"tinhuy: cannot listen on 127.0.0.1:{port}: ")
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    # Nothing left behind by a mirror that never served.
    assert not manifest.exists()


def _new_threads(before: set[threading.Thread], n: int) -> set[threading.Thread]:
    """The threads started since `before`, once there are `n` of them (5 s at most)."""
    deadline = time.monotonic() + 5
    while len(new := set(threading.enumerate()) - before) < n and time.monotonic() < deadline:
        time.sleep(0.01)
    return new


def test_an_idle_connection_is_closed_and_its_thread_ends() -> None:
    n = 50
    # Long enough for all the connections to be accepted before the first times out.
    with serve(idle_timeout=2.0) as (base_url, _site):
        address = ("127.0.0.1", int(base_url.rsplit(":", 1)[1]))
        before = set(threading.enumerate())
        clients = [socket.create_connection(address) for _ in range(n)]
        try:
            # One of them asks for a page first: the timeout counts from the last request.
            clients[0].sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
            # A thread per open connection, idle or not.
            handlers = _new_threads(before, n)
            assert len(handlers) == n
            for client in clients:
                client.settimeout(10)
                received = b""
                while chunk := client.recv(65536):
                    received += chunk
                # End of stream: the server closed the connection, after any answer.
                assert received.startswith(b"HTTP/1.1 404") == (client is clients[0])
            for thread in handlers:
                thread.join(5)
            assert not any(thread.is_alive() for thread in handlers)
            assert set(threading.enumerate()) <= before
        finally:
            for client in clients:
                client.close()
