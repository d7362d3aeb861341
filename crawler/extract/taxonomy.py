"""Category (breadcrumb or section) and tags."""

from __future__ import annotations

import re
from typing import NamedTuple

from crawler.extract.dom import Element
from crawler.extract.metadata import Metadata
from crawler.text.normalize import clean_text

_HOME = re.compile(r"^(?:trang chủ|home|trang nhất|trang chính)$", re.I)
# What a breadcrumb opens with: "Bạn đang ở:", then the home entry.
_TRAIL_START = re.compile(
    r"^(?:(?:bạn đang ở|vị trí|you are here)\s*:?\s*)?(?:trang chủ|home|trang nhất|trang chính)\b",
    re.I,
)
# The first text of a breadcrumb: its lead-in or the home entry (before NFC and folding).
_TRAIL_OPENING = re.compile(r"(?:bạn đang|vị trí|you are|trang|home)", re.I)
_LEAD_IN = re.compile(r"^\s*(?:bạn đang ở|vị trí|you are here)\s*:?", re.I)
_TRAIL_SEPARATOR = re.compile(r"\s(?:»|›|>>|>|/|→|::)(?=\s)")
# A trail that is not classed as one must separate its home entry from the next.
_AFTER_HOME = re.compile(
    r"^(?:(?:bạn đang ở|vị trí)\s*:?\s*)?(?:trang chủ|home|trang nhất|trang chính)"
    r"\s*(?:»|›|>>|>|/|→)",
    re.I,
)
_TRAIL_MAX = 240
_ENTRY_MAX = 80
# A category named by a label near the title (Joomla's "Danh mục: Tin hoạt động").
_LABELLED = re.compile(r"^(?:danh mục|chuyên mục|category)\s*:\s*(.*)$", re.I)
_BREADCRUMB = re.compile(r"breadcrumb|crumb|duongdan|duong-dan|navigator|path-?way|location")
# Class tokens of a tag list; whole tokens, since WordPress marks a post `tag-<slug>`.
_TAG_TOKEN = re.compile(r"(?:^|[-_])(?:tags?|keywords?|tukhoa|tu-khoa|tag-?list|tags?-?links?)$")
_TRAIL_TAGS = ("ol", "nav", "div", "td", "font", "p", "span")
_LABEL_TAGS = ("dd", "div", "span", "p", "li")
_OPENING_SIZE = 40
# Either opening above, to rule out almost every text of a page with one test.
_OPENINGS = re.compile(
    r"\s*(?:bạn đang|vị trí|you are|trang|home|danh mục|chuyên mục|category)", re.I
)
_TAG_HINT = re.compile(r"tag|keyword|tukhoa|tu-khoa")


class Landmarks(NamedTuple):
    """The few elements of a page that may hold its breadcrumb, category label or tag
    list, in document order, found in one pass over the page (each is confirmed later)."""

    crumb_classed: list[Element]  # class or id of a breadcrumb
    tag_classed: list[Element]  # a class or id token of a tag list
    trails: list[Element]  # holds a text that opens like a breadcrumb
    labels: list[Element]  # holds a text that opens with a category label


def _holders(root: Element, owners: list[Element], tags: tuple[str, ...]) -> list[Element]:
    """The elements with one of `tags` around any of `owners`, in document order."""
    held: set[Element] = set()
    for owner in owners:
        el: Element | None = owner
        while el is not None and el not in held:
            if el.tag in tags:
                held.add(el)
            el = el.getparent()
    return [el for el in root.iter(*tags) if el in held] if held else []


def _own(owner: Element, text: str, trails: list[Element], labels: list[Element]) -> None:
    opening = text.lstrip()[:_OPENING_SIZE]
    if _TRAIL_OPENING.match(opening):
        trails.append(owner)
    if _LABELLED.match(opening):
        labels.append(owner)


def landmarks(root: Element) -> Landmarks:
    """One pass over the page instead of one per field: the elements whose class says
    breadcrumb or tags, and the owners of the texts a breadcrumb or a label opens with."""
    crumbs: list[Element] = []
    tagged: list[Element] = []
    trail_owners: list[Element] = []
    label_owners: list[Element] = []
    for el in root.iter():
        cls, ident = el.get("class"), el.get("id")
        if cls or ident:
            attrs = f"{cls or ''} {ident or ''}".lower()
            if _BREADCRUMB.search(attrs):
                crumbs.append(el)
            if _TAG_HINT.search(attrs) and any(_TAG_TOKEN.search(t) for t in attrs.split()):
                tagged.append(el)
        # Most texts are indentation: isspace() rules them out far faster than a regex.
        text, tail = el.text, el.tail
        if text and not text.isspace() and _OPENINGS.match(text):
            _own(el, text, trail_owners, label_owners)
        if (
            tail and not tail.isspace() and _OPENINGS.match(tail)
            and (parent := el.getparent()) is not None
        ):
            _own(parent, tail, trail_owners, label_owners)
    return Landmarks(
        crumbs, tagged,
        _holders(root, trail_owners, _TRAIL_TAGS), _holders(root, label_owners, _LABEL_TAGS),
    )


def _texts(elements: list[Element]) -> list[str]:
    texts = [clean_text(el.text_content()) for el in elements]
    return [t for t in texts if t and not _HOME.match(t) and len(t) <= _ENTRY_MAX]


def _opening(el: Element) -> str:
    """The first words of an element's text, cheaply: most elements are ruled out by
    them before their whole text is joined."""
    for chunk in el.itertext():
        if chunk.strip():
            return chunk.lstrip()[:40]
    return ""


def _entry(text: str) -> str:
    return _LEAD_IN.sub("", _TRAIL_SEPARATOR.sub(" ", f" {clean_text(text)} ")).strip(" :")


def _trail(el: Element, *, classed: bool) -> list[str] | None:
    """The entries of a breadcrumb element, home and lead-in dropped; None if `el` is
    not one: a short line that opens with the home link and goes on with separators
    (`»`, `›`, `>`, `/`) or list items of its own (an `<ol>`, or any list classed so)."""
    if not _TRAIL_OPENING.match(_opening(el)):
        return None
    # Joined by spaces: list items often sit side by side with no text between them.
    text = clean_text(" ".join(el.itertext()))
    if not text or len(text) > _TRAIL_MAX or not _TRAIL_START.match(text):
        return None
    links = [clean_text(a.text_content()) for a in el.iter("a")]
    if not links:
        return None
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if items and (classed or el.tag == "ol"):
        entries = [_entry(li.text_content()) for li in items]
    elif classed or _AFTER_HOME.match(text):
        tail = text[text.rfind(links[-1]) + len(links[-1]):]
        entries = [_entry(t) for t in (*links, tail)]
    else:
        return None
    return [e for e in entries if e and not _HOME.match(e) and len(e) <= _ENTRY_MAX]


def breadcrumbs(marks: Landmarks, selected: list[Element]) -> list[str]:
    """The entries of the page's breadcrumb (read before its chrome is dropped): the
    layout's selector, else an element classed as one, else any short element that
    reads like one (`Trang chủ » Tin hoạt động`, list items, table cells)."""
    if selected:
        return _texts(selected)
    for el in marks.crumb_classed:
        if entries := _trail(el, classed=True):
            return entries
    for el in marks.trails:
        if entries := _trail(el, classed=False):
            return entries
    return []


def labelled_category(marks: Landmarks) -> str | None:
    """A category link under a label (Joomla's `Danh mục: Tin hoạt động`)."""
    for el in marks.labels:
        if not _LABELLED.match(_opening(el)) or el.find(".//a") is None:
            continue
        text = clean_text(" ".join(el.itertext()))
        if len(text) <= _ENTRY_MAX and (match := _LABELLED.match(text)) and match[1]:
            return match[1]
    return None


def _is_title(entry: str, title: str | None) -> bool:
    if not title:
        return False
    stem = entry.rstrip(".…").strip()
    return entry == title or (len(stem) >= 20 and title.startswith(stem))


def _without_title(entry: str, title: str | None) -> str:
    """A trail's last entry may run on into the title when nothing separates them."""
    if title and entry != title and entry.endswith(title):
        return entry[: -len(title)].strip()
    return entry


def find_category(
    crumbs: list[str], labelled: str | None, meta: Metadata, title: str | None
) -> str | None:
    """The deepest breadcrumb entry that is not the article's own title, else a
    labelled category, else the declared section."""
    named = [_without_title(c, title) for c in crumbs if not _is_title(c, title)]
    named = [c for c in named if c]
    if named:
        return named[-1]
    if labelled or meta.section:
        return labelled or meta.section
    names = [n for n in meta.breadcrumb if not _HOME.match(n)]
    names = [n for n in names if n not in (meta.headline, meta.og_title, title)]
    return names[-1] if names else None


def find_tags(marks: Landmarks, selected: list[Element], meta: Metadata) -> list[str]:
    tags = _texts(selected) or list(meta.tags)
    if not tags:
        for el in marks.tag_classed:
            tags = _texts(list(el.iter("a")))
            if tags:
                break
    return list(dict.fromkeys(tags))
