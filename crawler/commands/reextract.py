"""`tinhuy reextract`: rerun the extractor over the archived pages, no network."""

from __future__ import annotations

import argparse

from crawler.commands.common import EXIT_OK, UsageError, add_db_option, open_archive
from crawler.sites import DEFAULT_SITE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reextract",
        help="re-extract stored pages with the current extractor (a new version where it differs)",
    )
    p.add_argument(
        "--site", default=DEFAULT_SITE, help=f"site name (default {DEFAULT_SITE})"
    )
    p.add_argument("--since", help="only articles published on or after this date")
    add_db_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.sites import get_site
    from crawler.text.dates import normalize_date
    from pipelines.archive.reextract import reextract

    try:
        get_site(args.site)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    since = None
    if args.since:
        since = normalize_date(args.since)
        if since is None:
            raise UsageError(f"--since: not a date: {args.since!r}")
        since = since[:10]
    engine = open_archive(args.db)
    try:
        counts = reextract(engine, args.site, since)
    finally:
        engine.dispose()
    print(
        f"reextract {args.site}: updated {counts['updated']}, unchanged {counts['unchanged']}, "
        f"unreadable {counts['dropped']}"
    )
    return EXIT_OK
