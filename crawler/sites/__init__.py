"""The registered sites by name, the site that owns a URL, and the default site."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.sites.base import Category, Layout, Selectors, Site, SiteError
from crawler.sites.haiduong import HaiDuong

SITES: dict[str, Site] = {site.name: site for site in (HaiDuong(),)}
# The site `tinhuy crawl` and the spider crawl when none is named.
DEFAULT_SITE = "haiduong"
# The name that asks for discovery: a site no class describes, known by its address.
AUTO_SITE = "auto"

__all__ = [
    "AUTO_SITE", "DEFAULT_SITE", "SITES", "Category", "Layout", "Selectors", "Site", "SiteError",
    "get_site", "site_for_url",
]


def get_site(name: str) -> Site:
    try:
        return SITES[name]
    except KeyError:
        known = ", ".join(sorted(SITES))
        raise KeyError(f"unknown site {name!r} (known: {known})") from None


def site_for_url(url: str) -> Site | None:
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES.values():
        if host in site.allowed_hosts:
            return site
    return None
