"""URL rules of every site: one spelling per page (w3lib), the site's own origin."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

if TYPE_CHECKING:
    from crawler.sites.base import Site

# Parameters that name a visit, not a page, on any site.
COMMON_TRACKING = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
    "zarsrc",
    "_ga",
    "sessionid",
    "jsessionid",
    "phpsessid",
    "aspsessionid",
)

def site_url(url: str, site: Site | None = None) -> str:
    """One spelling of a page's URL: no tracking or session parameters, sorted query,
    no fragment, no default port, and the site's own scheme and host.

    A page fetched from a replica or mirror of a registered site (any origin whose
    path matches the site's shapes) is named by the site's own origin, so the
    archive is the same whichever copy it was crawled from.
    """
    if site is None:
        return _canonical(url, None, COMMON_TRACKING)
    return _canonical(url, site.base_url, COMMON_TRACKING + site.tracking_params)


def canonical_url(url: str, site: Site | None = None) -> str:
    """The one URL of the article at `url`: the site's canonical form where its article
    shape names one (`?CateID=1&ItemID=7` and `?ItemID=7` are one article), else
    `site_url`."""
    path = site.canonical_path(url) if site is not None else None
    if path is None:
        return site_url(url, site)
    return site_url(site.base_url + path, site)


def clean_url(url: str, tracking: tuple[str, ...] = COMMON_TRACKING) -> str:
    """`url` without tracking parameters and fragment, query sorted (w3lib).

    Cached: a crawl meets the same menu, sidebar and footer links on every page."""
    return _clean(url, tracking)


# URLs remembered by each cache. A crawl of 10,000 articles meets 50,000 distinct URLs,
# a repeat mostly soon after the first (a listing, then the article, then its related
# lists): 16,384 keep 95% of the hits 65,536 had, and about 0.6 KB a URL a cache, the
# caches hold 20 MB when full instead of 80 (BENCHMARKS.md, session 7).
_URL_CACHE = 16_384


@lru_cache(maxsize=_URL_CACHE)
def _clean(url: str, tracking: tuple[str, ...]) -> str:
    cleaned = url_query_cleaner(url, tracking, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned, keep_fragments=False)


@lru_cache(maxsize=_URL_CACHE)
def _canonical(url: str, site_origin: str | None, tracking: tuple[str, ...]) -> str:
    parts = urlsplit(_clean(url, tracking))
    if site_origin is not None:
        site = urlsplit(site_origin)
        return urlunsplit((site.scheme, site.netloc, parts.path or "/", parts.query, ""))
    netloc = parts.hostname or ""
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port and parts.port != default_port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
