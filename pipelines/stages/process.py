"""The stages in their order, as one pure function from extracted fields to a row.

The Scrapy components (pipelines/components.py), `tinhuy extract` and
re-extraction all run these same functions, so a page gives the same stored
row whichever way it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.sites.base import Site
from pipelines.stages.clean import clean_fields
from pipelines.stages.dates import with_dates
from pipelines.stages.facts import with_facts
from pipelines.stages.identity import with_identity


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
