"""Links to other articles: the related lists the body ends with."""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from crawler.extract.blocks import Block
from crawler.extract.body import is_related_heading
from crawler.extract.dom import Element, absolute
from crawler.extract.patterns import RELATED_HEADING
from crawler.extract.thresholds import THRESHOLDS as T

_MIN_LINK_TEXT = 15
# Site-wide boxes: the newest (`Tin mới`, `Bài viết mới`, `Văn bản mới`), the most read.
# `Tin mới hơn` is this article's own category, newer than it: not site-wide.
_SITEWIDE = re.compile(
    r"\bmới(?: nhất| cập nhật| đăng)?\s*:?$|đọc nhiều|xem nhiều|nổi bật|tiêu điểm", re.I
)
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
        if _list_heading(block.text):
            # Site-wide boxes (latest, most read) are not about this article.
            in_list = not _SITEWIDE.search(block.text)
            continue
        if not in_list or block.image is not None:
            continue
        if _ends_list(block):
            in_list = False
            continue
        urls.extend(_links_in(block.el, base))
    return urls


def _list_heading(text: str) -> bool:
    """A heading alone on its line: `Bài trước: <title>` is a link to one article."""
    match = RELATED_HEADING.match(text) if is_related_heading(text) else None
    return match is not None and not text[match.end():].strip(" :»>-–")


def _ends_list(block: Block) -> bool:
    """Prose or another box's title ends a list; a linked headline (often a heading
    itself) and a short dated line under it belong to it."""
    if block.link_density >= T.related_min_link_density:
        return False
    dated_line = len(block.text) < T.min_paragraph_chars and any(c.isdigit() for c in block.text)
    return block.heading or not dated_line


def dedupe(urls: list[str], own: str) -> list[str]:
    own = urldefrag(own)[0]
    seen: set[str] = set()
    result: list[str] = []
    for url in urls:
        if url != own and url not in seen:
            seen.add(url)
            result.append(url)
    return result[:_MAX_LINKS]
