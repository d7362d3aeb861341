"""A CMS family: its URL scheme (article, listing, redirect target, special pages), the
way it routes a request back to a page, and the templates of its pages.

Each family module subclasses `Family`; `FamilySite` (site.py) answers requests with it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from crawler.replica.synthetic.content import Article, Byline, SiteContent
from crawler.replica.synthetic.families.common import Section, attr, documents, documents_table
from crawler.text.dates import now_local


@dataclass(frozen=True)
class Route:
    """What a request names: `kind` is home, listing (of `slug`, None for the whole site,
    at `page`), article (at `index`), contact, feed (of `slug`) or sitemap."""

    kind: str
    slug: str | None = None
    page: int = 1
    index: int = -1


class Family:
    """The scheme and templates of one CMS family, over one site's content."""

    name: ClassVar[str]
    description: ClassVar[str]
    sections: ClassVar[tuple[Section, ...]]
    weights: ClassVar[tuple[int, ...]]
    byline: ClassVar[Callable[[random.Random], Byline]]
    id_base: ClassVar[int] = 1000
    per_page: ClassVar[int] = 10
    contact_url: ClassVar[str]
    # The document index (`Văn bản`): a page of dated links to files, no listing.
    documents_url: ClassVar[str]
    # Every address the home page answers at and is linked by.
    home_urls: ClassVar[tuple[str, ...]] = ("/",)
    robots: ClassVar[str] = "User-agent: *\nDisallow: /search\n"
    # Where the family publishes feeds (None: the whole site) and its sitemap, if any.
    feed_urls: ClassVar[dict[str | None, str]] = {}
    sitemap_url: ClassVar[str | None] = None
    # The first page of the listing of the whole site, when the family has one (`/news/`,
    # WordPress's home page) besides the home page.
    all_listing: ClassVar[bool] = False

    def __init__(self, content: SiteContent) -> None:
        self.content = content
        self.by_slug = {s.slug: s for s in self.sections}

    # --- the URL scheme ----------------------------------------------------------

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        """An article-shaped URL for a special fault page of number `number`."""
        raise NotImplementedError

    def article_url(self, article: Article) -> str:
        raise NotImplementedError

    def moved_url(self, article: Article) -> str:
        """Where a redirected article ends: another address the CMS also answers."""
        raise NotImplementedError

    def listing_url(self, slug: str | None, page: int) -> str | None:
        """Page `page` of a section's listing (None: the whole site's), or None when the
        page has no address of its own (postback pagination)."""
        raise NotImplementedError

    def listing_aliases(self, slug: str | None) -> tuple[str, ...]:
        """Other addresses of a listing's first page that its pager links."""
        return ()

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        """The page a request names, or None (404)."""
        raise NotImplementedError

    # --- the pages ---------------------------------------------------------------

    def home(self) -> str:
        raise NotImplementedError

    def listing(self, slug: str | None, page: int) -> str:
        raise NotImplementedError

    def article(self, article: Article) -> str:
        raise NotImplementedError

    def contact(self) -> str:
        raise NotImplementedError

    def static(self, title: str, html: str) -> str:
        """A page of the site that is no article and no listing, `html` in its chrome."""
        raise NotImplementedError

    def documents(self) -> str:
        items = documents(
            self.content.seed, self.content.article(self.content.n - 1).published.date()
        )
        return self.static("Văn bản", f"<h1>Văn bản</h1>\n{documents_table(items)}")

    def document_files(self) -> set[str]:
        newest = self.content.article(self.content.n - 1).published.date()
        return {d.file for d in documents(self.content.seed, newest)}

    def feed(self, base_url: str, slug: str | None) -> bytes:
        raise NotImplementedError

    def sitemap(self, base_url: str) -> bytes:
        raise NotImplementedError

    def bomb_page(self) -> str:
        """The page the gzip bomb starts with: any page of the site."""
        return self.contact()

    # --- shared helpers ----------------------------------------------------------

    def members(self, slug: str | None) -> tuple[int, ...] | range:
        """A section's article indices newest first (None: every article)."""
        if slug is None:
            return range(self.content.n - 1, -1, -1)
        return self.content.members[slug]

    def pages(self, slug: str | None) -> int:
        return max(1, -(-len(self.members(slug)) // self.per_page))

    def listed(self, slug: str | None, page: int) -> list[Article]:
        ids = self.members(slug)[(page - 1) * self.per_page : page * self.per_page]
        return [self.content.article(i) for i in ids]

    def notices(self, separator: str = "\n", item: str = "<li>{}</li>") -> str:
        """The home page's links to the special (fault) pages, `Thông báo 1` and on."""
        return separator.join(
            item.format(f'<a href="{attr(first)}">Thông báo {k + 1}</a>')
            for k, (_kind, first, _second) in enumerate(self.content.specials)
        )

    def newest(self, count: int, slug: str | None = None) -> list[Article]:
        return [self.content.article(i) for i in self.members(slug)[:count]]

    def related(self, article: Article) -> list[Article]:
        return [self.content.article(i) for i in self.content.related(article)]

    def section(self, article: Article) -> Section:
        return self.by_slug[article.category]

    def article_index(self, raw: str) -> int | None:
        """The index of the article whose id is `raw`, when there is one."""
        if not raw.isdigit():
            return None
        index = int(raw) - self.id_base
        return index if 0 <= index < self.content.n else None

    @property
    def today(self) -> date:
        """The day the page is served, which the header's today-line prints as a real
        site's does (the articles and their dates depend on the seed alone)."""
        return now_local().date()
