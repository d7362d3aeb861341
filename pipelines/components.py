"""The Scrapy item pipelines: thin adapters over the pure functions of each stage.

Order (settings.ITEM_PIPELINES): clean -> dates -> validate -> dedup -> storage.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines import dedup
from pipelines.clean import clean_fields
from pipelines.dates import normalize_date, parse_date
from pipelines.storage import Store, now_local, open_engine
from pipelines.validate import problems

logger = logging.getLogger(__name__)


class _Stage:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _Stage:
        return cls(crawler)

    @property
    def profile(self) -> Any:
        return getattr(self.crawler.spider, "profile", None)

    def count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"tinhuy/{key}", n)


class CleanPipeline(_Stage):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        for key, value in clean_fields(adapter.asdict()).items():
            adapter[key] = value
        return item


class DatesPipeline(_Stage):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        fetched = adapter.get("fetched_at")
        year = fetched.year if fetched else None
        raw = adapter.get("published_raw")
        if raw:
            match = parse_date(raw, now=fetched, context_year=year)
            if match is not None and match.weekday_mismatch:
                logger.warning("weekday contradicts the date %r on %s", raw, adapter.get("url"))
                self.count("weekday_mismatch")
        adapter["published"] = normalize_date(raw, now=fetched, context_year=year) if raw else None
        updated = adapter.get("updated_raw")
        adapter["updated"] = (
            normalize_date(updated, now=fetched, context_year=year) if updated else None
        )
        return item


class ValidatePipeline(_Stage):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        reasons = problems(ItemAdapter(item))
        if reasons:
            self.count("dropped")
            raise DropItem("; ".join(reasons))
        return item


class DedupPipeline(_Stage):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        adapter["canonical_url"] = dedup.canonical_url(adapter["url"], self.profile)
        adapter["article_key"] = dedup.article_key(adapter["url"], self.profile)
        adapter["fingerprint"] = dedup.fingerprint(adapter["body"])
        return item


class StoragePipeline(_Stage):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store: Store | None = None
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def open_spider(self, spider: Any = None) -> None:
        settings = self.crawler.settings
        engine = open_engine(settings.get("TINHUY_DB"))
        self.store = Store(engine, self.profile.name, settings.getint("TINHUY_BATCH_SIZE", 50))
        self.run_id = self.store.start_run(now_local())

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        result = self.store.save(ItemAdapter(item))
        self.count(f"articles_{result.outcome}")
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.close(commit=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        # Runs after close_spider, once Scrapy knows why the crawl ended.
        if self.store is None or self.run_id is None:
            return
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        status = "finished" if reason == "finished" else reason
        self.store.finish_run(self.run_id, status, _jsonable(stats))
        self.store.engine.dispose()


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v)
        for k, v in stats.items()
    }
