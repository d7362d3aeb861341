"""One polite HTTP GET outside a crawl (`tinhuy extract URL`, `fixture add URL`,
the live canary), with the crawler's own User-Agent."""

from __future__ import annotations

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
