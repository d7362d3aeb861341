"""`tinhuy facts --top documents|officials`: what the archive cites and who it names."""

from __future__ import annotations

import argparse

from crawler.commands.common import EXIT_OK, UsageError, add_db_option, open_archive


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("facts", help="the most cited documents or most named officials")
    p.add_argument("--top", required=True, choices=("documents", "officials"))
    p.add_argument("--since", help="only articles published on or after this date")
    p.add_argument("--limit", type=int, default=20, help="rows (default 20)")
    p.add_argument("--site", help="only this site's articles (tinhuy sites list)")
    add_db_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.text.dates import normalize_date
    from pipelines.archive.facts_report import top

    since = normalize_date(args.since) if args.since else None
    if args.since and since is None:
        raise UsageError(f"--since: not a date: {args.since!r}")
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    engine = open_archive(args.db)
    try:
        rows = top(
            engine, args.top, since=since[:10] if since else None, limit=args.limit, site=args.site
        )
    finally:
        engine.dispose()
    header = "documents cited" if args.top == "documents" else "officials named"
    print(f"{'articles':>8}  {header}")
    for row in rows:
        detail = f"  ({row.detail})" if row.detail else ""
        print(f"{row.articles:>8}  {row.key}{detail}")
    return EXIT_OK
