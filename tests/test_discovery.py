"""Discovery's readers on the forms sites serve: robots.txt, sitemaps and indexes (news
sitemaps, gzip), RSS and Atom feeds, article URL shapes of each CMS family, and the
pagination forms of listings."""

from __future__ import annotations

import gzip

import pytest
from lxml import html

from crawler.discovery.feeds import feed_links, read_feed
from crawler.discovery.pagination import pagination_of
from crawler.discovery.shapes import Link, article_templates, target
from crawler.discovery.sitemaps import read_sitemap, sitemaps_in_robots
from crawler.sites.base import OffsetPage, PathPage, QueryPage

SITE = "https://tinhuy.example.vn"
HEADLINE = "Hội nghị sơ kết công tác tuyên giáo 6 tháng đầu năm"


def test_robots_sitemap_lines_in_any_case_each_once() -> None:
    robots = (
        "User-agent: *\nDisallow: /admin\nSitemap: https://a.vn/sitemap.xml\n"
        "sitemap: https://a.vn/news-sitemap.xml\nSITEMAP: https://a.vn/sitemap.xml\n"
    )
    assert sitemaps_in_robots(robots) == [
        "https://a.vn/sitemap.xml",
        "https://a.vn/news-sitemap.xml",
    ]


def test_a_news_sitemap_gives_urls_with_publication_dates_and_titles() -> None:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>{SITE}/tin-tuc/a-1.html</loc><lastmod>2024-07-12</lastmod>
  <news:news><news:publication_date>2024-07-11T10:25:41+07:00</news:publication_date>
  <news:title>{HEADLINE}</news:title></news:news></url>
 <url><loc>{SITE}/tin-tuc/b-2.html</loc><lastmod>2024-07-10T08:00:00Z</lastmod></url>
</urlset>""".encode()
    found = read_sitemap(xml)
    assert [(e.url, e.modified, e.title) for e in found.entries] == [
        (f"{SITE}/tin-tuc/a-1.html", "2024-07-11T10:25:41+07:00", HEADLINE),
        (f"{SITE}/tin-tuc/b-2.html", "2024-07-10T15:00:00+07:00", None),
    ]
    assert found.children == []


def test_a_gzipped_sitemap_index_names_its_sitemaps() -> None:
    xml = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://a.vn/sitemap-2024.xml</loc><lastmod>2024-07-12</lastmod></sitemap>
<sitemap><loc>https://a.vn/sitemap-2023.xml</loc></sitemap></sitemapindex>"""
    found = read_sitemap(gzip.compress(xml))
    assert [(c.url, c.modified) for c in found.children] == [
        ("https://a.vn/sitemap-2024.xml", "2024-07-12"),
        ("https://a.vn/sitemap-2023.xml", None),
    ]
    assert found.entries == []


@pytest.mark.parametrize("junk", [b"", b"<html><body>404</body></html>", b"\x1f\x8b broken", b"{}"])
def test_what_is_no_sitemap_gives_nothing(junk: bytes) -> None:
    found = read_sitemap(junk)
    assert found.entries == [] and found.children == []


def test_feeds_declared_by_a_page_and_their_articles() -> None:
    page = html.fromstring(
        '<html><head><link rel="alternate" type="application/rss+xml" title="Tin mới" '
        'href="/feed/"><link rel="stylesheet" href="/a.css"></head><body></body></html>'
    )
    assert [(f.url, f.title) for f in feed_links(page, SITE + "/")] == [
        (f"{SITE}/feed/", "Tin mới")
    ]
    rss = f"""<rss version="2.0"><channel><title>x</title>
<item><title>{HEADLINE}</title><link>{SITE}/2024/07/11/hoi-nghi-so-ket/</link>
<pubDate>Thu, 11 Jul 2024 03:25:41 +0000</pubDate></item>
<item><title>Khác</title><guid isPermaLink="false">post-12</guid>
<link>/tin/khac-13.html</link></item>
</channel></rss>""".encode()
    assert [(e.url, e.modified) for e in read_feed(rss, SITE + "/feed/")] == [
        (f"{SITE}/2024/07/11/hoi-nghi-so-ket/", "2024-07-11T10:25:41+07:00"),
        (f"{SITE}/tin/khac-13.html", None),
    ]
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>{HEADLINE}</title>
<link rel="alternate" href="{SITE}/a-1.html"/><updated>2024-07-11T10:00:00+07:00</updated></entry>
</feed>""".encode()
    assert [(e.url, e.title) for e in read_feed(atom, SITE)] == [(f"{SITE}/a-1.html", HEADLINE)]


# Article URLs of each family, with the id each names (None: the slug names it).
FAMILIES = {
    "nukeviet": [
        (f"{SITE}/news/chinh-tri/hoi-nghi-ban-chap-hanh-lan-thu-{n}-{900 + n}.html", str(900 + n))
        for n in range(6)
    ],
    # Slugs that end in the same year: the year is no id.
    "wordpress": [
        (f"{SITE}/2024/07/{n + 1:02d}/{topic}-nam-2024/", None)
        for n, topic in enumerate(
            ("so-ket", "tong-ket", "hoi-nghi", "ra-quan", "giao-ban", "le-mit-tinh")
        )
    ],
    "dotnetnuke": [
        (f"{SITE}/tabid/59/ArticleID/{4000 + n}/Default.aspx", str(4000 + n)) for n in range(6)
    ],
    "joomla": [
        (
            f"{SITE}/index.php?option=com_content&view=article"
            f"&id={70 + n}:hoi-nghi&catid=8&Itemid=101",
            str(70 + n),
        )
        for n in range(6)
    ],
    "sharepoint": [
        (f"{SITE}/news/Pages/new.aspx?CateID=1&ItemID={3500 + n}", str(3500 + n)) for n in range(6)
    ],
    "table3cms": [
        (f"{SITE}/index.php?module=content&id={120 + n}", str(120 + n)) for n in range(6)
    ],
}
MENU = [Link(f"{SITE}/news/chinh-tri", "Chính trị"), Link(f"{SITE}/lien-he", "Liên hệ")] * 3


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_article_shapes_of_each_family_are_learned_with_their_ids(family: str) -> None:
    urls = FAMILIES[family]
    found = article_templates([*(Link(u, HEADLINE) for u, _ in urls), *MENU])
    assert len(found) == 1
    pattern = found[0].pattern()
    for url, own_id in urls:
        match = pattern.search(target(url))
        assert match is not None, url
        assert match.groupdict().get("id") == own_id
    for link in MENU:
        assert pattern.search(target(link.url)) is None


def test_links_without_headlines_make_no_article_shape() -> None:
    tags = [Link(f"{SITE}/tag/tu-khoa-{n}-nam", "tuyên giáo") for n in range(8)]
    assert article_templates([*tags, *MENU]) == []


@pytest.mark.parametrize(
    ("listing", "page_two", "text", "form", "page_three"),
    [
        (
            f"{SITE}/category/chinh-tri/",
            f"{SITE}/category/chinh-tri/page/2/",
            "2",
            PathPage("/page/{page}/"),
            "/category/chinh-tri/page/3/",
        ),
        (
            f"{SITE}/news/chinh-tri/",
            f"{SITE}/news/chinh-tri/page-2",
            "Trang sau",
            PathPage("/page-{page}"),
            "/news/chinh-tri/page-3",
        ),
        (
            f"{SITE}/tin-tuc",
            f"{SITE}/tin-tuc/trang-2",
            "2",
            PathPage("/trang-{page}"),
            "/tin-tuc/trang-3",
        ),
        (
            f"{SITE}/index.php?option=com_content&view=category&id=8",
            f"{SITE}/index.php?option=com_content&view=category&id=8&start=20",
            "»",
            OffsetPage("start", 20),
            "/index.php?option=com_content&view=category&id=8&start=40",
        ),
        (
            f"{SITE}/news/Pages/new.aspx?CateID=1",
            f"{SITE}/news/Pages/new.aspx?CateID=1&Page=2",
            "Tiếp",
            QueryPage("Page"),
            "/news/Pages/new.aspx?CateID=1&Page=3",
        ),
    ],
)
def test_pagination_forms(
    listing: str, page_two: str, text: str, form: object, page_three: str
) -> None:
    links = [
        Link(f"{SITE}/news/other-page-2", "2"),
        Link(page_two, text),
        Link(f"{SITE}/", "Trang chủ"),
    ]
    found = pagination_of(listing, links)
    assert found.pagination == form and not found.postback
    path = listing.removeprefix(SITE)
    assert found.pagination.page_url(path, 3) == page_three
    assert found.pagination.split(*_split(page_three))[2] == 3


def _split(url: str) -> tuple[str, list[tuple[str, str]]]:
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    return parts.path, parse_qsl(parts.query)


def test_postback_pagination_is_reported_not_followed() -> None:
    links = [Link("javascript:__doPostBack('ctl00$m$g_1','Page$2')", "2"), Link(f"{SITE}/a", "A")]
    found = pagination_of(f"{SITE}/tin-tuc/Pages/default.aspx", links)
    assert found.pagination is None and found.postback
