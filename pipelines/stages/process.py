"""The pipeline stages as pure functions over a dict of fields.

The Scrapy components (pipelines/components.py), `tinhuy extract` and
re-extraction all run these same functions, so a page gives the same stored
row whichever way it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.extract.facts import cited_documents, event_date, officials
from crawler.sites.base import Site
from crawler.text.dates import normalize_date, parse_date
from pipelines.stages import identity
from pipelines.stages.clean import clean_fields


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


def with_facts(item: Mapping[str, Any]) -> dict[str, Any]:
    """Event date, cited documents and officials named (crawler/extract/facts.py)."""
    out = dict(item)
    body = out.get("body") or ""
    lead = out.get("lead") or body.split("\n\n", 1)[0]
    out["event_date"], out["event_part_of_day"] = event_date(lead, published=out.get("published"))
    out["documents"] = cited_documents(body)
    author = [out["author"]] if out.get("author") else []
    out["officials"] = officials(body, exclude=author)
    return out


def with_identity(item: Mapping[str, Any], site: Site | None) -> dict[str, Any]:
    out = dict(item)
    out["canonical_url"] = identity.canonical_url(out["url"], site)
    out["article_key"] = identity.article_key(out["url"], site)
    out["fingerprint"] = identity.fingerprint(out.get("body") or "")
    aliases = (identity.canonical_url(u, site) for u in out.get("redirect_urls") or ())
    out["alias_urls"] = sorted({u for u in aliases if u != out["canonical_url"]})
    return out


def process(
    fields: Mapping[str, Any],
    url: str,
    *,
    site: Site | None = None,
    fetched_at: datetime | None = None,
) -> dict[str, Any]:
    """Extractor output -> the row the archive would store (before validation)."""
    item = clean_fields({**fields, "url": url})
    item = with_dates(item, now=fetched_at)
    item = with_facts(item)
    return with_identity(item, site)
