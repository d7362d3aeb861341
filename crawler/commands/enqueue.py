"""`tinhuy enqueue`: crawl jobs of sites, or a re-extraction cut into chunks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from crawler.commands.common import EXIT_OK, UsageError, add_db_option
from crawler.commands.crawl import add_sites_option
from crawler.commands.worker import add_broker_options
from crawler.distributed.jobs import DEFAULT_BUDGET, DEFAULT_CHUNK, DEFAULT_RETRIES

if TYPE_CHECKING:
    from crawler.distributed.sites import SiteEntry


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("enqueue", help="add crawl or re-extraction jobs for the workers")
    add_broker_options(p)
    add_sites_option(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--all", action="store_true", help="every site of the registry file (else site classes)"
    )
    which.add_argument("--reextract", action="store_true", help="re-extract archived pages")
    p.add_argument(
        "--site", action="append", default=[], metavar="NAME", help="a site (repeatable)"
    )
    p.add_argument("--base-url", help="the site's address (alone: the default site there)")
    p.add_argument(
        "--budget",
        type=int,
        default=DEFAULT_BUDGET,
        metavar="S",
        help=f"seconds per crawl job before its continuation takes over (default {DEFAULT_BUDGET})",
    )
    p.add_argument("--full", action="store_true", help="crawls walk every listing to the end")
    p.add_argument("--fast", action="store_true", help="crawls without throttling (localhost only)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a Scrapy setting for the crawls (repeatable)")  # fmt: skip
    p.add_argument("--retries", type=int, default=DEFAULT_RETRIES,
                   help=f"retries of a failed job (default {DEFAULT_RETRIES})")  # fmt: skip
    p.add_argument("--since", help="--reextract: articles published on or after this date")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, metavar="N",
                   help=f"--reextract: articles per job (default {DEFAULT_CHUNK})")  # fmt: skip
    add_db_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.distributed.app import configure
    from crawler.distributed.jobs import broker_url
    from crawler.distributed.sites import SitesError, load_sites

    broker = broker_url(args.broker)
    if not broker:
        raise UsageError("--broker or $TINHUY_BROKER: the broker's URL, e.g. redis://host:6379/0")
    if args.budget < 1 or args.retries < 0 or args.chunk < 1:
        raise UsageError("--budget and --chunk must be 1 or more, --retries 0 or more")
    if any("=" not in o or not o.partition("=")[0].strip() for o in args.set):
        raise UsageError("--set takes NAME=VALUE")
    try:
        entries = load_sites(args.sites)
        jobs = _reextract_jobs(args, entries) if args.reextract else _crawl_jobs(args, entries)
    except SitesError as exc:
        raise UsageError(str(exc)) from None
    configure(broker, args.visibility_timeout)
    _check_broker(broker)
    for describe, send in jobs:
        print(f"enqueued {describe}: {send()}")
    return EXIT_OK


def _check_broker(broker: str) -> None:
    from kombu.exceptions import OperationalError

    from crawler.distributed.app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=1)
    except (OperationalError, OSError) as exc:
        raise UsageError(f"cannot reach the broker {broker}: {exc}") from None


def _crawl_jobs(
    args: argparse.Namespace, entries: dict[str, SiteEntry]
) -> list[tuple[str, Callable[[], str]]]:
    from crawler.distributed.jobs import CrawlJob
    from crawler.distributed.sites import SitesError, all_sites, check, resolve
    from crawler.distributed.tasks import send_crawl
    from crawler.sites import DEFAULT_SITE

    if args.all:
        specs = all_sites(args.sites)
    elif args.site:
        specs = [resolve(name, args.base_url, entries) for name in args.site]
    elif args.base_url:
        specs = [resolve(DEFAULT_SITE, args.base_url, {})]
    else:
        raise SitesError("name the sites: --site NAME, --base-url URL or --all")
    for spec in specs:
        check(spec)
    jobs = [
        CrawlJob(spec, args.budget, args.full, args.fast, tuple(args.set), args.retries)
        for spec in specs
    ]
    return [(f"crawl of {job.site.name}", partial(send_crawl, job)) for job in jobs]


def _reextract_jobs(args: argparse.Namespace, entries: dict) -> list[tuple[str, Callable[[], str]]]:
    from crawler.distributed.jobs import ReextractChunk
    from crawler.distributed.sites import resolve
    from crawler.distributed.tasks import send_reextract
    from crawler.text.dates import normalize_date
    from pipelines.archive.engine import StorageError, open_engine
    from pipelines.archive.jobs import archived_sites, chunk_bounds

    since = None
    if args.since:
        since = normalize_date(args.since)
        if since is None:
            raise UsageError(f"--since: not a date: {args.since!r}")
        since = since[:10]
    try:
        engine = open_engine(args.db)
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    try:
        names = args.site or archived_sites(engine)
        specs = [resolve(name, None, entries) for name in names]
        chunks = [
            ReextractChunk(spec, first, last, since, args.retries)
            for spec in specs
            for first, last in chunk_bounds(engine, spec.name, since, args.chunk)
        ]
    finally:
        engine.dispose()
    return [
        (f"re-extraction of {c.site.name} ids {c.first_id}-{c.last_id}", partial(send_reextract, c))
        for c in chunks
    ]
