"""Parsing: one lxml tree per page, stripped of what never holds content; never raises."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree, html

from crawler.extract.walk import hidden, text_content

# Dropped before anything reads the tree (JSON-LD is read from the raw tree first).
_JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "canvas", "select", "button", "textarea", "input", "map", "video", "audio", "link",
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# collect_ids=False: no id index (nothing looks elements up by id), a few % of a parse.
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, recover=True,
    collect_ids=False,
)


class Element(html.HtmlElement):
    """lxml.html's element, its text_content() read by the compiled walk: lxml's evaluates
    an XPath expression per call, some microseconds, ten times a page."""

    def text_content(self) -> str:
        return text_content(self)


# Every element an Element, chosen in C: lxml.html's own lookup calls back into Python for
# each element proxy, a tenth of a page's extraction time.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(element=Element, comment=html.HtmlComment)
)


def parse(page: str | bytes) -> Element | None:
    """An lxml tree of the page (text, or UTF-8 bytes), or None when nothing parseable is
    there."""
    # Encoded bytes sidestep lxml's refusal of str input that carries an XML encoding line.
    data = page.encode("utf-8", "replace") if isinstance(page, str) else page
    if not data or data.isspace():
        return None
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
    try:
        root = html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root, html.HtmlElement):
        return None
    return root


def hides(style: str) -> bool:
    """Whether a style attribute hides its element, as `_HIDDEN_STYLE` finds it."""
    # Most styles say neither word: the pattern runs only on the rest. Sound under re.I,
    # whose non-ASCII matches (ı, İ, ſ, K) stand for i, s and k only: "none" and "dden"
    # are matched by their ASCII letters, which lower() folds.
    folded = style.lower()
    return ("none" in folded or "dden" in folded) and _HIDDEN_STYLE.search(style) is not None


def strip_junk(root: Element) -> None:
    """Remove scripts, widgets and hidden elements; their tails stay in the text."""
    etree.strip_elements(root, *_JUNK_TAGS, with_tail=False)
    for el in hidden(root, hides):
        drop(el)


def drop(el: Element) -> None:
    """Remove `el` but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def tag_of(el: object) -> str:
    tag = getattr(el, "tag", None)
    return tag.lower() if isinstance(tag, str) else ""


def class_id(el: Element) -> str:
    """The element's class and id as one lower-case string, for chrome/content patterns."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None
