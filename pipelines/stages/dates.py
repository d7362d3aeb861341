"""The dates stage: printed dates of the page as ISO 8601 in +07:00."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.text.dates import VN_TZ, DateMatch, normalize_date, parse_date


def with_dates(item: Mapping[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """`published` and `updated` as ISO 8601 (+07:00); `weekday_mismatch` when the
    printed weekday contradicts the printed date (the date is kept, the crawl logs it).

    `now` is when the page was fetched: relative dates (`2 giờ trước`, `Sáng nay`) count
    back from it, and a publish date printed without a year (`Sáng 15-3`) takes the
    latest such day on or before it. The update date is completed from the publish year.
    """
    out = dict(item)
    raw = out.get("published_raw")
    match = _published(raw, now) if raw else None
    out["weekday_mismatch"] = bool(match and match.weekday_mismatch)
    out["published"] = match.iso if match else None
    if match:
        year: int | None = int(match.iso[:4])
    else:
        year = now.year if now else None
    updated = out.get("updated_raw")
    out["updated"] = normalize_date(updated, now=now, context_year=year) if updated else None
    return out


def _published(raw: str, now: datetime | None) -> DateMatch | None:
    if now is None:
        return parse_date(raw)
    today = (now if now.tzinfo else now.replace(tzinfo=VN_TZ)).astimezone(VN_TZ).date()
    match = parse_date(raw, now=now, context_year=today.year)
    # A page cannot be published after it was fetched: a day/month past the fetch date
    # is from the year before (a printed year stays what it is, so it is not moved).
    if match and match.iso[:10] > today.isoformat():
        return parse_date(raw, now=now, context_year=today.year - 1) or match
    return match
