"""Cổng thông tin điện tử Tỉnh ủy Hải Dương, a SharePoint portal (as public copies of
its pages show it, 2018-2024): news at `/news/Pages/new.aspx?ItemID=N`, also reached with
`&CateID=K` and with the path in another case; listings on the same path with
`?CateID=K&Page=P`, newest first; introduction pages at
`/province/Pages/about.aspx?CateID=2&ItemID=N`, numbered apart from the news. Since the
2025 merger of Hải Dương into Hải Phòng the site may be frozen, moved or redirecting:
crawl a successor with `--base-url`."""

import re

from crawler.sites.base import ArticleShape, Category, Layout, QueryPage, Selectors, Site

NEWS = "/news/Pages/new.aspx"
ABOUT = "/province/Pages/about.aspx"


def _item(path: str) -> re.Pattern[str]:
    """`path?...ItemID=N...`, whatever the case of the path or the order of the query."""
    return re.compile(rf"^{re.escape(path)}\?(?:[^#]*&)?itemid=(?P<id>\d+)(?:&|$)", re.I)


class HaiDuong(Site):
    name = "haiduong"
    base_url = "http://tinhuyhaiduong.vn"
    allowed_hosts = ("tinhuyhaiduong.vn", "www.tinhuyhaiduong.vn")
    site_name = "Tỉnh ủy Hải Dương"
    # The category ids are the ones seen on the live site; their names were not visible
    # in the copies read, so these are the replica's.
    categories = (
        Category("tin-hoat-dong", "Tin hoạt động", f"{NEWS}?CateID=1"),
        Category("xay-dung-dang", "Xây dựng Đảng", f"{NEWS}?CateID=2"),
        Category("van-ban-chi-dao", "Văn bản chỉ đạo", f"{NEWS}?CateID=3"),
        Category("kinh-te-xa-hoi", "Kinh tế - Xã hội", f"{NEWS}?CateID=11"),
        Category("gioi-thieu", "Giới thiệu", f"{ABOUT}?CateID=2"),
    )
    article_urls = (
        ArticleShape(_item(NEWS), canonical=f"{NEWS}?ItemID={{id}}"),
        ArticleShape(_item(ABOUT), canonical=f"{ABOUT}?CateID=2&ItemID={{id}}", key="about-"),
    )
    pagination = QueryPage("Page")
    tracking_params = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "fbclid")
    layouts = (
        Layout(
            "news",
            Selectors(
                title="h1.news-title",
                published=".news-meta .news-date",
                lead=".news-sapo",
                body=".news-content",
                captions=".news-content .image-caption",
                images=".news-content img",
                category=".breadcrumb a",
                tags=".news-tags a",
                related=".other-news a",
                chrome=".news-tools, .other-news, .news-tags",
                listing_item=".list-news .item",
                listing_link="h3 a",
                listing_date=".date",
            ),
        ),
    )
