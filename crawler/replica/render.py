"""HTML of the Tỉnh ủy Hải Dương site, rendered from plain dicts.

The markup copies the real site's shape closely enough that the site class's CSS
selectors (crawler/sites/haiduong.py) find every field. The functions are pure
string builders so that a synthetic-site generator can render tens of
thousands of pages quickly: render the sidebar and the chrome parts once,
then call `render_article` per article.

Shapes of the dicts (all text NFC, all URLs site-absolute paths):

- link: ``{"url", "title", "published"}`` where ``published`` is a datetime
- article: ``{"id", "title", "published", "lead", "paragraphs", "images",
  "author_line", "tags", "attachments", "related", "category"}`` with
  ``images`` items ``{"src", "alt", "caption", "before"}`` (``before`` is the
  index of the paragraph the image precedes), ``category`` ``{"name", "path"}``
  and ``related`` a list of links
- site: see `Site`
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from urllib.parse import quote

from crawler.sites.haiduong import HaiDuong

CONTACT = "/Pages/lien-he.aspx"
SITEMAP = "/Pages/so-do-site.aspx"

WEEKDAYS: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
)


@dataclass(frozen=True)
class Site:
    """What every page of a site shares: menu, today line, sidebar, footer."""

    name: str
    base_url: str
    today_line: str
    menu: tuple[tuple[str, str], ...]
    sidebar_html: str
    footer_html: str
    banner_alt: str = "Cổng thông tin điện tử Tỉnh ủy Hải Dương"


def text(value: str) -> str:
    """Escape text for an element; non-breaking spaces stay visible as the CMS writes them."""
    return escape(value, quote=False).replace("\xa0", "&nbsp;")


def attr(value: str) -> str:
    return escape(value, quote=True)


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def date_line(published: datetime) -> str:
    """`Thứ Năm 01/04/2021 09:15`: the article's publish line."""
    return f"{weekday_name(published)} {published:%d/%m/%Y %H:%M}"


def short_date(published: datetime) -> str:
    return f"{published:%d/%m/%Y}"


def today_line(day: date) -> str:
    """`Thứ năm, ngày 22/4/2021`: the header writes the weekday in lower case, no zero padding."""
    weekday = weekday_name(day)
    if weekday.startswith("Thứ "):
        weekday = "Thứ " + weekday[4:].lower()
    return f"{weekday}, ngày {day.day}/{day.month}/{day.year}"


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """ASCII slug of a Vietnamese title: `Đồng chí ...` -> `dong-chi-...`."""
    decomposed = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_SLUG.sub("-", ascii_only.lower()).strip("-")


def shorten(value: str, limit: int) -> str:
    """Cut at a word boundary, the way the CMS fills descriptions and listing blurbs."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "..."


# --- shared parts ---------------------------------------------------------


def render_menu(menu: tuple[tuple[str, str], ...]) -> str:
    items = "".join(f'<li><a href="{attr(url)}">{text(label)}</a></li>' for label, url in menu)
    return f'<ul class="main-menu">{items}</ul>'


def render_link_list(links: list[dict], *, css_class: str = "", with_time: bool = False) -> str:
    rows = []
    for link in links:
        when = link["published"]
        stamp = f"{when:%d/%m/%Y %H:%M}" if with_time else short_date(when)
        rows.append(
            f'<li><a href="{attr(link["url"])}">{text(link["title"])}</a>'
            f' <span class="date">({stamp})</span></li>'
        )
    cls = f' class="{css_class}"' if css_class else ""
    return f"<ul{cls}>\n" + "\n".join(rows) + "\n</ul>"


def render_sidebar(latest: list[dict], weblinks: list[tuple[str, str]], visits: str) -> str:
    """Right column: newest articles, external links and the visitor counter."""
    links = "\n".join(
        f'<li><a href="{attr(url)}" target="_blank">{text(label)}</a></li>'
        for label, url in weblinks
    )
    return (
        '<div class="content-right">\n'
        '<div class="box latest-news"><div class="box-title">Tin mới nhất</div>\n'
        f"{render_link_list(latest)}\n</div>\n"
        '<div class="box weblinks"><div class="box-title">Liên kết website</div>\n'
        f"<ul>\n{links}\n</ul>\n</div>\n"
        f'<div class="box counter">Lượt truy cập: <span class="count">{text(visits)}</span></div>\n'
        "</div>"
    )


def render_footer(
    owner: str, address: str, phone: str, email: str, links: list[tuple[str, str]]
) -> str:
    nav = " | ".join(f'<a href="{attr(url)}">{text(label)}</a>' for label, url in links)
    return (
        '<div class="footer">\n'
        f'<div class="footer-links">{nav}</div>\n'
        f"<p>Cơ quan chủ quản: {text(owner)}</p>\n"
        f"<p>Địa chỉ: {text(address)} · Điện thoại: {text(phone)} · Email: {text(email)}</p>\n"
        "<p>Ghi rõ nguồn &quot;Cổng thông tin điện tử Tỉnh ủy Hải Dương&quot;"
        " khi phát hành lại thông tin từ website này.</p>\n"
        "</div>"
    )


def render_breadcrumb(trail: list[tuple[str, str]]) -> str:
    links = " » ".join(f'<a href="{attr(url)}">{text(label)}</a>' for label, url in trail)
    return f'<div class="breadcrumb">{links}</div>'


def render_page(
    site: Site,
    *,
    title: str,
    content: str,
    description: str = "",
    keywords: str = "",
    breadcrumb: list[tuple[str, str]] | None = None,
) -> str:
    """The chrome every page shares around `content` (the left column's inner HTML)."""
    full_title = f"{title} - {site.name}" if title else site.name
    crumbs = render_breadcrumb(breadcrumb) + "\n" if breadcrumb else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{text(full_title)}</title>\n"
        f'<meta name="description" content="{attr(description)}">\n'
        f'<meta name="keywords" content="{attr(keywords)}">\n'
        '<link rel="stylesheet" href="/css/style.css">\n</head>\n'
        '<body>\n<div id="wrapper">\n'
        '<div class="header">\n'
        f'<div class="top-bar"><span class="today">{text(site.today_line)}</span> '
        '<form class="search" action="/tim-kiem" method="get">'
        '<input type="text" name="q" placeholder="Tìm kiếm..."> '
        '<button type="submit">Tìm</button></form></div>\n'
        '<div class="banner"><a href="/">'
        f'<img src="/images/banner.png" alt="{attr(site.banner_alt)}"></a></div>\n'
        f"{render_menu(site.menu)}\n</div>\n"
        f"{crumbs}"
        '<div class="main">\n<div class="content-left">\n'
        f"{content}\n"
        "</div>\n"
        f"{site.sidebar_html}\n"
        "</div>\n"
        f"{site.footer_html}\n"
        "</div>\n</body>\n</html>\n"
    )


# --- articles -------------------------------------------------------------


def render_image(image: dict) -> str:
    caption = image.get("caption") or ""
    caption_row = f'<tr><td class="image-caption">{text(caption)}</td></tr>' if caption else ""
    return (
        '<table class="image-box" align="center"><tbody>'
        f'<tr><td><img src="{attr(image["src"])}" alt="{attr(image.get("alt") or "")}" width="600">'
        f"</td></tr>{caption_row}</tbody></table>"
    )


def render_article_body(article: dict) -> str:
    """`.news-content`: images where the editor put them, paragraphs, the author line last."""
    paragraphs: list[str] = article["paragraphs"]
    by_position: dict[int, list[str]] = {}
    for image in article.get("images") or []:
        by_position.setdefault(image.get("before", 0), []).append(render_image(image))
    parts: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        parts.extend(by_position.pop(index, []))
        parts.append(f'<p style="text-align: justify;">{text(paragraph)}</p>')
    for position in sorted(by_position):
        parts.extend(by_position[position])
    if article.get("author_line"):
        parts.append(
            f'<p style="text-align: right;"><strong>{text(article["author_line"])}</strong></p>'
        )
    return '<div class="news-content">\n' + "\n".join(parts) + "\n</div>"


def render_news_tools(title: str, absolute_url: str) -> str:
    subject = quote(title, safe="")
    target = quote(absolute_url, safe="")
    return (
        '<div class="news-tools"><span class="font-size">Xem với cỡ chữ '
        '<a href="javascript:void(0)" class="zoom-in">A+</a> '
        '<a href="javascript:void(0)" class="zoom-out">A-</a></span> '
        '<a href="javascript:window.print()" class="print">In bài viết</a> '
        f'<a href="mailto:?subject={attr(subject)}&amp;body={attr(target)}" class="email">'
        "Gửi email</a> "
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={attr(target)}" class="share">'
        "Chia sẻ</a></div>"
    )


def render_article(site: Site, article: dict, url: str) -> str:
    """An article page; `url` is the path it is served under (for the share links)."""
    title = article["title"]
    parts = [
        '<div class="news-detail">',
        f'<h1 class="news-title">{text(title)}</h1>',
        '<div class="news-meta"><span class="news-date">'
        f"{date_line(article['published'])}</span></div>",
        render_news_tools(title, site.base_url + url),
        f'<div class="news-sapo"><strong>{text(article["lead"])}</strong></div>',
        render_article_body(article),
    ]
    attachments = article.get("attachments") or []
    if attachments:
        files = " ".join(f'<a href="{attr(a["url"])}">{text(a["title"])}</a>' for a in attachments)
        parts.append(f'<div class="news-attach">Tệp đính kèm: {files}</div>')
    tags = article.get("tags") or []
    if tags:
        links = ", ".join(
            f'<a href="/Search/Pages/results.aspx?k={attr(quote(tag, safe=""))}">{text(tag)}</a>'
            for tag in tags
        )
        parts.append(f'<div class="news-tags">Từ khóa: {links}</div>')
    related = article.get("related") or []
    if related:
        parts.append(
            '<div class="other-news"><div class="title">CÁC BÀI VIẾT KHÁC:</div>\n'
            f"{render_link_list(related)}\n</div>"
        )
    parts.append("</div>")
    category = article["category"]
    return render_page(
        site,
        title=title,
        content="\n".join(parts),
        description=shorten(article["lead"], 160),
        keywords=", ".join(tags) if tags else f"{category['name']}, {site.name}",
        breadcrumb=[("Trang chủ", "/"), (category["name"], category["path"])],
    )


# --- listings and the home page -------------------------------------------


def listing_url(path: str, page: int) -> str:
    """Page `page` of a listing, as the site numbers them (`&Page=N`)."""
    return HaiDuong.pagination.page_url(path, page)


def render_pager(path: str, page: int, pages: int) -> str:
    items = [
        f'<span class="current">{n}</span>'
        if n == page
        else f'<a href="{attr(listing_url(path, n))}">{n}</a>'
        for n in range(1, pages + 1)
    ]
    if page < pages:
        items.append(f'<a href="{attr(listing_url(path, pages))}">Trang cuối</a>')
    return '<div class="pager">' + " ".join(items) + "</div>"


def render_listing_item(item: dict) -> str:
    url = attr(item["url"])
    thumb = attr(item.get("thumb") or "/images/no-image.png")
    return (
        '<div class="item">'
        f'<a href="{url}"><img src="{thumb}" alt="{attr(item["title"])}" width="160"></a>'
        f'<h3><a href="{url}">{text(item["title"])}</a></h3>'
        f'<span class="date">{item["published"]:%d/%m/%Y %H:%M}</span>'
        f'<p class="desc">{text(shorten(item["lead"], 220))}</p>'
        "</div>"
    )


def render_listing(site: Site, category: dict, items: list[dict], page: int, pages: int) -> str:
    """One page of a category listing; `items` are already in the page's order."""
    name = category["name"]
    rows = "\n".join(render_listing_item(item) for item in items)
    content = (
        f'<h2 class="cat-title"><a href="{attr(category["path"])}">{text(name)}</a></h2>\n'
        f'<div class="list-news">\n{rows}\n</div>\n'
        f"{render_pager(category['path'], page, pages)}"
    )
    return render_page(
        site,
        title=name if page == 1 else f"{name} - Trang {page}",
        content=content,
        description=f"{name} - {site.name}",
        keywords=f"{name}, {site.name}",
        breadcrumb=[("Trang chủ", "/"), (name, category["path"])],
    )


def render_home(
    site: Site,
    *,
    featured: dict,
    blocks: list[tuple[dict, list[dict]]],
    documents: list[tuple[str, str]],
    pages: list[tuple[str, str]],
    description: str,
) -> str:
    """Featured story, the newest articles of each category, documents and site pages."""
    featured_html = (
        '<div class="home-featured"><div class="box-title">Tiêu điểm</div>'
        f'<h2><a href="{attr(featured["url"])}">{text(featured["title"])}</a></h2>'
        f'<p class="desc">{text(shorten(featured["lead"], 300))}</p></div>'
    )
    block_html = [
        f'<div class="home-block"><h2 class="block-title"><a href="{attr(category["path"])}">'
        f"{text(category['name'])}</a></h2>\n{render_link_list(links)}\n</div>"
        for category, links in blocks
    ]
    docs = "\n".join(
        f'<li><a href="{attr(url)}">{text(label)}</a></li>' for label, url in documents
    )
    info = "\n".join(f'<li><a href="{attr(url)}">{text(label)}</a></li>' for label, url in pages)
    content = "\n".join(
        [
            featured_html,
            *block_html,
            '<div class="home-block documents"><h2 class="block-title">Văn bản mới</h2>\n'
            f"<ul>\n{docs}\n</ul>\n</div>",
            '<div class="home-block site-info"><h2 class="block-title">Thông tin</h2>\n'
            f"<ul>\n{info}\n</ul>\n</div>",
        ]
    )
    return render_page(site, title="", content=content, description=description, keywords=site.name)


# --- static pages ---------------------------------------------------------


def render_static(site: Site, *, title: str, body_html: str, path: str) -> str:
    """Introduction, contact, site map: a title and free HTML, not an article."""
    content = (
        f'<div class="static-page"><h1 class="page-title">{text(title)}</h1>\n'
        f'<div class="page-content">\n{body_html}\n</div></div>'
    )
    return render_page(
        site,
        title=title,
        content=content,
        description=f"{title} - {site.name}",
        keywords=site.name,
        breadcrumb=[("Trang chủ", "/"), (title, path)],
    )


def render_paragraphs(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{text(p)}</p>" for p in paragraphs)


def render_contact(site: Site, contact: dict) -> str:
    body = (
        f"<p><strong>{text(contact['owner'])}</strong></p>\n"
        f'<p class="address">Địa chỉ: {text(contact["address"])}</p>\n'
        f'<p class="phone">Điện thoại: {text(contact["phone"])} - Fax: {text(contact["fax"])}</p>\n'
        f'<p class="email">Email: <a href="mailto:{attr(contact["email"])}">'
        f"{text(contact['email'])}</a></p>\n"
        f"{render_paragraphs(contact['notes'])}\n"
        '<form class="contact-form" action="/lien-he.html" method="post">'
        '<input type="text" name="name" placeholder="Họ và tên"> '
        '<input type="text" name="email" placeholder="Email"> '
        '<textarea name="message" placeholder="Nội dung"></textarea> '
        '<button type="submit">Gửi</button></form>'
    )
    return render_static(site, title="Liên hệ", body_html=body, path=CONTACT)


def render_sitemap(site: Site, sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    parts = []
    for heading, links in sections:
        rows = "\n".join(
            f'<li><a href="{attr(url)}">{text(label)}</a></li>' for label, url in links
        )
        parts.append(f"<h3>{text(heading)}</h3>\n<ul>\n{rows}\n</ul>")
    return render_static(
        site, title="Sơ đồ trang", body_html="\n".join(parts), path=SITEMAP
    )
