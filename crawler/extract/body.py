"""The main text: the densest block of prose, cleared of chrome, captions and related lists."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from crawler.extract.blocks import Block, image_src
from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.patterns import (
    CHROME_LINE,
    CHROME_LINE_MAX,
    RELATED_HEADING,
    RELATED_HEADING_MAX,
    is_chrome_class,
    is_content_class,
)
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.normalize import token_f1

_CONTAINER_TAGS = frozenset(
    ("div", "td", "article", "section", "main", "body", "form", "table", "blockquote", "center")
)
_CAPTION_CLASS = re.compile(
    r"caption|chuthich|chu-thich|chu_thich|figcaption|img-desc|image-desc|imgdesc|photo-desc|"
    r"desc-img|expnote|fig-?desc|hinh-anh-mo-ta"
)
_LEAD_CLASS = re.compile(
    r"sapo|lead|summary|tomtat|tom-tat|tom_tat|mota|mo-ta|intro|chapeau|abstract|teaser|"
    r"trichyeu|trich-yeu|description|short-?desc|news-?desc|subtitle|sub-title|dauvao"
)
_CAPTION_MAX = 300
_TOOL_SEPARATOR = re.compile(r"\s*[|·•]\s*")
_LEAD_MIN, _LEAD_MAX = 40, 1200
_ICON_SRC = re.compile(r"icon|logo|spacer|blank\.|pixel|loading|print|email|facebook|zalo|twitter|"
                       r"share|button|arrow|bullet", re.I)


@dataclass
class Body:
    container: Element | None = None
    lead: Block | None = None
    paragraphs: list[Block] = field(default_factory=list)  # without the lead
    captions: list[Block] = field(default_factory=list)
    images: list[tuple[Element, str | None]] = field(default_factory=list)


def _is_lead_sized(block: Block, *, plain: bool = True) -> bool:
    """Long enough and short enough for a sapo; `plain`: with (almost) no links."""
    sized = _LEAD_MIN <= len(block.text) <= _LEAD_MAX
    return sized and (not plain or block.link_density < T.lead_max_link_density)


def _block_score(block: Block) -> float:
    commas = min(block.text.count(","), 6)
    return 1.0 + 0.5 * commas + min(len(block.text) / 100, 3.0)


def _container_of(el: Element) -> Element | None:
    while el is not None and tag_of(el) not in _CONTAINER_TAGS:
        el = el.getparent()
    return el


def find_container(blocks: list[Block]) -> Element | None:
    """The element whose paragraphs carry the most prose and the fewest links.

    Prose inside menus, sidebars and footers does not vote, unless nothing else is there.
    """
    best = _best_container(blocks, skip_chrome=True)
    return best if best is not None else _best_container(blocks, skip_chrome=False)


def _best_container(blocks: list[Block], *, skip_chrome: bool) -> Element | None:
    scores: dict[Element, float] = defaultdict(float)
    sizes: dict[Element, int] = defaultdict(int)
    links: dict[Element, int] = defaultdict(int)
    for block in blocks:
        if not block.text:
            continue
        for anc in block.el.iterancestors():
            sizes[anc] += len(block.text)
            links[anc] += block.link_chars
        sizes[block.el] += len(block.text)
        links[block.el] += block.link_chars
        if (
            len(block.text) < T.min_paragraph_chars
            or block.link_density > T.prose_max_link_density
            or block.header
        ):
            continue
        if skip_chrome and block.chrome is not None:
            continue
        start = _container_of(block.el)
        score = _block_score(block)
        for level in range(3):
            if start is None:
                break
            scores[start] += score / (1 + level)
            start = _container_of(start.getparent())
    best, best_score = None, 0.0
    for el, score in scores.items():
        attrs = class_id(el)
        weight = 1.0
        if is_chrome_class(attrs):
            weight = 0.3
        elif is_content_class(attrs):
            weight = 1.4
        density = links[el] / sizes[el] if sizes[el] else 0.0
        final = score * (1 - density) * weight
        if final > best_score:
            best, best_score = el, final
    return best


def is_chrome_line(text: str) -> bool:
    """A tool bar line: every `|`-separated part is chrome (`In trang | Gửi email`)."""
    if len(text) > CHROME_LINE_MAX:
        return False
    return all(CHROME_LINE.match(part) for part in _TOOL_SEPARATOR.split(text) if part)


def is_related_heading(text: str) -> bool:
    return len(text) <= RELATED_HEADING_MAX and bool(RELATED_HEADING.match(text))


def _caption_context(block: Block, container: Element) -> bool:
    el = block.el
    for _ in range(4):
        if el is None or el is container:
            return False
        if tag_of(el) == "figcaption" or _CAPTION_CLASS.search(class_id(el)):
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


def _is_caption(block: Block, previous: Block | None, container: Element) -> bool:
    if len(block.text) > _CAPTION_MAX:
        return False
    if _caption_context(block, container):
        return True
    if previous is None or previous.image is None:
        return False
    return block.emphasized or block.centered or _shares_frame(previous, block, container)


def _usable_image(img: Element) -> bool:
    src = image_src(img) or ""
    if _ICON_SRC.search(src.rsplit("/", 1)[-1]):
        return False
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 50:
            return False
    return True


def container_blocks(blocks: list[Block], container: Element) -> list[Block]:
    """The container's blocks up to its related-articles list, without chrome."""
    members = set(container.iter())
    kept: list[Block] = []
    seen_prose = False
    for block in blocks:
        if block.el not in members:
            continue
        chrome = block.chrome
        if chrome is not None and chrome is not container and chrome in members:
            continue
        if block.image is not None:
            kept.append(block)
            continue
        if seen_prose and is_related_heading(block.text):
            break
        if is_chrome_line(block.text) or block.link_density > T.teaser_min_link_density:
            continue
        seen_prose = seen_prose or len(block.text) >= T.min_paragraph_chars
        kept.append(block)
    return kept


def _lead_class(block: Block, limit: Element | None) -> bool:
    el = block.el
    for _ in range(4):
        if el is None or el is limit:
            return False
        if _LEAD_CLASS.search(class_id(el)) and not is_chrome_class(class_id(el)):
            return True
        el = el.getparent()
    return False


def find_lead(
    blocks: list[Block],
    title: Block | None,
    first: Block | None,
    container: Element | None,
    skip: set[int],
) -> Block | None:
    """A sapo marked by its class near the title, else a bold first paragraph."""
    low = title.index + 1 if title is not None else 0
    high = first.index + 3 if first is not None else low + 12
    for block in blocks[low:high]:
        if (
            _is_lead_sized(block)
            and block.chrome is None and _lead_class(block, container)
        ):
            return block
    if first is not None and first.emphasized and _is_lead_sized(first, plain=False):
        return first
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
                return block
            previous = block
    return None


def split_body(
    blocks: list[Block],
    container: Element,
    title: Block | None,
    skip: set[int],
    lead_hint: Block | None = None,
    forced_captions: frozenset[int] | set[int] = frozenset(),
) -> Body:
    """Lead, paragraphs, captions and images of the container."""
    body = Body(container=container)
    kept = [b for b in container_blocks(blocks, container) if b.index not in skip]
    if title is not None and any(b.index > title.index for b in kept):
        # What the container prints above the title is breadcrumb and category chrome.
        kept = [b for b in kept if b.index > title.index]
    if title is not None:
        kept = [b for b in kept if b.text != title.text]
    previous: Block | None = None
    texts: list[Block] = []
    for block in kept:
        if block.image is not None:
            if _usable_image(block.image):
                body.images.append((block.image, None))
                previous = block
            continue
        if block.index in forced_captions or _is_caption(block, previous, container):
            body.captions.append(block)
            if body.images and previous is not None and previous.image is body.images[-1][0]:
                body.images[-1] = (body.images[-1][0], block.text)
            previous = None
            continue
        previous = None
        texts.append(block)
    first = next((b for b in texts if len(b.text) >= T.min_paragraph_chars), None)
    lead = lead_hint or find_lead(blocks, title, first, container, skip)
    if lead is not None:
        texts = [b for b in texts if b is not lead and token_f1(lead.text, b.text) < 0.95]
    body.lead = lead
    body.paragraphs = texts
    return body
