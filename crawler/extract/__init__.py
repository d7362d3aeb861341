"""Pure extraction: HTML in, raw article fields out. No Scrapy here.

Layers, first confident answer per field: the site layout's selectors, the page's explicit
metadata (JSON-LD, OpenGraph, meta tags, microdata), then heuristics for Vietnamese pages.
"""

from crawler.extract.article import AUTO, extract_article

__all__ = ["AUTO", "extract_article"]
