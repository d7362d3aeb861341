"""`tinhuy demo`: serve the offline replica, crawl it into the archive, say what next."""

from __future__ import annotations

import argparse
import time

from crawler.commands import crawl
from crawler.commands.common import add_db_option, add_log_option, open_archive


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="serve the offline replica and crawl it into the archive")
    add_db_option(p)
    add_log_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.mirror import serve
    from pipelines.archive.engine import database_url

    started = time.monotonic()
    # A --db that cannot be an archive is said before the replica is served.
    open_archive(args.db, existing=False).dispose()
    with serve() as (base_url, site):
        print(
            f"serving the replica of tinhuyhaiduong.vn ({len(site.pages)} pages) at {base_url}",
            flush=True,
        )
        crawl_args = crawl.build_parser_defaults(
            base_url=base_url, db=args.db, fast=True, log_level=args.log_level
        )
        code = crawl.main(crawl_args)
    print("replica stopped")
    engine = open_archive(args.db)
    try:
        stored, near = crawl.archive_counts(engine)
    finally:
        engine.dispose()
    db = f" --db {args.db}" if args.db else ""
    print()
    print(
        f"{stored} articles in {database_url(args.db)}, {crawl.in_a_dump(stored, near)} "
        f"({time.monotonic() - started:.1f}s)"
    )
    print()
    print("next:")
    print(f"  .venv/bin/tinhuy dump --format jsonl --out articles.jsonl{db}")
    print(f"  .venv/bin/tinhuy dump --format jsonl --out -{db} | head -c 800")
    print(f"  .venv/bin/tinhuy dump --format csv --out articles.csv{db}      # for Excel")
    print(f"  .venv/bin/tinhuy dump --format parquet --out articles.parquet{db}")
    print(f'  .venv/bin/tinhuy search "truong chinh tri"{db}')
    print(f"  .venv/bin/tinhuy facts --top documents{db}")
    print(f"  .venv/bin/tinhuy browse{db}      # search and facet in a browser (Datasette)")
    print("  .venv/bin/tinhuy mirror --port 8000     # serve the replica to look at it")
    return code
