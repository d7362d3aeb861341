"""Log lines that name a dropped item by its URL instead of dumping it (with its raw page)."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter


class ShortLogFormatter(LogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> Any:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped %(url)s: %(exception)s"
        entry["args"] = {"url": item.get("url"), "exception": exception}
        return entry

    def scraped(self, item: Any, response: Any, spider: Any = None) -> Any:
        entry = super().scraped(item, response, spider)
        entry["msg"] = "Scraped %(url)s"
        entry["args"] = {"url": item.get("url")}
        return entry
