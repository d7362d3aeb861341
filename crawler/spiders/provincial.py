"""The site-driven spider: home -> category listings (paginated) -> articles.

Incremental by default: the archive tells the frontier which articles are
stored and how far each listing was walked; the frontier decides what to
fetch and when a listing may stop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.crawl import links
from crawler.crawl.frontier import Frontier, Options
from crawler.discovery.site import Discovered, auto_site
from crawler.extract import extract_article
from crawler.sites import AUTO_SITE, DEFAULT_SITE, get_site
from crawler.sites.urls import canonical_url, site_url
from crawler.spiders.discovery import Discovery
from crawler.spiders.items import Article, ArticleAlias, FailedPage
from crawler.spiders.middlewares import RedirectedToKnown
from crawler.spiders.workers import ExtractionPool
from crawler.text.dates import normalize_date, now_local
from pipelines.archive.crawl_state import (
    begin_walks,
    failures_to_retry,
    finish_walks,
    known_articles,
    load_discovery,
    related_left_behind,
    save_discovery,
    walk_states,
)
from pipelines.archive.engine import open_engine
from pipelines.stages.identity import spellings, with_site_links

# Discovery is done again on a site once what it found is this old.
REDISCOVER_AFTER = timedelta(days=7)


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class ProvincialSpider(Discovery, scrapy.Spider):
    name = "provincial"
    # Scrapy's feed exports (`-O articles.jsonl|.csv`, FEEDS) write the storage
    # pipeline's records, those of `tinhuy dump`: Vietnamese as written, not \u escapes,
    # and CSV cells as the dump writes them.
    custom_settings: ClassVar[dict[str, Any]] = {
        "FEED_EXPORT_ENCODING": "utf-8",
        "FEED_EXPORTERS": {"csv": "pipelines.components.ArticleCsvExporter"},
    }

    def __init__(
        self,
        site: str = DEFAULT_SITE,
        base_url: str | None = None,
        full: Any = False,
        since: str | None = None,
        max_known_pages: Any = 1,
        refresh_days: Any = 2,
        site_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # An unregistered site is read by discovery first (crawler/spiders/discovery.py):
        # until then its site class knows only its address.
        self.auto = site == AUTO_SITE
        if self.auto and not base_url:
            raise ValueError("--site auto needs the site's address (--base-url)")
        # A discovered site is known by its host, or by the name the registry gives it.
        self.auto_name = site_name
        self.site = (
            auto_site(base_url, Discovered(), site_name) if self.auto else get_site(site)
        )
        self.base_url = (base_url or self.site.base_url).rstrip("/")
        host = urlsplit(self.base_url).hostname
        self.allowed_domains = [host] if host else []
        since_iso = normalize_date(since) if since else None
        if since and since_iso is None:
            raise ValueError(f"--since: not a date: {since!r}")
        self.options = Options(
            full=_flag(full),
            since=since_iso,
            max_known_pages=max(1, int(max_known_pages)),
            refresh_days=int(refresh_days),
        )
        self.listings = [c.path for c in self.site.categories]
        self.frontier: Frontier | None = None
        self._requested: set[str] = set()
        self._aliased: set[str] = set()
        # Canonical URL -> the other spellings met while the article's page is fetched;
        # then the articles fetched in this run, whose later spellings are only recorded.
        self._in_flight: dict[str, set[str]] = {}
        self._fetched: set[str] = set()
        # Canonical URL of an article that redirects -> the canonical URL of its target.
        self._redirected: dict[str, str] = {}
        # The listings whose walk reached its end or its verified part in this run.
        self._walked: set[str] = set()
        # Pages to ask for besides the listings: (url, canonical) of the article pages
        # earlier runs failed to get, and the related links a stopped run left behind.
        self._retries: list[tuple[str, str]] = []
        self._left_behind: set[str] = set()
        # What discovery found on this address in the last week, when it is a discovered
        # site: read instead of discovering again (`--full` discovers anew).
        self._cached: dict[str, Any] | None = None
        # Extraction in worker processes (crawler/workers.py), when the settings ask.
        self.workers: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ProvincialSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        engine = open_engine(crawler.settings.get("TINHUY_DB"))
        try:
            spider.frontier = Frontier(
                known=known_articles(engine, spider.site.name),
                walks=walk_states(engine, spider.site.name),
                options=spider.options,
                now=now_local(),
            )
            spider._retries = failures_to_retry(engine, spider.site.name, every=spider.options.full)
            spider._left_behind = related_left_behind(engine, spider.site.name)
            if spider.auto and not spider.options.full:
                spider._cached = load_discovery(
                    engine, spider.site.name, spider.base_url, now_local() - REDISCOVER_AFTER
                )
            # Until this run ends well, a later run must walk these listings at least as
            # deep as this one gets (crawler/crawl/frontier.py).
            with engine.begin() as conn:
                begin_walks(conn, spider.site.name, spider.listings, now_local())
        finally:
            engine.dispose()
        workers = crawler.settings.getint("TINHUY_EXTRACT_WORKERS")
        if workers > 0:
            spider.workers = ExtractionPool(workers)
            crawler.signals.connect(spider._close_workers, signal=signals.spider_closed)
        return spider

    def closed(self, reason: str) -> None:
        # After the item pipelines closed: every page the walks met is stored by then,
        # or recorded as failed, unless storage itself failed.
        assert self.crawler.stats is not None
        if (
            reason != "finished"
            or self.frontier is None
            or self.crawler.stats.get_value("tinhuy/storage_error")
        ):
            return
        anchors = {
            name: self.frontier.first_pages.get(name, ())
            for name in self.listings
            if name in self._walked and name not in self.frontier.cut_by_since
        }
        engine = open_engine(self.settings.get("TINHUY_DB"))
        try:
            finish_walks(engine, self.site.name, anchors, now_local())
        finally:
            engine.dispose()

    def _close_workers(self) -> None:
        assert self.workers is not None and self.crawler.stats is not None
        self.crawler.stats.set_value("tinhuy/worker_peak_rss_mb", self.workers.peak_rss_mb())
        self.workers.close()

    # -- helpers ------------------------------------------------------------

    def _count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"tinhuy/{key}", n)

    def _record_failure(self, url: str, reason: str) -> None:
        # Every permanent failure is kept (not a sample): the run record must
        # name each URL the archive could not get, and why.
        assert self.crawler.stats is not None
        stats = self.crawler.stats
        stats.set_value("tinhuy/failed_urls", [*(stats.get_value("tinhuy/failed_urls") or []), url])
        failures = stats.get_value("tinhuy/failures") or []
        stats.set_value("tinhuy/failures", [*failures, {"url": url, "reason": reason}])

    def _request(self, url: str, callback: Any) -> scrapy.Request | None:
        # Pages link the same articles many times over (listings, sidebars,
        # related lists): asking once here spares Scrapy a request object, the
        # middleware chain and the duplicate filter for each repeat. The filter
        # stays the backstop, and the one that persists in a JOBDIR.
        if url in self._requested:
            return None
        self._requested.add(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error)

    def _article_request(self, url: str) -> scrapy.Request | ArticleAlias | None:
        """A request for an article not stored (or due for a re-check); for a stored one,
        its spelling when the archive does not know it yet."""
        assert self.frontier is not None
        if url in self._requested:
            return None
        canonical = canonical_url(url, self.site)
        canonical = self._redirected.get(canonical, canonical)
        if canonical not in self._fetched and (
            canonical in self._in_flight or self.frontier.wants_article(canonical)
        ):
            return self._fetch_article(url, canonical)
        return self._alias(url, canonical)

    def _fetch_article(self, url: str, canonical: str) -> scrapy.Request | None:
        """One request per article and run: a spelling met while the article's page is
        already requested is kept to be recorded once the page is stored."""
        spellings = self._in_flight.get(canonical)
        if spellings is not None:
            spellings.add(site_url(url, self.site))
            return None
        self._in_flight[canonical] = set()
        request = self._request(url, self.parse_article)
        if request is not None:
            request.meta["canonical"] = canonical
        return request

    def _alias(self, url: str, canonical: str) -> ArticleAlias | None:
        assert self.frontier is not None
        spelling = site_url(url, self.site)
        if spelling in self.frontier.known or spelling in self._aliased:
            return None
        self._aliased.add(spelling)
        return ArticleAlias(site=self.site.name, canonical_url=canonical, url=spelling)

    def _links(self, response: Response, selector: str = "a") -> Iterator[tuple[str, str]]:
        for href in response.css(f"{selector}::attr(href)").getall():
            url = links.absolute(href, response.url, self.site)
            if url is not None and links.same_origin(url, self.base_url):
                kind = links.kind(url, self.site)
                if kind:
                    yield kind, url

    def has_article(self, url: str, request: scrapy.Request) -> bool:
        """Whether a redirect from `request` to `url` leads to an article this crawl has
        asked for, fetched or stored, other than the one requested."""
        assert self.frontier is not None
        if not self.site.is_article_url(url):
            return False
        canonical = canonical_url(url, self.site)
        if canonical == request.meta.get("canonical"):
            return False
        return (
            canonical in self._in_flight
            or canonical in self._fetched
            or (canonical in self.frontier.known and not self.frontier.wants_article(canonical))
        )

    def _redirected_to_known(
        self, request: scrapy.Request, exc: RedirectedToKnown
    ) -> Iterator[ArticleAlias]:
        """The chain's URLs (and the spellings met for the article that redirected) become
        spellings of the target, recorded once the target is stored."""
        target = canonical_url(exc.target, self.site)
        own = request.meta.get("canonical")
        names = spellings(exc.chain, self.site) | self._in_flight.pop(own, set())
        if own is not None:
            self._redirected[own] = target
            names.add(own)
        names.discard(target)
        if target in self._in_flight:
            self._in_flight[target] |= names
            return
        for name in sorted(names):
            if name not in self._aliased:
                self._aliased.add(name)
                yield ArticleAlias(site=self.site.name, canonical_url=target, url=name)

    def _on_this_origin(self, url: str) -> str | None:
        """A stored link of this site, as a URL of the origin crawled now (a replica's
        or mirror's links name the site's own host, or the origin it was crawled from)."""
        parts = urlsplit(url)
        if not (
            links.same_origin(url, self.base_url)
            or (parts.hostname or "") in self.site.allowed_hosts
        ):
            return None
        path = parts._replace(scheme="", netloc="").geturl()
        return links.absolute(path, self.base_url, self.site)

    def _page_of(self, url: str) -> tuple[str, int]:
        return self.site.listing_page(url) or (urlsplit(url).path or "/", 1)

    def _listing_items(self, response: Response) -> list[tuple[str, str | None]]:
        """(url, published ISO) of the listing's own items, not the sidebar's."""
        sel = self.site.layout_at().selectors
        if sel.listing_item is None:
            return [(u, None) for kind, u in self._links(response) if kind == "article"]
        items = []
        for node in response.css(sel.listing_item):
            href = node.css(f"{sel.listing_link}::attr(href)").get()
            url = links.absolute(href or "", response.url, self.site)
            if url is None or links.kind(url, self.site) != "article":
                continue
            raw_date = (
                " ".join(node.css(f"{sel.listing_date} ::text").getall())
                if sel.listing_date
                else ""
            )
            items.append((url, normalize_date(raw_date) if raw_date.strip() else None))
        return items

    # -- callbacks ----------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.frontier is not None
        # With --jobdir the pending spellings outlive a pause (Scrapy's SpiderState saves
        # `state` when the crawl closes): the resumed crawl does not meet their links again.
        state = getattr(self, "state", None)
        if state is not None:
            self._in_flight = state.setdefault("in_flight", self._in_flight)
        first = self.start_discovery(self._cached) if self.auto else self._starts()
        for request in first:
            yield request

    def _starts(self) -> Iterator[scrapy.Request]:
        """The listings (and the home page, unless every walk ended well), the pages
        earlier runs failed to get, the related links a stopped run left behind."""
        assert self.frontier is not None
        starts = [(path, self.parse_listing) for path in self.listings]
        # The home page too unless every walk ended well; always on a site with no
        # listing found, where it is where new articles show.
        if (
            self.options.full or not self.listings
            or not self.frontier.all_walks_complete(self.listings)
        ):
            starts.insert(0, ("/", self.parse_home))
        for path, callback in starts:
            if request := self._request(self.base_url + path, callback):
                yield request
        self._count("retried", len(self._retries))
        for recorded, canonical in self._retries:
            url = self._on_this_origin(recorded)
            if url and (request := self._fetch_article(url, canonical)):
                request.meta["retry_of_failure"] = True
                yield request
        for href in sorted(self._left_behind):
            url = self._on_this_origin(href)
            if (
                url
                and links.kind(url, self.site) == "article"
                and (request := self._article_request(url))
            ):
                yield request

    def remember_discovery(self, found: dict[str, Any]) -> None:
        engine = open_engine(self.settings.get("TINHUY_DB"))
        try:
            now = now_local()
            save_discovery(
                engine, self.site.name, self.base_url, found | {"discovered_at": now.isoformat()},
                now,
            )
        finally:
            engine.dispose()

    def discovery_ready(
        self, listed: list[str], home: Response | None, listings: dict[str, Response]
    ) -> Iterator[scrapy.Request | ArticleAlias]:
        """After discovery: the crawl of a registered site, plus the articles sitemaps and
        feeds name (those the archive does not hold, or due for a re-check). The home
        page and the listings discovery read are parsed as they came, not fetched again."""
        self.listings = [c.path for c in self.site.categories]
        engine = open_engine(self.settings.get("TINHUY_DB"))
        try:
            with engine.begin() as conn:
                begin_walks(conn, self.site.name, self.listings, now_local())
        finally:
            engine.dispose()
        read = [(url, response, self.parse_listing) for url, response in listings.items()]
        if home is not None:
            read.insert(0, (self.base_url + "/", home, self.parse_home))
        for url, _, _ in read:
            self._requested.add(url)
        for _, response, callback in read:
            yield from callback(response)
        yield from self._starts()
        for url in listed:
            if links.same_origin(url, self.base_url) and (request := self._article_request(url)):
                yield request

    def parse_home(self, response: Response) -> Iterator[scrapy.Request | ArticleAlias]:
        self._count("pages")
        for kind, url in self._links(response):
            if kind == "article" and (request := self._article_request(url)):
                yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | ArticleAlias]:
        assert self.frontier is not None
        self._count("pages")
        listing, page = self._page_of(response.url)
        items = self._listing_items(response)
        self._count("article_links", len(items))
        decision = self.frontier.listing_page(
            listing, page, [(canonical_url(u, self.site), d) for u, d in items]
        )
        wanted = set(decision.fetch)
        for url, _date in items:
            canonical = canonical_url(url, self.site)
            if canonical in self._redirected:
                request = self._article_request(url)
            elif canonical in wanted and canonical not in self._fetched:
                request = self._fetch_article(url, canonical)
            elif canonical in self.frontier.known or canonical in self._fetched:
                request = self._alias(url, canonical)
            else:
                continue  # older than --since
            if request:
                yield request
        has_next = False
        for kind, url in self._links(response):
            if kind == "article":
                request = self._article_request(url)
            elif decision.follow_next and self._page_of(url) == (listing, page + 1):
                has_next = True
                request = self._request(url, self.parse_listing)
            else:
                continue
            if request:
                yield request
        if not decision.follow_next or not has_next:
            # The walk ended here; a listing page that failed leaves it unfinished.
            self._walked.add(listing)
            reason = decision.reason if not decision.follow_next else "last page"
            self.logger.info("listing %s stops at page %d: %s", listing, page, reason)

    async def parse_article(
        self, response: Response
    ) -> AsyncIterator[Article | ArticleAlias | scrapy.Request]:
        self._count("article_pages")
        headers = {k.decode(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        if self.workers is not None:
            # Workers find a site by its name: a discovered one has no layout to send.
            site = None if self.auto else self.site
            fields = await self.workers.extract(response.body, response.url, site, headers)
        else:
            fields = extract_article(response.body, response.url, site=self.site, headers=headers)
        # Stored under the site's own origin (its URL, images, related links), whichever
        # copy was crawled; the links followed below stay those of the copy.
        stored = with_site_links(fields, response.url, self.site)
        yield Article(
            site=self.site.name,
            fetched_at=now_local(),
            status=response.status,
            content_type=headers.get("Content-Type"),
            raw_body=response.body,
            redirect_urls=response.meta.get("redirect_urls", []),
            **{key: value for key, value in stored.items() if key in Article.fields},
        )
        # After the article: its row exists by the time these reach storage.
        canonical = response.meta.get("canonical")
        self._fetched.add(canonical)
        # A redirect followed: later links to either URL name the article stored.
        final = canonical_url(response.url, self.site)
        if final != canonical:
            self._redirected[canonical] = final
            self._fetched.add(final)
        for spelling in sorted(self._in_flight.pop(canonical, ())):
            yield ArticleAlias(site=self.site.name, canonical_url=canonical, url=spelling)
        for href in fields.get("related") or ():
            url = links.absolute(href, response.url, self.site)
            if (
                url
                and links.same_origin(url, self.base_url)
                and links.kind(url, self.site) == "article"
                and (request := self._article_request(url))
            ):
                yield request

    def on_error(self, failure: Failure) -> Iterator[FailedPage | ArticleAlias]:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, RedirectedToKnown):
            yield from self._redirected_to_known(request, failure.value)
            return
        # The URL the crawl asked for, before any redirect.
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        reason = failure.getErrorMessage()
        if request.meta.get("retry_of_failure"):
            self._count("retry_failed")
        else:
            self._count("failed")
        self._record_failure(url, reason)
        self.logger.warning("failed %s: %s", url, reason)
        canonical = request.meta.get("canonical")
        if canonical is None:
            return
        # Its other spellings name the same missing page: the next crawl tries again.
        self._in_flight.pop(canonical, None)
        yield FailedPage(
            site=self.site.name,
            canonical_url=canonical,
            url=site_url(url, self.site),
            reason=reason,
        )
