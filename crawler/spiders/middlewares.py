"""Downloader middlewares: off-site redirects reported, retries with backoff."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_meta_refresh
from twisted.internet.task import deferLater
from w3lib.url import canonicalize_url

from crawler.crawl import links

REDIRECTS = (301, 302, 303, 307, 308)


def redirect_target(
    request: Request, response: Response, ignore_tags: list[str], max_delay: float
) -> str | None:
    """Where a response sends the crawl: its Location, or a meta refresh Scrapy follows."""
    if request.meta.get("dont_redirect"):
        return None
    location = response.headers.get("Location")
    if response.status in REDIRECTS and location:
        return urljoin(request.url, location.decode("latin-1"))
    if isinstance(response, HtmlResponse) and response.status == 200:
        delay, url = get_meta_refresh(response, ignore_tags=ignore_tags)
        if url and delay is not None and delay < max_delay:
            return url
    return None


class OffsiteRedirects:
    """Provincial sites moved to new domains after the 2025 merger of provinces; a
    crawl that silently followed (or silently dropped) such a redirect would look
    healthy while archiving nothing. Only the site's own scheme, host and port are on
    the site (crawler/crawl/links.py `on_site`): a redirect or meta refresh anywhere
    else (another port of the same host, another host, `file:`) is refused, its target
    recorded with the page that led there, and the page counted as failed.

    Before Scrapy's redirect middlewares (600, 580) in the response path: a redirect
    they built to another host would be dropped by the off-site filter when scheduled,
    before any errback could see it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.ignore_tags = crawler.settings.getlist("METAREFRESH_IGNORE_TAGS")
        self.max_delay = crawler.settings.getfloat("METAREFRESH_MAXDELAY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirects:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        target = redirect_target(request, response, self.ignore_tags, self.max_delay)
        spider = self.crawler.spider
        if target is None or links.on_site(target, spider.base_url, spider.site):
            return response
        origin = (request.meta.get("redirect_urls") or [request.url])[0]
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("tinhuy/offsite_redirects")
        targets = stats.get_value("tinhuy/offsite_redirect_urls") or []
        if target not in targets:
            stats.set_value("tinhuy/offsite_redirect_urls", [*targets, target])
        pairs = stats.get_value("tinhuy/offsite_redirect_pairs") or []
        stats.set_value("tinhuy/offsite_redirect_pairs", [*pairs, {"from": origin, "to": target}])
        raise IgnoreRequest(f"redirected off the site to {target}")


class RedirectedToKnown(IgnoreRequest):
    """The redirect chain `chain` leads to `target`, an article the crawl already has."""

    def __init__(self, chain: list[str], target: str) -> None:
        super().__init__(f"{chain[0]} redirects to {target}, already asked for")
        self.chain = chain
        self.target = target


class KnownRedirects:
    """A redirect or meta refresh to an article this crawl has asked for, fetched or stored
    is not followed: Scrapy's duplicate filter would drop it silently, the URLs that led
    there would be lost, and the archive's URLs would depend on which spelling of the
    article the crawl met first. The spider records them as spellings of that article."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.ignore_tags = crawler.settings.getlist("METAREFRESH_IGNORE_TAGS")
        self.max_delay = crawler.settings.getfloat("METAREFRESH_MAXDELAY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownRedirects:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        target = redirect_target(request, response, self.ignore_tags, self.max_delay)
        has_article = getattr(self.crawler.spider, "has_article", None)
        if target is None or has_article is None or not has_article(target, request):
            return response
        raise RedirectedToKnown([*request.meta.get("redirect_urls", []), request.url], target)


class RedirectLoops:
    """Refuse a redirect back to a URL the chain already visited. Scrapy would
    follow it into its duplicate filter, which drops it silently: the page would
    be neither stored nor counted as failed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoops:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        location = response.headers.get("Location")
        if response.status not in REDIRECTS or not location:
            return response
        target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


class BackoffRetry(RetryMiddleware):
    """Scrapy's retries, each one later than the last: a small government server
    that answers 503 is overloaded, and retrying at once only adds to its load.
    The wait is asynchronous: other requests go on meanwhile."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def _later(self, retry: Request | None) -> Request | None:
        if retry is not None and self.base > 0:
            # Imported here: importing the reactor at module level would install
            # Twisted's default one before Scrapy installs the asyncio reactor.
            from twisted.internet import reactor

            times = retry.meta.get("retry_times", 1)
            delay = min(self.cap, self.base * 2 ** (times - 1))
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retry

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            return await self._later(result) or response
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        return await self._later(result) if isinstance(result, Request) else result
