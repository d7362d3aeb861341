"""Article identity: the site's own article key, else the canonical URL; body fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

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
