"""A local HTTP server over the offline replica (fixtures/site): the demo, the
end-to-end tests and the benchmarks crawl it over real HTTP.

The replica's manifest maps each URL as the site links it (path and query) to
a file. Like the real server, the mirror ignores query parameters it does not
know (tracking parameters), answers 404 for anything else, and sends the
content type with its charset. A connection idle for IDLE_TIMEOUT is closed.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

REPLICA = Path(__file__).resolve().parent.parent / "fixtures" / "site"

# Seconds a connection may wait for its next request (or a stalled client for its
# answer to be read) before the server closes it: each connection holds a thread, and
# clients that leave sockets open would pile them up without end. Longer than any
# pause of a crawl between two requests (a slow fault's delay is the server's own
# sleep, not idle reading), as long as nginx's keep-alive default.
IDLE_TIMEOUT = 60.0
# How often the serving loop looks whether it was told to stop.
_POLL_SECONDS = 0.05

NOT_FOUND = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
    "<title>Không tìm thấy trang</title></head>"
    "<body><h1>404 - Không tìm thấy trang yêu cầu</h1></body></html>"
).encode()


@dataclass(frozen=True)
class Reply:
    """What to answer one request with.

    `delay` holds the answer back (a slow server); `action` breaks the connection
    (`reset`: a TCP reset before any byte, `truncate`: half the declared body, then
    close); `stream` produces a body too big to hold, of `length` bytes when given."""

    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    action: str | None = None
    stream: Callable[[], Iterator[bytes]] | None = None
    length: int | None = None


class CannotListen(Exception):
    """The server could not take its address: the message is for the user."""


class App(Protocol):
    """A site the mirror serves: answers a request target, counts what it served."""

    def respond(self, target: str) -> Reply: ...


def request_key(target: str, params: frozenset[str] | None = None) -> str:
    """A request target as IIS reads it: the path in any case, the query in any order
    (only the `params` it knows, when given)."""
    parts = urlsplit(target)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if params is None or k in params)
    return parts.path.lower() + (f"?{urlencode(query)}" if query else "")


@dataclass(frozen=True)
class Page:
    file: Path
    content_type: str


@dataclass
class Site:
    """The URL -> file map of a replica, and the query parameters it knows."""

    root: Path
    pages: dict[str, Page]
    known_params: frozenset[str]
    requests: list[tuple[str, int]] = field(default_factory=list)
    _by_key: dict[str, Page] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, root: Path = REPLICA) -> Site:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        pages = {
            entry["url"]: Page(
                root / entry["file"], entry.get("content_type", "text/html; charset=utf-8")
            )
            for entry in manifest["pages"]
        }
        params = {k for url in pages for k, _ in parse_qsl(urlsplit(url).query)}
        site = cls(root=root, pages=pages, known_params=frozenset(params))
        site._by_key = {site._key(url): page for url, page in pages.items()}
        return site

    def resolve(self, target: str) -> Page | None:
        """The page at `target`, as IIS answers: the path in any case, the known query
        parameters in any order, unknown ones (tracking) ignored."""
        return self._by_key.get(self._key(target))

    def _key(self, target: str) -> str:
        return request_key(target, self.known_params)

    def respond(self, target: str) -> Reply:
        page = self.resolve(target)
        if page is None or not page.file.is_file():
            reply = Reply(404, NOT_FOUND, "text/html; charset=utf-8")
        else:
            reply = Reply(200, page.file.read_bytes(), page.content_type)
        self.requests.append((target, reply.status))
        return reply


def _handler(site: App, idle_timeout: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "IIS/8.5"
        sys_version = ""
        # Every read and write on the connection; a read that times out ends the
        # connection quietly (BaseHTTPRequestHandler closes it), and so its thread.
        timeout = idle_timeout
        # Keep-alive, as Scrapy's client and real servers use it; every reply has a length
        # or closes the connection.
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, a kept-alive connection
        # waits for the client's delayed ACK (40 ms) between them on every response.
        disable_nagle_algorithm = True

        def _respond(self, with_body: bool) -> None:
            reply = site.respond(self.path)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.action == "reset":
                # Linger 0: close() sends RST, what a crashed worker or a firewall does.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            length = reply.length if reply.length is not None else len(reply.body)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers:
                    self.send_header(name, value)
                if reply.stream is None or reply.length is not None:
                    self.send_header("Content-Length", str(length))
                else:
                    self.close_connection = True
                    self.send_header("Connection", "close")
                self.end_headers()
                if not with_body:
                    return
                if reply.action == "truncate":
                    self.wfile.write(reply.body[: len(reply.body) // 2])
                    self.close_connection = True
                elif reply.stream is not None:
                    for chunk in reply.stream():
                        self.wfile.write(chunk)
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                # The client gave up (a timeout, or a response it refused or stopped
                # reading).
                self.close_connection = True

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


class _Server(ThreadingHTTPServer):
    # A fast crawl opens 16 connections at once; the default backlog of 5 refuses some.
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (a crawl killed, a request given up) is no server error.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(
    root: Path = REPLICA,
    port: int = 0,
    host: str = "127.0.0.1",
    idle_timeout: float = IDLE_TIMEOUT,
) -> Iterator[tuple[str, Site]]:
    """Serve the replica in a background thread; yield its base URL and the Site
    (whose `requests` lists every request served, for tests)."""
    site = Site.load(root)
    with serve_app(site, port, host, idle_timeout) as base_url:
        yield base_url, site


@contextmanager
def serve_app(
    app: App, port: int = 0, host: str = "127.0.0.1", idle_timeout: float = IDLE_TIMEOUT
) -> Iterator[str]:
    """Serve any App (the replica, a synthetic site) in a background thread; yield its
    base URL. CannotListen when the address cannot be taken (a port out of range, in
    use, or reserved)."""
    if not 0 <= port <= 65535:
        raise CannotListen(f"cannot listen on {host}:{port}: a port is 0-65535")
    try:
        server = _Server((host, port), _handler(app, idle_timeout))
    except OSError as exc:
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    # shutdown() waits for the loop to look: every 0.5 s by default, up to half a second at
    # each stop of a served site (the tests stop many); 20 looks a second cost nothing.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": _POLL_SECONDS}, name="mirror",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
