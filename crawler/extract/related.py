"""Links to other articles: the related lists the body ends with."""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from crawler.extract.blocks import Block, outer_chrome
from crawler.extract.body import is_related_heading
from crawler.extract.dom import Element, absolute, class_id
from crawler.extract.literals import Literals
from crawler.extract.patterns import RELATED_HEADING
from crawler.extract.thresholds import THRESHOLDS as T

_MIN_LINK_TEXT = 15
# Site-wide boxes: the newest (`Tin mới`, `Bài viết mới`, `Văn bản mới`), the most read.
# `Tin mới hơn` is this article's own category, newer than it: not site-wide.
_SITEWIDE = re.compile(
    r"\bmới(?: nhất| cập nhật| đăng)?\s*:?$|đọc nhiều|xem nhiều|nổi bật|tiêu điểm", re.I
)
_MAX_LINKS = 60
# A teaser line in the body: a label, a colon, one headline.
_TEASER_LINE = re.compile(
    r"^[-–»>•*\s]*(?:xem thêm|đọc thêm|(?:tin|bài|bài viết) liên quan|có thể bạn quan tâm)"
    r"\s*:\s*\S",
    re.I,
)
# The previous and next posts of the category: neighbours, not related.
_PREV_NEXT = re.compile(
    r"^[-–«»<>\s]*(?:bài|tin|bài viết)\s+(?:trước|sau|tiếp theo|kế tiếp)\b", re.I
)
_RELATED_CLASS = Literals(("related", "lien-quan", "lienquan"))


def _text_of(a: Element) -> str:
    """`a.text_content()`: the string value of an element without children is its own
    text, read without the XPath call text_content() makes; most links are such."""
    return (a.text or "") if len(a) == 0 else a.text_content()


def _links_in(el: Element, base: str) -> list[str]:
    urls: list[str] = []
    for a in el.iter("a"):
        if len(" ".join(_text_of(a).split())) < _MIN_LINK_TEXT:
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
    """Links listed under `Tin liên quan`, `Các tin khác`... headings after the title, in
    boxes classed as related lists, and in teaser lines (`Xem thêm: <title>`)."""
    urls: list[str] = []
    heading: Block | None = None  # of the open list
    sitewide: set[Element] = set()  # boxes under a `Tin mới`, `Xem nhiều` heading
    classed: dict[Element, bool] = {}  # box -> classed as a related list, read once a box
    for block in blocks[after:]:
        # Only a heading or a line opening as a list's heading can be one: the first link
        # of every other line is never read.
        label = (
            _list_heading(block) if block.heading or is_related_heading(block.text) else None
        )
        if label is not None:
            heading = None if _SITEWIDE.search(label) else block
            if heading is None and (box := _box(block)) is not None:
                sitewide.add(box)
            continue
        if heading is None:
            # With no list open, a line adds links only as a teaser or in a related box, and
            # a previous/next link or an image adds none: the tests are those of the open
            # list's branch below, the cheapest first.
            if (
                _listed(block, sitewide, classed) and block.image is None
                and not _PREV_NEXT.match(block.text)
            ):
                urls.extend(_links_in(block.el, base))
            continue
        if _PREV_NEXT.match(block.text):
            heading = None  # the neighbours in the category close any list
            continue
        if block.image is not None:
            continue
        if _ends_list(block, heading):
            heading = None
        if heading is not None or _listed(block, sitewide, classed):
            urls.extend(_links_in(block.el, base))
    return urls


def _listed(block: Block, sitewide: set[Element], classed: dict[Element, bool]) -> bool:
    """A line of a related box: a list classed as related (`related-inline`,
    `tin-lien-quan`), with no heading of its own or one that is not site-wide; or a teaser
    line (`Xem thêm: <title>`). `classed` remembers each box's class test: the lines of one
    box share it."""
    box = block.chrome
    if box is not None:
        related = classed.get(box)
        if related is None:
            related = classed[box] = _related_classed(box)
        # `sitewide` grows along the page: it is read for each line, never remembered, and
        # the box's ancestors are walked only when some box is site-wide.
        if related and not (
            sitewide and (box in sitewide or any(a in sitewide for a in box.iterancestors()))
        ):
            return True
    # A teaser line: one linked headline under a `Xem thêm:` label, set in the body. The
    # cheap tests first: a line without links has a link density of 0, which no teaser's
    # minimum passes, and a line without the label's colon (most links) is none.
    return (
        block.link_chars > 0 and ":" in block.text
        and block.link_density > T.link_min_density and bool(_TEASER_LINE.match(block.text))
    )


def _related_classed(box: Element) -> bool:
    """`_RELATED_CLASS.occurs_in(class_id(box))`. The words are ASCII without spaces and
    the ASCII letters lower-casing makes of a character do not depend on its neighbours,
    so a box none of whose attribute values holds one is ruled out by one test on them."""
    values = box.values()
    return (
        bool(values) and _RELATED_CLASS.occurs_in(" ".join(values).lower())
        and _RELATED_CLASS.occurs_in(class_id(box))
    )


def _list_heading(block: Block) -> str | None:
    """The label of a heading alone on its line (`Bài trước: <title>` is a link to one
    article); a heading of tabs (`BÀI VIẾT LIÊN QUAN` `XEM THÊM TỪ TÁC GIẢ`) is its first."""
    if _alone(block.text):
        return block.text
    # The first link is read only when the block's own text is no heading alone, and
    # looked for only in an element with children (`iter` counts the element itself).
    el = block.el
    if (
        block.heading and (len(el) or el.tag == "a")
        and (first := next(el.iter("a"), None)) is not None
    ):
        text = " ".join(_text_of(first).split())
        if _alone(text):
            return text
    return None


def _alone(text: str) -> bool:
    """A related list's heading with nothing after it but punctuation."""
    if not is_related_heading(text):
        return False
    match = RELATED_HEADING.match(text)
    return match is not None and not text[match.end():].strip(" :»>-–")


def _box(block: Block) -> Element | None:
    """The chrome box around a heading: the heading's own element may be classed as
    chrome (`<h4 class="td-related-title">`), the box is then around it."""
    if block.chrome is block.el:
        return outer_chrome(block.el)
    return block.chrome


def _ends_list(block: Block, heading: Block) -> bool:
    """Prose, another box's title, or a line in another box ends a list; a linked
    headline (often a heading itself) and a short dated line under it belong to it."""
    box = _box(heading)
    if box is not None and block.chrome is not None and not (
        block.chrome is box or box in block.chrome.iterancestors()
        or block.chrome in heading.el.iterancestors()
    ):
        return True
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
