"""The Scrapy items: an article (its fields from crawler/model.py), another spelling of
one, and an article page that could not be had."""

import scrapy

from crawler.model import ITEM_FIELDS

Article = type(
    "Article",
    (scrapy.Item,),
    {
        "__doc__": "What the spider hands to the pipelines: crawler.model.FIELDS with item=True.",
        "__module__": __name__,
        **{name: scrapy.Field() for name in ITEM_FIELDS},
    },
)


class ArticleAlias(scrapy.Item):
    """Another spelling of a stored article's URL, met in a link: recorded without
    fetching the page again, so an interrupted crawl and its rerun keep the same URLs
    as one clean crawl."""

    site = scrapy.Field()
    canonical_url = scrapy.Field()
    url = scrapy.Field()


class FailedPage(scrapy.Item):
    """An article page asked for and not got: recorded in the same transaction as the
    articles, so that later crawls ask for it again (pipelines/archive/crawl_state.py)."""

    site = scrapy.Field()
    canonical_url = scrapy.Field()
    url = scrapy.Field()
    reason = scrapy.Field()
