"""The page as a reader sees it: an ordered list of text blocks and image markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.patterns import is_chrome_class, is_comment_class, is_header_class
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.normalize import clean_text

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


class _Info(NamedTuple):
    """What an element turns on, from its tag and attributes alone; worked out once per
    distinct (tag, class, id, style, align): templates repeat them all over a page."""

    block: bool
    breaks: bool  # a block element or <br>: the text before it is a block of its own
    chrome: bool
    header_class: bool
    article: bool
    heading: bool
    link: bool
    bold: bool
    italic: bool
    align: str  # "center", "right" or "" (inherit); block elements only


@lru_cache(maxsize=4096)
def _info(tag: str, cls: str | None, ident: str | None, style: str | None,
          align: str | None) -> _Info:
    attrs = f"{cls or ''} {ident or ''}".lower()
    style = style or ""
    block = tag in BLOCK_TAGS
    aligned = ""
    if block:
        aligned = (align or "").lower()
        if aligned not in ("center", "right"):
            aligned = "center" if _CENTER_STYLE.search(style) else ""
            aligned = "right" if not aligned and _RIGHT_STYLE.search(style) else aligned
        if tag == "center":
            aligned = "center"
    return _Info(
        block=block,
        breaks=block or tag == "br",
        chrome=tag in _CHROME_TAGS or is_chrome_class(attrs),
        header_class=is_header_class(attrs),
        article=tag in ("article", "main"),
        heading=tag in HEADING_TAGS,
        link=tag == "a",
        bold=tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(style)),
        italic=tag in _ITALIC_TAGS or bool(_ITALIC_STYLE.search(style)),
        align=aligned,
    )


class _Walker:
    __slots__ = (
        "align", "article", "block_stack", "blocks", "bold", "bold_chars", "chrome_stack",
        "header", "heading", "italic", "italic_chars", "lead_link_chars", "leading", "link",
        "link_chars", "offset", "opened", "pieces",
    )  # fmt: skip

    def __init__(self, body: Element) -> None:
        # What each open element turned on (and whether it opened the site header),
        # undone by its end event.
        self.opened: list[tuple[_Info, bool]] = []
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link = self.bold = self.italic = 0
        self.link_chars = self.bold_chars = self.italic_chars = 0
        self.lead_link_chars = 0
        self.leading = True  # no plain text in the current block yet
        self.block_stack: list[Element] = [body]
        self.chrome_stack: list[Element] = []
        self.header = 0
        self.article = 0  # inside <article>/<main>, where <header> holds the title, not a logo
        self.heading = 0
        self.align: list[str] = [""]
        self.offset = 0

    def add(self, text: str | None) -> None:
        if not text:
            return
        # Indentation between tags is most of a page's texts, and counts for nothing;
        # at the start of a block it is not even kept (cleaning would strip it).
        blank = text.isspace()
        if blank and not self.pieces:
            return
        self.pieces.append(text)
        if blank or not (self.link or self.bold or self.italic or self.leading):
            return
        size = len("".join(text.split()))
        if self.link:
            self.link_chars += size
            if self.leading:
                self.lead_link_chars += size
        elif self.leading and size and _WORD.search(text):
            self.leading = False  # a bullet or a dash before a link is no text yet
        if self.bold:
            self.bold_chars += size
        if self.italic:
            self.italic_chars += size

    def _new_block(self, text: str, image: Element | None = None) -> Block:
        align = self.align[-1]
        block = Block(
            index=len(self.blocks),
            text=text,
            el=self.block_stack[-1],
            start=self.offset,
            chrome=self.chrome_stack[-1] if self.chrome_stack else None,
            header=self.header > 0,
            heading=self.heading > 0,
            centered=align == "center",
            right=align == "right",
            image=image,
        )
        self.blocks.append(block)
        self.offset += len(text) + 1
        return block

    def flush(self) -> None:
        if not self.pieces:
            return
        joined = "".join(self.pieces)
        text = "" if joined.isspace() else clean_text(joined)
        if text:
            block = self._new_block(text)
            # Counts were taken on whitespace-free text; scale them to the cleaned length.
            compact = max(len(text.replace(" ", "")), 1)
            ratio = len(text) / compact
            block.link_chars = min(len(text), round(self.link_chars * ratio))
            block.lead_link_chars = min(block.link_chars, round(self.lead_link_chars * ratio))
            block.bold_chars, block.italic_chars = self.bold_chars, self.italic_chars
        self.pieces = []
        self.link_chars = self.bold_chars = self.italic_chars = self.lead_link_chars = 0
        self.leading = True

    def image(self, img: Element) -> None:
        # An icon inside a line (a paper's logo opening its sapo, a bullet) is part of the
        # line as it reads: it neither breaks the text nor stands as a photo.
        if _is_icon_sized(img):
            return
        self.flush()
        if image_src(img):
            self._new_block("", image=img)

    def start(self, el: Element, tag: str) -> None:
        get = el.get
        info = _info(tag, get("class"), get("id"), get("style"),
                     get("align") if tag in BLOCK_TAGS else None)
        if info.breaks:
            self.flush()
        if info.block:
            self.block_stack.append(el)
            self.align.append(info.align or self.align[-1])
        if tag == "img":
            self.image(el)
        if info.chrome:
            self.chrome_stack.append(el)
        header = info.header_class or (tag == "header" and not self.article)
        self.opened.append((info, header))
        self.article += info.article
        self.header += header
        self.heading += info.heading
        self.link += info.link
        self.bold += info.bold
        self.italic += info.italic
        if text := el.text:
            self.add(text)

    def end(self, el: Element) -> None:
        info, header = self.opened.pop()
        # Flush first: the block's flags (heading, chrome, header) are those of its own context.
        if info.block:
            self.flush()
        self.link -= info.link
        self.bold -= info.bold
        self.italic -= info.italic
        self.heading -= info.heading
        self.header -= header
        self.article -= info.article
        if info.chrome:
            self.chrome_stack.pop()
        if info.block:
            self.block_stack.pop()
            self.align.pop()
        if tail := el.tail:
            self.add(tail)


def linearize(root: Element) -> list[Block]:
    """Blocks of the page body in reading order."""
    body = root.find("body")
    if body is None:
        body = root
    walker = _Walker(body)
    start, end = walker.start, walker.end
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if tag.__class__ is not str:  # a comment or processing instruction left in
            if event == "end":
                walker.add(el.tail)
            continue
        if el is body:
            if event == "start":
                walker.add(el.text)
            continue
        if event == "start":
            start(el, tag.lower())
        else:
            end(el)
    walker.flush()
    _release_wrappers(walker.blocks)
    return walker.blocks


def _is_prose(block: Block) -> bool:
    return (
        len(block.text) >= T.min_paragraph_chars
        and block.link_density < T.prose_max_link_density
        and not block.header
    )


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
    while True:
        owned: dict[Element, int] = {}
        free = 0
        for block in blocks:
            if not _is_prose(block):
                continue
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
