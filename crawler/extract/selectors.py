"""The site profile's CSS selectors: the first layer, where a profile owns the URL."""

from __future__ import annotations

from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml.etree import XPathError

from crawler.extract.dom import Element
from crawler.sites.base import SiteProfile


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector | None:
    try:
        return CSSSelector(selector, translator="html")
    except (ValueError, XPathError, SyntaxError):
        return None


def select(root: Element, profile: SiteProfile | None, key: str) -> list[Element]:
    """Elements matching the profile's selector for `key`; [] when there is none."""
    if profile is None:
        return []
    selector = profile.selectors.get(key)
    compiled = _compiled(selector) if selector else None
    if compiled is None:
        return []
    try:
        return [el for el in compiled(root) if isinstance(el.tag, str)]
    except XPathError:
        return []
