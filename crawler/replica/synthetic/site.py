"""The synthetic site as the mirror serves it: each request path answered from the
content, its rendered page and the faults drawn for it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crawler.mirror import NOT_FOUND, Reply, request_key
from crawler.replica import render
from crawler.replica.synthetic.content import Article, SiteContent
from crawler.replica.synthetic.families import FAMILIES, FamilySite
from crawler.replica.synthetic.faults import HTML, FaultInjector, encoded, redirect_hop
from crawler.replica.synthetic.manifest import manifest_chunks
from crawler.replica.synthetic.rendering import ROBOTS_TXT, ROBOTS_TYPE, Pages

REPLICA = "replica"
REPLICA_DESCRIPTION = (
    "the Hải Dương replica's SharePoint scheme: new.aspx?CateID=K&ItemID=N, &Page=N "
    "listings, eight date forms (the default)"
)


def family_names() -> list[str]:
    return [REPLICA, *FAMILIES]


def family_descriptions() -> dict[str, str]:
    """Each family's name and one line on its shapes, the default first."""
    return {REPLICA: REPLICA_DESCRIPTION, **{n: f.description for n, f in FAMILIES.items()}}


@dataclass
class SyntheticSite:
    """N articles under the Hải Dương profile (`family` "replica"), or in the shapes of
    one of the CMS families (families/); `respond` answers one request path."""

    n: int
    seed: int = 1
    faults: dict[str, float] = field(default_factory=dict)
    slow_seconds: float = 35.0
    log_requests: bool = True
    requests: list[tuple[str, int]] = field(default_factory=list)
    request_count: int = 0
    family: str = REPLICA

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._family: FamilySite | None = None
        if self.family != REPLICA:
            if self.family not in FAMILIES:
                raise ValueError(f"unknown family {self.family!r}: {', '.join(family_names())}")
            self._family = FamilySite(
                FAMILIES[self.family], self.n, self.seed, self.faults, self.slow_seconds
            )
            self.content = self._family.content
            self.article = self.content.article
            self.categories = self.content.categories
            self.article_html = self._family.family.article
            return
        self.content = SiteContent(self.n, self.seed, self.faults)
        self.pages = Pages(self.content)
        self.injector = FaultInjector(self.slow_seconds, self._bomb_page, self.content.specials)
        # What the benchmarks and tests read besides the answers.
        self.article = self.content.article
        self.categories = self.content.categories
        self._by_cate_id = {
            (urlsplit(c.path).path.lower(), dict(parse_qsl(urlsplit(c.path).query))["CateID"]): slug
            for slug, c in self.categories.items()
        }
        self.article_html = self.pages.article_html

    def _bomb_page(self) -> str:
        return render.render_page(self.pages.chrome, title="Nén", content="<p>Nén</p>")

    @property
    def base_url(self) -> str:
        return self._family.base_url if self._family else ""

    @base_url.setter
    def base_url(self, value: str) -> None:
        """Where the site is served: a family's feeds and sitemap link absolute URLs."""
        if self._family:
            self._family.base_url = value

    def manifest_chunks(self) -> Iterator[bytes]:
        if self._family:
            return self._family.manifest_chunks()
        return manifest_chunks(self.content)

    def write_manifest(self, path: str) -> None:
        with open(path, "wb") as out:
            for chunk in self.manifest_chunks():
                out.write(chunk)

    def respond(self, target: str) -> Reply:
        reply = self._respond(target)
        with self._lock:
            self.request_count += 1
            if self.log_requests:
                self.requests.append((target, reply.status))
        return reply

    def _respond(self, target: str) -> Reply:
        if self._family:
            return self._family.respond(target)
        parts = urlsplit(target)
        path = parts.path
        if path == "/":
            return Reply(200, self.pages.home().encode(), HTML)
        if path == "/robots.txt":
            return Reply(200, ROBOTS_TXT, ROBOTS_TYPE)
        if path == "/__manifest__.json":
            return Reply(200, b"", "application/json", stream=self.manifest_chunks)
        target = request_key(target)
        query = dict(parse_qsl(urlsplit(target).query))
        listing = (path.lower(), query.get("CateID", ""))
        if "ItemID" not in query and listing in self._by_cate_id:
            return self._listing(self._by_cate_id[listing], query)
        special = self.injector.special(target)
        if special is not None:
            return special
        article = self.content.article_at(target)
        if article is None:
            return Reply(404, NOT_FOUND, HTML)
        return self._article(article, target)

    def _listing(self, slug: str, query: dict[str, str]) -> Reply:
        raw = query.get("Page", "1")
        page = int(raw) if raw.isdigit() else 1
        if not 1 <= page <= self.content.listing_pages(slug):
            return Reply(404, NOT_FOUND, HTML)
        key = render.listing_url(self.categories[slug].path, page)
        reply = Reply(200, self.pages.listing(slug, page).encode(), HTML)
        return self.injector.transient(self.content.fault_of(key), key, reply)

    def _article(self, article: Article, path: str) -> Reply:
        fault = article.fault
        listed = path in {request_key(article.listed_url(c)) for c in article.categories}
        if fault == "404":
            return Reply(404, NOT_FOUND, HTML)
        if fault == "redirect":
            hop = redirect_hop(path, listed, article.file_name, article.final_url)
            if hop is not None:
                return hop
        if not listed and path != request_key(article.final_url):
            return Reply(404, NOT_FOUND, HTML)
        return self.injector.transient(fault, path, encoded(fault, self.article_html(article)))
