"""Downloader middleware that reports, and does not follow, redirects off the site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

REDIRECTS = (301, 302, 303, 307, 308)


class OffsiteRedirects:
    """Provincial sites moved to new domains after the 2025 merger of provinces; a
    crawl that silently followed (or silently dropped) such a redirect would look
    healthy while archiving nothing. Record the target so the summary names it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirects:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        location = response.headers.get("Location")
        if response.status not in REDIRECTS or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        host = (urlsplit(target).hostname or "").lower()
        spider = self.crawler.spider
        allowed = {*spider.allowed_domains, *spider.profile.allowed_domains}
        if host in allowed or any(host.endswith("." + d) for d in allowed):
            return response
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("tinhuy/offsite_redirects")
        seen = stats.get_value("tinhuy/offsite_redirect_urls") or []
        if target not in seen:
            stats.set_value("tinhuy/offsite_redirect_urls", [*seen, target])
        raise IgnoreRequest(f"{request.url} redirects off the site to {target}")
