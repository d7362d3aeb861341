# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""NukeViet 4 news module: articles at `/news/Cat-Alias/slug-NNN.html`, category listings
at `/news/Cat-Alias/` paged by `/page-2`, the module's listing of everything at `/news/`,
RSS at `/news/rss/` (announced in the head). Bootstrap chrome with a `current-time` line,
`Thứ hai - 27/08/2018 15:40` under the title, the `hometext` sapo, `Tác giả:` and
`Nguồn tin:` lines under the body, `Những tin mới hơn` / `Những tin cũ hơn`
(nukeviet_* fixtures)."""

from __future__ import annotations

import bisect
import re

from crawler.replica.synthetic.content import Article, SiteContent
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
from crawler.replica.synthetic.families.feeds import rss

_ARTICLE = re.compile(r"^/news/([A-Za-z0-9-]+)/[a-z0-9-]*-(\d+)\.html$")
_LISTING = re.compile(r"^/news/(?:([A-Za-z0-9-]+)/)?(?:page-(\d+))?$")
CONTACT = "/contact/"
RELATED = 5


class NukeViet(Family):
    name = "nukeviet"
    description = (
        "NukeViet 4: /news/Cat-Alias/slug-NNN.html, listings paged by /page-N, "
        "RSS at /news/rss/, `Tác giả:` and `Nguồn tin:` under the body"
    )
    sections = (
        Section("chinh-tri", "Chính trị", 1, "Chinh-tri"),
        Section("kinh-te", "Kinh tế", 2, "Kinh-te"),
        Section("xay-dung-dang", "Xây dựng Đảng", 3, "Xay-dung-Dang"),
        Section("van-hoa", "Văn hóa - Xã hội", 4, "Van-hoa-Xa-hoi"),
    )
    weights = (4, 2, 4, 2)
    byline = staticmethod(
        bylines({"tac_gia_nguon_tin": 4, "nguon_tin": 3, "name": 2, "none": 2})
    )
    id_base = 2000
    per_page = 20
    contact_url = CONTACT
    documents_url = "/laws/"
    all_listing = True

    def __init__(self, content: SiteContent) -> None:
        super().__init__(content)
        self.feed_urls = {None: "/news/rss/"}

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        alias = NukeViet.sections[variant - 1].alias
        return f"/news/{alias}/thong-bao-{number}.html"

    def article_url(self, article: Article) -> str:
        return f"/news/{self.section(article).alias}/{article.slug}-{article.id}.html"

    def moved_url(self, article: Article) -> str:
        # The article's address after its category was renamed: the module still finds it
        # by the number at the end.
        return f"/news/Tin-tuc/{article.slug}-{article.id}.html"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        base = f"/news/{self.by_slug[slug].alias}/" if slug else "/news/"
        return base if page == 1 else f"{base}page-{page}"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/":
            return Route("home")
        if path == CONTACT:
            return Route("contact")
        if path == "/news/rss/":
            return Route("feed")
        if match := _ARTICLE.match(path):
            index = self.article_index(match[2])
            return None if index is None else Route("article", index=index)
        if match := _LISTING.match(path):
            slug = None
            if match[1]:
                slug = next((s.slug for s in self.sections if s.alias == match[1]), None)
                if slug is None:
                    return None
            if match[2] == "1":  # the first page is the listing's own address
                return None
            return Route("listing", slug, int(match[2] or 1))
        return None

    def feed(self, base_url: str, slug: str | None) -> bytes:
        items = [(self.article_url(a), a, "") for a in self.newest(self.per_page)]
        built = items[0][1].published if items else self.content.article(0).published
        return rss(base_url, "Tin Tức", "/news/", items, built)

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], main: str, head: str = "") -> str:
        menu = "\n".join(
            f'<li><a title="{attr(s.name)}" href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></li>'
            for s in self.sections
        )
        trail = "\n".join(
            f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="{attr(url)}" itemprop="item" title="{attr(label)}"><span itemprop="name">{text(label)}</span></a><i class="hidden" itemprop="position" content="{k + 2}"></i></li>'
            for k, (label, url) in enumerate(crumbs)
        )
        newest = "\n".join(
            f'<li class="clearfix"><a title="{attr(a.title)}" href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="text-muted">({dmy(a.published)})</span></li>'
            for a in self.newest(6)
        )
        today = self.today
        return f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">
<head>
<title>{text(title)} - Tỉnh ủy</title>
<meta name="description" content="{attr(title)}">
<meta name="author" content="Tỉnh ủy">
<meta name="generator" content="NukeViet v4.4">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<link rel="alternate" href="/news/rss/" title="Tin Tức" type="application/rss+xml">
<link rel="StyleSheet" href="/themes/default/css/bootstrap.min.css">
<script src="/assets/js/jquery/jquery.min.js"></script>
</head>
<body>
<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.<br />Website chỉ làm việc khi bạn bật nó trở lại.</div></noscript>
<div class="body-bg"><div class="wraper">
  <header><div class="container"><div id="header" class="row">
    <div class="logo col-xs-24 col-sm-24 col-md-8"><a title="Tỉnh ủy" href="/"><img src="/uploads/logo-dcs.png" alt="Tỉnh ủy" /></a><span class="site_name">Tỉnh ủy</span></div>
    <div class="col-xs-24 col-sm-24 col-md-16"><img src="/uploads/banner/banner-top.jpg" alt="banner" /></div>
  </div></div></header>
  <nav class="second-nav" id="menusite"><div class="container"><div class="row"><div class="bg box-shadow">
    <ul class="site-menu">
<li><a title="Trang chủ" href="/">Trang chủ</a></li>
<li><a title="Tin Tức" href="/news/">Tin Tức</a></li>
{menu}
<li><a title="Văn bản" href="/laws/">Văn bản</a></li>
<li><a title="Liên hệ" href="{CONTACT}">Liên hệ</a></li>
    </ul>
  </div></div></div></nav>
  <section><div class="container" id="body">
    <nav class="third-nav"><div class="row"><div class="bg"><div class="clearfix">
      <div class="col-xs-24 col-sm-18 col-md-18"><div class="breadcrumbs-wrap">
        <ul class="temp-breadcrumbs hidden" itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/" itemprop="item" title="Trang nhất"><span itemprop="name">Trang nhất</span></a><i class="hidden" itemprop="position" content="1"></i></li>
{trail}
        </ul>
      </div></div>
      <div class="headerSearch col-xs-24 col-sm-6 col-md-6"><div class="input-group"><input type="text" class="form-control" maxlength="60" placeholder="Tìm kiếm..." /><span class="input-group-btn"><button type="button" class="btn btn-info" data-url="/seek/?q=" data-minlength="3"><em class="fa fa-search fa-lg"></em></button></span></div></div>
      <div class="current-time col-xs-24">{weekday(today, lower=True)}, ngày {today:%d} tháng {today:%m} năm {today.year}</div>
    </div></div></div></nav>
    <div class="row">
      <div class="col-sm-16 col-md-18">
{main}
      </div>
      <div class="col-sm-8 col-md-6">
        <div class="panel panel-primary"><div class="panel-heading">Tin mới nhất</div><div class="panel-body"><ul class="list-none">
{newest}
        </ul></div></div>
      </div>
    </div>
  </div></section>
  <footer id="footer" class="wraper"><div class="container"><div class="row">
    <div class="col-xs-24 col-sm-24 col-md-16"><p><strong>BAN BIÊN TẬP CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ỦY</strong></p><p>Địa chỉ: Đường Trần Hưng Đạo - Điện thoại: 0271.3879.123 - Email: bbt@tinhuy.vn</p></div>
    <div class="col-xs-24 col-sm-24 col-md-8"><div class="copyright">&copy; Bản quyền thuộc về Tỉnh ủy</div></div>
  </div></div></footer>
</div></div>
</body>
</html>
"""

    def _crumbs(self, section: Section) -> list[tuple[str, str]]:
        return [("Tin Tức", "/news/"), (section.name, self.listing_url(section.slug, 1) or "")]

    def article(self, article: Article) -> str:
        section = self.section(article)
        p = article.published
        body = body_html(article, lambda value: f'<p style="text-align:justify">{text(value)}</p>', _image)
        signature = []
        if article.author:
            signature.append(f'<p class="h5 text-right"><strong>Tác giả: </strong>{text(article.author)}</p>')
        if article.source:
            signature.append(f'<p class="h5 text-right"><strong>Nguồn tin: </strong>{text(article.source)}</p>')
        signed = "\n".join(signature)
        own = self.content.members[article.category]
        # Members are newest first (descending indices): bisect on the negated values.
        position = bisect.bisect_left(own, -article.index, key=lambda m: -m)
        newer = [self.content.article(i) for i in own[max(0, position - RELATED) : position]]
        older = self.related(article)

        def related(items: list[Article]) -> str:
            return "\n".join(
                f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{attr(self.article_url(a))}" title="{attr(a.title)}">{text(a.title)}</a><em> ({dmy(a.published)})</em></li>'
                for a in items
            )

        keywords = ", ".join(f"<em>{text(t)}</em>" for t in article.tags)
        main = f"""<div class="news_column panel panel-default">
  <div class="panel-body">
    <h1 class="title margin-bottom-lg">{text(article.title)}</h1>
    <div class="row margin-bottom-lg">
      <div class="col-md-12"><span class="h5">{weekday(p, lower=True)} - {dmy(p)} {p:%H:%M}</span></div>
      <div class="col-md-12"><ul class="list-inline text-right"><li><a class="dimgray" rel="nofollow" title="In ấn" href="javascript: void(0)"><em class="fa fa-print fa-lg">&nbsp;</em></a></li></ul></div>
    </div>
    <div class="clearfix"><div class="hometext m-bottom">{text(article.lead)}</div></div>
    <div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{body}
    </div>
    <div class="margin-bottom-lg">
{signed}
    </div>
  </div>
</div>
<div class="news_column panel panel-default"><div class="panel-body"><div class="h5"><em class="fa fa-tags">&nbsp;</em><strong>Từ khóa: </strong>{keywords}</div></div></div>
<div class="news_column panel panel-default">
  <div class="panel-body other-news">
    <p class="h3"><strong>Những tin mới hơn</strong></p>
    <div class="clearfix"><ul class="detail-related related list-none list-items">
{related(newer)}
    </ul></div>
    <p class="h3"><strong>Những tin cũ hơn</strong></p>
    <div class="clearfix"><ul class="detail-related related list-none list-items">
{related(older)}
    </ul></div>
  </div>
</div>"""
        url = attr(self.article_url(article))
        head = (
            f'<meta property="og:title" content="{attr(article.title)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:url" content="{url}">\n'
            '<meta property="og:site_name" content="Tỉnh ủy">\n'
            f'<meta property="article:published_time" content="{p.isoformat()}">\n'
            f'<meta property="article:section" content="{attr(section.name)}">\n'
            f'<link rel="canonical" href="{url}">\n'
        )
        return self._page(article.title, self._crumbs(section), main, head)

    def listing(self, slug: str | None, page: int) -> str:
        pages = self.pages(slug)
        name = self.by_slug[slug].name if slug else "Tin Tức"
        items = "\n".join(
            f"""<div class="news_column panel panel-default"><div class="panel-body">
<a href="{attr(self.article_url(a))}" title="{attr(a.title)}"><img alt="{attr(a.title)}" src="/assets/news/{a.id}.jpg" width="183" class="img-thumbnail pull-left imghome" /></a>
<h3><a href="{attr(self.article_url(a))}" title="{attr(a.title)}">{text(a.title)}</a></h3>
<div class="text-muted"><ul class="list-unstyled list-inline"><li><em class="fa fa-clock-o">&nbsp;</em> {dmy(a.published)} {a.published:%H:%M}</li></ul></div>
{text(lead_of(a))}
</div></div>"""
            for a in self.listed(slug, page)
        )
        links = []
        if page > 1:
            links.append(f'<li><a href="{attr(self.listing_url(slug, page - 1) or "")}" title="Trang {page - 1}">&laquo;</a></li>')
        for n in shown_pages(page, pages):
            links.append(
                f'<li class="active"><a href="#">{n}</a></li>'
                if n == page
                else f'<li><a href="{attr(self.listing_url(slug, n) or "")}" title="Trang {n}">{n}</a></li>'
            )
        if page < pages:
            links.append(f'<li><a href="{attr(self.listing_url(slug, page + 1) or "")}" title="Trang {page + 1}">&raquo;</a></li>')
        pager = "".join(links)
        main = f"""<div class="news_column"><h2 class="panel-heading">{text(name)}</h2>
{items}
<div class="text-center"><ul class="pagination">{pager}</ul></div>
</div>"""
        crumbs = [("Tin Tức", "/news/")]
        if slug:
            crumbs.append((name, self.listing_url(slug, 1) or ""))
        title = name if page == 1 else f"{name} - Trang {page}"
        return self._page(title, crumbs, main)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a title="{attr(a.title)}" href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="text-muted">({dmy(a.published)})</span></li>'
                for a in self.newest(4, s.slug)
            )
            blocks.append(f'<div class="panel panel-default"><div class="panel-heading"><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></div><div class="panel-body"><ul class="related list-items">\n{items}\n</ul></div></div>')
        specials = self.notices()
        main = "\n".join(blocks) + f'\n<div class="panel panel-default"><ul>\n{specials}\n</ul></div>'
        return self._page("Trang nhất", [], main)

    def static(self, title: str, html: str) -> str:
        body = f'<div class="panel panel-default"><div class="panel-body">{html}</div></div>'
        return self._page(title, [(title, self.documents_url)], body)

    def contact(self) -> str:
        main = """<div class="panel panel-default"><div class="panel-body"><h1>Liên hệ</h1>
<p>Văn phòng Tỉnh ủy - Đường Trần Hưng Đạo</p><p>Điện thoại: 0271.3879.123</p>
<form method="post" action="/contact/"><input type="text" name="ftitle" class="form-control" /><textarea name="fcon" class="form-control"></textarea><input type="submit" value="Gửi" /></form></div></div>"""
        return self._page("Liên hệ", [("Liên hệ", CONTACT)], main)


def _image(image: dict) -> str:
    caption = image["caption"]
    figcaption = f"\n<figcaption>{text(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="image" style="display:inline-block"><img alt="{attr(image["alt"])}" height="400" '
        f'src="{attr(image["src"])}" width="600" />{figcaption}\n</figure>'
    )
