"""The title: the heading that best matches the page's declared title, minus the site name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from crawler.extract.blocks import HEADING_TAGS, Block
from crawler.extract.dom import class_id, tag_of
from crawler.extract.metadata import Metadata
from crawler.extract.patterns import RELATED_HEADING, SITE_TITLE_SEPARATORS
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.dates import search_dates
from crawler.text.normalize import tokens

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
        cuts = list(SITE_TITLE_SEPARATORS.finditer(meta.title_tag))
        if len(cuts) > 1:
            # A headline may hold a separator itself (`Dare to Play 3 / October pack`):
            # the <title> without only its last or only its first part (the site name).
            variants.append(meta.title_tag[: cuts[-1].start()])
            variants.append(meta.title_tag[cuts[0].end():])
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


class _Bag(NamedTuple):
    counts: Counter[str]
    size: int


def _bag(words: list[str]) -> _Bag:
    return _Bag(Counter(words), len(words))


def _token_f1(reference: _Bag, candidate: _Bag) -> float:
    """normalize.token_f1 on texts tokenized once: every candidate meets every variant."""
    if not reference.size and not candidate.size:
        return 1.0
    if not reference.size or not candidate.size:
        return 0.0
    ref, cand = reference.counts, candidate.counts
    if ref.keys().isdisjoint(cand):
        return 0.0
    common = sum(min(count, ref[word]) for word, count in cand.items() if word in ref)
    precision, recall = common / candidate.size, common / reference.size
    return 2 * precision * recall / (precision + recall)


def _printed_verbatim(blocks: list[Block], variants: list[str]) -> Block | None:
    """A plain line of the page that is the declared title word for word: the title,
    however its element is called (`<p class="titulo">`, `<div class="name">`)."""
    wanted = {v.casefold() for v in variants}
    for block in blocks:
        if (
            block.image is None and block.chrome is None and not block.header
            and block.link_density <= T.link_min_density and block.text.casefold() in wanted
        ):
            return block
    return None


def find_title(blocks: list[Block], meta: Metadata, body_start: int | None) -> Title | None:
    """The printed title that matches the declared one; else the heading just above the body."""
    candidates = [b for b in blocks if _is_candidate(b)]
    variants = _title_variants(meta)
    bags = [_bag(tokens(v)) for v in variants]
    best: tuple[float, int, int] | None = None
    chosen: Block | None = None
    for block in candidates:
        words = _bag(tokens(block.text))
        score = max((_token_f1(bag, words) for bag in bags), default=0.0)
        if score < _MATCH:
            continue
        key = (round(score, 2), -_rank(block), -block.index)
        if best is None or key > best:
            best, chosen = key, block
    if chosen is None:
        chosen = _printed_verbatim(blocks, variants)
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
