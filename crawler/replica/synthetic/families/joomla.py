# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""Joomla 3 without SEF URLs: articles at
`/index.php?option=com_content&view=article&id=1875:slug&catid=12&Itemid=103`, category
blogs paged by `&start=10`, a category RSS feed (`&format=feed&type=rss`), Protostar
chrome with `Hôm nay:`, microdata article info whose `<time datetime>` holds the time the
visible `Ngày đăng: 18 Tháng 9 2020` lacks, `Viết bởi` the author or the `Super User`
account with the signature last in the body (joomla_namsach_* fixtures)."""

from __future__ import annotations

from crawler.replica.synthetic.content import Article
from crawler.replica.synthetic.families.base import Family, Route
from crawler.replica.synthetic.families.common import (
    Section,
    attr,
    body_html,
    bylines,
    dmy,
    shown_pages,
    text,
    weekday,
)
from crawler.replica.synthetic.families.feeds import rss

ACCOUNT = "Super User"
CONTACT = "/index.php?option=com_contact&view=contact&id=1&Itemid=120"


class Joomla(Family):
    name = "joomla"
    description = (
        "Joomla 3: index.php?option=com_content&view=article&id=N:slug&catid=K, "
        "category blogs paged by &start=, category RSS, datePublished microdata"
    )
    # key: catid; alias: the menu item (Itemid) of the category's blog.
    sections = (
        Section("tin-hoat-dong", "Tin hoạt động", 12, "103"),
        Section("xay-dung-dang", "Xây dựng Đảng", 15, "104"),
        Section("dan-van", "Công tác dân vận", 17, "106"),
        Section("van-hoa", "Văn hóa - Xã hội", 21, "108"),
    )
    weights = (5, 3, 2, 2)
    byline = staticmethod(
        bylines({"name": 4, "name_unit_comma": 3, "pv": 1, "theo": 1, "none": 2})
    )
    id_base = 1000
    per_page = 10
    contact_url = CONTACT
    documents_url = "/index.php?option=com_phocadownload&view=category&id=1&Itemid=110"
    robots = (
        "User-agent: *\nDisallow: /administrator/\nDisallow: /cache/\nDisallow: /components/\n"
        "Disallow: /includes/\nDisallow: /logs/\nDisallow: /tmp/\n"
    )

    def __init__(self, content) -> None:
        super().__init__(content)
        self.feed_urls = {s.slug: self._category(s) + "&format=feed&type=rss" for s in self.sections}

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        section = Joomla.sections[variant - 1]
        return (
            f"/index.php?option=com_content&view=article&id={number}:thong-bao"
            f"&catid={section.key}&Itemid={section.alias}"
        )

    def article_url(self, article: Article) -> str:
        s = self.section(article)
        return (
            f"/index.php?option=com_content&view=article&id={article.id}:{article.slug}"
            f"&catid={s.key}&Itemid={s.alias}"
        )

    def moved_url(self, article: Article) -> str:
        return f"/index.php?option=com_content&view=article&id={article.id}"

    @staticmethod
    def _category(s: Section) -> str:
        return f"/index.php?option=com_content&view=category&layout=blog&id={s.key}&Itemid={s.alias}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        if slug is None:
            return None
        url = self._category(self.by_slug[slug])
        return url if page == 1 else f"{url}&start={(page - 1) * self.per_page}"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path not in ("/", "/index.php"):
            return None
        option, view = query.get("option"), query.get("view")
        if option is None:
            return Route("home")
        if option == "com_contact":
            return Route("contact")
        if option != "com_content":
            return None
        # Joomla reads the number before the alias and ignores a wrong alias.
        raw = query.get("id", "").partition(":")[0]
        if view == "article":
            index = self.article_index(raw)
            return None if index is None else Route("article", index=index)
        if view != "category":
            return None
        slug = next((s.slug for s in self.sections if str(s.key) == raw), None)
        start = query.get("start", "0")
        if slug is None or not start.isdigit() or int(start) % self.per_page:
            return None
        if query.get("format") == "feed":
            return Route("feed", slug)
        return Route("listing", slug, int(start) // self.per_page + 1)

    def feed(self, base_url: str, slug: str | None) -> bytes:
        s = self.by_slug[slug] if slug else self.sections[0]
        items = [
            (self.article_url(a), a, a.author if a.author_line == a.author else ACCOUNT)
            for a in self.newest(self.per_page, s.slug)
        ]
        newest = items[0][1].published if items else self.newest(1)[0].published
        return rss(base_url, s.name, self._category(s), items, newest)

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, body_class: str, trail: list[tuple[str, str | None]], main: str, head: str = "") -> str:
        menu = "".join(
            f'<li class="item-{s.alias}"><a href="{attr(self._category(s))}" >{text(s.name)}</a></li>'
            for s in self.sections
        )
        crumbs = "\n".join(
            f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a itemprop="item" href="{attr(url)}" class="pathway"><span itemprop="name">{text(label)}</span></a><span class="divider"> / </span><meta itemprop="position" content="{k + 2}"></li>'
            if url
            else f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem" class="active"><span itemprop="name">{text(label)}</span><meta itemprop="position" content="{k + 2}"></li>'
            for k, (label, url) in enumerate(trail)
        )
        latest = "\n".join(
            f'<li itemscope itemtype="https://schema.org/Article"><a href="{attr(self.article_url(a))}" itemprop="url"><span itemprop="name">{text(a.title)}</span></a> <small>{dmy(a.published)}</small></li>'
            for a in self.newest(5)
        )
        today = self.today
        return f"""<!DOCTYPE html>
<html lang="vi-vn" dir="ltr">
<head>
	<meta name="viewport" content="width=device-width, initial-scale=1.0" />
	<meta charset="utf-8" />
{head}	<meta name="generator" content="Joomla! - Open Source Content Management" />
	<title>{text(title)}</title>
	<link href="/templates/protostar/css/template.css" rel="stylesheet" />
	<script src="/media/jui/js/jquery.min.js"></script>
</head>
<body class="site com_content {body_class} no-layout no-task">
	<div class="body" id="top">
		<div class="container">
			<header class="header" role="banner">
				<div class="header-inner clearfix">
					<div class="custom homnay"><p>Hôm nay: {weekday(today, lower=True)}, {dmy(today)}</p></div>
					<a class="brand pull-left" href="/"><img src="/images/banner/banner-huyenuy.jpg" alt="Huyện ủy" /></a>
					<div class="header-search pull-right"><div class="search">
	<form action="/index.php?option=com_search" method="post" class="form-inline" role="search">
		<input name="searchword" maxlength="200" class="inputbox search-query input-medium" type="search" placeholder="Tìm kiếm..." />
		<input type="hidden" name="task" value="search" /><input type="hidden" name="option" value="com_search" />
	</form></div></div>
				</div>
			</header>
			<nav class="navigation" role="navigation">
				<div class="nav-collapse"><ul class="nav menu nav-pills mod-list">
<li class="item-101 default"><a href="/" >Trang chủ</a></li>{menu}<li class="item-110"><a href="{attr(self.documents_url)}" >Văn bản</a></li><li class="item-120"><a href="{attr(CONTACT)}" >Liên hệ</a></li></ul></div>
			</nav>
			<div class="moduletable">
<ul itemscope itemtype="https://schema.org/BreadcrumbList" class="breadcrumb">
	<li>Bạn đang ở: &#160;</li>
	<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a itemprop="item" href="/" class="pathway"><span itemprop="name">Trang chủ</span></a><span class="divider"> / </span><meta itemprop="position" content="1"></li>
{crumbs}
</ul>
			</div>
			<div class="row-fluid">
				<main id="content" role="main" class="span9">
					<div id="system-message-container"></div>
{main}
				</main>
				<div id="aside" class="span3">
<div class="well "><h3 class="page-header">Tin mới</h3><ul class="latestnews mod-list">
{latest}
</ul></div>
<div class="well "><h3 class="page-header">Thống kê truy cập</h3><div class="vcounter">Hôm nay: 312<br />Tất cả: 1.204.553</div></div>
				</div>
			</div>
		</div>
	</div>
	<footer class="footer" role="contentinfo">
		<div class="container"><hr />
			<div class="custom"><p style="text-align: center;"><strong>TRANG THÔNG TIN ĐIỆN TỬ HUYỆN ỦY</strong><br />Địa chỉ: Số 1 đường Trần Phú<br />Điện thoại: 0220.3753.203 - Email: vanphonghuyenuy@huyen.vn</p></div>
			<p class="pull-right"><a href="#top" id="back-top">Về đầu trang</a></p>
			<p>&copy; {today.year} Huyện ủy</p>
		</div>
	</footer>
</body>
</html>
"""

    def _info(self, article: Article, *, full: bool) -> str:
        p = article.published
        author = article.author if article.author_line == article.author else ACCOUNT
        category = self.section(article)
        parts = [
            '<dl class="article-info muted">',
            '<dt class="article-info-term">Chi tiết</dt>',
            f'<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person"><span class="icon-user" aria-hidden="true"></span> Viết bởi <span itemprop="name">{text(author or ACCOUNT)}</span></dd>',
        ]
        if full:
            parts.append(
                f'<dd class="category-name"><span class="icon-folder-open" aria-hidden="true"></span> Danh mục: <a href="{attr(self._category(category))}" itemprop="genre">{text(category.name)}</a></dd>'
            )
        parts.append(
            f'<dd class="published"><span class="icon-calendar" aria-hidden="true"></span> <time datetime="{p.isoformat()}" itemprop="datePublished">Ngày đăng: {p.day} Tháng {p.month} {p.year}</time></dd>'
        )
        if full:
            parts.append(
                f'<dd class="hits"><span class="icon-eye-open" aria-hidden="true"></span> <meta itemprop="interactionCount" content="UserPageVisits:{article.index * 13 % 3000}" /> Lượt xem: {article.index * 13 % 3000}</dd>'
            )
        parts.append("</dl>")
        return "\n".join(parts)

    def article(self, article: Article) -> str:
        category = self.section(article)
        body = body_html(
            article,
            lambda value: f'<p style="text-align: justify;">{text(value)}</p>',
            _image,
        )
        signed = article.author_line and article.author_line != article.author
        if signed:
            body += f'\n<p style="text-align: right;"><strong>{text(article.author_line or "")}</strong></p>'
        related = self.related(article)
        pager = ""
        if related:
            nxt = related[0]
            pager = f"""<ul class="pager pagenav">
<li class="next"><a class="hasTooltip" title="{attr(nxt.title)}" aria-label="Bài tiếp theo: {attr(nxt.title)}" href="{attr(self.article_url(nxt))}" rel="next"><span aria-hidden="true">Tiếp</span> <span class="icon-chevron-right" aria-hidden="true"></span></a></li>
</ul>"""
        others = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="date">({dmy(a.published)})</span></li>'
            for a in related
        )
        main = f"""<div class="item-page" itemscope itemtype="https://schema.org/Article">
	<meta itemprop="inLanguage" content="vi-VN" />
	<div class="page-header"><h2 itemprop="headline">{text(article.title)}</h2></div>
{self._info(article, full=True)}
	<div itemprop="articleBody">
<p style="text-align: justify;"><strong>{text(article.lead)}</strong></p>
{body}
	</div>
{pager}
<div class="relateditems"><h3>Các tin khác</h3><ul class="relateditems mod-list">
{others}
</ul></div>
</div>"""
        trail = [(category.name, self._category(category)), (article.title, None)]
        # The "Author Meta Tag" option: the name the article info shows, account or person.
        shown = article.author if article.author_line == article.author else ACCOUNT
        head = f'	<meta name="author" content="{attr(shown or ACCOUNT)}" />\n'
        return self._page(article.title, "view-article", trail, main, head)

    def listing(self, slug: str | None, page: int) -> str:
        assert slug is not None
        s = self.by_slug[slug]
        pages = self.pages(slug)
        items = "\n".join(
            f"""<div class="items-row cols-1 row-fluid clearfix"><div class="span12">
	<div class="item column-1" itemprop="blogPost" itemscope itemtype="https://schema.org/BlogPosting">
	<div class="page-header"><h2 itemprop="name"><a href="{attr(self.article_url(a))}" itemprop="url">{text(a.title)}</a></h2></div>
{self._info(a, full=False)}
	<p style="text-align: justify;">{text(a.lead)}</p>
	<p class="readmore"><a class="btn" href="{attr(self.article_url(a))}" itemprop="url" aria-label="Đọc thêm: {attr(a.title)}"><span class="icon-chevron-right" aria-hidden="true"></span> Đọc thêm...</a></p>
	</div>
</div></div>"""
            for a in self.listed(slug, page)
        )
        nav = []
        first, prev = self.listing_url(slug, 1), self.listing_url(slug, max(1, page - 1))
        if page > 1:
            nav.append(f'<li class="pagination-start"><a title="Bắt đầu" href="{attr(first or "")}" class="pagenav">Bắt đầu</a></li>')
            nav.append(f'<li class="pagination-prev"><a title="Lùi" href="{attr(prev or "")}" class="pagenav">Lùi</a></li>')
        for n in shown_pages(page, pages):
            nav.append(
                f'<li class="active"><span class="pagenav">{n}</span></li>'
                if n == page
                else f'<li><a title="{n}" href="{attr(self.listing_url(slug, n) or "")}" class="pagenav">{n}</a></li>'
            )
        if page < pages:
            nav.append(f'<li class="pagination-next"><a title="Tiếp" href="{attr(self.listing_url(slug, page + 1) or "")}" class="pagenav">Tiếp</a></li>')
            nav.append(f'<li class="pagination-end"><a title="Cuối" href="{attr(self.listing_url(slug, pages) or "")}" class="pagenav">Cuối</a></li>')
        navs = "\n".join(nav)
        main = f"""<div class="blog" itemscope itemtype="https://schema.org/Blog">
<h2><span class="subheading-category">{text(s.name)}</span></h2>
{items}
<div class="pagination"><p class="counter pull-right">Trang {page} / {pages}</p>
<ul>
{navs}
</ul></div>
</div>"""
        feed = attr(self.feed_urls[slug])
        head = f'	<link href="{feed}" rel="alternate" type="application/rss+xml" title="RSS 2.0" />\n'
        title = s.name if page == 1 else f"{s.name} - Trang {page}"
        return self._page(title, "view-category", [(s.name, None)], main, head)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <small>({dmy(a.published)})</small></li>'
                for a in self.newest(4, s.slug)
            )
            blocks.append(f'<div class="moduletable"><h3><a href="{attr(self._category(s))}">{text(s.name)}</a></h3><ul class="category-module mod-list">\n{items}\n</ul></div>')
        specials = self.notices()
        main = "\n".join(blocks) + f'\n<div class="moduletable"><ul>\n{specials}\n</ul></div>'
        return self._page("Trang chủ", "view-featured", [], main)

    def static(self, title: str, html: str) -> str:
        return self._page(title, "view-category", [(title, None)], f'<div class="pd-category">{html}</div>')

    def contact(self) -> str:
        main = """<div class="contact"><h2>Liên hệ</h2>
<div class="contact-address"><p>Văn phòng Huyện ủy, số 1 đường Trần Phú</p><p>Điện thoại: 0220.3753.203</p></div>
<form action="/index.php?option=com_contact" method="post" class="form-validate"><input type="text" name="jform[contact_name]" /><textarea name="jform[contact_message]"></textarea><button type="submit">Gửi</button></form></div>"""
        return self._page("Liên hệ", "view-contact", [("Liên hệ", None)], main)


def _image(image: dict) -> str:
    caption = image["caption"]
    img = f'<p style="text-align: center;"><img class="caption" src="{attr(image["src"])}" alt="{attr(image["alt"])}" title="{attr(image["alt"])}" width="600" /></p>'
    if not caption:
        return img
    return f'{img}\n<p style="text-align: center;"><span style="font-size: 10pt;"><em>{text(caption)}</em></span></p>'
