"""Did the crawl work? The verdict a cron job acts on, from the crawl's stats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The fields each new or updated article must have, and the share that must.
CHECKED_FIELDS = ("title", "published", "body")
EXAMPLES = 3


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.9
    max_failed_share: float = 0.1


def problems(stats: Mapping[str, Any], limits: Thresholds = Thresholds()) -> list[str]:
    """One line per health problem; empty when all is well."""
    found = []
    checked = stats.get("tinhuy/checked", 0)
    if checked:
        weak = []
        for name in CHECKED_FIELDS:
            share = stats.get(f"tinhuy/coverage/{name}", 0) / checked
            if share < limits.min_coverage:
                examples = ", ".join(stats.get(f"tinhuy/missing/{name}_urls", [])[:EXAMPLES])
                label = "body (200+ chars)" if name == "body" else name
                weak.append(f"{label} {share:.0%} (e.g. {examples})")
        if weak:
            found.append(
                f"extraction degraded on {checked} new/updated articles: " + "; ".join(weak)
            )
    requests = stats.get("downloader/request_count", 0)
    failed = stats.get("tinhuy/failed", 0)
    if requests and failed / requests > limits.max_failed_share:
        examples = ", ".join(stats.get("tinhuy/failed_urls", [])[:EXAMPLES])
        found.append(f"{failed} of {requests} requests failed (e.g. {examples})")
    pages = stats.get("tinhuy/article_pages", 0)
    saved = sum(
        stats.get(f"tinhuy/articles_{o}", 0) for o in ("new", "updated", "unchanged", "duplicate")
    )
    if pages and not saved:
        examples = ", ".join(stats.get("tinhuy/dropped_urls", [])[:EXAMPLES])
        found.append(f"fetched {pages} article pages but stored none (e.g. {examples})")
    for target in stats.get("tinhuy/offsite_redirect_urls", [])[:EXAMPLES]:
        found.append(f"the site redirects off its domain: {target}")
    return found
