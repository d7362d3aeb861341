"""Which links a crawl follows, decided from the site profile alone."""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit

from crawler.sites.base import SiteProfile
from crawler.sites.urls import COMMON_TRACKING, clean_url


def absolute(href: str, base: str, profile: SiteProfile) -> str | None:
    """The URL to request for a link: absolute, without tracking parameters or
    fragment, so the same page is never requested twice under two spellings."""
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url = urljoin(base, href)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return clean_url(url, COMMON_TRACKING + profile.tracking_params)


def same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.hostname, a.port) == (b.hostname, b.port)


def kind(url: str, profile: SiteProfile) -> str | None:
    """`article`, `listing` (a category page, any page number) or None (not followed)."""
    parts = urlsplit(url)
    if profile.article_id(parts.path):
        return "article"
    params = {k for k, _ in parse_qsl(parts.query)}
    if params - {profile.listing_page_param}:
        return None
    if any(parts.path.rstrip("/") == c.path.rstrip("/") for c in profile.categories):
        return "listing"
    return None
