"""The small decisions the end-to-end tests only cover from afar: the frontier's walk
rules, which links a crawl follows, bylines, and what is an article."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.crawl import links
from crawler.crawl.frontier import Frontier, Options, WalkState
from crawler.extract.author import parse_byline
from crawler.extract.classify import PageSignals, is_article
from crawler.sites import get_site
from crawler.text.dates import VN_TZ

NOW = datetime(2021, 4, 22, 8, 0, tzinfo=VN_TZ)
A, B, C = "http://site.vn/a-1.html", "http://site.vn/b-2.html", "http://site.vn/c-3.html"


def frontier(known=None, walks=None, **options) -> Frontier:
    return Frontier(known=known or {}, walks=walks or {}, options=Options(**options), now=NOW)


# -- frontier -----------------------------------------------------------------------


def test_a_first_walk_goes_on_whatever_it_finds() -> None:
    f = frontier(known={A: "2020-01-01", B: "2020-01-01"})
    decision = f.listing_page("/tin", 1, [(A, None), (B, None)])
    assert decision.follow_next and decision.reason == "first walk of this listing"
    assert decision.fetch == ()


def test_a_complete_walk_stops_at_a_page_of_known_articles() -> None:
    f = frontier(known={A: "2020-01-01", B: "2020-01-01"}, walks={"/tin": WalkState(True, 9)})
    decision = f.listing_page("/tin", 1, [(A, None), (B, None)])
    assert (decision.follow_next, decision.reason) == (False, "nothing new")


def test_new_articles_keep_the_walk_going_and_are_fetched() -> None:
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, 9)})
    decision = f.listing_page("/tin", 1, [(A, None), (C, None)])
    assert decision.follow_next and decision.fetch == (C,)


def test_an_interrupted_walk_resumes_at_least_as_deep_as_it_got() -> None:
    known = {A: "2020-01-01", B: "2020-01-01"}
    f = frontier(known=known, walks={"/tin": WalkState(False, 5)})
    for page in range(1, 6):
        assert f.listing_page("/tin", page, [(A, None), (B, None)]).follow_next, page
    assert not f.listing_page("/tin", 6, [(A, None), (B, None)]).follow_next


def test_max_known_pages_allows_that_many_known_pages_in_a_row() -> None:
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, 9)}, max_known_pages=3)
    results = [f.listing_page("/tin", p, [(A, None)]).follow_next for p in (1, 2, 3)]
    assert results == [True, True, False]


def test_since_cuts_the_walk_and_is_remembered() -> None:
    f = frontier(since="2021-01-01")
    decision = f.listing_page("/tin", 3, [(A, "2021-02-01"), (B, "2020-12-31")])
    assert not decision.follow_next and decision.fetch == (A,)
    assert f.cut_by_since == {"/tin"}


def test_recent_known_articles_are_refetched_old_ones_are_not() -> None:
    f = frontier(known={A: "2021-04-21", B: "2021-01-01", C: None}, refresh_days=2)
    assert f.wants_article(A)
    assert not f.wants_article(B)
    assert not f.wants_article(C)
    assert f.wants_article("http://site.vn/new-4.html")


def test_full_walks_everything() -> None:
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, 1)}, full=True)
    assert f.listing_page("/tin", 7, [(A, None)]).follow_next


def test_all_walks_complete_needs_every_listing_walked_well() -> None:
    walks = {"/a": WalkState(True, 3), "/b": WalkState(False, 2)}
    assert not frontier(walks=walks).all_walks_complete(["/a", "/b"])
    assert frontier(walks=walks).all_walks_complete(["/a"])
    assert not frontier(walks=walks).all_walks_complete(["/c"])


# -- links ----------------------------------------------------------------------------

HAIDUONG = get_site("haiduong")
BASE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/news/Pages/new.aspx?CateID=1&ItemID=3523", "article"),
        ("/news/pages/new.aspx?ItemID=3523&utm_source=fb#binh-luan", "article"),
        ("/province/Pages/about.aspx?CateID=2&ItemID=30", "article"),
        ("/news/Pages/new.aspx?CateID=1", "listing"),
        ("/news/Pages/new.aspx?Page=3&CateID=1", "listing"),
        ("/NEWS/pages/NEW.aspx?CateID=1&Page=3", "listing"),
        ("/news/Pages/new.aspx?CateID=1&Page=3&sort=views", None),
        ("/news/Pages/new.aspx?CateID=99", None),
        ("/Pages/lien-he.aspx", None),
        ("/upload/van-ban.pdf", None),
    ],
)
def test_link_kinds_on_the_haiduong_site(href, expected) -> None:
    url = links.absolute(href, BASE + "/", HAIDUONG)
    assert url is not None
    assert links.kind(url, HAIDUONG) == expected


@pytest.mark.parametrize("href", ["javascript:void(0)", "mailto:a@b.vn", "tel:0220", "#top", ""])
def test_links_that_are_never_requests(href) -> None:
    assert links.absolute(href, BASE + "/", HAIDUONG) is None


def test_tracking_parameters_and_fragments_leave_the_request() -> None:
    url = links.absolute("/a-1.html?utm_source=x&fbclid=y&id=2#c", BASE + "/", HAIDUONG)
    assert url == BASE + "/a-1.html?id=2"
    assert links.same_origin(url, BASE)
    assert not links.same_origin(url, "http://127.0.0.1:8001")


# -- bylines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "styled", "author", "unit"),
    [
        ("Phạm Thị Hoài, VPTU", False, "Phạm Thị Hoài", "VPTU"),
        ("Hồng Nhung - Ban Tuyên giáo Tỉnh ủy", False, "Hồng Nhung", "Ban Tuyên giáo Tỉnh ủy"),
        ("Nguyễn Văn An (Trung tâm Chính trị)", False, "Nguyễn Văn An", "Trung tâm Chính trị"),
        ("BTGTU - Hồng Nhung", False, "Hồng Nhung", "BTGTU"),
        ("Theo Báo Hải Dương", False, None, "Báo Hải Dương"),
        ("(Nguồn: Báo Hà Nam)", False, None, "Báo Hà Nam"),
        ("PV", False, "PV", None),
        ("Nhóm PV", False, "Nhóm PV", None),
        ("NGUYỄN HẢI MINH", True, "NGUYỄN HẢI MINH", None),
        ("HẢI MINH", True, "HẢI MINH", None),
        ("VPTU", True, None, "VPTU"),
        ("BBT", True, None, "BBT"),
    ],
)  # fmt: skip
def test_byline_forms(line, styled, author, unit) -> None:
    byline = parse_byline(line, styled=styled)
    assert byline is not None
    assert (byline.author, byline.unit) == (author, unit)


@pytest.mark.parametrize(
    "line",
    [
        "Hội nghị đã thống nhất thông qua các nội dung quan trọng của năm.",
        "Xem với cỡ chữ",
        "Theo kế hoạch, hội nghị kéo dài hai ngày",
        "",
    ],
)
def test_sentences_and_chrome_are_not_bylines(line) -> None:
    assert parse_byline(line) is None


def test_a_unit_alone_is_never_a_person_and_a_source_is_the_author() -> None:
    assert parse_byline("VPTU", styled=True).resolved() == (None, "VPTU")
    assert parse_byline("Theo Báo Hải Dương").resolved() == ("Báo Hải Dương", None)


def test_a_bare_name_needs_a_known_surname_unless_styled() -> None:
    assert parse_byline("Hoài Thu") is None
    assert parse_byline("Hoài Thu", styled=True) is not None
    assert parse_byline("Nguyễn Hoài Thu") is not None


# -- is_article ---------------------------------------------------------------------


def signals(**changes) -> PageSignals:
    base = {
        "url": "http://site.vn/tin-tuc/hoi-nghi-1523.html",
        "title": "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ năm",
        "prose_chars": 1800,
        "paragraphs": ["Chiều 31/3, đồng chí Lê Văn Hiệu làm việc với Trường Chính trị tỉnh."] * 6,
        "dated": True,
        "prose_blocks": 6,
        "teaser_links": 0,
        "date_lines": 0,
        "declared_article": False,
        "title_in_menu": False,
    }
    return PageSignals(**(base | changes))


def test_a_dated_article_with_prose_is_an_article() -> None:
    assert is_article(signals())


def test_a_short_article_of_two_paragraphs_is_still_an_article() -> None:
    assert is_article(signals(prose_chars=320, prose_blocks=2, paragraphs=["x" * 160] * 2))


@pytest.mark.parametrize(
    "changes",
    [
        {"url": "http://site.vn/"},
        {"url": "http://site.vn/index.aspx"},
        {"url": "http://site.vn/tim-kiem?keyword=dang"},
        {"url": "http://site.vn/lien-he"},
        {"title": "Kết quả tìm kiếm"},
        {"title": None},
        {"prose_chars": 120},
        {"dated": False, "prose_chars": 400},
        {"teaser_links": 8, "date_lines": 8},
        {"teaser_links": 6, "prose_blocks": 6},
        {"date_lines": 6, "prose_blocks": 6},
        {"title_in_menu": True, "teaser_links": 1},
        {"paragraphs": ["Địa chỉ: 1 Quang Trung", "Điện thoại: 0220 3850", "Email: a@b.vn"]},
    ],
)
def test_listing_search_contact_and_home_pages_are_not_articles(changes) -> None:
    assert not is_article(signals(**changes))
