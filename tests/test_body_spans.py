"""crawler.extract.body reads the blocks under an element from the walk's spans: each test
here holds those readings against the plain definitions they stand for (climbing from
every block, reading every element's own blocks in document order) on the saved pages
and on random nestings of blocks, inline elements, chrome and images."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from crawler.extract.walk import Spans

from crawler.extract import body
from crawler.extract.blocks import Block, linearize_with_spans
from crawler.extract.dom import Element, parse, strip_junk
from tests.helpers import random_nesting

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))
PROSE = (
    "Sáng 19/11, Ban Thường vụ Huyện ủy tổ chức Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ "
    "42, thông qua dự thảo đề cương chi tiết báo cáo chính trị trình đại hội."
)
# A chrome-classed wrapper holding most of the page's prose is released: its blocks take
# the chrome around it instead, here the aside, one of the container's ancestors.
RELEASED = f"""<html><body><aside><div class="l-sidebar-fixed">
<div class="content"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>
<span><div><b>{PROSE}</b></div></span><div class="share">Chia sẻ</div></div></div></aside>
<p>Liên hệ</p></body></html>"""
# A paragraph nested in a short block: the text after it is read with its element first.
NESTED = """<html><body><div id="a"><div><p>Một câu.</p>Hai câu ngắn.</div></div>
<div id="b"><span><p>Ba.</p></span>Bốn.<a href="/x"><div>Năm</div></a></div></body></html>"""

_OPENING = [
    "<div>", "<p>", "<td>", "<div class='share'>", "<ul class='menu'>", "<nav>", "<li>",
    "<span>", "<span class='share'>", "<a href='/x'>", "<b>", "<h3>", "<figure>",
]  # fmt: skip
_LEAVES = ["chữ", "một hai.", "<br>", "<img src='/a.jpg'>", " ", "<hr>", "x<br>y", PROSE]


def _walk(root: Element) -> tuple[Element, list[Block], Spans]:
    strip_junk(root)
    blocks, spans = linearize_with_spans(root)
    return root, blocks, spans


def _random_page(rng: random.Random) -> Element:
    root = parse(f"<html><body>{random_nesting(rng, _OPENING, _LEAVES, 40)}</body></html>")
    assert root is not None
    return root


WALKS = [_walk(parse(page.read_bytes())) for page in PAGES]
WALKS += [_walk(parse(RELEASED)), _walk(parse(NESTED))]
_rng = random.Random(23)
RANDOM_WALKS = [_walk(_random_page(_rng)) for _ in range(300)]


def _under(root: Element, blocks: list[Block]) -> dict[Element, list[Block]]:
    """For each element, the blocks whose element is it or inside it: climbed from each."""
    held: dict[Element, list[Block]] = {}
    for block in blocks:
        for el in (block.el, *block.el.iterancestors()):
            held.setdefault(el, []).append(block)
    return held


def test_the_pages_are_there():
    assert len(PAGES) > 50


@pytest.mark.parametrize("walks", [WALKS, RANDOM_WALKS], ids=["pages", "random"])
def test_the_blocks_held_by_any_element_are_those_under_it(walks):
    inline = 0
    for root, blocks, spans in walks:
        held = _under(root, blocks)
        for el in root.iter():
            expected = held.get(el, [])
            assert body._held(el, spans, blocks) == expected, (el.tag, el.get("class"))
            texts = [b for b in expected if b.text]
            sizes = (sum(len(b.text) for b in texts), sum(b.link_chars for b in texts))
            assert body._size(el, spans) == sizes
            inline += bool(expected) and spans.of(el) is None
    # Elements without a span of their own: the html element, and inline ones around
    # block elements (a span, a link).
    assert inline > len(walks)
    other = parse(PAGES[0].read_bytes())
    _, blocks, spans = walks[0]
    assert all(body._held(el, spans, blocks) == [] for el in other.iter())


@pytest.mark.parametrize("walks", [WALKS, RANDOM_WALKS], ids=["pages", "random"])
def test_chrome_is_inside_an_element_around_its_block_unless_above_it(walks):
    """What container_blocks, body_parts and listing_shape rest on: for an element holding
    a block, the block's chrome is inside the element exactly when it is not one of the
    element's ancestors (the chrome and the element are both around the block's text)."""
    inside = above = 0
    for _, blocks, _ in walks:
        for block in blocks:
            chrome = block.chrome
            if chrome is None:
                continue
            subtree_of = {chrome, *chrome.iterancestors()}  # chrome is inside each of these
            chain = [block.el, *block.el.iterancestors()]
            for k, el in enumerate(chain):
                is_inside = el in subtree_of
                assert is_inside is (chrome not in chain[k + 1:]), (el.tag, chrome.tag)
                inside += is_inside
                above += not is_inside
    assert inside and above


def test_a_released_wrapper_hands_its_blocks_the_chrome_above_it():
    _, blocks, _ = WALKS[-2]
    assert {b.chrome.tag for b in blocks if len(b.text) > 100} == {"aside"}


def _read_in_element_order(el: Element, kept: list[Block]) -> Block:
    """The last of `kept` when `el`'s elements are read in document order, each one's own
    blocks in turn."""
    last = None
    for node in el.iter():
        for block in kept:
            if block.el is node:
                last = block
    assert last is not None
    return last


@pytest.mark.parametrize("walks", [WALKS, RANDOM_WALKS], ids=["pages", "random"])
def test_the_last_block_read_is_found_from_the_spans(walks):
    odd = 0
    for root, blocks, spans in walks:
        for el, held in _under(root, blocks).items():
            for kept in ([b for b in held if b.text], [b for b in held if b.chrome is None]):
                if not kept or len(kept) > 12:
                    continue
                last = body._read_last(kept, spans)
                assert last is _read_in_element_order(el, kept), el.tag
                odd += last is not kept[-1]
    assert odd > 0


def _plain_stats(el: Element, blocks: list[Block], around: set[Element]) -> tuple:
    """body_parts' reading of an element, plainly: its elements in document order, each
    one's blocks with text outside chrome other than `around`."""
    chars = links = count = 0
    prose = teaser = False
    text = ""
    for node in el.iter():
        for block in blocks:
            if block.el is not node or not block.text:
                continue
            if block.chrome is not None and block.chrome not in around:
                continue
            chars += len(block.text)
            links += block.link_chars
            count += 1
            text = block.text
            prose = prose or body._is_prose(block)
            teaser = teaser or body._is_linked_heading(block)
    return chars, links, count, prose, teaser, text


def _plain_is_paragraph(el: Element, blocks: list[Block], around: set[Element]) -> bool:
    if body.tag_of(el) in body.HEADING_TAGS:
        return False
    chars, links, count, _, teaser, text = _plain_stats(el, blocks, around)
    if count > body._PARAGRAPH_MAX_BLOCKS or teaser:
        return False
    if chars >= body._PARAGRAPH_MIN_CHARS:
        return links < body._PART_MAX_LINK_DENSITY * chars
    return chars > 0 and not links and text.endswith(body._SENTENCE_END)


def _plain_is_body_part(el: Element, blocks: list[Block], around: set[Element]) -> bool:
    chars, links, _, prose, teaser, _ = _plain_stats(el, blocks, around)
    return prose and not teaser and links < body._PART_MAX_LINK_DENSITY * chars


def _containers(blocks: list[Block], spans: Spans) -> list[Element]:
    """The elements find_container weighs, and the chosen one's inline relatives."""
    found = [c.el for c in body.container_candidates(blocks, spans)]
    found += [b.el.getparent() for b in blocks[:: max(len(blocks) // 5, 1)]]
    return [el for el in dict.fromkeys(found) if el is not None]


@pytest.mark.parametrize("walks", [WALKS, RANDOM_WALKS[:100]], ids=["pages", "random"])
def test_body_parts_and_their_blocks_are_read_as_the_plain_definitions_read_them(walks):
    paragraphs = parts = 0
    for _, blocks, spans in walks:
        if not any(b.text for b in blocks):
            continue
        for container in _containers(blocks, spans):
            around = {container, *container.iterancestors()}
            near = [container, *list(container.iterancestors())[:body._TWIN_LEVELS]]
            for el in near:
                for sibling in (*el.itersiblings(preceding=True), *el.itersiblings()):
                    if not isinstance(sibling.tag, str):
                        continue
                    paragraph = body._is_paragraph(sibling, blocks, spans, around)
                    assert paragraph is _plain_is_paragraph(sibling, blocks, around)
                    part = body._is_body_part(sibling, blocks, spans, around)
                    assert part is _plain_is_body_part(sibling, blocks, around)
                    paragraphs += paragraph
                    parts += part
            members = {
                el for part in body.body_parts(blocks, spans, container) for el in part.iter()
            }
            expected = [
                b for b in blocks if b.el in members
                and (b.chrome is None or b.chrome is container or b.chrome not in members)
            ]
            assert body._body_blocks(blocks, spans, container) == expected
    assert paragraphs and parts
