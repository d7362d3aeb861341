"""What a crawl knows before it starts and leaves behind when it ends:
the articles already stored, how far each listing was walked, and run records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from crawler.crawl.frontier import WalkState
from pipelines.archive.schema import article_urls, articles, crawl_runs, listing_walks


def known_articles(engine: Engine, site: str) -> dict[str, str | None]:
    """Every stored article URL of `site` with the article's published date."""
    query = (
        select(article_urls.c.url, articles.c.published)
        .join(articles, articles.c.id == article_urls.c.article_id)
        .where(articles.c.site == site)
    )
    with engine.connect() as conn:
        return {url: published for url, published in conn.execute(query)}


def walk_states(engine: Engine, site: str) -> dict[str, WalkState]:
    query = select(listing_walks).where(listing_walks.c.site == site)
    with engine.connect() as conn:
        return {r.listing: WalkState(bool(r.complete), r.deepest_page) for r in conn.execute(query)}


def begin_walks(conn: Connection, site: str, listings: Iterable[str], now: datetime) -> None:
    """Mark the listings as being walked: until this run ends well, a later run
    must not trust them to stop early."""
    for listing in listings:
        done = conn.execute(
            update(listing_walks)
            .where(listing_walks.c.site == site, listing_walks.c.listing == listing)
            .values(complete=0, updated_at=now)
        )
        if done.rowcount == 0:
            conn.execute(
                listing_walks.insert().values(
                    site=site, listing=listing, complete=0, deepest_page=0, updated_at=now
                )
            )


def reached(conn: Connection, site: str, listing: str, page: int, now: datetime) -> None:
    conn.execute(
        update(listing_walks)
        .where(
            listing_walks.c.site == site,
            listing_walks.c.listing == listing,
            listing_walks.c.deepest_page < page,
        )
        .values(deepest_page=page, updated_at=now)
    )


def finish_walks(engine: Engine, site: str, listings: Iterable[str], now: datetime) -> None:
    """The walks of `listings` ended well: later runs may stop at known articles."""
    with engine.begin() as conn:
        for listing in listings:
            conn.execute(
                update(listing_walks)
                .where(listing_walks.c.site == site, listing_walks.c.listing == listing)
                .values(complete=1, deepest_page=0, updated_at=now)
            )


def start_run(engine: Engine, site: str, started_at: datetime) -> int:
    with engine.begin() as conn:
        return conn.execute(
            crawl_runs.insert().values(site=site, started_at=started_at, status="running")
        ).inserted_primary_key[0]


def finish_run(
    engine: Engine, run_id: int, status: str, stats: Mapping[str, Any], finished_at: datetime
) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(crawl_runs)
            .where(crawl_runs.c.id == run_id)
            .values(finished_at=finished_at, status=status, stats=dict(stats))
        )


def record_verdict(engine: Engine, run_id: int, status: str, summary: Mapping[str, Any]) -> None:
    """The run's final word: `ok`, `unhealthy` (a health check failed) or why it
    stopped, and the summary a cron job reads."""
    with engine.begin() as conn:
        conn.execute(
            update(crawl_runs)
            .where(crawl_runs.c.id == run_id)
            .values(status=status, summary=dict(summary))
        )
