"""What `tinhuy status` shows: per site, the last run (from the archive) and the jobs
waiting, delivered or running (from the broker and the workers), the queue lengths,
and the jobs that failed their retries."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError
from sqlalchemy import Engine

from crawler.distributed.jobs import QUEUES
from pipelines.archive.jobs import failures, last_runs

# Where kombu's Redis transport keeps the messages delivered and not yet acknowledged.
UNACKED_KEY = "unacked"


def _describe(name: str, args: Any) -> dict[str, Any]:
    """The site and part of a job from its task name and arguments."""
    data = args[0] if isinstance(args, list | tuple) and args else {}
    kind = name.rsplit(".", 1)[-1]
    job: dict[str, Any] = {"kind": kind, "site": (data.get("site") or {}).get("name")}
    if kind == "crawl":
        job["part"] = data.get("part")
    else:
        job["ids"] = [data.get("first_id"), data.get("last_id")]
    return job


def _from_message(message: dict[str, Any]) -> dict[str, Any]:
    """A job from a message as kombu stores it in Redis (Celery's protocol 2)."""
    body = message["body"]
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    headers = message.get("headers") or {}
    return {**_describe(headers.get("task", ""), args), "task_id": headers.get("id")}


def broker_state(app: Celery, timeout: float = 1.0) -> dict[str, Any]:
    """Queue lengths, each waiting or delivered job, and each worker's jobs."""
    jobs: list[dict[str, Any]] = []
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0)
        client = conn.default_channel.client
        lengths = {queue: client.llen(queue) for queue in QUEUES}
        for queue in QUEUES:
            for raw in client.lrange(queue, 0, -1):
                jobs.append({**_from_message(json.loads(raw)), "state": "queued", "queue": queue})
        delivered = {}
        for raw in client.hvals(UNACKED_KEY):
            job = _from_message(json.loads(raw)[0])
            delivered[job["task_id"]] = job
    workers: dict[str, dict[str, int]] = {}
    inspect = app.control.inspect(timeout=timeout)
    seen = set()
    for state, answer in (
        ("running", inspect.active()),
        ("reserved", inspect.reserved()),
        ("scheduled", inspect.scheduled()),
    ):
        for worker, tasks in (answer or {}).items():
            counts = workers.setdefault(worker, {"running": 0, "reserved": 0, "scheduled": 0})
            for task in tasks:
                # A retry waiting for its time comes wrapped in its request.
                request = task.get("request", task)
                counts[state] += 1
                seen.add(request["id"])
                jobs.append(
                    {
                        **_describe(request.get("name") or "", request.get("args")),
                        "task_id": request["id"],
                        "state": state,
                        "worker": worker,
                    }
                )
    # Delivered to no worker that answers: its worker died, and the broker hands
    # it out again once the visibility timeout has passed.
    for task_id, job in delivered.items():
        if task_id not in seen:
            jobs.append({**job, "state": "abandoned"})
    return {"queues": lengths, "unacknowledged": len(delivered), "workers": workers, "jobs": jobs}


def status(engine: Engine, app: Celery | None) -> dict[str, Any]:
    """The whole picture; without a broker (or when it does not answer), the archive's."""
    runs = last_runs(engine)
    broker: dict[str, Any] = {}
    error = None
    if app is not None:
        try:
            broker = broker_state(app)
        except (OperationalError, OSError) as exc:
            error = f"broker unreachable: {exc}"
    per_site: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for job in broker.get("jobs", []):
        per_site[job["site"] or "?"].append(job)
    sites = {
        name: {"last_run": _run(runs.get(name)), "jobs": per_site.get(name, [])}
        for name in sorted(set(runs) | set(per_site))
    }
    return {
        "sites": sites,
        "queues": broker.get("queues", {}),
        "unacknowledged": broker.get("unacknowledged"),
        "workers": broker.get("workers", {}),
        "failures": [_failure(f) for f in failures(engine)],
        "broker_error": error,
    }


def _run(run: dict[str, Any] | None) -> dict[str, Any] | None:
    if run is None:
        return None
    summary = run.get("summary") or {}
    return {
        "id": run["id"],
        "status": run["status"],
        "started_at": run["started_at"].isoformat(),
        "finished_at": run["finished_at"].isoformat() if run["finished_at"] else None,
        **{key: summary.get(key) for key in ("new", "updated", "requests", "failed", "seconds")},
    }


def _failure(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "site": row["site"],
        "kind": row["kind"],
        "attempts": row["attempts"],
        "reason": row["reason"],
        "worker": row["worker"],
        "task_id": row["task_id"],
        "failed_at": row["failed_at"].isoformat(),
    }
