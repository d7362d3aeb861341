"""The Scrapy items: an article (its fields from crawler/model.py) and listing progress."""

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


class ListingPage(scrapy.Item):
    """Progress of a listing walk, stored in the same transaction as the
    articles it leads to, so the record is never behind what is stored."""

    site = scrapy.Field()
    listing = scrapy.Field()
    page = scrapy.Field()
