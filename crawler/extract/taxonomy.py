"""Category (breadcrumb or section) and tags."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from crawler.extract.dom import Element, class_id
from crawler.extract.literals import Literals
from crawler.extract.metadata import Metadata
from crawler.extract.patterns import is_chrome_class
from crawler.extract.walk import Scan
from crawler.text.normalize import clean_text

# The words of a breadcrumb's home entry, of its lead-in, and the arrows between entries:
# once here, every pattern below is built from them.
_HOME_WORDS = "trang chủ|home|trang nhất|trang chính"
_LEAD_IN_WORDS = "bạn đang ở|vị trí|you are here"
_ARROWS = "»|›|>>|>|/|→"
# How a trail's or a label's text opens, as prefixes: tested on the raw first characters
# of an element (before NFC and folding), to rule out almost every text with one test.
_TRAIL_PREFIXES = ("bạn đang", "vị trí", "you are", "trang", "home")
_LABEL_PREFIXES = (
    "danh mục",
    "chuyên mục",
    "category",
    "từ kh",
    "tag",
    "thẻ",
    "được gắn",
    "keyword",
)
_HOME = re.compile(rf"^(?:{_HOME_WORDS})$", re.I)
# What a breadcrumb opens with: "Bạn đang ở:", then the home entry.
_TRAIL_START = re.compile(rf"^(?:(?:{_LEAD_IN_WORDS})\s*:?\s*)?(?:{_HOME_WORDS})\b", re.I)
_TRAIL_OPENING = re.compile(f"(?:{'|'.join(_TRAIL_PREFIXES)})", re.I)
_LEAD_IN = re.compile(rf"^\s*(?:{_LEAD_IN_WORDS})\s*:?", re.I)
_TRAIL_SEPARATOR = re.compile(rf"\s(?:{_ARROWS}|::)(?=\s)")
# A trail that is not classed as one must separate its home entry from the next.
_AFTER_HOME = re.compile(
    rf"^(?:(?:{_LEAD_IN_WORDS})\s*:?\s*)?(?:{_HOME_WORDS})\s*(?:{_ARROWS})", re.I
)
_TRAIL_MAX = 240
_ENTRY_MAX = 80
# A category named by a label near the title (Joomla's "Danh mục: Tin hoạt động").
_LABELLED = re.compile(r"^(?:danh mục|chuyên mục|category)\s*:\s*(.*)$", re.I)
# The words a class or id of each landmark holds; each pattern below is built from them.
_CRUMB_WORDS = ("crumb", "duongdan", "duong-dan", "navigator", "pathway", "path-way", "location")
_TAG_WORDS = ("tag", "keyword", "tukhoa", "tu-khoa")
_CATEGORY_WORDS = ("cat", "chuyen-muc", "chuyenmuc", "danh-muc", "danhmuc")
_BREADCRUMB = Literals(_CRUMB_WORDS)
# Class tokens of a tag list; whole tokens, since WordPress marks a post `tag-<slug>`.
_TAG_TOKEN = re.compile(r"(?:^|[-_])(?:tags?|keywords?|tukhoa|tu-khoa|tag-?list|tags?-?links?)$")
_TRAIL_TAGS = ("ol", "nav", "div", "td", "font", "p", "span")
_LABEL_TAGS = ("dd", "div", "span", "p", "li")
_OPENING_SIZE = 40
# The label a tag list opens with, alone in its element or before the first link.
_TAG_LABEL = re.compile(r"^(?:từ kh(?:óa|oá|oa)|tags?|thẻ|được gắn thẻ|keywords?)\s*:?\s*$", re.I)
_TAG_LIST_LEVELS = 3
_TAG_LIST_LINKED = 0.5
_TAG_LIST_MAX = 30
# Where a site-wide tag cloud lives.
_SITE_BOX = re.compile(r"sidebar|side-bar|widget|footer|menu|(?:^|[\s_-])nav")
_SITE_BOX_TAGS = ("aside", "nav", "footer")
_ARTICLE_TAGS = ("article", "main")
# Any opening above: a trail's or a label's.
_OPENINGS = re.compile(rf"\s*(?:{'|'.join(_TRAIL_PREFIXES + _LABEL_PREFIXES)})", re.I)
# The ASCII characters an opening may start with, as the pattern compares them: scan
# decodes no text that starts with another.
_OPENING_INITIALS = bytes(
    c for c in range(128)
    if any(re.fullmatch(re.escape(p[0]), chr(c), re.I) for p in _TRAIL_PREFIXES + _LABEL_PREFIXES)
)  # fmt: skip
_TAG_HINT = Literals(_TAG_WORDS)
# Class tokens of a category tag printed near the title (`<div class="category-name">`,
# `post-category`, `chuyen-muc`); whole tokens, as WordPress marks a post `category-<slug>`.
_CATEGORY_HINT = Literals(_CATEGORY_WORDS)
_CATEGORY_TOKEN = re.compile(
    r"(?:^|[-_])(?:category|cat|cate|chuyen-?muc|chuyenmuc|danh-?muc)(?:[-_]?(?:name|label))?$"
)


class Landmarks(NamedTuple):
    """The few elements of a page that may hold its breadcrumb, category label or tag
    list, in document order, found in one pass over the page (each is confirmed later)."""

    crumb_classed: list[Element]  # class or id of a breadcrumb
    tag_classed: list[Element]  # a class or id token of a tag list
    trails: list[Element]  # holds a text that opens like a breadcrumb
    labels: list[Element]  # holds a text that opens with a category label
    category_classed: tuple[Element, ...] = ()  # a class token of a category tag
    tag_labelled: tuple[Element, ...] = ()  # holds a tag list's label (`Từ khóa:`, `Thẻ:`)


def _holders(owners: list[Element], tags: tuple[str, ...]) -> list[Element]:
    """The elements with one of `tags` around any of `owners`, in document order.

    The owners hold texts met in document order, so each owner's ancestors not met
    before, top-down, come after every element met before: a new ancestor of a later
    text is no ancestor of an earlier one, so it starts after that text's ancestors.
    No walk over the page is needed to put them in order."""
    held: set[Element] = set()
    found: list[Element] = []
    for owner in owners:
        new: list[Element] = []
        el: Element | None = owner
        while el is not None and el not in held:
            if el.tag in tags:
                new.append(el)
            el = el.getparent()
        held.update(new)
        found.extend(reversed(new))
    return found


def _own(
    owner: Element,
    text: str,
    trails: list[Element],
    labels: list[Element],
    tag_labels: list[Element],
) -> None:
    opening = text.lstrip()[:_OPENING_SIZE]
    if _TRAIL_OPENING.match(opening):
        trails.append(owner)
    if _LABELLED.match(opening):
        labels.append(owner)
    if _TAG_LABEL.match(opening):
        tag_labels.append(owner)


_CRUMB, _TAGS, _CATEGORY = 1, 2, 4
_TOKEN_MEMO = 4096  # class and id tokens whose kinds are remembered, across pages
_ANY_LANDMARK = Literals(_CRUMB_WORDS + _TAG_WORDS + _CATEGORY_WORDS)


def _landmark_kinds(attrs: str) -> int:
    """Which landmarks a class and id string names, as bits: those its tokens name. No
    word holds a space, so each word found in the string is found in one token."""
    if not _ANY_LANDMARK.occurs_in(attrs):
        return 0  # most class strings: one test
    kinds = 0
    for token in attrs.split():
        kinds |= _token_kinds(token)
    return kinds


@lru_cache(maxsize=_TOKEN_MEMO)
def _token_kinds(token: str) -> int:
    """Which landmarks one class or id token names, remembered: the strings that name one
    differ mostly by a number (`menu-item menu-item-object-category menu-item-19247`), and
    the token patterns try every position of a long token."""
    if not _ANY_LANDMARK.occurs_in(token):
        return 0
    kinds = _CRUMB if _BREADCRUMB.occurs_in(token) else 0
    if _TAG_HINT.occurs_in(token) and _TAG_TOKEN.search(token):
        kinds |= _TAGS
    if _CATEGORY_HINT.occurs_in(token) and _CATEGORY_TOKEN.search(token):
        kinds |= _CATEGORY
    return kinds


LANDMARK_SCAN = Scan(_landmark_kinds, _OPENINGS.match, _OPENING_INITIALS)


def landmarks(root: Element, scanned: tuple[list, list] | None = None) -> Landmarks:
    """One pass over the page instead of one per field: the elements whose class says
    breadcrumb, tags or category, and the owners of the texts a breadcrumb, a category
    label or a tag list's label opens with. `scanned`: what LANDMARK_SCAN found on the
    page, when a walk of the page already ran it."""
    classed, opened = scanned if scanned is not None else LANDMARK_SCAN(root)
    crumbs = [el for el, kinds in classed if kinds & _CRUMB]
    tagged = [el for el, kinds in classed if kinds & _TAGS]
    categories = [el for el, kinds in classed if kinds & _CATEGORY]
    trail_owners: list[Element] = []
    label_owners: list[Element] = []
    tag_owners: list[Element] = []
    for owner, text in opened:
        _own(owner, text, trail_owners, label_owners, tag_owners)
    return Landmarks(
        crumbs,
        tagged,
        _holders(trail_owners, _TRAIL_TAGS),
        _holders(label_owners, _LABEL_TAGS),
        tuple(categories),
        tuple(tag_owners),
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


def _spaced_text(el: Element, limit: int) -> str | None:
    """`clean_text(" ".join(el.itertext()))`, or None when it is longer than `limit`: a
    page wrapper that opens like a breadcrumb is not read whole to learn that it is long.
    The pieces read so far are cleaned now and then, each time their length has doubled;
    the text of the first pieces is never longer than that of all (a space joins them,
    and no cleaning step goes across one: NFC composes nothing with it, split() cuts).
    For the same reason a blank piece adds nothing: it is left out, and the indentation
    between a menu's tags neither counts towards the length nor is cleaned again."""
    pieces: list[str] = []
    size = 0
    check = limit
    for piece in el.itertext():
        if piece.isspace():
            continue
        pieces.append(piece)
        size += len(piece) + 1
        if size > check:
            if len(clean_text(" ".join(pieces))) > limit:
                return None
            check = 2 * size
    text = clean_text(" ".join(pieces))
    return text if len(text) <= limit else None


def _entry(text: str) -> str:
    return _LEAD_IN.sub("", _TRAIL_SEPARATOR.sub(" ", f" {clean_text(text)} ")).strip(" :")


def _image_after_home(el: Element) -> bool:
    """An arrow image between the home link and the next (`Trang chủ <img> Chính trị`):
    old table portals draw the separator instead of printing one."""
    order = [node.tag for node in el.iter("a", "img")]
    return len(order) >= 3 and order[:2] == ["a", "img"] and "a" in order[2:]


def _trail(el: Element, *, classed: bool) -> list[str] | None:
    """The entries of a breadcrumb element, home and lead-in dropped; None if `el` is
    not one: a short line that opens with the home link and goes on with separators
    (`»`, `›`, `>`, `/`, an arrow image) or list items of its own (an `<ol>`, or any list
    classed so)."""
    if not _TRAIL_OPENING.match(_opening(el)):
        return None
    # Joined by spaces: list items often sit side by side with no text between them.
    text = _spaced_text(el, _TRAIL_MAX)
    if not text or not _TRAIL_START.match(text):
        return None
    links = [clean_text(a.text_content()) for a in el.iter("a")]
    if not links:
        return None
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if items and (classed or el.tag == "ol"):
        entries = [_entry(li.text_content()) for li in items]
    elif classed or _AFTER_HOME.match(text) or _image_after_home(el):
        tail = text[text.rfind(links[-1]) + len(links[-1]) :]
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
    """A category link under a label (Joomla's `Danh mục: Tin hoạt động`), else a
    category tag: an element classed so that holds one link and nothing else."""
    for el in marks.labels:
        if not _LABELLED.match(_opening(el)) or next(el.iterdescendants("a"), None) is None:
            continue
        text = _spaced_text(el, _ENTRY_MAX)
        if text is not None and (match := _LABELLED.match(text)) and match[1]:
            return match[1]
    return next(filter(None, map(_category_tag, marks.category_classed)), None)


def _category_tag(el: Element) -> str | None:
    """The section an element classed as a category names: its one link, alone in it;
    none in a menu or sidebar, where a category list is the site's."""
    links = list(el.iterdescendants("a"))
    if len(links) != 1 or any(is_chrome_class(class_id(a)) for a in el.iterancestors()):
        return None
    text = clean_text(el.text_content())
    return (
        text
        if text and len(text) <= _ENTRY_MAX and text == clean_text(links[0].text_content())
        else None
    )


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


def _labelled_tags(label: Element) -> list[str]:
    """The tags after a tag list's label: the links of the nearest element around the
    label that holds any, if that element is the list (its text is mostly those links)
    and no sidebar, footer or menu holds it (a tag cloud is the site's, not the page's)."""
    el: Element | None = label
    for _ in range(_TAG_LIST_LEVELS):
        if el is None:
            return []
        links = _texts(list(el.iter("a")))
        if links:
            return links if _is_tag_list(el, links) else []
        el = el.getparent()
    return []


def _is_tag_list(el: Element, links: list[str]) -> bool:
    """Mostly links, a page's handful (a cloud of a hundred is the site's), no A-Z index."""
    text = clean_text(el.text_content())
    linked = sum(len(t) for t in links)
    return (
        linked >= _TAG_LIST_LINKED * len(text)
        and len(links) <= _TAG_LIST_MAX
        and all(len(t) > 1 for t in links)
        and not _in_site_box(el)
    )


def _in_site_box(el: Element) -> bool:
    """Inside a sidebar, menu or the site's footer; an article's own `<footer>` (where
    WordPress prints its tags) is the article's."""
    ancestors = list(el.iterancestors())
    for i, anc in enumerate(ancestors):
        if anc.tag in _ARTICLE_TAGS:
            return False
        if _SITE_BOX.search(class_id(anc)):
            return True
        if anc.tag in _SITE_BOX_TAGS:
            return not any(a.tag in _ARTICLE_TAGS for a in ancestors[i + 1 :])
    return False


def find_tags(marks: Landmarks, selected: list[Element], meta: Metadata) -> list[str]:
    """The layout's tags, else the page's visible list under a `Từ khóa:` / `Thẻ:` /
    `Tags` label, else the declared `article:tag`s, else a list classed as tags."""
    labelled = (_labelled_tags(el) for el in marks.tag_labelled)
    tags = _texts(selected) or next(filter(None, labelled), []) or list(meta.tags)
    if not tags:
        classed = (_texts(list(el.iter("a"))) for el in marks.tag_classed)
        tags = next(filter(None, classed), [])
    return list(dict.fromkeys(tags))
