# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""DNN 9 with the EasyDNNnews module: articles at
`/tin-tuc/ArtMID/1520/ArticleID/3211/slug` (no extension), categories at
`/tin-tuc/category/alias` and every article at `/tin-tuc`, paged by
`/PgrID/1520/PageID/2`; `edn_*` classes, a visible date whose time is only in
`<time datetime>` (UTC), `Người đăng: admin` (the account), the byline `Name/UNIT` in
`edn_articleAuthor` and `Tin liên quan` (dnn9_* fixtures)."""

from __future__ import annotations

import re
from datetime import UTC

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

MODULE = 1520
TAB = 972
_ARTICLE = re.compile(r"^/tin-tuc/ArtMID/\d+/ArticleID/(\d+)(?:/[a-z0-9-]*)?$", re.IGNORECASE)
_LISTING = re.compile(
    r"^/tin-tuc(?:/category/([a-z0-9-]+))?(?:/PgrID/\d+/PageID/(\d+))?$", re.IGNORECASE
)
CONTACT = "/lien-he"


class Dnn9(Family):
    name = "dnn9"
    description = (
        "DNN 9 + EasyDNNnews: /tin-tuc/ArtMID/N/ArticleID/N/slug, /PgrID/N/PageID/N pages, "
        "UTC time only in <time datetime>, `Name/UNIT` bylines"
    )
    sections = (
        Section("xay-dung-dang", "Xây dựng Đảng", 5, "xay-dung-dang"),
        Section("chinh-tri", "Chính trị", 6, "chinh-tri"),
        Section("kinh-te-xa-hoi", "Kinh tế - Xã hội", 7, "kinh-te-xa-hoi"),
        Section("quoc-phong-an-ninh", "Quốc phòng - An ninh", 8, "quoc-phong-an-ninh"),
    )
    weights = (4, 4, 3, 1)
    byline = staticmethod(bylines({"name_unit_slash": 5, "name": 2, "caps": 1, "none": 2}))
    id_base = 3000
    per_page = 12
    contact_url = CONTACT
    documents_url = "/van-ban"
    all_listing = True

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        return f"/tin-tuc/ArtMID/{MODULE}/ArticleID/{number}/thong-bao-{variant}"

    def article_url(self, article: Article) -> str:
        return f"/tin-tuc/ArtMID/{MODULE}/ArticleID/{article.id}/{article.slug}"

    def moved_url(self, article: Article) -> str:
        # The module reads the article id alone; the slug is decoration.
        return f"/tin-tuc/ArtMID/{MODULE}/ArticleID/{article.id}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        base = f"/tin-tuc/category/{self.by_slug[slug].alias}" if slug else "/tin-tuc"
        return base if page == 1 else f"{base}/PgrID/{MODULE}/PageID/{page}"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/":
            return Route("home")
        if path.lower() == CONTACT:
            return Route("contact")
        if match := _ARTICLE.match(path):
            index = self.article_index(match[1])
            return None if index is None else Route("article", index=index)
        if match := _LISTING.match(path):
            slug = None
            if match[1]:
                slug = next((s.slug for s in self.sections if s.alias == match[1].lower()), None)
                if slug is None:
                    return None
            if match[2] == "1":  # the first page is the listing's own address
                return None
            return Route("listing", slug, int(match[2] or 1))
        return None

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, crumb: str, main: str) -> str:
        menu = "".join(
            f'<li class="item"><a href="{attr(self.listing_url(s.slug, 1) or "")}"><span>{text(s.name)}</span></a></li>'
            for s in self.sections
        )
        newest = "\n".join(
            f'<div class="edn_article edn_clearFix"><h3 class="edn_articleTitle"><a href="{attr(self.article_url(a))}">{text(a.title)}</a></h3><time class="edn_date">{dmy(a.published)}</time></div>'
            for a in self.newest(5)
        )
        today = self.today
        return f"""<!DOCTYPE html>
<html lang="vi-VN">
<head id="Head"><meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<title>
	{text(title)}
</title>
<meta id="MetaGenerator" name="GENERATOR" content="DotNetNuke " />
<meta id="MetaRobots" name="ROBOTS" content="INDEX, FOLLOW" />
<link href="/Portals/_default/skins/xcillion/skin.css?cdv=212" type="text/css" rel="stylesheet"/>
<link href="/DesktopModules/EasyDNNNews/static/common/common.css?cdv=212" type="text/css" rel="stylesheet"/>
</head>
<body id="Body">
<form method="post" action="/tin-tuc" id="Form" enctype="multipart/form-data">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="ZW5naW5lPURvdE5ldE51a2U7dGFiaWQ9OTcyO21pZD0xNTIwO3Bvc3RiYWNrPWZhbHNl" />
</div>
<div id="siteWrapper">
 <div class="header">
  <div class="header-top"><span id="dnn_dnnCURRENTDATE_lblDate" class="DateToken">{weekday(today)}, {dmy(today)}</span>
   <div class="search-box"><span id="dnn_dnnSEARCH_ClassicSearch"><input name="dnn$dnnSEARCH$txtSearch" type="text" maxlength="255" size="20" id="dnn_dnnSEARCH_txtSearch" class="NormalTextBox" placeholder="Tìm kiếm..." /><a id="dnn_dnnSEARCH_cmdSearch" class="SearchButton" href="javascript:__doPostBack('dnn$dnnSEARCH$cmdSearch','')">Tìm</a></span></div></div>
  <div class="header-logo"><a id="dnn_dnnLOGO_hypLogo" title="Trang chủ" href="/"><img id="dnn_dnnLOGO_imgLogo" src="/Portals/0/banner.png" alt="Trang chủ" /></a></div>
  <div class="menu-wrap"><div id="dnn_MENU" class="dnnMenu"><ul class="topLevel"><li class="item"><a href="/"><span>Trang chủ</span></a></li><li class="item"><a href="/tin-tuc"><span>Tin tức</span></a></li>{menu}<li class="item"><a href="/van-ban"><span>Văn bản</span></a></li><li class="item"><a href="{CONTACT}"><span>Liên hệ</span></a></li></ul></div></div>
 </div>
 <div class="breadcrumb-wrap"><span id="dnn_dnnBreadcrumb_lblBreadCrumb" itemprop="breadcrumb" itemscope="" itemtype="https://schema.org/breadcrumb"><span itemprop="itemListElement"><a href="/" class="breadcrumbLink" itemprop="item"><span itemprop="name">Trang chủ</span></a></span>{crumb}</span></div>
 <div class="content-wrap row">
  <div id="dnn_ContentPane" class="col-md-8 contentPane">
<div class="DnnModule DnnModule-EasyDNNnews DnnModule-{MODULE}"><a name="{MODULE}"></a>
<div id="dnn_ctr{MODULE}_ContentPane"><div id="dnn_ctr{MODULE}_ModuleContent" class="DNNModuleContent ModEasyDNNnewsC">
{main}
</div></div></div>
  </div>
  <div id="dnn_RightPane" class="col-md-4 rightPane">
<div class="DnnModule DnnModule-EasyDNNnews DnnModule-1530"><h2 class="TitleHead"><span id="dnn_ctr1530_dnnTITLE_titleLabel" class="TitleHead">Tin mới</span></h2>
<div class="eds_news_module_1530 news eds_subCollection_news eds_template_List_Article_SimpleList">
{newest}
</div></div>
  </div>
 </div>
 <div class="footer"><div id="dnn_FooterPane" class="footerPane"><p><b>CỔNG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH</b></p><p>Cơ quan chủ quản: Văn phòng Tỉnh ủy. Điện thoại: 0219.3866.123</p></div>
 <div class="copyright"><span id="dnn_dnnCOPYRIGHT_lblCopyright" class="SkinObject">Copyright {today.year} by Cổng thông tin điện tử</span></div></div>
</div>
<input name="__dnnVariable" type="hidden" id="__dnnVariable" autocomplete="off" value="`{{`__scdoff`:`1`,`sf_siteRoot`:`/`,`sf_tabId`:`{TAB}`}}" />
</form>
</body>
</html>
"""

    def _crumb(self, section: Section | None) -> str:
        if section is None:
            return ' <span itemprop="itemListElement">» <a href="/tin-tuc" class="breadcrumbLink" itemprop="item"><span itemprop="name">Tin tức</span></a></span>'
        url = attr(self.listing_url(section.slug, 1) or "")
        return f' <span itemprop="itemListElement">» <a href="{url}" class="breadcrumbLink" itemprop="item"><span itemprop="name">{text(section.name)}</span></a></span>'

    def article(self, article: Article) -> str:
        s = self.section(article)
        p = article.published
        body = body_html(article, lambda value: f"<p>{text(value)}</p>", _image)
        author = ""
        if article.author_line:
            author = f'<div class="edn_articleAuthor" style="text-align:right"><strong>{text(article.author_line)}</strong></div>'
        related = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="edn_date">{dmy(a.published)}</span></li>'
            for a in self.related(article)
        )
        utc = p.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        main = f"""<div class="eds_news_module_{MODULE} news eds_subCollection_news eds_template_Details_Article_Default eds_templateGroup_articleDetails">
<div id="dnn_ctr{MODULE}_ViewEasyDNNNewsMain_ctl00_pnlViewArticle">
<div class="edn_article edn_clearFix">
<h1 class="edn_articleTitle">{text(article.title)}</h1>
<div class="edn_metaDetails"><span class="edn_author">Người đăng: admin</span> <span class="edn_categories"><a href="{attr(self.listing_url(s.slug, 1) or "")}" class="edn_category">{text(s.name)}</a></span> <time class="edn_date" datetime="{utc}">{dmy(p)}</time></div>
<div class="edn_articleSummary"><strong>{text(article.lead)}</strong></div>
<div class="edn_articleContent">
{body}
</div>
{author}
<div class="edn_socialPrintWrapper edn_clearFix"><a class="edn_fbShare" href="#">Facebook</a> <a class="edn_zaloShare" href="#">Zalo</a></div>
</div>
<div class="edn_relatedArticles"><h3 class="edn_relatedTitle">Tin liên quan</h3><ul>
{related}
</ul></div>
</div>
</div>"""
        return self._page(f"{article.title} - Tỉnh ủy", self._crumb(s), main)

    def listing(self, slug: str | None, page: int) -> str:
        pages = self.pages(slug)
        section = self.by_slug[slug] if slug else None
        items = "\n".join(
            f"""<div class="edn_article edn_clearFix">
<a class="edn_articleImage" href="{attr(self.article_url(a))}"><img alt="" src="/Portals/0/EasyDNNnews/{a.id}/thumb.jpg" /></a>
<h2 class="edn_articleTitle"><a href="{attr(self.article_url(a))}">{text(a.title)}</a></h2>
<time class="edn_date" datetime="{a.published.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}">{dmy(a.published)}</time>
<div class="edn_articleSummary">{text(lead_of(a))}</div>
</div>"""
            for a in self.listed(slug, page)
        )
        links = []
        if page > 1:
            links.append(f'<a class="prev" href="{attr(self.listing_url(slug, page - 1) or "")}">Trước</a>')
        for n in shown_pages(page, pages):
            links.append(
                f'<span class="active page">{n}</span>'
                if n == page
                else f'<a class="page" href="{attr(self.listing_url(slug, n) or "")}">{n}</a>'
            )
        if page < pages:
            links.append(f'<a class="next" href="{attr(self.listing_url(slug, page + 1) or "")}">Tiếp</a>')
        pager = " ".join(links)
        name = section.name if section else "Tin tức"
        main = f"""<div class="eds_news_module_{MODULE} news eds_subCollection_news eds_template_List_Article_Default">
<h1 class="edn_categoryTitle">{text(name)}</h1>
{items}
<div class="article_pager">{pager}</div>
</div>"""
        title = name if page == 1 else f"{name} - Trang {page}"
        return self._page(title, self._crumb(section), main)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="edn_date">{dmy(a.published)}</span></li>'
                for a in self.newest(4, s.slug)
            )
            url = attr(self.listing_url(s.slug, 1) or "")
            blocks.append(f'<div class="home-block"><h2 class="TitleHead"><a href="{url}">{text(s.name)}</a></h2><ul>\n{items}\n</ul></div>')
        specials = self.notices()
        main = "\n".join(blocks) + f'\n<div class="notices"><ul>\n{specials}\n</ul></div>'
        return self._page("Trang chủ", "", main)

    def static(self, title: str, html: str) -> str:
        return self._page(title, "", f'<div class="DNNModuleContent">{html}</div>')

    def contact(self) -> str:
        main = """<div class="contact"><h1>Liên hệ</h1><p>Văn phòng Tỉnh ủy</p><p>Điện thoại: 0219.3866.123</p>
<a href="javascript:__doPostBack('dnn$ctr1600$Feedback$cmdSend','')" class="dnnPrimaryAction">Gửi</a></div>"""
        return self._page("Liên hệ", "", main)


def _image(image: dict) -> str:
    caption = image["caption"]
    line = f'<p class="edn_mediaCaption">{text(caption)}</p>' if caption else ""
    return f'<div class="edn_mediaContainer"><img alt="{attr(image["alt"])}" src="{attr(image["src"])}" />{line}</div>'
