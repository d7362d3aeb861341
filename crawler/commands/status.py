"""`tinhuy status`: per site the last run and its jobs; queues, workers, failed jobs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crawler.commands.common import EXIT_OK, UsageError, add_db_option
from crawler.commands.worker import add_broker_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="last runs, queued and running jobs, failed jobs")
    add_broker_options(p)
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="print JSON, for monitoring")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.distributed.app import configure
    from crawler.distributed.jobs import broker_url
    from crawler.distributed.status import status
    from pipelines.archive.engine import StorageError, open_engine

    broker = broker_url(args.broker)
    app = configure(broker, args.visibility_timeout) if broker else None
    try:
        engine = open_engine(args.db)
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    try:
        state = status(engine, app)
    finally:
        engine.dispose()
    print(json.dumps(state, ensure_ascii=False, indent=2) if args.json else render(state))
    return EXIT_OK


def _job(job: dict[str, Any]) -> str:
    what = f"part {job['part']}" if job["kind"] == "crawl" else "ids {}-{}".format(*job["ids"])
    where = f" on {job['worker']}" if job.get("worker") else ""
    return f"{job['kind']} {what} {job['state']}{where}"


def render(state: dict[str, Any]) -> str:
    lines = []
    for name, site in state["sites"].items():
        run = site["last_run"]
        last = "no run"
        if run:
            last = (
                f"{run['status']} {run['started_at'][:16]}, new {run['new']}, "
                f"updated {run['updated']}, requests {run['requests']}"
            )
        jobs = "; ".join(_job(j) for j in site["jobs"]) or "no job"
        lines.append(f"{name}: last run {last}; {jobs}")
    if state["broker_error"]:
        lines.append(state["broker_error"])
    elif state["queues"]:
        queues = ", ".join(f"{q} {n}" for q, n in state["queues"].items())
        lines.append(f"queues: {queues}; delivered, not acknowledged: {state['unacknowledged']}")
        for worker, counts in sorted(state["workers"].items()):
            lines.append(
                f"worker {worker}: {counts['running']} running, {counts['reserved']} reserved, "
                f"{counts['scheduled']} waiting to retry"
            )
    for failure in state["failures"]:
        lines.append(
            f"failed {failure['failed_at'][:16]}: {failure['kind']} {failure['site']} after "
            f"{failure['attempts']} attempts: {failure['reason']}"
        )
    return "\n".join(lines)
