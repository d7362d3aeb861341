"""The page as a reader sees it: an ordered list of text blocks and image markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.patterns import is_chrome_class, is_comment_class, is_header_class
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.extract.walk import FLAGS, Rules, Scan, Spans
from crawler.text.normalize import INVISIBLE_RANGES, clean_text, fold, nfc

BLOCK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li",
        "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul", "caption",
    )
)  # fmt: skip
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CHROME_TAGS = frozenset(("nav", "aside", "footer", "menu"))
_BOLD_TAGS = frozenset(("b", "strong"))
_ITALIC_TAGS = frozenset(("i", "em", "cite"))
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
_RIGHT_STYLE = re.compile(r"text-align\s*:\s*right", re.I)
_WORD = re.compile(r"\w")
_IMG_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "src")
# An image declared smaller than this (either side) is an icon, a bullet or an inline logo.
_ICON_MAX_PX = 50
# Prose a chrome-classed element must hold before it may be read as a layout wrapper.
_WRAPPER_MIN_PROSE = 500


@dataclass(slots=True)
class Block:
    """One paragraph-like run of text (or one image when `image` is set)."""

    index: int
    text: str
    el: Element  # nearest block-level element around the text
    start: int  # offset of the text in the page's linear text
    link_chars: int = 0
    lead_link_chars: int = 0  # of a link the block opens with, before any plain text
    bold_chars: int = 0
    italic_chars: int = 0
    centered: bool = False
    right: bool = False
    chrome: Element | None = None  # innermost menu/share/related/sidebar container around it
    header: bool = False  # inside the site header (logo, top bar, today-line)
    heading: bool = False
    image: Element | None = None

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def emphasized(self) -> bool:
        """All of the text bold or italic, as leads, captions and bylines often are."""
        size = len(self.text.replace(" ", ""))
        return size > 0 and max(self.bold_chars, self.italic_chars) >= 0.9 * size


def image_src(img: Element) -> str | None:
    for attr in _IMG_SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _is_icon_sized(img: Element) -> bool:
    """An image whose width or height attribute is under 50 pixels: an icon or a bullet."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _ICON_MAX_PX:
            return True
    return False


_BLOCK, _BREAKS, _CHROME, _HEADER_CLASS, _ARTICLE, _HEADING, _LINK, _BOLD, _ITALIC, _IMG = (
    FLAGS[name] for name in (
        "BLOCK", "BREAKS", "CHROME", "HEADER_CLASS", "ARTICLE", "HEADING", "LINK", "BOLD",
        "ITALIC", "IMG",
    )
)  # fmt: skip
_HEADER_TAG, _CENTER, _RIGHT = FLAGS["HEADER_TAG"], FLAGS["ALIGN_CENTER"], FLAGS["ALIGN_RIGHT"]


def _info(tag: str, attrs: str, style: str | None, align: str | None) -> int:
    """What an element turns on, from its tag and attributes alone, as walk.FLAGS or-ed:
    a block element, or a <br> (BREAKS: the text before it is a block of its own),
    chrome, a site-header class, and so on. `attrs` is the class and id as one lower-case
    string (empty when neither is there). The walk asks once per distinct (tag, class,
    id, style, align): templates repeat them all over a page. `align` is given for block
    elements only, and only they set an alignment (else they inherit it)."""
    flags = _tag_flags(tag)
    if flags & _BLOCK and not flags & _CENTER:
        aligned = align.lower() if align else ""
        if aligned == "center":
            flags |= _CENTER
        elif aligned == "right":
            flags |= _RIGHT
        elif style and _CENTER_STYLE.search(style):
            flags |= _CENTER
        elif style and _RIGHT_STYLE.search(style):
            flags |= _RIGHT
    if attrs:
        if not flags & _CHROME and is_chrome_class(attrs):
            flags |= _CHROME
        if is_header_class(attrs):
            flags |= _HEADER_CLASS
    if style:
        if not flags & _BOLD and _BOLD_STYLE.search(style):
            flags |= _BOLD
        if not flags & _ITALIC and _ITALIC_STYLE.search(style):
            flags |= _ITALIC
    return flags


@lru_cache(maxsize=512)
def _tag_flags(tag: str) -> int:
    """What the tag alone turns on: most of `_info`, the same for every element of a tag."""
    flags = 0
    if tag in BLOCK_TAGS:
        flags = _BLOCK | _BREAKS | (_CENTER if tag == "center" else 0)
    elif tag == "br":
        flags = _BREAKS
    if tag in _CHROME_TAGS:
        flags |= _CHROME
    if tag in ("article", "main"):
        flags |= _ARTICLE
    if tag in HEADING_TAGS:
        flags |= _HEADING
    if tag == "a":
        flags |= _LINK
    if tag in _BOLD_TAGS:
        flags |= _BOLD
    if tag in _ITALIC_TAGS:
        flags |= _ITALIC
    if tag == "img":
        flags |= _IMG
    elif tag == "header":
        flags |= _HEADER_TAG
    return flags


_RULES = Rules(
    info=_info, image_src=image_src, icon_sized=_is_icon_sized, clean=clean_text, fold=fold,
    nfc=nfc, make_block=Block, block_tags=BLOCK_TAGS, invisible_ranges=INVISIBLE_RANGES,
)


def linearize(root: Element) -> list[Block]:
    """Blocks of the page body in reading order (the walk itself is in C: walk.pyx)."""
    return linearize_with_spans(root)[0]


def linearize_with_spans(root: Element) -> tuple[list[Block], Spans]:
    """linearize's blocks and where each block-level element's blocks are (walk.Spans)."""
    blocks, spans = _RULES.walk(_body(root))
    _release_wrappers(blocks)
    return blocks, spans


def linearize_scanning(
    root: Element, scan: Scan
) -> tuple[list[Block], Spans, tuple[list, list]]:
    """linearize_with_spans' blocks and spans and what `scan` finds on the whole page, in
    one pass."""
    blocks, spans, classed, opened = _RULES.walk_scanning(root, _body(root), scan)
    _release_wrappers(blocks)
    return blocks, spans, (classed, opened)


def _body(root: Element) -> Element:
    body = root.find("body")
    return root if body is None else body


def outer_chrome(el: Element) -> Element | None:
    """The nearest menu/share/related/sidebar container above `el`."""
    for anc in el.iterancestors():
        if tag_of(anc) in _CHROME_TAGS or is_chrome_class(class_id(anc)):
            return anc
    return None


def _release_wrappers(blocks: list[Block]) -> None:
    """A chrome-classed element that holds more prose than the rest of the page outside
    chrome is a layout wrapper named after its neighbour (`content-with-sidebar`,
    `l-sidebar-fixed`, `article-body pagination-first`): its blocks are not chrome.
    Comment threads stay chrome, however long; so do nav/aside/footer/menu elements."""
    released: set[Element] = set()
    # The prose blocks: long enough (a text that long is not empty: its link density is
    # link_chars / len), not mostly links, not in the site header.
    least, densest = T.min_paragraph_chars, T.prose_max_link_density
    prose = [
        block for block in blocks
        if len(block.text) >= least and block.link_chars / len(block.text) < densest
        and not block.header
    ]
    while True:
        owned: dict[Element, int] = {}
        free = 0
        for block in prose:
            if block.chrome is None:
                free += len(block.text)
            else:
                owned[block.chrome] = owned.get(block.chrome, 0) + len(block.text)
        if not owned:
            return
        wrapper, size = max(owned.items(), key=lambda item: item[1])
        attrs = class_id(wrapper)
        if (
            size <= free or size < _WRAPPER_MIN_PROSE or wrapper in released
            or tag_of(wrapper) in _CHROME_TAGS or is_comment_class(attrs)
        ):
            return
        released.add(wrapper)
        outer = outer_chrome(wrapper)
        for block in blocks:
            if block.chrome is wrapper:
                block.chrome = outer
