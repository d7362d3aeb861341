"""Versions of an article: which fields are its content, what makes a new version,
and the version rows themselves (table `article_versions`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from crawler.model import CONTENT_FIELDS
from pipelines.archive.schema import article_versions

# The links to other articles change whenever the site publishes something
# new; they are refreshed in place and never make a new version by themselves.
VOLATILE_FIELDS = frozenset({"related"})

# Built once: building a statement per item costs more than SQLite takes to run it.
_INSERT_VERSION = article_versions.insert()


def content(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item's content fields, as an article row and a version hold them."""
    return {field: item.get(field) for field in CONTENT_FIELDS}


def same_version(row: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    """Whether the item repeats the stored row: same body, same content but for
    the volatile fields."""
    return row["fingerprint"] == item["fingerprint"] and all(
        row[field] == item.get(field) for field in CONTENT_FIELDS if field not in VOLATILE_FIELDS
    )


def insert_version(
    conn: Connection,
    article_id: int,
    version: int,
    item: Mapping[str, Any],
    seen_at: datetime,
    raw_page_id: int | None,
) -> None:
    """Add version `version` of an article, from the item and its archived page."""
    conn.execute(
        _INSERT_VERSION,
        {
            "article_id": article_id,
            "version": version,
            "fingerprint": item["fingerprint"],
            "title": item.get("title"),
            "body": item.get("body"),
            "content": content(item),
            "raw_page_id": raw_page_id,
            "first_seen": seen_at,
            "last_seen": seen_at,
        },
    )
