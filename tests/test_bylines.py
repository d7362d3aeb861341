"""Bylines read from real signature lines, and the publish date read from a labelled element.

tests/data/bylines_real.json holds real byline lines gathered from Vietnamese provincial,
Party and press sites, each labelled by hand with the author as printed (titles dropped),
the author's unit, the publication a `Theo ...`/`Nguồn: ...` line credits, and the kind of
signer. `where` says how the line was printed: `element` is the text of a byline element,
`tail` the last paragraphs of the body, in order, with the end of the prose before the
signature when the page showed it (cut to its last words after `… `). Rows of kind `none` are
real last paragraphs that sign nothing. The rules were written against this set: its
figures are the floor the rules must keep, not a measure on unseen pages.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from crawler.extract.author import Byline, byline_from_tail, parse_byline
from crawler.extract.blocks import Block, linearize
from crawler.extract.dom import parse
from crawler.extract.published import printed_dates

ROWS = json.loads((Path(__file__).parent / "data" / "bylines_real.json").read_text("utf-8"))
FIELDS = ("author", "author_unit", "source")
# What the rules reach on the set, a little under the figures printed (`pytest -s`).
FLOORS = {"author": 0.95, "author_unit": 0.95, "source": 0.95}
PROSE = (
    "Hội nghị đã thảo luận, thống nhất các giải pháp trọng tâm để thực hiện thắng lợi "
    "nhiệm vụ chính trị của địa phương trong những tháng cuối năm."
)


def _blocks(html: str) -> list[Block]:
    root = parse(f"<html><body>{html}</body></html>")
    assert root is not None
    return [b for b in linearize(root) if b.text]


def _tail(paragraphs: list[str]) -> tuple[Byline | None, list[Block]]:
    return byline_from_tail(_blocks("".join(f"<p>{p}</p>" for p in paragraphs)))


def _read(row: dict) -> dict[str, str | None]:
    if row["where"] == "element":
        found = parse_byline(row["lines"][0], styled=True)
    else:
        found, _ = _tail([escape(PROSE), *(escape(line) for line in row["lines"])])
    if found is None:
        return dict.fromkeys(FIELDS)
    return {"author": found.author, "author_unit": found.unit, "source": found.source}


READ = [_read(row) for row in ROWS]


@pytest.mark.parametrize("field", FIELDS)
def test_real_bylines_are_read_field_by_field(field: str) -> None:
    right = sum(1 for row, got in zip(ROWS, READ, strict=True) if got[field] == row[field])
    misses = [
        (row["host"], row["lines"][-1][:60], row[field], got[field])
        for row, got in zip(ROWS, READ, strict=True) if got[field] != row[field]
    ]
    print(f"\n{field}: {right}/{len(ROWS)} right on {len(ROWS)} real bylines", *misses, sep="\n  ")
    assert right / len(ROWS) >= FLOORS[field], misses


def test_lines_that_sign_nothing_give_no_byline() -> None:
    """The last paragraph of prose, `./.` and all, never reads as a signature."""
    for row, got in zip(ROWS, READ, strict=True):
        if row["kind"] == "none":
            assert got == dict.fromkeys(FIELDS), row["lines"]


@pytest.mark.parametrize("kind", ["source", "editorial", "account"])
def test_no_source_unit_or_account_becomes_an_author(kind: str) -> None:
    for row, got in zip(ROWS, READ, strict=True):
        if row["kind"] == kind and row["author"] is None:
            assert got["author"] is None, row["lines"]


# -- the forms, one by one -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "unit", "source"),
    [
        ("Theo Báo Hải Dương", None, None, "Báo Hải Dương"),
        ("(Nguồn: Báo Hà Nam)", None, None, "Báo Hà Nam"),
        ("(TTXVN/Vietnam+)", None, None, "TTXVN/Vietnam+"),
        ("Theo Thái Sơn/Báo QĐND", "Thái Sơn", None, "Báo QĐND"),
        ("Bài và ảnh: Thanh Thúy", "Thanh Thúy", None, None),
        ("Tin, ảnh: Bích Hằng", "Bích Hằng", None, None),
        ("Tác giả bài viết: Bé Nhỏ", "Bé Nhỏ", None, None),
        ("Thiên Lý /VOV-TP HCM", "Thiên Lý", "VOV-TP HCM", None),
        ("PGS.TS Nguyễn Văn An - Học viện Chính trị khu vực I", "Nguyễn Văn An",
         "Học viện Chính trị khu vực I", None),
        ("Đại tá, ThS. NGUYỄN HỮU LẬP", "NGUYỄN HỮU LẬP", None, None),
        ("N.HƯNG", "N.HƯNG", None, None),
        ("Huyền Trang – Thái Hiền", "Huyền Trang – Thái Hiền", None, None),
        ("Ban biên tập", None, "Ban biên tập", None),
        ("Người đăng: admin", None, None, None),
        ("admin", None, None, None),
        ("PV", "PV", None, None),
        ("P.V", "P.V", None, None),
    ],
)  # fmt: skip
def test_byline_forms_in_a_byline_element(line, author, unit, source) -> None:
    found = parse_byline(line, styled=True)
    assert found is not None
    assert (found.author, found.unit, found.source) == (author, unit, source)


def test_a_source_alone_is_no_author_and_an_account_is_nobody() -> None:
    theo = parse_byline("Theo TTXVN")
    assert (theo.author, theo.unit, theo.source) == (None, None, "TTXVN")
    account = parse_byline("Người đăng: Quản trị viên")
    assert account is None or (account.author, account.unit, account.source) == (None, None, None)


def test_a_bold_signature_glued_to_the_last_paragraph_is_cut_from_it() -> None:
    text = "Các đơn vị đã trao 150 suất quà cho các hộ nghèo trong tỉnh."
    found, used = byline_from_tail(_blocks(
        f"<p>{PROSE}</p><p>{text} <strong>Minh Thu, Ban Dân vận Tỉnh ủy</strong></p>"
    ))
    assert found is not None and used == []
    assert (found.author, found.unit, found.rest) == ("Minh Thu", "Ban Dân vận Tỉnh ủy", text)


def test_a_name_after_the_closing_mark_is_a_signature() -> None:
    text = "Hội nghị đã thành công tốt đẹp./."
    found, _ = _tail([PROSE, f"{text} Hoàng Cận"])
    assert found is not None
    assert (found.author, found.rest) == ("Hoàng Cận", text)


def test_a_bold_phrase_ending_a_sentence_is_no_signature() -> None:
    found, _ = byline_from_tail(_blocks(
        f"<p>{PROSE}</p><p>Hội nghị do đồng chí <b>Nguyễn Văn Hùng</b></p>"
    ))
    assert found is None


def test_a_right_aligned_name_in_capitals_with_its_unit_below() -> None:
    found, used = byline_from_tail(_blocks(
        f'<p>{PROSE}</p><p style="text-align: right;"><strong>ThS. TRẦN NGỌC NHIỀU</strong>'
        "<br><em>Trường Chính trị tỉnh Quảng Nam</em></p>"
    ))
    assert found is not None and len(used) == 2
    assert (found.author, found.unit) == ("TRẦN NGỌC NHIỀU", "Trường Chính trị tỉnh Quảng Nam")


def test_credit_lines_under_a_signature_are_not_its_author() -> None:
    found, used = _tail([PROSE, "Bài: Huỳnh Luân", "Ảnh: Hồng Nhị"])
    assert found is not None and found.author == "Huỳnh Luân" and len(used) == 2


# -- the publish date ---------------------------------------------------------------

TITLE = "Huyện ủy Đô Lương tổ chức trao huy hiệu Đảng cho các đảng viên"
LEAD = (
    "Trong 3 ngày từ 30/11 đến 2/12 huyện ủy Đô Lương đã tổ chức trang trọng lễ trao huy hiệu "
    "65, 60, 55, 50, 40 và 30 năm tuổi Đảng cho các đảng viên."
)
BODY = (
    "Tại các Đảng bộ, các đồng chí thường trực huyện ủy đã trực tiếp về trao huy hiệu cho các "
    "đảng viên được trao huy hiệu Đảng."
)
RELATED = "".join(
    f'<li><a href="/tin/{i}.html">{title}</a><div class="date">({day}/11/2013 09:1{i})</div></li>'
    for i, (title, day) in enumerate([
        ("Huyện ủy Đô lương tổ chức học Nghị quyết Trung ương 9", "28"),
        ("Các Đảng bộ, chi bộ trực thuộc chuẩn bị tốt Đại hội", "27"),
    ])
)


def _published(label: str, *, today: str = "Thứ Tư, 24/03/2021 07:45") -> str | None:
    """The date printed_dates puts first on a page whose template prints, in order: a
    today-line outside any header, the title, the labelled date, the body and a list of
    other articles with their own dates."""
    blocks = _blocks(
        f'<div class="top-info"><span>{today}</span></div><div class="detail"><h1>{TITLE}</h1>'
        f"{label}<p>{LEAD}</p><p>{BODY}</p></div>"
        f'<div class="box-news"><h3>Các tin khác</h3><ul>{RELATED}</ul></div>'
    )
    anchor = next(b for b in blocks if b.text == TITLE)
    found = printed_dates(blocks, anchor, set(), None)
    return found[0][2].iso[:10] if found else None


@pytest.mark.parametrize(
    "label",
    [
        '<div class="ngay-dang">Ngày đăng: 03/12/2013</div>',
        '<div class="date-news">03/12/2013</div>',
        '<p class="thoi-gian">Cập nhật lúc: 03/12/2013</p>',
        '<div class="meta"><span class="post-date">03/12/2013</span> | Lượt xem: 87</div>',
        '<div id="publishTime">03-12-2013</div>',
    ],
)
def test_the_date_in_a_labelled_element_beats_the_today_line(label: str) -> None:
    assert _published(label) == "2013-12-03"


def test_a_labelled_today_line_and_the_dates_of_other_articles_are_never_ours() -> None:
    today = '<span class="today">Thứ Tư, 24/03/2021 07:45</span>'
    assert _published("", today=today) is None


def test_an_unlabelled_date_line_under_the_title_still_counts() -> None:
    assert _published("<div>03/12/2013 10:20</div>", today="") == "2013-12-03"


def test_the_dates_in_a_box_of_other_articles_are_not_ours_however_its_heading_is_wrapped() -> None:
    blocks = _blocks(
        f'<div class="detail"><h1>{TITLE}</h1><p>{LEAD}</p><p>{BODY}</p></div>'
        f'<div class="box"><div class="title"><h3>Các tin khác</h3></div><ul>{RELATED}</ul></div>'
    )
    anchor = next(b for b in blocks if b.text == TITLE)
    assert printed_dates(blocks, anchor, set(), None) == []
