"""The synthetic site's pages, rendered from its content with the replica's templates
(crawler/replica/render.py) so that the profile's selectors find every field."""

from __future__ import annotations

from datetime import datetime

from crawler.replica import render
from crawler.replica.synthetic.content import SITE, START, STEP, Article, SiteContent

ROBOTS_TXT = b"User-agent: *\nDisallow: /tim-kiem\n"
ROBOTS_TYPE = "text/plain; charset=utf-8"
WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def date_form(published: datetime, choice: int) -> str:
    """The publish line in one of the forms Vietnamese CMSs print."""
    p = published
    weekday = render.weekday_name(p)
    forms = (
        render.date_line(p),
        f"{weekday.replace('Thứ ', 'Thứ ').lower().capitalize()}, {p:%d/%m/%Y} - {p:%H:%M}",
        f"{p:%d-%m-%Y %H:%M}",
        f"{p:%H:%M} {p:%d/%m/%Y}",
        f"Ngày {p.day} tháng {p.month} năm {p.year} {p:%H:%M}",
        f"{WEEKDAY_SHORT[p.weekday()]}, {p.day}/{p.month}/{p.year} {p.hour}:{p:%M}",
        f"Cập nhật: {p:%d.%m.%Y %H:%M}",
        f"{weekday}, {p:%d/%m/%Y}, {p:%H:%M} (GMT+7)",
    )
    return forms[choice % len(forms)]


class Pages:
    """The home page, the listings and the article pages of one site's content."""

    def __init__(self, content: SiteContent) -> None:
        self.content = content
        n = content.n
        newest = [content.article(i) for i in range(n - 1, max(-1, n - 6), -1)]
        # What every page shares: menu, sidebar (the newest articles) and footer.
        self.chrome = render.Site(
            name=SITE.site_name,
            base_url=SITE.base_url,
            today_line=render.today_line(content.snapshot),
            menu=(
                ("Trang chủ", "/"),
                *((c.name, c.path) for c in self.content.categories.values()),
                ("Liên hệ", render.CONTACT),
            ),
            sidebar_html=render.render_sidebar(
                [_link(a, a.category) for a in newest],
                [
                    ("Báo Hải Dương", "https://baohaiduong.vn"),
                    ("Đảng Cộng sản", "https://dangcongsan.vn"),
                ],
                f"{n * 37:,}".replace(",", "."),
            ),
            footer_html=render.render_footer(
                "Tỉnh ủy Hải Dương",
                "Số 1 Phạm Sư Mạnh, thành phố Hải Dương",
                "0220.3852.111",
                "banbientap@haiduong.dcs.vn",
                [("Liên hệ", render.CONTACT)],
            ),
        )

    def listing(self, slug: str, page: int) -> str:
        content = self.content
        category = content.categories[slug]
        pages = content.listing_pages(slug)
        rows = "\n".join(
            render.render_listing_item(_link(content.article(i), slug))
            for i in content.listed(slug, page)
        )
        # A window of page numbers, as large CMS listings show, not render_pager's full row.
        window = range(max(1, page - 2), min(pages, page + 2) + 1)
        shown = sorted({1, min(2, pages), pages, *window})
        pager = " ".join(
            f'<span class="current">{n}</span>'
            if n == page
            else f'<a href="{render.attr(render.listing_url(category.path, n))}">{n}</a>'
            for n in shown
        )
        html = (
            f'<h2 class="cat-title"><a href="{category.path}">'
            f"{render.text(category.name)}</a></h2>\n"
            f'<div class="list-news">\n{rows}\n</div>\n<div class="pager">{pager}</div>'
        )
        return render.render_page(
            self.chrome,
            title=category.name if page == 1 else f"{category.name} - Trang {page}",
            content=html,
            description=f"{category.name} - {self.chrome.name}",
            keywords=f"{category.name}, {self.chrome.name}",
            breadcrumb=[("Trang chủ", "/"), (category.name, category.path)],
        )

    def home(self) -> str:
        content = self.content
        blocks = [
            (
                {"name": c.name, "path": c.path},
                [_link(content.article(i), slug) for i in ids[:3]],
            )
            for slug, ids in content.members.items()
            for c in (content.categories[slug],)
        ]
        when = START + STEP * content.n
        specials = [
            {"url": url, "title": f"Bài viết đặc biệt {k + 1}", "published": when}
            for k, (_kind, url, _second) in enumerate(content.specials)
        ]
        if specials:
            featured = next(iter(content.categories.values())).path
            blocks.append(({"name": "Tin nổi bật", "path": featured}, specials))
        newest = content.article(content.n - 1)
        return render.render_home(
            self.chrome,
            featured=_link(newest, newest.category),
            blocks=blocks,
            documents=[],
            pages=[("Liên hệ", render.CONTACT)],
            description="Cổng thông tin điện tử Tỉnh ủy Hải Dương",
        )

    def article_html(self, article: Article) -> str:
        content = self.content
        data = {
            "id": article.id,
            "title": article.title,
            "published": article.published,
            "lead": article.lead,
            "paragraphs": list(article.paragraphs),
            "images": list(article.images),
            "author_line": article.author_line,
            "tags": list(article.tags),
            "related": [
                _link(content.article(i), article.category) for i in content.related(article)
            ],
            "category": {
                "name": content.categories[article.category].name,
                "path": content.categories[article.category].path,
            },
        }
        html = render.render_article(self.chrome, data, article.final_url)
        # render_article prints one date form; the site's editors used several over the years.
        standard = render.date_line(article.published)
        return html.replace(standard, date_form(article.published, article.date_form), 1)


def _link(article: Article, category: str) -> dict:
    """An article as listings, the sidebar and related lists link it."""
    return {
        "url": article.listed_url(category),
        "title": article.title,
        "published": article.published,
        "lead": article.lead,
        "thumb": article.images[0]["src"] if article.images else None,
    }
