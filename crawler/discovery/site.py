"""A site class made from what discovery found, so that the crawl of an unknown site runs
through the same frontier, walk state, health checks and summary as a registered one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from crawler.discovery.pagination import Found
from crawler.discovery.shapes import Template
from crawler.sites.base import (
    ArticleShape,
    Category,
    OffsetPage,
    Pagination,
    PathPage,
    QueryPage,
    Site,
)

_NON_WORD = re.compile(r"\W+")


@dataclass
class Discovered:
    """What discovery read off a site, as the crawl summary reports it."""

    listings: list[str] = field(default_factory=list)  # paths of the listings found
    pagination: Found | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    listed: int = 0  # article URLs sitemaps and feeds named

    def to_json(self) -> dict[str, Any]:
        """What later crawls read back (`from_json`) instead of discovering again."""
        found = self.pagination
        return {
            "listings": self.listings,
            "pagination": _pagination_json(found.pagination) if found else None,
            "postback": bool(found and found.postback),
            "feeds": self.feeds,
            "sitemaps": self.sitemaps,
            "templates": [asdict(t) for t in self.templates],
            "listed": self.listed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Discovered:
        pagination = _pagination_of(data["pagination"])
        return cls(
            listings=list(data["listings"]),
            pagination=Found(pagination, bool(data["postback"])),
            feeds=list(data["feeds"]),
            sitemaps=list(data["sitemaps"]),
            templates=[_template(t) for t in data["templates"]],
            listed=int(data["listed"]),
        )

    def summary(self) -> dict[str, object]:
        found = self.pagination
        return {
            "listings": self.listings,
            "pagination": _describe(found.pagination) if found else None,
            "postback_pagination": bool(found and found.postback),
            "feeds": self.feeds,
            "sitemaps": self.sitemaps,
            "article_templates": [t.pattern().pattern for t in self.templates],
            "listed_by_sitemaps_and_feeds": self.listed,
        }


def _template(data: Mapping[str, Any]) -> Template:
    # JSON gives lists where the template holds tuples (it is hashed and compared).
    query = tuple((key, value) for key, value in data["query"])
    return Template(**{**data, "segments": tuple(data["segments"]), "query": query})


_PAGINATIONS: dict[str, type] = {"query": QueryPage, "offset": OffsetPage, "path": PathPage}


def _pagination_json(pagination: Pagination | None) -> dict[str, Any] | None:
    for kind, form in _PAGINATIONS.items():
        if isinstance(pagination, form):
            return {"kind": kind, **asdict(pagination)}
    return None


def _pagination_of(data: Mapping[str, Any] | None) -> Pagination | None:
    if not data:
        return None
    fields = dict(data)
    return _PAGINATIONS[fields.pop("kind")](**fields)


def _describe(pagination: Pagination | None) -> str | None:
    return repr(pagination) if pagination is not None else None


def _address(template: Template, every: list[Template]) -> str | None:
    """The one URL of an article: the shape that its id alone makes, among those with the
    same path and id key (`new.aspx?ItemID={id}` for `new.aspx?CateID=1&ItemID=7` too),
    so that an article listed under several spellings is fetched and stored once."""
    key = template.id_key()
    if key is None:
        return None
    for other in every:
        if other.segments == template.segments and other.id_key() == key and other.address():
            return other.address()
    return None


def site_name(base_url: str) -> str:
    """An unregistered site is named by its host (and port, when not the default)."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def auto_site(base_url: str, found: Discovered, name: str | None = None) -> Site:
    """A Site for `base_url` with the listings, article shapes and pagination found,
    named `name` (a registry entry's) or by its host."""
    name = name or site_name(base_url)
    host = (urlsplit(base_url).hostname or "").lower()
    bare = host.removeprefix("www.")
    attrs = {
        "name": name,
        "base_url": base_url.rstrip("/"),
        "allowed_hosts": (bare, f"www.{bare}"),
        "categories": tuple(
            Category(_NON_WORD.sub("-", path.strip("/").lower()) or "home", path, path)
            for path in found.listings
        ),
        "article_urls": tuple(
            ArticleShape(t.pattern(), canonical=_address(t, found.templates))
            for t in found.templates
        ),
        "pagination": (found.pagination and found.pagination.pagination) or QueryPage(),
    }
    class_name = "Discovered_" + _NON_WORD.sub("_", name)
    return type(class_name, (Site,), attrs)()


# Article links of a registered site's shapes the home page must hold to be that site.
RECOGNIZED_MIN_LINKS = 5


def recognized(home: bytes, home_url: str, sites: Iterable[Site]) -> Site | None:
    """The registered site whose article URL shapes the home page's links follow (a copy
    or a successor address of it), or None: the page is some other site's."""
    try:
        root = html.fromstring(home)
    except (ValueError, TypeError, etree.ParserError):
        return None
    hrefs = [urljoin(home_url, a.get("href", "")) for a in root.iter("a") if a.get("href")]
    best, most = None, 0
    for site in sites:
        matching = sum(1 for href in set(hrefs) if site.is_article_url(href))
        if matching >= RECOGNIZED_MIN_LINKS and matching > most:
            best, most = site, matching
    return best
