"""The title: the heading that best matches the page's declared title, minus the site name."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from crawler.extract.blocks import HEADING_TAGS, Block
from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.literals import Literals
from crawler.extract.metadata import Metadata
from crawler.extract.patterns import SITE_TITLE_SEPARATORS, related_heading
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.dates import search_dates
from crawler.text.normalize import tokens

# Read on the class of most lines of a page: a matcher reads a string once, where a regex
# tries its branches at every position.
_TITLE_CLASS = Literals(
    ("title", "tieude", "tieu-de", "tieu_de", "headline", "heading", "tentin", "ten-tin")
)
_MATCH = 0.6
_BOX_HEADINGS = 3


@dataclass
class Title:
    text: str
    block: Block | None  # where the title is printed, when it is


def _title_variants(meta: Metadata) -> dict[str, list[str]]:
    """Declared titles, and the <title> split at its site-name separators, each once and
    with its words (a part is kept for its words, which the scores read again)."""
    found = {t: tokens(t) for t in (meta.headline, meta.og_title, meta.title_tag) if t}
    title = meta.title_tag
    if title:
        cuts = list(SITE_TITLE_SEPARATORS.finditer(title))
        if cuts:
            # The parts between the separators, as SITE_TITLE_SEPARATORS.split gives them.
            bounds = [0, *(at for cut in cuts for at in cut.span()), len(title)]
            for start, end in zip(bounds[::2], bounds[1::2], strict=True):
                part = title[start:end]
                if part not in found and (words := tokens(part)):
                    found[part] = words
        if len(cuts) > 1:
            # A headline may hold a separator itself (`Dare to Play 3 / October pack`):
            # the <title> without only its last or only its first part (the site name).
            for cut in (title[: cuts[-1].start()], title[cuts[0].end():]):
                if cut not in found:
                    found[cut] = tokens(cut)
    site = (meta.site_name or "").lower()
    return {v: words for v, words in found.items() if v.lower() != site}


def _strip_site(title: str, meta: Metadata) -> str:
    parts = SITE_TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_tokens = set(tokens(meta.site_name or ""))
    kept = [p for p in parts if not site_tokens or set(tokens(p)) - site_tokens]
    return max(kept or parts, key=len)


def _candidates(
    blocks: list[Block], body_start: int | None
) -> tuple[list[Block], set[tuple[str, str]]]:
    """The lines that may be the title: short text, neither a photo nor a list of links, a
    heading, a line named for a title or an emphasized one; neither a box's heading
    (_box_classes, returned too) nor a related list's (`Tin liên quan`), nor a footer or
    sidebar line below the article's start (_may_match)."""
    lines, headings = _styled_lines(blocks)
    boxes = _box_classes(headings)
    # The box and related-list tests on the few lines left: the pattern is the dearest test.
    candidates = [
        b for b in lines if _may_match(b, boxes, body_start) and not related_heading(b.text)
    ]
    return candidates, boxes


def _styled_lines(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """_candidates' tests on a line's own fields and class, and every heading of the page,
    met on the way (for _box_classes)."""
    link_limit = T.link_min_density
    found = []
    headings = []
    for block in blocks:
        heading = block.heading
        if heading:
            headings.append(block)
        text = block.text
        size = len(text)
        # The tests on the block's own fields first: they turn most lines away (links above
        # all) before a pattern or the element is looked at. Below 4 characters the link
        # density is not needed, so dividing by the size is the property's value.
        if block.image is not None or not 4 <= size <= 400:
            continue
        if block.link_chars / size > link_limit and not heading:
            continue
        # Unstyled text (no bold or italic characters) is not emphasized.
        emphasized = (block.bold_chars or block.italic_chars) and size <= 300 and block.emphasized
        if heading or emphasized or _title_classed(block.el):
            found.append(block)
    return found, headings


def _title_classed(el: Element) -> bool:
    """`_TITLE_CLASS.occurs_in(class_id(el))`. The class and id are two of the element's
    attribute values, the words are ASCII without spaces, and the ASCII letters lower-casing
    makes of a character do not depend on its neighbours: an element none of whose values
    holds one (most lines) is ruled out by one test on them all, without class_id's string."""
    values = el.values()
    return (
        bool(values) and _TITLE_CLASS.occurs_in(" ".join(values).lower())
        and _TITLE_CLASS.occurs_in(class_id(el))
    )


def _box_classes(headings: list[Block]) -> set[tuple[str, str]]:
    """Tag and class of the headings of a page's boxes: those of lists of other articles
    (`Tin mới nhất`, `Các tin khác`), and any worn by three plain headings (Liferay's
    `portlet-title-text`). A portal titles every module so, the one that holds the article
    too (`<h2 class="titlehead">Tin hoạt động</h2>`), and that is no article title."""
    counts: dict[tuple[str, str], int] = {}
    boxes: set[tuple[str, str]] = set()
    link_limit = T.link_min_density
    for b in headings:
        cls = (b.el.get("class") or "").strip()
        if not cls or b.link_density > link_limit:
            continue
        key = (tag_of(b.el), cls)
        counts[key] = counts.get(key, 0) + 1
        if related_heading(b.text):
            boxes.add(key)
    return boxes | {key for key, n in counts.items() if n >= _BOX_HEADINGS}


def _is_box(block: Block, boxes: set[tuple[str, str]]) -> bool:
    # Most pages have no box headings: then the element need not be read.
    return bool(boxes) and (tag_of(block.el), (block.el.get("class") or "").strip()) in boxes


def _may_match(block: Block, boxes: set[tuple[str, str]], body_start: int | None) -> bool:
    """A heading the declared title may point at: no box's heading, and no footer or
    sidebar line below the article's start (a footer repeats the site's name, often the
    <title>'s other half)."""
    below = body_start is not None and block.index > body_start
    return not (_is_box(block, boxes) or (below and block.chrome is not None))


_MARKS_KEPT = 8192


class _WithoutMarks(dict[int, int | None]):
    """A str.translate table that drops combining marks, filled as characters are met:
    Unicode's combining class is known per character only, and a site's alphabet is small.
    Past `_MARKS_KEPT` characters the rest are looked up each time."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < _MARKS_KEPT:
            self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def _unaccented(text: str) -> str:
    """Text without its Vietnamese diacritics, as old portals print their <title>."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return decomposed.translate(_WITHOUT_MARKS)


def _is_date_line(text: str) -> bool:
    """`Cập nhật: 23/11/2017 9:05 SA` is emphasized and short, but no title."""
    return any(len(m.text) >= 0.4 * len(text) for m in search_dates(text))


def _rank(block: Block) -> int:
    tag = tag_of(block.el)
    if tag in HEADING_TAGS:
        return int(tag[1])
    return 7 if _title_classed(block.el) else 8


class _Bag(NamedTuple):
    counts: dict[str, int]
    size: int


def _bag(words: Sequence[str]) -> _Bag:
    # Counted in a loop: Counter's constructor costs twice as much on a line's few words.
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return _Bag(counts, len(words))


def _token_f1(reference: _Bag, candidate: _Bag) -> float:
    """normalize.token_f1 on texts tokenized once: every candidate meets every variant."""
    if not reference.size and not candidate.size:
        return 1.0
    if not reference.size or not candidate.size:
        return 0.0
    ref, cand = reference.counts, candidate.counts
    if ref.keys().isdisjoint(cand):
        return 0.0
    common = 0
    for word, count in cand.items():
        if (other := ref.get(word)) is not None:
            common += min(count, other)
    precision, recall = common / candidate.size, common / reference.size
    return 2 * precision * recall / (precision + recall)


def _printed_verbatim(
    blocks: list[Block], variants: dict[str, list[str]], boxes: set[tuple[str, str]]
) -> Block | None:
    """A plain line of the page that is the declared title word for word: the title,
    however its element is called (`<p class="titulo">`, `<div class="name">`)."""
    wanted = {v.casefold() for v in variants}
    for block in blocks:
        if (
            block.image is None and block.chrome is None and not block.header
            and not _is_box(block, boxes)
            and block.link_density <= T.link_min_density and block.text.casefold() in wanted
        ):
            return block
    return None


def _under_image(blocks: list[Block], block: Block) -> bool:
    """The line right under a photo, in the photo's frame (one element, sibling elements,
    the next row of its table), is its caption, however bold or near the body."""
    above = blocks[block.index - 1] if block.index else None
    if above is None or above.image is None:
        return False
    photo, line = above.el, block.el
    return photo is line or any(
        a is not None and a is b for a, b in zip(_parents(photo), _parents(line), strict=True)
    )


def _parents(el: Element) -> tuple[Element | None, Element | None]:
    parent = el.getparent()
    return parent, parent.getparent() if parent is not None else None


def find_title(blocks: list[Block], meta: Metadata, body_start: int | None) -> Title | None:
    """The printed title that matches the declared one; else the heading just above the body."""
    candidates, boxes = _candidates(blocks, body_start)
    variants = _title_variants(meta)
    # The score depends on a variant's words only: repeats (headline = og:title) add nothing.
    distinct = dict.fromkeys((tuple(words), v.isascii()) for v, words in variants.items())
    bags = [(_bag(words), ascii_) for words, ascii_ in distinct]
    any_ascii = any(ascii_ for _, ascii_ in bags)
    vocabulary = {word for bag, _ in bags for word in bag.counts}
    best: tuple[float, int, int] | None = None
    chosen: Block | None = None
    for block in candidates:
        text = block.text
        words = tokens(text)
        # An ASCII <title> is the heading stripped of its accents: compare it so (an ASCII
        # heading has none to strip).
        plain = tokens(_unaccented(text)) if any_ascii and not text.isascii() else words
        # A line with words but none of any variant's scores 0 against each: most lines.
        if words and plain and vocabulary.isdisjoint(words) and vocabulary.isdisjoint(plain):
            continue
        word_bag = _bag(words)
        plain_bag = word_bag if plain is words else _bag(plain)
        score = max(
            (_token_f1(bag, plain_bag if ascii_ else word_bag) for bag, ascii_ in bags),
            default=0.0,
        )
        if score < _MATCH:
            continue
        key = (round(score, 2), -_rank(block), -block.index)
        if best is None or key > best:
            best, chosen = key, block
    if chosen is None:
        chosen = _printed_verbatim(blocks, variants, boxes)
    if chosen is not None:
        return Title(chosen.text, chosen)
    # No heading matches: a generic <title> (the site name on every page) is common on old
    # portals, so the heading nearest above the main text is the better guess.
    if body_start is not None:
        above = [
            b for b in candidates
            if b.index <= body_start and b.chrome is None and not b.header
            and len(tokens(b.text)) >= 4 and not _is_date_line(b.text)
            and not _under_image(blocks, b)
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
