"""The shortcuts of printed_dates, find_title and search_dates agree with the plain
definitions they stand for: class words read by literal matchers as the patterns they
replace read them (a title class ruled out on all attribute values at once), the title's
candidates and variants as first written, lines without a calendar shape holding no date
for printed_dates, and a line read once for every context year when none of its mentions
lacks a year.

Each test computes the plain way on the lines, elements and metadata of the saved pages,
on the date strings of the test tables, and on random strings built from the words' pieces
and from date fragments: decomposed letters, invisible marks, odd case folds.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extract import published, title
from crawler.extract.blocks import Block, linearize
from crawler.extract.decode import utf8_html
from crawler.extract.dom import Element, class_id, parse, strip_junk
from crawler.extract.metadata import Metadata, read_metadata
from crawler.extract.patterns import RELATED_HEADING, SITE_TITLE_SEPARATORS
from crawler.extract.thresholds import THRESHOLDS
from crawler.text import dates
from crawler.text.dates import VN_TZ, calendar_shape, search_dates
from crawler.text.normalize import tokens

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "fixtures" / "pages").glob("*.html"))
TABLES = [Path(__file__).parent / "data" / name for name in ("date_cases.tsv", "dates_real.tsv")]


def _page(html: bytes) -> tuple[list[Block], list[str], list[Element], Metadata]:
    """The blocks, the class names, the elements and the metadata of a page."""
    root = parse(utf8_html(html))
    assert root is not None
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    names = [class_id(el) for el in elements]
    meta = read_metadata(root)
    strip_junk(root)
    return linearize(root), names, elements, meta


_READ = [_page(page.read_bytes()) for page in PAGES]
PAGE_LINES = sorted({b.text for blocks, _, _, _ in _READ for b in blocks if b.text})
PAGE_NAMES = sorted({name for _, names, _, _ in _READ for name in names})


def _table_texts() -> list[str]:
    texts = []
    for table in TABLES:
        for line in table.read_text(encoding="utf-8").splitlines()[1:]:
            if line and not line.startswith("#"):
                text = line.split("\t")[0]
                texts.append(text.encode("ascii", "backslashreplace").decode("unicode_escape")
                             if "\\u" in text else text)
    return texts


def _random_strings(pieces: tuple[str, ...], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(count)]


def test_the_inputs_are_there():
    assert len(PAGES) > 50 and len(PAGE_LINES) > 1500 and len(PAGE_NAMES) > 1000
    assert len(_table_texts()) > 300


# --- class words: literal matchers for the patterns they replace --------------------------

PLAIN_CLASS_WORDS = {
    "date label": (
        published._DATE_LABEL, r"ngay|date|time|thoi-?gian|publish|posted|created|dang-?tin"
    ),
    "today": (published._TODAY, r"today|hom-?nay|hien-?tai|weather|thoi-?tiet"),
    "update": (published._UPDATE, r"update|modif"),
    "title class": (
        title._TITLE_CLASS, r"title|tieude|tieu-de|tieu_de|headline|heading|tentin|ten-tin"
    ),
}
PLAIN_OTHER_ARTICLES = re.compile(
    r"related|lien-?quan|tin-?khac|tin-?lien|cung-?chuyen-?muc|same-?cat|xem-?nhieu|doc-?nhieu|"
    r"tin-?moi|trong-?ngay|newest|latest|most-|list-?new|news-?list|list-?news|list-?view|"
    r"mod-?list|more|o(?<![^\s_-]o)ther(?![^\s_-])"
)
# The words cut where a hyphen may or may not be, separators of every kind, letters that
# only look like them, and pieces of other words.
CLASS_PIECES = (
    "ngay", "date", "time", "thoi", "gian", "tiet", "publish", "posted", "created", "dang",
    "tin", "today", "hom", "nay", "hien", "tai", "weather", "update", "modif", "title",
    "tieu", "de", "head", "line", "ing", "ten", "related", "lien", "quan", "khac", "cung",
    "chuyen", "muc", "same", "cat", "xem", "nhieu", "doc", "moi", "trong", "newest",
    "latest", "most", "list", "new", "news", "s", "view", "mod", "more", "o", "other",
    "ther", "-", "-", "_", " ", " ", "\t", "\u00a0", "\u2003", "x", "ſ", "é", "đ", "Title",
)
CLASS_STRINGS = PAGE_NAMES + _random_strings(CLASS_PIECES, 30000, seed=16)


@pytest.mark.parametrize("name", PLAIN_CLASS_WORDS)
def test_class_words_match_where_their_pattern_does(name):
    matcher, pattern = PLAIN_CLASS_WORDS[name]
    plain = re.compile(pattern)
    hits = 0
    for text in CLASS_STRINGS:
        expected = plain.search(text) is not None
        assert matcher.occurs_in(text) == expected, text
        hits += expected
    assert 100 < hits < len(CLASS_STRINGS) - 100


def test_other_articles_names_match_where_the_pattern_does():
    hits = 0
    for text in CLASS_STRINGS:
        expected = PLAIN_OTHER_ARTICLES.search(text) is not None
        assert published._names_other_articles(text) == expected, text
        hits += expected
    assert 100 < hits < len(CLASS_STRINGS) - 100
    assert published._names_other_articles("box other") and not published._names_other_articles(
        "another"
    )


# Attribute values that differ from the class and id, or lower-case to something else.
ODD_ELEMENTS = (
    '<p class="TITLE">', '<p title="title">', '<p id="Tieu_De">', '<p class="Tİtle">',
    '<p class="ΣHEADLINE">', '<p data-x="heading" class="news">', '<p class="ten" id="tin">',
    '<p class="">', "<p>", '<p class="x" id="ten-tin">', '<p style="title" id="head line">',
)


def test_title_classed_elements_as_their_class_id_reads():
    odd = parse("<html><body>" + "x</p>".join(ODD_ELEMENTS) + "x</p></body></html>")
    assert odd is not None
    elements = [el for _, _, page, _ in _READ for el in page]
    elements += [el for el in odd.iter("p")]
    hits = 0
    for el in elements:
        expected = title._TITLE_CLASS.occurs_in(class_id(el))
        assert title._title_classed(el) == expected, (el.tag, el.attrib)
        hits += expected
    assert len(elements) > 10000 and hits > 50


def _plain_variants(meta: Metadata) -> list[str]:
    """The title variants as first written: the <title> split by the pattern, each part
    kept when it has words, repeats and all."""
    variants = [t for t in (meta.headline, meta.og_title) if t]
    if meta.title_tag:
        variants.append(meta.title_tag)
        parts = SITE_TITLE_SEPARATORS.split(meta.title_tag)
        if len(parts) > 1:
            variants.extend(p for p in parts if tokens(p))
        cuts = list(SITE_TITLE_SEPARATORS.finditer(meta.title_tag))
        if len(cuts) > 1:
            variants.append(meta.title_tag[: cuts[-1].start()])
            variants.append(meta.title_tag[cuts[0].end():])
    site = (meta.site_name or "").lower()
    return [v for v in variants if v.lower() != site]


ODD_TITLES = (
    "Tin A - Báo X", " - Tin A - ", "Tin A | Báo X | Tỉnh ủy", "— | —", "Báo X - Báo X",
    "Tin A / B - Báo X", "Tin A :: Báo X", "Tin A || Báo X", "Tin A-Báo X", "- -", "Tin A",
)


def test_title_variants_as_first_written():
    metas = [meta for _, _, _, meta in _READ]
    for tag in ODD_TITLES:
        for headline in (None, "Tin A", "Báo X"):
            metas.append(Metadata(title_tag=tag, headline=headline, site_name="Báo X"))
            metas.append(Metadata(title_tag=tag, og_title=tag, site_name="báo x"))
    for meta in metas:
        plain = _plain_variants(meta)
        found = title._title_variants(meta)
        assert list(found) == list(dict.fromkeys(plain)), meta
        assert all(words == tokens(v) for v, words in found.items())
    assert sum(len(_plain_variants(meta)) > 2 for meta in metas) > 50


def _plain_candidates(blocks: list[Block], body_start: int | None) -> list[Block]:
    """The title candidates as first written: every test on every line, the class by its
    pattern, the box headings from every block."""
    limit = THRESHOLDS.link_min_density
    counts: dict[tuple[str, str], int] = {}
    boxes = set()
    for b in blocks:
        cls = (b.el.get("class") or "").strip()
        if b.heading and cls and b.link_density <= limit:
            key = (b.el.tag.lower(), cls)
            counts[key] = counts.get(key, 0) + 1
            if RELATED_HEADING.match(b.text):
                boxes.add(key)
    boxes |= {key for key, n in counts.items() if n >= 3}
    title_class = re.compile(PLAIN_CLASS_WORDS["title class"][1])
    found = []
    for b in blocks:
        size = len(b.text)
        if b.image is not None or not 4 <= size <= 400:
            continue
        if b.link_density > limit and not b.heading:
            continue
        emphasized = size <= 300 and b.emphasized
        if not (b.heading or emphasized or title_class.search(class_id(b.el))):
            continue
        boxed = (b.el.tag.lower(), (b.el.get("class") or "").strip()) in boxes
        below = body_start is not None and b.index > body_start
        if not (boxed or (below and b.chrome is not None) or RELATED_HEADING.match(b.text)):
            found.append(b)
    return found


def test_title_candidates_as_first_written():
    compared = 0
    for blocks, _, _, _ in _READ:
        starts = {None, 0, len(blocks) // 3, len(blocks) // 2}
        for body_start in starts:
            candidates, _ = title._candidates(blocks, body_start)
            assert candidates == _plain_candidates(blocks, body_start)
            compared += len(candidates)
    assert compared > 1000


def test_a_childless_element_is_its_only_inline_element():
    """printed_dates' label reads a line's inline elements without its text when the line's
    element has no child: iter() gives the element alone then, whatever its text."""
    elements = [el for _, _, page, _ in _READ for el in page]
    childless = [el for el in elements if len(el) == 0]
    assert all(list(el.iter()) == [el] for el in childless)
    assert len(childless) > 5000


# --- calendar shape: a line without one holds no date for printed_dates --------------------

DATE_PIECES = (
    *"0123456789/.-:,|()+ ", " ", " ", "\u00a0", "\u200b", "\u00ad", "\u0301", "a\u0301",
    *("ngày ", "tháng ", "tha\u0301ng ", "năm ", "Thứ Năm ", "Chiều ", "lúc ", "giờ "),
    *("Apr ", "APRIL ", "ſep ", "1st ", "22nd ", "2021", "1999", ", ", "hôm nay", "qua "),
)


def _date_lines() -> list[str]:
    lines = PAGE_LINES + _table_texts() + _random_strings(DATE_PIECES, 20000, seed=7)
    # The same lines decomposed, as some sites print Vietnamese.
    return lines + [unicodedata.normalize("NFD", line) for line in lines[::3]]


def test_lines_without_a_calendar_shape_hold_no_printed_date():
    shaped = dated = 0
    for text in _date_lines():
        if calendar_shape(text):
            shaped += 1
            dated += bool(published._dates_in(text, 2021))
            continue
        for year in (None, 2021):
            assert published._dates_in(text, year) == [], text
            assert search_dates(text, context_year=year) == [], text
        assert re.search(r"\d[/.\- ]\d", text) is None, text
    assert shaped > 1000 and dated > 500


# --- one reading of a line for every context year ------------------------------------------

YEARLESS = (
    "Sáng 15/3", "ngày 29/2", "Chiều 31/3, đoàn công tác", "15/3 và 20/4/2021", "ngày 4-7",
    "Sáng nay (01.8)", "ngày 22 tháng 4", "29/2 lúc 9h", "Cập nhật: 10:05 - 29/02",
)


def _direct(text: str, now: datetime | None, year: int | None) -> list[dates.DateMatch]:
    """search_dates read straight with this context year, through no cache."""
    found, _ = dates._search.__wrapped__(text, now, year)
    return list(found)


def test_a_line_read_for_one_context_year_answers_for_another():
    rng = random.Random(3)
    lines = [*YEARLESS, *_table_texts(), *_random_strings(DATE_PIECES, 4000, seed=11)]
    lines += [text for text in PAGE_LINES if calendar_shape(text)]
    now = datetime(2021, 4, 1, 9, 20, tzinfo=VN_TZ)
    asked = 0
    for text in lines:
        # Each line asked in a random order of years, so that any of them reads it first.
        for year in rng.sample([None, 2019, 2020, 2024], 4):
            for moment in (None, now):
                assert search_dates(text, now=moment, context_year=year) == _direct(
                    text, moment, year
                ), (text, moment, year)
                asked += 1
    # The year decides for the yearless lines: 29/2 is a date in 2020 and 2024 alone.
    assert search_dates("ngày 29/2", context_year=2019) == []
    assert [m.iso for m in search_dates("ngày 29/2", context_year=2024)] == ["2024-02-29"]
    assert asked > 10000
