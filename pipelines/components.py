"""The Scrapy item pipelines: thin adapters over the pure functions of each stage.

Order (settings.ITEM_PIPELINES): clean -> dates -> facts -> validate -> dedup -> storage.
Alias and failed-page records pass through to storage untouched, and end there: what
leaves the pipelines, for Scrapy's feed exports, is articles only.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.exporters import CsvItemExporter
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import SQLAlchemyError

from crawler.spiders.items import Article, ArticleAlias, FailedPage
from crawler.text.dates import now_local
from pipelines.archive import crawl_state
from pipelines.archive.dump.cells import neutralize
from pipelines.archive.dump.query import article_record
from pipelines.archive.dump.writers import csv_cell
from pipelines.archive.engine import open_engine
from pipelines.archive.storage import SaveResult, Store
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
            return item  # alias and failure records go straight to storage
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
    """Writes to the archive. A write that fails (disk full, I/O error, database locked
    past its timeout, connection lost) stops the crawl: the open batch is rolled back
    whole, nothing more is written, and the run ends as `storage_error`, so its walks
    are not marked complete and the next crawl fetches what this one lost."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store: Store | None = None
        self.run_id: int | None = None
        self.failure: str | None = None
        # With a feed (`scrapy crawl provincial -O articles.jsonl`, FEEDS), each article
        # goes on as `tinhuy dump` writes it, read back from the archive; without one
        # (`tinhuy crawl`) the item goes on as it came, at no cost.
        self.feeds = bool(crawler.settings.getdict("FEEDS"))
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def open_spider(self, spider: Any = None) -> None:
        settings = self.crawler.settings
        engine = open_engine(settings.get("TINHUY_DB"))
        site = self.site.name
        self.store = Store(engine, site, settings.getint("TINHUY_BATCH_SIZE", 50))
        self.run_id = crawl_state.start_run(engine, site, now_local())
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("tinhuy/run_id", self.run_id)
        # Ctrl-C twice stops the reactor without closing the spider: the open batch is
        # then rolled back and the run recorded here, or its write lock would outlive it.
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("before", "shutdown", self._abandon)  # type: ignore[attr-defined]

    def process_item(self, item: Any, spider: Any = None) -> Any:
        result = None
        # No store once the run has ended: Ctrl-C twice rolled it back while the engine
        # was still handing items on; the next crawl fetches them again.
        if self.failure is None and self.store is not None:
            try:
                result = self._write(item)
            except (SQLAlchemyError, OSError) as exc:
                self._stop(exc)
        if not isinstance(item, Article):
            # The spider's bookkeeping, recorded: no article for a feed to export.
            raise DropItem(f"{type(item).__name__} recorded", log_level="DEBUG")
        if not self.feeds:
            return item
        if result is None:
            raise DropItem("not stored: the run has ended or cannot write", log_level="DEBUG")
        if result.outcome == "duplicate":
            # The same body as a stored article: its URL joined that article's record.
            raise DropItem(f"a copy of article {result.article_id}", log_level="DEBUG")
        assert self.store is not None
        return article_record(self.store.conn, result.article_id)

    def _write(self, item: Any) -> SaveResult | None:
        store = self.store
        assert store is not None
        if isinstance(item, ArticleAlias):
            store.add_alias(item["canonical_url"], item["url"])
            return None
        if isinstance(item, FailedPage):
            store.record_failure(item["canonical_url"], item["url"], item["reason"])
            return None
        article = ItemAdapter(item)
        result = store.save(article)
        self._report_committed()
        if result.outcome in ("new", "updated"):
            self._coverage(article)
        return result

    def _report_committed(self) -> None:
        assert self.store is not None and self.crawler.stats is not None
        for outcome, n in self.store.committed.items():
            self.crawler.stats.set_value(f"tinhuy/articles_{outcome}", n)

    def _stop(self, exc: BaseException) -> None:
        assert self.store is not None and self.crawler.stats is not None
        self.failure = f"cannot write to {_where(self.store.engine)}: {_reason(exc)}"
        # One line for the operator; the traceback goes to the log file only.
        logger.info("storage failed", exc_info=exc)
        try:
            self.store.close(commit=False)
        except (SQLAlchemyError, OSError):
            logger.info("rollback failed too", exc_info=True)
        self._report_committed()
        self.crawler.stats.set_value("tinhuy/storage_error", self.failure)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_error"))

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
        # Mojibake: a page its declared charset did not decode (crawler/crawl/health.py).
        if "\ufffd" in (article.get("title") or "") + (article.get("body") or ""):
            self.count("replacement_chars")
            self.sample("replacement_chars", article.get("url"))

    def close_spider(self, spider: Any = None) -> None:
        if self.store is None or self.failure is not None:
            return
        try:
            self.store.close(commit=True)
        except (SQLAlchemyError, OSError) as exc:
            self._stop(exc)
        self._report_committed()

    def _abandon(self) -> None:
        if self.store is None or self.run_id is None:
            return  # the spider closed: spider_closed recorded the run
        try:
            self.store.close(commit=False)
        except (SQLAlchemyError, OSError):
            logger.info("rollback at shutdown failed", exc_info=True)
        self.spider_closed(None, "shutdown")

    def spider_closed(self, spider: Any, reason: str) -> None:
        # Runs after close_spider, once Scrapy knows why the crawl ended.
        if self.store is None or self.run_id is None:
            return
        engine = self.store.engine
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        status = "storage_error" if self.failure and reason != "shutdown" else reason
        try:
            crawl_state.finish_run(engine, self.run_id, status, _jsonable(stats), now_local())
        except (SQLAlchemyError, OSError):
            # The next crawl marks a run left `running` as killed.
            logger.info("could not record the run's end", exc_info=True)
        engine.dispose()
        self.store = self.run_id = None


class ArticleCsvExporter(CsvItemExporter):
    """CSV feeds with the cells of `tinhuy dump --format csv`: lists joined with ` | `,
    images as JSON, formula cells neutralized (Scrapy's own would print Python reprs)."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return neutralize(csv_cell(name, value))


def _where(engine: Any) -> str:
    if engine.dialect.name == "sqlite":
        return str(engine.url.database)
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, int | float | str | bool) or value is None:
            return value
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value)

    return {key: plain(value) for key, value in stats.items()}
