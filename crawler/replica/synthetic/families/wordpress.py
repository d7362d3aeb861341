# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""WordPress with date permalinks: posts at `/YYYY/MM/DD/slug/`, a static front page,
the posts page at `/tin-tuc/` and categories at `/category/x/`, both paged by `/page/N/`,
RSS at `/feed/` and `/category/x/feed/` announced by `<link rel="alternate">`. The post
shows `<time class="entry-date published" datetime>` with the date alone, `bởi admin`
(the account, not the author), `article:published_time` in UTC, the signature last in
the content and a related-posts block (wordpress_* fixtures)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from crawler.replica.synthetic.content import START, STEP, Article, SiteContent
from crawler.replica.synthetic.families.base import Family, Route
from crawler.replica.synthetic.families.common import (
    MONTHS,
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

_POST = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/$")
_ARCHIVE = re.compile(r"^/(?:category/([a-z0-9-]+)|(tin-tuc))/(?:page/(\d+)/|(feed)/)?$")
POSTS = "tin-tuc"
CONTACT = "/lien-he/"
ACCOUNT = "admin"


class WordPress(Family):
    name = "wordpress"
    description = (
        "WordPress: /YYYY/MM/DD/slug/ permalinks, /category/x/page/N/, RSS at /feed/, "
        "date only visible, `bởi admin`, signature last"
    )
    sections = (
        Section("tin-hoat-dong", "Tin hoạt động", 2, "tin-hoat-dong"),
        Section("phong-trao", "Phong trào", 3, "phong-trao"),
        Section("guong-sang", "Gương sáng", 4, "guong-sang"),
        Section("thong-bao", "Thông báo", 5, "thong-bao"),
    )
    weights = (5, 3, 2, 1)
    byline = staticmethod(
        bylines({"name": 3, "name_unit_paren": 3, "theo": 2, "none": 3})
    )
    id_base = 8000
    per_page = 10
    contact_url = CONTACT
    documents_url = "/van-ban/"
    all_listing = True
    robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"

    def __init__(self, content: SiteContent) -> None:
        super().__init__(content)
        self.feed_urls = {None: "/feed/", **{s.slug: f"/category/{s.alias}/feed/" for s in self.sections}}
        self.post_slug = lru_cache(maxsize=8192)(self._post_slug)

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        return f"/2012/01/0{variant}/thong-bao-{number}/"

    def _day(self, when: date) -> list[int]:
        """The indices of the articles published on `when` (the publish time grows with
        the index: article i is published in [START + i*STEP, START + i*STEP + STEP/2))."""
        start = datetime(when.year, when.month, when.day, tzinfo=START.tzinfo)
        low = max(0, (start - START) // STEP - 1)
        high = min(self.content.n, (start - START) // STEP + 2 + (24 * 60) // (STEP.seconds // 60))
        return [i for i in range(low, high) if self.content.article(i).published.date() == when]

    def _post_slug(self, index: int) -> str:
        """WordPress's unique slug: a second post of the same slug on a day gets `-2`."""
        article = self.content.article(index)
        same = [i for i in self._day(article.published.date()) if self.content.article(i).slug == article.slug]
        rank = same.index(index) + 1
        return article.slug if rank == 1 else f"{article.slug}-{rank}"

    def article_url(self, article: Article) -> str:
        return f"/{article.published:%Y/%m/%d}/{self.post_slug(article.index)}/"

    def moved_url(self, article: Article) -> str:
        return f"/?p={article.id}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        base = f"/category/{self.by_slug[slug].alias}/" if slug else f"/{POSTS}/"
        return base if page == 1 else f"{base}page/{page}/"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/":
            if "p" in query:
                index = self.article_index(query["p"])
                return None if index is None else Route("article", index=index)
            return Route("home")
        if path == CONTACT:
            return Route("contact")
        if path == "/feed/":
            return Route("feed")
        if match := _POST.match(path):
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
            for i in self._day(day):
                if self.post_slug(i) == match[4]:
                    return Route("article", index=i)
            return None
        if match := _ARCHIVE.match(path):
            slug = None
            if match[1]:
                slug = next((s.slug for s in self.sections if s.alias == match[1]), None)
                if slug is None:
                    return None
            if match[4]:
                return Route("feed", slug)
            return Route("listing", slug, int(match[3] or 1))
        return None

    def feed(self, base_url: str, slug: str | None) -> bytes:
        items = [(self.article_url(a), a, ACCOUNT) for a in self.newest(self.per_page, slug)]
        title = "Tỉnh đoàn" if slug is None else f"Tỉnh đoàn - {self.by_slug[slug].name}"
        built = items[0][1].published if items else START
        return rss(base_url, title, self.listing_url(slug, 1) or "/", items, built)

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, body_class: str, main: str, head: str = "", crumbs: str = "") -> str:
        menu = "\n".join(
            f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></li>'
            for s in self.sections
        )
        recent = "\n".join(
            f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a><span class="post-date">{dmy(a.published)}</span></li>'
            for a in self.newest(5)
        )
        counts = "\n".join(
            f'<li class="cat-item cat-item-{s.key}"><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a> ({len(self.members(s.slug))})</li>'
            for s in self.sections
        )
        today = self.today
        return f"""<!doctype html>
<html lang="vi">
<head>
	<meta charset="UTF-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<title>{text(title)} &#8211; Tỉnh đoàn</title>
	<meta name="robots" content="index, follow, max-image-preview:large" />
{head}	<link rel="alternate" type="application/rss+xml" title="Tỉnh đoàn &raquo; Dòng thông tin" href="/feed/" />
	<link rel='stylesheet' id='tinhdoan-style-css' href='/wp-content/themes/tinhdoan/style.css?ver=1.4.2' media='all' />
	<meta name="generator" content="WordPress 6.1.1" />
</head>
<body class="{body_class} wp-embed-responsive right-sidebar">
<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#primary">Chuyển đến nội dung</a>
	<div class="top-header"><div class="container">
		<div class="top-date"><i class="fa fa-calendar"></i> {weekday(today)}, {today.day} Tháng {MONTHS[today.month - 1]}, {today.year}</div>
		<div class="top-social"><a href="https://www.facebook.com/tinhdoan" target="_blank" rel="noopener">Facebook</a></div>
	</div></div>
	<header id="masthead" class="site-header">
		<div class="site-branding">
			<a href="/" class="custom-logo-link" rel="home"><img width="320" height="90" src="/wp-content/uploads/logo.png" class="custom-logo" alt="Tỉnh đoàn" /></a>
			<p class="site-title"><a href="/" rel="home">Tỉnh đoàn</a></p>
			<p class="site-description">Cổng thông tin điện tử Tỉnh đoàn</p>
		</div>
		<nav id="site-navigation" class="main-navigation"><div class="menu-main-container"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/{POSTS}/">Tin tức</a></li>
{menu}
<li class="menu-item"><a href="/van-ban/">Văn bản</a></li>
<li class="menu-item"><a href="{CONTACT}">Liên hệ</a></li>
		</ul></div></nav>
		<form role="search" method="get" class="search-form" action="/"><label><span class="screen-reader-text">Tìm kiếm cho:</span><input type="search" class="search-field" placeholder="Tìm kiếm &hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="Tìm kiếm" /></form>
	</header>
	<div id="content" class="site-content container">
{crumbs}		<main id="primary" class="site-main">
{main}
		</main>
		<aside id="secondary" class="widget-area">
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>
{recent}
</ul></section>
<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Chuyên mục</h2><ul>
{counts}
</ul></section>
		</aside>
	</div>
	<footer id="colophon" class="site-footer">
		<div class="footer-widgets"><section class="widget widget_text"><h2 class="widget-title">Liên hệ</h2><div class="textwidget"><p>Tỉnh đoàn - Số 60 Đội Cấn<br />Điện thoại: 0220.3890.227 - Email: tinhdoan@tinh.gov.vn</p></div></section></div>
		<div class="site-info">&copy; {today.year} Tỉnh đoàn. <span class="sep"> | </span> Vận hành bởi <a href="https://wordpress.org/">WordPress</a></div>
	</footer>
</div>
</body>
</html>
"""

    def article(self, article: Article) -> str:
        s = self.section(article)
        url = self.article_url(article)
        p = article.published
        body = body_html(article, lambda value: f"<p>{text(value)}</p>", _image)
        if article.author_line:
            body += f'\n<p style="text-align: right;"><strong>{text(article.author_line)}</strong></p>'
        related = "\n".join(
            f'<div class="related-post"><a href="{attr(self.article_url(a))}" rel="bookmark">{text(a.title)}</a> <span class="related-date">{dmy(a.published)}</span></div>'
            for a in self.related(article)
        )
        tags = ", ".join(text(t) for t in article.tags)
        utc = p.astimezone(UTC).isoformat()
        head = (
            f'	<meta property="og:type" content="article" />\n	<meta property="og:title" content="{attr(article.title)}" />\n'
            f'	<meta property="og:description" content="{attr(lead_of(article, 160))}" />\n'
            f'	<meta property="article:section" content="{attr(s.name)}" />\n'
            f'	<meta property="article:published_time" content="{utc}" />\n'
            f'	<link rel="canonical" href="{attr(url)}" />\n	<link rel="shortlink" href="{attr(self.moved_url(article))}" />\n'
        )
        crumbs = f'		<div id="breadcrumbs" class="yoast-breadcrumbs"><span><span><a href="/">Trang chủ</a></span> » <span><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></span> » <span class="breadcrumb_last" aria-current="page">{text(article.title)}</span></span></div>\n'
        main = f"""<article id="post-{article.id}" class="post-{article.id} post type-post status-publish format-standard hentry category-{s.alias}">
	<header class="entry-header">
		<h1 class="entry-title">{text(article.title)}</h1>
		<div class="entry-meta">
			<span class="posted-on"><i class="fa fa-clock-o"></i> <a href="{attr(url)}" rel="bookmark"><time class="entry-date published" datetime="{p.isoformat()}">{dmy(p)}</time></a></span>
			<span class="byline"> bởi <span class="author vcard">{ACCOUNT}</span></span>
			<span class="cat-links"><a href="{attr(self.listing_url(s.slug, 1) or "")}" rel="category tag">{text(s.name)}</a></span>
		</div>
	</header>
	<div class="entry-content">
<p><strong>{text(article.lead)}</strong></p>
{body}
<div class="addtoany_share_save_container addtoany_content"><div class="addtoany_header">Chia sẻ bài viết:</div><div class="a2a_kit a2a_kit_size_32 addtoany_list"><a class="a2a_button_facebook" href="https://www.addtoany.com/add_to/facebook" rel="nofollow noopener" target="_blank"></a></div></div>
	</div>
	<footer class="entry-footer"><span class="tags-links">Thẻ: {tags}</span></footer>
</article>
<div class="related-posts"><h3 class="related-title">Bài viết liên quan</h3>
{related}
</div>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Trả lời</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-form-comment"><label for="comment">Bình luận</label> <textarea id="comment" name="comment" cols="45" rows="8"></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Phản hồi" /></p></form></div></div>"""
        body_class = f"post-template-default single single-post postid-{article.id} single-format-standard"
        return self._page(article.title, body_class, main, head, crumbs)

    def listing(self, slug: str | None, page: int) -> str:
        pages = self.pages(slug)
        name = self.by_slug[slug].name if slug else "Tin tức"
        posts = "\n".join(
            f"""<article id="post-{a.id}" class="post-{a.id} post type-post status-publish format-standard hentry">
	<header class="entry-header"><h2 class="entry-title"><a href="{attr(self.article_url(a))}" rel="bookmark">{text(a.title)}</a></h2>
	<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{a.published.isoformat()}">{dmy(a.published)}</time></span></div></header>
	<div class="entry-summary"><p>{text(lead_of(a))} [&hellip;]</p></div>
</article>"""
            for a in self.listed(slug, page)
        )
        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{attr(self.listing_url(slug, page - 1) or "")}">&laquo; Trước</a>')
        shown = shown_pages(page, pages)
        for k, n in enumerate(shown):
            if k and n - shown[k - 1] > 1:
                links.append('<span class="page-numbers dots">&hellip;</span>')
            links.append(
                f'<span aria-current="page" class="page-numbers current">{n}</span>'
                if n == page
                else f'<a class="page-numbers" href="{attr(self.listing_url(slug, n) or "")}">{n}</a>'
            )
        if page < pages:
            links.append(f'<a class="next page-numbers" href="{attr(self.listing_url(slug, page + 1) or "")}">Sau &raquo;</a>')
        nav = "".join(links)
        main = f"""<header class="page-header"><h1 class="page-title">Chuyên mục: <span>{text(name)}</span></h1></header>
{posts}
<nav class="navigation pagination" aria-label="Phân trang bài viết"><h2 class="screen-reader-text">Phân trang bài viết</h2><div class="nav-links">{nav}</div></nav>"""
        head = ""
        if slug:
            head = f'	<link rel="alternate" type="application/rss+xml" title="Tỉnh đoàn &raquo; {attr(name)} Dòng thông tin chuyên mục" href="{attr(self.feed_urls[slug])}" />\n'
        title = name if page == 1 else f"{name} &#8211; Trang {page}"
        return self._page(title, "archive category", main, head)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "\n".join(
                f'<li><a href="{attr(self.article_url(a))}">{text(a.title)}</a> <span class="post-date">{dmy(a.published)}</span></li>'
                for a in self.newest(4, s.slug)
            )
            blocks.append(f'<section class="home-category"><h2 class="section-title"><a href="{attr(self.listing_url(s.slug, 1) or "")}">{text(s.name)}</a></h2><ul>\n{items}\n</ul></section>')
        specials = self.notices()
        main = "\n".join(blocks) + f'\n<section class="notices"><ul>\n{specials}\n</ul></section>'
        return self._page("Trang chủ", "home page-template-default page", main)

    def static(self, title: str, html: str) -> str:
        main = f'<article class="page type-page status-publish hentry"><div class="entry-content">{html}</div></article>'
        return self._page(title, "page-template-default page", main)

    def contact(self) -> str:
        main = """<article class="page type-page status-publish hentry"><header class="entry-header"><h1 class="entry-title">Liên hệ</h1></header>
<div class="entry-content"><p>Tỉnh đoàn - Số 60 Đội Cấn</p><p>Điện thoại: 0220.3890.227</p>
<div class="wpcf7"><form action="/lien-he/#wpcf7-f5-p12-o1" method="post" class="wpcf7-form"><input type="text" name="your-name" /><textarea name="your-message"></textarea><input type="submit" value="Gửi" class="wpcf7-submit" /></form></div></div></article>"""
        return self._page("Liên hệ", "page-template-default page", main)


def _image(image: dict) -> str:
    caption = image["caption"]
    figcaption = f'<figcaption class="wp-element-caption">{text(caption)}</figcaption>' if caption else ""
    return (
        f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" '
        f'src="{attr(image["src"])}" alt="{attr(image["alt"])}" />{figcaption}</figure>'
    )
