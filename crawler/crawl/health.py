"""Did the crawl work? The verdict a cron job acts on, from the crawl's stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# The fields each new or updated article must have, and the share that must.
CHECKED_FIELDS = ("title", "published", "body")
EXAMPLES = 3


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.9
    max_failed_share: float = 0.1
    # Bytes that did not decode leave U+FFFD in the text: the share of new or updated articles
    # with one in the title or body that a crawl may have. Not zero, so that in a big crawl
    # the odd U+FFFD a site itself published does not fail it.
    max_replacement_share: float = 0.01


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
        garbled = stats.get("tinhuy/replacement_chars", 0)
        if garbled / checked > limits.max_replacement_share:
            # Example URLs only where the storage pipeline samples them.
            examples = ", ".join(stats.get("tinhuy/replacement_chars_urls", [])[:EXAMPLES])
            found.append(
                f"{garbled} of {checked} new/updated articles have U+FFFD in the title or body: "
                "their pages did not decode" + (f" (e.g. {examples})" if examples else "")
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


# Twisted's names for what a connection met, as an operator would say it.
_NO_ANSWER = {
    "DNSLookupError": "no answer (the name does not resolve)",
    "ConnectionRefusedError": "refused",
    "DownloadConnectionRefusedError": "refused",
    "DownloadTimeoutError": "no answer (timed out)",
    "CannotResolveHostError": "no answer (the name does not resolve)",
    "TCPTimedOutError": "no answer (timed out)",
    "TimeoutError": "no answer (timed out)",
    "ConnectionLost": "the connection was lost",
    "ResponseNeverReceived": "no answer (the connection closed)",
    "NoRouteError": "no answer (no route to the host)",
}


def reachability(stats: Mapping[str, Any], target: str) -> str | None:
    """One line when the site did not answer as a site, so a cron job can tell "the site
    is gone or moved" from "the site changed": nothing answered, every answer pointed
    to another host, or nothing but errors came back. None when pages were served."""
    if stats.get("tinhuy/pages", 0) or stats.get("tinhuy/article_pages", 0):
        return None
    if not stats.get("downloader/response_count", 0):
        errors = Counter(
            {
                key.rsplit("/", 1)[1].rsplit(".", 1)[-1]: count
                for key, count in stats.items()
                if key.startswith("downloader/exception_type_count/")
            }
        )
        kind = errors.most_common(1)[0][0] if errors else None
        reason = _NO_ANSWER.get(kind or "", kind or "no answer")
        return f"cannot reach {target}: {reason}"
    moved = stats.get("tinhuy/offsite_redirect_urls") or []
    if moved:
        host = urlsplit(moved[0]).netloc
        return (
            f"{target} redirects to {host}: the site may have moved; "
            "crawl the new address with --base-url"
        )
    statuses = sorted(
        key.rsplit("/", 1)[1]
        for key in stats
        if key.startswith("downloader/response_status_count/")
    )
    return f"{target} answers but serves no page (HTTP {', '.join(statuses)})"
