"""What a site class declares: where the site lives, how its URLs look, and its layouts.

A site is a subclass of `Site`, the way fundus writes publishers: class attributes for
the address, the URL shapes and the categories, and `layouts`, each a set of typed CSS
selectors with the day it came into force. When a site changes its template a new
layout is added beside the old one, so a page archived years ago is re-extracted with
the selectors of its day. Everything is checked when the class is defined: a selector
that is not valid CSS is an error naming the site, the layout and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import ClassVar, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

from cssselect import GenericTranslator, SelectorError

from crawler.sites.urls import COMMON_TRACKING, clean_url


class SiteError(ValueError):
    """A site class that cannot work: a missing attribute, a bad selector or layout."""


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    # The listing's address on the site: a path, with the query that names the
    # category where the site has one (`/news/Pages/new.aspx?CateID=2`).
    path: str


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one layout. A field left None falls through to the extractor's
    generic layers (metadata, then heuristics)."""

    title: str | None = None
    published: str | None = None
    author: str | None = None
    lead: str | None = None
    body: str | None = None
    captions: str | None = None
    images: str | None = None
    category: str | None = None
    tags: str | None = None
    related: str | None = None
    # Page chrome inside the article to drop before reading the body.
    chrome: str | None = None
    # Listing pages: one element per listed article, the link in it, its printed date.
    # Without `listing_item` every article link on a listing page counts as listed.
    listing_item: str | None = None
    listing_link: str = "a"
    listing_date: str | None = None

    def get(self, key: str) -> str | None:
        return getattr(self, key)  # type: ignore[no-any-return]

    def invalid(self) -> list[tuple[str, str]]:
        """(key, reason) of every selector that is not valid CSS."""
        bad = []
        for spec in fields(self):
            selector = getattr(self, spec.name)
            if selector is None:
                continue
            try:
                GenericTranslator().css_to_xpath(selector)
            except SelectorError as error:
                bad.append((spec.name, f"{selector!r}: {error}"))
        return bad


@dataclass(frozen=True)
class Layout:
    """The page template a site served from `valid_from` (None: from its first page) until
    the next layout's `valid_from`."""

    name: str
    selectors: Selectors
    valid_from: date | None = None


class Pagination(Protocol):
    """How a listing numbers its pages."""

    def split(self, path: str, query: list[tuple[str, str]]) -> tuple[str, list, int] | None:
        """(listing path, listing query, page number) of a URL, or None if the URL is
        not a page of a listing in this form."""

    def page_url(self, listing: str, page: int) -> str:
        """The path and query of page `page` of `listing` (as Category.path writes it)."""


@dataclass(frozen=True)
class ArticleShape:
    """One shape of the site's article URLs, matched against a URL's path and query
    (`/a/b-12.html`, `/news/Pages/new.aspx?CateID=1&ItemID=12`, query sorted).

    Its group `id`, where it has one, is the site's own article id, so one article reached
    under several URLs is one row; `key` prefixes that id where a site numbers two lists
    of pages apart. `canonical` (`/news/Pages/new.aspx?ItemID={id}`) is the one URL that
    names the article, whichever of its URLs a crawl met first.
    """

    pattern: re.Pattern[str]
    canonical: str | None = None
    key: str = ""


def _with_param(listing: str, param: str, value: int) -> str:
    separator = "&" if "?" in listing else "?"
    return f"{listing}{separator}{urlencode({param: value})}"


@dataclass(frozen=True)
class QueryPage:
    """`?page=2`, `&Page=41`: the page number in a query parameter."""

    param: str = "page"

    def split(self, path: str, query: list[tuple[str, str]]) -> tuple[str, list, int] | None:
        values = [v for k, v in query if k == self.param]
        rest = [(k, v) for k, v in query if k != self.param]
        if not values:
            return path, rest, 1
        return (path, rest, int(values[0])) if values[0].isdigit() else None

    def page_url(self, listing: str, page: int) -> str:
        return listing if page == 1 else _with_param(listing, self.param, page)


@dataclass(frozen=True)
class OffsetPage:
    """`?start=20` (Joomla): the offset of the page's first item."""

    param: str = "start"
    per_page: int = 20

    def split(self, path: str, query: list[tuple[str, str]]) -> tuple[str, list, int] | None:
        found = QueryPage(self.param).split(path, query)
        if found is None:
            return None
        listing, rest, offset = found
        if offset == 1 and not any(k == self.param for k, _ in query):
            return listing, rest, 1
        if offset % self.per_page:
            return None
        return listing, rest, offset // self.per_page + 1

    def page_url(self, listing: str, page: int) -> str:
        offset = (page - 1) * self.per_page
        return listing if page == 1 else _with_param(listing, self.param, offset)


@dataclass(frozen=True)
class PathPage:
    """A path segment: `/trang-2`, `/page/2/`, `/page-2`, `/p2`; `template` is what
    follows the listing's path, with `{page}` for the number."""

    template: str = "/page/{page}"

    def __post_init__(self) -> None:
        if self.template.count("{page}") != 1:
            raise SiteError(f"path pagination {self.template!r} needs one {{page}}")

    @property
    def _pattern(self) -> re.Pattern[str]:
        before, after = self.template.split("{page}")
        return re.compile(rf"^(?P<listing>.*?){re.escape(before)}(?P<page>\d+){re.escape(after)}$")

    def split(self, path: str, query: list[tuple[str, str]]) -> tuple[str, list, int] | None:
        match = self._pattern.match(path)
        if match is None:
            return path, query, 1
        return match["listing"] or "/", query, int(match["page"])

    def page_url(self, listing: str, page: int) -> str:
        if page == 1:
            return listing
        path, _, query = listing.partition("?")
        segment = self.template.format(page=page)
        return f"{path.rstrip('/')}{segment}" + (f"?{query}" if query else "")


def _listing_key(path: str, query: list[tuple[str, str]]) -> str:
    # Paths are matched without regard to case: IIS and SharePoint serve them so.
    path = (path.rstrip("/") or "/").lower()
    return f"{path}?{urlencode(sorted(query))}" if query else path


class Site:
    """One site: subclass it with the class attributes below (see crawler/sites/haiduong.py)."""

    name: ClassVar[str]
    base_url: ClassVar[str]
    allowed_hosts: ClassVar[tuple[str, ...]]
    site_name: ClassVar[str] = ""
    categories: ClassVar[tuple[Category, ...]]
    article_urls: ClassVar[tuple[ArticleShape, ...]]
    pagination: ClassVar[Pagination] = QueryPage()
    tracking_params: ClassVar[tuple[str, ...]] = ()
    layouts: ClassVar[tuple[Layout, ...]] = (Layout("generic", Selectors()),)

    _REQUIRED: ClassVar[tuple[str, ...]] = (
        "name", "base_url", "allowed_hosts", "categories", "article_urls",
    )

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        missing = [attr for attr in cls._REQUIRED if not hasattr(cls, attr)]
        if missing:
            raise SiteError(f"site class {cls.__name__}: missing {', '.join(missing)}")
        if not cls.layouts:
            raise SiteError(f"site {cls.name}: no layout")
        for layout in cls.layouts:
            for key, reason in layout.selectors.invalid():
                raise SiteError(f"site {cls.name}, layout {layout.name}: {key}: not CSS: {reason}")
        starts = [layout.valid_from or date.min for layout in cls.layouts]
        if starts != sorted(set(starts)):
            raise SiteError(f"site {cls.name}: layouts must start on distinct, increasing days")

    def __repr__(self) -> str:
        return f"<site {self.name}>"

    def __reduce__(self) -> tuple[type[Site], tuple[()]]:
        # Instances hold nothing but their class: extraction workers get it by name.
        return (type(self), ())

    # -- layouts -------------------------------------------------------------

    def layout_at(self, when: date | datetime | None = None) -> Layout:
        """The layout in force on `when` (a fetch time); the newest one when None."""
        if when is None:
            return self.layouts[-1]
        day = when.date() if isinstance(when, datetime) else when
        current = self.layouts[0]
        for layout in self.layouts:
            if layout.valid_from is None or layout.valid_from <= day:
                current = layout
        return current

    # -- URLs ----------------------------------------------------------------

    def _article(self, url: str) -> tuple[ArticleShape, re.Match[str]] | None:
        parts = urlsplit(clean_url(url, COMMON_TRACKING + self.tracking_params))
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        for shape in self.article_urls:
            if match := shape.pattern.search(target):
                return shape, match
        return None

    def is_article_url(self, url: str) -> bool:
        return self._article(url) is not None

    def article_id(self, url: str) -> str | None:
        """The site's own id of the article at `url`, None when its URLs carry none."""
        found = self._article(url)
        if found is None or "id" not in found[1].re.groupindex:
            return None
        return found[0].key + found[1]["id"]

    def canonical_path(self, url: str) -> str | None:
        """The path and query that name the article at `url`, where the site has one."""
        found = self._article(url)
        if found is None or found[0].canonical is None:
            return None
        return found[0].canonical.format(id=found[1]["id"])

    def listing_page(self, url: str) -> tuple[str, int] | None:
        """(category path, page number) when `url` is a page of one of the categories."""
        parts = urlsplit(url)
        found = self.pagination.split(parts.path, parse_qsl(parts.query))
        if found is None:
            return None
        key = _listing_key(found[0], found[1])
        for category in self.categories:
            listing = urlsplit(category.path)
            if key == _listing_key(listing.path, parse_qsl(listing.query)):
                return category.path, found[2]
        return None

    def listing_url(self, category_path: str, page: int) -> str:
        return self.pagination.page_url(category_path, page)
