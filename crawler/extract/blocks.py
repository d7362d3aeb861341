"""The page as a reader sees it: an ordered list of text blocks and image markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.patterns import is_chrome_class, is_header_class
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
_IMG_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "src")


@dataclass
class Block:
    """One paragraph-like run of text (or one image when `image` is set)."""

    index: int
    text: str
    el: Element  # nearest block-level element around the text
    start: int  # offset of the text in the page's linear text
    link_chars: int = 0
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


class _Opened(NamedTuple):
    article: bool
    header: bool
    heading: bool
    link: bool
    bold: bool
    italic: bool


class _Walker:
    def __init__(self) -> None:
        self.opened: list[_Opened] = []
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link = self.bold = self.italic = 0
        self.link_chars = self.bold_chars = self.italic_chars = 0
        self.block_stack: list[Element] = []
        self.chrome_stack: list[Element] = []
        self.header = 0
        self.article = 0  # inside <article>/<main>, where <header> holds the title, not a logo
        self.heading = 0
        self.align: list[str] = []
        self.offset = 0

    def add(self, text: str | None) -> None:
        if not text:
            return
        self.pieces.append(text)
        size = len("".join(text.split()))
        if self.link:
            self.link_chars += size
        if self.bold:
            self.bold_chars += size
        if self.italic:
            self.italic_chars += size

    def _new_block(self, text: str, image: Element | None = None) -> Block:
        block = Block(
            index=len(self.blocks),
            text=text,
            el=self.block_stack[-1],
            start=self.offset,
            chrome=self.chrome_stack[-1] if self.chrome_stack else None,
            header=self.header > 0,
            heading=self.heading > 0,
            centered="center" in self.align[-1:],
            right="right" in self.align[-1:],
            image=image,
        )
        self.blocks.append(block)
        self.offset += len(text) + 1
        return block

    def flush(self) -> None:
        if not self.pieces:
            return
        text = clean_text("".join(self.pieces))
        if text:
            block = self._new_block(text)
            # Counts were taken on whitespace-free text; scale them to the cleaned length.
            compact = max(len(text.replace(" ", "")), 1)
            ratio = len(text) / compact
            block.link_chars = min(len(text), round(self.link_chars * ratio))
            block.bold_chars, block.italic_chars = self.bold_chars, self.italic_chars
        self.pieces = []
        self.link_chars = self.bold_chars = self.italic_chars = 0

    def image(self, img: Element) -> None:
        self.flush()
        if image_src(img):
            self._new_block("", image=img)

    def _is_header(self, tag: str, attrs: str) -> bool:
        return (tag == "header" and not self.article) or is_header_class(attrs)

    def start(self, el: Element, tag: str) -> None:
        style = el.get("style") or ""
        if tag in BLOCK_TAGS or tag == "br":
            self.flush()
        if tag in BLOCK_TAGS:
            self.block_stack.append(el)
            align = (el.get("align") or "").lower()
            if align not in ("center", "right"):
                align = "center" if _CENTER_STYLE.search(style) else ""
                align = "right" if not align and _RIGHT_STYLE.search(style) else align
            if tag == "center":
                align = "center"
            self.align.append(align or (self.align[-1] if self.align else ""))
        if tag == "img":
            self.image(el)
        attrs = class_id(el)
        if tag in _CHROME_TAGS or is_chrome_class(attrs):
            self.chrome_stack.append(el)
        # What the element turned on, undone by its end event: worked out once,
        # not again from its tag, class and style.
        opened = _Opened(
            article=tag in ("article", "main"),
            header=self._is_header(tag, attrs),
            heading=tag in HEADING_TAGS,
            link=tag == "a",
            bold=tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(style)),
            italic=tag in _ITALIC_TAGS or bool(_ITALIC_STYLE.search(style)),
        )
        self.opened.append(opened)
        self.article += opened.article
        self.header += opened.header
        self.heading += opened.heading
        self.link += opened.link
        self.bold += opened.bold
        self.italic += opened.italic
        self.add(el.text)

    def end(self, el: Element, tag: str) -> None:
        # Flush first: the block's flags (heading, chrome, header) are those of its own context.
        if tag in BLOCK_TAGS:
            self.flush()
        opened = self.opened.pop()
        self.link -= opened.link
        self.bold -= opened.bold
        self.italic -= opened.italic
        self.heading -= opened.heading
        self.header -= opened.header
        self.article -= opened.article
        if self.chrome_stack and self.chrome_stack[-1] is el:
            self.chrome_stack.pop()
        if tag in BLOCK_TAGS:
            self.block_stack.pop()
            self.align.pop()
        self.add(el.tail)


def linearize(root: Element) -> list[Block]:
    """Blocks of the page body in reading order."""
    body = root.find("body")
    if body is None:
        body = root
    walker = _Walker()
    walker.block_stack.append(body)
    walker.align.append("")
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = tag_of(el)
        if not tag:
            if event == "end":
                walker.add(el.tail)
            continue
        if el is body:
            if event == "start":
                walker.add(el.text)
            continue
        if event == "start":
            walker.start(el, tag)
        else:
            walker.end(el, tag)
    walker.flush()
    return walker.blocks
