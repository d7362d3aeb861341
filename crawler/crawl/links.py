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
    """The same scheme, host and port (`:80` on http is no other port)."""
    return _origin(url) == _origin(origin)


def kind(url: str, site: Site) -> str | None:
    """`article`, `listing` (a category page, any page number) or None (not followed)."""
    if site.is_article_url(url):
        return "article"
    return "listing" if site.listing_page(url) is not None else None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1  # a malformed port is nobody's origin
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def on_site(url: str, base_url: str, site: Site) -> bool:
    """Whether a redirect target is the site: the scheme, host and port crawled, or, when
    the crawl is of the site's own address, another of its hosts (`www.` or not) on that
    scheme and default port. Anything else (another port, another host, `file:`, a
    private address the site did not live on, the live site seen from a replica) is not."""
    if same_origin(url, base_url):
        return True
    origin, crawled = _origin(url), _origin(base_url)
    scheme = urlsplit(site.base_url).scheme
    own = {(scheme, host.lower(), _DEFAULT_PORTS.get(scheme)) for host in site.allowed_hosts}
    return crawled in own and origin in own
