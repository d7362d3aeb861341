# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""DotNetNuke 7 with a news-articles module: tabs with friendly URLs
(`/tabid/124/Default.aspx`), articles at `/tabid/124/ArticleID/27851/Default.aspx`,
listings paged by `/tabid/124/CurrentPage/2/Default.aspx`, WebForms chrome with `dnn_ctr*`
ids, a DateToken today-line, `Cập nhật lúc 14:30 ngày 05/03/2021` under the title and the
byline as the body's last, right-aligned bold paragraph (dnn_langson_giam_sat)."""

from __future__ import annotations

import re

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

_ARTICLE = re.compile(r"^/tabid/(\d+)/articleid/(\d+)/default\.aspx$", re.IGNORECASE)
_LISTING = re.compile(r"^/tabid/(\d+)(?:/currentpage/(\d+))?/default\.aspx$", re.IGNORECASE)
HOME_TAB = 36
CONTACT_TAB = 152
DOCUMENTS_TAB = 145


class DotNetNuke(Family):
    name = "dotnetnuke"
    description = (
        "DNN 7 portal: /tabid/N/ArticleID/N/Default.aspx, /CurrentPage/N/ pages, "
        "`Cập nhật lúc` dates, byline last in the body"
    )
    sections = (
        Section("hoat-dong", "Hoạt động chỉ đạo, điều hành", 124, "Hoat-dong-chi-dao"),
        Section("tin-tuc", "Tin tức - Sự kiện", 96, "Tin-tuc-Su-kien"),
        Section("xay-dung-dang", "Xây dựng Đảng", 131, "Xay-dung-Dang"),
        Section("kinh-te", "Kinh tế - Xã hội", 140, "Kinh-te-Xa-hoi"),
    )
    weights = (3, 5, 2, 2)
    byline = staticmethod(
        bylines({"name_unit_dash": 5, "name": 2, "theo": 2, "none": 2, "pv": 1})
    )
    id_base = 27000
    per_page = 10
    contact_url = f"/tabid/{CONTACT_TAB}/Default.aspx"
    home_urls = ("/", f"/tabid/{HOME_TAB}/Default.aspx")
    documents_url = f"/tabid/{DOCUMENTS_TAB}/Default.aspx"

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        tab = DotNetNuke.sections[variant - 1].key
        return f"/tabid/{tab}/ArticleID/{number}/Default.aspx"

    def article_url(self, article: Article) -> str:
        return f"/tabid/{self.section(article).key}/ArticleID/{article.id}/Default.aspx"

    def moved_url(self, article: Article) -> str:
        # The module's own address of the article, as older pages and e-mails link it.
        tab = self.section(article).key
        return f"/Default.aspx?tabid={tab}&ctl=ViewDetail&mid=530&ArticleID={article.id}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        tab = self.by_slug[slug].key if slug else HOME_TAB
        if page == 1:
            return f"/tabid/{tab}/Default.aspx"
        return f"/tabid/{tab}/CurrentPage/{page}/Default.aspx"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        by_tab = {s.key: s.slug for s in self.sections}
        if path == "/" or path.lower() == "/default.aspx":
            if "ArticleID" in query:
                index = self.article_index(query["ArticleID"])
                return None if index is None else Route("article", index=index)
            tab = query.get("tabid", "")
            if not tab:
                return Route("home")
            path = f"/tabid/{tab}/Default.aspx"
        if match := _ARTICLE.match(path):
            index = self.article_index(match[2])
            return None if index is None else Route("article", index=index)
        if match := _LISTING.match(path):
            tab = int(match[1])
            if tab == HOME_TAB:
                return Route("home")
            if tab == CONTACT_TAB:
                return Route("contact")
            if tab in by_tab:
                return Route("listing", by_tab[tab], int(match[2] or 1))
        return None

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, description: str, trail: str, content: str) -> str:
        menu = "\n".join(
            f'<li><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></li>'
            for s in self.sections
        )
        latest = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> '
            f'<span class="NormalGray">({dmy(a.published)})</span></li>'
            for a in self.newest(6)
        )
        today = self.today
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xml:lang="vi-VN" lang="vi-VN" xmlns="http://www.w3.org/1999/xhtml">
<head id="Head">
<!-- DNN Platform - http://www.dnnsoftware.com -->
<meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<meta id="MetaDescription" name="DESCRIPTION" content="{attr(description)}" />
<meta id="MetaGenerator" name="GENERATOR" content="DotNetNuke " />
<meta id="MetaRobots" name="ROBOTS" content="INDEX, FOLLOW" />
<title>
	{text(title)}
</title>
<link href="/Portals/_default/Skins/TinhUy/skin.css?cdv=61" type="text/css" rel="stylesheet"/>
<script src="/Resources/libraries/jQuery/01_09_01/jquery.js?cdv=61" type="text/javascript"></script>
</head>
<body id="Body">
<form method="post" action="/Default.aspx" id="Form" enctype="multipart/form-data">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="nV0rJ5o4c3pQkq+2ZpHtd3W1hN4qRuZ6fQ2h1nA0sJmWg==" />
</div>
<div id="skin_wrapper">
  <div id="skin_header">
    <div class="top-row">
      <span id="dnn_dnnCURRENTDATE_lblDate" class="DateToken">{weekday(today)}, {dmy(today)}</span>
      <div class="login"><a id="dnn_dnnLOGIN_loginLink" class="LoginLink" rel="nofollow" href="/tabid/{HOME_TAB}/ctl/Login/Default.aspx">Đăng nhập</a></div>
      <div id="dnn_dnnSEARCH_ClassicSearch"><input name="dnn$dnnSEARCH$txtSearch" type="text" id="dnn_dnnSEARCH_txtSearch" class="NormalTextBox" placeholder="Tìm kiếm..." />
        <a id="dnn_dnnSEARCH_cmdSearch" class="SearchButton" href="javascript:__doPostBack('dnn$dnnSEARCH$cmdSearch','')">Tìm</a></div>
    </div>
    <div class="logo"><a id="dnn_dnnLOGO_hypLogo" title="Cổng thông tin điện tử Tỉnh ủy" href="/"><img id="dnn_dnnLOGO_imgLogo" src="/Portals/0/logo_banner.png" alt="Cổng thông tin điện tử Tỉnh ủy" /></a></div>
    <div id="dnn_dnnNAV_ctldnnNAV" class="mainMenu"><ul>
<li><a href="/tabid/{HOME_TAB}/Default.aspx">Trang chủ</a></li>
{menu}
<li><a href="{self.documents_url}">Văn bản pháp quy</a></li>
<li><a href="{self.contact_url}">Liên hệ</a></li>
</ul></div>
    <div class="breadcrumb">Bạn đang ở: <span id="dnn_dnnBREADCRUMB_lblBreadCrumb"><a href="/tabid/{HOME_TAB}/Default.aspx" class="Breadcrumb">Trang chủ</a>{trail}</span></div>
  </div>
  <div id="skin_content">
    <div id="dnn_LeftPane" class="LeftPane">
      <div class="DnnModule DnnModule-NewsArticles DnnModule-531"><a name="531"></a>
      <div class="c_head"><h2><span id="dnn_ctr531_dnnTITLE_titleLabel" class="Head">TIN MỚI NHẬN</span></h2></div>
      <div id="dnn_ctr531_ContentPane"><div id="dnn_ctr531_ModuleContent" class="DNNModuleContent ModNewsC">
        <ul class="latest">
{latest}
        </ul>
      </div></div></div>
    </div>
    <div id="dnn_ContentPane" class="ContentPane">
      <div class="DnnModule DnnModule-NewsArticles DnnModule-530"><a name="530"></a>
      <div id="dnn_ctr530_ContentPane" class="ModuleContainer"><div id="dnn_ctr530_ModuleContent" class="DNNModuleContent ModNewsArticlesC">
{content}
      </div></div></div>
    </div>
  </div>
  <div id="skin_footer">
    <p><b>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ỦY</b></p>
    <p>Cơ quan chủ quản: Văn phòng Tỉnh ủy - Địa chỉ: Số 2 đường Hoàng Văn Thụ - Điện thoại: 0205.3812.345</p>
    <p>Ghi rõ nguồn "Cổng thông tin điện tử Tỉnh ủy" khi phát hành lại thông tin từ website này.</p>
    <span id="dnn_dnnCOPYRIGHT_lblCopyright" class="Footer">Copyright 2012 - {today.year} by Văn phòng Tỉnh ủy</span>
  </div>
</div>
</form>
</body>
</html>
"""

    def _crumb(self, section: Section) -> str:
        url = self.listing_url(section.slug, 1) or ""
        return f' › <a href="{attr(url)}" class="Breadcrumb">{text(section.name)}</a>'

    def article(self, article: Article) -> str:
        section = self.section(article)
        p = article.published
        body = body_html(
            article,
            lambda value: f'<p style="text-align: justify;">{text(value)}</p>',
            _image,
        )
        if article.author_line:
            body += (
                f'\n<p style="text-align: right;"><strong>{text(article.author_line)}</strong></p>'
            )
        related = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> - '
            f"<i>{dmy(a.published)}</i></li>"
            for a in self.related(article)
        )
        content = f"""<div id="dnn_ctr530_ViewDetail_pnlDetail" class="article-detail">
<h1><span id="dnn_ctr530_ViewDetail_lblTitle" class="Head">{text(article.title)}</span></h1>
<div class="article-date"><span id="dnn_ctr530_ViewDetail_lblDate" class="NormalGray">Cập nhật lúc {p:%H:%M} ngày {dmy(p)}</span></div>
<div class="article-tools"><a id="dnn_ctr530_ViewDetail_lnkPrint" href="javascript:window.print();">In trang</a> | <a href="mailto:?body={attr(self.article_url(article))}">Gửi cho bạn bè</a> | Cỡ chữ <a href="#" class="fs-up">A+</a> <a href="#" class="fs-down">A-</a></div>
<div id="dnn_ctr530_ViewDetail_divSummary" class="Summary"><b>{text(article.lead)}</b></div>
<div id="dnn_ctr530_ViewDetail_divContent" class="Normal">
{body}
</div>
<div class="views">Lượt xem: <span id="dnn_ctr530_ViewDetail_lblViews">{article.index * 7 % 5000 + 120}</span></div>
<div class="other-articles">
<h3 class="SubHead">Các tin khác</h3>
<ul>
{related}
</ul>
</div>
</div>"""
        title = f"{article.title} - Cổng TTĐT Tỉnh ủy"
        return self._page(title, lead_of(article, 160), self._crumb(section), content)

    def listing(self, slug: str | None, page: int) -> str:
        assert slug is not None
        section = self.by_slug[slug]
        pages = self.pages(slug)
        rows = "\n".join(
            f"""<div class="news-item">
<a href="{attr(self.article_url(a))}"><img src="/Portals/0/News/thumb_{a.id}.jpg" class="thumb" alt="" /></a>
<a class="title" href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="NormalGray">({dmy(a.published)} {a.published:%H:%M})</span>
<div class="summary">{text(lead_of(a))}</div>
</div>"""
            for a in self.listed(slug, page)
        )
        links = " ".join(
            f'<span class="CurrentPage">{n}</span>'
            if n == page
            else f'<a class="CommandButton" href="{attr(self.listing_url(slug, n) or "")}">{n}</a>'
            for n in shown_pages(page, pages)
        )
        if page < pages:
            nxt = attr(self.listing_url(slug, page + 1) or "")
            links += f' <a class="CommandButton" href="{nxt}">Trang sau</a>'
        content = f"""<div class="ModNewsArticlesC listing">
<h2 class="Head">{text(section.name)}</h2>
{rows}
<div class="PagingTable">Trang {page}/{pages}: {links}</div>
</div>"""
        title = f"{section.name} - Cổng TTĐT Tỉnh ủy"
        return self._page(title, section.name, self._crumb(section), content)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> '
                f'<span class="NormalGray">({dmy(a.published)})</span></li>'
                for a in self.newest(4, s.slug)
            )
            url = attr(self.listing_url(s.slug, 1) or "")
            blocks.append(
                f'<div class="home-block"><h2 class="Head"><a href="{url}">{text(s.name)}</a>'
                f"</h2>\n<ul>\n{items}\n</ul></div>"
            )
        newest = self.newest(1)
        featured = ""
        if newest:
            top = newest[0]
            featured = (
                f'<div class="featured"><h2><a href="{attr(self.article_url(top))}">'
                f"{text(top.title)}</a></h2><p>{text(lead_of(top, 300))}</p></div>\n"
            )
        specials = self.notices()
        content = featured + "\n".join(blocks) + f'\n<ul class="notices">\n{specials}\n</ul>'
        return self._page("Cổng thông tin điện tử Tỉnh ủy", "Trang chủ", "", content)

    def static(self, title: str, html: str) -> str:
        return self._page(f"{title} - Cổng TTĐT Tỉnh ủy", title, "", html)

    def contact(self) -> str:
        content = """<div class="contact"><h2 class="Head">Liên hệ</h2>
<p><b>Văn phòng Tỉnh ủy</b></p><p>Địa chỉ: Số 2 đường Hoàng Văn Thụ</p>
<p>Điện thoại: 0205.3812.345 - Email: vanphong@tinhuy.gov.vn</p>
<table class="feedback"><tr><td>Họ tên</td><td><input type="text" name="dnn$ctr600$txtName" /></td></tr>
<tr><td>Nội dung</td><td><textarea name="dnn$ctr600$txtBody"></textarea></td></tr></table>
<a href="javascript:__doPostBack('dnn$ctr600$cmdSend','')" class="CommandButton">Gửi</a></div>"""
        return self._page("Liên hệ - Cổng TTĐT Tỉnh ủy", "Liên hệ", "", content)


def _image(image: dict) -> str:
    caption = image["caption"]
    row = f'<tr><td style="text-align: center;"><em>{text(caption)}</em></td></tr>' if caption else ""
    return (
        '<table align="center" class="image" style="width: 600px;"><tbody><tr><td>'
        f'<img alt="{attr(image["alt"])}" src="{attr(image["src"])}" style="width: 600px;" />'
        f"</td></tr>{row}</tbody></table>"
    )
