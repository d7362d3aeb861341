"""A layout's CSS selectors: the first layer, where a registered site owns the URL."""

from __future__ import annotations

from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml.etree import XPathError

from crawler.extract.dom import Element
from crawler.sites.base import Layout


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    # Site classes are validated when defined, so every selector here compiles.
    return CSSSelector(selector, translator="html")


def select(root: Element, layout: Layout | None, key: str) -> list[Element]:
    """Elements matching the layout's selector for `key`; [] when it has none."""
    selector = layout.selectors.get(key) if layout is not None else None
    if selector is None:
        return []
    try:
        return [el for el in _compiled(selector)(root) if isinstance(el.tag, str)]
    except XPathError:
        return []
