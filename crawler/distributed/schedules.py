"""The sites' schedules as Celery beat entries: one crawl job per site and period."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from crawler.distributed.jobs import CrawlJob, to_wire
from crawler.distributed.sites import SiteEntry


def beat_schedule(entries: dict[str, SiteEntry], budget: int) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        if entry.every is None and entry.cron is None:
            continue
        if entry.cron is not None:
            minute, hour, day_of_month, month_of_year, day_of_week = entry.cron.split()
            when: Any = crontab(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                day_of_week=day_of_week,
            )
        else:
            when = float(entry.every or 0)
        schedule[f"crawl {name}"] = {
            "task": "tinhuy.crawl",
            "schedule": when,
            "args": (to_wire(CrawlJob(entry.spec, budget)),),
        }
    return schedule
