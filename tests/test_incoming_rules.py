"""The general rules the incoming pages of fixtures/incoming asked for, each on a small page.

Each page keeps a portal's chrome (today-line, menu, sidebar of the newest news, footer with
the site's name) around one article, so that a rule is tested where it has to choose. The
text is modelled on provincial news; the people are invented.
"""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from crawler.extract.author import parse_byline
from crawler.text.dates import normalize_date

SITE = "https://huyen.example.gov.vn"
URL = f"{SITE}/tin-tuc/bai-viet-1234.html"
HEADLINE = "Huyện ủy tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm"
P1 = (
    "Sáng 12/7, Huyện ủy tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm, "
    "triển khai nhiệm vụ những tháng cuối năm. Đồng chí Trần Văn Khải, Bí thư Huyện ủy "
    "chủ trì hội nghị."
)
P2 = (
    "Trong 6 tháng đầu năm, các tổ chức cơ sở đảng đã kết nạp 86 đảng viên mới, đạt 57% "
    "kế hoạch; công tác kiểm tra, giám sát được thực hiện đúng quy định, góp phần giữ "
    "vững kỷ cương trong Đảng."
)
P3 = (
    "Phát biểu kết luận hội nghị, đồng chí Bí thư Huyện ủy đề nghị các cấp ủy tiếp tục "
    "đổi mới nội dung sinh hoạt chi bộ, nâng cao chất lượng đảng viên và chuẩn bị tốt "
    "cho đại hội đảng bộ các cấp."
)
OTHER = [
    ("Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 12", f"{SITE}/tin-tuc/bai-viet-1201.html"),
    ("Huyện ủy quán triệt các nghị quyết của Trung ương", f"{SITE}/tin-tuc/bai-viet-1188.html"),
]
NEWEST = [
    ("Ra quân Tháng hành động vì môi trường năm 2024", f"{SITE}/tin-tuc/bai-viet-1240.html"),
    ("Giao ban công tác dân vận quý III năm 2024", f"{SITE}/tin-tuc/bai-viet-1238.html"),
]


def _links(items: list[tuple[str, str]], date: str = "") -> str:
    return "".join(f'<li><a href="{url}">{text}</a> {date}</li>' for text, url in items)


def _page(main: str, *, title_tag: str = HEADLINE, head: str = "") -> str:
    """A portal page around `main`: today-line, menu, a `Tin mới` sidebar, a footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title_tag}</title>
{head}</head><body>
<div class="today">Thứ Bảy, 05/10/2024</div>
<ul class="main-menu"><li><a href="{SITE}/">Trang chủ</a></li>
<li><a href="{SITE}/tin-hoat-dong">Tin hoạt động</a></li>
<li><a href="{SITE}/xay-dung-dang">Xây dựng Đảng</a></li></ul>
<div class="wrapper"><div class="col-main">{main}</div>
<div class="col-right"><h3 class="box-title">Tin mới</h3><ul>{_links(NEWEST, "(04/10/2024)")}</ul>
</div></div>
<div id="footer"><p><b>TRANG THÔNG TIN ĐIỆN TỬ HUYỆN ỦY</b></p>
<p>Địa chỉ: số 1 đường Trần Hưng Đạo, thị trấn. Điện thoại: 0220 3852 111.</p></div>
</body></html>"""


SIGNED = '<p style="text-align:right"><b>Minh Nguyệt</b></p>'


def _article(before: str = "", after: str = "", *, date: str = "Thứ Sáu, 12/07/2024 15:30",
             heading: str = f'<h1 class="news-title">{HEADLINE}</h1>', opening: str = "",
             signed: str = SIGNED) -> str:
    """Title, date line and body (`opening` heads the body), between `before` and `after`."""
    return (
        f'{before}{heading}<div class="news-date">{date}</div><div class="news-content">'
        f"{opening}<p>{P1}</p><p>{P2}</p><p>{P3}</p>{signed}</div>{after}"
    )


def _read(html: str, url: str = URL) -> dict:
    return extract_article(html, url, site=None)


# --- title ---------------------------------------------------------------------------


def test_the_site_name_in_the_footer_is_not_the_title() -> None:
    page = _page(_article(heading=f'<h3 class="title">{HEADLINE}</h3>'),
                 title_tag="Chi tiết tin tức - Trang thông tin điện tử Huyện ủy")
    assert _read(page)["title"] == HEADLINE


def test_a_module_heading_the_title_tag_names_is_not_the_title() -> None:
    module = '<h2 class="TitleHead">Tin hoạt động</h2>'
    sidebar = f'<h2 class="TitleHead">Tin mới nhất</h2><ul>{_links(NEWEST)}</ul>'
    found = _read(_page(_article(before=module, after=sidebar), title_tag="Tin hoạt động"))
    assert found["title"] == HEADLINE
    assert found["lead"] is None and found["body"].startswith(P1[:40])


def test_an_unaccented_title_tag_finds_the_accented_heading() -> None:
    # Without the match, the heading nearest the body (the subtitle) would be taken.
    heading = f'<td class="news_title">{HEADLINE}</td>'
    subtitle = '<h3 class="sub-title">Nhiều chỉ tiêu đạt và vượt kế hoạch đề ra</h3>'
    unaccented = "Huyen uy to chuc hoi nghi so ket cong tac xay dung Dang 6 thang dau nam"
    main = f"<table><tr>{heading}</tr></table>{_article(heading='', opening=subtitle)}"
    assert _read(_page(main, title_tag=unaccented))["title"] == HEADLINE


def test_a_caption_under_the_first_photo_is_not_the_title() -> None:
    photo = (
        f'<div style="text-align:center"><img src="{SITE}/anh/hoi-nghi.jpg" width="600" '
        'height="400"></div><div style="text-align:center"><em>Quang cảnh hội nghị sơ kết '
        "công tác xây dựng Đảng</em></div>"
    )
    main = (
        f'<table><tr><td class="news_title">{HEADLINE}</td></tr></table>'
        f'<div class="news-date">12/07/2024 15:30</div><div class="news-content">{photo}'
        f"<div>{P1}</div><div>{P2}</div><div>{P3}</div></div>"
    )
    found = _read(_page(main, title_tag="Trang thông tin điện tử"))
    assert found["title"] == HEADLINE
    assert found["captions"] == ["Quang cảnh hội nghị sơ kết công tác xây dựng Đảng"]
    assert [i["src"] for i in found["images"]] == [f"{SITE}/anh/hoi-nghi.jpg"]


def test_an_icon_opening_the_sapo_neither_splits_nor_hides_it() -> None:
    sapo = f'<p><b><img src="{SITE}/images/logo-bao.png" width="36" height="14"> - {P1}</b></p>'
    main = _article(heading=f"<h1>{HEADLINE}</h1>{sapo}").replace(f"<p>{P1}</p>", "")
    assert _read(_page(main))["lead"] == f"- {P1}"


# --- related -------------------------------------------------------------------------


def test_a_teaser_line_in_the_body_is_related_and_the_body_goes_on() -> None:
    teaser = f'<p class="xem-them">Xem thêm: <a href="{OTHER[0][1]}">{OTHER[0][0]}</a></p>'
    found = _read(_page(_article().replace(f"<p>{P2}</p>", f"{teaser}<p>{P2}</p>")))
    assert found["related"] == [OTHER[0][1]]
    assert P3[:40] in found["body"] and "Xem thêm" not in found["body"]


def test_a_list_under_a_heading_of_tabs_is_related_and_prev_next_links_are_not() -> None:
    prev_next = (
        f'<div class="post-prev-next"><a href="{NEWEST[0][1]}"><span>Bài trước</span>'
        f'<h3>{NEWEST[0][0]}</h3></a><a href="{NEWEST[1][1]}"><span>Bài sau</span>'
        f"<h3>{NEWEST[1][0]}</h3></a></div>"
    )
    tabs = (
        '<div class="block-related"><h4 class="related-title"><a href="#">BÀI VIẾT LIÊN QUAN'
        '</a><a href="#">XEM THÊM TỪ TÁC GIẢ</a></h4>'
        + "".join(f'<h3 class="entry-title"><a href="{u}">{t}</a></h3>' for t, u in OTHER)
        + "</div>"
    )
    assert _read(_page(_article(after=prev_next + tabs)))["related"] == [u for _, u in OTHER]


def test_a_list_ends_where_another_box_begins() -> None:
    related = (
        f'<div class="itemRelated"><h3>Các bài viết liên quan</h3><ul>{_links(OTHER)}</ul></div>'
    )
    navigation = (
        f'<div class="itemNavigation">Các bài viết khác trong mục này: <a href="{NEWEST[0][1]}">'
        f'« {NEWEST[0][0]}</a> <a href="{NEWEST[1][1]}">{NEWEST[1][0]} »</a></div>'
    )
    assert _read(_page(_article(after=related + navigation)))["related"] == [u for _, u in OTHER]


def test_a_list_classed_as_related_needs_no_heading() -> None:
    inline = f'<ul class="related-inline">{_links(OTHER)}</ul>'
    found = _read(_page(_article().replace(f"<p>{P2}</p>", f"{inline}<p>{P2}</p>")))
    assert found["related"] == [u for _, u in OTHER]


# --- published -----------------------------------------------------------------------


def _published(found: dict) -> str | None:
    return normalize_date(found["published_raw"]) if found["published_raw"] else None


def test_a_date_printed_with_spaces_is_read() -> None:
    assert _published(_read(_page(_article(date="22 08 2022 in trang")))) == "2022-08-22"


def test_a_date_in_the_title_is_no_publish_date() -> None:
    heading = "<h2>Trao tặng 637 Huy hiệu Đảng đợt 19/5/2023</h2>"
    found = _read(_page(_article(heading=heading, date=""),
                        title_tag="Trao tặng 637 Huy hiệu Đảng đợt 19/5/2023"))
    assert found["published_raw"] is None


def test_the_time_element_of_the_printed_date_gives_its_time() -> None:
    date = '<time class="date" datetime="2023-12-13T02:15:00Z">13/12/2023</time>'
    assert _published(_read(_page(_article(date=date)))) == "2023-12-13T09:15:00+07:00"


# --- category ------------------------------------------------------------------------


def test_a_breadcrumb_drawn_with_arrow_images_names_the_category() -> None:
    trail = (
        f'<table><tr><td><a href="{SITE}/">Trang chủ</a> <img src="/images/arrow_path.gif"> '
        f'<a href="{SITE}/kinh-te-chinh-tri">Kinh tế - Chính trị</a></td></tr></table>'
    )
    assert _read(_page(_article(before=trail)))["category"] == "Kinh tế - Chính trị"


def test_a_category_tag_above_the_title_names_the_category() -> None:
    label = f'<div class="category-name"><a href="{SITE}/xay-dung-dang">Xây dựng Đảng</a></div>'
    assert _read(_page(_article(before=label)))["category"] == "Xây dựng Đảng"


# --- page kind -----------------------------------------------------------------------


def _listing_item(i: int) -> str:
    """A K2 category item: header (date, linked title), then a body of its own."""
    title, url = (OTHER + NEWEST)[i]
    return (
        f'<div class="catItemView"><div class="catItemHeader"><span class="catItemDate">'
        f'Thứ Hai, {10 + i} Tháng 6 2024 08:30</span><h3 class="catItemTitle"><a href="{url}">'
        f'{title}</a></h3></div><div class="catItemBody"><div class="catItemIntroText">'
        f"<p>{(P1, P2, P3)[i]} {(P3, P1, P2)[i]}</p></div></div>"
        f'<a class="catItemReadMore" href="{url}">Đọc thêm...</a></div>'
    )


def test_a_section_page_titled_as_its_menu_entry_is_no_article() -> None:
    # The body found is one item's intro: no teaser in it, a date above it.
    main = "<h2>Xây dựng Đảng</h2>" + "".join(_listing_item(i) for i in range(3))
    page = _page(main, title_tag="Xây dựng Đảng")
    assert _read(page, f"{SITE}/xay-dung-dang")["is_article"] is False


def test_a_declared_article_listed_in_a_menu_of_recent_posts_stays_an_article() -> None:
    title = "Kỷ niệm ngày thành lập Đảng"
    head = '<meta property="og:type" content="article">'
    recent = f'<ul class="menu"><li><a href="{URL}">{title}</a></li></ul>'
    page = _page(_article(heading=f"<h1>{title}</h1>", after=recent), title_tag=title, head=head)
    assert _read(page)["is_article"] is True


# --- tags ----------------------------------------------------------------------------


def test_a_visible_tag_list_under_its_label_beats_the_declared_tags() -> None:
    head = '<meta property="article:tag" content="Huyện ủy">'
    tags = (
        '<div class="h5"><strong>Từ khóa: </strong><a href="/tag/xay-dung-dang">xây dựng '
        'Đảng</a>, <a href="/tag/huyen-uy">Huyện ủy</a></div>'
    )
    assert _read(_page(_article(after=tags), head=head))["tags"] == ["xây dựng Đảng", "Huyện ủy"]


def test_a_tag_cloud_in_the_sidebar_is_not_the_article_s() -> None:
    cloud = '<div class="sidebar"><div><b>Tags</b> ' + " ".join(
        f'<a href="/tag/{i}">chủ đề {i}</a>' for i in range(12)
    ) + "</div></div>"
    assert _read(_page(_article(after=cloud)))["tags"] == []


# --- bylines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "unit"),
    [
        ("TTVH-TT&TT HÀM TÂN", None, "TTVH-TT&TT HÀM TÂN"),  # a unit's initials and its place
        ("BCĐ TỈNH", None, "BCĐ TỈNH"),  # no syllable without a vowel is a name
        ("TQ", "TQ", None),  # a reporter's initials
        ("VPTU", None, "VPTU"),  # a unit signing for its staff
        ("Đức Nguyên-Hiệp Thương, TTVHTTTTDL", "Đức Nguyên-Hiệp Thương", "TTVHTTTTDL"),
        ("Thiên Lý /VOV-TP HCM", "Thiên Lý", "VOV-TP HCM"),
    ],
)
def test_capitals_initials_and_glued_co_authors(line: str, author: str | None,
                                                unit: str | None) -> None:
    found = parse_byline(line, styled=True)
    assert found is not None and (found.author, found.unit) == (author, unit)


def test_the_author_field_of_a_meta_line_is_read_and_the_line_is_no_sapo() -> None:
    meta_line = '<div class="news-view">Lượt xem: 456 | Tác giả: TTVH-TT&TT HÀM TÂN</div>'
    found = _read(_page(_article(heading=f"<h1>{HEADLINE}</h1>{meta_line}", signed="")))
    assert (found["author"], found["author_unit"]) == (None, "TTVH-TT&TT HÀM TÂN")
    assert found["lead"] is None


def test_a_signature_above_the_body_is_the_byline() -> None:
    signature = (
        '<p style="text-align:right"><strong>TS. Lương Văn Thành</strong></p>'
        '<p style="text-align:right"><em>Tỉnh ủy viên, Hiệu trưởng</em></p>'
    )
    found = _read(_page(_article(opening=signature, signed="")))
    assert found["author"] == "Lương Văn Thành"
    assert found["author_unit"] == "Tỉnh ủy viên, Hiệu trưởng"


# --- images ----------------------------------------------------------------------------


def _above_body(between: str) -> str:
    return (
        f'<h1 class="news-title">{HEADLINE}</h1><div class="news-date">12/07/2024 15:30</div>'
        f'{between}<div class="news-content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>'
    )


def test_a_captioned_featured_image_above_the_body_is_the_articles_first_image() -> None:
    featured = (
        f'<div class="featured_image"><a href="{SITE}/anh/so-ket.jpg"><div class="thumb">'
        f'<img src="data:image/png;base64,iVBORw0KGgo=" data-src="{SITE}/anh/so-ket.jpg" '
        f'width="750" height="450"></div></a><p class="wp-caption-text">{HEADLINE}</p></div>'
    )
    found = _read(_page(_above_body(featured)))
    assert found["title"] == HEADLINE
    assert found["images"] == [{"src": f"{SITE}/anh/so-ket.jpg", "caption": HEADLINE}]
    assert found["captions"] == [HEADLINE]
    assert found["body"].split("\n\n") == [P1, P2, P3]


def test_an_avatar_or_an_uncaptioned_banner_above_the_body_is_no_image_of_it() -> None:
    between = (
        f'<div class="meta-author"><img src="{SITE}/avatar/admin.jpg" width="80" height="80">'
        f' bởi admin</div><div class="banner-top"><img src="{SITE}/qc/tet.jpg" width="728" '
        'height="300"></div><p class="note">Ảnh: Minh họa</p>'
    )
    found = _read(_page(_above_body(between)))
    assert found["images"] == []
    assert found["captions"] == []
