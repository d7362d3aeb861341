"""`tinhuy dump`: the archive (or the part asked for) out to a file, streamed."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from crawler.commands.common import (
    EXIT_OK,
    UsageError,
    add_db_option,
    add_log_option,
    open_archive,
)

FORMATS = ("jsonl", "csv", "parquet")
# How the full-text engines say that they cannot read a query: FTS5's parser, and
# PostgreSQL's tsquery parser (`syntax error in tsquery: "..."`, `no operand in tsquery:
# "..."`). The query builder should never hand them such a query.
REFUSED_QUERY = re.compile(r"^(fts5: |unterminated string|unknown special query)| in tsquery: ")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dump",
        help="write the archive to a JSONL, CSV or Parquet file",
        description="Write the archive's articles to a file, with a manifest beside it "
        "(PATH.manifest.json). Fields: docs/schema.md.",
    )
    p.add_argument("--format", default="jsonl", help=f"one of {', '.join(FORMATS)} (default jsonl)")
    p.add_argument("--out", required=True, help="output path, or - for stdout (no manifest)")
    add_db_option(p)
    f = p.add_argument_group("filters")
    f.add_argument("--site", help="only this site (also the site --fresh crawls)")
    f.add_argument("--since", help="published on or after this date (any form tinhuy reads)")
    f.add_argument("--until", help="published on or before this date (a date: the whole day)")
    f.add_argument("--category", help="only this category (exact)")
    f.add_argument("--author", help="only this author (exact)")
    f.add_argument("--query", help="full-text search, with or without diacritics")
    f.add_argument(
        "--include-duplicates", action="store_true", help="keep near-duplicates of other articles"
    )
    o = p.add_argument_group("output")
    o.add_argument("--with-versions", action="store_true", help="add every stored version")
    o.add_argument("--no-bom", dest="bom", action="store_false", help="CSV without a UTF-8 BOM")
    o.add_argument(
        "--raw-cells",
        action="store_true",
        help="CSV cells as stored, even those a spreadsheet would run as a formula "
        "(= + - @ tab CR first; by default they get a leading ')",
    )
    c = p.add_argument_group("crawling first")
    c.add_argument(
        "--fresh", action="store_true", help="run an incremental crawl first; dump if it succeeded"
    )
    c.add_argument("--base-url", help="with --fresh: crawl another origin serving the site")
    c.add_argument("--full", action="store_true", help="with --fresh: walk every listing")
    c.add_argument("--fast", action="store_true", help="with --fresh: no throttling (localhost)")
    add_log_option(c)
    p.set_defaults(func=main)


def check_output(out: str) -> None:
    from pipelines.archive.dump.files import in_place, replaced

    if in_place(out):
        return
    if Path(out).is_dir():
        raise UsageError(f"cannot write {out}: is a directory")
    if not replaced(out).parent.is_dir():
        raise UsageError(f"cannot write {out}: no such directory")


def _date(option: str, value: str | None) -> str | None:
    from crawler.text.dates import normalize_date

    if value is None:
        return None
    iso = normalize_date(value)
    if iso is None:
        raise UsageError(f"{option}: not a date: {value!r}")
    return iso


def main(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from pipelines.archive.dump import dump
    from pipelines.archive.dump.query import Filters
    from pipelines.archive.search import phrases

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (known: {', '.join(FORMATS)})")
    check_output(args.out)
    filters = Filters(
        site=args.site,
        since=_date("--since", args.since),
        until=_date("--until", args.until),
        category=args.category,
        author=args.author,
        query=args.query,
        include_duplicates=args.include_duplicates,
    )
    if filters.since and filters.until and filters.since[:10] > filters.until[:10]:
        raise UsageError(f"--since {filters.since} is after --until {filters.until}")
    if filters.query is not None:
        # Refused as `tinhuy search` refuses it, before a crawl or a file: the query
        # builder refuses with a ValueError whose message is for the user (EmptyQuery,
        # and any other reason search.py gives).
        try:
            phrases(filters.query)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.fresh:
        code = _crawl(args)
        if code != EXIT_OK:
            print(f"tinhuy: the crawl exited {code}; nothing dumped", file=sys.stderr)
            return code
    engine = open_archive(args.db)
    try:
        result = dump(
            engine,
            args.out,
            args.format,
            filters,
            with_versions=args.with_versions,
            bom=args.bom,
            raw_cells=args.raw_cells,
        )
    except BrokenPipeError:
        raise  # the reader went away: a quiet end (crawler/cli.py)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    except DBAPIError as exc:
        reason = str(exc.orig).partition("\n")[0]
        if filters.query is None or not REFUSED_QUERY.search(reason):
            raise
        raise UsageError(
            f"--query {filters.query!r}: the full-text search refused it: {reason}"
        ) from None
    finally:
        engine.dispose()
    if args.out != "-":
        print(f"wrote {result.rows} articles to {args.out}", file=sys.stderr)
    return EXIT_OK


def _crawl(args: argparse.Namespace) -> int:
    from crawler.commands import crawl
    from crawler.sites import DEFAULT_SITE

    # The dump's --since filters what is written; the crawl walks as usual.
    crawl_args = crawl.build_parser_defaults(
        site=args.site or DEFAULT_SITE,
        db=args.db,
        base_url=args.base_url,
        full=args.full,
        fast=args.fast,
        log_level=args.log_level,
    )
    return crawl.main(crawl_args)
