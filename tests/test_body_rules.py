"""Body and page-kind rules on small synthetic pages of real Vietnamese text.

Each page keeps the chrome of a provincial portal (top line, menu, sidebar, footer) around
its main part, and its URL says nothing of its kind: the content must decide.
"""

from __future__ import annotations

import pytest

from crawler.extract import extract_article

SITE = "https://huyenuy.example.gov.vn"

# Sentences modelled on provincial news (names of people are invented).
HEADLINES = [
    "Ban Thường vụ Tỉnh ủy cho ý kiến vào các dự thảo nghị quyết, báo cáo",
    "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024",
    "Quán triệt các nghị quyết, chỉ thị, kết luận của Bộ Chính trị khóa XIII",
    "Huyện ủy chọn 2 đảng bộ cơ sở tổ chức đại hội điểm nhiệm kỳ 2025-2030",
    "Đoàn công tác của Tỉnh ủy kiểm tra vận hành chính quyền địa phương hai cấp",
    "Thông báo nhanh kết quả Hội nghị lần thứ sáu Ban Chấp hành Trung ương",
    "Tổng kết việc thực hiện Nghị quyết về sắp xếp tổ chức bộ máy tinh gọn",
    "Làm việc với các ban xây dựng Đảng về kế hoạch thực hiện nghị quyết đại hội",
]
SUMMARIES = [
    "Sáng 12/1, Ban Thường vụ Tỉnh ủy tổ chức hội nghị để thảo luận, cho ý kiến vào các nội "
    "dung quan trọng thuộc thẩm quyền.",
    "Sáng 8/7, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm, "
    "triển khai nhiệm vụ 6 tháng cuối năm.",
    "Hội nghị được tổ chức theo hình thức trực tuyến từ cấp tỉnh đến cấp xã với 1.900 đại biểu "
    "tại 75 điểm cầu.",
    "Ban Thường vụ Huyện ủy đã chọn Đảng bộ xã Tân Việt và Đảng bộ Xí nghiệp thủy lợi huyện "
    "để tổ chức đại hội điểm.",
    "Chiều 18/7, các đoàn công tác đã đến làm việc, kiểm tra vận hành chính quyền địa phương "
    "hai cấp tại các xã trong tỉnh.",
    "Hội nghị được tổ chức trực tuyến đến các xã, phường, thị trấn với 226 điểm cầu và hơn "
    "32.000 đảng viên tham dự.",
    "Sáng 21/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết việc đổi mới, sắp xếp tổ chức "
    "bộ máy của hệ thống chính trị.",
    "Các đồng chí lãnh đạo Tỉnh ủy làm việc với trưởng, phó các ban xây dựng Đảng về kế hoạch "
    "hành động của các đơn vị.",
]
DATES = [f"{day:02d}/03/2024 08:{day:02d}" for day in range(20, 12, -1)]
PARAGRAPH_1 = (
    "Sáng 19/11, Ban Thường vụ Huyện ủy tổ chức Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ "
    "42 thông qua dự thảo đề cương chi tiết báo cáo chính trị trình đại hội đại biểu Đảng bộ "
    "huyện nhiệm kỳ 2025-2030. Đồng chí Trần Văn Khải, Bí thư Huyện ủy chủ trì hội nghị."
)
PARAGRAPH_2 = (
    "Đại hội Đảng bộ cấp cơ sở dự kiến diễn ra từ tháng 4 đến hết tháng 5; đầu tháng 8 sẽ tổ "
    "chức Đại hội Đảng bộ huyện. Đến nay, các đảng bộ cơ sở đã cơ bản hoàn thành đại hội chi "
    "bộ và thành lập các tiểu ban phục vụ đại hội."
)


def _page(title: str, main: str) -> str:
    """A portal page: today-line, menu, `main`, a sidebar of the newest news, a footer."""
    menu = "".join(
        f'<li><a href="{SITE}/{slug}">{name}</a></li>'
        for slug, name in [
            ("", "Trang chủ"), ("gioi-thieu", "Giới thiệu"), ("tin-tuc", "Tin tức - Sự kiện"),
            ("van-ban", "Văn bản"), ("thu-vien-anh", "Thư viện ảnh"),
        ]
    )
    newest = "".join(
        f'<li><a href="{SITE}/tin/{i}.html">{h}</a></li>' for i, h in enumerate(HEADLINES[:5])
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title} - Cổng thông tin điện tử Huyện ủy</title></head><body>
<div class="top-line">Thứ Sáu, ngày 22/03/2024</div>
<ul class="main-menu">{menu}</ul>
<div class="wrapper"><div class="col-main">{main}</div>
<div class="col-right"><h3>Tin mới</h3><ul>{newest}</ul></div></div>
<div class="footer"><p>Cơ quan chủ quản: Huyện ủy. Địa chỉ: số 1 đường Trần Hưng Đạo,
thị trấn. Điện thoại: 0220 3852 111.</p></div></body></html>"""


def _teasers(count: int, *, summary: bool = True, date: bool = True) -> str:
    items = []
    for i in range(count):
        parts = [f'<h3><a href="{SITE}/tin/{100 + i}.html">{HEADLINES[i]}</a></h3>']
        if date:
            parts.append(f'<span class="date">{DATES[i]}</span>')
        if summary:
            parts.append(f"<p>{SUMMARIES[i]}</p>")
        items.append(f'<div class="item">{"".join(parts)}</div>')
    return "".join(items)


def _article(paragraphs: list[str], after: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return _page(HEADLINES[3], f"""<div class="news-detail"><h1>{HEADLINES[3]}</h1>
<div class="date">Thứ Ba, 19/11/2024 10:15</div>{body}
<p style="text-align:right"><b>Minh Nguyệt</b></p></div>{after}""")


def _is_article(html: str, path: str) -> bool:
    return extract_article(html, f"{SITE}/{path}", site=None)["is_article"]


def _long_teasers(count: int) -> str:
    """Teasers whose summary runs to two sentences, the first one featured with a photo."""
    items = []
    for i in range(count):
        photo = f'<img src="{SITE}/anh/{i}.jpg" width="300">' if i == 0 else ""
        summary = f"{SUMMARIES[i]} {SUMMARIES[(i + 3) % len(SUMMARIES)]} {PARAGRAPH_2}"
        items.append(
            f'<div class="news-item">{photo}<h3><a href="{SITE}/tin/{200 + i}.html">'
            f'{HEADLINES[i]}</a></h3><div class="sapo">{summary}</div></div>'
        )
    return "".join(items)


def _inline_teasers(count: int) -> str:
    """Each item one line: the linked headline, its date and summary run on after it."""
    return "<ul>" + "".join(
        f'<li><a href="{SITE}/tin/{300 + i}.html">{HEADLINES[i]}</a> ({DATES[i][:10]}) '
        f"{SUMMARIES[i]}</li>"
        for i in range(count)
    ) + "</ul>"


NON_ARTICLES = {
    "category with long summaries": (
        _page("Tin hoạt động", f"<h1>Tin hoạt động</h1>{_long_teasers(6)}"),
        "tin-hoat-dong/trang-3.html",
    ),
    "listing of one-line teasers": (
        _page("Hoạt động cơ sở", f"<h1>Hoạt động cơ sở</h1>{_inline_teasers(8)}"),
        "tin-tuc-su-kien/trang-4.html",
    ),
    "document index with plain abstracts": (
        _page("Văn bản", "<h1>Văn bản của Huyện ủy</h1><table><tr><th>Số/Ký hiệu</th>"
              "<th>Ngày ban hành</th><th>Trích yếu</th></tr>" + "".join(
                  f'<tr><td><a href="{SITE}/van-ban/{i}.pdf">{120 + i}-CV/HU</a></td>'
                  f"<td>{DATES[i][:10]}</td><td>Về việc {SUMMARIES[i].lower()}</td></tr>"
                  for i in range(8)
              ) + "</table>"),
        "van-ban/huyen-uy.html",
    ),
    "category with summaries": (
        _page("Tin hoạt động", f"<h1>Tin hoạt động</h1>{_teasers(8)}"
              '<div class="trang"><a href="?p=1">1</a> <a href="?p=2">2</a></div>'),
        "tin-hoat-dong/trang-2.html",
    ),
    "listing of headlines and dates": (
        _page("Tin tức", f"<h2>Tin tức - Sự kiện</h2>{_teasers(8, summary=False)}"),
        "tin-tuc-su-kien.html",
    ),
    "listing of headlines and summaries, undated": (
        _page("Xây dựng Đảng", f"<h2>Xây dựng Đảng</h2>{_teasers(6, date=False)}"),
        "chuyen-muc/xay-dung-dang.html",
    ),
    "tag page": (
        _page("Đại hội Đảng", f"<h1>Chủ đề: Đại hội Đảng</h1>{_teasers(5)}"),
        "chu-de/dai-hoi-dang.html",
    ),
    "search results": (
        _page("Tìm kiếm", '<div class="search-result"><p>Tìm thấy 5 kết quả phù hợp với '
              f"từ khóa «hội nghị»</p>{_teasers(5)}</div>"),
        "ket-qua.html?tu=hoi+nghi",
    ),
    "contact": (
        _page("Liên hệ", """<h1>Thông tin liên hệ</h1>
<p>Văn phòng Huyện ủy tiếp nhận ý kiến, thông tin phản ánh của tổ chức và công dân.</p>
<p>Địa chỉ: Số 1 đường Trần Hưng Đạo, thị trấn Thanh Hà, tỉnh Hải Dương</p>
<p>Điện thoại: 0220 3852 111 - Fax: 0220 3852 112</p>
<p>Email: vanphong@huyenuy.example.gov.vn</p>
<p>Giờ làm việc: từ thứ Hai đến thứ Sáu, sáng 7h30 - 11h30, chiều 13h30 - 17h00</p>"""),
        "gioi-thieu/van-phong.html",
    ),
    "document index": (
        _page("Văn bản chỉ đạo", "<h1>Văn bản chỉ đạo</h1><table><tr><th>Số/Ký hiệu</th>"
              "<th>Ngày ban hành</th><th>Trích yếu</th></tr>" + "".join(
                  f'<tr><td>{120 + i}-CV/HU</td><td>{DATES[i][:10]}</td><td><a href="{SITE}'
                  f'/van-ban/{i}.pdf">V/v {HEADLINES[i].lower()}</a></td></tr>'
                  for i in range(8)
              ) + "</table>"),
        "van-ban/chi-dao.html",
    ),
}


@pytest.mark.parametrize("kind", list(NON_ARTICLES))
def test_pages_that_list_or_inform_are_not_articles(kind):
    html, path = NON_ARTICLES[kind]
    assert not _is_article(html, path), kind


def test_a_short_article_of_two_paragraphs_is_an_article():
    assert _is_article(_article([PARAGRAPH_1, PARAGRAPH_2]), "tin/dai-hoi-diem-123.html")


def test_an_article_followed_by_related_teasers_is_an_article():
    related = f'<div class="lien-quan-box"><h3>Các tin đã đưa</h3>{_teasers(5)}</div>'
    html = _article([PARAGRAPH_1, PARAGRAPH_2, PARAGRAPH_1], after=related)
    assert _is_article(html, "tin/dai-hoi-diem-124.html")


def test_an_article_with_read_also_links_between_its_paragraphs_is_an_article():
    """Links interleaved with paragraphs are no teasers' summaries: the paragraphs stand."""
    paragraphs = [PARAGRAPH_1, PARAGRAPH_2, SUMMARIES[4], SUMMARIES[6]]
    links = [f'<a href="{SITE}/tin/{400 + i}.html">XEM THÊM: {HEADLINES[i]}</a>' for i in range(4)]
    body = "".join(f"<p>{p}</p><p>{a}</p>" for p, a in zip(paragraphs, links, strict=True))
    html = _page(HEADLINES[3], f"""<div class="news-detail"><h1>{HEADLINES[3]}</h1>
<div class="date">Thứ Ba, 19/11/2024 10:15</div>{body}</div>""")
    assert _is_article(html, "tin/dai-hoi-diem-125.html")


# -- the body -----------------------------------------------------------------------

MORE = [
    "Ban Chấp hành Đảng bộ huyện thống nhất cao với các nội dung của dự thảo, đồng thời đề "
    "nghị bổ sung một số chỉ tiêu về phát triển kinh tế, xây dựng nông thôn mới nâng cao.",
    "Phát biểu kết luận, đồng chí Bí thư Huyện ủy yêu cầu các cơ quan tham mưu tiếp thu đầy "
    "đủ ý kiến, hoàn thiện dự thảo trước ngày 15/12 để trình hội nghị lần sau.",
]


def _body(main: str, path: str = "tin/hoi-nghi-42.html") -> str:
    return extract_article(_page(HEADLINES[3], main), f"{SITE}/{path}", site=None)["body"] or ""


def test_an_article_inside_a_wrapper_named_after_its_sidebar_is_found():
    """`content-with-sidebar` reads as chrome, but it holds the page's prose: a layout
    wrapper, not a sidebar; a cookie notice outside it is no body."""
    main = f"""<div class="content-with-sidebar-wrp"><h1>{HEADLINES[3]}</h1>
<p>{PARAGRAPH_1}</p><p>{PARAGRAPH_2}</p><p>{MORE[0]}</p><p>{MORE[1]}</p></div>"""
    notice = """<body><div class="notice"><p>Trang web sử dụng cookie để cải thiện trải
nghiệm của bạn. Tiếp tục truy cập nghĩa là bạn đồng ý với điều này.</p></div>"""
    html = _page(HEADLINES[3], main).replace("<body>", notice)
    body = extract_article(html, f"{SITE}/tin/x-3.html", site=None)["body"]
    assert body.startswith(PARAGRAPH_1) and body.endswith(MORE[1])


def test_a_comment_thread_stays_out_however_long():
    comments = "".join(f'<div class="comment-item"><p>{p}</p></div>' for p in SUMMARIES)
    main = f"""<div class="news-detail"><h1>{HEADLINES[3]}</h1><p>{PARAGRAPH_1}</p>
<p>{PARAGRAPH_2}</p></div><div class="comments-wrap"><h3>Ý kiến bạn đọc</h3>{comments}</div>"""
    body = _body(main)
    assert PARAGRAPH_2 in body and SUMMARIES[0] not in body


def test_a_body_cut_in_two_sections_around_a_photo_is_read_whole():
    def section(paragraphs: list[str]) -> str:
        text = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f'<div class="block block-text"><section><div><div class="text">{text}' \
            "</div></div></section></div>"

    main = f"""<h1>{HEADLINES[3]}</h1>{section([PARAGRAPH_1])}
<div class="block block-image"><img src="{SITE}/anh/1.jpg" width="600">
<p>Quang cảnh hội nghị.</p></div>{section([PARAGRAPH_2, *SUMMARIES[:3], *MORE])}"""
    body = _body(main)
    assert body.startswith(PARAGRAPH_1) and body.endswith(MORE[1])


def test_paragraphs_printed_as_siblings_of_the_densest_block_join_it():
    main = f"""<h1>{HEADLINES[3]}</h1><div class="story">
<div class="para">{PARAGRAPH_1}</div><div class="para">Hội nghị đã biểu quyết thông qua.</div>
<div class="rest">{"".join(f"<p>{p}</p>" for p in [PARAGRAPH_2, *MORE, *SUMMARIES])}</div>
</div>"""
    body = _body(main)
    assert body.startswith(PARAGRAPH_1) and "biểu quyết thông qua" in body


def test_teasers_with_summaries_after_the_body_are_dropped_whatever_their_heading():
    """No `Tin liên quan` heading to stop at: linked headlines with summaries are a list."""
    main = f"""<div class="news-detail"><h1>{HEADLINES[3]}</h1><p>{PARAGRAPH_1}</p>
<p>{PARAGRAPH_2}</p><h3>Đừng bỏ lỡ</h3>{_teasers(4)}</div>"""
    body = _body(main)
    assert body.endswith(PARAGRAPH_2) and "Đừng bỏ lỡ" not in body


def test_a_dateline_above_the_body_is_neither_lead_nor_body():
    main = f"""<div class="news-detail"><h1>{HEADLINES[3]}</h1>
<div class="date">Thứ Ba, 19/11/2024 10:15</div>
<div class="meta">Cập nhật lúc 08:30 ngày 20/11/2024 | Lượt xem 1.204</div>
<p>{PARAGRAPH_1}</p><p>{PARAGRAPH_2}</p></div>"""
    result = extract_article(_page(HEADLINES[3], main), f"{SITE}/tin/x-1.html", site=None)
    assert result["body"].startswith(PARAGRAPH_1)
    assert result["lead"] in (None, PARAGRAPH_1)


def test_a_title_printed_as_plain_text_is_not_part_of_the_body():
    main = f"""<div class="news-detail"><p class="ten">{HEADLINES[3]}</p>
<p>{PARAGRAPH_1}</p><p>{PARAGRAPH_2}</p></div>"""
    result = extract_article(_page(HEADLINES[3], main), f"{SITE}/tin/x-2.html", site=None)
    assert result["title"] == HEADLINES[3]
    assert result["body"].startswith(PARAGRAPH_1)
