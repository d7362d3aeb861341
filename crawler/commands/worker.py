"""`tinhuy worker`: a Celery worker taking crawl and re-extraction jobs from the broker.

Run as `python -m crawler.commands.worker SITE_JSON crawl ...`, this module is also
the child process in which a crawl job's crawl runs (crawler/distributed/child.py).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys

from crawler.commands import crawl
from crawler.commands.common import EXIT_OK, EXIT_USAGE, UsageError, add_db_option, add_log_option
from crawler.distributed.jobs import DEFAULT_VISIBILITY_TIMEOUT, QUEUES, broker_url


def add_broker_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--broker", help="the Redis broker, redis://HOST:PORT/N (default: $TINHUY_BROKER)"
    )
    p.add_argument(
        "--visibility-timeout",
        type=int,
        default=DEFAULT_VISIBILITY_TIMEOUT,
        metavar="S",
        help="seconds before a job delivered and not acknowledged is handed out again "
        f"(default {DEFAULT_VISIBILITY_TIMEOUT}; the same on every worker)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run a worker: crawl and re-extraction jobs from the broker")
    add_broker_options(p)
    add_db_option(p)
    p.add_argument(
        "--concurrency", type=int, default=1, metavar="N", help="jobs at once (default 1)"
    )
    p.add_argument(
        "--queues",
        default=",".join(QUEUES),
        help=f"queues to take jobs from (default {','.join(QUEUES)})",
    )
    p.add_argument("--name", help="the worker's name (default tinhuy-PID@HOST)")
    add_log_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.distributed import tasks
    from crawler.distributed.app import configure
    from pipelines.archive.engine import StorageError, database_url, open_engine

    broker = broker_url(args.broker)
    if not broker:
        raise UsageError("--broker or $TINHUY_BROKER: the broker's URL, e.g. redis://host:6379/0")
    if args.concurrency < 1 or args.visibility_timeout < 10:
        raise UsageError("--concurrency must be 1 or more, --visibility-timeout 10 or more")
    unknown = set(args.queues.split(",")) - set(QUEUES)
    if unknown:
        raise UsageError(
            f"--queues: unknown queue(s) {sorted(unknown)}; known: {', '.join(QUEUES)}"
        )
    # Every crawl of this worker writes here: a relative path is made absolute once.
    db = database_url(args.db)
    try:
        open_engine(db).dispose()
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    app = configure(broker, args.visibility_timeout, tinhuy_db=db)
    name = args.name or f"tinhuy-{os.getpid()}@{socket.gethostname()}"
    assert tasks.crawl.name in app.tasks
    app.worker_main(
        [
            "worker",
            # Threads: a job's work is in its child process (crawls) or its database.
            "--pool=threads",
            f"--concurrency={args.concurrency}",
            f"--queues={args.queues}",
            f"--hostname={name}",
            f"--loglevel={args.log_level.upper()}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
    return EXIT_OK


def child_main(argv: list[str]) -> int:
    """One crawl job's crawl: the site of the job made known, then `tinhuy crawl`."""
    from crawler.distributed.child import die_with_parent
    from crawler.distributed.jobs import SiteSpec
    from crawler.distributed.sites import register as register_site
    from crawler.sites import AUTO_SITE

    die_with_parent()
    spec = SiteSpec(**json.loads(argv[0]))
    register_site(spec)
    parser = argparse.ArgumentParser(prog="tinhuy")
    crawl.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv[1:])
    if spec.like == AUTO_SITE:
        # A discovered site of the registry: discovery, under the registry's name.
        args.site, args.site_name = AUTO_SITE, spec.name
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"tinhuy: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
