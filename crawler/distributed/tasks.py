"""The two tasks: a bounded crawl of one site, and a chunk of a re-extraction.

A task ends in one of four ways: done; the site was busy (another crawl of it holds
its lock: this job is redundant, the running crawl does the work); stopped by its
budget, having enqueued its continuation; or failed, retried with a backoff and,
when the retries are spent, recorded in the archive's job_failures with the reason.
"""

from __future__ import annotations

from typing import Any

from celery import Task
from celery.utils.log import get_task_logger

from crawler.distributed.app import app
from crawler.distributed.child import STOPPED_EARLY, run_crawl
from crawler.distributed.jobs import (
    CrawlJob,
    ReextractChunk,
    crawl_job,
    reextract_chunk,
    to_wire,
)
from crawler.distributed.sites import register
from crawler.text.dates import now_local

log = get_task_logger(__name__)

# `tinhuy crawl`'s exit statuses (README, "Exit codes").
_ENDED = (0, 3)
_USAGE = 2
_LOCKED = 75
_BACKOFF = 5


def send_crawl(job: CrawlJob) -> str:
    """Enqueue a crawl job; its task id."""
    return crawl.apply_async((to_wire(job),)).id


def send_reextract(chunk: ReextractChunk) -> str:
    return reextract.apply_async((to_wire(chunk),)).id


def _visibility_timeout() -> int:
    return app.conf.broker_transport_options["visibility_timeout"]


def budget_of(job: CrawlJob) -> tuple[int, int]:
    """(budget, grace) of a job on this worker. The crawl stops at its budget, at most
    half the visibility timeout, and is killed at budget + grace, 4/5 of it: a job ends
    before the broker would hand it to another worker, the start of the child process
    and the end of the crawl with room to spare."""
    timeout = _visibility_timeout()
    budget = max(1, min(job.budget, timeout // 2))
    return budget, max(1, timeout * 4 // 5 - budget)


@app.task(bind=True, name="tinhuy.crawl")
def crawl(self: Task, data: dict[str, Any]) -> dict[str, Any]:
    job = crawl_job(data)
    site = job.site.name
    budget, grace = budget_of(job)
    log.info("crawl %s (part %d, budget %d s)", site, job.part, budget)
    try:
        outcome = run_crawl(job, self.app.conf.tinhuy_db, budget, grace)
    except OSError as exc:
        # No child at all (no memory, no process left): this worker's trouble, retried.
        return _retry_or_record(self, "crawl", site, job.retries, str(exc), data)
    if outcome.code in _ENDED:
        return {"site": site, "part": job.part, "outcome": "done", "code": outcome.code}
    if outcome.code == _LOCKED:
        log.info("crawl %s: %s; this job is left to it", site, outcome.reason)
        return {"site": site, "part": job.part, "outcome": "busy"}
    if outcome.finish_reason in STOPPED_EARLY:
        # The walk state and the stored articles let the next part pick up here.
        task_id = send_crawl(job.continuation())
        log.info("crawl %s stopped (%s); part %d is %s", site, outcome.finish_reason,
                 job.part + 1, task_id)  # fmt: skip
        return {"site": site, "part": job.part, "outcome": "continued", "next": task_id}
    retry = outcome.code != _USAGE
    return _retry_or_record(self, "crawl", site, job.retries if retry else 0, outcome.reason, data)


@app.task(bind=True, name="tinhuy.reextract")
def reextract(self: Task, data: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy.exc import SQLAlchemyError

    from pipelines.archive.engine import StorageError, open_engine
    from pipelines.archive.reextract import reextract as run

    chunk = reextract_chunk(data)
    register(chunk.site)
    try:
        engine = open_engine(self.app.conf.tinhuy_db)
        try:
            counts = run(engine, chunk.site.name, chunk.since, (chunk.first_id, chunk.last_id))
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _retry_or_record(self, "reextract", chunk.site.name, chunk.retries, reason, data)
    return {"site": chunk.site.name, "ids": [chunk.first_id, chunk.last_id], **counts}


def _retry_or_record(
    task: Task, kind: str, site: str, retries: int, reason: str, data: dict[str, Any]
) -> dict[str, Any]:
    attempt = task.request.retries + 1
    if attempt <= retries:
        countdown = min(_BACKOFF * 2 ** (attempt - 1), _longest_wait())
        log.warning("%s %s failed (%s); retry %d in %d s", kind, site, reason, attempt, countdown)
        raise task.retry(countdown=countdown, max_retries=None)
    from pipelines.archive.engine import open_engine
    from pipelines.archive.jobs import record_failure

    log.error("%s %s failed after %d attempts: %s", kind, site, attempt, reason)
    engine = open_engine(task.app.conf.tinhuy_db)
    try:
        record_failure(
            engine,
            site=site,
            kind=kind,
            task_id=task.request.id,
            worker=task.request.hostname,
            attempts=attempt,
            reason=reason,
            job=data,
            failed_at=now_local(),
        )
    finally:
        engine.dispose()
    return {"site": site, "outcome": "failed", "reason": reason}


def _longest_wait() -> int:
    """The longest wait of a retry: a retried job waits, unacknowledged, in its worker
    before it runs, so wait and run together stay within the visibility timeout."""
    return max(1, _visibility_timeout() // 10)
