"""Which date string on the page is the publish date."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import product

from crawler.extract.blocks import Block
from crawler.extract.dom import Element, class_id
from crawler.extract.literals import Literals
from crawler.extract.patterns import RELATED_HEADING_MAX, related_heading
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.dates import DateMatch, calendar_shape, normalize_date, parse_date, search_dates


def _spelled(words: str, *, whole: bool = False) -> Literals:
    """A matcher for `a|b-?c|...`: words as class names write them, each `-?` a hyphen or none
    (`lien-?quan`: `lien-quan`, `lienquan`). Class strings are tested against several such
    lists on every dated line: a matcher reads a string once, where a regex tries its
    branches at every position."""
    spellings = []
    for word in words.split("|"):
        first, *rest = word.split("-?")
        for hyphens in product(("-", ""), repeat=len(rest)):
            spellings.append(first + "".join(h + p for h, p in zip(hyphens, rest, strict=True)))
    return Literals(spellings, whole=whole)


# A publish date sits on a short meta line (date, maybe a label, category, view count), never
# inside a sentence: the event date that opens a lead (`Chiều 31/3/2021, ...`) is prose.
_META_LINE_EXTRA = 100
_SCAN_MAX = 240
# A top bar's today-line is separated from the title by the site menu.
_MENU_LINKS = 5
_NO_TIME_PENALTY = 300
_BEFORE_TITLE_FACTOR = 2
# An element named for the date it prints (`ngay-dang`, `date-news`, `thoi-gian`,
# `post-date`, `publish-time`) holds the page's own date wherever the scores would put it.
_DATE_LABEL = _spelled("ngay|date|time|thoi-?gian|publish|posted|created|dang-?tin")
# One named for today's date or the weather is the header's, never the page's (a clock is
# only the icon beside a time); one named for an update may be the only date printed, but
# it earns no preference.
_TODAY = _spelled("today|hom-?nay|hien-?tai|weather|thoi-?tiet")
_UPDATE = _spelled("update|modif")
# Lists of other articles, whose dates are theirs: by the container's name, in either language.
# `other` counts as a word of its own only: after the start, a space, `_` or `-`, and before
# one or the end.
_OTHER_ARTICLES = _spelled(
    "related|lien-?quan|tin-?khac|tin-?lien|cung-?chuyen-?muc|same-?cat|xem-?nhieu|doc-?nhieu|"
    "tin-?moi|trong-?ngay|newest|latest|most-|list-?new|news-?list|list-?news|list-?view|"
    "mod-?list|more"
)
_OTHER = _spelled("other", whole=True)
# A labelled date sits beside the title, not a menu away above it nor a list away below.
_LABEL_BEFORE_TITLE = 3
_LABEL_AFTER_TITLE = 12
_ANCESTORS = 8
# Day, month and year set apart by spaces alone (`22 08 2022`), as some CMSs print them.
# The day's first digit opens the pattern (the look-behind after it asks what `(?<!\d)` before
# it would): re then tries the pattern at digits only.
_DIGIT = re.compile(r"\d")
_SPACED_DATE = re.compile(r"\d(?<!\d\d)\d? \d{1,2} (?:19|20)\d{2}(?!\d)")


def as_printed(match: DateMatch) -> str:
    """The matched text without a bracket it did not open (`(08/01/2021 - 14:20)`)."""
    text = match.text.strip()
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip()
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip()
    return text


@dataclass
class Published:
    raw: str
    iso: str
    block: Block | None  # the printed meta line, removed from the body


def _headline_links(block: Block) -> bool:
    """A list item pointing at another article carries its own date: not ours."""
    size = len(block.text)
    # Over 30 characters the text is not empty: the division is the link density.
    return block.link_chars >= 20 or (size > 30 and block.link_chars / size > T.link_min_density)


def _is_event_date(block: Block, match: DateMatch) -> bool:
    after = block.text[match.end:match.end + 2]
    return bool(match.part_of_day) and not match.has_time and after.startswith(",")


def _class_of(el: Element, names: dict[Element, str]) -> str:
    """class_id, read once per element of a page: the dated lines of a list share their
    ancestors, and a line's label and its climb out of other articles read the same ones.
    The dictionary holds each element, so lxml hands back that same object for it."""
    name = names.get(el)
    if name is None:
        name = names[el] = class_id(el)
    return name


def _label(block: Block, names: dict[Element, str]) -> str:
    """The class/id of the block's element, of the inline elements in it and of two
    ancestors: where a template names a date (`<div class="meta"><span class="date">`)."""
    # The inline elements only when the block's element is a line, not a whole container;
    # a childless element is its own only one, and its text need not be read.
    inner = len(block.el) > 0 and len(block.el.text_content()) <= _SCAN_MAX
    elements = [el for el in (block.el.iter() if inner else [block.el]) if isinstance(el.tag, str)]
    parent = block.el.getparent()
    for _ in range(2):
        if parent is None:
            break
        elements.append(parent)
        parent = parent.getparent()
    return " ".join([_class_of(el, names) for el in elements])


def _in_other_articles(el: Element, boxes: list[Element], names: dict[Element, str]) -> bool:
    if any(box in el.iterancestors() for box in boxes):
        return True
    for _ in range(_ANCESTORS):
        if el is None:
            return False
        if _names_other_articles(_class_of(el, names)):
            return True
        el = el.getparent()
    return False


def _names_other_articles(name: str) -> bool:
    return _OTHER_ARTICLES.occurs_in(name) or _OTHER.occurs_in(name)


def _related_boxes(blocks: list[Block], anchor: Block | None) -> list[Element]:
    """The boxes that open with a `Tin liên quan`, `Các tin khác`... heading after the
    title, however they are named; a box that holds the title too is the page's own."""
    start = anchor.index + 1 if anchor is not None else 0
    boxes = []
    for block in blocks[start:]:
        text = block.text
        if not text or len(text) > RELATED_HEADING_MAX or not related_heading(text):
            continue
        box = block.el.getparent()
        # Out of a wrapper around the heading alone (`<div class="title"><h3>`) to the box.
        while box is not None and " ".join(box.text_content().split()) == text:
            box = box.getparent()
        if box is not None and (anchor is None or box not in anchor.el.iterancestors()):
            boxes.append(box)
    return boxes


def _dates_in(text: str, context_year: int | None) -> list[DateMatch]:
    """The dates of a line; else one printed with spaces alone (`22 08 2022`), which
    the search leaves out of running text, where such a run is rarely a date."""
    found = search_dates(text, context_year=context_year)
    if found:
        return found
    spaced = _SPACED_DATE.search(text)
    parsed = parse_date(spaced[0]) if spaced else None
    if spaced is None or parsed is None:
        return []
    return [replace(parsed, start=spaced.start(), end=spaced.end(), text=spaced[0])]


def _menu_between(blocks: list[Block], first: int, last: int) -> bool:
    between = blocks[first + 1:last]
    links = sum(1 for b in between if b.text and b.link_density > T.menu_line_min_link_density)
    return links >= _MENU_LINKS


def printed_dates(
    blocks: list[Block], anchor: Block | None, excluded: set[int], context_year: int | None
) -> list[tuple[float, Block, DateMatch]]:
    """Date strings on meta lines, best first: those in an element named for the date
    beside the title or after it, then the others, each by distance to the title. Dates
    in the header (today's) and in lists of other articles are never the page's."""
    found: list[tuple[bool, float, Block, DateMatch]] = []
    boxes: list[Element] | None = None  # looked for once a line holds a meta line's date
    names: dict[Element, str] = {}
    has_digit = _DIGIT.search
    for block in blocks:
        text = block.text
        if (
            not text or len(text) > _SCAN_MAX or block.header or block.index in excluded
            or block is anchor  # a date in the title is what the article is about
            or not has_digit(text) or _headline_links(block)
            # Most lines with digits hold no date (counters, phone numbers, document
            # numbers): without a calendar shape a line has none for the search, nor a
            # digit, a space and a digit for a spaced date, and it is not searched.
            or not calendar_shape(text)
        ):
            continue
        # Only a date that is most of its line, and no event's, is a meta line's: the tree is
        # climbed for the lines that print one.
        dates = [
            match for match in _dates_in(text, context_year)
            if len(text) - len(match.text) <= _META_LINE_EXTRA and not _is_event_date(block, match)
        ]
        if not dates:
            continue
        if boxes is None:
            boxes = _related_boxes(blocks, anchor)
        if _in_other_articles(block.el, boxes, names):
            continue
        label = _label(block, names)
        if _TODAY.occurs_in(label):
            continue
        labelled = (
            _DATE_LABEL.occurs_in(label) and not _UPDATE.occurs_in(label)
            and (
                anchor is None
                or -_LABEL_BEFORE_TITLE <= block.index - anchor.index <= _LABEL_AFTER_TITLE
            )
        )
        for match in dates:
            if anchor is None:
                distance = float(block.start)
            elif block.index >= anchor.index:
                distance = block.start - anchor.start - len(anchor.text)
            else:
                if _menu_between(blocks, block.index, anchor.index):
                    continue
                distance = _BEFORE_TITLE_FACTOR * (anchor.start - block.start - len(text))
            if not match.has_time:
                distance += _NO_TIME_PENALTY
            found.append((not labelled, max(distance, 0.0), block, match))
    found.sort(key=lambda item: item[:2])
    return [(distance, block, match) for _, distance, block, match in found]


def _machine_time(block: Block, match: DateMatch) -> Published | None:
    """The `<time datetime>` that prints the date: its machine-readable value carries the
    time of day the visible date leaves out (`<time datetime="…T02:15:00Z">13/12/2023`)."""
    for el in block.el.iter("time"):
        value = (el.get("datetime") or "").strip()
        iso = normalize_date(value) if value else None
        if iso and len(iso) > len(match.iso) and iso[:10] == match.iso[:10]:
            return Published(value, iso, block)
    return None


def _printed(block: Block, match: DateMatch) -> Published:
    found = None if match.has_time else _machine_time(block, match)
    return found or Published(as_printed(match), match.iso, block)


def choose_published(
    printed: list[tuple[float, Block, DateMatch]], declared: str | None, declared_iso: str | None
) -> Published | None:
    """The printed date unless the page's metadata (`declared`, read by normalize_date as
    `declared_iso`) is more precise or disagrees on the day."""
    if declared_iso is None:
        if printed:
            _, block, match = printed[0]
            return _printed(block, match)
        return None
    for _, block, match in printed:
        if match.iso[:10] == declared_iso[:10]:
            if match.has_time or len(declared_iso) == 10:
                return _printed(block, match)
            return Published(declared or "", declared_iso, block)
    return Published(declared or "", declared_iso, None)
