"""The compiled page walk (crawler/extract/walk.pyx) on the cases lxml's own API hides:
tails after comments and removed elements, adjacent text nodes, nesting of hidden
elements, inline icons, and the counts that the body and byline rules read."""

from __future__ import annotations

import random
import re

from crawler.extract.walk import scan

from crawler.extract.blocks import linearize
from crawler.extract.dom import parse, strip_junk
from crawler.extract.taxonomy import landmarks
from crawler.text.normalize import clean_text


def _page(body: str):
    root = parse(f"<html><body>{body}</body></html>")
    assert root is not None
    return root


def _texts(body: str) -> list[str]:
    root = _page(body)
    strip_junk(root)
    return [b.text for b in linearize(root)]


def test_blocks_break_at_block_elements_and_br_and_keep_inline_runs_whole():
    assert _texts("<p>Một <b>hai</b> ba<br>bốn</p><div>năm<p>sáu</p>bảy</div>") == [
        "Một hai ba", "bốn", "năm", "sáu", "bảy",
    ]


def test_tails_after_removed_scripts_and_hidden_elements_stay_in_their_line():
    assert _texts(
        "<p>Trước <script>x()</script>giữa <span style='display:none'>ẩn</span>sau</p>"
    ) == ["Trước giữa sau"]


def test_nested_hidden_elements_go_with_the_outer_one_and_their_tails_stay():
    root = _page(
        "<div hidden>a<div style='display: none'>b</div>c</div>d"
        "<p>e<span hidden>f</span>g</p>"
    )
    strip_junk(root)
    assert [b.text for b in linearize(root)] == ["d", "eg"]


def test_adjacent_text_nodes_read_as_one_text():
    # Removing a script keeps its tail as a text node of its own beside the text before.
    root = _page("<div id='x'>Trang<script>x()</script> chủ » Tin tức</div>")
    strip_junk(root)
    marks = landmarks(root)
    assert [" ".join(el.text_content().split()) for el in marks.trails] == ["Trang chủ » Tin tức"]


def test_link_bold_and_italic_counts_and_alignment():
    root = _page(
        "<p style='text-align:right'><strong>NGUYỄN VĂN A</strong></p>"
        "<p><a href='/x'>Tin khác</a> và chữ thường</p><p><em>Ảnh: Minh họa</em></p>"
    )
    byline, linked, caption = linearize(root)
    assert byline.right and byline.emphasized and byline.bold_chars == len("NGUYỄNVĂNA")
    # Counted without spaces, then scaled to the line's length with its spaces.
    spaced = len(linked.text) / len(linked.text.replace(" ", ""))
    assert linked.link_chars == round(len("Tinkhác") * spaced) == linked.lead_link_chars
    assert caption.italic_chars == len("Ảnh:Minhhọa") and caption.emphasized


def test_images_are_blocks_of_their_own_but_icons_stay_inside_the_line():
    root = _page(
        "<p><img src='/logo.png' width='16'>Hải Dương</p><p>x<img src='/a.jpg'>y</p>"
    )
    blocks = linearize(root)
    assert [(b.text, b.image is not None) for b in blocks] == [
        ("Hải Dương", False), ("x", False), ("", True), ("y", False),
    ]
    assert blocks[2].image.get("src") == "/a.jpg"


def test_invisible_characters_are_dropped_and_text_is_nfc():
    decomposed = "Ha\u0300 No\u0302\u0323i"
    assert _texts(f"<p>{decomposed}\u200b</p>") == ["Hà Nội"]


def test_chrome_and_header_context_is_the_innermost_container():
    root = _page(
        "<header><div class='logo'>Cổng</div></header>"
        "<div class='sidebar'><ul><li>Tin một</li></ul></div><p>Thân bài</p>"
    )
    logo, item, prose = linearize(root)
    assert logo.header and not item.header and not prose.header
    assert item.chrome is not None and item.chrome.get("class") == "sidebar"
    assert prose.chrome is None


def test_scan_with_initials_finds_the_texts_it_finds_without_them():
    """Texts skipped undecoded for their first character are texts `opening` refuses:
    white space of every kind before it, upper and lower case, non-ASCII openings."""
    opening = re.compile(r"\s*(?:trang|home|đang|ķ)", re.I).match
    initials = bytes(c for c in range(128) if re.fullmatch("[thđķ]", chr(c), re.I))
    rng = random.Random(7)
    pieces = ["Trang chủ", "HOME", "home", "Đang", "xem", " ", "\t", "\x0b", "\x1c", "\xa0",
              "<b>x</b>", "<i></i>", "ķ", "K", "»", "7"]  # fmt: skip
    for _ in range(300):
        body = "".join(
            f"<div class='c{rng.randint(0, 3)}'>{''.join(rng.choices(pieces, k=4))}</div>"
            for _ in range(5)
        )
        root = _page(body)
        found = scan(root, len, opening)
        assert scan(root, len, opening, initials) == found


def test_block_texts_are_the_cleaned_texts_whatever_the_white_space():
    """Texts already spaced as cleaning leaves them skip the folding: every kind of white
    space, invisible characters, decomposed accents and inline tags, at the ends and
    between words, give the cleaned text of the paragraph, and a paragraph that is all
    link counts every character as linked."""
    rng = random.Random(11)
    pieces = ["Một", "hai", "e\u0301", " ", "  ", "\t", "\n", "\xa0", "\u2000", "\u200b", "\u3000",
              "<b>ba</b>", "<i> bốn </i>", "<span>năm</span>", " <b> </b> "]  # fmt: skip
    for _ in range(400):
        paragraphs = ["".join(rng.choices(pieces, k=rng.randint(1, 8))) for _ in range(4)]
        linked = rng.randrange(4)
        html = "".join(
            f"<p><a href='/x'>{p}</a></p>" if i == linked else f"<p>{p}</p>"
            for i, p in enumerate(paragraphs)
        )
        root = _page(html)
        expected = [clean_text(p.text_content()) for p in root.iter("p")]
        blocks = linearize(root)
        assert [b.text for b in blocks] == [t for t in expected if t]
        for block in blocks:
            if block.el.find("a") is not None:
                assert block.link_chars == len(block.text)
