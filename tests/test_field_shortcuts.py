"""The shortcuts of crawler.extract.author, related and taxonomy agree with the plain
definitions they stand for.

Each test computes the plain way (the class and id string as dom.class_id builds it, the
token patterns on every token, the whole text cleaned at once, each part of a signature
read on its own) on every element and line of the saved pages, and on elements and
strings built to reach the odd cases: capitals that lower-casing changes (`İ`, the Kelvin
sign), a word only in another attribute, blank and invisible pieces, separators anywhere.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse

import pytest

from crawler.extract import author, related, taxonomy
from crawler.extract.blocks import linearize
from crawler.extract.decode import utf8_html
from crawler.extract.dom import Element, class_id, parse
from crawler.extract.patterns import RELATED_HEADING, RELATED_HEADING_INITIALS
from crawler.text.normalize import clean_text

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))

# Words each test looks for, in every case and beside the characters that lower-casing
# turns into ASCII letters or splits (`İ` -> `i̇`, `K` (Kelvin) -> `k`).
WORDS = (
    "author", "AUTHOR", "Byline", "tac-gia", "news-source", "related", "RELATED", "lien-quan",
    "lienquan", "crumb", "breadcrumb", "location", "tag", "tags", "tag-list", "post-tags",
    "keywords", "tu-khoa", "cat", "category", "category-name", "cate_label", "chuyen-muc",
    "danh-muc", "danhmuc-name", "menu-item-object-category", "\u212aeyword", "B\u0130LINE",
    "bylİne", "x", "main", "content", "menu-item-19247", "",
)
SPACES = (" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "-", "_", "")
ODD = "".join(
    f'<div class="{c}" id="{i}" itemprop="{p}" title="{t}"><span>x</span></div>'
    for c, i, p, t in (
        ("", "", "", "author"),  # the word only in another attribute
        ("Byline", "", "", ""),
        ("", "AUTHOR-box", "", ""),
        ("", "", "author", ""),
        ("", "", "Author", ""),
        ("B\u0130LINE", "", "", ""),
        ("\u212aeyword related-posts", "x", "", ""),
        ("tin-lien-quan", "", "", "related"),
        ("a", "uthor", "", ""),  # a word across the class and the id is no word
    )
)


def _root(html: bytes) -> Element:
    root = parse(utf8_html(html))
    assert root is not None
    return root


ROOTS = [_root(page.read_bytes()) for page in PAGES] + [
    _root(f"<html><body>{ODD}</body></html>".encode())
]
ELEMENTS = [el for root in ROOTS for el in root.iter() if isinstance(el.tag, str)]


def test_the_pages_are_there():
    assert len(PAGES) > 50 and len(ELEMENTS) > 10_000


def _random_strings(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(WORDS) + rnd.choice(SPACES) for _ in range(rnd.randint(0, 6)))
        for _ in range(count)
    ]


def _plain_kinds(attrs: str) -> int:
    kinds = taxonomy._CRUMB if taxonomy._BREADCRUMB.occurs_in(attrs) else 0
    if any(taxonomy._TAG_TOKEN.search(t) for t in attrs.split()):
        kinds |= taxonomy._TAGS
    if any(taxonomy._CATEGORY_TOKEN.search(t) for t in attrs.split()):
        kinds |= taxonomy._CATEGORY
    return kinds


def test_landmark_kinds_are_those_of_the_whole_string():
    strings = {class_id(el) for el in ELEMENTS} | set(_random_strings(1, 20_000))
    named = 0
    for attrs in strings:
        kinds = taxonomy._landmark_kinds(attrs)
        assert kinds == _plain_kinds(attrs), attrs
        named += kinds != 0
    assert named > 500


def _with_attributes(values: list[tuple[str, str]]) -> Element:
    el = _root(b"<html><body><div>x</div></body></html>").find(".//div")
    assert el is not None
    for name, value in values:
        el.set(name, value)
    return el


def _odd_elements(seed: int, count: int) -> list[Element]:
    rnd = random.Random(seed)
    names = ("class", "id", "itemprop", "title", "href")
    # lxml refuses control characters in attribute values.
    texts = [t.replace("\x1c", "\x85") for t in _random_strings(seed, count)]
    return [
        _with_attributes([(n, rnd.choice(texts)) for n in rnd.sample(names, rnd.randint(0, 4))])
        for _ in range(count)
    ]


def test_byline_and_related_classes_are_read_as_from_class_and_id():
    elements = ELEMENTS + _odd_elements(2, 5_000)
    bylines = boxes = 0
    for el in elements:
        byline = author._BYLINE_CLASS.occurs_in(class_id(el)) or el.get("itemprop") == "author"
        assert author._byline_classed(el) == byline
        box = related._RELATED_CLASS.occurs_in(class_id(el))
        assert related._related_classed(el) == box
        bylines += byline
        boxes += box
    assert bylines > 50 and boxes > 50


def test_the_byline_climb_reaches_three_ancestors_and_no_further():
    for root in ROOTS[::4] + ROOTS[-1:]:
        classed: dict[Element, bool] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            line = [el, *el.iterancestors()][:4]
            expected = any(author._byline_classed(a) for a in line)
            assert author._byline_element(el, classed) == expected


def _plain_spaced_text(el: Element, limit: int) -> str | None:
    text = clean_text(" ".join(el.itertext()))
    return text if len(text) <= limit else None


BLANK_PIECES = (
    "<div>\n\t<a>Trang chủ</a>\n\t\u00a0<span>\u200b</span>\x0b<b> \x1c </b>\u2003"
    "<i>Tin\u00ad tức</i>\n\n<a>\u0301 x</a>\n</div>"
)


@pytest.mark.parametrize("limit", [0, 5, 12, 80, 240])
def test_a_text_cleaned_in_pieces_is_the_whole_text_cleaned(limit):
    long_menu = "".join(f"\n    <li>\n      <a> Mục {i} </a>\n    </li>" for i in range(200))
    odd = _root(
        f"<html><body>{BLANK_PIECES}<ul>{long_menu}</ul><p>\n\n\n</p></body></html>".encode()
    )
    # Every element of every fourth page, and each element of the odd one.
    elements = [el for root in ROOTS[::4] for el in root.iter("div", "nav", "ul", "p", "td")]
    elements += [el for el in odd.iter() if isinstance(el.tag, str)]
    for el in elements:
        assert taxonomy._spaced_text(el, limit) == _plain_spaced_text(el, limit)


def _plain_person_and_unit(line: str, *, strict: bool) -> tuple[str, str | None] | None:
    """_person_and_unit with every part read by `_people`, the line read again at the end."""
    if ")" in line[-2:] and (match := author._PAREN.match(line)) and (
        author._people(match[1], strict=False) or author._REPORTER.match(match[1])
    ):
        return match[1].strip(), match[2].strip()
    parts = author._SEPARATOR.split(line, 1)
    if len(parts) == 2:
        first, rest = parts
        if author._people(line, strict=False):
            return line, None
        if (
            author._people(first, strict=False) or author._REPORTER.match(first)
        ) and author._is_unit(rest):
            return first, rest
        if (
            author._is_abbreviation(first) or author.ORG_PREFIX.match(first + " ")
        ) and author.is_person(rest):
            return rest, first
        if not strict:
            return None
    if author._people(line, strict=strict):
        return line, None
    return None


NAME_PARTS = (
    "Nguyễn Văn An", "Trần Thị Bình", "N.HƯNG", "PV", "TTXVN", "Báo Hà Nam", "VOV-TP HCM",
    "Đức Nguyên-Hiệp Thương", "Piên", "VPTU", "Hội nghị đã thành công", "Trường THCS Lê Lợi",
    "BCĐ TỈNH", "Ban Tuyên giáo", "nhóm PV", "x", "", "Lê Minh (Đoàn Không quân)",
)
SEPARATORS = (", ", " - ", "/", " – ", "; ", "-", " | ", " ", ",", " —", "– ")


def test_a_signature_line_reads_as_with_each_part_read_on_its_own():
    lines = set()
    for root in ROOTS:
        for block in linearize(root):
            if 0 < len(block.text) <= 120:
                lines.add(block.text)
    rnd = random.Random(3)
    for _ in range(20_000):
        pieces = [rnd.choice(NAME_PARTS) for _ in range(rnd.randint(1, 4))]
        lines.add("".join(p + rnd.choice(SEPARATORS) for p in pieces).strip())
    read = 0
    for line in lines:
        for strict in (False, True):
            expected = _plain_person_and_unit(line, strict=strict)
            assert author._person_and_unit(line, strict=strict) == expected, line
            read += expected is not None
    assert read > 1_000


def _first(items: list) -> tuple[list, bool]:
    """The items a match of the parsed pattern `items` may consume first, and whether it
    may consume nothing. Zero-width items (`^`, lookarounds) consume nothing; an item of
    another kind fails the test, which must then learn it."""
    first: list = []
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op in (sre.LITERAL, sre.IN):
            return [*first, (op, av)], False
        if op is sre.SUBPATTERN:
            found, empty = _first(av[3])
        elif op is sre.BRANCH:
            parts = [_first(alternative) for alternative in av[1]]
            found = [item for part, _ in parts for item in part]
            empty = any(part_empty for _, part_empty in parts)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            found, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:
            raise AssertionError(f"{op} not handled")
        first += found
        if not empty:
            return first, False
    return first, True


def _class_of(items: list) -> str:
    """The parsed items as one character class, in the pattern's syntax."""
    parts = []
    for op, av in items:
        for kind, value in [(op, av)] if op is sre.LITERAL else av:
            if kind is sre.LITERAL:
                parts.append(re.escape(chr(value)))
            elif kind is sre.RANGE:
                parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is sre.CATEGORY and value is sre.CATEGORY_SPACE:
                parts.append(r"\s")
            else:
                raise AssertionError(f"{kind} not handled")
    return "[" + "".join(parts) + "]"


def test_a_related_heading_opens_with_one_of_the_initials_or_white_space():
    first, empty = _first(sre_parse.parse(RELATED_HEADING.pattern, RELATED_HEADING.flags).data)
    assert first and not empty
    # Every character the pattern compares equal to a first one, in any case, is let in.
    opener = re.compile(_class_of(first), RELATED_HEADING.flags)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if opener.match(char):
            assert char in RELATED_HEADING_INITIALS or char.isspace(), hex(code)
    assert {"T", "t", "X", "Đ", "»", "ả"} <= RELATED_HEADING_INITIALS
    assert not {"H", "q", "1", ""} & RELATED_HEADING_INITIALS
