"""Which date string on the page is the publish date."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extract.blocks import Block
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.dates import DateMatch, normalize_date, search_dates

# A publish date sits on a short meta line (date, maybe a label, category, view count), never
# inside a sentence: the event date that opens a lead (`Chiều 31/3/2021, ...`) is prose.
_META_LINE_EXTRA = 100
_SCAN_MAX = 240
# A top bar's today-line is separated from the title by the site menu.
_MENU_LINKS = 5
_NO_TIME_PENALTY = 300
_BEFORE_TITLE_FACTOR = 2


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
    linked = block.link_density > T.link_min_density and len(block.text) > 30
    return block.link_chars >= 20 or linked


def _is_event_date(block: Block, match: DateMatch) -> bool:
    after = block.text[match.end:match.end + 2]
    return bool(match.part_of_day) and not match.has_time and after.startswith(",")


def _menu_between(blocks: list[Block], first: int, last: int) -> bool:
    between = blocks[first + 1:last]
    links = sum(1 for b in between if b.text and b.link_density > T.menu_line_min_link_density)
    return links >= _MENU_LINKS


def printed_dates(
    blocks: list[Block], anchor: Block | None, excluded: set[int], context_year: int | None
) -> list[tuple[float, Block, DateMatch]]:
    """Date strings on meta lines, best first, scored by distance to the title."""
    found: list[tuple[float, Block, DateMatch]] = []
    for block in blocks:
        text = block.text
        if (
            not text or len(text) > _SCAN_MAX or block.header or block.index in excluded
            or not any(c.isdigit() for c in text) or _headline_links(block)
        ):
            continue
        for match in search_dates(text, context_year=context_year):
            if len(text) - len(match.text) > _META_LINE_EXTRA or _is_event_date(block, match):
                continue
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
            found.append((max(distance, 0.0), block, match))
    found.sort(key=lambda item: item[0])
    return found


def choose_published(
    printed: list[tuple[float, Block, DateMatch]], declared: str | None
) -> Published | None:
    """The printed date unless the page's metadata is more precise or disagrees on the day."""
    declared_iso = normalize_date(declared) if declared else None
    if declared_iso is None:
        if printed:
            _, block, match = printed[0]
            return Published(as_printed(match), match.iso, block)
        return None
    for _, block, match in printed:
        if match.iso[:10] == declared_iso[:10]:
            if match.has_time or len(declared_iso) == 10:
                return Published(as_printed(match), match.iso, block)
            return Published(declared or "", declared_iso, block)
    return Published(declared or "", declared_iso, None)
