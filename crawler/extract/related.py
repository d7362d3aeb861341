"""Links to other articles: the related lists the body ends with."""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from crawler.extract.blocks import Block
from crawler.extract.body import is_related_heading
from crawler.extract.dom import Element, absolute
from crawler.extract.thresholds import THRESHOLDS as T

_MIN_LINK_TEXT = 15
_SITEWIDE = re.compile(r"mới nhất|mới cập nhật|đọc nhiều|xem nhiều|nổi bật|tiêu điểm", re.I)
_MAX_LINKS = 60


def _links_in(el: Element, base: str) -> list[str]:
    urls: list[str] = []
    for a in el.iter("a"):
        if len(" ".join(a.text_content().split())) < _MIN_LINK_TEXT:
            continue
        url = absolute(base, a.get("href"))
        if url and url.startswith(("http://", "https://")):
            urls.append(urldefrag(url)[0])
    return urls


def related_from_elements(elements: list[Element], base: str) -> list[str]:
    urls: list[str] = []
    for el in elements:
        if el.tag == "a":
            url = absolute(base, el.get("href"))
            if url and url.startswith(("http://", "https://")):
                urls.append(urldefrag(url)[0])
        else:
            urls.extend(_links_in(el, base))
    return urls


def related_from_headings(blocks: list[Block], after: int, base: str) -> list[str]:
    """Links listed under `Tin liên quan`, `Các tin khác`... headings after the title."""
    urls: list[str] = []
    in_list = False
    for block in blocks[after:]:
        if is_related_heading(block.text):
            # Site-wide boxes (latest, most read) are not about this article.
            in_list = not _SITEWIDE.search(block.text)
            continue
        if not in_list or block.image is not None:
            continue
        if block.heading or block.link_density < T.related_min_link_density:
            in_list = False  # prose or another box's title: the list is over
            continue
        urls.extend(_links_in(block.el, base))
    return urls


def dedupe(urls: list[str], own: str) -> list[str]:
    own = urldefrag(own)[0]
    seen: set[str] = set()
    result: list[str] = []
    for url in urls:
        if url != own and url not in seen:
            seen.add(url)
            result.append(url)
    return result[:_MAX_LINKS]
