"""The Article item: what the spider hands to the pipelines."""

import scrapy


class Article(scrapy.Item):
    # Where and when the page was fetched.
    site = scrapy.Field()
    url = scrapy.Field()
    fetched_at = scrapy.Field()
    status = scrapy.Field()
    content_type = scrapy.Field()
    raw_body = scrapy.Field()
    # The URLs that redirected to this page, in order.
    redirect_urls = scrapy.Field()

    # Raw fields from crawler.extract.extract_article.
    is_article = scrapy.Field()
    title = scrapy.Field()
    published_raw = scrapy.Field()
    updated_raw = scrapy.Field()
    author = scrapy.Field()
    author_unit = scrapy.Field()
    lead = scrapy.Field()
    body = scrapy.Field()
    captions = scrapy.Field()
    images = scrapy.Field()
    category = scrapy.Field()
    tags = scrapy.Field()
    related = scrapy.Field()

    # Filled by the pipelines.
    published = scrapy.Field()
    updated = scrapy.Field()
    event_date = scrapy.Field()
    event_part_of_day = scrapy.Field()
    documents = scrapy.Field()
    officials = scrapy.Field()
    canonical_url = scrapy.Field()
    article_key = scrapy.Field()
    fingerprint = scrapy.Field()
    alias_urls = scrapy.Field()


class ListingPage(scrapy.Item):
    """Progress of a listing walk, stored in the same transaction as the
    articles it leads to, so the record is never behind what is stored."""

    site = scrapy.Field()
    listing = scrapy.Field()
    page = scrapy.Field()
