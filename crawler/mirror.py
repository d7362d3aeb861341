"""A local HTTP server over the offline replica (fixtures/site): the demo, the
end-to-end tests and the benchmarks crawl it over real HTTP.

The replica's manifest maps each URL as the site links it (path and query) to
a file. Like the real server, the mirror ignores query parameters it does not
know (tracking parameters), answers 404 for anything else, and sends the
content type with its charset.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

REPLICA = Path(__file__).resolve().parent.parent / "fixtures" / "site"

NOT_FOUND = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
    "<title>Không tìm thấy trang</title></head>"
    "<body><h1>404 - Không tìm thấy trang yêu cầu</h1></body></html>"
).encode()


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
        return cls(root=root, pages=pages, known_params=frozenset(params))

    def resolve(self, target: str) -> Page | None:
        parts = urlsplit(target)
        if target in self.pages:
            return self.pages[target]
        known = [(k, v) for k, v in parse_qsl(parts.query) if k in self.known_params]
        candidate = parts.path + (f"?{urlencode(known)}" if known else "")
        return self.pages.get(candidate)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "IIS/8.5"
        sys_version = ""

        def _respond(self, with_body: bool) -> None:
            page = site.resolve(self.path)
            if page is None or not page.file.is_file():
                status, body, ctype = 404, NOT_FOUND, "text/html; charset=utf-8"
            else:
                status, body, ctype = 200, page.file.read_bytes(), page.content_type
            site.requests.append((self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def serve(
    root: Path = REPLICA, port: int = 0, host: str = "127.0.0.1"
) -> Iterator[tuple[str, Site]]:
    """Serve the replica in a background thread; yield its base URL and the Site
    (whose `requests` lists every request served, for tests)."""
    site = Site.load(root)
    server = ThreadingHTTPServer((host, port), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="mirror", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
