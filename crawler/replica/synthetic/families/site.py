"""A family's synthetic site as the mirror serves it: each request routed to a page of
the family's scheme, rendered from the content, with the faults drawn for its URL."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from crawler.mirror import NOT_FOUND, Reply, request_key
from crawler.replica.synthetic.content import HOP_PATH, Article, SiteContent
from crawler.replica.synthetic.families.base import Family, Route
from crawler.replica.synthetic.families.common import PDF
from crawler.replica.synthetic.families.feeds import RSS_TYPE, XML_TYPE
from crawler.replica.synthetic.families.manifest import manifest_chunks
from crawler.replica.synthetic.faults import HTML, FaultInjector, encoded, redirect_hop
from crawler.replica.synthetic.rendering import ROBOTS_TYPE


class FamilySite:
    """N articles in one family's shapes; `respond` answers one request target.

    `base_url` is the address the site is served at, for the absolute links of its feeds
    and sitemap (the server sets it once it listens)."""

    def __init__(
        self, family: type[Family], n: int, seed: int, faults: dict[str, float], slow: float
    ) -> None:
        self.content = SiteContent(
            n,
            seed,
            faults,
            sections=family.sections,
            weights=family.weights,
            id_base=family.id_base,
            per_page=family.per_page,
            byline=family.byline,
            special_url=family.special_url,
        )
        self.family = family(self.content)
        self.injector = FaultInjector(slow, self.family.bomb_page, self.content.specials)
        self.base_url = ""

    def manifest_chunks(self) -> Iterator[bytes]:
        return manifest_chunks(self.family)

    def respond(self, target: str) -> Reply:
        parts = urlsplit(target)
        family = self.family
        if parts.path == "/robots.txt":
            return Reply(200, family.robots.encode(), ROBOTS_TYPE)
        if parts.path == "/__manifest__.json":
            return Reply(200, b"", "application/json", stream=self.manifest_chunks)
        key = request_key(target)
        special = self.injector.special(key)
        if special is not None:
            return special
        hop = HOP_PATH.match(parts.path)
        if hop:
            index = family.article_index(hop["id"])
            article = None if index is None else self.content.article(index)
            if article is None or article.fault != "redirect":
                return Reply(404, NOT_FOUND, HTML)
            return redirect_hop(parts.path, False, article.file_name, family.moved_url(article))
        if key == request_key(family.documents_url):
            return Reply(200, family.documents().encode(), HTML)
        if parts.path in family.document_files():
            return Reply(200, PDF, "application/pdf")
        route = family.route(parts.path, dict(parse_qsl(parts.query)))
        if route is None:
            return Reply(404, NOT_FOUND, HTML)
        return self._page(route, key)

    def _page(self, route: Route, key: str) -> Reply:
        family = self.family
        if route.kind == "article":
            return self._article(self.content.article(route.index), key)
        if route.kind == "listing":
            if not 1 <= route.page <= family.pages(route.slug):
                return Reply(404, NOT_FOUND, HTML)
            url = family.listing_url(route.slug, route.page) or key
            reply = Reply(200, family.listing(route.slug, route.page).encode(), HTML)
            return self.injector.transient(self.content.fault_of(url), key, reply)
        if route.kind == "home":
            return Reply(200, family.home().encode(), HTML)
        if route.kind == "contact":
            return Reply(200, family.contact().encode(), HTML)
        if route.kind == "feed":
            return Reply(200, family.feed(self.base_url, route.slug), RSS_TYPE)
        return Reply(200, family.sitemap(self.base_url), XML_TYPE)

    def _article(self, article: Article, key: str) -> Reply:
        fault = article.fault
        if fault == "404":
            return Reply(404, NOT_FOUND, HTML)
        moved = request_key(self.family.moved_url(article))
        if fault == "redirect" and key != moved:
            return redirect_hop(key, True, article.file_name, self.family.moved_url(article))
        html = self.family.article(article)
        return self.injector.transient(fault, key, encoded(fault, html))
