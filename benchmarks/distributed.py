"""Crawl and re-extraction throughput with 1, 2 and 4 Celery workers.

    .venv/bin/python benchmarks/distributed.py [--sites 24] [--articles 30] [--latency 0.2]

N synthetic sites (crawler/replica/fleet.py), each on its own port and answering each
request `--latency` seconds late, as a distant server does. A real redis-server and a
throw-away PostgreSQL (those of the tests); for each worker count, a fresh database,
every site enqueued (`tinhuy enqueue --all`) and crawled politely: one request every
`--delay` seconds per site (DOWNLOAD_DELAY, no AutoThrottle), so that a crawl waits on
the network and its politeness, as on the real internet, and not on this machine's two
cores. (The delay, not CONCURRENT_REQUESTS_PER_DOMAIN, is what spaces the requests:
with no delay, Scrapy 2.19 starts more requests at once than that setting allows.)
Reported: the wall time from enqueueing to the last run's end, articles stored per
second, and the speed-up over one worker. Then the archive of the last trial is
re-extracted (`tinhuy enqueue --reextract`, chunks of 50) by 1 and 2 workers: pages
re-extracted per second (CPU-bound: this machine has two cores).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from crawler.replica.fleet import serve_fleet, sites_toml
from tests.helpers import tinhuy
from tests.postgres import postgres_server
from tests.redis_server import RedisServer
from tests.worker_pool import Workers

VISIBILITY = "600"
REQUESTS = "SELECT sum((stats->>'downloader/request_count')::int) FROM crawl_runs"


def _count(db: str, query: str) -> int:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar() or 0
    finally:
        engine.dispose()


@contextmanager
def _servers():
    broker = RedisServer()
    broker.start()
    # The tests' PostgreSQL fixture, used as the context manager it is written as.
    postgres = contextmanager(postgres_server.__wrapped__)()
    try:
        with postgres as server:
            yield broker, server
    finally:
        broker.stop()


def crawl_trial(
    broker, db: str, root: Path, sites_file: Path, names: list[str], n: int, delay: float
) -> float:
    """Seconds from enqueueing every site to the end of the last crawl, with n workers."""
    tinhuy("db", "upgrade", "--db", db)
    pool = Workers(broker, db, root, VISIBILITY)
    pool.start(n)
    try:
        time.sleep(3)  # the workers' start is not the crawls' time
        started = time.monotonic()
        polite = ("--set", f"DOWNLOAD_DELAY={delay}", "--set", "AUTOTHROTTLE_ENABLED=False")
        pool.enqueue("--sites", str(sites_file), "--all", *polite)
        pool.wait_idle(names, timeout=3600)
        return time.monotonic() - started
    finally:
        pool.stop()


def reextract_trial(broker, db: str, root: Path, sites_file: Path, n: int) -> float:
    pool = Workers(broker, db, root, VISIBILITY)
    pool.start(n, "--queues", "tinhuy.reextract")
    try:
        time.sleep(3)
        started = time.monotonic()
        pool.enqueue("--reextract", "--db", db, "--sites", str(sites_file), "--chunk", "50")
        pool.wait_idle([], timeout=3600)
        return time.monotonic() - started
    finally:
        pool.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=24)
    parser.add_argument("--articles", type=int, default=30, help="articles per site")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--delay", type=float, default=0.25, help="seconds between requests")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--reextract-workers", default="1,2")
    args = parser.parse_args(argv)
    print(f"command: {' '.join(['benchmarks/distributed.py', *(argv or sys.argv[1:])])}\n")
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        _servers() as (broker, server),
        serve_fleet([args.articles] * args.sites, latency=args.latency) as fleet,
    ):
        sites_file = Path(tmp) / "sites.toml"
        sites_file.write_text(sites_toml(fleet))
        names = [site.name for site in fleet]
        db = ""
        for n in (int(w) for w in args.workers.split(",")):
            db = server.create_database()
            seconds = crawl_trial(broker, db, Path(tmp), sites_file, names, n, args.delay)
            articles = _count(db, "SELECT count(*) FROM articles")
            requests = _count(db, REQUESTS)
            rows.append(("crawl", n, articles, requests, seconds))
            print(f"crawl, {n} workers: {articles} articles in {seconds:.1f} s", flush=True)
        pages = _count(db, "SELECT count(*) FROM articles")
        for n in (int(w) for w in args.reextract_workers.split(",")):
            seconds = reextract_trial(broker, db, Path(tmp), sites_file, n)
            rows.append(("reextract", n, pages, 0, seconds))
            print(f"reextract, {n} workers: {pages} pages in {seconds:.1f} s", flush=True)
    print(
        f"\n{args.sites} sites x {args.articles} articles, {args.latency * 1000:.0f} ms a "
        f"request, one request every {args.delay} s per site\n"
    )
    print("| job | workers | articles | requests | seconds | per second | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base: dict[str, float] = {}
    for kind, n, count, requests, seconds in rows:
        rate = count / seconds
        base.setdefault(kind, rate)
        shown = f"{requests:,}" if requests else "-"
        print(
            f"| {kind} | {n} | {count:,} | {shown} | {seconds:.1f} | {rate:.1f} | "
            f"{rate / base[kind]:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
