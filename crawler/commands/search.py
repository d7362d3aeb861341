"""`tinhuy search`: find articles by Vietnamese words, with or without diacritics."""

from __future__ import annotations

import argparse

from crawler.commands.common import EXIT_OK, UsageError, add_db_option, open_archive


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="full-text search of the archive")
    p.add_argument("query", help='words to find, e.g. "truong chinh tri"')
    p.add_argument("--limit", type=int, default=20, help="most hits to print (default 20)")
    p.add_argument("--site", help="only this site's articles (tinhuy sites list)")
    add_db_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pipelines.archive.search import QueryError, phrases, search

    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    try:
        phrases(args.query)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    engine = open_archive(args.db)
    try:
        hits = search(engine, args.query, args.limit, site=args.site)
    finally:
        engine.dispose()
    for hit in hits:
        print(f"{hit.published or '-':25}  {hit.site}  {hit.title}  {hit.url}")
    return EXIT_OK
