"""Which links a crawl follows, decided from the site class alone."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from crawler.sites.base import Site
from crawler.sites.urls import COMMON_TRACKING, clean_url


def absolute(href: str, base: str, site: Site) -> str | None:
    """The URL to request for a link: absolute, without tracking parameters or
    fragment, so the same page is never requested twice under two spellings."""
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url = urljoin(base, href)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return clean_url(url, COMMON_TRACKING + site.tracking_params)


def same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.hostname, a.port) == (b.hostname, b.port)


def kind(url: str, site: Site) -> str | None:
    """`article`, `listing` (a category page, any page number) or None (not followed)."""
    if site.is_article_url(url):
        return "article"
    return "listing" if site.listing_page(url) is not None else None
