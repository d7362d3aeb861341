"""The Celery application: queues, late acknowledgement, the broker's visibility timeout.

Delivery: a job is acknowledged when it ends (`task_acks_late`), and a job whose
worker process is lost is handed back (`task_reject_on_worker_lost`); a worker
killed outright leaves its job unacknowledged in Redis, which hands it to another
worker once `visibility_timeout` has passed. So every job runs to its end at least
once; a crawl run twice is harmless (incremental, under the site's lock), and a
crawl job is bounded well under the visibility timeout so that a job still running
is never handed out again. Redis keeps its queues across a restart when it runs
with `appendonly yes` (README, "Workers").
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from crawler.distributed.jobs import CRAWL_QUEUE, DEFAULT_VISIBILITY_TIMEOUT, REEXTRACT_QUEUE
from crawler.text.dates import VN_TZ_NAME

app = Celery("tinhuy", set_as_current=False)
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One job at a time per worker thread: a prefetched job would wait, unacknowledged,
    # while another worker sits idle.
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_default_queue=CRAWL_QUEUE,
    task_routes={
        "tinhuy.crawl": {"queue": CRAWL_QUEUE},
        "tinhuy.reextract": {"queue": REEXTRACT_QUEUE},
    },
    broker_connection_retry_on_startup=True,
    # A job is never lost to a connection that drops while it runs: it goes on, and
    # an acknowledgement that could not be sent means a harmless second run.
    worker_cancel_long_running_tasks_on_connection_loss=False,
    worker_hijack_root_logger=False,
    # Events for `celery events` and Flower, and for `tinhuy status`'s worker list.
    worker_send_task_events=True,
    task_send_sent_event=True,
    # Beat reads cron schedules in the archive's one zone, the fixed +07:00.
    timezone=VN_TZ_NAME,
)


def configure(
    broker: str, visibility_timeout: int = DEFAULT_VISIBILITY_TIMEOUT, **conf: Any
) -> Celery:
    """The application on `broker`; `conf` adds settings (the worker's archive)."""
    # Abandoned jobs are looked for every tenth of the timeout, so a killed worker's
    # job is handed out again soon after the timeout, not up to 100 s later.
    sweep = max(1, min(10, visibility_timeout // 10))
    app.conf.update(
        broker_url=broker,
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            "unacked_restore_interval": sweep,
            "unacked_restore_throttle": 1,
        },
        **conf,
    )
    return app
