"""The profile-driven spider: home -> category listings (paginated) -> articles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import Response

from crawler import links
from crawler.extract import extract_article
from crawler.items import Article
from crawler.sites import get_profile

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class ProvincialSpider(scrapy.Spider):
    name = "provincial"

    def __init__(self, site: str = "haiduong", base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = get_profile(site)
        self.base_url = (base_url or self.profile.base_url).rstrip("/")
        host = urlsplit(self.base_url).hostname
        self.allowed_domains = [host] if host else []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.base_url + "/", callback=self.parse_listing)
        for category in self.profile.categories:
            yield scrapy.Request(self.base_url + category.path, callback=self.parse_listing)

    def _follow(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            url = links.absolute(href, response.url, self.profile)
            if url is None or not links.same_origin(url, self.base_url):
                continue
            kind = links.kind(url, self.profile)
            if kind == "article":
                yield scrapy.Request(url, callback=self.parse_article)
            elif kind == "listing":
                yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self._follow(response)

    def parse_article(self, response: Response) -> Iterator[Article | scrapy.Request]:
        headers = {k.decode(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        fields = extract_article(response.body, response.url, profile=self.profile, headers=headers)
        yield Article(
            site=self.profile.name,
            url=response.url,
            fetched_at=datetime.now(TZ),
            status=response.status,
            content_type=headers.get("Content-Type"),
            raw_body=response.body,
            **{key: value for key, value in fields.items() if key in Article.fields},
        )
        for href in fields.get("related") or ():
            url = links.absolute(href, response.url, self.profile)
            if (
                url
                and links.same_origin(url, self.base_url)
                and links.kind(url, self.profile) == "article"
            ):
                yield scrapy.Request(url, callback=self.parse_article)
