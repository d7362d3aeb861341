"""What a crawl knows before it starts and leaves behind when it ends:
the articles already stored, how far each listing was walked, and run records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, or_, select, update

from crawler.crawl.frontier import WalkState
from pipelines.archive.schema import (
    article_urls,
    articles,
    crawl_runs,
    discovered_sites,
    failed_fetches,
    listing_walks,
)


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
        return {
            r.listing: WalkState(bool(r.complete), tuple(r.anchors or ()))
            for r in conn.execute(query)
        }


def begin_walks(conn: Connection, site: str, listings: Iterable[str], now: datetime) -> None:
    """Mark the listings as being walked; their anchors stay until a walk ends well."""
    for listing in listings:
        done = conn.execute(
            update(listing_walks)
            .where(listing_walks.c.site == site, listing_walks.c.listing == listing)
            .values(complete=0, updated_at=now)
        )
        if done.rowcount == 0:
            conn.execute(
                listing_walks.insert().values(
                    site=site, listing=listing, complete=0, anchors=None, updated_at=now
                )
            )


def finish_walks(
    engine: Engine, site: str, anchors: Mapping[str, Sequence[str]], now: datetime
) -> None:
    """The walks of these listings ended well, every item they met is stored or recorded
    as failed: later walks may stop once they meet these first-page items."""
    with engine.begin() as conn:
        for listing, first_page in anchors.items():
            conn.execute(
                update(listing_walks)
                .where(listing_walks.c.site == site, listing_walks.c.listing == listing)
                .values(complete=1, anchors=list(first_page), updated_at=now)
            )


# -- pages that failed ------------------------------------------------------

# After this many crawls in a row that could not get a page, crawls stop asking
# (a page removed for good answers 404 forever); `--full` asks again.
MAX_ATTEMPTS = 5


def failures_to_retry(engine: Engine, site: str, every: bool = False) -> list[tuple[str, str]]:
    """(url, canonical URL) of the failed article pages a crawl asks for again: those
    tried fewer than MAX_ATTEMPTS times, or `every` one (a full crawl)."""
    query = select(failed_fetches.c.url, failed_fetches.c.canonical_url).where(
        failed_fetches.c.site == site
    )
    if not every:
        query = query.where(failed_fetches.c.attempts < MAX_ATTEMPTS)
    with engine.connect() as conn:
        return [(r.url, r.canonical_url) for r in conn.execute(query)]


def record_failure(
    conn: Connection, site: str, canonical: str, url: str, reason: str, now: datetime
) -> None:
    done = conn.execute(
        update(failed_fetches)
        .where(failed_fetches.c.site == site, failed_fetches.c.canonical_url == canonical)
        .values(url=url, reason=reason, attempts=failed_fetches.c.attempts + 1, last_failed=now)
    )
    if done.rowcount == 0:
        conn.execute(
            failed_fetches.insert().values(
                site=site,
                canonical_url=canonical,
                url=url,
                reason=reason,
                attempts=1,
                first_failed=now,
                last_failed=now,
            )
        )


def failed_urls(conn: Connection, site: str) -> set[str]:
    """Every URL under which a failure of `site` is recorded."""
    rows = conn.execute(
        select(failed_fetches.c.url, failed_fetches.c.canonical_url).where(
            failed_fetches.c.site == site
        )
    )
    return {url for row in rows for url in row}


def clear_failures(conn: Connection, site: str, urls: Iterable[str]) -> None:
    """The page is stored now, under one of `urls`."""
    urls = list(urls)
    conn.execute(
        delete(failed_fetches).where(
            failed_fetches.c.site == site,
            or_(failed_fetches.c.canonical_url.in_(urls), failed_fetches.c.url.in_(urls)),
        )
    )


# -- runs -------------------------------------------------------------------

# The statuses of runs that reached their end (crawler/commands/crawl.py).
ENDED_WELL = ("finished", "ok", "unhealthy", "unreachable")


def related_left_behind(engine: Engine, site: str) -> set[str]:
    """The related-article links of the articles stored since the last run that ended
    well. A run that was killed or stopped may have stored an article and not yet the
    ones its related list leads to; an incremental crawl does not read a stored article
    again, so the next run asks for these itself. Empty after a run that ended well."""
    with engine.connect() as conn:
        last_good = conn.execute(
            select(crawl_runs.c.finished_at)
            .where(crawl_runs.c.site == site, crawl_runs.c.status.in_(ENDED_WELL))
            .order_by(crawl_runs.c.id.desc())
            .limit(1)
        ).scalar()
        newer = conn.execute(
            select(crawl_runs.c.id).where(
                crawl_runs.c.site == site,
                crawl_runs.c.status.not_in(ENDED_WELL),
                *([crawl_runs.c.started_at >= last_good] if last_good else []),
            )
        ).first()
        if newer is None:
            return set()
        query = select(articles.c.related).where(articles.c.site == site)
        if last_good is not None:
            query = query.where(articles.c.last_seen >= last_good)
        return {url for (related,) in conn.execute(query) for url in related or ()}


def start_run(engine: Engine, site: str, started_at: datetime) -> int:
    """Record a run; runs of this site still marked `running` are dead (the caller holds
    the crawl lock), so they are marked `killed`."""
    with engine.begin() as conn:
        conn.execute(
            update(crawl_runs)
            .where(crawl_runs.c.site == site, crawl_runs.c.status == "running")
            .values(status="killed")
        )
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


def save_discovery(
    engine: Engine, site: str, base_url: str, found: Mapping[str, Any], now: datetime
) -> None:
    """Keep what discovery found on `site` at `base_url`, replacing what it found before."""
    with engine.begin() as conn:
        conn.execute(delete(discovered_sites).where(discovered_sites.c.site == site))
        conn.execute(
            discovered_sites.insert().values(
                site=site, base_url=base_url, found=dict(found), discovered_at=now
            )
        )


def load_discovery(
    engine: Engine, site: str, base_url: str, since: datetime
) -> dict[str, Any] | None:
    """What discovery found on `site` at the same address since `since`, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(discovered_sites.c.found).where(
                discovered_sites.c.site == site,
                discovered_sites.c.base_url == base_url,
                discovered_sites.c.discovered_at >= since,
            )
        ).first()
    return dict(row.found) if row else None
