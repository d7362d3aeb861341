"""Article identity: the site's own article key, else the canonical URL; body fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.sites.base import Site
from crawler.sites.urls import canonical_url, site_url

_WORDS = re.compile(r"\w+")


def article_key(url: str, site: Site | None = None) -> str:
    """The key of the article behind `url`: the site's own id where the URL
    carries one (so one article under two categories is one row), else the
    canonical URL."""
    if site is not None:
        article_id = site.article_id(url)
        if article_id:
            return f"id:{article_id}"
    return canonical_url(url, site)


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


def with_identity(item: Mapping[str, Any], site: Site | None) -> dict[str, Any]:
    """The article's canonical URL and key, its body fingerprint, and the other URLs it
    answers to: its own spelling where the site names articles by a canonical form, and
    the URLs that redirected to it, so an incremental crawl knows them all."""
    out = dict(item)
    out["canonical_url"] = canonical_url(out["url"], site)
    out["article_key"] = article_key(out["url"], site)
    out["fingerprint"] = fingerprint(out.get("body") or "")
    aliases = spellings((out["url"], *(out.get("redirect_urls") or ())), site)
    out["alias_urls"] = sorted(aliases - {out["canonical_url"]})
    return out


def spellings(urls: Iterable[str], site: Site | None) -> set[str]:
    """The URLs under which the archive knows a page reached through `urls` (its own URL
    and those that redirected to it): each in its canonical and its site form."""
    return {form(u, site) for u in urls for form in (canonical_url, site_url)}


def on_site_origin(url: str, page_url: str, site: Site) -> str:
    """A URL met on the page fetched from `page_url` (an image, a link), under the site's
    own scheme and host as its canonical URL is, when it lives where the page came from
    (a replica's or mirror's origin, any port) or on one of the site's hosts; another
    host's URL as it is. Path, query and fragment are kept as they were."""
    parts = urlsplit(url)
    origin = origin_of(url)
    if origin is None or (
        origin != origin_of(page_url) and (parts.hostname or "") not in site.allowed_hosts
    ):
        return url
    own = urlsplit(site.base_url)
    return urlunsplit((own.scheme, own.netloc, parts.path or "/", parts.query, parts.fragment))


def with_site_links(fields: Mapping[str, Any], page_url: str, site: Site) -> dict[str, Any]:
    """The page's URL, its images and its related links under the site's own origin
    (`on_site_origin`), so that the archive is the same whichever copy was crawled."""
    out = dict(fields)
    out["url"] = on_site_origin(page_url, page_url, site)
    if out.get("images"):
        out["images"] = [
            {**image, "src": on_site_origin(image["src"], page_url, site)}
            if image.get("src")
            else image
            for image in out["images"]
        ]
    if out.get("related"):
        out["related"] = [on_site_origin(url, page_url, site) for url in out["related"]]
    return out


def origin_of(url: str) -> tuple[str, str] | None:
    """Scheme and host:port as site_url spells them (default ports dropped, host in lower
    case); None for a URL too malformed to name one."""
    try:
        parts = urlsplit(site_url(url))
    except ValueError:
        return None
    return parts.scheme, parts.netloc
