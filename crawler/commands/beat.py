"""`tinhuy beat`: Celery beat, enqueueing each site's crawl on its schedule."""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.commands.common import EXIT_OK, UsageError, add_log_option
from crawler.commands.crawl import add_sites_option
from crawler.commands.worker import add_broker_options
from crawler.distributed.jobs import DEFAULT_BUDGET


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("beat", help="enqueue the registry's crawls on their schedules")
    add_broker_options(p)
    add_sites_option(p)
    p.add_argument(
        "--schedule-file",
        default=str(Path("data") / "beat-schedule"),
        help="where beat keeps when each schedule last ran (default data/beat-schedule)",
    )
    p.add_argument(
        "--budget",
        type=int,
        default=DEFAULT_BUDGET,
        metavar="S",
        help=f"seconds per crawl job (default {DEFAULT_BUDGET})",
    )
    add_log_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.distributed.app import configure
    from crawler.distributed.jobs import broker_url
    from crawler.distributed.schedules import beat_schedule
    from crawler.distributed.sites import SitesError, load_sites
    from crawler.sites.registry import registry_path

    broker = broker_url(args.broker)
    if not broker:
        raise UsageError("--broker or $TINHUY_BROKER: the broker's URL, e.g. redis://host:6379/0")
    try:
        schedule = beat_schedule(load_sites(args.sites), args.budget)
    except SitesError as exc:
        raise UsageError(str(exc)) from None
    if not schedule:
        path, _ = registry_path(args.sites)
        raise UsageError(f"{path}: no site has `every` or `cron` (README, Workers)")
    Path(args.schedule_file).parent.mkdir(parents=True, exist_ok=True)
    app = configure(broker, args.visibility_timeout, beat_schedule=schedule)
    app.Beat(schedule=args.schedule_file, loglevel=args.log_level.upper()).run()
    return EXIT_OK
