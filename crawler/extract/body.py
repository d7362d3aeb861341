"""The main text: the densest block of prose, cleared of chrome, captions and related lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from crawler.extract.blocks import HEADING_TAGS, Block, image_src
from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.literals import Literals
from crawler.extract.patterns import (
    CHROME_LINE,
    CHROME_LINE_MAX,
    RELATED_HEADING_MAX,
    is_chrome_class,
    is_content_class,
    literal_alternation,
    related_heading,
)
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.extract.walk import Spans
from crawler.text.normalize import token_f1, tokens

_UNSEEN: Any = object()  # not in a memo yet
_V = TypeVar("_V")
_CONTAINER_TAGS = frozenset(
    ("div", "td", "article", "section", "main", "body", "form", "table", "blockquote", "center")
)
# Words of a class or id (lower-cased), by the Aho-Corasick matcher like the other class
# words: one pass over the string instead of a regex branch tried at every position.
_CAPTION_CLASS = Literals((
    "caption", "chuthich", "chu-thich", "chu_thich", "figcaption", "img-desc", "image-desc",
    "imgdesc", "photo-desc", "desc-img", "expnote", "figdesc", "fig-desc", "hinh-anh-mo-ta",
))
_LEAD_CLASS = Literals((
    "sapo", "lead", "summary", "tomtat", "tom-tat", "tom_tat", "mota", "mo-ta", "intro",
    "chapeau", "abstract", "teaser", "trichyeu", "trich-yeu", "description", "shortdesc",
    "short-desc", "newsdesc", "news-desc", "subtitle", "sub-title", "dauvao",
))
_CAPTION_MAX = 300
_TOOL_SEPARATOR = re.compile(r"\s*[|·•]\s*")
_LEAD_MIN, _LEAD_MAX = 40, 1200
# Body parts beside the container: how far up a repeated section is looked for, and how
# much a part may be linked; a sibling paragraph is at most a paragraph and its caption.
_TWIN_LEVELS = 4
_PART_MAX_LINK_DENSITY = 0.25
_PARAGRAPH_MIN_CHARS = 80
_PARAGRAPH_MAX_BLOCKS = 2
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "»")
_DATE_LINE_MAX = 100
# A teaser: a headline-sized link, maybe a short line (its date), a short plain summary.
_HEADLINE_MIN, _HEADLINE_MAX = 10, 200
_TEASER_GAP_MAX = 40
_TEASER_RUN = 3
# Prose long enough to count as a paragraph of its own.
_FREE_PROSE_MIN = 60
_DIGIT = re.compile(r"\d")
_CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")
# A paragraph this close to the lead (token F1) repeats it.
_REPEAT_F1 = 0.95
_ICON_WORDS = (
    "icon", "logo", "spacer", "blank.", "pixel", "loading", "print", "email", "facebook", "zalo",
    "twitter", "share", "button", "arrow", "bullet",
)
_ICON_SRC = re.compile(literal_alternation(_ICON_WORDS), re.I)
# For an ASCII name (nearly all), lower-casing it once and looking for the words finds the
# same, several times faster than re.I.
_ICON_WORDS_IN = Literals(_ICON_WORDS)


@dataclass
class Body:
    container: Element | None = None
    lead: Block | None = None
    paragraphs: list[Block] = field(default_factory=list)  # without the lead
    captions: list[Block] = field(default_factory=list)
    images: list[tuple[Element, str | None]] = field(default_factory=list)
    # Which rule found the lead and each caption (by block index), for `--explain`.
    lead_rule: str | None = None
    caption_rules: dict[int, str] = field(default_factory=dict)


class Lead(NamedTuple):
    block: Block
    rule: str


class ContainerScore(NamedTuple):
    """An element that holds prose, as find_container weighs it."""

    el: Element
    prose: float  # its paragraphs' scores (commas, length), less for each level up
    chars: int
    link_density: float  # of all its text
    weight: float  # of its class: 0.3 chrome-like, 1.4 content-like, else 1
    score: float  # prose * (1 - link density) * weight


def _is_dateline(text: str) -> bool:
    """A short line stamped with a clock time or a numeric date, not a sentence: the
    dateline or byline printed above a body (`Updated 11:21 pm CST, Tuesday, ...`,
    `05/10/2018 - Publicado por: ...`), in any language."""
    if len(text) > _DATE_LINE_MAX or text.endswith(_SENTENCE_END):
        return False
    # Both patterns need a digit: most lines have none, and are ruled out in one scan.
    return bool(_DIGIT.search(text)) and bool(_CLOCK.search(text) or _NUMERIC_DATE.search(text))


def _is_lead_sized(block: Block, *, plain: bool = True) -> bool:
    """Long enough and short enough for a sapo; `plain`: with (almost) no links."""
    sized = _LEAD_MIN <= len(block.text) <= _LEAD_MAX and not _is_dateline(block.text)
    return sized and (not plain or block.link_density < T.lead_max_link_density)


def _block_score(block: Block) -> float:
    commas = min(block.text.count(","), 6)
    return 1.0 + 0.5 * commas + min(len(block.text) / 100, 3.0)


# Whether a tag (lxml's own value: a name, or a function for comments) is a container's
# once lower-cased, as tag_of does: a page holds a few dozen tags, each looked up here
# instead of being tested again for each element that carries it.
_CONTAINER_TAG: dict[object, bool] = {}
_TAG_MEMO_MAX = 512


def _is_container(el: Element) -> bool:
    tag = el.tag
    known = _CONTAINER_TAG.get(tag)
    if known is None:
        known = tag_of(el) in _CONTAINER_TAGS
        if len(_CONTAINER_TAG) < _TAG_MEMO_MAX:
            _CONTAINER_TAG[tag] = known
    return known


def _container_of(el: Element | None, memo: dict[Element, Element | None]) -> Element | None:
    """The nearest element at or above `el` with a container tag; `memo` keeps the answer
    for every element climbed through, so that each element of the page is climbed once."""
    return None if el is None else _recall(el, memo, _is_container)


class _Climb(NamedTuple):
    """What find_container's two passes learn of the page's elements, kept for both."""

    lifted: dict[Element, Element | None]  # _container_of's memo
    outer: dict[Element, Element | None]  # the container above each container


def find_container(blocks: list[Block], spans: Spans) -> Element | None:
    """The element whose paragraphs carry the most prose and the fewest links (`spans`:
    the walk's, for the blocks)."""
    candidates = container_candidates(blocks, spans)
    return max(candidates, key=_final).el if candidates else None


def _final(candidate: ContainerScore) -> float:
    return candidate.score


def container_candidates(blocks: list[Block], spans: Spans) -> list[ContainerScore]:
    """The elements find_container chooses among, with a positive score, in the order
    their first paragraph votes. Prose inside menus, sidebars and footers does not vote,
    unless nothing else is there."""
    climb = _Climb({}, {})
    for skip_chrome in (True, False):
        scored = [
            c for c in _scored(blocks, spans, climb, skip_chrome=skip_chrome) if c.score > 0
        ]
        if scored:
            return scored
    return []


def _scored(
    blocks: list[Block], spans: Spans, climb: _Climb, *, skip_chrome: bool
) -> list[ContainerScore]:
    scores: dict[Element, float] = {}
    lifted = climb.lifted
    min_chars, max_density = T.min_paragraph_chars, T.prose_max_link_density
    # Runs of paragraphs share their container, and so the elements they vote for.
    voted: Element | None = _UNSEEN
    chain: list[Element] = []
    for block in blocks:
        # Chrome first: most blocks of a page are, and stop there. Block.link_density
        # spelt out: the text is not empty once it is long enough.
        if (skip_chrome and block.chrome is not None) or block.header:
            continue
        text = block.text
        if len(text) < min_chars or block.link_chars / len(text) > max_density:
            continue
        el = block.el
        start = lifted.get(el, _UNSEEN)
        if start is _UNSEEN:
            # Mostly a paragraph whose parent is known already (a sibling voted): the
            # parent's container is the paragraph's, unless the paragraph is one itself.
            parent = el.getparent()
            start = _UNSEEN if parent is None else lifted.get(parent, _UNSEEN)
            if start is _UNSEEN or _is_container(el):
                start = _container_of(el, lifted)
            else:
                lifted[el] = start
        if start is not voted:
            voted, chain = start, _voted_for(start, climb)
        score = _block_score(block)
        for el, share in zip(chain, _LEVEL_SHARES, strict=False):
            scores[el] = scores.get(el, 0.0) + score / share
    scored = []
    for el, score in scores.items():
        weight = _class_weight(class_id(el))
        # _size's common case spelt out: a container has a span of its own.
        span = spans.of(el)
        size, links = (span[2], span[3]) if span is not None else _size(el, spans)
        density = links / size if size else 0.0
        final = score * (1 - density) * weight
        scored.append(ContainerScore(el, score, size, density, weight, final))
    return scored


# A paragraph's score goes whole to its container, halved to the container above, a third
# to the one above that.
_LEVEL_SHARES = (1, 2, 3)


def _voted_for(start: Element | None, climb: _Climb) -> list[Element]:
    """The container `start` and the containers above it, three at most."""
    chain = []
    while start is not None and len(chain) < len(_LEVEL_SHARES):
        chain.append(start)
        up = climb.outer.get(start, _UNSEEN)
        if up is _UNSEEN:
            up = _container_of(start.getparent(), climb.lifted)
            climb.outer[start] = up
        start = up
    return chain


@lru_cache(maxsize=4096)
def _class_weight(attrs: str) -> float:
    """0.3 chrome-like, 1.4 content-like, else 1; templates repeat their classes."""
    if is_chrome_class(attrs):
        return 0.3
    if is_content_class(attrs):
        return 1.4
    return 1.0


def _size(el: Element, spans: Spans) -> tuple[int, int]:
    """Characters and linked characters of the text of the blocks under `el`."""
    runs = _runs(el, spans)
    if len(runs) == 1:
        return runs[0][2], runs[0][3]
    return sum(run[2] for run in runs), sum(run[3] for run in runs)


def _runs(el: Element, spans: Spans) -> list[tuple[int, int, int, int]]:
    """The spans (first, end, chars, link_chars) of the runs of blocks whose `el` is `el` or
    inside it, in page order: the element's own span; for an element without one (not
    block-level, as a `<span>` a site selector names, or above the walked body), those of
    the outermost elements inside it that have one."""
    span = spans.of(el)
    if span is not None:
        return [span]
    runs = []
    end = 0
    for node in el.iterdescendants():
        span = spans.of(node)
        # Spans nest, and come in page order: one that starts before the last run's end
        # is inside that run's element.
        if span is not None and span[0] >= end:
            runs.append(span)
            end = span[1]
    return runs


def _held(el: Element, spans: Spans, blocks: list[Block]) -> list[Block]:
    """The blocks whose `el` is `el` or inside it, in page order."""
    runs = _runs(el, spans)
    if len(runs) == 1:
        return blocks[runs[0][0]:runs[0][1]]
    return [block for run in runs for block in blocks[run[0]:run[1]]]


def _recall(
    el: Element, memo: dict[Element, _V], own: Callable[[Element], bool] | None = None
) -> _V | None:
    """What `memo` says of `el`, else of the nearest of its ancestors it knows (else None),
    or, with `own`, the first element on the way that `own` accepts; `memo` then says it
    of every element climbed through too. Seeded with a few elements, it answers "which of
    them is `el` in?" for all the blocks of a page, each element climbed through once."""
    path = []
    node: Element | None = el
    found = None
    while node is not None:
        known = memo.get(node, _UNSEEN)
        if known is not _UNSEEN:
            found = known
            break
        path.append(node)
        if own is not None and own(node):
            found = node
            break
        node = node.getparent()
    for seen in path:
        memo[seen] = found
    return found


def is_chrome_line(text: str) -> bool:
    """A tool bar line: every `|`-separated part is chrome (`In trang | Gửi email`)."""
    if len(text) > CHROME_LINE_MAX:
        return False
    if "|" not in text and "·" not in text and "•" not in text:
        # No separator: the split would give the text alone (nothing for an empty text).
        return not text or bool(CHROME_LINE.match(text))
    return all(CHROME_LINE.match(part) for part in _TOOL_SEPARATOR.split(text) if part)


def is_related_heading(text: str) -> bool:
    return len(text) <= RELATED_HEADING_MAX and related_heading(text) is not None


def _has_class_or_id(el: Element) -> bool:
    """Most elements have neither, and then no class pattern (all letters) can match."""
    return bool(el.get("class") or el.get("id"))


def _is_caption(el: Element) -> bool:
    """A figcaption, or classed (or named by its id) as a caption."""
    # Most elements have neither attribute, and no class word can match then; class_id's
    # string is spelt out from the attributes read here.
    cls, ident = el.get("class"), el.get("id")
    if (cls or ident) and _CAPTION_CLASS.occurs_in(f"{cls or ''} {ident or ''}".lower()):
        return True
    return tag_of(el) == "figcaption"


def _caption_context(block: Block, container: Element, marks: dict[Element, bool]) -> bool:
    """In a caption element within four levels; `marks` remembers each element's verdict
    (the paragraphs of one box share their ancestors)."""
    el = block.el
    for _ in range(4):
        if el is None or el is container:
            return False
        marked = marks.get(el)
        if marked is None:
            marked = _is_caption(el)
            marks[el] = marked
        if marked:
            return True
        el = el.getparent()
    return False


def _shares_frame(image: Block, block: Block, container: Element) -> bool:
    """Image and text in one figure, one image table or one paragraph."""
    if image.el is block.el:
        return True
    frames = set()
    el = image.el
    for _ in range(4):
        if el is None or el is container:
            break
        if tag_of(el) in ("figure", "table"):
            frames.add(el)
        el = el.getparent()
    el = block.el
    for _ in range(4):
        if el is None or el is container:
            break
        if el in frames:
            return True
        el = el.getparent()
    return False


def _caption_rule(
    block: Block, previous: Block | None, container: Element, marks: dict[Element, bool]
) -> str | None:
    """Why the block is a caption, or None when it is not one."""
    if len(block.text) > _CAPTION_MAX:
        return None
    if _caption_context(block, container, marks):
        return "in a caption element (figcaption, class caption/chuthich...)"
    if previous is None or previous.image is None:
        return None
    if block.emphasized or block.centered or _shares_frame(previous, block, container):
        return "under an image: bold, italic, centred or in its frame"
    return None


def _usable_image(img: Element) -> bool:
    name = (image_src(img) or "").rsplit("/", 1)[-1]
    icon = _ICON_WORDS_IN.occurs_in(name.lower()) if name.isascii() else _ICON_SRC.search(name)
    if icon:
        return False
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 50:
            return False
    return True


def _is_prose(block: Block) -> bool:
    return (
        len(block.text) >= T.min_paragraph_chars
        and block.link_density < T.prose_max_link_density and not block.heading
    )


def _is_linked_heading(block: Block) -> bool:
    """A heading that links: another article's headline."""
    return block.heading and block.link_density > T.link_min_density


def _part_blocks(
    el: Element, blocks: list[Block], spans: Spans, around: set[Element]
) -> list[Block]:
    """The blocks with text under `el`, less those in chrome other than one `around` (the
    container and its ancestors): chrome inside a part is the part's own."""
    return [
        block for block in _held(el, spans, blocks)
        if block.text and (block.chrome is None or block.chrome in around)
    ]


def _is_body_part(el: Element, blocks: list[Block], spans: Spans, around: set[Element]) -> bool:
    """Low-linked prose, no other article's headline."""
    held = _part_blocks(el, blocks, spans, around)
    if not any(map(_is_prose, held)) or any(map(_is_linked_heading, held)):
        return False
    return sum(b.link_chars for b in held) < _PART_MAX_LINK_DENSITY * sum(len(b.text) for b in held)


def _is_paragraph(el: Element, blocks: list[Block], spans: Spans, around: set[Element]) -> bool:
    """A sibling of the container that reads as one more paragraph of it (readability's
    rule): prose of its own, or a short plain sentence."""
    if tag_of(el) in HEADING_TAGS:
        return False
    held = _part_blocks(el, blocks, spans, around)
    if len(held) > _PARAGRAPH_MAX_BLOCKS or any(map(_is_linked_heading, held)):
        return False
    chars = sum(len(b.text) for b in held)
    links = sum(b.link_chars for b in held)
    if chars >= _PARAGRAPH_MIN_CHARS:
        return links < _PART_MAX_LINK_DENSITY * chars
    return chars > 0 and not links and _read_last(held, spans).text.endswith(_SENTENCE_END)


def _read_last(held: list[Block], spans: Spans) -> Block:
    """Of blocks in page order, the one read last when they are read element by element
    (the elements in document order, each one's own blocks in turn), as body parts have
    always been read: a later block is read later, unless its element holds the other's
    (text after a nested paragraph belongs to an element that opens before the
    paragraph's)."""
    last = held[0]
    for block in held[1:]:
        # The block's element holds the last one read iff its run starts at or before it.
        if block.el is last.el or spans.of(block.el)[0] > last.index:
            last = block
    return last


def _twins(anc: Element) -> list[Element]:
    """Siblings of `anc` with its tag and class, those before it then those after it, the
    nearest first: one template repeated, as a body cut into sections around a quote, an
    image or an ad."""
    cls = (anc.get("class") or "").strip()
    if not cls:
        return []
    # Stepping from sibling to sibling: an element has one or two, cheaper to reach so
    # than through two iterators (tag-filtered ones cost even more to set up).
    twins = []
    for following in (False, True):
        sibling = anc.getnext() if following else anc.getprevious()
        while sibling is not None:
            if sibling.tag == anc.tag and (sibling.get("class") or "").strip() == cls:
                twins.append(sibling)
            sibling = sibling.getnext() if following else sibling.getprevious()
    return twins


def body_parts(blocks: list[Block], spans: Spans, container: Element) -> list[Element]:
    """The container and the other pieces of the same body beside it: sibling paragraphs
    (a body printed as a run of `<div>`s around the densest one) and twins of the
    container or of one of its near ancestors (sections of one template)."""
    return _parts(blocks, spans, container, {container, *container.iterancestors()})


def _parts(
    blocks: list[Block], spans: Spans, container: Element, around: set[Element]
) -> list[Element]:
    """body_parts; `around`: the container and its ancestors."""
    parts = [container]
    for sibling in (*container.itersiblings(preceding=True), *container.itersiblings()):
        if isinstance(sibling.tag, str) and _is_paragraph(sibling, blocks, spans, around):
            parts.append(sibling)
    anc: Element | None = container
    for _ in range(_TWIN_LEVELS + 1):
        if anc is None or tag_of(anc) in ("body", "html"):
            break
        twins = [t for t in _twins(anc) if _is_body_part(t, blocks, spans, around)]
        if twins:
            parts.extend(twins)
            break
        anc = anc.getparent()
    return parts


def _is_headline_link(block: Block) -> bool:
    return (
        block.link_density > T.teaser_min_link_density
        and _HEADLINE_MIN <= len(block.text) <= _HEADLINE_MAX
    )


def _is_summary(block: Block) -> bool:
    size = len(block.text)
    return not block.link_chars and not block.heading and _LEAD_MIN <= size <= _CAPTION_MAX


def _teaser_at(texts: list[Block], i: int) -> int:
    """Blocks taken by a teaser at `i` (a linked headline, perhaps a short line such as
    its date, then a short plain summary), else 0."""
    if not _is_headline_link(texts[i]):
        return 0
    for gap in (1, 2):
        j = i + gap
        if j >= len(texts) or (gap == 2 and len(texts[i + 1].text) > _TEASER_GAP_MAX):
            return 0
        if _is_summary(texts[j]):
            return gap + 1
    return 0


def _teaser_runs(blocks: list[Block]) -> set[int]:
    """Indices of a list of other articles printed inside the body: at least three
    teasers in a row, each a linked headline with its summary (the headlines, linked,
    drop anyway); also a heading just above such a list, whatever it says."""
    texts = [b for b in blocks if b.image is None and b.text]
    # A run takes _TEASER_RUN * 2 blocks or more, in teasers of three blocks at most that
    # each open with a headline link: a body with fewer such links (most) holds no run.
    headlines = 0
    for block in texts:
        if block.link_chars and _is_headline_link(block):
            headlines += 1
    if headlines * 3 < _TEASER_RUN * 2:
        return set()
    dropped: set[int] = set()
    i = 0
    while i < len(texts):
        run_start, taken = i, []
        while i < len(texts) and (size := _teaser_at(texts, i)):
            taken.extend(texts[i:i + size])
            i += size
        if len(taken) >= _TEASER_RUN * 2:
            dropped.update(b.index for b in taken)
            above = texts[run_start - 1] if run_start else None
            if above is not None and above.heading:
                dropped.add(above.index)
        i = i if taken else i + 1
    return dropped


def _body_blocks(blocks: list[Block], spans: Spans, container: Element) -> list[Block]:
    """The blocks under the body's parts, in page order, less those in a part's own chrome:
    chrome inside a part, other than the container itself."""
    around = {container, *container.iterancestors()}
    # The parts are the container, its siblings and siblings of its ancestors: any two
    # are one element or hold no element in common, and so are their runs of blocks.
    runs = sorted(
        {run[:2] for part in _parts(blocks, spans, container, around) for run in _runs(part, spans)}
    )
    # A block's chrome is around its text, as its element is: one inside a part is the
    # part's own (dropped); one outside is the container or one of its ancestors (kept).
    return [
        b for first, end in runs for b in blocks[first:end]
        if b.chrome is None or b.chrome in around
    ]


def container_blocks(blocks: list[Block], spans: Spans, container: Element) -> list[Block]:
    """The container's blocks (and those of the other parts of its body) up to its
    related-articles list, without chrome or teasers of other articles."""
    inside = _body_blocks(blocks, spans, container)
    teasers = _teaser_runs(inside)
    kept: list[Block] = []
    seen_prose = False
    if teasers:
        inside = [b for b in inside if b.index not in teasers]
    max_density, min_chars = T.teaser_min_link_density, T.min_paragraph_chars
    for block in inside:
        if block.image is not None:
            kept.append(block)
            continue
        # Each test's own length bound first: most lines are longer (Block.link_density
        # spelt out).
        text = block.text
        if seen_prose and len(text) <= RELATED_HEADING_MAX and is_related_heading(text):
            break
        if (text and block.link_chars / len(text) > max_density) or (
            len(text) <= CHROME_LINE_MAX and is_chrome_line(text)
        ):
            continue
        seen_prose = seen_prose or len(text) >= min_chars
        kept.append(block)
    return kept


class Listing(NamedTuple):
    """The shape of a list of articles in the container."""

    teasers: int  # linked headlines: lines all link, or opening with a headline-sized link
    free_prose: int  # paragraphs of prose that follow no teaser (are no teaser's summary)


def _is_teaser(block: Block) -> bool:
    return block.link_chars >= T.min_paragraph_chars and (
        block.link_density > T.teaser_min_link_density
        or block.lead_link_chars >= T.min_paragraph_chars
    )


def _item(el: Element, container: Element, others: list[set[Element]]) -> Element:
    """The widest element around a teaser's headline that holds no other teaser (`others`:
    the ancestors of each): the list item its date and summary share with it."""
    item = el
    for anc in el.iterancestors():
        if anc is container or any(anc in o for o in others):
            break
        item = anc
    return item


def listing_shape(blocks: list[Block], spans: Spans, container: Element | None) -> Listing:
    """Teasers of the container, up to a related-articles heading, and the paragraphs of
    prose outside every teaser's item (a summary shares its headline's item; an article's
    paragraph between two inline `read also` links does not)."""
    if container is None:
        return Listing(0, 0)
    # A block's chrome is around its text, as its element is: inside the container unless
    # it is one of the container's ancestors.
    above = set(container.iterancestors())
    teasers: list[Block] = []
    prose: list[Block] = []  # no teaser, and long and plain enough to count as free
    min_chars, max_density = T.min_paragraph_chars, T.prose_max_link_density
    for b in _held(container, spans, blocks):
        text = b.text
        if not text or (b.chrome is not None and b.chrome not in above):
            continue
        if len(text) <= RELATED_HEADING_MAX and is_related_heading(text):
            break
        # _is_teaser's first test here: most blocks link less (and Block.link_density
        # spelt out, for a text that is not empty).
        if b.link_chars >= min_chars and _is_teaser(b):
            teasers.append(b)
        elif len(text) >= _FREE_PROSE_MIN and b.link_chars / len(text) < max_density:
            prose.append(b)
    above = [set(t.el.iterancestors()) for t in teasers]
    items: set[Element] = set()
    for i, teaser in enumerate(teasers):
        neighbours = [above[j] for j in range(max(i - 1, 0), min(i + 2, len(teasers))) if j != i]
        items.add(_item(teaser.el, container, neighbours))
    in_item = dict.fromkeys(items, True)
    free = sum(1 for b in prose if not _recall(b.el, in_item)) if items else len(prose)
    return Listing(len(teasers), free)


def _lead_class(block: Block, limit: Element | None, marks: dict[Element, bool]) -> bool:
    """Classed as a sapo within four levels; `marks` remembers each element's verdict."""
    el = block.el
    for _ in range(4):
        if el is None or el is limit:
            return False
        marked = marks.get(el)
        if marked is None:
            attrs = class_id(el) if _has_class_or_id(el) else ""
            marked = bool(attrs) and _LEAD_CLASS.occurs_in(attrs) and not is_chrome_class(attrs)
            marks[el] = marked
        if marked:
            return True
        el = el.getparent()
    return False


def find_lead(
    blocks: list[Block],
    title: Block | None,
    first: Block | None,
    container: Element | None,
    skip: set[int],
) -> Lead | None:
    """A sapo marked by its class near the title, else a bold first paragraph, else a
    plain block of prose between the title and the body."""
    low = title.index + 1 if title is not None else 0
    high = first.index + 3 if first is not None else low + 12
    marks: dict[Element, bool] = {}
    for block in blocks[low:high]:
        if (
            _is_lead_sized(block)
            and block.chrome is None and _lead_class(block, container, marks)
        ):
            return Lead(block, "classed as a sapo (sapo, lead, summary...) near the title")
    if first is not None and first.emphasized and _is_lead_sized(first, plain=False):
        return Lead(first, "the body's first paragraph, all bold or italic")
    # A prose block of its own between the title and the body, whatever its class is called.
    if title is not None and first is not None:
        previous: Block | None = None
        for block in blocks[title.index + 1:first.index]:
            if (
                _is_lead_sized(block)
                and block.chrome is None and not block.header and len(block.text.split()) >= 8
                and (previous is None or previous.image is None) and block.index not in skip
                and not is_chrome_line(block.text)
            ):
                return Lead(block, "a block of prose of its own between the title and the body")
            previous = block
    return None


def _featured_image(
    blocks: list[Block],
    title: Block | None,
    inside: list[Block],
    container: Element,
    marks: dict[Element, bool],
) -> tuple[Block, Block] | None:
    """A captioned image between the title and the body container (WordPress themes'
    featured image): the article's own photo, though outside the body. Its caption may
    repeat the title word for word. Uncaptioned images there are banners or avatars as
    often: the caption must be in a caption element beside the image, in one box."""
    if title is None or not inside or inside[0].index <= title.index:
        return None
    between = blocks[title.index + 1:inside[0].index]
    for i, block in enumerate(between[:-1]):
        if block.image is None or block.chrome is not None or block.header:
            continue
        caption = between[i + 1]
        if (
            _usable_image(block.image) and caption.image is None
            and len(caption.text) <= _CAPTION_MAX and _caption_context(caption, container, marks)
            and caption.el.getparent() in block.image.iterancestors()
        ):
            return block, caption
    return None


class _Echo:
    """Tells the paragraphs that repeat a lead (token F1 of 0.95 or more) without comparing
    the words of most. For n lead tokens, m text tokens and c in common, F1 = 2c / (n + m):
    at most 2 * min(n, m) / (n + m), so counts far apart rule a text out; and as c <= m,
    at most 2c / (n + c), below 0.95 once more than 2n / 21 of the lead's tokens are
    missing, which a text shows without tokenizing: a word that is not even a substring
    of its lower-cased text is none of its tokens."""

    def __init__(self, lead: str) -> None:
        self.lead = lead
        words = tokens(lead)
        self.size = len(words)
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        # Longest first: the least likely to turn up in an unrelated paragraph.
        self.counts = sorted(counts.items(), key=lambda item: -len(item[0]))

    def repeated_in(self, text: str) -> bool:
        size = self.size
        lowered = text.lower()
        # Tokens are runs of word characters apart: at most (c + 1) // 2 in c characters;
        # the bound rises with the count up to the lead's.
        most = (len(lowered) + 1) // 2
        if most < size and _f1_bound_below(size, most):
            return False
        missing = 0
        for word, count in self.counts:
            if word not in lowered:
                missing += count
                if 21 * missing > 2 * size:
                    return False
        if _f1_bound_below(size, len(tokens(text))):
            return False
        return token_f1(self.lead, text) >= _REPEAT_F1


def _f1_bound_below(n: int, m: int) -> bool:
    """2 * min(n, m) / (n + m) < 0.95, in integers; when true, token_f1 is below 0.95 by
    at least 1 / (20 * (n + m)), far more than its float rounding (so with 2c / (n + c))."""
    return 40 * min(n, m) < 19 * (n + m)


def split_body(
    blocks: list[Block],
    spans: Spans,
    container: Element,
    title: Block | None,
    skip: set[int],
    lead_hint: Block | None = None,
    forced_captions: frozenset[int] | set[int] = frozenset(),
    inside: list[Block] | None = None,
) -> Body:
    """Lead, paragraphs, captions and images of the container; `inside`: its
    container_blocks when the caller has them already."""
    body = Body(container=container)
    if inside is None:
        inside = container_blocks(blocks, spans, container)
    kept = [b for b in inside if b.index not in skip]
    if title is not None:
        # What the container prints above the title is breadcrumb and category chrome,
        # when anything follows the title (the blocks are in page order: the last does).
        low = title.index if kept and kept[-1].index > title.index else -1
        kept = [b for b in kept if b.index > low and b.text != title.text]
    previous: Block | None = None
    texts: list[Block] = []
    marks: dict[Element, bool] = {}  # _caption_context's verdicts
    featured = _featured_image(blocks, title, inside, container, marks)
    if featured is not None:
        image, caption = featured
        body.images.append((image.image, caption.text))
        body.captions.append(caption)
        body.caption_rules[caption.index] = "the featured image's caption, above the body"
    for block in kept:
        if block.image is not None:
            if _usable_image(block.image):
                body.images.append((block.image, None))
                previous = block
            continue
        rule = (
            "site selector" if block.index in forced_captions
            else _caption_rule(block, previous, container, marks)
        )
        if rule is not None:
            body.captions.append(block)
            body.caption_rules[block.index] = rule
            if body.images and previous is not None and previous.image is body.images[-1][0]:
                body.images[-1] = (body.images[-1][0], block.text)
            previous = None
            continue
        previous = None
        texts.append(block)
    # The first paragraph of the container itself: a sapo printed as a sibling before it
    # joins the body, and must still be found as the lead.
    # _is_dateline's own length bound first: most paragraphs are longer.
    long = [
        b for b in texts if len(b.text) >= T.min_paragraph_chars
        and (len(b.text) > _DATE_LINE_MAX or not _is_dateline(b.text))
    ]
    runs = _runs(container, spans)
    first = next(
        (b for b in long if any(run[0] <= b.index < run[1] for run in runs)),
        long[0] if long else None,
    )
    if first is not None:
        # Datelines and bylines the date and author finders did not claim open no body.
        texts = [
            b for b in texts
            if b.index >= first.index or len(b.text) > _DATE_LINE_MAX or not _is_dateline(b.text)
        ]
    found = Lead(lead_hint, "site selector") if lead_hint is not None else find_lead(
        blocks, title, first, container, skip
    )
    if found is not None:
        lead = found.block
        echo = _Echo(lead.text)
        texts = [b for b in texts if b is not lead and not echo.repeated_in(b.text)]
        body.lead, body.lead_rule = lead, found.rule
    body.paragraphs = texts
    return body
