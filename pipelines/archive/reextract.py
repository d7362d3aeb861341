"""Re-extraction: the current extractor and pipelines over the archived raw pages.

Nothing is fetched. Each article's current version points to the raw page
it came from; that page is extracted again, run through the same stage
functions as a crawl (pipelines/process.py), and saved: the store keeps the
row as it is when nothing changed and adds a version (old one kept) when the
output differs, so a fixed extractor repairs the whole history.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import Engine, Row, and_, select

from crawler.extract import extract_article
from crawler.sites import get_site
from pipelines.archive.schema import article_versions, articles, raw_pages
from pipelines.archive.storage import Store
from pipelines.stages.process import process
from pipelines.stages.validate import problems

# Raw pages are read this many at a time, so memory stays flat on a large archive.
CHUNK = 200


def _pages(
    engine: Engine, site: str, since: str | None, ids: tuple[int, int] | None
) -> Iterator[Row]:
    query = (
        select(
            articles.c.id,
            articles.c.article_key,
            articles.c.canonical_url,
            articles.c.last_seen,
            raw_pages.c.id.label("raw_page_id"),
            raw_pages.c.url,
            raw_pages.c.fetched_at,
            raw_pages.c.status,
            raw_pages.c.content_type,
        )
        .join(
            article_versions,
            and_(
                article_versions.c.article_id == articles.c.id,
                article_versions.c.version == articles.c.current_version,
            ),
        )
        .join(raw_pages, raw_pages.c.id == article_versions.c.raw_page_id)
        .where(articles.c.site == site)
        .order_by(articles.c.id)
    )
    if since:
        # ISO strings compare in date order; an undated article is always included.
        query = query.where((articles.c.published >= since) | articles.c.published.is_(None))
    if ids:
        query = query.where(articles.c.id.between(*ids))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = [r.raw_page_id for r in chunk]
        with engine.connect() as conn:
            bodies = dict(
                conn.execute(
                    select(raw_pages.c.id, raw_pages.c.body_zlib).where(raw_pages.c.id.in_(ids))
                ).all()
            )
        for row in chunk:
            yield row, zlib.decompress(bodies[row.raw_page_id])


def reextract(
    engine: Engine, site: str, since: str | None = None, ids: tuple[int, int] | None = None
) -> Counter[str]:
    """Re-extract the stored articles of `site` (published on or after `since`, an
    ISO date; with ids between `ids`, inclusive, for one chunk of a distributed
    re-extraction); counts of outcomes: updated, unchanged, dropped (no longer an article)."""
    registered = get_site(site)
    counts: Counter[str] = Counter()
    with Store(engine, site) as store:
        for row, html in _pages(engine, site, since, ids):
            headers = {"Content-Type": row.content_type} if row.content_type else None
            fields = extract_article(
                html, row.url, site=registered, fetched_at=row.fetched_at, headers=headers
            )
            item = process(fields, row.url, site=registered, fetched_at=row.fetched_at)
            if problems(item):
                # A stored article the current extractor cannot read is kept as it
                # is: a regression of the extractor must not erase the archive.
                counts["dropped"] += 1
                continue
            # The article keeps its identity: a re-extraction re-reads the
            # text, it does not re-decide which article a page belongs to.
            item.update(
                article_key=row.article_key,
                canonical_url=row.canonical_url,
                raw_page_id=row.raw_page_id,
                status=row.status,
                content_type=row.content_type,
            )
            # Seen when it was last seen: re-reading is not seeing the page again.
            counts[store.save(item, seen_at=row.last_seen).outcome] += 1
    return counts
