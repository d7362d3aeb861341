"""The first requests of a crawl of a site no class describes (`--site auto`): robots.txt
and its sitemaps, the home page and its feeds, and the pages its menus link to. When the
last of them is answered, the site class made of what they showed replaces the spider's
provisional one and the crawl goes on as for a registered site."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import html
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.crawl import links
from crawler.discovery.feeds import FEED_PATHS, feed_links, read_feed
from crawler.discovery.pagination import Found, pagination_of
from crawler.discovery.shapes import HEADLINE_WORDS, Link, Template, article_templates, target
from crawler.discovery.site import Discovered, auto_site
from crawler.discovery.sitemaps import SITEMAP_PATHS, read_sitemap, sitemaps_in_robots

# Menu entries read as candidate listings, at most: a portal's menus hold 10 to 40.
PROBED_LISTINGS = 40
# Sitemaps read, at most (an index may name hundreds, one per month of archives).
SITEMAPS_READ = 50
# Sitemaps of an index that give no date, read again in later crawls (the first ones).
CHILDREN_AGAIN = 2
# A page is a listing when it links this many articles the home page does not.
LISTING_MIN_ITEMS = 5
_MENU_WORDS = 6


def _page_links(response: Response) -> list[Link]:
    """Every link of a page with its text, javascript: hrefs kept (postback pagination)."""
    try:
        root = html.fromstring(response.body)
    except (ValueError, TypeError):
        return []
    found = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:")):
            continue
        url = href if href.lower().startswith("javascript:") else urljoin(response.url, href)
        found.append(Link(url, " ".join(a.text_content().split())))
    return found


class Discovery:
    """Mixed into the provincial spider; uses its `_request`, `base_url` and `site`."""

    crawler: Any
    base_url: str
    auto_name: str | None
    site: Any
    logger: Any

    def start_discovery(self, cached: Mapping[str, Any] | None) -> Iterator[Any]:
        """Discovery's requests; with what an earlier crawl of the same address found
        (`cached`), only its sitemaps and feeds, for the articles they list."""
        self.discovered = Discovered.from_json(cached) if cached else Discovered()
        self._since = cached.get("discovered_at") if cached else None
        self._pending = 0
        self._home_links: list[Link] = []
        self._home: Response | None = None
        self._probed: dict[str, list[Link]] = {}
        # The pages read to discover are read again as the crawl's own, not fetched twice.
        self._responses: dict[str, Response] = {}
        self._listed_urls: list[str] = []
        if not cached:
            yield from self._ask(self.base_url + "/robots.txt", self.parse_robots)
            yield from self._ask(self.base_url + "/", self.parse_discovery_home)
            return
        self.site = auto_site(self.base_url, self.discovered, self.auto_name)
        roots, self.discovered.sitemaps = self.discovered.sitemaps, []
        for url in roots:
            yield from self._ask(url, self.parse_sitemap, root=True)
        for url in self.discovered.feeds:
            yield from self._ask(url, self._read_feed)
        if not self._pending:
            yield from self._discovery_done()

    def _ask(self, url: str, callback: Any, **meta: Any) -> Iterator[scrapy.Request]:
        if not links.same_origin(url, self.base_url):
            return
        self._pending += 1
        # Not recorded by the duplicate filter: the crawl may ask for these pages later.
        yield scrapy.Request(
            url, callback=callback, errback=self._discovery_failed, meta=meta, dont_filter=True
        )

    def _answered(self) -> Iterator[Any]:
        self._pending -= 1
        if self._pending == 0:
            yield from self._discovery_done()

    def _discovery_failed(self, failure: Failure) -> Iterator[Any]:
        # A site without robots.txt, sitemap or feed is common: not a failed page.
        self.logger.debug("discovery: %s: %s", failure.request.url, failure.getErrorMessage())  # type: ignore[attr-defined]
        yield from self._answered()

    # -- callbacks ----------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Any]:
        named = sitemaps_in_robots(response.text) if response.status == 200 else []
        for url in named or [self.base_url + path for path in SITEMAP_PATHS]:
            yield from self._ask(url, self.parse_sitemap, root=True)
        yield from self._answered()

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        found = read_sitemap(response.body)
        if (found.entries or found.children) and response.meta.get("root"):
            self.discovered.sitemaps.append(response.url)
        # Again after discovery: only the sitemaps changed since (an index's children
        # that say when), and at most CHILDREN_AGAIN of those that do not.
        children = [
            c.url for c in found.children
            if self._since is None or c.modified is None or c.modified >= self._since
        ]
        if self._since is not None:
            undated = [c.url for c in found.children if c.modified is None][CHILDREN_AGAIN:]
            children = [url for url in children if url not in undated]
        for url in children[:SITEMAPS_READ]:
            yield from self._ask(url, self.parse_sitemap)
        self._listed_urls.extend(e.url for e in found.entries)
        yield from self._answered()

    def _read_feed(self, response: Response) -> Iterator[Any]:
        self._listed_urls.extend(e.url for e in read_feed(response.body, response.url))
        yield from self._answered()

    def parse_feed(self, response: Response) -> Iterator[Any]:
        entries = read_feed(response.body, response.url)
        if entries:
            self.discovered.feeds.append(response.url)
            self._listed_urls.extend(e.url for e in entries)
            self._probed.setdefault(response.url, [])
            self._home_links.extend(Link(e.url, e.title or "") for e in entries)
        yield from self._answered()

    def parse_discovery_home(self, response: Response) -> Iterator[Any]:
        self._home = response
        self._home_links = [*_page_links(response), *self._home_links]
        try:
            declared = feed_links(html.fromstring(response.body), response.url)
        except (ValueError, TypeError):
            declared = []
        for url in [f.url for f in declared] or [self.base_url + p for p in FEED_PATHS]:
            yield from self._ask(url, self.parse_feed)
        articles = _matcher(article_templates(self._home_links))
        probed = 0
        for link in self._home_links:
            url = link.url
            if (
                probed >= PROBED_LISTINGS or url.lower().startswith("javascript:")
                or not links.same_origin(url, self.base_url)
                or not 0 < len(link.text.split()) <= _MENU_WORDS
                or articles(url) or url.rstrip("/") == self.base_url
                or urlsplit(url).path.lower().endswith((".pdf", ".doc", ".docx", ".jpg", ".png"))
                or url in self._probed
            ):
                continue
            self._probed[url] = []
            probed += 1
            yield from self._ask(url, self.parse_probe)
        yield from self._answered()

    def parse_probe(self, response: Response) -> Iterator[Any]:
        url = response.request.url if response.request else response.url
        self._probed[url] = _page_links(response)
        self._responses[url] = response
        yield from self._answered()

    # -- the end of discovery ---------------------------------------------

    def _discovery_done(self) -> Iterator[Any]:
        if self._since is not None:
            is_article = _matcher(self.discovered.templates)
            self.crawler.stats.set_value("tinhuy/discovery", self.discovered.summary())
            yield from self.discovery_ready(
                [u for u in dict.fromkeys(self._listed_urls) if is_article(u)], None, {}
            )
            return
        every = [*self._home_links, *(link for ls in self._probed.values() for link in ls)]
        # Sitemaps name articles with no text: their URLs count for the shapes, not as
        # headlines; a template they alone make needs the headlines of the pages.
        listed = [Link(url, "x " * HEADLINE_WORDS) for url in self._listed_urls[:2000]]
        templates = article_templates([*every, *listed])
        is_article = _matcher(templates)
        on_home = {link.url for link in self._home_links}
        listings, forms = [], []
        for url, page_links in self._probed.items():
            own = {lk.url for lk in page_links if is_article(lk.url) and lk.url not in on_home}
            found = pagination_of(url, page_links)
            if len(own) >= LISTING_MIN_ITEMS or found.pagination is not None:
                listings.append(urlsplit(url)._replace(scheme="", netloc="").geturl())
                forms.append(found)
        found = _most_common(forms)
        self.discovered.listings = listings
        self.discovered.pagination = found
        self.discovered.templates = templates
        self.discovered.listed = len({u for u in self._listed_urls if is_article(u)})
        self.site = auto_site(self.base_url, self.discovered, self.auto_name)
        self.crawler.stats.set_value("tinhuy/discovery", self.discovered.summary())
        self.logger.info("discovered: %s", self.discovered.summary())
        self.remember_discovery(self.discovered.to_json())
        read = {self.base_url + path: self._responses[self.base_url + path] for path in listings
                if self.base_url + path in self._responses}
        yield from self.discovery_ready(
            [u for u in dict.fromkeys(self._listed_urls) if is_article(u)], self._home, read
        )

    def discovery_ready(
        self, listed: list[str], home: Response | None, listings: dict[str, Response]
    ) -> Iterator[Any]:
        raise NotImplementedError

    def remember_discovery(self, found: dict[str, Any]) -> None:
        raise NotImplementedError


def _matcher(templates: list[Template]) -> Any:
    patterns = [t.pattern() for t in templates]

    def is_article(url: str) -> bool:
        return any(p.search(target(url)) for p in patterns)

    return is_article


def _most_common(forms: list[Found]) -> Found | None:
    """The form most listings use; a site numbers all its listings alike."""
    counts = Counter(f.pagination for f in forms if f.pagination is not None)
    if counts:
        return Found(counts.most_common(1)[0][0], postback=False)
    return Found(None, postback=any(f.postback for f in forms)) if forms else None
