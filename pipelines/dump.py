"""Stored articles out to files, streamed in batches so memory stays flat."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, select

from pipelines.schema import article_urls, articles

BATCH = 500

# The dumped fields, in order; see docs/schema.md.
FIELDS = (
    "id",
    "site",
    "canonical_url",
    "urls",
    "title",
    "published",
    "updated",
    "author",
    "author_unit",
    "category",
    "lead",
    "body",
    "captions",
    "images",
    "tags",
    "related",
    "event_date",
    "event_part_of_day",
    "documents",
    "officials",
    "duplicate_of",
    "current_version",
    "first_seen",
    "last_seen",
)


def iter_articles(engine: Engine, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every article as a dict of FIELDS in the order it was first stored, read
    `batch` rows at a time by keyset pagination, so no cursor stays open across
    batches and memory does not grow with the archive."""
    columns = [c for c in articles.c if c.name in FIELDS]
    last_id = 0
    with engine.connect() as conn:
        while True:
            query = select(*columns).where(articles.c.id > last_id).order_by(articles.c.id)
            rows = [dict(r._mapping) for r in conn.execute(query.limit(batch))]
            if not rows:
                return
            ids = [r["id"] for r in rows]
            urls: dict[int, list[str]] = {i: [] for i in ids}
            for article_id, url in conn.execute(
                select(article_urls.c.article_id, article_urls.c.url)
                .where(article_urls.c.article_id.in_(ids))
                .order_by(article_urls.c.id)
            ):
                urls[article_id].append(url)
            for row in rows:
                row["urls"] = urls[row["id"]]
                yield {name: _plain(row.get(name)) for name in FIELDS}
            last_id = ids[-1]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


@contextmanager
def atomic_output(out: str) -> Iterator[IO[str]]:
    """Write to `out` through a temporary file renamed into place on success,
    so a failed dump never leaves a half-written file; `-` is stdout."""
    if out == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(rows: Iterator[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False))
        handle.write("\n")
        count += 1
    return count
