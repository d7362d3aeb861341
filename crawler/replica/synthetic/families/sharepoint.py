# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""SharePoint 2013 provincial portal: articles at `/Pages/<slug>.aspx?ItemID=N`, listing
pages at `/Pages/<list>.aspx` whose pager is postback-only (`javascript:__doPostBack`),
so nothing past page 1 has an address; every article is in `/sitemap.xml` with its
`<lastmod>`. Date above the title (`Thứ Tư, 28/07/2021 | 07:45`), `ms-rteElement-P`
paragraphs, `(Nguồn: Báo ...)` or `Name (UNIT)` last (sharepoint_* fixtures)."""

from __future__ import annotations

import re
from datetime import datetime, time

from crawler.replica.synthetic.content import Article
from crawler.replica.synthetic.families.base import Family, Route
from crawler.replica.synthetic.families.common import (
    Section,
    attr,
    body_html,
    bylines,
    dmy,
    lead_of,
    shown_pages,
    text,
    weekday,
)
from crawler.replica.synthetic.families.feeds import sitemap
from crawler.text.dates import VN_TZ

_PAGE = re.compile(r"^/pages/([a-z0-9-]+)\.aspx$", re.IGNORECASE)
CONTACT = "/Pages/lienhe.aspx"
WEBPART = "ctl00$ctl42$g_7c1f2e9a_4b3d_4e8a_9c51_2b6d3f0e8a47$ctl00"


class SharePoint(Family):
    name = "sharepoint"
    description = (
        "SharePoint portal: /Pages/slug.aspx?ItemID=N, postback-only listing pages, "
        "/sitemap.xml with every article, date above the title"
    )
    sections = (
        Section("tin-tuc", "Tin tức - Sự kiện", 1, "tintuc"),
        Section("chi-dao", "Chỉ đạo điều hành", 2, "chidaodieuhanh"),
        Section("kinh-te", "Kinh tế", 3, "kinhte"),
        Section("van-hoa", "Văn hóa - Xã hội", 4, "vanhoaxahoi"),
    )
    weights = (5, 3, 2, 2)
    byline = staticmethod(
        bylines({"nguon": 4, "name_unit_paren": 4, "none": 3, "name": 1})
    )
    id_base = 18000
    per_page = 10
    contact_url = CONTACT
    documents_url = "/Pages/vanbanchidao.aspx"
    sitemap_url = "/sitemap.xml"

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        return f"/Pages/thong-bao-{variant}.aspx?ItemID={number}"

    def article_url(self, article: Article) -> str:
        return f"/Pages/{article.slug}.aspx?ItemID={article.id}"

    def moved_url(self, article: Article) -> str:
        # The publishing page the list item is shown by, addressed by its id alone.
        return f"/Pages/chitiet.aspx?ItemID={article.id}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        if page != 1 or slug is None:
            return None
        return f"/Pages/{self.by_slug[slug].alias}.aspx"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/":
            return Route("home")
        if path == self.sitemap_url:
            return Route("sitemap")
        match = _PAGE.match(path)
        if not match:
            return None
        name = match[1].lower()
        if "ItemID" in query:
            index = self.article_index(query["ItemID"])
            return None if index is None else Route("article", index=index)
        if path.lower() == CONTACT.lower():
            return Route("contact")
        for s in self.sections:
            if s.alias == name:
                return Route("listing", s.slug, 1)
        return None

    def sitemap(self, base_url: str) -> bytes:
        day = datetime.combine(self.content.snapshot, time(0), VN_TZ)
        entries: list[tuple[str, datetime | None]] = [("/", day)]
        entries += [(self.listing_url(s.slug, 1) or "", day) for s in self.sections]
        entries += [(self.article_url(a), a.published) for a in self._all()]
        return sitemap(base_url, entries)

    def _all(self) -> list[Article]:
        return [self.content.article(i) for i in self.members(None)]

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, path: str, main: str) -> str:
        menu = "\n".join(
            f'<li><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></li>'
            for s in self.sections
        )
        latest = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a><span class="dt">{dmy(a.published)}</span></li>'
            for a in self.newest(5)
        )
        today = self.today
        return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" /><meta http-equiv="X-UA-Compatible" content="IE=10" />
<title>
	Cổng thông tin điện tử tỉnh - {text(title)}
</title>
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css"/>
<script type="text/javascript" src="/_layouts/15/init.js"></script>
</head>
<body>
<form method="post" action="{attr(path)}" onsubmit="javascript:return WebForm_OnSubmit();" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUBMA9kFgJmD2QWAgIBD2QWBAIBD2QWAgIFD2QWAmYPZBYCAgEPFgIeE1ByZXZpb3Vz" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
//]]>
</script>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header">
    <div class="top-bar"><span class="top-date">{weekday(today)}, {dmy(today)}</span>
        <span class="top-links"><a href="/Pages/sodoweb.aspx">Sơ đồ cổng</a> | <a href="{CONTACT}">Liên hệ</a></span>
        <div class="search-top"><input name="ctl00$g_search$txtKeyword" type="text" id="txtKeyword" placeholder="Nhập từ khóa..." /><a href="javascript:void(0)" onclick="SearchPortal()">Tìm kiếm</a></div>
    </div>
    <div class="logo"><a href="/"><img src="/PublishingImages/banner.png" alt="Cổng thông tin điện tử tỉnh" /></a></div>
    <div class="main-menu"><ul class="root">
<li><a href="/">Trang chủ</a></li>
{menu}
<li><a href="/Pages/vanbanchidao.aspx">Văn bản chỉ đạo</a></li>
<li><a href="{CONTACT}">Liên hệ</a></li>
    </ul></div>
</div>
<div class="content-wrap">
<div class="col-main">
<div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpart-chrome ms-webpart-chrome-vertical ms-webpart-chrome-fullWidth">
<div webpartid="7c1f2e9a-4b3d-4e8a-9c51-2b6d3f0e8a47" id="WebPartWPQ2" class="ms-WPBody">
{main}
</div></div></div>
</div>
<div class="col-side">
<div class="box-side"><h3 class="box-side-title">Tin mới nhất</h3><ul>
{latest}
</ul></div>
<div class="box-side"><a href="https://dichvucong.gov.vn"><img src="/PublishingImages/dvc.png" alt="Cổng Dịch vụ công quốc gia" /></a></div>
</div>
</div>
<div class="footer">
    <p><strong>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH</strong></p>
    <p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh - Điện thoại: 0226.3852.701</p>
    <p>Ghi rõ nguồn "Cổng thông tin điện tử tỉnh" khi phát hành lại thông tin từ Cổng thông tin điện tử này.</p>
</div>
</div></div>
</form>
</body>
</html>
"""

    def _crumb(self, section: Section) -> str:
        url = attr(self.listing_url(section.slug, 1) or "")
        return f'<div class="duongdan"><a href="/">Trang chủ</a> &gt; <a href="{url}">{text(section.name)}</a></div>'

    def article(self, article: Article) -> str:
        section = self.section(article)
        p = article.published
        body = body_html(
            article,
            lambda value: f'<p class="ms-rteElement-P" style="text-align: justify;">{text(value)}</p>',
            _image,
        )
        if article.author_line:
            line = text(article.author_line)
            body += "\n" + (
                f'<p class="ms-rteElement-P" style="text-align: right;"><em>{line}</em></p>'
                if article.source
                else f'<p class="ms-rteElement-P" style="text-align: right;"><strong>{line}</strong></p>'
            )
        related = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> ({dmy(a.published)})</li>'
            for a in self.related(article)
        )
        main = f"""<div class="chitiet">
{self._crumb(section)}
<div class="chitiet-ngay">{weekday(p)}, {dmy(p)} | {p:%H:%M}</div>
<h3 class="chitiet-tieude">{text(article.title)}</h3>
<div class="article-tools"><a href="javascript:window.print()">In bài</a> | <a href="javascript:void(0)" onclick="SendToFriend()">Gửi bài</a> | Cỡ chữ: <a href="javascript:void(0)" onclick="zoom(1)">+</a> <a href="javascript:void(0)" onclick="zoom(-1)">-</a></div>
<div class="chitiet-tomtat"><strong>{text(article.lead)}</strong></div>
<div class="ms-rtestate-field"><div class="ExternalClass{article.id}">
{body}
</div></div>
<div class="tin-lien-quan"><h4>Các tin khác</h4><ul>
{related}
</ul></div>
</div>"""
        return self._page(article.title, self.article_url(article), main)

    def listing(self, slug: str | None, page: int) -> str:
        assert slug is not None
        section = self.by_slug[slug]
        pages = self.pages(slug)
        rows = "\n".join(
            f"""<div class="tin-item">
<a href="{attr(self.article_url(a))}"><img src="/PublishingImages/tin/{a.id}.jpg" alt="" class="anh-dai-dien" /></a>
<h4><a href="{attr(self.article_url(a))}">{text(a.title)}</a></h4>
<span class="ngay">{dmy(a.published)}</span>
<p class="tom-tat">{text(lead_of(a))}</p>
</div>"""
            for a in self.listed(slug, page)
        )
        # The list view's pager posts the form back: no page has an address of its own.
        pager = " ".join(
            f'<span class="selected">{n}</span>'
            if n == page
            else f"<a href=\"javascript:__doPostBack('{WEBPART}$rptPager$ctl{n:02d}$lbtPage','')\">{n}</a>"
            for n in shown_pages(page, pages)
        )
        if page < pages:
            pager += f" <a href=\"javascript:__doPostBack('{WEBPART}$lbtNext','')\">Trang sau</a>"
        main = f"""<div class="danhsach">
{self._crumb(section)}
<h2 class="tieu-de-chuyen-muc">{text(section.name)}</h2>
{rows}
<div class="phan-trang">{pager}</div>
</div>"""
        return self._page(section.name, self.listing_url(slug, 1) or "", main)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="dt">({dmy(a.published)})</span></li>'
                for a in self.newest(4, s.slug)
            )
            url = attr(self.listing_url(s.slug, 1) or "")
            blocks.append(f'<div class="khoi-tin"><h3><a href="{url}">{text(s.name)}</a></h3><ul>\n{items}\n</ul></div>')
        specials = self.notices()
        main = "\n".join(blocks) + f'\n<div class="thong-bao"><ul>\n{specials}\n</ul></div>'
        return self._page("Trang chủ", "/", main)

    def static(self, title: str, html: str) -> str:
        return self._page(title, self.documents_url, f'<div class="vanban">{html}</div>')

    def contact(self) -> str:
        main = """<div class="chitiet"><h3 class="chitiet-tieude">Liên hệ</h3>
<p>Văn phòng UBND tỉnh - Đường Trường Chinh - Điện thoại: 0226.3852.701</p>
<p>Email: vpubnd@tinh.gov.vn</p>
<a href="javascript:__doPostBack('ctl00$ctl42$g_contact$btnSend','')">Gửi ý kiến</a></div>"""
        return self._page("Liên hệ", CONTACT, main)


def _image(image: dict) -> str:
    caption = image["caption"]
    row = f'<p class="ms-rteElement-P" style="text-align: center;"><em>{text(caption)}</em></p>' if caption else ""
    return (
        f'<p class="ms-rteElement-P" style="text-align: center;"><img alt="{attr(image["alt"])}" '
        f'src="{attr(image["src"])}" style="width: 600px;" /></p>{row}'
    )
