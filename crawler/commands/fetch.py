"""One polite HTTP GET outside a crawl (`tinhuy extract URL`, `fixture add URL`,
the live canary), with the crawler's own User-Agent."""

from __future__ import annotations

import errno
import socket
import urllib.error
import urllib.request

import settings

MAX_BYTES = settings.DOWNLOAD_MAXSIZE


def fetch(url: str, timeout: float = 30) -> tuple[bytes, dict[str, str]]:
    """The body and headers of `url`; raises OSError (URLError, HTTPError) on failure."""
    request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise OSError(f"{url}: larger than {MAX_BYTES} bytes")
        return body, dict(response.headers.items())


def no_answer(exc: OSError) -> str | None:
    """Why a fetch got no answer at all, in the words `tinhuy crawl` uses
    (crawler/crawl/health.py); None when the server answered, if only with an error."""
    if isinstance(exc, urllib.error.HTTPError):
        return None
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return "no answer (the name does not resolve)"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, TimeoutError):
        return "no answer (timed out)"
    if isinstance(reason, ConnectionError):
        return "the connection was lost"
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "no answer (no route to the host)"
    return None
