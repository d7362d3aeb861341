"""The small decisions the end-to-end tests only cover from afar: the frontier's walk
rules, which links a crawl follows, the health verdict, bylines, and what is an article."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.crawl import links
from crawler.crawl.frontier import Frontier, Options, WalkState
from crawler.crawl.health import Thresholds, problems
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
    assert decision.follow_next and decision.reason == "no walk of this listing has ended well yet"
    assert decision.fetch == ()
    assert f.first_pages == {"/tin": (A, B)}


def test_a_walk_stops_at_a_page_of_known_articles_once_it_met_an_anchor() -> None:
    f = frontier(known={A: "2020-01-01", B: "2020-01-01"}, walks={"/tin": WalkState(True, (B,))})
    decision = f.listing_page("/tin", 1, [(A, None), (B, None)])
    assert (decision.follow_next, decision.reason) == (False, "nothing new")


def test_known_articles_before_the_anchors_do_not_stop_the_walk() -> None:
    # A and B were stored through other paths (another category, a related list, a
    # killed run): the listing beyond them was never verified.
    known = {A: "2020-01-01", B: "2020-01-01", C: "2019-01-01"}
    f = frontier(known=known, walks={"/tin": WalkState(False, (C,))})
    first = f.listing_page("/tin", 1, [(A, None), (B, None)])
    assert first.follow_next and first.reason == "known articles, but not yet the verified part"
    assert not f.listing_page("/tin", 2, [(C, None)]).follow_next


def test_new_articles_keep_the_walk_going_and_are_fetched() -> None:
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, (A,))})
    decision = f.listing_page("/tin", 1, [(A, None), (C, None)])
    assert decision.follow_next and decision.fetch == (C,)


def test_max_known_pages_allows_that_many_known_pages_in_a_row() -> None:
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, (A,))}, max_known_pages=3)
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
    f = frontier(known={A: "2020-01-01"}, walks={"/tin": WalkState(True, (A,))}, full=True)
    assert f.listing_page("/tin", 7, [(A, None)]).follow_next


def test_all_walks_complete_needs_every_listing_walked_well() -> None:
    walks = {"/a": WalkState(True, (A,)), "/b": WalkState(False, (B,))}
    assert not frontier(walks=walks).all_walks_complete(["/a", "/b"])
    assert frontier(walks=walks).all_walks_complete(["/a"])
    assert not frontier(walks=walks).all_walks_complete(["/c"])


PER_PAGE = 5


def _walk(listed, stored, walks, max_known, killed_after, side_known, rng):
    """One run over one listing as the spider drives the frontier: the pages it fetches,
    what it stores (all of it, or a random part of it when the run is killed after
    `killed_after` pages), and the walk state it leaves."""
    stored |= side_known
    f = Frontier(
        known=dict.fromkeys(stored, "2020-01-01"),
        walks=walks,
        options=Options(max_known_pages=max_known),
        now=NOW,
    )
    fetched: set[str] = set()
    pages = [listed[i : i + PER_PAGE] for i in range(0, len(listed), PER_PAGE)] or [[]]
    ended = False
    for number, items in enumerate(pages, start=1):
        if killed_after is not None and number > killed_after:
            break
        decision = f.listing_page("/tin", number, [(u, None) for u in items])
        fetched |= set(decision.fetch)
        if not decision.follow_next or number == len(pages):
            ended = True
            break
    if killed_after is not None:
        stored |= {u for u in fetched if rng.random() < 0.5}  # the committed batches
        return walks
    stored |= fetched
    if ended:
        return {"/tin": WalkState(True, f.first_pages["/tin"])}
    return walks


@given(
    history=st.lists(
        st.tuples(
            st.integers(0, 17),  # articles published since the run before
            st.none() | st.integers(1, 6),  # killed after this many listing pages
            st.integers(0, 100),  # percent of the new ones stored through other paths
        ),
        max_size=8,
    ),
    max_known=st.integers(1, 3),
    seed=st.integers(0, 2**32),
)
def test_no_history_of_kills_makes_an_incremental_walk_miss_an_article(
    history, max_known, seed
) -> None:
    """Whatever runs were killed and whatever was stored by other paths before, one run
    that ends well leaves every listed article stored: what a full crawl would store."""
    rng = random.Random(seed)
    listed: list[str] = [f"http://site.vn/old-{i}.html" for i in range(12)]
    stored: set[str] = set()
    walks: dict[str, WalkState] = {}
    for n, (published, killed_after, side_share) in enumerate(history):
        new = [f"http://site.vn/{n}-{i}.html" for i in range(published)]
        listed = new + listed
        side = {u for u in new if rng.random() * 100 < side_share}
        walks = _walk(listed, stored, walks, max_known, killed_after, side, rng)
    _walk(listed, stored, walks, max_known, None, set(), rng)
    assert set(listed) <= stored


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


# -- health -------------------------------------------------------------------------


def healthy(checked: int, **changes) -> dict:
    """The stats of a crawl that stored `checked` new or updated articles, all complete."""
    stats = {"tinhuy/checked": checked}
    stats.update({f"tinhuy/coverage/{name}": checked for name in ("title", "published", "body")})
    return {**stats, **changes}


def test_articles_with_replacement_characters_fail_the_health_check() -> None:
    urls = [f"http://site.vn/a-{i}.html" for i in range(5)]
    stats = healthy(200, **{"tinhuy/replacement_chars": 5, "tinhuy/replacement_chars_urls": urls})
    assert problems(stats) == [
        "5 of 200 new/updated articles have U+FFFD in the title or body: their pages did not "
        f"decode (e.g. {urls[0]}, {urls[1]}, {urls[2]})"
    ]


@pytest.mark.parametrize("garbled", [None, 0, 1, 2])
def test_up_to_one_percent_of_articles_may_have_replacement_characters(garbled) -> None:
    # None: a crawl whose stats do not count them (an older storage pipeline).
    changes = {} if garbled is None else {"tinhuy/replacement_chars": garbled}
    assert problems(healthy(200, **changes)) == []


def test_the_replacement_character_share_is_a_threshold() -> None:
    stats = healthy(200, **{"tinhuy/replacement_chars": 1})
    assert problems(stats, Thresholds(max_replacement_share=0)) == [
        "1 of 200 new/updated articles have U+FFFD in the title or body: their pages did not decode"
    ]
    # A crawl that stored no new article has no share to judge (and divides by nothing).
    assert problems(healthy(0, **{"tinhuy/replacement_chars": 0})) == []


# -- bylines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "styled", "author", "unit", "source"),
    [
        ("Phạm Thị Hoài, VPTU", False, "Phạm Thị Hoài", "VPTU", None),
        ("Hồng Nhung - Ban Tuyên giáo", False, "Hồng Nhung", "Ban Tuyên giáo", None),
        ("Nguyễn Văn An (Trung tâm Chính trị)", False, "Nguyễn Văn An", "Trung tâm Chính trị",
         None),
        ("BTGTU - Hồng Nhung", False, "Hồng Nhung", "BTGTU", None),
        ("Theo Báo Hải Dương", False, None, None, "Báo Hải Dương"),
        ("(Nguồn: Báo Hà Nam)", False, None, None, "Báo Hà Nam"),
        ("PV", False, "PV", None, None),
        ("Nhóm PV", False, "Nhóm PV", None, None),
        ("NGUYỄN HẢI MINH", True, "NGUYỄN HẢI MINH", None, None),
        ("HẢI MINH", True, "HẢI MINH", None, None),
        ("VPTU", True, None, "VPTU", None),
        ("BBT", True, None, "BBT", None),
    ],
)  # fmt: skip
def test_byline_forms(line, styled, author, unit, source) -> None:
    byline = parse_byline(line, styled=styled)
    assert byline is not None
    assert (byline.author, byline.unit, byline.source) == (author, unit, source)


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


def test_a_unit_alone_is_never_a_person_and_a_source_is_never_the_author() -> None:
    vptu = parse_byline("VPTU", styled=True)
    assert (vptu.author, vptu.unit, vptu.source) == (None, "VPTU", None)
    theo = parse_byline("Theo Báo Hải Dương")
    assert (theo.author, theo.unit, theo.source) == (None, None, "Báo Hải Dương")


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
