"""The `tinhuy` command.

Exit codes: 0 ok, 1 anything else, 2 usage or configuration error,
3 health check failed, 75 another crawl holds the lock.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _crawl_settings(db: str | None, fast: bool, log_level: str) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("settings", priority="project")
    settings.set("TINHUY_DB", db, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if fast:
        # Only for a server on this machine: no delay, no throttling.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS", 16, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="cmdline")
    return settings


def _is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def run_crawl(
    site: str, base_url: str | None, db: str | None, *, fast: bool = False, log_level: str = "INFO"
) -> dict[str, Any]:
    """Run one crawl with the real Scrapy engine; return its stats."""
    from scrapy.crawler import CrawlerProcess

    from crawler.sites import get_profile
    from crawler.spiders.provincial import ProvincialSpider
    from pipelines.storage import StorageError, open_engine

    try:
        profile = get_profile(site)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    target = base_url or profile.base_url
    if fast and not _is_local(target):
        raise UsageError("--fast is for a server on this machine only (localhost)")
    try:
        open_engine(db).dispose()
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    process = CrawlerProcess(_crawl_settings(db, fast, log_level))
    crawler = process.create_crawler(ProvincialSpider)
    process.crawl(crawler, site=site, base_url=target)
    process.start()
    assert crawler.stats is not None
    return crawler.stats.get_stats()


def _summary(stats: dict[str, Any], seconds: float) -> str:
    get = stats.get
    return (
        f"new {get('tinhuy/articles_new', 0)}, updated {get('tinhuy/articles_updated', 0)}, "
        f"unchanged {get('tinhuy/articles_unchanged', 0)}, "
        f"duplicates merged {get('tinhuy/articles_duplicate', 0)}, "
        f"dropped {get('tinhuy/dropped', 0)}, requests {get('downloader/request_count', 0)}, "
        f"errors {get('log_count/ERROR', 0)}, {seconds:.1f}s"
    )


def cmd_crawl(args: argparse.Namespace) -> int:
    started = time.monotonic()
    stats = run_crawl(args.site, args.base_url, args.db, fast=args.fast, log_level=args.log_level)
    print(f"crawl {args.site}: {_summary(stats, time.monotonic() - started)}")
    return EXIT_OK if stats.get("finish_reason") == "finished" else EXIT_ERROR


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.mirror import serve
    from pipelines.storage import count_articles, database_url, open_engine

    started = time.monotonic()
    with serve() as (base_url, _site):
        print(f"serving the offline replica of haiduong at {base_url}")
        stats = run_crawl("haiduong", base_url, args.db, fast=True, log_level=args.log_level)
    engine = open_engine(args.db)
    total = count_articles(engine)
    engine.dispose()
    where = database_url(args.db)
    print()
    print(f"crawled the replica: {_summary(stats, time.monotonic() - started)}")
    print(f"{total} articles in {where}")
    print()
    print("next:")
    db_flag = f" --db {args.db}" if args.db else ""
    print(f"  .venv/bin/tinhuy dump --format jsonl --out articles.jsonl{db_flag}")
    print(f"  .venv/bin/tinhuy dump --format jsonl --out -{db_flag} | head -c 600")
    print("  .venv/bin/tinhuy mirror --port 8000   # browse the replica yourself")
    return EXIT_OK if stats.get("finish_reason") == "finished" else EXIT_ERROR


def cmd_dump(args: argparse.Namespace) -> int:
    from pipelines.dump import atomic_output, iter_articles, write_jsonl
    from pipelines.storage import StorageError, open_engine

    if args.format != "jsonl":
        raise UsageError(f"unknown format {args.format!r} (known: jsonl)")
    if args.out != "-" and not Path(args.out).resolve().parent.is_dir():
        raise UsageError(f"cannot write {args.out}: no such directory")
    try:
        engine = open_engine(args.db)
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    try:
        with atomic_output(args.out) as handle:
            count = write_jsonl(iter_articles(engine), handle)
    finally:
        engine.dispose()
    if args.out != "-":
        print(f"wrote {count} articles to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_mirror(args: argparse.Namespace) -> int:
    from crawler.mirror import serve

    with serve(port=args.port) as (base_url, site):
        print(f"serving {len(site.pages)} pages of the offline replica at {base_url}", flush=True)
        print(f"crawl it: tinhuy crawl --base-url {base_url} --db data/replica.db", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinhuy", description="Archive Vietnamese provincial Party committee websites."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            help="database path or URL (default: $TINHUY_DB or data/tinhuy.db)",
        )

    def log_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")

    crawl = sub.add_parser("crawl", help="crawl a site into the archive")
    crawl.add_argument("--site", default="haiduong", help="site profile name (default haiduong)")
    crawl.add_argument("--base-url", help="crawl another origin, e.g. the replica on localhost")
    crawl.add_argument("--fast", action="store_true", help="no throttling (localhost only)")
    db_option(crawl)
    log_option(crawl)
    crawl.set_defaults(func=cmd_crawl)

    demo = sub.add_parser("demo", help="serve the offline replica and crawl it")
    db_option(demo)
    log_option(demo)
    demo.set_defaults(func=cmd_demo)

    dump = sub.add_parser("dump", help="write the archive to a file")
    dump.add_argument("--format", default="jsonl", help="jsonl")
    dump.add_argument("--out", required=True, help="output path, or - for stdout")
    db_option(dump)
    dump.set_defaults(func=cmd_dump)

    mirror = sub.add_parser("mirror", help="serve the offline replica on 127.0.0.1")
    mirror.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    mirror.set_defaults(func=cmd_mirror)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"tinhuy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
