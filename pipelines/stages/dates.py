"""The dates stage: printed dates of the page as ISO 8601 in +07:00."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.text.dates import normalize_date, parse_date


def with_dates(item: Mapping[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """`published` and `updated` as ISO 8601 (+07:00); `weekday_mismatch` when the
    printed weekday contradicts the printed date (the date is kept, the crawl logs it)."""
    out = dict(item)
    year = now.year if now else None
    raw = out.get("published_raw")
    match = parse_date(raw, now=now, context_year=year) if raw else None
    out["weekday_mismatch"] = bool(match and match.weekday_mismatch)
    out["published"] = normalize_date(raw, now=now, context_year=year) if raw else None
    updated = out.get("updated_raw")
    out["updated"] = normalize_date(updated, now=now, context_year=year) if updated else None
    return out
