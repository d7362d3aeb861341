"""The title: the heading that best matches the page's declared title, minus the site name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extract.blocks import HEADING_TAGS, Block
from crawler.extract.dom import class_id, tag_of
from crawler.extract.metadata import Metadata
from crawler.extract.patterns import RELATED_HEADING, SITE_TITLE_SEPARATORS
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.dates import search_dates
from crawler.text.normalize import token_f1, tokens

_TITLE_CLASS = re.compile(r"title|tieude|tieu-de|tieu_de|headline|heading|tentin|ten-tin")
_MATCH = 0.6


@dataclass
class Title:
    text: str
    block: Block | None  # where the title is printed, when it is


def _title_variants(meta: Metadata) -> list[str]:
    """Declared titles, and the <title> split at its site-name separators."""
    variants = [t for t in (meta.headline, meta.og_title) if t]
    if meta.title_tag:
        variants.append(meta.title_tag)
        parts = SITE_TITLE_SEPARATORS.split(meta.title_tag)
        if len(parts) > 1:
            variants.extend(p for p in parts if tokens(p))
    site = (meta.site_name or "").lower()
    return [v for v in variants if v.lower() != site]


def _strip_site(title: str, meta: Metadata) -> str:
    parts = SITE_TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_tokens = set(tokens(meta.site_name or ""))
    kept = [p for p in parts if not site_tokens or set(tokens(p)) - site_tokens]
    return max(kept or parts, key=len)


def _is_candidate(block: Block) -> bool:
    if block.image is not None or (block.link_density > T.link_min_density and not block.heading):
        return False
    size = len(block.text)
    if not 4 <= size <= 400 or RELATED_HEADING.match(block.text):
        return False
    return block.heading or bool(_TITLE_CLASS.search(class_id(block.el))) or (
        block.emphasized and size <= 300
    )


def _is_date_line(text: str) -> bool:
    """`Cập nhật: 23/11/2017 9:05 SA` is emphasized and short, but no title."""
    return any(len(m.text) >= 0.4 * len(text) for m in search_dates(text))


def _rank(block: Block) -> int:
    tag = tag_of(block.el)
    if tag in HEADING_TAGS:
        return int(tag[1])
    return 7 if _TITLE_CLASS.search(class_id(block.el)) else 8


def find_title(blocks: list[Block], meta: Metadata, body_start: int | None) -> Title | None:
    """The printed title that matches the declared one; else the heading just above the body."""
    candidates = [b for b in blocks if _is_candidate(b)]
    variants = _title_variants(meta)
    best: tuple[float, int, int] | None = None
    chosen: Block | None = None
    for block in candidates:
        score = max((token_f1(v, block.text) for v in variants), default=0.0)
        if score < _MATCH:
            continue
        key = (round(score, 2), -_rank(block), -block.index)
        if best is None or key > best:
            best, chosen = key, block
    if chosen is not None:
        return Title(chosen.text, chosen)
    # No heading matches: a generic <title> (the site name on every page) is common on old
    # portals, so the heading nearest above the main text is the better guess.
    if body_start is not None:
        above = [
            b for b in candidates
            if b.index <= body_start and b.chrome is None and not b.header
            and len(tokens(b.text)) >= 4 and not _is_date_line(b.text)
        ]
        if above:
            # A sentence ending in a period is the sapo, not the headline above it.
            nearest = max(above, key=lambda b: (
                not b.text.endswith("."), b.index - 3 * (_rank(b) > 6), -_rank(b)
            ))
            return Title(nearest.text, nearest)
    declared = meta.headline or meta.og_title or meta.title_tag
    if declared:
        return Title(_strip_site(declared, meta), None)
    return None
