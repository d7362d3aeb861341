"""The Scrapy item pipelines: thin adapters over the pure functions of each stage.

Order (settings.ITEM_PIPELINES): clean -> dates -> facts -> validate -> dedup -> storage.
Listing progress items pass through to storage untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.spiders.items import Article, ArticleAlias, ListingPage
from crawler.text.dates import now_local
from pipelines.archive import crawl_state
from pipelines.archive.engine import open_engine
from pipelines.archive.storage import Store
from pipelines.stages.clean import clean_fields
from pipelines.stages.dates import with_dates
from pipelines.stages.facts import with_facts
from pipelines.stages.identity import with_identity
from pipelines.stages.validate import problems

logger = logging.getLogger(__name__)

# The fields whose coverage over new and updated articles tells whether
# extraction still works (see crawler/health.py).
MIN_BODY_CHARS = 200
SAMPLE_URLS = 20


class _Stage:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _Stage:
        return cls(crawler)

    @property
    def site(self) -> Any:
        return getattr(self.crawler.spider, "site", None)

    def count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"tinhuy/{key}", n)

    def sample(self, key: str, url: str) -> None:
        assert self.crawler.stats is not None
        urls = self.crawler.stats.get_value(f"tinhuy/{key}_urls") or []
        if len(urls) < SAMPLE_URLS:
            self.crawler.stats.set_value(f"tinhuy/{key}_urls", [*urls, url])

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Article):
            return item  # progress and alias records go straight to storage
        return self.process_article(ItemAdapter(item)) or item

    def process_article(self, article: ItemAdapter) -> None:
        raise NotImplementedError


class CleanPipeline(_Stage):
    def process_article(self, article: ItemAdapter) -> None:
        for key, value in clean_fields(dict(article)).items():
            article[key] = value


class DatesPipeline(_Stage):
    def process_article(self, article: ItemAdapter) -> None:
        dated = with_dates(dict(article), now=article.get("fetched_at"))
        if dated.pop("weekday_mismatch"):
            logger.warning(
                "weekday contradicts the date %r on %s", dated["published_raw"], dated["url"]
            )
            self.count("weekday_mismatch")
        article["published"], article["updated"] = dated["published"], dated["updated"]


class FactsPipeline(_Stage):
    def process_article(self, article: ItemAdapter) -> None:
        facts = with_facts(dict(article))
        for key in ("event_date", "event_part_of_day", "documents", "officials"):
            article[key] = facts[key]


class ValidatePipeline(_Stage):
    def process_article(self, article: ItemAdapter) -> None:
        reasons = problems(article)
        if reasons:
            self.count("dropped")
            self.sample("dropped", article.get("url"))
            raise DropItem("; ".join(reasons))


class DedupPipeline(_Stage):
    def process_article(self, article: ItemAdapter) -> None:
        identity = with_identity(dict(article), self.site)
        for key in ("canonical_url", "article_key", "fingerprint", "alias_urls"):
            article[key] = identity[key]


class StoragePipeline(_Stage):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store: Store | None = None
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def open_spider(self, spider: Any = None) -> None:
        settings = self.crawler.settings
        engine = open_engine(settings.get("TINHUY_DB"))
        site = self.site.name
        self.store = Store(engine, site, settings.getint("TINHUY_BATCH_SIZE", 50))
        self.run_id = crawl_state.start_run(engine, site, now_local())
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("tinhuy/run_id", self.run_id)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        if isinstance(item, ListingPage):
            crawl_state.reached(
                self.store.conn, item["site"], item["listing"], item["page"], now_local()
            )
            return item
        if isinstance(item, ArticleAlias):
            self.store.add_alias(item["canonical_url"], item["url"])
            return item
        article = ItemAdapter(item)
        result = self.store.save(article)
        self.count(f"articles_{result.outcome}")
        if result.outcome in ("new", "updated"):
            self._coverage(article)
        return item

    def _coverage(self, article: ItemAdapter) -> None:
        self.count("checked")
        present = {
            "title": bool(article.get("title")),
            "published": bool(article.get("published")),
            "body": len(article.get("body") or "") >= MIN_BODY_CHARS,
            "author": bool(article.get("author")),
        }
        for name, ok in present.items():
            if ok:
                self.count(f"coverage/{name}")
            else:
                self.sample(f"missing/{name}", article.get("url"))

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.close(commit=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        # Runs after close_spider, once Scrapy knows why the crawl ended.
        if self.store is None or self.run_id is None:
            return
        engine = self.store.engine
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        crawl_state.finish_run(engine, self.run_id, reason, _jsonable(stats), now_local())
        engine.dispose()


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, int | float | str | bool) or value is None:
            return value
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value)

    return {key: plain(value) for key, value in stats.items()}
