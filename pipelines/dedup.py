"""Article identity: canonical URLs, the site's own article key, body fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

from crawler.sites.base import SiteProfile

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

_WORDS = re.compile(r"\w+")


def canonical_url(url: str, profile: SiteProfile | None = None) -> str:
    """The one spelling of a URL: no tracking or session parameters, sorted query,
    no fragment, no default port, and the site's own scheme and host.

    A page fetched from a replica or mirror of a profiled site (any origin whose
    path matches the site's shapes) is named by the site's own origin, so the
    archive is the same whichever copy it was crawled from.
    """
    if profile is None:
        return _canonical(url, None, COMMON_TRACKING)
    return _canonical(url, profile.base_url, COMMON_TRACKING + profile.tracking_params)


def clean_url(url: str, tracking: tuple[str, ...] = COMMON_TRACKING) -> str:
    """`url` without tracking parameters and fragment, query sorted (w3lib).

    Cached: a crawl meets the same menu, sidebar and footer links on every page."""
    return _clean(url, tracking)


@lru_cache(maxsize=65_536)
def _clean(url: str, tracking: tuple[str, ...]) -> str:
    cleaned = url_query_cleaner(url, tracking, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned, keep_fragments=False)


@lru_cache(maxsize=65_536)
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


def article_key(url: str, profile: SiteProfile | None = None) -> str:
    """The key of the article behind `url`: the site's own id where the URL
    carries one (so one article under two categories is one row), else the
    canonical URL."""
    if profile is not None:
        article_id = profile.article_id(urlsplit(url).path)
        if article_id:
            return f"id:{article_id}"
    return canonical_url(url, profile)


@lru_cache(maxsize=16)
def normalized_words(text: str) -> tuple[str, ...]:
    """Words of a text, NFC and case-folded: the unit of every content comparison.

    Cached: the fingerprint and the near-duplicate shingles of one body are
    computed in two pipeline stages, one after the other."""
    words: list[str] = []
    # The matches of \w+ in the text, a third faster: a whitespace-separated
    # token made only of word characters (isalnum is \w without "_") is one
    # match; only tokens with punctuation or "_" go through the pattern.
    for token in unicodedata.normalize("NFC", text).casefold().split():
        if token.isalnum():
            words.append(token)
        else:
            words.extend(_WORDS.findall(token))
    return tuple(words)


def fingerprint(body: str) -> str:
    """A digest of the body that ignores case, punctuation and whitespace."""
    return hashlib.sha256(" ".join(normalized_words(body)).encode()).hexdigest()
