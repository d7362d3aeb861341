"""Cổng thông tin điện tử Tỉnh ủy Hải Dương."""

import re

from crawler.sites.base import ArticleShape, Category, Layout, QueryPage, Selectors, Site


class HaiDuong(Site):
    name = "haiduong"
    base_url = "https://haiduong.dcs.vn"
    allowed_hosts = ("haiduong.dcs.vn", "www.haiduong.dcs.vn")
    site_name = "Tỉnh ủy Hải Dương"
    categories = (
        Category("tin-hoat-dong", "Tin hoạt động", "/tin-hoat-dong"),
        Category("xay-dung-dang", "Xây dựng Đảng", "/xay-dung-dang"),
        Category("van-ban-chi-dao", "Văn bản chỉ đạo", "/van-ban-chi-dao"),
        Category("kinh-te-xa-hoi", "Kinh tế - Xã hội", "/kinh-te-xa-hoi"),
    )
    article_urls = (ArticleShape(re.compile(r"^/[a-z0-9-]+/[a-z0-9-]+-(?P<id>\d+)\.html$")),)
    pagination = QueryPage("page")
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
