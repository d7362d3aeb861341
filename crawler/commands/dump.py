"""`tinhuy dump`: the archive out to a file, streamed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.commands.common import EXIT_OK, UsageError, add_db_option

FORMATS = ("jsonl",)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dump", help="write the archive to a file")
    p.add_argument("--format", default="jsonl", help=f"one of {', '.join(FORMATS)}")
    p.add_argument("--out", required=True, help="output path, or - for stdout")
    add_db_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pipelines.dump import atomic_output, iter_articles, write_jsonl
    from pipelines.storage import StorageError, open_engine

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (known: {', '.join(FORMATS)})")
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
