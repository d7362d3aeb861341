"""What the workers' jobs (crawler/distributed/) read and write in the archive: the
chunks of a re-extraction, the jobs that failed their retries, each site's last run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from pipelines.archive.schema import articles, crawl_runs, job_failures


def archived_sites(engine: Engine) -> list[str]:
    """The sites the archive holds articles of."""
    with engine.connect() as conn:
        return list(
            conn.execute(select(articles.c.site).distinct().order_by(articles.c.site)).scalars()
        )


def chunk_bounds(engine: Engine, site: str, since: str | None, size: int) -> list[tuple[int, int]]:
    """The articles of `site` (published on or after `since`, or undated, as
    pipelines/archive/reextract.py reads them) cut into (first id, last id) ranges
    of `size` articles each."""
    query = select(articles.c.id).where(articles.c.site == site).order_by(articles.c.id)
    if since:
        query = query.where((articles.c.published >= since) | articles.c.published.is_(None))
    with engine.connect() as conn:
        ids = list(conn.execute(query).scalars())
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def record_failure(
    engine: Engine,
    *,
    site: str,
    kind: str,
    task_id: str | None,
    worker: str | None,
    attempts: int,
    reason: str,
    job: Mapping[str, Any],
    failed_at: datetime,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            job_failures.insert().values(
                site=site,
                kind=kind,
                task_id=task_id,
                worker=worker,
                attempts=attempts,
                reason=reason,
                job=dict(job),
                failed_at=failed_at,
            )
        )


def failures(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The latest jobs that failed their retries, newest first."""
    query = select(job_failures).order_by(job_failures.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def last_runs(engine: Engine) -> dict[str, dict[str, Any]]:
    """Each site's latest crawl run: id, status, start, end and its summary."""
    latest = select(func.max(crawl_runs.c.id)).group_by(crawl_runs.c.site)
    query = select(
        crawl_runs.c.id,
        crawl_runs.c.site,
        crawl_runs.c.status,
        crawl_runs.c.started_at,
        crawl_runs.c.finished_at,
        crawl_runs.c.summary,
    ).where(crawl_runs.c.id.in_(latest))
    with engine.connect() as conn:
        return {row.site: dict(row._mapping) for row in conn.execute(query)}
