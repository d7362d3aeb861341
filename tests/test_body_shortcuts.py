"""The shortcuts of crawler.extract.body agree with the plain definitions they stand for.

Each test computes the plain way (every ancestor climbed, every text tokenized, the whole
pattern run) on the saved pages and on small pages built to reach the odd cases: a
container inside chrome, chrome inside a paragraph, an `İ` that lower-casing splits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from crawler.extract.walk import Spans
from lxml import etree as lxml_etree

from crawler.extract import body
from crawler.extract.blocks import BLOCK_TAGS, Block, linearize_with_spans
from crawler.extract.decode import utf8_html
from crawler.extract.dom import Element, parse, strip_junk
from crawler.extract.patterns import CHROME_LINE
from crawler.text.normalize import token_f1

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))

PROSE = (
    "Sáng 19/11, Ban Thường vụ Huyện ủy tổ chức Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ "
    "42, thông qua dự thảo đề cương chi tiết báo cáo chính trị trình đại hội."
)
# Prose only in chrome: find_container's second pass, containers inside a sidebar.
CHROME_ONLY = f"""<html><body>
<aside><div class="box"><div><p>{PROSE}</p><p>{PROSE}</p></div>
<div><p>{PROSE}</p><ul class="menu"><li><a href="/a">Tin tức</a></li></ul></div></div></aside>
</body></html>"""
# Chrome inside a paragraph, a break inside it; a share bar inside the article.
INLINE_CHROME = f"""<html><body><div id="page"><div class="content">
<p>{PROSE} <span class="share">Chia sẻ<br>Facebook</span> {PROSE}</p>
<div class="social-tools"><a href="/in">In bài</a> | <a href="/gui">Gửi email</a></div>
<p>{PROSE}</p></div>
<div class="sidebar"><ul><li><a href="/b">Một tin khác của chuyên mục, đọc thêm</a></li>
<li><a href="/c">Một tin nữa của chuyên mục</a></li></ul></div></div></body></html>"""


def _walk(html: bytes) -> tuple[list[Block], Spans]:
    root = parse(utf8_html(html))
    assert root is not None
    strip_junk(root)
    return linearize_with_spans(root)


PAGE_WALKS = [_walk(page.read_bytes()) for page in PAGES] + [
    _walk(CHROME_ONLY.encode()), _walk(INLINE_CHROME.encode())
]
PAGE_BLOCKS = [blocks for blocks, _ in PAGE_WALKS]


def test_the_pages_are_there():
    assert len(PAGES) > 50


def _under(block: Block, el: Element) -> bool:
    return block.el is el or el in set(block.el.iterancestors())


@pytest.mark.parametrize("index", range(len(PAGE_WALKS)))
def test_candidate_sizes_count_every_block_under_them(index):
    blocks, spans = PAGE_WALKS[index]
    candidates = body.container_candidates(blocks, spans)
    assert candidates or not any(len(b.text) >= 25 for b in blocks)
    for candidate in candidates:
        under = [b for b in blocks if b.text and _under(b, candidate.el)]
        chars = sum(len(b.text) for b in under)
        links = sum(b.link_chars for b in under)
        assert candidate.chars == chars
        assert candidate.link_density == (links / chars if chars else 0.0)


def test_the_odd_pages_reach_chrome_containers_and_inline_chrome():
    chrome_only = body.container_candidates(*PAGE_WALKS[-2])
    assert any("aside" in {a.tag for a in c.el.iterancestors()} for c in chrome_only)
    inline = PAGE_BLOCKS[-1]
    assert any(b.chrome is not None and b.chrome.tag == "span" for b in inline)


def _pairs() -> list[tuple[str, str]]:
    """Every pair of a paragraph-sized text and another text of the same page (within the
    first 40 of each page), and hand-made near repeats."""
    pairs = []
    for blocks in PAGE_BLOCKS:
        texts = [b.text for b in blocks if len(b.text) >= 40][:40]
        pairs += [(lead, text) for lead in texts[:5] for text in texts]
    lead = PROSE
    words = lead.split()
    pairs += [
        (lead, lead),
        (lead, " ".join(words[:-1])),  # one word less
        (lead, " ".join(words[:-3])),
        (lead, lead + " Hội nghị"),  # a word or two more
        (lead, " ".join(reversed(words))),  # the same words in another order
        (lead, lead.upper()),
        (lead, ""),
        (lead, "— … —"),  # no token at all
        ("— … — « »", ""),  # a lead without a token
        ("— … — « »", "— …"),
        ("İİ İİ İİ", "ii ii ii"),  # lower-casing turns İ into i and a combining dot
        ("ii ii ii", "İİ İİ İİ"),
    ]
    return pairs


def test_echo_tells_repeats_of_the_lead_as_token_f1_does():
    pairs = _pairs()
    assert len(pairs) > 1000
    repeats = 0
    for lead, text in pairs:
        expected = token_f1(lead, text) >= 0.95
        repeats += expected
        assert body._Echo(lead).repeated_in(text) is expected, (lead, text)
    assert repeats > len(PAGE_BLOCKS)  # each page's lead against itself, at least


_SEPARATOR = re.compile(r"\s*[|·•]\s*")


def _chrome_line(text: str) -> bool:
    if len(text) > 60:
        return False
    return all(CHROME_LINE.match(part) for part in _SEPARATOR.split(text) if part)


def test_chrome_lines_are_told_as_by_every_part():
    lines = [b.text for blocks in PAGE_BLOCKS for b in blocks if len(b.text) <= 60]
    lines += ["", "In trang | Gửi email", "Chia sẻ · Facebook", "Bình luận •", "Tags: a | b"]
    assert sum(map(_chrome_line, lines)) > 10
    for text in lines:
        assert body.is_chrome_line(text) is _chrome_line(text), text


_ICON = re.compile(
    r"icon|logo|spacer|blank\.|pixel|loading|print|email|facebook|zalo|twitter|share|button|"
    r"arrow|bullet", re.I
)


@pytest.mark.parametrize(
    "name",
    ["photo.jpg", "ICON-home.PNG", "Site_Logo.gif", "blank.gif", "blankets.jpg", "ảnh-share.jpg",
     "ſhare.png", "K-Logo.png", "Anh-Hoi-Nghi.JPG", "x.php?id=Print"],
)
def test_icon_names_are_found_as_case_blind_search_finds_them(name):
    img = parse(f'<html><body><img src="/a/{name}"></body></html>'.encode()).find(".//img")
    assert body._usable_image(img) is not bool(_ICON.search(name))


def test_container_tags_are_told_as_tag_of_tells_them():
    root = parse(b"<html><body><div><DIV><Td>x</Td></DIV><p>y</p><!-- c --></div></body></html>")
    elements = [
        el for blocks in PAGE_BLOCKS for b in blocks for el in (b.el, *b.el.iterancestors())
    ]
    odd = [root, *root.iter(), lxml_etree.Comment("c"), lxml_etree.Element("BlockQuote")]
    odd.append(lxml_etree.Element("Center"))
    assert sum(body._is_container(el) for el in odd) >= 4
    for el in elements + odd:
        assert body._is_container(el) is (body.tag_of(el) in body._CONTAINER_TAGS), el.tag


def test_the_blocks_under_an_element_are_one_run():
    """What a count of each element's blocks by index span (first to last) would rest on:
    a block's element is the nearest block-level one around its text, and blocks come in
    document order, so those under a block-level element follow one another."""
    elements = 0
    for blocks in PAGE_BLOCKS:
        under: dict[Element, list[int]] = {}
        for b in blocks:
            for el in (b.el, *b.el.iterancestors()):
                under.setdefault(el, []).append(b.index)
        for el, indices in under.items():
            if body.tag_of(el) in BLOCK_TAGS:
                assert indices == list(range(indices[0], indices[-1] + 1))
                elements += 1
    assert elements > 5000


_CAPTION = re.compile(
    r"caption|chuthich|chu-thich|chu_thich|figcaption|img-desc|image-desc|imgdesc|photo-desc|"
    r"desc-img|expnote|fig-?desc|hinh-anh-mo-ta"
)
_LEAD = re.compile(
    r"sapo|lead|summary|tomtat|tom-tat|tom_tat|mota|mo-ta|intro|chapeau|abstract|teaser|"
    r"trichyeu|trich-yeu|description|short-?desc|news-?desc|subtitle|sub-title|dauvao"
)


def test_caption_and_sapo_classes_are_found_as_their_patterns_find_them():
    attrs = {
        body.class_id(el) for page in PAGES for el in parse(page.read_bytes()).iter()
        if isinstance(el.tag, str)
    }
    attrs |= {
        "fig-desc x", "figdesc", "fig--desc", "short-desc", "shortdesc", "short--desc",
        "news-desc", "newsdesc", "hinh-anh-mo-ta", "hinh-anh-mo", "chú-thích caption",
        "mô-tả mota", "tóm-tắt", "sub-title", "sub_title", "", " ",
    }
    assert sum(bool(_CAPTION.search(a)) for a in attrs) > 5
    assert sum(bool(_LEAD.search(a)) for a in attrs) > 20
    for text in attrs:
        assert body._CAPTION_CLASS.occurs_in(text) is bool(_CAPTION.search(text)), text
        assert body._LEAD_CLASS.occurs_in(text) is bool(_LEAD.search(text)), text
