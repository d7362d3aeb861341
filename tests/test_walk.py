"""The compiled page walk (crawler/extract/walk.pyx) on the cases lxml's own API hides:
tails after comments and removed elements, adjacent text nodes, nesting of hidden
elements, inline icons, and the counts that the body and byline rules read."""

from __future__ import annotations

import random
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from crawler.extract.walk import Rules, Scan, collect
from lxml import etree

from crawler.extract import blocks as blocks_module
from crawler.extract import taxonomy
from crawler.extract.blocks import BLOCK_TAGS, linearize, linearize_scanning, linearize_with_spans
from crawler.extract.dom import parse, strip_junk
from crawler.extract.taxonomy import LANDMARK_SCAN, landmarks
from crawler.text.normalize import INVISIBLE_RANGES, clean_text, fold, nfc
from tests.helpers import random_nesting


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
        found = Scan(len, opening)(root)
        assert Scan(len, opening, initials)(root) == found


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


def _walked_apart(html: str | bytes):
    root = parse(html)
    strip_junk(root)
    return [vars_of(b) for b in linearize(root)], LANDMARK_SCAN(root)


def _walked_together(html: str | bytes):
    root = parse(html)
    strip_junk(root)
    blocks, _, scanned = linearize_scanning(root, LANDMARK_SCAN)
    return [vars_of(b) for b in blocks], scanned


def vars_of(block) -> tuple:
    return (block.text, block.el, block.link_chars, block.bold_chars, block.chrome, block.header)


PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))


@pytest.mark.parametrize("page", PAGES[::4], ids=lambda p: p.stem)
def test_one_pass_walk_and_scan_find_what_the_two_passes_find(page: Path):
    apart, together = _walked_apart(page.read_bytes()), _walked_together(page.read_bytes())
    # Elements compare by identity, and each parse has its own: compare by position.
    assert _positions(apart) == _positions(together)


def test_one_pass_walk_and_scan_on_random_pages_with_text_outside_the_body():
    rng = random.Random(5)
    parts = ["<div class='breadcrumb'>Trang chủ » Tin</div>", "<p class='tags'>Tags: a</p>",
             "Trang chủ", "<span>Danh mục: <a href='/c'>Tin</a></span>", "<b>x</b> ",
             "<ul class='menu'><li><a href='/'>Home</a></li></ul>", "\n  ", "<br>"]  # fmt: skip
    for _ in range(200):
        head = f"<title>{rng.choice(['Trang chủ', 'Tin'])}</title>"
        body = "".join(rng.choices(parts, k=6))
        html = (
            f"<html class='{rng.choice(['', 'breadcrumb'])}'><head>{head}</head>"
            f"<body class='{rng.choice(['', 'tags-page'])}'>{body}</body></html>"
        )
        assert _positions(_walked_apart(html)) == _positions(_walked_together(html))
        root = parse(html)
        assert LANDMARK_SCAN(root) == _scan_by_lxml(
            root, taxonomy._landmark_kinds, taxonomy._OPENINGS.match
        )


def _positions(found) -> tuple:
    """Blocks and findings with every element replaced by its place in document order."""
    blocks, (classed, opened) = found
    elements = [el for block in blocks for el in (block[1], block[4]) if el is not None]
    elements += [el for el, _ in classed] + [el for el, _ in opened]
    if not elements:
        return blocks, classed, opened
    order = {el: i for i, el in enumerate(elements[0].getroottree().getroot().iter())}

    def place(el):
        return None if el is None else order[el]

    return (
        [(t, place(el), links, bold, place(chrome), header) for t, el, links, bold, chrome, header
         in blocks],
        [(place(el), kinds) for el, kinds in classed],
        [(place(el), text) for el, text in opened],
    )  # fmt: skip


def _scan_by_lxml(root, classify, opening) -> tuple[list, list]:
    """Scan's definition through lxml's own API: every element's class and id, every
    text and tail (lxml joins adjacent text nodes), in document order."""
    classed, opened = [], []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if el.get("class") or el.get("id"):
                kinds = classify(f"{el.get('class') or ''} {el.get('id') or ''}".lower())
                if kinds:
                    classed.append((el, kinds))
            text, owner = el.text, el
        else:
            text, owner = (el.tail, el.getparent()) if el is not root else (None, None)
        if text and not text.isspace() and opening(text):
            opened.append((owner, text))
    return classed, opened


@pytest.mark.parametrize("page", PAGES[1::4], ids=lambda p: p.stem)
def test_scan_finds_what_its_definition_finds(page: Path):
    root = parse(page.read_bytes())
    strip_junk(root)
    kinds, opening = taxonomy._landmark_kinds, taxonomy._OPENINGS.match
    assert LANDMARK_SCAN(root) == _scan_by_lxml(root, kinds, opening)
    _, _, scanned = linearize_scanning(root, LANDMARK_SCAN)
    assert scanned == _scan_by_lxml(root, kinds, opening)


def test_walks_in_threads_at_once_read_what_one_walk_reads():
    """The walk's memos are shared: a thread switch while a rule runs in Python must not
    let one page's answer be filed under another's key."""
    pages = [page.read_bytes() for page in PAGES[:24]]

    def read(rules: Rules, scan: Scan, html: bytes) -> tuple:
        root = parse(html)
        strip_junk(root)
        body = root.find("body")
        blocks, _, classed, opened = rules.walk_scanning(root, body, scan)
        return (
            [(b.text, b.chrome is None, b.heading, b.header) for b in blocks],
            [kinds for _, kinds in classed], [text for _, text in opened],
        )

    def fresh() -> tuple[Rules, Scan]:
        """Rules and a scan with empty memos: every signature goes to Python."""
        rules = Rules(
            info=blocks_module._info, image_src=blocks_module.image_src,
            icon_sized=blocks_module._is_icon_sized, clean=clean_text, fold=fold, nfc=nfc,
            make_block=blocks_module.Block, block_tags=blocks_module.BLOCK_TAGS,
            invisible_ranges=INVISIBLE_RANGES,
        )  # fmt: skip
        scan = Scan(taxonomy._landmark_kinds, taxonomy._OPENINGS.match)
        return rules, scan

    alone = [read(*fresh(), html) for html in pages]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(3):
            rules, scan = fresh()
            with ThreadPoolExecutor(max_workers=4) as pool:
                assert list(pool.map(partial(read, rules, scan), pages)) == alone
    finally:
        sys.setswitchinterval(switch)


def _spans_by_definition(root, blocks) -> dict:
    """Spans' definition: for each block-level element of the body holding blocks (a block
    holds its `el`, or its image's), the run of their indices, which must be unbroken,
    with their texts' length and link characters summed."""
    body = root.find("body")
    body = root if body is None else body
    held: dict = {}
    for block in blocks:
        for el in (block.el, *block.el.iterancestors()):
            held.setdefault(el, []).append(block)
            if el is body:
                break
    found = {}
    for el, mine in held.items():
        if el is not body and el.tag not in BLOCK_TAGS:
            continue
        indices = [b.index for b in mine]
        assert indices == list(range(indices[0], indices[-1] + 1))
        found[el] = (
            indices[0], indices[-1] + 1, sum(len(b.text) for b in mine),
            sum(b.link_chars for b in mine),
        )
    return found


def _check_spans(root, blocks, spans) -> None:
    expected = _spans_by_definition(root, blocks)
    for el in root.iter():
        assert spans.of(el) == expected.get(el), (el, el.get("class"))


@pytest.mark.parametrize("page", PAGES[2::4], ids=lambda p: p.stem)
def test_spans_are_the_runs_of_blocks_under_each_block_element(page: Path):
    root = parse(page.read_bytes())
    strip_junk(root)
    blocks, spans, _ = linearize_scanning(root, LANDMARK_SCAN)
    _check_spans(root, blocks, spans)
    # Another page's elements have no span here, whatever their place.
    other = parse(page.read_bytes())
    assert all(spans.of(el) is None for el in other.iter())


def test_spans_on_random_nestings_of_blocks_inlines_images_and_breaks():
    rng = random.Random(17)
    opening = ["<div>", "<p>", "<td>", "<section class='chrome menu'>", "<li>", "<span>",
               "<a href='/x'>", "<b>"]  # fmt: skip
    leaves = ["chữ", "một hai", "<br>", "<img src='/a.jpg'>", " ", "<hr>", "x<br>y"]
    for _ in range(300):
        root = _page(random_nesting(rng, opening, leaves, 30))
        strip_junk(root)
        blocks, spans = linearize_with_spans(root)
        _check_spans(root, blocks, spans)


def _collected_by_lxml(root, tags: tuple[str, ...], name: str) -> tuple[list, list]:
    return (
        [list(root.iter(tag)) for tag in tags],
        [(el, el.get(name)) for el in root.iter() if isinstance(el.tag, str)
         and el.get(name) is not None],
    )  # fmt: skip


@pytest.mark.parametrize("page", PAGES[3::4], ids=lambda p: p.stem)
def test_collect_finds_what_lxml_finds(page: Path):
    root = parse(page.read_bytes())
    tags = ("title", "script", "meta", "time", "base", "p", "html")
    assert collect(root, tags, "itemprop") == _collected_by_lxml(root, tags, "itemprop")


def test_collect_on_random_heads_and_attributes():
    rng = random.Random(23)
    parts = ["<meta name='a' content='b'>", "<title>T</title>", "<base href='/x/'>",
             "<span itemprop='author'>A</span>", "<time itemprop='datePublished'>1</time>",
             "<p itemprop=''>e</p>", "<div itemprop='a&amp;b'>x</div>", "<script>1</script>",
             "<meta itemprop='headline' content='h'>", "<b>t</b>"]  # fmt: skip
    for _ in range(200):
        head = "".join(rng.choices(parts, k=3))
        body = "".join(rng.choices(parts, k=5))
        root = parse(f"<html><head>{head}</head><body>{body}</body></html>")
        tags = ("meta", "title", "base", "time")
        assert collect(root, tags, "itemprop") == _collected_by_lxml(root, tags, "itemprop")


_STRING_VALUE = etree.XPath("string()")


@pytest.mark.parametrize("page", PAGES[::6], ids=lambda p: p.stem)
def test_text_content_is_the_string_value_of_every_element(page: Path):
    # Before the junk goes too: scripts and styles hold CDATA.
    root = parse(page.read_bytes())
    for el in root.iter():
        if isinstance(el.tag, str):
            assert el.text_content() == _STRING_VALUE(el)
    strip_junk(root)
    assert all(el.text_content() == _STRING_VALUE(el) for el in root.iter("div", "p", "a"))


def test_text_content_on_random_mixed_content():
    rng = random.Random(29)
    parts = ["Một", " hai ", "<b>ba</b>", "<!-- c -->", "<?pi x?>", "<br>", "&amp;", "e\u0301",
             "<script>var a = '<b>';</script>", "<style>p{}</style>", "<i></i>", "<p>bốn</p>",
             "<span><a href='/'>năm</a> sáu</span>", "\xa0", "\u200b"]  # fmt: skip
    for _ in range(300):
        inner = "".join(rng.choices(parts, k=6))
        root = parse(f"<html><body><div>{inner}</div></body></html>")
        for el in root.iter():
            if isinstance(el.tag, str):
                assert el.text_content() == _STRING_VALUE(el), etree.tostring(el)
