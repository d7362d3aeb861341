"""Site classes: URL shapes, pagination forms, layouts with a validity period, validation."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from crawler.crawl import links
from crawler.extract import extract_article
from crawler.sites import SITES, Category, Layout, Selectors, Site, SiteError, get_site
from crawler.sites.base import ArticleShape, OffsetPage, PathPage, QueryPage
from crawler.sites.urls import canonical_url
from crawler.text.dates import VN_TZ
from pipelines.stages.identity import article_key


def _site(**attrs) -> Site:
    """An unregistered site class built for one test."""
    base = {
        "name": "test",
        "base_url": "http://tinhuy.example.vn",
        "allowed_hosts": ("tinhuy.example.vn",),
        "categories": (Category("tin", "Tin tức", "/tin-tuc"),),
        "article_urls": (ArticleShape(re.compile(r"^/tin-tuc/[a-z0-9-]+-(?P<id>\d+)\.html$")),),
    }
    return type("TestSite", (Site,), base | attrs)()


@pytest.mark.parametrize(
    ("pagination", "page_two"),
    [
        (QueryPage("page"), "/tin-tuc?page=2"),
        (QueryPage("p"), "/tin-tuc?p=2"),
        (OffsetPage("start", 20), "/tin-tuc?start=20"),
        (PathPage("/trang-{page}"), "/tin-tuc/trang-2"),
        (PathPage("/page/{page}/"), "/tin-tuc/page/2/"),
        (PathPage("/page-{page}"), "/tin-tuc/page-2"),
        (PathPage("/p{page}"), "/tin-tuc/p2"),
    ],
)
def test_every_pagination_form_names_its_pages_and_reads_them_back(pagination, page_two) -> None:
    site = _site(pagination=pagination)
    assert site.listing_url("/tin-tuc", 1) == "/tin-tuc"
    assert site.listing_url("/tin-tuc", 2) == page_two
    for page in (1, 2, 3, 41):
        url = site.base_url + site.listing_url("/tin-tuc", page)
        assert site.listing_page(url) == ("/tin-tuc", page)
        assert links.kind(url, site) == "listing"


def test_a_listing_named_by_its_query_is_told_apart_from_the_others() -> None:
    site = _site(
        categories=(
            Category("a", "A", "/news/Pages/new.aspx?CateID=1"),
            Category("b", "B", "/news/Pages/new.aspx?CateID=2"),
        ),
        article_urls=(
            ArticleShape(
                re.compile(r"^/news/pages/new\.aspx\?(?:.*&)?itemid=(?P<id>\d+)", re.I),
                canonical="/news/Pages/new.aspx?ItemID={id}",
            ),
            ArticleShape(
                re.compile(r"^/province/pages/about\.aspx\?(?:.*&)?itemid=(?P<id>\d+)", re.I),
                key="about-",
            ),
        ),
        pagination=QueryPage("Page"),
    )
    base = site.base_url
    assert site.listing_page(f"{base}/news/Pages/new.aspx?Page=41&CateID=2") == (
        "/news/Pages/new.aspx?CateID=2", 41
    )
    assert site.listing_page(f"{base}/news/Pages/new.aspx?CateID=3") is None
    assert site.listing_url("/news/Pages/new.aspx?CateID=2", 3) == (
        "/news/Pages/new.aspx?CateID=2&Page=3"
    )
    # The article shape wins over the listing shape on the shared path.
    assert links.kind(f"{base}/news/Pages/new.aspx?CateID=1&ItemID=6173", site) == "article"
    assert site.article_id(f"{base}/news/Pages/new.aspx?ItemID=6173&CateID=1") == "6173"
    # One article whatever the category or the path's case; introductions keyed apart.
    for url in ("/news/Pages/new.aspx?CateID=1&ItemID=6173", "/news/pages/new.aspx?ItemID=6173"):
        assert article_key(base + url, site) == "id:6173"
        assert canonical_url(base + url, site) == f"{base}/news/Pages/new.aspx?ItemID=6173"
    assert article_key(f"{base}/province/Pages/about.aspx?CateID=2&ItemID=30", site) == (
        "id:about-30"
    )


def test_article_urls_with_and_without_an_id() -> None:
    with_id = _site()
    url = "http://tinhuy.example.vn/tin-tuc/hoi-nghi-tinh-uy-1523.html?utm_source=zalo"
    assert with_id.article_id(url) == "1523"
    assert article_key(url, with_id) == "id:1523"
    slug_only = _site(article_urls=(ArticleShape(re.compile(r"^/\d{4}/\d{2}/[a-z0-9-]+/$")),))
    url = "http://tinhuy.example.vn/2021/04/hoi-nghi-tinh-uy/"
    assert slug_only.is_article_url(url)
    assert slug_only.article_id(url) is None
    assert article_key(url, slug_only) == url
    assert links.kind("http://tinhuy.example.vn/lien-he", slug_only) is None


def test_the_layout_in_force_on_a_day() -> None:
    old, new = Layout("2015", Selectors(title="h2.tieude")), Layout(
        "2021", Selectors(title="h1.title"), valid_from=date(2021, 3, 1)
    )
    site = _site(layouts=(old, new))
    assert site.layout_at(date(2020, 12, 31)) is old
    assert site.layout_at(datetime(2021, 3, 1, 0, 5, tzinfo=VN_TZ)) is new
    assert site.layout_at(None) is new


def test_reextraction_reads_an_old_page_with_its_days_layout() -> None:
    site = _site(
        layouts=(
            Layout("old", Selectors(title="h2.tieude")),
            Layout("new", Selectors(title="h1.title"), valid_from=date(2021, 3, 1)),
        )
    )
    page = (
        "<html><body><h1 class='title'>Tiêu đề của mẫu mới</h1>"
        "<h2 class='tieude'>Tiêu đề của mẫu cũ</h2>"
        + "<p>Nội dung bài viết dài đủ để là một đoạn văn của bài báo.</p>" * 5
        + "</body></html>"
    )
    url = "http://tinhuy.example.vn/tin-tuc/bai-12.html"
    fetched_2019 = datetime(2019, 5, 1, tzinfo=VN_TZ)
    assert extract_article(page, url, site=site, fetched_at=fetched_2019)["title"] == (
        "Tiêu đề của mẫu cũ"
    )
    assert extract_article(page, url, site=site)["title"] == "Tiêu đề của mẫu mới"


def test_invalid_css_is_an_error_naming_the_site_layout_and_key() -> None:
    with pytest.raises(SiteError, match=r"site test, layout v1: body: not CSS"):
        _site(layouts=(Layout("v1", Selectors(body="div..content")),))


def test_layouts_out_of_order_or_missing_attributes_are_errors() -> None:
    with pytest.raises(SiteError, match="increasing"):
        _site(
            layouts=(
                Layout("b", Selectors(), valid_from=date(2021, 1, 1)),
                Layout("a", Selectors(), valid_from=date(2020, 1, 1)),
            )
        )
    with pytest.raises(SiteError, match="missing article_urls"):
        type("NoArticles", (Site,), {"name": "x", "base_url": "http://x.vn",
                                     "allowed_hosts": ("x.vn",), "categories": ()})  # fmt: skip


def test_path_pagination_needs_one_page_placeholder() -> None:
    with pytest.raises(SiteError):
        PathPage("/trang")


def test_registered_sites_are_found_by_name_and_by_host() -> None:
    for name, site in SITES.items():
        assert get_site(name) is site
        assert site.allowed_hosts, name
    with pytest.raises(KeyError, match="unknown site"):
        get_site("nowhere")
