"""Which articles a dump holds (Filters, as SQL) and reading them out of the
archive in batches, with their URLs and, when asked, every version."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.sql.elements import ColumnElement

from crawler.model import CONTENT_FIELDS, DUMP_FIELDS
from crawler.text.dates import VN_TZ
from pipelines.archive.schema import article_urls, article_versions, articles
from pipelines.archive.search import matching_ids

BATCH = 500
_COLUMNS = [c for c in articles.c if c.name in DUMP_FIELDS]


@dataclass(frozen=True)
class Filters:
    """Which articles to dump. `since`/`until` are ISO dates or times (+07:00) as
    `normalize_date` gives them, both inclusive; a date-only `until` takes the whole day.
    `query` is read as `tinhuy search` reads it (pipelines/archive/search.py)."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    category: str | None = None
    author: str | None = None
    query: str | None = None
    include_duplicates: bool = False

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.site:
            where.append(articles.c.site == self.site)
        # Every stored `published` is ISO 8601 in +07:00 (or a bare date), so string
        # order is time order and the index on `published` serves the comparison.
        if self.since:
            where.append(articles.c.published >= self.since)
        if self.until:
            if len(self.until) == 10:
                next_day = date.fromisoformat(self.until) + timedelta(days=1)
                where.append(articles.c.published < next_day.isoformat())
            else:
                where.append(articles.c.published <= self.until)
        if self.category:
            where.append(articles.c.category == self.category)
        if self.author:
            where.append(articles.c.author == self.author)
        # An empty query is refused (EmptyQuery), as `search` refuses it, not ignored.
        if self.query is not None:
            where.append(articles.c.id.in_(matching_ids(self.query, dialect)))
        if not self.include_duplicates:
            where.append(articles.c.duplicate_of.is_(None))
        return where


def count_articles(engine: Engine, filters: Filters) -> int:
    """How many articles `filters` let through (`Filters(include_duplicates=True)`: all)."""
    with engine.connect() as conn:
        where = filters.conditions(engine.dialect.name)
        query = select(func.count()).select_from(articles).where(*where)
        return conn.execute(query).scalar_one()


def iter_articles(
    engine: Engine,
    filters: Filters | None = None,
    *,
    with_versions: bool = False,
    batch: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """The matching articles as dicts of DUMP_FIELDS (plus `versions`), in the order they
    were first stored, read `batch` rows at a time by keyset pagination, so no cursor
    stays open across batches and memory does not grow with the archive."""
    filters = filters or Filters()
    where = filters.conditions(engine.dialect.name)
    last_id = 0
    with engine.connect() as conn:
        while True:
            query = select(*_COLUMNS).where(articles.c.id > last_id, *where)
            rows = [
                dict(r._mapping) for r in conn.execute(query.order_by(articles.c.id).limit(batch))
            ]
            if not rows:
                return
            yield from _records(conn, rows, with_versions)
            last_id = rows[-1]["id"]


def article_record(conn: Connection, article_id: int) -> dict[str, Any]:
    """One article as a dump writes it, read on `conn`: on the storage pipeline's own
    connection it is the row of the batch not committed yet (Scrapy's feed exports)."""
    row = conn.execute(select(*_COLUMNS).where(articles.c.id == article_id)).one()
    return _records(conn, [dict(row._mapping)], with_versions=False)[0]


def _records(
    conn: Connection, rows: list[dict[str, Any]], with_versions: bool
) -> list[dict[str, Any]]:
    """`rows` of the articles table completed with their URLs (and versions)."""
    ids = [r["id"] for r in rows]
    urls: dict[int, list[str]] = {i: [] for i in ids}
    for article_id, url in conn.execute(
        select(article_urls.c.article_id, article_urls.c.url)
        .where(article_urls.c.article_id.in_(ids))
    ):
        urls[article_id].append(url)
    versions: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if with_versions:
        for v in conn.execute(
            select(article_versions)
            .where(article_versions.c.article_id.in_(ids))
            .order_by(article_versions.c.article_id, article_versions.c.version)
        ):
            content = v.content or {}
            versions[v.article_id].append(
                {
                    "version": v.version,
                    "first_seen": plain(v.first_seen),
                    "last_seen": plain(v.last_seen),
                    **{name: content.get(name) for name in CONTENT_FIELDS},
                }
            )
    records = []
    for row in rows:
        # The canonical URL first, then the others sorted: the order the crawl met
        # them in is not part of the archive (tests/test_arrival_order.py).
        own = row["canonical_url"]
        row["urls"] = [own, *sorted(u for u in urls[row["id"]] if u != own)]
        out = {name: plain(row.get(name)) for name in DUMP_FIELDS}
        if with_versions:
            out["versions"] = versions[row["id"]]
        records.append(out)
    return records


def plain(value: Any) -> Any:
    """A value as a dump writes it: timestamps as ISO text in +07:00."""
    # PostgreSQL hands timestamps back in the session's zone; dumps speak +07:00.
    return value.astimezone(VN_TZ).isoformat() if isinstance(value, datetime) else value
